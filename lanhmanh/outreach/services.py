"""Writes and figures of the communication records that are more than one row's.

Writing: `save_activity` stores an activity with its audiences (participants per target group) and keeps the
activity's `participants_total` equal to their sum, so lists and totals read one column.

Figures, for a unit's subtree and a period, each in a constant number of queries (the rows are fetched grouped
by `unit__path` and attributed to the unit or to each of its children in Python):

- `activity_figures(unit, start, end)` — activities, participants (in total and per target group), materials,
  activities per kind;
- `reach(unit, year)` — for students, workers at at-risk businesses and industrial-zone workers: participants in
  the year ÷ the group's population (the programme's "reach 30% of students" — seed 002);
- `communes_with_activity(unit, start, end)` — communes with at least one activity ÷ communes (seed 002: "100% of
  communes run at least one form of communication");
- `residential_groups_with_activity(unit, start, end)` — residential groups with at least one activity ÷ groups
  (seed 003: "100% of residential groups communicate");
- `outreach_summary(unit, year)` — all of the above for the unit and for each unit directly below it.

**Populations ("no data" and partly recorded subtrees).** A unit's population of a target group is what it
recorded for the year (`TargetPopulation`); where a unit and units below it both recorded one, the highest unit's
figure counts and the ones below it are ignored (it already includes them). For workers at at-risk businesses and
for residential groups, the parts of the subtree without a recorded figure fall back to the registry (the workers
of the businesses subject to management and not closed, as the registry holds them today) and to the
administrative tree (current residential groups). The percentage compares like with like: its numerator counts
only the participants of activities held in units whose population is known ("covered"), so a province where 12
of 20 communes recorded their students gets the reach of those 12, and says so (`communes_covered` of
`communes_total`). Province-level activities count towards a percentage only when the province's own figure is
used. With no population known at all — or a population of zero — the percentage is None ("Chưa có số liệu"),
never 0% and never a division by zero. Percentages are floats, unrounded: round them for display only.
"""

import datetime
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from lanhmanh.core.services import record_create, save_versioned
from lanhmanh.outreach.models import (
    REACH_GROUPS,
    ActivityAudience,
    ActivityKind,
    CommunicationActivity,
    TargetGroup,
    TargetPopulation,
)

# -- writing an activity with its audiences --------------------------------------------------------


def normalise_audiences(audiences) -> list[tuple[str, int | None]]:
    """[(target group, participants or None)] from dicts ({"target_group", "participants"}) or pairs."""
    result = []
    for item in audiences or ():
        if isinstance(item, dict):
            result.append((item.get("target_group"), item.get("participants")))
        else:
            group, participants = item
            result.append((group, participants))
    return result


def audience_errors(audiences) -> list[str]:
    """Why these audiences cannot be recorded: none at all, an unknown or repeated group, a negative count."""
    audiences = normalise_audiences(audiences)
    if not audiences:
        return [_("Hãy chọn ít nhất một nhóm đối tượng được tuyên truyền.")]
    errors, seen = [], set()
    for group, participants in audiences:
        if group not in TargetGroup.values:
            errors.append(_("Nhóm đối tượng “%(group)s” không có trong danh mục.") % {"group": group})
            continue
        label = TargetGroup(group).label
        if group in seen:
            errors.append(_("Nhóm đối tượng “%(group)s” được ghi hai lần.") % {"group": label})
        seen.add(group)
        if participants is not None and participants < 0:
            errors.append(_("Số người tham dự của nhóm “%(group)s” không thể âm.") % {"group": label})
    return errors


@transaction.atomic
def save_activity(activity, *, user, audiences=None, cooperating_agencies=None, expected_version=None):
    """Create `activity` (no pk) or save it with optimistic locking (`expected_version`, the version the editor
    read; ConcurrentEditError if someone saved since), then replace its audiences and cooperating agencies.

    `audiences` ([(group, participants)] or [{"target_group", "participants"}]) None keeps the present ones.
    The form, the API and the import all write through here, so `participants_total` is always the sum."""
    if audiences is not None:
        audiences = normalise_audiences(audiences)
        errors = audience_errors(audiences)
        if errors:
            raise ValidationError(errors)
        activity.participants_total = sum(p or 0 for _g, p in audiences)
    if activity.pk is None:
        record_create(activity, user=user)
        existing = {}
    else:
        version = activity.version if expected_version is None else expected_version
        save_versioned(activity, expected_version=version, user=user)
        existing = {a.target_group: a for a in activity.audiences.all()} if audiences is not None else {}
    if cooperating_agencies is not None:
        activity.cooperating_agencies.set(cooperating_agencies)
    if audiences is not None:
        wanted = dict(audiences)
        gone = [a.pk for group, a in existing.items() if group not in wanted]
        if gone:
            ActivityAudience.objects.filter(pk__in=gone).delete()
        changed = [a for group, a in existing.items() if group in wanted and a.participants != wanted[group]]
        for audience in changed:
            audience.participants = wanted[audience.target_group]
        if changed:
            ActivityAudience.objects.bulk_update(changed, ["participants"])
        ActivityAudience.objects.bulk_create(
            [
                ActivityAudience(activity=activity, target_group=group, participants=participants)
                for group, participants in audiences
                if group not in existing
            ]
        )
    return activity


# -- figures ---------------------------------------------------------------------------------------


def year_period(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def percent(part, whole) -> float | None:
    """100 · part ÷ whole, unrounded; None when there is no denominator (nothing recorded, or zero)."""
    if not whole:
        return None
    return 100.0 * part / whole


def _ancestors(path: str) -> list[str]:
    """ "VN/31/11311/" → ["VN/", "VN/31/", "VN/31/11311/"]: the path and every path above it."""
    parts = path.split("/")[:-1]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _under(path: str, paths) -> bool:
    """Whether `path` is one of `paths` or lies below one of them."""
    return any(p in paths for p in _ancestors(path))


class Share(NamedTuple):
    """(units with at least one activity, units, percent or None)."""

    with_activity: int
    total: int | None
    percent: float | None


@dataclass
class ActivityFigures:
    activities: int = 0
    participants: int = 0
    materials: int = 0
    # Every target group and kind, zero when none: a report's rows do not come and go.
    participants_by_group: dict = field(default_factory=lambda: dict.fromkeys(TargetGroup.values, 0))
    activities_by_group: dict = field(default_factory=lambda: dict.fromkeys(TargetGroup.values, 0))
    by_kind: dict = field(default_factory=lambda: dict.fromkeys(ActivityKind.values, 0))

    def groups(self):
        """(group, label, participants, activities reaching it), for templates and the API."""
        return [
            (g, TargetGroup(g).label, self.participants_by_group[g], self.activities_by_group[g])
            for g in TargetGroup.values
        ]

    def kinds(self):
        return [(k, ActivityKind(k).label, self.by_kind[k]) for k in ActivityKind.values]


@dataclass
class ReachRow:
    target_group: str
    label: str
    participants: int  # of the whole subtree in the year
    population: int | None  # of the covered units; None: no data
    participants_covered: int  # the numerator: participants of activities held in covered units
    units_recorded: int  # TargetPopulation rows whose figure counts
    from_registry: int | None  # the part of `population` taken from the registry or the administrative tree
    communes_covered: int
    communes_total: int
    percent: float | None

    @property
    def complete(self) -> bool:
        """Every commune of the subtree has a known population."""
        return self.population is not None and self.communes_covered >= self.communes_total


@dataclass
class ChildSummary:
    unit: object
    figures: ActivityFigures
    reach: dict
    communes: Share
    residential_groups: Share


@dataclass
class OutreachSummary:
    unit: object
    year: int
    start: datetime.date
    end: datetime.date
    figures: ActivityFigures
    reach: dict
    communes: Share
    residential_groups: Share
    children: list = field(default_factory=list)


class _Source:
    """The rows of one subtree and period, each fetched at most once and grouped by unit path, so any node of
    the subtree (the unit, each child) is computed from them without another query."""

    def __init__(self, unit, start, end, year, user=None):
        self.unit, self.start, self.end, self.year, self.user = unit, start, end, year, user

    def _activities(self):
        queryset = CommunicationActivity.objects.within([self.unit.path]).held_between(self.start, self.end)
        return queryset.visible_to(self.user) if self.user is not None else queryset

    def _populations(self):
        queryset = TargetPopulation.objects.within([self.unit.path]).filter(year=self.year)
        return queryset.visible_to(self.user) if self.user is not None else queryset

    @cached_property
    def activity_rows(self) -> list[dict]:
        return list(
            self._activities()
            .order_by()
            .values("unit__path", "kind")
            .annotate(n=Count("pk"), participants=Sum("participants_total"), materials=Sum("materials_count"))
        )

    @cached_property
    def audience_rows(self) -> list[dict]:
        return list(
            ActivityAudience.objects.filter(activity__in=self._activities().values("pk"))
            .order_by()
            .values("activity__unit__path", "target_group")
            .annotate(n=Count("pk"), participants=Sum("participants"))
        )

    @cached_property
    def groups_with_activity(self) -> list[str]:
        return list(
            self._activities()
            .filter(residential_group__isnull=False)
            .order_by()
            .values_list("residential_group__path", flat=True)
            .distinct()
        )

    @cached_property
    def communes(self) -> list[str]:
        from lanhmanh.geo.models import AdminUnit

        return list(
            AdminUnit.objects.current()
            .filter(level=AdminUnit.Level.COMMUNE)
            .within([self.unit.path])
            .values_list("path", flat=True)
        )

    @cached_property
    def geo_groups(self) -> dict[str, int]:
        """{commune path: its current residential groups}."""
        from lanhmanh.geo.models import AdminUnit

        rows = (
            AdminUnit.objects.current()
            .filter(level=AdminUnit.Level.RESIDENTIAL_GROUP)
            .within([self.unit.path])
            .order_by()
            .values("parent__path")
            .annotate(n=Count("pk"))
        )
        return {row["parent__path"]: row["n"] for row in rows}

    @cached_property
    def population_rows(self) -> list[dict]:
        return list(
            self._populations()
            .order_by()
            .values("unit__path", "students", "risk_workers", "iz_workers", "residential_groups")
        )

    @cached_property
    def registry_workers(self) -> dict[str, int]:
        """{unit path: workers of its businesses subject to management, not closed}, for the units whose
        businesses have a workforce recorded."""
        from lanhmanh.businesses.models import Business

        rows = (
            Business.objects.managed()
            .within([self.unit.path])
            .order_by()
            .values("unit__path")
            .annotate(workers=Sum("workers_total"), counted=Count("workers_total"))
        )
        return {row["unit__path"]: row["workers"] for row in rows if row["counted"]}

    # -- per node ------------------------------------------------------------------------------------

    def figures(self, node: str) -> ActivityFigures:
        figures = ActivityFigures()
        for row in self.activity_rows:
            if row["unit__path"].startswith(node):
                figures.activities += row["n"]
                figures.participants += row["participants"] or 0
                figures.materials += row["materials"] or 0
                figures.by_kind[row["kind"]] = figures.by_kind.get(row["kind"], 0) + row["n"]
        for row in self.audience_rows:
            if row["activity__unit__path"].startswith(node):
                group = row["target_group"]
                figures.participants_by_group[group] = figures.participants_by_group.get(group, 0) + (
                    row["participants"] or 0
                )
                figures.activities_by_group[group] = figures.activities_by_group.get(group, 0) + row["n"]
        return figures

    def _population(self, node: str, name: str, defaults: dict[str, int] | None = None):
        """(population or None, covered paths, rows counted, part from `defaults`) of `name` below `node`."""
        recorded = {
            row["unit__path"]: row[name]
            for row in self.population_rows
            if row["unit__path"].startswith(node) and row[name] is not None
        }
        # The highest recorded unit includes those below it.
        top = {
            path: value
            for path, value in recorded.items()
            if not any(above in recorded for above in _ancestors(path)[:-1])
        }
        covered = set(top)
        population = sum(top.values()) if top else None
        from_defaults = None
        for path, value in (defaults or {}).items():
            if path.startswith(node) and not _under(path, top):
                covered.add(path)
                from_defaults = (from_defaults or 0) + value
        if from_defaults is not None:
            population = (population or 0) + from_defaults
        return population, covered, len(top), from_defaults

    def reach(self, node: str) -> dict[str, ReachRow]:
        communes = [c for c in self.communes if c.startswith(node)]
        rows = {}
        for group in REACH_GROUPS:
            defaults = self.registry_workers if group == TargetGroup.RISK_WORKERS else None
            population, covered, recorded, from_registry = self._population(node, group.value, defaults)
            participants = covered_participants = 0
            for row in self.audience_rows:
                path = row["activity__unit__path"]
                if row["target_group"] == group and path.startswith(node):
                    participants += row["participants"] or 0
                    if _under(path, covered):
                        covered_participants += row["participants"] or 0
            rows[group.value] = ReachRow(
                target_group=group.value,
                label=str(group.label),
                participants=participants,
                population=population,
                participants_covered=covered_participants,
                units_recorded=recorded,
                from_registry=from_registry,
                communes_covered=sum(1 for c in communes if _under(c, covered)),
                communes_total=len(communes),
                percent=percent(covered_participants, population),
            )
        return rows

    def communes_share(self, node: str) -> Share:
        communes = [c for c in self.communes if c.startswith(node)]
        active = {row["unit__path"] for row in self.activity_rows}
        with_activity = sum(1 for c in communes if c in active)
        return Share(with_activity, len(communes), percent(with_activity, len(communes)))

    def groups_share(self, node: str) -> Share:
        population, covered, _recorded, _geo = self._population(node, "residential_groups", self.geo_groups)
        with_activity = sum(1 for g in self.groups_with_activity if g.startswith(node) and _under(g, covered))
        return Share(with_activity, population, percent(with_activity, population))


def activity_figures(unit, start: datetime.date, end: datetime.date, user=None) -> ActivityFigures:
    """Activities held in `unit`'s subtree in [start, end]: how many, participants (in total and per target
    group), materials, and how many of each kind — in two queries. With a `user`, only what they may see."""
    return _Source(unit, start, end, end.year, user).figures(unit.path)


def reach(unit, year: int, user=None) -> dict[str, ReachRow]:
    """{target group: ReachRow} for students, workers at at-risk businesses and industrial-zone workers over the
    year, in four queries (see the module's note on populations). `percent` is None when no population is known."""
    start, end = year_period(year)
    source = _Source(unit, start, end, year, user)
    return source.reach(unit.path)


def communes_with_activity(unit, start: datetime.date, end: datetime.date, user=None) -> Share:
    """(communes of the subtree with at least one activity in [start, end], current communes of the subtree,
    percent or None when there is none) in two queries. A commune is its own subtree: (1, 1, 100.0) or (0, 1, 0.0)."""
    return _Source(unit, start, end, end.year, user).communes_share(unit.path)


def residential_groups_with_activity(unit, start: datetime.date, end: datetime.date, user=None) -> Share:
    """(residential groups where an activity was held in [start, end], residential groups of the subtree,
    percent or None) in three queries. The number of groups is the one recorded for the year the period ends in
    where a unit recorded it, else the count of current groups in the administrative tree; groups with activity
    count only in units whose number of groups is known."""
    return _Source(unit, start, end, end.year, user).groups_share(unit.path)


def child_units(unit) -> list:
    """The current units directly below `unit` that own records (communes of a province, provinces of the
    nation); none below a commune (residential groups are places, not owners)."""
    from lanhmanh.geo.models import AdminUnit

    if unit.level >= AdminUnit.Level.COMMUNE:
        return []
    return list(AdminUnit.objects.current().filter(parent=unit, level__lte=AdminUnit.Level.COMMUNE).order_by("name"))


def outreach_summary(unit, year: int, user=None) -> OutreachSummary:
    """Every figure of this module for `unit`'s subtree over the year, and the same for each unit directly below
    it, in eight queries whatever the number of units."""
    start, end = year_period(year)
    source = _Source(unit, start, end, year, user)
    children = [
        ChildSummary(
            child,
            source.figures(child.path),
            source.reach(child.path),
            source.communes_share(child.path),
            source.groups_share(child.path),
        )
        for child in child_units(unit)
    ]
    return OutreachSummary(
        unit=unit,
        year=year,
        start=start,
        end=end,
        figures=source.figures(unit.path),
        reach=source.reach(unit.path),
        communes=source.communes_share(unit.path),
        residential_groups=source.groups_share(unit.path),
        children=children,
    )


def population_defaults(unit) -> tuple[int | None, int]:
    """(workers of the registry's businesses subject to management and not closed in `unit`'s subtree, or None
    when no workforce is recorded; current residential groups of the subtree): what an empty figure of a
    TargetPopulation stands for. Two queries."""
    source = _Source(unit, None, None, None)
    workers = source.registry_workers
    return (sum(workers.values()) if workers else None), sum(source.geo_groups.values())


def with_population_defaults(queryset):
    """TargetPopulation rows annotated with what their empty figures stand for, one subquery each (no query per
    row): `registry_risk_workers` (workers of the businesses subject to management, not closed, in the unit's
    subtree) and `geo_residential_groups` (current residential groups of the subtree)."""
    from django.db.models import OuterRef, Subquery

    from lanhmanh.businesses.models import Business
    from lanhmanh.geo.models import AdminUnit

    workers = (
        Business.objects.managed()
        .filter(unit__path__startswith=OuterRef("unit__path"))
        .order_by()
        .values("subject_to_management")
        .annotate(total=Sum("workers_total"))
        .values("total")[:1]
    )
    groups = (
        AdminUnit.objects.current()
        .filter(level=AdminUnit.Level.RESIDENTIAL_GROUP, path__startswith=OuterRef("unit__path"))
        .order_by()
        .values("level")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return queryset.annotate(registry_risk_workers=Subquery(workers), geo_residential_groups=Subquery(groups))
