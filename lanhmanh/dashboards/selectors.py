"""What a unit's dashboard and the indicator explorer show, read from the indicator engine and plan progress.

Query budget (a dashboard at national scale must not grow with the number of units or records): the plan, its
targets, its open tasks (one query each); the plan progress for the unit and for its children (one engine run per
distinct target window each, see plans.progress.evaluate); one engine run by month for the charts. Nothing here
loops over units or records with a query inside."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max
from django.http import Http404
from django.utils import timezone

from lanhmanh.core.scoping import can_use_unit, scope_paths
from lanhmanh.indicators import engine, periods
from lanhmanh.indicators.registry import FLOW, PERCENT, registry
from lanhmanh.plans import progress
from lanhmanh.plans.models import Plan, TargetKind

# Shown on a unit with no plan for the year (and as the explorer's default choice): one or two figures per
# task group of the seeds' plans.
KEY_INDICATORS = (
    "BUS_MANAGED", "BUS_COMMITMENT_PCT", "INSP_SESSIONS", "INSP_COVERAGE_PCT", "TIPS_RECEIVED", "TIPS_ON_TIME_PCT",
    "CASES_CRIMINAL", "COMM_ACTIVITIES", "STAFF_TRAINED_PCT", "SUPPORT_REACHED_PCT", "BUDGET_EXECUTION_PCT",
)
DUE_WITHIN_DAYS = 30


def today() -> datetime.date:
    """The day the dashboards are judged on (one place, so tests can pin it)."""
    return timezone.localdate()


def key_indicators() -> list[str]:
    return [code for code in KEY_INDICATORS if code in registry.indicators]


def visible_unit(user, code: str):
    """The current unit `code` when it lies in the user's figures scope, else 404 (never a 403 that would confirm
    the unit exists to someone outside it)."""
    unit = engine.unit_in_scope(user, code)
    if unit is None:
        raise Http404
    return unit


def home_units(user) -> list:
    """The units whose dashboards a user starts from: the top of each subtree they see figures of."""
    from lanhmanh.geo.models import AdminUnit

    scope = scope_paths(user, engine.FIGURES_PERMISSION)
    if scope is None:
        return list(AdminUnit.objects.current().filter(level=AdminUnit.Level.NATION).order_by("code")[:1])
    return list(AdminUnit.objects.filter(path__in=scope).order_by("path"))


def is_cumulative(indicator, target=None) -> bool:
    """A count or amount that flows over the period: its months add up, and its target is reached pro-rata."""
    if target is not None and target.kind != TargetKind.VALUE:
        return False
    return indicator.aggregation == FLOW and not indicator.is_ratio and indicator.measure != PERCENT


@dataclass
class TargetRow:
    progress: progress.TargetProgress
    records_url: str | None

    @property
    def target(self):
        return self.progress.target

    @property
    def indicator(self):
        return self.progress.target.indicator_def


@dataclass
class ChildRow:
    unit: object
    cells: list  # [(TargetProgress | IndicatorValue, records_url | None)] in the order of the columns


@dataclass
class TaskRow:
    task: object
    next_due: datetime.date | None
    overdue: bool
    last_update: datetime.date | None


@dataclass
class Dashboard:
    unit: object
    year: int
    today: datetime.date
    period: periods.Period  # the plan year
    window: periods.Period | None  # the part of it gone by
    plan: object = None
    targets: list[TargetRow] = field(default_factory=list)
    key_values: list = field(default_factory=list)  # [(IndicatorValue, records_url)] when there is no plan
    columns: list = field(default_factory=list)  # the children table's columns: targets, or key indicators
    children: list[ChildRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)

    @property
    def has_plan(self) -> bool:
        return self.plan is not None


def _records(indicator, unit, period):
    if indicator is None or indicator.records_url is None or period is None:
        return None
    return indicator.records_url(unit, period)


def plan_for(unit, year, user):
    """The unit's plan for the year when the user may read plans there."""
    plan = progress.current_plan(unit, year)
    if plan is None:
        return None
    return plan if can_use_unit(user, Plan, "view", unit) else None


def has_children(unit) -> bool:
    """Whether the engine breaks the unit down by child: communes are its leaves (residential groups record
    nothing of their own)."""
    from lanhmanh.geo.models import AdminUnit

    return unit.level < AdminUnit.Level.COMMUNE


def unit_dashboard(unit, year: int, user, *, on: datetime.date | None = None) -> Dashboard:
    on = on or today()
    breakdown = has_children(unit)
    period = periods.year(year)
    window = periods.Period(period.start, min(on, period.end), period.label) if on >= period.start else None
    board = Dashboard(unit=unit, year=year, today=on, period=period, window=window)
    board.plan = plan_for(unit, year, user)
    if board.plan is not None:
        targets = list(board.plan.targets.all())
        for row in progress.evaluate(targets, unit, on, user=user):
            board.targets.append(TargetRow(row, _records(row.target.indicator_def, unit, row.window)))
        board.columns = [t for t in targets if t.indicator_def is not None]
        by_child = (progress.evaluate(board.columns, unit, on, by="children", user=user)
                    if board.columns and breakdown else {})
        for child, rows in by_child.items():
            board.children.append(ChildRow(child, [
                (row, _records(row.target.indicator_def, child, row.window)) for row in rows]))
        board.tasks = _tasks(board.plan, on)
        board.charts = _charts(unit, board.columns, period, on, user)
    elif window is not None:
        codes = key_indicators()
        values = engine.compute(codes, unit, window, user=user)
        board.key_values = [(v, _records(v.indicator, unit, window)) for v in values]
        board.columns = [registry.get(code) for code in codes]
        by_child = engine.compute(codes, unit, window, by="children", user=user) if breakdown else engine.Result()
        for child, cells in by_child.by_unit().items():
            if child.pk == unit.pk:
                continue  # the unit's own records are in its total, not a child's row
            board.children.append(ChildRow(child, [
                (cells[code], _records(cells[code].indicator, child, window)) for code in codes]))
    return board


def _tasks(plan, on):
    """Open tasks of the plan due within DUE_WITHIN_DAYS days or overdue, soonest first. One query."""
    horizon = on + datetime.timedelta(days=DUE_WITHIN_DAYS)
    rows = []
    tasks = plan.tasks.open().select_related("lead_agency", "plan").annotate(last_update=Max("updates__on"))
    for task in tasks:
        due = task.next_due(on)
        overdue = task.is_overdue(on, task.last_update)
        if overdue or (due is not None and due <= horizon):
            rows.append(TaskRow(task, due, overdue, task.last_update))
    rows.sort(key=lambda r: (not r.overdue, r.next_due or datetime.date.max, r.task.order, r.task.pk))
    return rows


def _charts(unit, targets, period, on, user) -> list[dict]:
    """Per measured target, its monthly values over the plan year (up to today) and, for a flow, the cumulative
    line against the pro-rata target line. One engine run for all of them."""
    if not targets or on < period.start:
        return []
    months = period.months()
    result = engine.compute([t.indicator for t in targets], unit, period, by="month", user=user)
    charts = []
    for target in targets:
        indicator = target.indicator_def
        values = {v.period: v.value for v in result if v.indicator.code == target.indicator}
        monthly = [_round(values.get(m)) if m.start <= on else None for m in months]
        chart = {
            "id": f"target-{target.pk}",
            "title": target.text,
            "labels": [f"{m.start.month:02d}/{m.start.year}" for m in months],
            "monthly": monthly,
            "percent": indicator.measure == PERCENT,
            "cumulative": None,
            "goal": None,
        }
        goal = float(target.value) if target.value is not None else None
        if is_cumulative(indicator, target):
            running, cumulative = 0, []
            for m, value in zip(months, monthly, strict=True):
                running += value or 0
                cumulative.append(_round(running) if m.start <= on else None)
            chart["cumulative"] = cumulative
            if goal is not None:
                chart["goal"] = [_round(goal * period.elapsed_share(m.end)) for m in months]
        elif goal is not None and target.kind == TargetKind.VALUE:
            chart["goal"] = [goal for _m in months]
        charts.append(chart)
    return charts


def _round(value):
    return round(value, 2) if isinstance(value, float) else value


# -- the indicator explorer ------------------------------------------------------------------------


@dataclass
class ExplorerRow:
    indicator: object
    current: engine.IndicatorValue
    previous: engine.IndicatorValue
    change: float | None
    records_url: str | None
    ranking: list  # [(rank | None, IndicatorValue, previous IndicatorValue | None, records_url)]


def ranking_key(indicator):
    """Best first (highest, or lowest when lower is better); "no data" last."""

    def key(value):
        if value.value is None:
            return (1, 0, value.unit.name)
        return (0, value.value if indicator.lower_is_better else -value.value, value.unit.name)

    return key


def explore(codes, unit, period: periods.Period, user) -> list[ExplorerRow]:
    """Each indicator for the unit and period, last year's value and the change, and its children ranked.
    Four engine runs whatever the number of indicators and children."""
    if not codes:
        return []
    current, previous = engine.compare(codes, unit, period, user=user)
    by_child, by_child_before = (engine.compare(codes, unit, period, by="children", user=user) if has_children(unit)
                                 else (engine.Result(), engine.Result()))
    before = {(v.indicator.code, v.unit.pk): v for v in by_child_before if not v.own}
    rows = []
    for code in codes:
        indicator = registry.get(code)
        now, then = current.get(code), previous.get(code)
        children = sorted((v for v in by_child if v.indicator.code == code and not v.own), key=ranking_key(indicator))
        ranking, rank = [], None
        for index, value in enumerate(children):
            # Equal values share a rank (1, 1, 3); "no data" has none.
            if value.value is None:
                rank = None
            elif not ranking or ranking[-1][1].value != value.value:
                rank = index + 1
            ranking.append((rank, value, before.get((code, value.unit.pk)), _records(indicator, value.unit, period)))
        rows.append(ExplorerRow(indicator, now, then, engine.change_percent(now.value, then.value),
                                _records(indicator, unit, period), ranking))
    return rows
