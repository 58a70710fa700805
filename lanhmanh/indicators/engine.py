"""The indicator engine: any set of indicators for any unit subtree and period, for the unit as a whole, broken
down by child unit, by commune, or by month.

Cost: one SQL query per *source* used (all its measures are aggregated together, each as a filtered aggregate),
one for the declarations of aggregate reporting, one for the aggregate values, one for the nodes (and one for the
subtree's units when rows are placed in Python) — so the number of queries depends on which indicators are asked
for, never on the number of units or rows. Rows are aggregated in the database in two stages: grouped by their
unit's key (no join to the units, no string work per row), then joined to the subtree's units and summed by the
node each unit counts for — the child's path prefix (`ChildPrefix`), or the root (see `_folded_rows`). For a
breakdown by commune, and for measures another measure reads per unit (`Measure.needs`), the rows grouped by unit
are placed on the nodes in Python instead, one dictionary step per unit. A breakdown by month is one filtered
aggregate per month in the same query. Sources whose rows are units themselves are grouped by path."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, IntegerField, Q, Value
from django.db.models.functions import StrIndex, Substr

from lanhmanh.core.scoping import path_q, scope_paths
from lanhmanh.indicators import periods
from lanhmanh.indicators.registry import FLOW, PERCENT, STOCK, Indicator, registry

# Who sees figures: aggregated numbers of a subtree, open to every role that may view the programme's records
# (and to support staff), never naming a person. Each membership's subtree bounds them.
FIGURES_PERMISSION = "indicators.view_aggregatedeclaration"

BY_CHOICES = ("children", "communes", "month")


def figures_scope(user) -> list[str] | None:
    """The subtree paths whose figures `user` may see (None: everywhere)."""
    return scope_paths(user, FIGURES_PERMISSION)


def unit_in_scope(user, code: str):
    """The current unit with `code` when its figures are within `user`'s scope, else None: the one check of every
    page and API that shows figures for a unit named in the request."""
    from lanhmanh.geo.models import AdminUnit

    unit = AdminUnit.objects.current().filter(code=code).first()
    return unit if unit is not None and sees_unit(user, unit) else None


def sees_unit(user, unit) -> bool:
    """May `user` see the figures of `unit`'s subtree?"""
    from lanhmanh.core.scoping import unit_within

    return unit_within(unit, figures_scope(user))


def ChildPrefix(path_field: str, root_path: str):
    """SQL for the path of the child of `root_path` a row's unit lies under ("VN/31/" → "VN/31/11473/"), or the
    root's own path for the root's own rows. substr/instr on SQLite, substr/strpos on PostgreSQL."""
    n = len(root_path)
    rest = Substr(F(path_field), n + 1)
    return Substr(F(path_field), 1, Value(n) + StrIndex(rest, Value("/")))


@dataclass
class IndicatorValue:
    indicator: Indicator
    unit: object  # AdminUnit
    period: periods.Period
    numerator: int | None
    denominator: int | None = None
    own: bool = False  # the root's own records in a breakdown (not in any child)

    @property
    def value(self) -> float | int | None:
        if self.indicator.denominator is None:
            return self.numerator
        if not self.denominator:
            return None  # no denominator: "no data", never 0 or a division by zero
        factor = 100 if self.indicator.measure == PERCENT else 1
        return factor * (self.numerator or 0) / self.denominator

    def as_dict(self) -> dict:
        value = self.value
        return {
            "indicator": self.indicator.code,
            "unit": self.unit.code,
            "unit_name": self.unit.name,
            "own": self.own,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": round(value, 2) if isinstance(value, float) else value,
        }


@dataclass
class Result:
    values: list[IndicatorValue] = field(default_factory=list)

    def __iter__(self):
        return iter(self.values)

    def get(self, code: str, unit=None, period=None) -> IndicatorValue | None:
        for value in self.values:
            if value.indicator.code == code and (unit is None or value.unit.pk == unit.pk) and (
                period is None or value.period == period
            ):
                return value
        return None

    def by_unit(self) -> dict:
        """{unit: {code: IndicatorValue}} in the order the units came."""
        rows: dict = {}
        for value in self.values:
            rows.setdefault(value.unit, {})[value.indicator.code] = value
        return rows


@dataclass
class Context:
    """What a measure's computation needs: the root, the windows, how to place a unit path on a node, the user's
    scope and the units whose figures come from aggregates instead of records."""

    root: object
    windows: list[periods.Period]
    by: str | None
    scope: list[str] | None
    nodes: dict[str, object]
    declared: dict[tuple[str, int], list[str]]  # (module, year) → paths in aggregate mode
    # Measures whose values per unit a custom computation reads (see Measure.needs): {key: {(path, window): value}}.
    per_unit: dict[str, dict] = field(default_factory=dict)
    _node_cache: dict = field(default_factory=dict)
    _units: dict | None = None
    _levels: dict = field(default_factory=dict)

    def unit(self, pk) -> tuple[str, int] | None:
        """(path, level) of the unit `pk` of the root's subtree, or None. The subtree's units are read once, in one
        query, the first time a row is placed: rows are grouped by their unit's key, never joined to the units."""
        if self._units is None:
            from lanhmanh.geo.models import AdminUnit

            self._units = {pk: (path, level) for pk, path, level in AdminUnit.objects.filter(
                path__startswith=self.root.path).values_list("pk", "path", "level")}
            self._levels = dict(self._units.values())
        return self._units.get(pk)

    def level_of(self, path: str) -> int | None:
        self.unit(None)
        return self._levels.get(path)

    def units_where(self, condition: Q):
        from lanhmanh.geo.models import AdminUnit

        return AdminUnit.objects.filter(condition).values("pk")

    def within(self, path_field: str, paths: list[str]) -> Q:
        """Rows whose unit lies under one of `paths`: through the unit key (a semi-join on the small units table)
        when the source reaches its unit by a foreign key, else on the path itself."""
        unit_field = unit_field_of(path_field)
        if unit_field is None:
            return path_q(path_field, paths)
        return Q(**{f"{unit_field}__in": self.units_where(path_q("path", paths))})

    def node_of(self, path: str) -> str | None:
        """The node path a unit path counts for, or None when it counts for none shown."""
        found = self._node_cache.get(path, False)
        if found is not False:
            return found
        root = self.root.path
        found = None
        if path.startswith(root):
            if self.by in (None, "month"):
                found = root
            elif self.by == "children":
                found = root + path[len(root):].split("/", 1)[0] + "/" if len(path) > len(root) else root
            else:  # communes: the commune the path lies in, else the root's own
                found = root
                cut = len(root)
                while (cut := path.find("/", cut) + 1) > 0:
                    if path[:cut] in self.nodes:
                        found = path[:cut]
                        break
            if found not in self.nodes:
                found = None
        self._node_cache[path] = found
        return found

    def exclusion(self, module: str | None, path_field: str, start, end, dated=None, cutoff=False) -> Q | None:
        """The rows of `module` between `start` and `end` to ignore because their unit reports aggregates for that
        year instead, or None. `dated(start, end)` selects a source's rows by date: a period across a year's end
        then excludes each year's rows by that year's declarations — the calendar year, or with `cutoff` the
        reporting year of Nghị định 09/2019 (15/12 of the year before to 14/12). Without it (stocks), the year of
        `end`."""
        if not module or not self.declared:
            return None
        if dated is None:
            paths = self.declared.get((module, end.year), [])
            return self.within(path_field, paths) if paths else None
        found = None
        for year in range(start.year, end.year + 2):
            if cutoff:
                first, last = datetime.date(year - 1, 12, 15), datetime.date(year, 12, 14)
            else:
                first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            first, last = max(start, first), min(end, last)
            paths = self.declared.get((module, year), [])
            if paths and first <= last:
                part = self.within(path_field, paths) & dated(first, last)
                found = part if found is None else found | part
        return found

    def ancestors_within(self, path: str, node: str) -> list[str]:
        """The paths strictly between `node` (included) and `path` (excluded)."""
        return [path[: i + 1] for i in range(len(node) - 1, len(path) - 1) if path[i] == "/"]

    def restrict(self, queryset, path_field: str, module: str | None = None, dated=None):
        """`queryset` narrowed to the root's subtree and the user's scope, without the rows of units that report
        `module` as aggregates over the windows (see `exclusion`)."""
        if unit_field_of(path_field) is None:
            queryset = queryset.filter(**{f"{path_field}__startswith": self.root.path})
        elif self.root.parent_id is not None:
            # Below the nation, reach the subtree's rows through the unit foreign key's index: a commune's few rows
            # are read directly instead of filtering the whole period's rows by path. At the nation every row is
            # in the subtree (and rows of units outside it are dropped when placed, see `unit`).
            queryset = queryset.filter(self.within(path_field, [self.root.path]))
        if self.scope is not None:
            queryset = queryset.filter(self.within(path_field, self.scope))
        excluded = self.exclusion(module, path_field, self.windows[0].start, self.windows[-1].end, dated,
                                  self.windows[0].is_cutoff)
        if excluded is not None:
            queryset = queryset.exclude(excluded)
        return queryset


def unit_field_of(path_field: str) -> str | None:
    """The foreign key to the owning unit behind a path lookup ("activity__unit__path" → "activity__unit"), or None
    when the rows are units themselves ("path")."""
    return path_field.removesuffix("__path") if path_field.endswith("__path") else None


def _nodes(root, by):
    from lanhmanh.geo.models import AdminUnit

    nodes = {root.path: root}
    if by == "children":
        children = AdminUnit.objects.current().filter(parent=root, level__lte=AdminUnit.Level.COMMUNE)
    elif by == "communes":
        children = AdminUnit.objects.current().filter(path__startswith=root.path, level=AdminUnit.Level.COMMUNE)
    else:
        return nodes
    for child in children.exclude(pk=root.pk).order_by("name"):
        nodes[child.path] = child
    return nodes


def _declarations(root, modules, years):
    """{(module, year): [paths]} of the units in aggregate mode in the subtree, or above it (which covers it)."""
    from lanhmanh.indicators.models import AggregateDeclaration

    if not modules:
        return {}
    above = [root.path[: i + 1] for i, ch in enumerate(root.path) if ch == "/"]
    rows = AggregateDeclaration.objects.filter(module__in=modules, year__in=years).filter(
        Q(unit__path__startswith=root.path) | Q(unit__path__in=above)
    ).values_list("module", "year", "unit__path")
    declared = defaultdict(list)
    for module, year, path in rows:
        # A declaration above the root covers the whole root.
        declared[(module, year)].append(path if path.startswith(root.path) else root.path)
    return declared


def _source_values(ctx, source, measures, out):
    """All `measures` of one source in one query. Rows of units in aggregate mode are left out of each measure and
    window by its own filter (units may declare one module and not another, one year and not the next), so the
    table is still read once."""
    queryset = ctx.restrict(source.queryset(), source.path)
    first, last = ctx.windows[0].start, ctx.windows[-1].end
    if source.prefilter is not None:
        queryset = queryset.filter(source.prefilter(first, last))
    annotations = {}
    columns = []  # (measure key, window index) of each annotation, in order
    for m_index, measure in enumerate(measures):
        dated = source.prefilter if measure.kind == FLOW else None
        for w_index, window in enumerate(ctx.windows):
            excluded = ctx.exclusion(measure.module, source.path, window.start, window.end, dated, window.is_cutoff)
            extra = ~excluded if excluded is not None else None
            annotations[f"m{m_index}_w{w_index}"] = measure.expression(window.start, window.end, extra)
            columns.append((measure.key, w_index))
    queryset = queryset.order_by()
    unit_field = unit_field_of(source.path)
    per_unit = [(index, ctx.per_unit[key], w_index) for index, (key, w_index) in enumerate(columns)
                if key in ctx.per_unit]
    if unit_field is not None and ctx.by != "communes" and not per_unit:
        rows = _folded_rows(ctx, queryset.values(unit_field).annotate(**annotations), unit_field, list(annotations))
    elif unit_field is not None:
        # Grouped by the unit key alone, then placed on the nodes here, one dictionary step per unit with rows: for
        # a breakdown by commune, and for measures whose values per unit a custom computation reads. (The units are
        # read whether or not rows come, so the number of queries never depends on the data.)
        ctx.unit(None)
        rows = []
        for unit_pk, *values in queryset.values(unit_field).annotate(**annotations).values_list(
                unit_field, *annotations):
            unit = ctx.unit(unit_pk)
            if unit is None:
                continue
            for index, found, w_index in per_unit:
                if values[index]:
                    found[(unit[0], w_index)] = values[index]
            rows.append((ctx.node_of(unit[0]), values))
    elif ctx.by == "children":
        rows = [(ctx.node_of(node), values) for node, *values in queryset.annotate(
            node=ChildPrefix(source.path, ctx.root.path)).values("node").annotate(**annotations).values_list(
            "node", *annotations)]
    elif ctx.by == "communes":
        rows = [(ctx.node_of(path), values) for path, *values in queryset.values(source.path).annotate(
            **annotations).values_list(source.path, *annotations)]
    else:
        totals = queryset.aggregate(**annotations)
        rows = [(ctx.root.path, [totals[name] for name in annotations])]
    for node, values in rows:
        if node is None:
            continue
        for (key, w_index), value in zip(columns, values, strict=True):
            if value is not None:
                out[(key, node, w_index)] = out.get((key, node, w_index), 0) + value


def _folded_rows(ctx, grouped, unit_field: str, names: list[str]) -> list:
    """[(node path, [values])] of a source's rows `grouped` by their unit key, folded onto the nodes in the
    database: the grouped rows (one per unit, read without joining the units) are joined to the subtree's units
    and summed by the node each unit counts for — the child's path prefix, or the root."""
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    from lanhmanh.geo.models import AdminUnit

    node = ChildPrefix("path", ctx.root.path) if ctx.by == "children" else Value(ctx.root.path)
    units = AdminUnit.objects.filter(path__startswith=ctx.root.path).annotate(node=node).values("pk", "node").order_by()
    try:
        grouped_sql, grouped_params = grouped.query.sql_with_params()
        units_sql, units_params = units.query.sql_with_params()
    except EmptyResultSet:  # nothing can match (e.g. a user who sees no unit): no row, no query
        return []
    q = connection.ops.quote_name
    # Counts and sums of whole numbers come back as integers on both databases (PostgreSQL's SUM of bigint is
    # numeric); any other aggregate is summed as it is.
    sums = ", ".join(
        f"CAST(SUM(g.{q(name)}) AS BIGINT)"
        if isinstance(grouped.query.annotations[name].output_field, IntegerField) else f"SUM(g.{q(name)})"
        for name in names)
    sql = (f"SELECT n.node, {sums} FROM ({grouped_sql}) g "
           f"INNER JOIN ({units_sql}) n ON n.{q('pk')} = g.{q(unit_field)} GROUP BY n.node")
    with connection.cursor() as cursor:
        cursor.execute(sql, (*grouped_params, *units_params))
        return [(ctx.node_of(node), values) for node, *values in cursor.fetchall()]


def _last_month(window) -> tuple[int, int]:
    """The last data-entry month a window reaches: the month holding its end when the end is past the 14th."""
    end = window.end
    if end.day >= periods.CUTOFF_DAY - 1:
        return end.year, end.month
    return (end.year, end.month - 1) if end.month > 1 else (end.year - 1, 12)


def _aggregate_values(ctx, measures, out):
    """Adds the entered aggregates of units in aggregate mode: a flow summed over the window's months; a stock taken,
    for each declaring unit, at its latest month with a value up to the window's end in that year, then added up
    onto the node (so a province's stock is the sum of its communes' latest figures)."""
    from django.db.models import Sum

    from lanhmanh.indicators.models import AggregateValue

    entered = {m.key: m for m in measures if m.module and ctx.declared}
    if not entered:
        return
    months = [set(window.reporting_months()) for window in ctx.windows]
    lasts = [_last_month(window) for window in ctx.windows]
    years = sorted({y for window in months for y, _m in window} | {y for y, _m in lasts})
    queryset = AggregateValue.objects.filter(
        measure__in=list(entered), declaration__year__in=years, declaration__unit__path__startswith=ctx.root.path,
    )
    if ctx.scope is not None:
        queryset = queryset.filter(path_q("declaration__unit__path", ctx.scope))
    rows = queryset.order_by().values(
        "measure", "declaration__year", "month", "declaration__module", "declaration__unit__path",
    ).annotate(total=Sum("value"))
    latest: dict = {}  # (measure, unit path, window) → ((year, month), value) for stocks
    for row in rows:
        measure = entered[row["measure"]]
        if measure.module != row["declaration__module"]:
            continue
        path = row["declaration__unit__path"]
        node = ctx.node_of(path)
        if node is None:
            continue
        ym = (row["declaration__year"], row["month"])
        for w_index in range(len(ctx.windows)):
            if measure.kind == STOCK:
                last = lasts[w_index]
                if ym[0] == last[0] and ym <= last:
                    key = (measure.key, path, w_index)
                    if key not in latest or ym > latest[key][0]:
                        latest[key] = (ym, row["total"], node)
            elif ym in months[w_index]:
                key = (measure.key, node, w_index)
                out[key] = out.get(key, 0) + row["total"]
                if measure.key in ctx.per_unit and row["total"]:
                    unit_key = (path, w_index)
                    ctx.per_unit[measure.key][unit_key] = ctx.per_unit[measure.key].get(unit_key, 0) + row["total"]
    for (measure_key, _path, w_index), (_ym, value, node) in latest.items():
        key = (measure_key, node, w_index)
        out[key] = out.get(key, 0) + value


def compute(codes, unit, period: periods.Period, *, by: str | None = None, user=None) -> Result:
    """The values of the indicators `codes` for `unit`'s subtree over `period`.

    by=None: one value per indicator. by="children": one per current child unit (communes of a province, provinces
    of the nation), plus the unit's own records (`own`) when it has any. by="communes": one per commune of the
    subtree. by="month": one per month of the period. With a `user`, only the units they may see count."""
    if by not in (None, *BY_CHOICES):
        raise ValueError(f"unknown breakdown {by!r}")
    indicators = [registry.get(code) for code in dict.fromkeys(codes)]
    windows = period.months() if by == "month" else [period]
    measures = {}
    for indicator in indicators:
        for measure in (indicator.numerator, indicator.denominator):
            if measure is not None:
                measures[measure.key] = measure
                for needed in measure.needs:
                    measures.setdefault(needed.key, needed)
    scope = scope_paths(user, FIGURES_PERMISSION) if user is not None else None
    modules = sorted({m.module for m in measures.values() if m.module}
                     | {module for m in measures.values() for module in m.reads})
    years = sorted(set(range(period.start.year, period.end.year + 2))
                   | {y for w in windows for y, _m in w.reporting_months()})
    for measure in list(measures.values()):
        for needed in measure.needs:
            # Per-unit values are collected from sources reached through a unit key, for flows (see _source_values).
            if needed.compute is not None or unit_field_of(needed.source.path) is None or needed.kind != FLOW:
                raise ValueError(f"{measure.key} needs {needed.key}, which has no values per unit")
    ctx = Context(root=unit, windows=windows, by=by, scope=scope, nodes=_nodes(unit, by),
                  declared=_declarations(unit, modules, years),
                  per_unit={needed.key: {} for m in measures.values() for needed in m.needs})
    out: dict = {}
    by_source: dict = {}
    for measure in measures.values():
        if measure.compute is None:
            by_source.setdefault(measure.source, []).append(measure)
    for source, source_measures in by_source.items():
        _source_values(ctx, source, source_measures, out)
    _aggregate_values(ctx, list(measures.values()), out)
    # Custom computations last: they may read the per-unit values of the measures they need.
    for measure in measures.values():
        if measure.compute is not None:
            for (node, w_index), value in measure.compute(ctx).items():
                if value is not None:
                    out[(measure.key, node, w_index)] = out.get((measure.key, node, w_index), 0) + value
    return _result(ctx, indicators, out)


def _result(ctx, indicators, out) -> Result:
    result = Result()
    root_path = ctx.root.path
    node_paths = list(ctx.nodes)
    if ctx.by in ("children", "communes"):
        # The root's own row only when it has figures of its own.
        own_keys = {key[1] for key in out if key[1] == root_path}
        node_paths = [p for p in node_paths if p != root_path] + ([root_path] if own_keys else [])
    for path in node_paths:
        node = ctx.nodes[path]
        for w_index, window in enumerate(ctx.windows):
            for indicator in indicators:
                numerator = out.get((indicator.numerator.key, path, w_index), 0)
                denominator = None
                if indicator.denominator is not None:
                    # No record counted: 0 (the value is still "no data"); a figure nobody entered: None.
                    denominator = out.get((indicator.denominator.key, path, w_index),
                                          0 if indicator.denominator.counts_rows else None)
                result.values.append(IndicatorValue(
                    indicator, node, window, numerator, denominator,
                    own=ctx.by in ("children", "communes") and path == root_path,
                ))
    return result


def compare(codes, unit, period: periods.Period, *, by=None, user=None) -> tuple[Result, Result]:
    """The values for `period` and for the same period a year earlier."""
    return (compute(codes, unit, period, by=by, user=user),
            compute(codes, unit, period.year_earlier(), by=by, user=user))


def change_percent(current, previous) -> float | None:
    if current is None or not previous:
        return None
    return 100 * (current - previous) / previous


__all__ = ["FLOW", "STOCK", "compute", "compare", "IndicatorValue", "Result"]
