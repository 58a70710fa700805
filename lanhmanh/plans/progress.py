"""How a plan's targets stand on a day: the actual value from the indicator engine for the period so far, the value
expected by then, and a mark (on track / at risk / off track / no data; achieved / not achieved once the period is
over). Dashboards and reports read targets through here only.

Expected progress: a count or amount that flows over the year (visits, activities) is expected pro-rata to the
days gone by — 60 sessions a year are 30 by the end of June (a count rounded to a whole number). A percentage, a
stock (businesses under management) and a change against last year are expected in full at any date."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from lanhmanh.indicators import engine, periods
from lanhmanh.indicators.registry import COUNT, FLOW, PERCENT
from lanhmanh.plans.models import Comparison, Plan, Target, TargetKind

# Within this share of the expected value (10%), a target not yet met is at risk rather than off track.
AT_RISK_MARGIN = Decimal("0.10")


class Mark:
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    NO_DATA = "no_data"

    LABELS = {
        ON_TRACK: _("Đúng tiến độ"),
        AT_RISK: _("Có nguy cơ không đạt"),
        OFF_TRACK: _("Chậm tiến độ"),
        ACHIEVED: _("Đạt"),
        NOT_ACHIEVED: _("Không đạt"),
        NO_DATA: _("Chưa có số liệu"),
    }
    # Bootstrap contextual colours of the badges.
    COLOURS = {
        ON_TRACK: "success", ACHIEVED: "success", AT_RISK: "warning", OFF_TRACK: "danger", NOT_ACHIEVED: "danger",
        NO_DATA: "secondary",
    }


@dataclass
class TargetProgress:
    target: Target
    unit: object  # the AdminUnit measured
    period: periods.Period  # the target's whole period
    window: periods.Period | None  # the part of it gone by (None before it starts)
    actual: float | int | None  # the indicator's value so far, or the change against last year (%)
    expected: float | None  # the value expected by now
    goal: float | None  # the target value itself (localised for a child unit when it has its own)
    mark: str
    final: bool  # the period is over: achieved / not achieved
    numerator: int | None = None
    denominator: int | None = None
    previous: float | int | None = None  # last year's value for a change target

    @property
    def mark_label(self):
        return Mark.LABELS[self.mark]

    @property
    def colour(self) -> str:
        return Mark.COLOURS[self.mark]

    @property
    def achieved(self) -> bool | None:
        """For reports: met (True), not met (False), or unknown (None)."""
        if self.mark in (Mark.ON_TRACK, Mark.ACHIEVED):
            return True
        if self.mark in (Mark.OFF_TRACK, Mark.NOT_ACHIEVED, Mark.AT_RISK):
            return False if self.final or self.mark != Mark.AT_RISK else None
        return None


def expected_value(target: Target, today: datetime.date, goal=None) -> float | None:
    """The value `target` asks for by the end of `today`."""
    goal = target.value if goal is None else goal
    if goal is None:
        return None
    definition = target.indicator_def
    if (target.kind == TargetKind.VALUE and definition is not None and definition.measure != PERCENT
            and not definition.is_ratio and definition.aggregation == FLOW):
        share = float(goal) * target.period().elapsed_share(today)
        # Counts are whole: 10.03 sessions expected by now are 10.
        return float(round(share)) if definition.measure == COUNT else share
    return float(goal)


def judge(comparison: str, actual, expected, goal, *, final: bool) -> str:
    """The mark of a value against what is expected by now (`expected`) and the whole target (`goal`)."""
    if actual is None or expected is None:
        return Mark.NO_DATA
    actual, expected, goal = Decimal(str(actual)), Decimal(str(expected)), Decimal(str(goal))
    margin = abs(expected) * AT_RISK_MARGIN
    if comparison == Comparison.GTE:
        met, near = actual >= expected, actual >= expected - margin
    elif comparison == Comparison.LTE:
        # An upper limit: within the pro-rata share is on track; over it but under the whole limit, at risk.
        met, near = actual <= expected, actual <= max(goal, expected + margin)
    else:
        met, near = abs(actual - expected) < Decimal("0.005") * max(abs(expected), 1), abs(actual - expected) <= margin
    if final:
        return Mark.ACHIEVED if met else Mark.NOT_ACHIEVED
    if met:
        return Mark.ON_TRACK
    return Mark.AT_RISK if near else Mark.OFF_TRACK


def _window(period: periods.Period, today: datetime.date) -> periods.Period | None:
    if today < period.start:
        return None
    return periods.Period(period.start, min(today, period.end), period.label)


def evaluate(targets, unit, today: datetime.date, *, by: str | None = None, user=None, localise: bool = True):
    """[TargetProgress] for each target (in order) measured on `unit`'s subtree — or, with by="children", one list
    per child unit: {child: [TargetProgress]} against the child's own localised target where it issued one.

    Queries: per distinct target period, one engine run for the targets' indicators (and one for last year when
    a target is a change); one for the children's localised targets. Independent of the number of units."""
    targets = list(targets)
    measured = [t for t in targets if t.indicator_def is not None]
    results: dict = {}  # (target pk, unit path) → (IndicatorValue, previous IndicatorValue)
    units: dict = {}
    groups: dict = {}
    for target in measured:
        window = _window(target.period(), today)
        if window is not None:
            groups.setdefault(window, []).append(target)
    for window, group in groups.items():
        codes = [t.indicator for t in group]
        current = engine.compute(codes, unit, window, by=by, user=user)
        previous = None
        if any(t.kind == TargetKind.CHANGE for t in group):
            previous = engine.compute(codes, unit, window.year_earlier(), by=by, user=user)
        for value in current:
            if value.own:
                continue
            units[value.unit.path] = value.unit
            before = previous.get(value.indicator.code, value.unit) if previous else None
            for target in group:
                if target.indicator == value.indicator.code:
                    results[(target.pk, value.unit.path)] = (value, before)
    goals = _localised_goals(targets) if by == "children" and localise else {}

    def progress(target, measured_unit):
        period = target.period()
        window = _window(period, today)
        final = today >= period.end
        if target.indicator_def is None:
            mark = {Target.Assessment.ACHIEVED: Mark.ACHIEVED if final else Mark.ON_TRACK,
                    Target.Assessment.NOT_ACHIEVED: Mark.NOT_ACHIEVED if final else Mark.OFF_TRACK}.get(
                target.assessment, Mark.NO_DATA)
            return TargetProgress(target, measured_unit, period, window, None, None, None, mark, final)
        goal = goals.get((target.pk, measured_unit.path), target.value)
        found = results.get((target.pk, measured_unit.path))
        if found is None:
            return TargetProgress(target, measured_unit, period, window, None, expected_value(target, today, goal),
                                  float(goal), Mark.NO_DATA, final)
        value, before = found
        if target.kind == TargetKind.CHANGE:
            previous = before.value if before else None
            actual = engine.change_percent(value.value, previous)
            expected = float(goal)
        else:
            previous = None
            actual = value.value
            expected = expected_value(target, today, goal)
        return TargetProgress(
            target, measured_unit, period, window, actual, expected, float(goal),
            judge(target.comparison, actual, expected, goal, final=final), final,
            value.numerator, value.denominator, previous,
        )

    if by != "children":
        return [progress(target, unit) for target in targets]
    children = _children(unit) if not units else [u for p, u in units.items() if p != unit.path]
    return {child: [progress(target, child) for target in targets] for child in children}


def _children(unit):
    from lanhmanh.geo.models import AdminUnit

    return list(AdminUnit.objects.current().filter(parent=unit, level__lte=AdminUnit.Level.COMMUNE).order_by("name"))


def _localised_goals(targets) -> dict:
    """{(upper target pk, child path): value} of the children's own targets derived from `targets`, from plans of
    the same year; an issued plan's value over a draft's. One query."""
    rows = Target.objects.filter(
        upper_target__in=[t.pk for t in targets], value__isnull=False,
        plan__year__in=Plan.objects.filter(pk__in={t.plan_id for t in targets}).values("year"),
    ).order_by("plan__status", "plan__pk").values_list("upper_target_id", "plan__unit__path", "value")
    # "draft" sorts before "issued": the issued plan's value is written last and stands.
    return {(upper, path): value for upper, path, value in rows}


def current_plan(unit, year: int):
    """The unit's plan for `year`: the issued one, else its latest draft."""
    return (Plan.objects.filter(unit=unit, year=year).order_by("-status", "-issued_on", "-pk").first())
