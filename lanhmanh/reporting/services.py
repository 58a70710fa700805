"""Opening each period's reports for every unit that must submit them, and the ad-hoc reports (báo cáo đột xuất) an
upper unit asks its lower units for."""

import datetime

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lanhmanh.reporting import rules
from lanhmanh.reporting.models import PeriodRule, Report, ReportDeadline, ReportType

# Past periods are opened while their deadline is at most this many days gone (a unit's missing report then shows as
# overdue); older ones are not opened after the fact.
OPEN_PAST_DEADLINES_DAYS = 60

DEADLINE_TOO_EARLY = _("Hạn nộp phải sau ngày cuối kỳ báo cáo.")
# The year whose periods a deadline rule is checked against (the rule is the same every year; only February's length
# moves a 29th-31st day to the month's last day).
DEADLINE_SAMPLE_YEAR = 2026
# The levels that ask their lower units for an ad-hoc report (AdminUnit.Level): the nation (0) and the provinces (1).
AD_HOC_LEVELS = (0, 1)


def deadline_too_early(rule, cutoff, day, months_after_end) -> bool:
    """Whether the deadline (`day`, `months_after_end`) falls before, or on, the last day of a period of `rule` — e.g.
    the 15th of a calendar month ending on the 31st: the report would be due before its period is over. The cut-off
    windows' usual deadline (15/06 for a period ending on 14/06) is after it."""
    if not rule or not day or months_after_end is None:
        return False
    return any(rules.deadline(period, day, months_after_end) <= period.end
               for _number, period in rules.periods_of(rule, bool(cutoff), DEADLINE_SAMPLE_YEAR))


def province_path(path: str) -> str:
    """"VN/31/11311/" → "VN/31/"."""
    parts = path.split("/")
    return "/".join(parts[:2]) + "/" if len(parts) > 2 else path


def deadlines_by_province(report_type) -> dict[str, tuple[int, int]]:
    """{province path: (day, months after end)} of the provinces that set their own deadline. One query."""
    return {path: (day, months) for path, day, months in ReportDeadline.objects.filter(
        report_type=report_type).values_list("province__path", "deadline_day", "deadline_months_after_end")}


def deadline_for(report_type, unit, period, overrides=None) -> datetime.date:
    overrides = deadlines_by_province(report_type) if overrides is None else overrides
    day, months = overrides.get(province_path(unit.path),
                                (report_type.deadline_day, report_type.deadline_months_after_end))
    return rules.deadline(period, day, months)


@transaction.atomic
def open_reports(report_type, year: int, number: int, period, within: list[str] | None = None) -> int:
    """Opens `report_type`'s report for `period` for every current unit of the levels that submit it (under the
    paths `within`, when given), where not opened yet. Returns how many were opened. A fixed number of queries
    whatever the number of units."""
    from lanhmanh.core.scoping import path_q
    from lanhmanh.geo.models import AdminUnit

    units = AdminUnit.objects.current().filter(level__in=report_type.submitting_levels).only("pk", "path")
    if within is not None:
        units = units.filter(path_q("path", within))
    opened = set(Report.objects.filter(report_type=report_type, period_start=period.start,
                                       period_end=period.end).values_list("unit_id", flat=True))
    overrides = deadlines_by_province(report_type)
    new = [
        Report(unit_id=unit.pk, report_type=report_type, year=year, number=number, period_start=period.start,
               period_end=period.end, period_label=period.label,
               deadline=deadline_for(report_type, unit, period, overrides))
        for unit in units if unit.pk not in opened
    ]
    Report.objects.bulk_create(new, batch_size=1000)
    return len(new)


def open_due_reports(today: datetime.date, within: list[str] | None = None) -> dict[str, int]:
    """Opens, for every active report type with periods, the reports of the periods begun by `today` whose deadline
    is not long gone (for the units under `within`, when given). {type code: reports opened}. Run daily (and safe
    to run again: nothing is opened twice)."""
    counts = {}
    report_types = list(ReportType.objects.filter(is_active=True).exclude(period_rule=PeriodRule.AD_HOC))
    # A period is long gone only when the latest deadline any unit has for it is: the national one or a province's
    # own (a province with a later deadline still gets its reports opened). One query for every type's overrides.
    rules_by_type: dict[int, set[tuple[int, int]]] = {
        report_type.pk: {(report_type.deadline_day, report_type.deadline_months_after_end)}
        for report_type in report_types}
    for type_id, day, months in ReportDeadline.objects.filter(report_type__in=report_types).values_list(
            "report_type_id", "deadline_day", "deadline_months_after_end").distinct():
        rules_by_type[type_id].add((day, months))
    for report_type in report_types:
        total = 0
        for year, number, period in rules.current_periods(report_type.period_rule, report_type.cutoff, today):
            due = max(rules.deadline(period, day, months) for day, months in rules_by_type[report_type.pk])
            if due < today - datetime.timedelta(days=OPEN_PAST_DEADLINES_DAYS):
                continue
            total += open_reports(report_type, year, number, period, within)
        counts[report_type.code] = total
    return counts


def ad_hoc_units(user):
    """The current units at which `user` may ask for an ad-hoc report: the provinces, or the nation, inside the
    user's scope for adding reports."""
    from lanhmanh.core.scoping import path_q, permission_name, scope_paths
    from lanhmanh.geo.models import AdminUnit

    units = AdminUnit.objects.current().filter(level__in=AD_HOC_LEVELS).order_by("level", "path")
    paths = scope_paths(user, permission_name(Report, "add"))
    return units if paths is None else units.filter(path_q("path", paths))


@transaction.atomic
def open_ad_hoc(report_type, parent_unit, start: datetime.date, end: datetime.date, deadline: datetime.date,
                title: str, user) -> int:
    """Báo cáo đột xuất: `parent_unit` (a province, or the nation) asks every current unit under it at the levels
    that submit `report_type` (an ad-hoc type) for a report on `start`–`end`, due `deadline`, titled `title`. Opens
    them where not opened yet (never twice for a unit, type and period) and returns how many were opened. Raises
    PermissionDenied when `user` may not add reports at `parent_unit`, ValidationError ({field: message}) for a
    type that is not ad-hoc, a unit that does not ask for ad-hoc reports, a bad date range or deadline. A fixed
    number of queries whatever the number of units."""
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils import timezone

    from lanhmanh.core.scoping import can_use_unit
    from lanhmanh.geo.models import AdminUnit
    from lanhmanh.indicators import periods

    if not can_use_unit(user, Report, "add", parent_unit):
        raise PermissionDenied(_("Bạn không có quyền yêu cầu báo cáo đột xuất cho đơn vị này."))
    errors = {}
    if report_type.period_rule != PeriodRule.AD_HOC or not report_type.is_active:
        errors["report_type"] = _("Hãy chọn một loại báo cáo đột xuất đang sử dụng.")
    if parent_unit.level not in AD_HOC_LEVELS or parent_unit.valid_to is not None:
        errors["unit"] = _("Chỉ cấp tỉnh, thành phố hoặc cấp quốc gia (đơn vị đang hoạt động) yêu cầu báo cáo "
                           "đột xuất.")
    if start and end and end < start:
        errors["end"] = _("Ngày cuối kỳ báo cáo phải từ ngày đầu kỳ trở đi.")
    if deadline and deadline < timezone.localdate():
        errors["deadline"] = _("Hạn nộp không được trước ngày hôm nay.")
    elif deadline and end and deadline <= end:
        # Figures are frozen from the day after the period (workflow.submit): a deadline within it could not be met.
        errors["deadline"] = _("Hạn nộp phải sau ngày cuối kỳ báo cáo.")
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Hãy nhập trích yếu của báo cáo đột xuất.")
    elif len(title) > Report._meta.get_field("title").max_length:
        errors["title"] = _("Trích yếu không quá %(n)s ký tự.") % {"n": Report._meta.get_field("title").max_length}
    if errors:
        raise ValidationError(errors)

    period = periods.custom(start, end)
    units = (AdminUnit.objects.current().filter(level__in=report_type.submitting_levels,
                                                 path__startswith=parent_unit.path)
             .exclude(pk=parent_unit.pk).values_list("pk", flat=True))
    opened = set(Report.objects.filter(report_type=report_type, period_start=start, period_end=end,
                                       unit__path__startswith=parent_unit.path).values_list("unit_id", flat=True))
    new = [
        Report(unit_id=unit_id, report_type=report_type, year=start.year, number=1, period_start=start,
               period_end=end, period_label=str(period.label), deadline=deadline, title=title, created_by=user,
               updated_by=user)
        for unit_id in units if unit_id not in opened
    ]
    Report.objects.bulk_create(new, batch_size=1000)
    return len(new)


def ad_hoc_requests(report_type, parent_unit, year: int) -> list[dict]:
    """The ad-hoc report requests of `report_type` to the units under `parent_unit` whose period starts in `year`:
    [{"start", "end", "title", "reports"}] by start date, one per period asked, counting the reports of the units
    the page lists (the nearest level below that submits). Each unit may edit its own report's title; the request
    opened them all with the same one, which reports nobody has changed since still carry: the title is the one
    most of those carry (else most of all). One query."""
    from django.db.models import Count, F, Q

    from lanhmanh.reporting.consolidation import child_level

    level = child_level(report_type, parent_unit)
    if level is None:
        return []
    rows = (Report.objects.filter(report_type=report_type, unit__path__startswith=parent_unit.path,
                                  unit__level=level, period_start__year=year)
            .order_by().values("period_start", "period_end", "title")
            .annotate(n=Count("pk"), untouched=Count("pk", filter=Q(updated_by=F("created_by")))))
    found: dict = {}
    for row in rows:
        request = found.setdefault((row["period_start"], row["period_end"]), {"titles": {}, "reports": 0})
        request["titles"][row["title"]] = (row["untouched"], row["n"])
        request["reports"] += row["n"]
    return [{"start": start, "end": end, "reports": r["reports"],
             "title": min(r["titles"], key=lambda t: (-r["titles"][t][0], -r["titles"][t][1], t))}
            for (start, end), r in sorted(found.items())]
