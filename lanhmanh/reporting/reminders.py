"""Reminders by e-mail to units that have not submitted a report as its deadline approaches.

Who is reminded, and of what:

- the members of the report's own unit whose role writes that kind of report (WRITER_ROLES: police reports —
  type codes starting with "police-" — the unit's police, Role.POLICE; every other report its programme officers,
  Role.PROGRAMME_OFFICER; active membership, active account with an e-mail address), of every report still being
  written or returned for correction whose deadline is at most REPORT_REMINDER_DAYS days ahead (setting, from the
  environment, default 3) or already gone;
- the members of the upper unit (the parent of the report's unit) with the same role for that kind of report, with
  one summary per report type and period of the children that have not submitted with at most one day left or
  overdue ("3/30 xã, phường, đặc khu chưa nộp: …").

When: every day from REPORT_REMINDER_DAYS days before the deadline until OVERDUE_DAILY_DAYS days after it, then
once a week (on the deadline's weekday) for as long as the report stays unsubmitted — an overdue report still has to
be submitted, but a daily mail for months would only be ignored.

Each user gets one e-mail a day at most, listing their reports and summaries. The mail holds report types,
periods, deadlines, unit names and links only — no names of people, no figures, no report text: e-mail leaves the
system's protection. The whole computation takes a fixed number of queries, whatever the number of units and
reports."""

import datetime
import os
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from lanhmanh.accounts.roles import Role
from lanhmanh.reporting.models import Report

# Upper units are told about their children with this many days left (or fewer, or overdue).
SUMMARY_DAYS = 1
# Overdue reports are reminded daily for this many days after the deadline, then weekly.
OVERDUE_DAILY_DAYS = 7
DEFAULT_REMINDER_DAYS = 3
# Who writes (and so is reminded of) a report, by the start of its type's code: the first prefix that matches, else
# DEFAULT_WRITER_ROLE. Police reports are written at the unit by its police, the programme's by its officers.
WRITER_ROLES = (("police-", Role.POLICE),)
DEFAULT_WRITER_ROLE = Role.PROGRAMME_OFFICER


def writer_role(report_type) -> str:
    """The role whose members of a unit write its reports of `report_type` (WRITER_ROLES)."""
    code = report_type.code or ""
    return next((role for prefix, role in WRITER_ROLES if code.startswith(prefix)), DEFAULT_WRITER_ROLE)


def reminder_days() -> int:
    """settings.REPORT_REMINDER_DAYS, else the REPORT_REMINDER_DAYS environment variable, else 3."""
    days = getattr(settings, "REPORT_REMINDER_DAYS", None)
    if days is None:
        days = os.environ.get("REPORT_REMINDER_DAYS") or DEFAULT_REMINDER_DAYS
    return max(int(days), 0)


def remind_today(deadline: datetime.date, today: datetime.date, days: int) -> bool:
    """Whether a pending report with this deadline is reminded today (see the module's docstring)."""
    left = (deadline - today).days
    if left >= 0:
        return left <= days
    late = -left
    return late <= OVERDUE_DAILY_DAYS or late % 7 == 0


@dataclass
class Summary:
    """The children of `upper` that have not submitted a report of one type and period."""

    upper: object  # AdminUnit
    report_type: object  # ReportType
    year: int
    period_label: str
    deadline: datetime.date
    total: int = 0
    pending: list = field(default_factory=list)  # the children's pending reports, by unit name

    @property
    def key(self):
        return (self.upper.pk, self.report_type.pk, self.period_label)


def _pending_reports(today: datetime.date, days: int) -> list[Report]:
    """Pending reports of current units reminded today, with their unit, its parent and the type. One query."""
    horizon = today + datetime.timedelta(days=max(days, SUMMARY_DAYS))
    reports = (Report.objects.pending().filter(deadline__lte=horizon, unit__valid_to__isnull=True,
                                                report_type__is_active=True)
               .select_related("unit__parent", "report_type").order_by("deadline", "report_type__name", "unit__path"))
    return [r for r in reports if remind_today(r.deadline, today, max(days, SUMMARY_DAYS))]


def _writers(unit_ids) -> dict[tuple[int, str], list]:
    """{(unit id, role): [users]}: active members of the units in any writer role (WRITER_ROLES), with an e-mail
    address. One query."""
    from lanhmanh.accounts.models import Membership

    writers = defaultdict(list)
    if not unit_ids:
        return writers
    roles = {DEFAULT_WRITER_ROLE, *(role for _prefix, role in WRITER_ROLES)}
    memberships = (Membership.objects.filter(unit_id__in=unit_ids, role__in=roles, is_active=True,
                                             user__is_active=True)
                   .exclude(user__email="").select_related("user").order_by("user__username"))
    for membership in memberships:
        writers[(membership.unit_id, membership.role)].append(membership.user)
    return writers


def _summaries(reports: list[Report], today: datetime.date) -> list[Summary]:
    """Per upper unit, report type and period: the children pending with at most SUMMARY_DAYS left or overdue, out
    of all the children's reports of that type and period. One query (the totals)."""
    horizon = today + datetime.timedelta(days=SUMMARY_DAYS)
    groups: dict[tuple, Summary] = {}
    for report in reports:
        if report.deadline > horizon or report.unit.parent_id is None:
            continue
        key = (report.unit.parent_id, report.report_type_id, report.period_start, report.period_end)
        summary = groups.get(key)
        if summary is None:
            summary = groups[key] = Summary(upper=report.unit.parent, report_type=report.report_type,
                                            year=report.year, period_label=report.period_label,
                                            deadline=report.deadline)
        summary.deadline = min(summary.deadline, report.deadline)
        summary.pending.append(report)
    if not groups:
        return []
    totals = (Report.objects.filter(unit__parent_id__in={k[0] for k in groups},
                                    report_type_id__in={k[1] for k in groups},
                                    period_start__in={k[2] for k in groups}, unit__valid_to__isnull=True)
              .values_list("unit__parent_id", "report_type_id", "period_start", "period_end")
              .annotate(n=Count("pk")).order_by())
    for parent_id, type_id, start, end, n in totals:
        summary = groups.get((parent_id, type_id, start, end))
        if summary is not None:
            summary.total = n
    for summary in groups.values():
        summary.pending.sort(key=lambda r: r.unit.name)
    return sorted(groups.values(), key=lambda s: (s.deadline, s.upper.path, s.report_type.name))


def collect(today: datetime.date, days: int | None = None) -> tuple[dict, dict]:
    """({user: [reports]}, {user: [summaries]}) of everyone reminded today. Four queries at most."""
    days = reminder_days() if days is None else days
    reports = _pending_reports(today, days)
    own = [r for r in reports if r.deadline <= today + datetime.timedelta(days=days)]
    summaries = _summaries(reports, today)
    writers = _writers({r.unit_id for r in own} | {s.upper.pk for s in summaries})
    by_user, summaries_by_user = defaultdict(list), defaultdict(list)
    for report in own:
        for user in writers.get((report.unit_id, writer_role(report.report_type)), ()):
            by_user[user].append(report)
    for summary in summaries:
        for user in writers.get((summary.upper.pk, writer_role(summary.report_type)), ()):
            summaries_by_user[user].append(summary)
    return dict(by_user), dict(summaries_by_user)


def due_reminders(today: datetime.date, days: int | None = None) -> dict:
    """{user: [reports]}: each writer's own units' pending reports reminded today (see the module's docstring)."""
    return collect(today, days)[0]


def due_summaries(today: datetime.date, days: int | None = None) -> dict:
    """{user: [summaries]}: each upper unit officer's summaries of children that have not submitted."""
    return collect(today, days)[1]


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _state(deadline: datetime.date, today: datetime.date) -> str:
    left = (deadline - today).days
    if left < 0:
        return _("QUÁ HẠN %(n)s ngày") % {"n": -left}
    if left == 0:
        return _("hạn nộp là hôm nay")
    return _("còn %(n)s ngày") % {"n": left}


def report_line(report: Report, today: datetime.date, base: str) -> str:
    returned = _(" (bị trả lại, cần chỉnh sửa)") if report.status == "returned" else ""
    url = base + reverse("reporting:report_detail", args=[report.pk])
    return (f"- {report.report_type.name} · {report.period_label} · {report.unit.name} · "
            + _("hạn nộp %(date)s") % {"date": _date(report.deadline)}
            + f" · {_state(report.deadline, today)}{returned}: {url}")


def summary_text(summary: Summary, today: datetime.date, base: str) -> str:
    from lanhmanh.geo.models import AdminUnit

    levels = {r.unit.level for r in summary.pending}
    level = (str(AdminUnit.Level(levels.pop()).label).lower() if len(levels) == 1 else _("đơn vị"))
    names = ", ".join(r.unit.name for r in summary.pending)
    url = base + reverse("reporting:report_list") + "?" + urlencode(
        {"report_type": summary.report_type.pk, "year": summary.year})
    head = (f"- {summary.report_type.name} · {summary.period_label} · {summary.upper.name} · "
            + _("hạn nộp %(date)s") % {"date": _date(summary.deadline)}
            + f" · {_state(summary.deadline, today)}")
    return "\n".join([
        head,
        "  " + _("%(pending)s/%(total)s %(level)s chưa nộp: %(names)s.") % {
            "pending": len(summary.pending), "total": summary.total or len(summary.pending), "level": level,
            "names": names},
        f"  {url}",
    ])


def reminder_text(reports: list[Report], summaries: list[Summary], today: datetime.date) -> str:
    base = settings.LANHMANH_BASE_URL.rstrip("/")
    types = [report.report_type for report in reports] + [summary.report_type for summary in summaries]
    if types and all(writer_role(report_type) == Role.POLICE for report_type in types):
        greeting = _("Kính gửi cán bộ công an,")
    else:
        greeting = _("Kính gửi cán bộ phụ trách chương trình,")
    lines = [greeting, ""]
    if reports:
        lines += [_("Các báo cáo định kỳ của đơn vị chưa nộp (đến ngày %(date)s):") % {"date": _date(today)}, ""]
        lines += [report_line(report, today, base) for report in reports]
        lines.append("")
    if summaries:
        lines += [_("Các đơn vị cấp dưới chưa nộp báo cáo:"), ""]
        lines += [summary_text(summary, today, base) for summary in summaries]
        lines.append("")
    lines.append(_("Thư tự động từ hệ thống Lành Mạnh. Nội dung báo cáo chỉ xem được trong hệ thống."))
    return "\n".join(lines)


def reminder_subject(reports: list[Report], summaries: list[Summary], today: datetime.date) -> str:
    if reports:
        overdue = sum(1 for r in reports if r.deadline < today)
        return _("[Lành Mạnh] %(n)s báo cáo sắp đến hạn nộp, %(overdue)s quá hạn") % {
            "n": len(reports) - overdue, "overdue": overdue}
    return _("[Lành Mạnh] %(n)s loại báo cáo đơn vị cấp dưới chưa nộp") % {"n": len(summaries)}


def messages(today: datetime.date, days: int | None = None) -> list[tuple]:
    """(subject, body, from, [to]) per user reminded today, in Vietnamese."""
    by_user, summaries_by_user = collect(today, days)
    users = sorted(set(by_user) | set(summaries_by_user), key=lambda u: u.username)
    result = []
    with translation.override("vi"):
        for user in users:
            reports, summaries = by_user.get(user, []), summaries_by_user.get(user, [])
            result.append((reminder_subject(reports, summaries, today), reminder_text(reports, summaries, today),
                           settings.DEFAULT_FROM_EMAIL, [user.email]))
    return result


def send_report_reminders(today: datetime.date | None = None, days: int | None = None) -> int:
    """Sends today's reminders, one e-mail per user; returns how many were sent."""
    today = today or timezone.localdate()
    batch = messages(today, days)
    return send_mass_mail(batch, fail_silently=False) if batch else 0
