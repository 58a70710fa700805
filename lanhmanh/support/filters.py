"""Filters of the client list: by code and the statistical fields only. Identifying fields are never a search key:
they would end up in URLs, browser history and server logs (and, encrypted, they cannot be searched anyway)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.geo.models import AdminUnit
from lanhmanh.support.models import AgeGroup, ClientStatus, Gender, SupportClient


class SupportClientFilterSet(ScopedFilterSet):
    code = django_filters.CharFilter(method="filter_code", label=_("Mã số"))
    age_group = django_filters.ChoiceFilter(choices=AgeGroup.choices, label=_("Nhóm tuổi"))
    gender = django_filters.ChoiceFilter(choices=Gender.choices, label=_("Giới tính"))
    origin_province = django_filters.ModelChoiceFilter(
        queryset=AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE).order_by("name"),
        label=_("Tỉnh, thành phố quê quán"))
    is_minor = django_filters.BooleanFilter(label=_("Trẻ em (dưới 18 tuổi)"))
    status = django_filters.ChoiceFilter(choices=ClientStatus.choices, label=_("Tình trạng"))
    registered_on = django_filters.DateFromToRangeFilter(label=_("Ngày tiếp nhận (từ – đến)"))

    class Meta:
        model = SupportClient
        fields = ["code", "unit", "age_group", "gender", "origin_province", "is_minor", "status", "registered_on"]

    def filter_code(self, queryset, name, value):
        # A whole code ("HT-11311-7KQ2XM") or any part of it, as written on a paper card.
        value = value.strip()
        return queryset.filter(code__icontains=value) if value else queryset

