import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.inspections.models import (
    InspectionPlan,
    InspectionSession,
    InspectionVisit,
    SessionKind,
    Team,
    TeamMember,
    ViolationType,
)

FOLLOW_UP_STATES = (("open", _("Chưa kiểm tra lại")), ("overdue", _("Quá hạn kiểm tra lại")),
                    ("done", _("Đã kiểm tra lại")))


class TeamFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Tên đội, số quyết định"))
    active = django_filters.BooleanFilter(field_name="dissolved_on", lookup_expr="isnull", label=_("Đang hoạt động"))

    class Meta:
        model = Team
        fields = ["q", "unit", "active"]

    def filter_text(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(name__icontains=value) | Q(decision_number__icontains=value)) if value else queryset


class TeamMemberFilterSet(ScopedFilterSet):
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), label=_("Đội"))

    class Meta:
        model = TeamMember
        fields = ["unit", "team", "role_in_team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = Team.objects.visible_to(getattr(self.request, "user", None))


class InspectionPlanFilterSet(ScopedFilterSet):
    class Meta:
        model = InspectionPlan
        fields = ["unit", "year", "quarter", "status"]


class InspectionSessionFilterSet(ScopedFilterSet):
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.none(), label=_("Đội"))
    kind = django_filters.ChoiceFilter(choices=SessionKind.choices, label=_("Hình thức"))
    date = django_filters.DateFromToRangeFilter(label=_("Ngày kiểm tra (từ – đến)"))

    class Meta:
        model = InspectionSession
        fields = ["unit", "team", "kind", "date", "plan"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        self.filters["team"].queryset = Team.objects.visible_to(user)
        self.filters["plan"].queryset = InspectionPlan.objects.visible_to(user)


class InspectionVisitFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="filter_text", label=_("Tên, địa chỉ cơ sở"))
    business = django_filters.NumberFilter(field_name="business", label=_("Mã cơ sở"))
    session = django_filters.NumberFilter(field_name="session", label=_("Mã buổi kiểm tra"))
    visited_on = django_filters.DateFromToRangeFilter(label=_("Ngày kiểm tra (từ – đến)"))
    outcome = django_filters.ChoiceFilter(choices=InspectionVisit.Outcome.choices, label=_("Kết quả"))
    violation = django_filters.ModelChoiceFilter(
        field_name="violations", queryset=ViolationType.objects.all(), label=_("Hành vi vi phạm"))
    fined = django_filters.BooleanFilter(method="filter_fined", label=_("Có phạt tiền"))
    suspended = django_filters.BooleanFilter(field_name="suspended_from", lookup_expr="isnull", exclude=True,
                                             label=_("Có đình chỉ"))
    follow_up = django_filters.ChoiceFilter(choices=FOLLOW_UP_STATES, method="filter_follow_up",
                                            label=_("Kiểm tra lại"))

    class Meta:
        model = InspectionVisit
        fields = ["q", "unit", "visited_on", "outcome", "violation", "fined", "suspended", "follow_up",
                  "business", "session"]

    def filter_text(self, queryset, name, value):
        from lanhmanh.core.text import normalise_text

        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(business__name__icontains=value) | Q(business__address__icontains=value)
                               | Q(business__match_key__contains=normalise_text(value)))

    def filter_fined(self, queryset, name, value):
        if value is None:
            return queryset
        fined = Q(fine_amount__gt=0)
        return queryset.filter(fined) if value else queryset.exclude(fined)

    def filter_follow_up(self, queryset, name, value):
        if value == "open":
            return queryset.open_follow_ups()
        if value == "overdue":
            return queryset.overdue_follow_ups()
        if value == "done":
            return queryset.with_follow_up_state().filter(follow_up_due__isnull=False, followed_up=True)
        return queryset
