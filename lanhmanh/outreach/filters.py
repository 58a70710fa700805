import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.geo.models import AdminUnit
from lanhmanh.outreach.models import (
    ActivityAudience,
    ActivityKind,
    CommunicationActivity,
    TargetGroup,
    TargetPopulation,
)


class ResidentialGroupChoiceField(forms.ModelChoiceField):
    """ "Tổ dân phố 3 — Phường Hồng Bàng": group names repeat from one commune to the next."""

    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else obj.name


class ResidentialGroupFilter(django_filters.ModelChoiceFilter):
    field_class = ResidentialGroupChoiceField


def residential_groups_for(user):
    return (
        AdminUnit.objects.current()
        .filter(level=AdminUnit.Level.RESIDENTIAL_GROUP)
        .visible_to(user)
        .select_related("parent")
        .order_by("parent__name", "name")
    )


class CommunicationActivityFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Nội dung, mô tả"))
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("Hình thức"))
    target_group = django_filters.ChoiceFilter(
        choices=TargetGroup.choices, method="filter_target_group", label=_("Nhóm đối tượng")
    )
    held_on = django_filters.DateFromToRangeFilter(label=_("Ngày thực hiện (từ – đến)"))
    residential_group = ResidentialGroupFilter(queryset=None, label=_("Tổ dân phố, thôn"))

    class Meta:
        model = CommunicationActivity
        fields = ["q", "unit", "kind", "target_group", "held_on", "residential_group"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.filters["residential_group"].queryset = residential_groups_for(getattr(request, "user", None))

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value))

    def filter_target_group(self, queryset, name, value):
        # Exists rather than a join: an activity reaching several groups stays one row.
        if not value:
            return queryset
        return queryset.filter(Exists(ActivityAudience.objects.filter(activity=OuterRef("pk"), target_group=value)))


class TargetPopulationFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Năm"))

    class Meta:
        model = TargetPopulation
        fields = ["unit", "year"]
