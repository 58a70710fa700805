import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from lanhmanh.inspections.models import InspectionPlan, InspectionSession, InspectionVisit, Team, TeamMember


class TeamTable(tables.Table):
    name = tables.Column(linkify=True)
    decision_date = tables.DateColumn(format="d/m/Y")
    dissolved_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Team
        fields = ("name", "unit", "decision_number", "decision_date", "dissolved_on")


class TeamMemberTable(tables.Table):
    full_name = tables.Column(linkify=True)
    team = tables.Column(linkify=True)
    valid_from = tables.DateColumn(format="d/m/Y")
    valid_until = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = TeamMember
        fields = ("full_name", "role_in_team", "agency", "position", "team", "valid_from", "valid_until")


class InspectionPlanTable(tables.Table):
    title = tables.Column(linkify=True)
    year = tables.Column(localize=False)
    items = tables.Column(verbose_name=_("Số cơ sở"), accessor="item_count", orderable=False)

    class Meta:
        model = InspectionPlan
        fields = ("title", "unit", "year", "quarter", "team", "coverage_target", "items", "status")


class InspectionSessionTable(tables.Table):
    date = tables.DateColumn(format="d/m/Y", linkify=True)
    team = tables.Column(linkify=True)
    visits = tables.Column(verbose_name=_("Số lượt cơ sở"), accessor="visit_count", orderable=False)

    class Meta:
        model = InspectionSession
        fields = ("date", "team", "kind", "decision_number", "visits", "unit")


class InspectionVisitTable(tables.Table):
    visited_on = tables.DateColumn(format="d/m/Y", linkify=True)
    business = tables.Column(linkify=True)
    fine_amount = tables.Column()
    suspended_from = tables.DateColumn(format="d/m/Y")
    follow_up_due = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = InspectionVisit
        fields = ("visited_on", "business", "unit", "outcome", "sanction_stage", "fine_amount", "suspended_from",
                  "follow_up_due")
