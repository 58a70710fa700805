import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.geo.models import Agency
from lanhmanh.plans.models import Plan, PlanSection, Target, Task, TaskGroup, TaskStatus, TaskUpdate


class PlanFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Số, trích yếu"))
    year = django_filters.NumberFilter(label=_("Năm"))
    status = django_filters.ChoiceFilter(choices=Plan.Status.choices, label=_("Tình trạng"))

    class Meta:
        model = Plan
        fields = ["q", "unit", "year", "status"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(number__icontains=value))


class PlanSectionFilterSet(ScopedFilterSet):
    plan = django_filters.NumberFilter(field_name="plan", label=_("Mã kế hoạch"))

    class Meta:
        model = PlanSection
        fields = ["unit", "plan"]


class TargetFilterSet(ScopedFilterSet):
    plan = django_filters.NumberFilter(field_name="plan", label=_("Mã kế hoạch"))
    year = django_filters.NumberFilter(field_name="plan__year", label=_("Năm"))
    indicator = django_filters.CharFilter(label=_("Mã chỉ số"))

    class Meta:
        model = Target
        fields = ["unit", "plan", "year", "indicator"]


@extend_schema_field(OpenApiTypes.INT)
class AgencyFilter(django_filters.ModelChoiceFilter):
    """Tasks an agency leads or cooperates in."""

    def filter(self, qs, value):
        return qs.assigned_to([value]) if value else qs


class TaskFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Nhiệm vụ"))
    plan = django_filters.NumberFilter(field_name="plan", label=_("Mã kế hoạch"))
    year = django_filters.NumberFilter(field_name="plan__year", label=_("Năm"))
    group = django_filters.ChoiceFilter(choices=TaskGroup.choices, label=_("Nhóm nhiệm vụ"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Tình trạng"))
    agency = AgencyFilter(label=_("Cơ quan (chủ trì hoặc phối hợp)"), queryset=Agency.objects.none())

    class Meta:
        model = Task
        fields = ["q", "unit", "plan", "year", "group", "status", "agency"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        from lanhmanh.geo.forms import agency_choices

        user = getattr(request, "user", None)
        self.filters["agency"].queryset = agency_choices(user, Task) if user is not None else Agency.objects.none()

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(title__icontains=value) | Q(description__icontains=value)) if value else queryset


class TaskUpdateFilterSet(ScopedFilterSet):
    task = django_filters.NumberFilter(field_name="task", label=_("Mã nhiệm vụ"))
    on = django_filters.DateFromToRangeFilter(label=_("Ngày (từ – đến)"))

    class Meta:
        model = TaskUpdate
        fields = ["unit", "task", "on"]
