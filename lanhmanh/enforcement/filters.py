import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.enforcement.models import CaseType, EnforcementCase, Offence


class EnforcementCaseFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Số hồ sơ, tóm tắt"))
    case_type = django_filters.ChoiceFilter(choices=CaseType.choices, label=_("Loại vụ việc"))
    offence = django_filters.ModelChoiceFilter(field_name="offences", queryset=Offence.objects.all(),
                                               label=_("Tội danh, hành vi vi phạm"))
    detected_on = django_filters.DateFromToRangeFilter(label=_("Ngày phát hiện (từ – đến)"))
    business = django_filters.NumberFilter(field_name="business", label=_("Mã cơ sở"))
    origin_tip = django_filters.NumberFilter(field_name="origin_tip", label=_("Mã tin báo"))
    origin_visit = django_filters.NumberFilter(field_name="origin_visit", label=_("Mã lượt kiểm tra"))

    class Meta:
        model = EnforcementCase
        fields = ["q", "unit", "case_type", "offence", "detected_on", "business", "origin_tip", "origin_visit"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(reference_number__icontains=value) | Q(summary__icontains=value))
