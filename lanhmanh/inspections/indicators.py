"""Inspection indicators (seed 003: inspect at least 60% of at-risk businesses; seed 004: sessions, visits,
reminders, suspensions)."""

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from lanhmanh.businesses.indicators import MANAGED_BUSINESSES, managed, managed_at
from lanhmanh.indicators.registry import COUNT, PERCENT, VND, Indicator, Measure, Source, between, records, registry
from lanhmanh.inspections.models import InspectionSession, InspectionVisit

registry.module("inspections", _("Kiểm tra cơ sở kinh doanh"))

SESSIONS = Source("inspections.session", lambda: InspectionSession.objects.all(), prefilter=between("date"))
VISITS = Source("inspections.visit", lambda: InspectionVisit.objects.all(), prefilter=between("visited_on"))
_visited = between("visited_on")
_APPLIED_FINE = Q(sanction_stage=InspectionVisit.SanctionStage.APPLIED, fine_amount__gt=0)

sessions = Measure("inspections.sessions", _("Số buổi kiểm tra"), SESSIONS, condition=between("date"),
                   module="inspections")
visits = Measure("inspections.visits", _("Số lượt cơ sở được kiểm tra"), VISITS, condition=_visited,
                 module="inspections")
reminders = Measure("inspections.reminders", _("Số cơ sở bị lập biên bản nhắc nhở"), VISITS, module="inspections",
                    condition=lambda s, e: _visited(s, e) & Q(outcome=InspectionVisit.Outcome.REMINDER))
suspensions = Measure("inspections.suspensions", _("Số cơ sở bị đình chỉ kinh doanh"), VISITS, module="inspections",
                      condition=lambda s, e: _visited(s, e) & Q(suspended_from__isnull=False))
fines = Measure("inspections.fines_vnd", _("Số tiền phạt đã quyết định (đồng)"), VISITS, module="inspections",
                condition=lambda s, e: _visited(s, e) & _APPLIED_FINE,
                aggregate=lambda q: Sum("fine_amount", filter=q))
businesses_visited = Measure(
    "inspections.businesses_visited", _("Số cơ sở thuộc diện quản lý được kiểm tra (không tính trùng)"),
    MANAGED_BUSINESSES, module="inspections",
    help_text=_("Mỗi cơ sở tính một lần trong năm, vào tháng được kiểm tra lần đầu."),
    condition=lambda s, e: managed_at(e) & Q(Exists(InspectionVisit.objects.filter(
        business=OuterRef("pk"), visited_on__gte=s, visited_on__lte=e))),
    aggregate=lambda q: Count("pk", filter=q),
)

_visit_list = records("inspections:inspectionvisit_list", "visited_on")

registry.indicator(Indicator("INSP_SESSIONS", _("Số buổi kiểm tra"), "Inspection sessions", COUNT, sessions,
                             module="inspections", sort_order=20,
                             records_url=records("inspections:inspectionsession_list", "date")))
registry.indicator(Indicator("INSP_VISITS", _("Số lượt cơ sở được kiểm tra"), "Business visits", COUNT, visits,
                             module="inspections", sort_order=21, records_url=_visit_list))
registry.indicator(Indicator(
    "INSP_COVERAGE_PCT", _("Tỷ lệ cơ sở được kiểm tra"), "Businesses under management inspected (%)", PERCENT,
    businesses_visited, managed, module="inspections", sort_order=22, records_url=_visit_list,
    description=_("Cơ sở thuộc diện quản lý được kiểm tra trong kỳ (không tính trùng) ÷ cơ sở thuộc diện quản lý."),
))
registry.indicator(Indicator("INSP_REMINDERS", _("Số cơ sở bị nhắc nhở"), "Reminder minutes", COUNT, reminders,
                             module="inspections", sort_order=23,
                             records_url=records("inspections:inspectionvisit_list", "visited_on", outcome="reminder")))
registry.indicator(Indicator("INSP_SUSPENSIONS", _("Số cơ sở bị đình chỉ kinh doanh"), "Suspensions", COUNT,
                             suspensions, module="inspections", sort_order=24,
                             records_url=records("inspections:inspectionvisit_list", "visited_on", suspended="true")))
registry.indicator(Indicator("INSP_FINES_VND", _("Số tiền phạt qua kiểm tra"), "Fines decided at inspections (VND)",
                             VND, fines, module="inspections", sort_order=25,
                             records_url=records("inspections:inspectionvisit_list", "visited_on", fined="true")))
