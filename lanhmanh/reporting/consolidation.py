"""An upper unit's report consolidates its children's approved reports, and the completeness and timeliness of the
children's submissions.

The children of a unit for a report type are the current units of the nearest submitting level below it (for a
province: its communes; for the nation: the provinces, which themselves consolidate their communes). For each
indicator, the consolidated numerator and denominator are the upper unit's OWN records (from the engine) plus the
sum of the frozen numerators and denominators of its children's APPROVED reports (the latest approved version);
a ratio is re-derived from the summed parts, never averaged. Children whose report is submitted but not yet
approved, still drafted, returned or missing are not counted, and are listed.

Numbers a child corrects after approval do not change the consolidation: it reads the frozen version. The
difference is listed as "figures changed since approval" (child, code, frozen, current), so the upper unit can ask
for a correction. A constant number of queries whatever the number of children: one for the children and their
reports, one for the approved versions, and one engine run by child unit (which gives both the upper unit's own
figures and every child's current ones).

A child that itself consolidates (a province in the nation's report: its frozen figures are its own records plus
its APPROVED communes' frozen figures) is compared with what its consolidation would give now — its own records
today plus its approved children's latest approved figures — not with the engine's whole-province total, which
counts communes it did not count. That takes one more query (the grandchildren's approved versions) and one more
engine run by commune; a child's own records are then its whole total less its current communes' (records of a
unit no longer current count as its own here). A child whose children are not communes (no such report type:
only provinces and communes submit) is left out of the comparison."""

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lanhmanh.indicators import engine, periods
from lanhmanh.indicators.registry import PERCENT, registry
from lanhmanh.reporting import rules
from lanhmanh.reporting.models import Report, ReportDeadline, ReportStatus, ReportVersion, ReviewDecision
from lanhmanh.reporting.services import province_path

MISSING = "missing"  # no report opened for the child
SUBMITTED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)

# How the completeness line names the children, by their level.
LEVEL_NOUNS = {1: "tỉnh, thành phố", 2: "huyện, quận", 3: "xã, phường"}


def child_level(report_type, parent_unit) -> int | None:
    """The nearest level below `parent_unit` that submits `report_type`, or None (nothing below submits it)."""
    below = [level for level in report_type.submitting_levels or [] if level > parent_unit.level]
    return min(below) if below else None


def completeness(report_type, period_start: datetime.date, period_end: datetime.date, parent_unit,
                 today: datetime.date | None = None) -> list[dict]:
    """One row per child unit of `parent_unit` for `report_type`'s period, ordered by name: {"unit", "report_id",
    "status" (a ReportStatus or "missing"), "status_display", "submitted_at", "is_late", "deadline", "overdue"}.
    A child with no report opened gets the deadline its province's rule gives. One query."""
    from lanhmanh.geo.models import AdminUnit

    today = today or timezone.localdate()
    level = child_level(report_type, parent_unit)
    if level is None:
        return []
    reports = Report.objects.filter(unit=OuterRef("pk"), report_type=report_type, period_start=period_start,
                                    period_end=period_end)
    if parent_unit.level >= AdminUnit.Level.PROVINCE:
        overrides = ReportDeadline.objects.filter(report_type=report_type,
                                                  province__path=province_path(parent_unit.path))
    else:  # the nation's children are provinces: each its own
        overrides = ReportDeadline.objects.filter(report_type=report_type, province=OuterRef("pk"))

    def field(name, queryset=reports):
        return Subquery(queryset.values(name)[:1])

    units = (AdminUnit.objects.current().filter(path__startswith=parent_unit.path, level=level)
             .exclude(pk=parent_unit.pk).order_by("name", "path")
             .annotate(r_id=field("pk"), r_status=field("status"), r_submitted_at=field("submitted_at"),
                       r_is_late=field("is_late"), r_deadline=field("deadline"),
                       d_day=field("deadline_day", overrides),
                       d_months=field("deadline_months_after_end", overrides)))
    period = periods.Period(period_start, period_end)
    labels = dict(ReportStatus.choices)
    rows = []
    for unit in units:
        status = unit.r_status or MISSING
        deadline = unit.r_deadline
        if deadline is None:
            day = unit.d_day if unit.d_day is not None else report_type.deadline_day
            months = unit.d_months if unit.d_day is not None else report_type.deadline_months_after_end
            deadline = rules.deadline(period, day, months)
        rows.append({
            "unit": unit,
            "report_id": unit.r_id,
            "status": status,
            "status_display": labels.get(status) or _("Chưa có báo cáo"),
            "submitted_at": unit.r_submitted_at,
            "is_late": bool(unit.r_is_late),
            "deadline": deadline,
            "overdue": status not in SUBMITTED_STATUSES and deadline < today,
        })
    return rows


def completeness_summary(rows, level: int | None) -> dict:
    """Counts and the sentences of completeness and timeliness from completeness() rows."""
    total = len(rows)
    submitted = [row for row in rows if row["status"] in SUBMITTED_STATUSES]
    approved = [row for row in rows if row["status"] == ReportStatus.APPROVED]
    missing = [row for row in rows if row["status"] not in SUBMITTED_STATUSES]
    late = [row for row in submitted if row["is_late"]]
    noun = LEVEL_NOUNS.get(level, "đơn vị")
    if level is None:  # nothing below submits this report type: no line to write
        return {"total": 0, "submitted": 0, "approved": 0, "missing": [], "on_time": 0, "late": 0, "late_units": [],
                "line": "", "approved_line": "", "timeliness_line": ""}
    line = _("%(submitted)s/%(total)s %(noun)s đã nộp báo cáo") % {
        "submitted": len(submitted), "total": total, "noun": noun}
    if missing:
        line += _("; %(count)s đơn vị chưa nộp: %(names)s") % {
            "count": len(missing), "names": ", ".join(row["unit"].name for row in missing)}
    line += "."
    timeliness = _("Nộp đúng hạn: %(on_time)s; nộp muộn: %(late)s") % {
        "on_time": len(submitted) - len(late), "late": len(late)}
    if late:
        timeliness += " (" + ", ".join(row["unit"].name for row in late) + ")"
    timeliness += "."
    return {
        "total": total,
        "submitted": len(submitted),
        "approved": len(approved),
        "missing": [row["unit"].name for row in missing],
        "on_time": len(submitted) - len(late),
        "late": len(late),
        "late_units": [row["unit"].name for row in late],
        "line": line,
        "approved_line": _("%(approved)s/%(total)s báo cáo đã được duyệt.") % {
            "approved": len(approved), "total": total},
        "timeliness_line": timeliness,
    }


def _value(indicator, numerator, denominator):
    """The engine's rule: a ratio from its parts, None without a denominator; floats to two decimals."""
    if indicator.denominator is None:
        return numerator
    if not denominator:
        return None
    value = (100 if indicator.measure == PERCENT else 1) * (numerator or 0) / denominator
    return round(value, 2)


def _frozen_versions(report_ids) -> dict:
    """{report id: its latest approved version's figures}. One query."""
    if not report_ids:
        return {}
    found = {}
    versions = (ReportVersion.objects.filter(report_id__in=report_ids, reviews__decision=ReviewDecision.APPROVED)
                .order_by("report_id", "-number").values_list("report_id", "number", "figures"))
    for report_id, _number, figures in versions:
        found.setdefault(report_id, figures or {})
    return found


def _indicators_of(figures) -> dict:
    return {row.get("code"): row for row in (figures or {}).get("indicators", []) if row.get("code")}


class _Now:
    """A child's figures now, as `current` holds them (numerator, denominator)."""

    __slots__ = ("numerator", "denominator")

    def __init__(self, numerator, denominator):
        self.numerator, self.denominator = numerator, denominator


def _owner(path: str, paths: dict):
    """The entry of `paths` ({path: value}) whose path `path` lies in (itself or an ancestor), or None."""
    cut = 0
    while (cut := path.find("/", cut) + 1) > 0:
        if path[:cut] in paths:
            return paths[path[:cut]]
    return None


def _consolidations_now(report, level: int, rows, frozen: dict, indicators, current: dict) -> tuple[dict, set]:
    """`current` with each counted child that itself consolidates given what its consolidation would be now: its own
    records (its engine total less its current communes') plus its approved children's latest approved figures.
    Returns (current, the pks of the children left out of the comparison). Two queries and one engine run, or none
    when no counted child consolidates."""
    from lanhmanh.geo.models import AdminUnit

    report_type, unit = report.report_type, report.unit
    below = [grand for grand in report_type.submitting_levels or [] if grand > level]
    if not below:
        return current, set()
    grand_level = min(below)
    counted = {row["unit"].path: row["unit"] for row in rows if row["report_id"] in frozen}
    if not counted:
        return current, set()
    if grand_level != AdminUnit.Level.COMMUNE:  # not reached with the levels that submit (1 and 3)
        return current, {child.pk for child in counted.values()}

    # The grandchildren's latest approved versions, by the child they lie in: one query.
    versions = (ReportVersion.objects
                .filter(report__report_type=report_type, report__period_start=report.period_start,
                        report__period_end=report.period_end, report__status=ReportStatus.APPROVED,
                        report__unit__level=grand_level, report__unit__valid_to__isnull=True,
                        report__unit__path__startswith=unit.path, reviews__decision=ReviewDecision.APPROVED)
                .order_by("report_id", "-number").values_list("report_id", "report__unit__path", "figures"))
    grand_frozen: dict = {}
    seen = set()
    for report_id, path, figures in versions:
        if report_id in seen:
            continue
        seen.add(report_id)
        child = _owner(path, counted)
        if child is not None:
            grand_frozen.setdefault(child.pk, []).append(_indicators_of(figures))

    # Every current commune's records now: one engine run; a child's own records are its total less its communes'.
    codes = [indicator.code for indicator in indicators]
    communes: dict = {}
    for value in engine.compute(codes, unit, report.period(), by="communes"):
        if value.own:
            continue
        child = _owner(value.unit.path, counted)
        if child is None:
            continue
        parts = communes.setdefault((child.pk, value.indicator.code), [0, None])
        parts[0] += value.numerator or 0
        if value.denominator is not None:
            parts[1] = (parts[1] or 0) + value.denominator

    now = dict(current)
    for child in counted.values():
        for indicator in indicators:
            code = indicator.code
            total = current.get((child.pk, code))
            below_numerator, below_denominator = communes.get((child.pk, code), (0, None))
            numerator = (total.numerator if total else 0) or 0
            numerator -= below_numerator
            denominator = None
            if indicator.denominator is not None:
                total_denominator = total.denominator if total else None
                if total_denominator is not None or below_denominator is not None:
                    denominator = (total_denominator or 0) - (below_denominator or 0)
                for figures in grand_frozen.get(child.pk, []):
                    part = (figures.get(code) or {}).get("denominator")
                    if part is not None:
                        denominator = (denominator or 0) + part
            for figures in grand_frozen.get(child.pk, []):
                numerator += (figures.get(code) or {}).get("numerator") or 0
            now[(child.pk, code)] = _Now(numerator, denominator)
    return now, set()


def consolidate(report, today: datetime.date | None = None) -> dict:
    """The consolidated figures of an upper unit's `report`:

    {"indicators": [{code, name, measure, numerator, denominator, value, own_numerator, own_denominator,
                     children_numerator, children_denominator}],
     "children": [{unit, unit_name, status, status_display, counted, is_late, submitted_at, deadline, overdue,
                   indicators: {code: {numerator, denominator, value}} (frozen, counted children only)}],
     "not_counted": [{unit, unit_name, status, status_display}],
     "completeness": completeness_summary(...), "completeness_line", "timeliness_line",
     "changed_since_approval": [{unit, unit_name, code, frozen, current}]}"""
    unit, report_type = report.unit, report.report_type
    level = child_level(report_type, unit)
    rows = completeness(report_type, report.period_start, report.period_end, unit, today=today)
    approved_ids = [row["report_id"] for row in rows if row["status"] == ReportStatus.APPROVED]
    frozen = _frozen_versions(approved_ids)

    codes = [code for code in report_type.indicators or [] if code in registry.indicators]
    if not codes:  # a type without a list: what the children reported
        codes = [code for figures in frozen.values() for code in _indicators_of(figures)
                 if code in registry.indicators]
    codes = list(dict.fromkeys(codes))
    indicators = [registry.get(code) for code in codes]

    # One engine run gives the upper unit's own records (own=True) and every child's current figures.
    children_units = [row["unit"] for row in rows]
    direct = all(child.parent_id == unit.pk for child in children_units)
    by = "children" if direct or level != 3 else "communes"
    if level is None:  # nothing below submits (a commune): the whole subtree is the unit's own
        by = None
    current: dict = {}
    own: dict = {}
    if indicators:
        result = engine.compute(codes, unit, report.period(), by=by)
        for value in result:
            if value.own or by is None:
                own[value.indicator.code] = value
            else:
                current[(value.unit.pk, value.indicator.code)] = value

    totals = {code: {"numerator": 0, "denominator": None} for code in codes}
    for indicator in indicators:
        mine = own.get(indicator.code)
        totals[indicator.code]["own_numerator"] = mine.numerator if mine else 0
        totals[indicator.code]["own_denominator"] = mine.denominator if mine else None
        totals[indicator.code]["children_numerator"] = 0
        totals[indicator.code]["children_denominator"] = None

    # A child that consolidates is compared with its consolidation as it would be now (see the module's docstring).
    if level is not None and indicators and frozen:
        current, skip_changed = _consolidations_now(report, level, rows, frozen, indicators, current)
    else:
        skip_changed = set()

    children, not_counted, changed = [], [], []
    for row in rows:
        child = row["unit"]
        counted = row["report_id"] in frozen
        entry = {key: row[key] for key in ("status", "status_display", "is_late", "submitted_at", "deadline",
                                           "overdue")}
        entry.update(unit=child, unit_name=child.name, counted=counted, indicators={})
        if not counted:
            not_counted.append({"unit": child, "unit_name": child.name, "status": row["status"],
                                "status_display": row["status_display"]})
            children.append(entry)
            continue
        figures = _indicators_of(frozen[row["report_id"]])
        for indicator in indicators:
            frozen_row = figures.get(indicator.code)
            if frozen_row is None:
                continue
            numerator, denominator = frozen_row.get("numerator"), frozen_row.get("denominator")
            entry["indicators"][indicator.code] = {
                "numerator": numerator, "denominator": denominator,
                "value": _value(indicator, numerator, denominator)}
            total = totals[indicator.code]
            total["children_numerator"] += numerator or 0
            if denominator is not None and indicator.denominator is not None:
                total["children_denominator"] = (total["children_denominator"] or 0) + denominator
            if child.pk in skip_changed:
                continue
            now = current.get((child.pk, indicator.code))
            now_numerator = now.numerator if now else 0
            now_denominator = now.denominator if now else None
            # No rows and a count of none are the same "no denominator" (the engine gives None or 0).
            if (numerator or 0) != (now_numerator or 0) or (
                    indicator.denominator is not None and (denominator or 0) != (now_denominator or 0)):
                changed.append({"unit": child, "unit_name": child.name, "code": indicator.code,
                                "frozen": _value(indicator, numerator, denominator),
                                "current": _value(indicator, now_numerator, now_denominator)})
        children.append(entry)

    consolidated = []
    for indicator in indicators:
        total = totals[indicator.code]
        numerator = total["own_numerator"] + total["children_numerator"]
        denominator = None
        if indicator.denominator is not None:
            parts = [part for part in (total["own_denominator"], total["children_denominator"]) if part is not None]
            denominator = sum(parts) if parts else None
        consolidated.append({
            "code": indicator.code, "name": str(indicator.name), "measure": indicator.measure,
            "numerator": numerator, "denominator": denominator, "value": _value(indicator, numerator, denominator),
            **{key: total[key] for key in ("own_numerator", "own_denominator", "children_numerator",
                                           "children_denominator")},
        })

    summary = completeness_summary(rows, level)
    return {
        "indicators": consolidated,
        "children": children,
        "not_counted": not_counted,
        "completeness": summary,
        "completeness_line": summary["line"],
        "timeliness_line": summary["timeliness_line"],
        "changed_since_approval": changed,
    }


__all__ = ["completeness", "completeness_summary", "consolidate", "child_level", "MISSING"]
