"""Writes and figures of the training module.

Writes: `training_save` stores a course with its participant groups and keeps the course's totals, for the web
form, the API and the Excel import alike.

Figures (each in a constant number of queries, whatever the size of the subtree):

- `training_figures(unit, start, end, user=None)`: courses held by units of the subtree whose start date falls in
  [start, end], with their participants and programme staff, split by the course's level.
- `staff_trained(unit, year, user=None)`: programme staff trained in the year ÷ programme staff recorded
  (StaffCount), for the province-level units, the commune-level units and overall.
- `staff_trained_report(unit, year, user=None)`: the same plus one row for the unit itself and one per child unit.

How the staff-trained percentage is computed, and why:

- People are counted where they work (the participant group's unit), not where the course was held: commune
  officials at a provincial course count for their commune. Only courses held (start date not after today) whose
  start date falls in the year count.
- The denominator is the sum of StaffCount of the year over the units of the level. A level with no StaffCount at
  all has no percentage (None, shown "Chưa có số liệu"), never 0% and never a division by zero; a recorded 0 staff
  also gives None.
- In a subtree where only some units recorded their staff, the numerator counts trained staff of those units only,
  so the percentage compares like with like; the figures say how many units recorded (`units_recorded` of
  `units_total`) and how many staff were trained in all units (`trained_all`).
- Attendance is counted in "lượt người": the same official trained twice counts twice, so a percentage may exceed
  100%. It is shown as it is (`over_100` flags it) rather than capped, because capping would hide double counting.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.scoping import path_q, permission_name, scope_paths
from lanhmanh.core.services import record_create, save_versioned
from lanhmanh.training.models import (
    StaffCount,
    Training,
    TrainingLevel,
    TrainingParticipantGroup,
    level_for,
)

LEVELS = (TrainingLevel.PROVINCE, TrainingLevel.COMMUNE)

# -- writes ----------------------------------------------------------------------------------------


def training_save(*, training: Training, groups, user, expected_version: int | None = None, deleted=()) -> Training:
    """Save `training` with its participant groups in one transaction: `groups` are the groups it has after the
    save (new or changed, unsaved), `deleted` those to remove. The course's totals are the sum of `groups` plus its
    other stored groups. An existing course is saved with optimistic locking against `expected_version` (raises
    core.services.ConcurrentEditError, nothing written)."""
    groups = list(groups)
    deleted_pks = {g.pk for g in deleted if g.pk}
    with transaction.atomic():
        kept_pks = {g.pk for g in groups if g.pk}
        others = []
        if training.pk:
            others = list(
                training.participant_groups.exclude(pk__in=kept_pks | deleted_pks).values_list(
                    "participants", "programme_staff"
                )
            )
        training.participants_total = sum(g.participants for g in groups) + sum(p for p, _s in others)
        training.programme_staff_total = sum(g.programme_staff for g in groups) + sum(s for _p, s in others)
        if training.pk:
            save_versioned(
                training, expected_version=training.version if expected_version is None else expected_version, user=user
            )
        else:
            record_create(training, user=user)
        for group in deleted:
            if group.pk:
                group._history_user = user
                group.delete()
        for group in groups:
            group.training = training
            if not group.participant_unit_id and not group.agency_id:
                group.participant_unit = training.unit
            elif group.agency_id:
                group.participant_unit = group.agency.unit
            group._history_user = user
            group.save()
    return training


def refresh_totals(training: Training) -> Training:
    """Recompute the course's totals from its stored groups (after groups were written elsewhere, as in the
    admin's inline)."""
    sums = training.participant_groups.aggregate(p=Sum("participants"), s=Sum("programme_staff"))
    training.participants_total, training.programme_staff_total = sums["p"] or 0, sums["s"] or 0
    Training.objects.filter(pk=training.pk).update(
        participants_total=training.participants_total, programme_staff_total=training.programme_staff_total
    )
    return training


def replace_groups(*, training: Training, groups, user, expected_version: int | None = None) -> Training:
    """Save `training` with exactly `groups` as its participant groups (the API's nested list replaces them)."""
    existing = list(training.participant_groups.all()) if training.pk else []
    return training_save(
        training=training, groups=groups, deleted=existing, user=user, expected_version=expected_version
    )


# -- figures: courses ------------------------------------------------------------------------------


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _percent(part: int, whole: int | None) -> float | None:
    """part ÷ whole in %, one decimal; None ("no data") without a denominator."""
    if not whole:
        return None
    return round(100 * part / whole, 1)


def _visible_trainings(user):
    if user is None:
        return Training.objects.all()
    return Training.objects.visible_to(user, "view")


@dataclass
class CourseFigures:
    courses: int = 0
    participants: int = 0
    programme_staff: int = 0


@dataclass
class TrainingFigures:
    unit: object
    start: datetime.date
    end: datetime.date
    province: CourseFigures = field(default_factory=CourseFigures)
    commune: CourseFigures = field(default_factory=CourseFigures)

    @property
    def total(self) -> CourseFigures:
        return CourseFigures(
            *(
                getattr(self.province, n) + getattr(self.commune, n)
                for n in ("courses", "participants", "programme_staff")
            )
        )

    def by_level(self) -> list[tuple[str, object, CourseFigures]]:
        return [
            (TrainingLevel.PROVINCE, TrainingLevel.PROVINCE.label, self.province),
            (TrainingLevel.COMMUNE, TrainingLevel.COMMUNE.label, self.commune),
        ]


def training_figures(unit, start: datetime.date, end: datetime.date, user=None, *, today=None) -> TrainingFigures:
    """Courses held by units of `unit`'s subtree that started in [start, end] (inclusive; not after today), their
    participants and programme staff trained ("lượt người"), by the course's level. One query. With `user`, only
    the courses that user may see."""
    today = today or timezone.localdate()
    rows = (
        _visible_trainings(user)
        .within([unit.path])
        .started_between(start, end)
        .held_by(today)
        .order_by()
        .values("level")
        .annotate(courses=Count("pk"), participants=Sum("participants_total"), staff=Sum("programme_staff_total"))
    )
    figures = TrainingFigures(unit=unit, start=start, end=end)
    for row in rows:
        target = figures.province if row["level"] == TrainingLevel.PROVINCE else figures.commune
        target.courses += row["courses"]
        target.participants += row["participants"] or 0
        target.programme_staff += row["staff"] or 0
    return figures


# -- figures: staff trained ------------------------------------------------------------------------


@dataclass
class StaffTrained:
    """Programme staff trained in a year against the staff recorded, for a set of units (one level, a child's
    subtree, or all)."""

    key: str  # the level, "all", "own" (the unit's own staff) or a child unit's code
    label: object
    unit_id: int | None = None  # for a child unit's row (a link to its own figures)
    units_total: int = 0  # units of this set (current ones, and any that recorded staff for the year)
    units_recorded: int = 0  # of them, units with a StaffCount for the year
    staff: int | None = None  # sum of StaffCount; None when no unit recorded
    trained: int = 0  # programme staff trained in the units that recorded staff
    trained_all: int = 0  # programme staff trained in all units of the set

    @property
    def percent(self) -> float | None:
        return _percent(self.trained, self.staff)

    @property
    def has_data(self) -> bool:
        return self.percent is not None

    @property
    def partial(self) -> bool:
        return 0 < self.units_recorded < self.units_total

    @property
    def over_100(self) -> bool:
        return self.percent is not None and self.percent > 100

    @property
    def applicable(self) -> bool:
        """Whether the set has any unit or any trained staff (a commune has no province-level units)."""
        return bool(self.units_total or self.trained_all)

    def add(self, *, staff=None, trained=0, recorded=False, unit_counted=False):
        if unit_counted:
            self.units_total += 1
        if recorded:
            self.units_recorded += 1
            self.staff = (self.staff or 0) + staff
            self.trained += trained
        self.trained_all += trained


@dataclass
class StaffTrainedReport:
    unit: object
    year: int
    province: StaffTrained
    commune: StaffTrained
    overall: StaffTrained
    children: list = field(default_factory=list)  # [StaffTrained], the unit's own row first

    def levels(self) -> list[StaffTrained]:
        return [self.province, self.commune]


def _scope(user, model):
    """The subtree paths `user` may see `model` in (None: everywhere, or no user given)."""
    return None if user is None else scope_paths(user, permission_name(model, "view"))


def _staff_rows(unit, year: int, user, *, today=None):
    """Per unit of the subtree: {unit_id: (path, level, staff)} for StaffCount, {unit_id: (path, level, trained)}
    for trained programme staff, and [(unit_id, path, level, code, name)] of the units counted. Three queries."""
    from lanhmanh.geo.models import AdminUnit

    today = today or timezone.localdate()
    start, end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    counts = StaffCount.objects.within([unit.path]).within(_scope(user, StaffCount)).for_year(year)
    recorded = {
        row["unit_id"]: (row["unit__path"], row["unit__level"], row["staff"])
        for row in counts.values("unit_id", "unit__path", "unit__level", "staff")
    }
    # The participants' unit decides where they count; a commune officer sees the staff of their commune trained
    # at a provincial course (a count, not the course record): scoped by the participants' unit.
    groups = TrainingParticipantGroup.objects.filter(
        path_q("participant_unit__path", [unit.path]), training__starts_on__gte=start, training__starts_on__lte=end
    )
    paths = _scope(user, Training)
    if paths is not None:
        groups = groups.filter(path_q("participant_unit__path", paths))
    trained = {
        row["participant_unit_id"]: (row["participant_unit__path"], row["participant_unit__level"], row["n"])
        for row in groups.order_by()
        .values("participant_unit_id", "participant_unit__path", "participant_unit__level")
        .annotate(n=Sum("programme_staff"))
        if row["n"]
    }
    units = AdminUnit.objects.filter(
        path__startswith=unit.path,
        level__in=(AdminUnit.Level.PROVINCE, AdminUnit.Level.DISTRICT, AdminUnit.Level.COMMUNE),
    ).filter(Q(valid_to__isnull=True) | Q(pk__in=counts.values("unit_id")))
    if user is not None:
        units = units.within(_scope(user, StaffCount))
    listed = list(units.values_list("pk", "path", "level", "code", "name"))
    return recorded, trained, listed


def _fill(sets_of, recorded, trained, listed):
    """Adds each unit's staff and trained staff to the StaffTrained sets `sets_of(path, level)` returns."""
    for _pk, path, level, *_names in listed:
        for target in sets_of(path, level):
            target.add(unit_counted=True)
    for pk, (path, level, staff) in recorded.items():
        for target in sets_of(path, level):
            target.add(staff=staff, trained=trained.get(pk, (None, None, 0))[2], recorded=True)
    for pk, (path, level, n) in trained.items():
        if pk in recorded:
            continue
        for target in sets_of(path, level):
            target.add(trained=n)


def _level_sets():
    province = StaffTrained(TrainingLevel.PROVINCE, _("Cán bộ cấp tỉnh"))
    commune = StaffTrained(TrainingLevel.COMMUNE, _("Cán bộ cấp xã"))
    overall = StaffTrained("all", _("Chung"))
    return province, commune, overall


def staff_trained(unit, year: int, user=None, *, today=None) -> StaffTrainedReport:
    """Programme staff trained in `year` and staff recorded, for the province-level units, the commune-level units
    (with pre-2025 districts) and overall, over `unit`'s subtree. Three queries. `children` is left empty: see
    staff_trained_report. With `user`, only data of units that user may see."""
    recorded, trained, listed = _staff_rows(unit, year, user, today=today)
    province, commune, overall = _level_sets()

    def sets_of(path, level):
        return [province if level_for(level) == TrainingLevel.PROVINCE else commune, overall]

    _fill(sets_of, recorded, trained, listed)
    return StaffTrainedReport(unit=unit, year=year, province=province, commune=commune, overall=overall)


def staff_trained_report(unit, year: int, user=None, *, today=None) -> StaffTrainedReport:
    """staff_trained plus a row for the unit's own staff and one per child unit (each commune of a province, with
    its subtree), in three queries whatever the number of children: rows are grouped by child path prefix."""
    recorded, trained, listed = _staff_rows(unit, year, user, today=today)
    province, commune, overall = _level_sets()
    # The children are the listed units one level of path below the unit: no query of their own.
    depth = unit.path.count("/")
    children = sorted(
        (
            (pk, code, name, path)
            for pk, path, _level, code, name in listed
            if path.count("/") == depth + 1 and path.startswith(unit.path)
        ),
        key=lambda c: c[2],
    )
    own = StaffTrained("own", unit.name, unit_id=unit.pk)
    rows = {path: StaffTrained(code, name, unit_id=pk) for pk, code, name, path in children}

    def sets_of(path, level):
        sets = [province if level_for(level) == TrainingLevel.PROVINCE else commune, overall]
        if path == unit.path:
            sets.append(own)
        else:
            # The child whose path prefixes this one: the path's segment after the unit's.
            child_path = unit.path + path[len(unit.path) :].split("/", 1)[0] + "/"
            if child_path in rows:
                sets.append(rows[child_path])
        return sets

    _fill(sets_of, recorded, trained, listed)
    return StaffTrainedReport(
        unit=unit, year=year, province=province, commune=commune, overall=overall, children=[own, *rows.values()]
    )


def staff_counts_by_unit(unit, year: int) -> dict:
    """{unit_id: staff} of the StaffCount rows of a subtree and year (for an indicator engine or an export)."""
    return dict(StaffCount.objects.within([unit.path]).for_year(year).values_list("unit_id", "staff"))
