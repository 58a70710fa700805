import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.training.models import StaffCount, Training, TrainingLevel


class TrainingFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Tên lớp, nội dung, địa điểm"))
    level = django_filters.ChoiceFilter(choices=TrainingLevel.choices, label=_("Cấp tổ chức"))
    starts_on = django_filters.DateFromToRangeFilter(label=_("Ngày bắt đầu (từ – đến)"))
    organiser = django_filters.ModelChoiceFilter(queryset=None, label=_("Cơ quan tổ chức"))

    class Meta:
        model = Training
        fields = ["q", "unit", "level", "starts_on", "organiser"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from lanhmanh.training.forms import agency_choices

        self.filters["organiser"].queryset = agency_choices(getattr(request, "user", None), above=True)

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value) | Q(venue__icontains=value))


class StaffCountFilterSet(ScopedFilterSet):
    year = django_filters.NumberFilter(label=_("Năm"))

    class Meta:
        model = StaffCount
        fields = ["unit", "year"]
