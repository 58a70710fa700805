"""The indicator registry. Domain apps declare, in their own `indicators.py`:

- **sources**: a table of rows that belong to units (a queryset factory and the lookup of the owning unit's path);
- **measures** (data elements): one number of a source for a unit subtree and a period — a count or a sum of the
  rows meeting a condition. A *flow* takes the rows of the period (visits held in it); a *stock* the rows standing
  at its end (businesses under management on 31/12). A measure with a `module` can instead be entered as monthly
  aggregates by units that declared aggregate reporting for that module (`AggregateDeclaration`);
- **indicators**: a numerator measure and optionally a denominator measure, with a code, names and unit of
  measure. A ratio is Σ numerators ÷ Σ denominators over the subtree, never an average of percentages.

Measures of one source are computed together in a single SQL query (see engine.py)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Value

FLOW, STOCK = "flow", "stock"
COUNT, PERCENT, VND = "count", "percent", "vnd"


@dataclass(frozen=True, eq=False)
class Source:
    key: str
    queryset: Callable[[], QuerySet]
    path: str = "unit__path"
    # Rows worth reading at all for a range of days (an indexed date filter); None reads the whole subtree.
    prefilter: Callable[[datetime.date, datetime.date], Q] | None = None


@dataclass(frozen=True, eq=False)
class Measure:
    key: str
    label: str
    source: Source | None
    kind: str = FLOW
    # Flow: condition(start, end) selects the rows of the period. Stock: condition(start, end) selects the rows
    # standing at `end` (start is given for stocks that depend on the period, e.g. the budget years it touches).
    condition: Callable[[datetime.date, datetime.date], Q] | None = None
    # The aggregate over the selected rows: COUNT(1) unless given, e.g. lambda q: Sum("amount", filter=q).
    aggregate: Callable[[Q], object] | None = None
    # Aggregate data sets: the module a unit declares aggregate reporting for; None when the measure can't be
    # entered (e.g. the number of communes).
    module: str | None = None
    # A custom computation (when a single grouped query cannot say it): compute(context) → {(node, window): value}.
    compute: Callable | None = None
    # Modules whose aggregate declarations a custom computation reads (without being entered itself).
    reads: tuple[str, ...] = ()
    # Measures a custom computation reads per unit (context.per_unit), computed along with the others.
    needs: tuple["Measure", ...] = ()
    help_text: str = ""

    @property
    def counts_rows(self) -> bool:
        """A count of records: with no record it is 0, not "no data" (an entered or summed figure is)."""
        if self.compute is not None or self.source is None:
            return False
        return self.aggregate is None or isinstance(self.aggregate(Q()), Count)

    def expression(self, start, end, extra: Q | None = None):
        """The aggregate of the period's rows, restricted further by `extra` when given."""
        condition = self.condition(start, end) if self.condition else Q()
        if extra is not None:
            condition &= extra
        if self.aggregate is not None:
            return self.aggregate(condition)
        # COUNT(1), not COUNT(id): a count that names no column can be read from an index alone.
        return Count(Value(1), filter=condition) if condition else Count(Value(1))


@dataclass(frozen=True, eq=False)
class Indicator:
    code: str
    name: str
    name_en: str
    measure: str  # COUNT, PERCENT or VND
    numerator: Measure
    denominator: Measure | None = None
    module: str = ""
    description: str = ""
    # Where the records behind a number are listed: records_url(unit, period) → URL or None.
    records_url: Callable | None = None
    # Lower is better (e.g. overdue tips): targets read "≤" and marks invert.
    lower_is_better: bool = False
    sort_order: int = 0

    @property
    def aggregation(self) -> str:
        return self.numerator.kind

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None


@dataclass
class Registry:
    measures: dict[str, Measure] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)

    def measure(self, measure: Measure) -> Measure:
        if measure.key in self.measures and self.measures[measure.key] is not measure:
            raise ValueError(f"measure {measure.key} declared twice")
        self.measures[measure.key] = measure
        return measure

    def indicator(self, indicator: Indicator) -> Indicator:
        if indicator.code in self.indicators:
            raise ValueError(f"indicator {indicator.code} declared twice")
        for measure in (indicator.numerator, indicator.denominator):
            if measure is not None:
                self.measure(measure)
        self.indicators[indicator.code] = indicator
        return indicator

    def module(self, key: str, label: str):
        self.modules[key] = label

    def get(self, code: str) -> Indicator:
        return self.indicators[code]

    def all(self) -> list[Indicator]:
        return sorted(self.indicators.values(), key=lambda i: (i.sort_order, i.code))

    def entry_measures(self, module: str) -> list[Measure]:
        """The measures a unit in aggregate mode enters for `module`, in declaration order."""
        return [m for m in self.measures.values() if m.module == module]


registry = Registry()


def records(url_name: str, date_param: str | None = None, **extra):
    """records_url for an indicator: the list page of `url_name` filtered to the unit's subtree and the period."""

    def url(unit, period):
        from urllib.parse import urlencode

        from django.urls import reverse

        params = {"unit": unit.pk, **extra}
        if date_param:
            params[f"{date_param}_after"] = period.start.isoformat()
            params[f"{date_param}_before"] = period.end.isoformat()
        return f"{reverse(url_name)}?{urlencode(params)}"

    return url


def between(field_name: str):
    """condition(start, end) for a flow dated by `field_name`."""

    def condition(start, end):
        return Q(**{f"{field_name}__gte": start, f"{field_name}__lte": end})

    return condition
