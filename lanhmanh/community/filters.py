import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.community.models import ActivityKind, ModelActivity, ModelKind, ModelStatus, PreventionModel
from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.core.forms import DateInput


class PreventionModelFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Tên, số quyết định"))
    kind = django_filters.ChoiceFilter(choices=ModelKind.choices, label=_("Loại mô hình"))
    status = django_filters.ChoiceFilter(choices=ModelStatus.choices, label=_("Tình trạng"))
    active_on = django_filters.DateFilter(
        method="filter_active_on", label=_("Đang hoạt động vào ngày"), widget=DateInput()
    )
    established_on = django_filters.DateFromToRangeFilter(label=_("Ngày thành lập (từ – đến)"))

    class Meta:
        model = PreventionModel
        fields = ["q", "unit", "kind", "status", "active_on", "established_on"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(decision_number__icontains=value))

    def filter_active_on(self, queryset, name, value):
        return queryset.active_on(value) if value else queryset


class ModelActivityFilterSet(ScopedFilterSet):
    prevention_model = django_filters.NumberFilter(field_name="prevention_model", label=_("Mã mô hình"))
    kind = django_filters.ChoiceFilter(choices=ActivityKind.choices, label=_("Loại hoạt động"))
    date = django_filters.DateFromToRangeFilter(label=_("Ngày (từ – đến)"))

    class Meta:
        model = ModelActivity
        fields = ["unit", "prevention_model", "kind", "date"]
