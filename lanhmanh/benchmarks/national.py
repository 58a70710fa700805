"""The national data set of the benchmarks (`manage.py seed_demo --scale national`): invented records on the real
administrative units, at the sizes of a country — 100 000 businesses, 250 000 inspection sessions with 1 000 000
visits, 300 000 tips, 50 000 cases, 1 000 000 communication activities, 50 000 support clients with 500 000
services — plus modest amounts of what the other indicators need (residential groups, target populations, staff
counts, trainings, prevention models, budget allocations and expenditures).

Fast by construction: one `bulk_create` per chunk of rows with foreign keys computed in memory (no per-row query,
signal or history record), a fixed random seed, dates spread from 1/1/2025 to the end of 2026 (never after today,
as the models require). Every row keeps its model's invariants (`clean()`): visits fall on their session's day in
the team's area, sanctions applied have a decision, a tip's deadline comes from its rule, a support client's records
never precede their registration, and so on.

Support clients are pseudonymous codes only: no name, date of birth, phone, ID number or address is ever written,
and no free text describes a person. Names of businesses and agencies are marked as benchmark data ("mẫu").

`build(Sizes.tiny())` makes a small data set in a second or two for tests."""

import datetime
import itertools
import time
from dataclasses import asdict, dataclass, replace

from django.db import connection, transaction
from django.utils import timezone

START = datetime.date(2025, 1, 1)
LAST = datetime.date(2026, 12, 31)


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind. `provinces`/`communes_per_province` limit the units used (None: all)."""

    provinces: int | None = None
    communes_per_province: int | None = None
    businesses: int = 100_000
    sessions: int = 250_000
    visits: int = 1_000_000
    tips: int = 300_000
    cases: int = 50_000
    activities: int = 1_000_000
    clients: int = 50_000
    services: int = 500_000
    expenditures: int = 100_000
    groups_per_commune: int = 3
    models_per_commune: float = 2.0
    chunk: int = 50_000

    @classmethod
    def national(cls) -> "Sizes":
        return cls()

    @classmethod
    def tiny(cls, **overrides) -> "Sizes":
        """Two provinces of three communes each, a few rows of everything."""
        return replace(cls(provinces=2, communes_per_province=3, businesses=40, sessions=30, visits=90, tips=60,
                           cases=20, activities=120, clients=15, services=60, expenditures=20, chunk=25), **overrides)


class _RowType(type):
    def __getattr__(cls, name):  # the model's choices and managers: Business.Status, Tip.objects…
        return getattr(cls.model, name)


class Row(metaclass=_RowType):
    """A row to insert: attribute values by attname, the model's defaults for the rest; far cheaper than a model
    instance, and written by COPY on PostgreSQL."""

    model = None
    template: dict = {}

    def __init__(self, **values):
        self.__dict__.update(values)

    def __getattr__(self, name):
        if name == "pk":
            return self.__dict__.get("id")
        try:
            return type(self).template[name]
        except KeyError:
            raise AttributeError(name) from None


_ROW_TYPES: dict = {}


def rows_of(*models):
    """Row types for `models` (the Row type of each, made once)."""
    from django.db.models import DateTimeField

    result = []
    for model in models:
        if model not in _ROW_TYPES:
            template = {}
            for f in model._meta.concrete_fields:
                if f.primary_key:
                    template[f.attname] = None
                elif isinstance(f, DateTimeField) and (f.auto_now or f.auto_now_add):
                    template[f.attname] = timezone.now()
                else:
                    template[f.attname] = f.get_default()
            _ROW_TYPES[model] = _RowType(f"{model.__name__}Row", (Row,), {"model": model, "template": template})
        result.append(_ROW_TYPES[model])
    return result if len(result) > 1 else result[0]


def write(model, rows):
    """Inserts `rows` (Row objects) and sets their `id`: COPY with reserved ids on PostgreSQL, bulk_create
    elsewhere."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objects = [model(**row.__dict__) for row in rows]
        model.objects.bulk_create(objects, batch_size=5000)
        for row, obj in zip(rows, objects, strict=True):
            row.id = obj.pk
        return
    import json

    from django.db.models import JSONField

    fields = model._meta.concrete_fields
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [model._meta.db_table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, len(rows)])
        first = cursor.fetchone()[0] - len(rows) + 1
        for offset, row in enumerate(rows):
            row.id = first + offset
        template = _ROW_TYPES[model].template if model in _ROW_TYPES else rows_of(model).template
        names = [f.attname for f in fields]
        json_names = {f.attname for f in fields if isinstance(f, JSONField)}
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = row.__dict__
                copy.write_row([json.dumps(values.get(n, template[n])) if n in json_names
                                else values.get(n, template[n]) for n in names])


def _days(start, end):
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def _split(total: int, parts: int, rng, spread: int) -> list[int]:
    """`total` cut into `parts` whole numbers ≥ 1 (when total ≥ parts), about equal, varied by ±spread."""
    if parts <= 0:
        return []
    base, extra = divmod(total, parts)
    counts = [base + (1 if i < extra else 0) for i in range(parts)]
    for i in range(0, parts - 1, 2):
        shift = rng.randint(-spread, spread)
        shift = max(-(counts[i] - 1), min(counts[i + 1] - 1, shift)) if base >= 1 else 0
        counts[i] += shift
        counts[i + 1] -= shift
    rng.shuffle(counts)
    return counts


class Builder:
    def __init__(self, sizes: Sizes, seed: int, log):
        import random

        self.sizes = sizes
        self.rng = random.Random(seed)
        self.log = log or (lambda line: None)
        self.started = time.monotonic()
        self.today = timezone.localdate()
        self.end = min(LAST, self.today)
        self.days = _days(START, self.end)
        self.counts: dict[str, int] = {}

    # -- helpers -------------------------------------------------------------------------------------

    def say(self, what: str, count: int):
        self.counts[what] = self.counts.get(what, 0) + count
        self.log(f"national: {self.counts[what]:>9,} {what} ({time.monotonic() - self.started:6.1f} s)")

    def insert(self, kind, rows, what: str | None = None):
        write(getattr(kind, "model", None) or kind, rows)
        if what:
            self.say(what, len(rows))
        return rows

    def day(self, start=START, end=None):
        end = end or self.end
        if end <= start:
            return min(start, self.end)
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def aware(self, day, hour=9):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    # -- units ---------------------------------------------------------------------------------------

    def units(self):
        from lanhmanh.geo.models import AdminUnit

        provinces = list(AdminUnit.objects.current().filter(level=AdminUnit.Level.PROVINCE).order_by("code"))
        if self.sizes.provinces is not None:
            provinces = provinces[: self.sizes.provinces]
        if not provinces:
            raise RuntimeError("No administrative units: run `manage.py load_admin_units` first.")
        self.provinces = provinces
        self.communes = []
        for province in provinces:
            communes = list(AdminUnit.objects.current().filter(parent=province, level=AdminUnit.Level.COMMUNE)
                            .order_by("code"))
            if self.sizes.communes_per_province is not None:
                communes = communes[: self.sizes.communes_per_province]
            self.communes += communes
        self.province_of = {c.pk: next(p for p in provinces if p.pk == c.parent_id) for c in self.communes}
        # Some communes are much busier than others.
        self.weight = {c.pk: self.rng.lognormvariate(0, 0.6) for c in self.communes}
        self.commune_weights = [self.weight[c.pk] for c in self.communes]
        self.commune_cum = list(itertools.accumulate(self.commune_weights))

    def commune(self):
        """A commune, the busier ones more often (cumulative weights: a bisection, not a sum, per draw)."""
        return self.rng.choices(self.communes, cum_weights=self.commune_cum)[0]

    def residential_groups(self):
        from lanhmanh.geo.models import AdminUnit

        Unit = rows_of(AdminUnit)
        have = set(AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP,
                                            parent__in=self.communes).values_list("parent_id", flat=True))
        rows = []
        for commune in self.communes:
            if commune.pk in have:
                continue
            word = "Tổ dân phố" if commune.kind == "phường" else "Thôn"
            for n in range(1, self.sizes.groups_per_commune + 1):
                code = f"{commune.code}-{n:03d}"
                rows.append(Unit(code=code, name=f"{word} {n} (mẫu)", kind=word.lower(), parent_id=commune.pk,
                                      level=AdminUnit.Level.RESIDENTIAL_GROUP, path=f"{commune.path}{code}/"))
        self.insert(AdminUnit, rows, "residential groups")
        self.groups = {}
        for pk, parent in AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP,
                                                   parent__in=self.communes).values_list("pk", "parent_id"):
            self.groups.setdefault(parent, []).append(pk)

    # -- businesses ----------------------------------------------------------------------------------

    def businesses(self):
        from lanhmanh.businesses.models import Business, BusinessType, Commitment, normalise_key

        Business, Commitment = rows_of(Business, Commitment)

        rng, n = self.rng, self.sizes.businesses
        types = list(BusinessType.objects.values_list("pk", "code"))
        type_weights = [{"guest_house": 30, "karaoke": 25, "hotel": 12, "massage": 8, "beauty_salon": 7}.get(c, 3)
                        for _pk, c in types]
        # At least a few in every commune, the rest where the commune is busier.
        floor = min(5, n // max(1, len(self.communes)))
        owners = [c for c in self.communes for _i in range(floor)]
        owners += rng.choices(self.communes, self.commune_weights, k=n - len(owners))
        rows, self.pool = [], {}
        statuses = list(Business.Status)
        for i, commune in enumerate(owners, start=1):
            type_pk = rng.choices(types, type_weights)[0][0]
            status = rng.choices(statuses, weights=[88, 7, 5])[0]
            total = rng.randint(2, 30)
            female = rng.randint(0, total)
            name, address = f"Cơ sở mẫu {i:06d}", f"Số {rng.randint(1, 400)}, địa chỉ mẫu {i:06d}"
            groups = self.groups.get(commune.pk)
            rows.append(Business(
                unit_id=commune.pk, name=name, business_type_id=type_pk, address=address,
                residential_group_id=rng.choice(groups) if groups and rng.random() < 0.7 else None,
                licence_number=f"BM-{i:06d}", opened_on=datetime.date(rng.randint(2008, 2024), rng.randint(1, 12), 1),
                status=status, status_since=None if status == Business.Status.OPERATING else self.day(),
                subject_to_management=rng.random() < 0.92,
                workers_total=total, workers_female=female, workers_other_province=rng.randint(0, female),
                workforce_as_of=START, last_reviewed_on=self.day() if rng.random() < 0.6 else None,
                match_key=normalise_key(name, address),
            ))
            if len(rows) >= self.sizes.chunk:
                self._businesses_chunk(Business, rows)
                rows = []
        self._businesses_chunk(Business, rows)
        commitments = []
        for commune_pk, businesses in self.pool.items():
            for pk in businesses:
                for year in (2025, 2026):
                    if rng.random() < 0.75:
                        signed = self.day(datetime.date(year, 1, 1), datetime.date(year, 4, 30))
                        commitments.append(Commitment(business_id=pk, unit_id=commune_pk, signed_on=signed,
                                                      signer_name="Chủ cơ sở (mẫu)", signer_position="Chủ cơ sở",
                                                      valid_until=datetime.date(year, 12, 31)))
            if len(commitments) >= self.sizes.chunk:
                self.insert(Commitment, commitments, "commitments")
                commitments = []
        self.insert(Commitment, commitments, "commitments")

    def _businesses_chunk(self, Business, rows):
        self.insert(Business, rows, "businesses")
        for row in rows:
            self.pool.setdefault(row.unit_id, []).append(row.pk)

    # -- inspections ---------------------------------------------------------------------------------

    def inspections(self):
        from lanhmanh.inspections.models import InspectionSession, InspectionVisit, SessionKind, Team, ViolationType

        InspectionSession, InspectionVisit, Team = rows_of(InspectionSession, InspectionVisit, Team)

        rng, sizes = self.rng, self.sizes
        units = [*self.provinces, *self.communes]
        teams = self.insert(Team, [
            Team(unit_id=u.pk, name=f"Đội kiểm tra liên ngành 178 (mẫu) {u.name}", decision_number="1/QĐ-UBND",
                 decision_date=datetime.date(2024, 12, 1)) for u in units
        ], "inspection teams")
        team_of = {t.unit_id: t.pk for t in teams}
        communes = [c for c in self.communes if self.pool.get(c.pk)]
        weights = list(itertools.accumulate(len(self.pool[c.pk]) for c in communes))
        violation_types = list(ViolationType.objects.filter(valid_until__isnull=True).values_list("pk", flat=True))
        Outcome, Stage = InspectionVisit.Outcome, InspectionVisit.SanctionStage
        reasons = list(InspectionVisit.SuspensionReason)
        kinds = [SessionKind.PLANNED, SessionKind.SURPRISE, SessionKind.JOINT_POLICE, SessionKind.FOLLOW_UP]
        fines = [1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 40_000_000]
        per_session = _split(sizes.visits, sizes.sessions, rng, 2)
        through = rows_of(InspectionVisit.violations.through)
        for first in range(0, sizes.sessions, sizes.chunk):
            sessions, picks = [], []
            for count in per_session[first: first + sizes.chunk]:
                commune = rng.choices(communes, cum_weights=weights)[0]
                by_province = rng.random() < 0.2
                day = self.day()
                unit = self.province_of[commune.pk] if by_province else commune
                sessions.append(InspectionSession(
                    team_id=team_of[unit.pk], unit_id=unit.pk, date=day, kind=rng.choices(kinds, [6, 2, 2, 1])[0],
                    decision_number=f"{rng.randint(1, 480)}/QĐ-ĐKT", decision_date=day,
                ))
                pool = self.pool[commune.pk]
                chosen = rng.sample(pool, count) if count <= len(pool) else rng.choices(pool, k=count)
                picks.append((commune.pk, chosen))
            self.insert(InspectionSession, sessions, "inspection sessions")
            visits, violations = [], []
            for session, (commune_pk, businesses) in zip(sessions, picks, strict=True):
                day = session.date
                for business in businesses:
                    visit = InspectionVisit(session_id=session.pk, business_id=business, unit_id=commune_pk,
                                            visited_on=day, outcome=rng.choices(list(Outcome), [52, 40, 8])[0])
                    if visit.outcome == Outcome.VIOLATION:
                        violations.append(visit)
                        if rng.random() < 0.6:
                            visit.fine_amount = rng.choice(fines)
                            visit.sanction_authority = "Chủ tịch Ủy ban nhân dân (mẫu)"
                            decided = day + datetime.timedelta(days=rng.randint(1, 10))
                            if decided <= self.today:
                                visit.sanction_stage = Stage.APPLIED
                                visit.sanction_decision_number = f"{rng.randint(1, 350)}/QĐ-XPHC"
                                visit.sanction_decision_date = decided
                            else:
                                visit.sanction_stage = Stage.PROPOSED
                        if rng.random() < 0.3:
                            visit.suspended_from = min(day + datetime.timedelta(days=rng.randint(0, 2)), self.today)
                            visit.suspended_until = visit.suspended_from + datetime.timedelta(days=rng.randint(30, 90))
                            visit.suspension_reason = rng.choice(reasons)
                    visits.append(visit)
            self.insert(InspectionVisit, visits, "inspection visits")
            self.insert(through, [through(inspectionvisit_id=v.pk, violationtype_id=rng.choice(violation_types))
                                  for v in violations])

    # -- tips ----------------------------------------------------------------------------------------

    def tips(self):
        from lanhmanh.tips.models import DeadlineRule, Tip, TipKind, TipSubject

        Tip = rows_of(Tip)

        rng, sizes = self.rng, self.sizes
        Status, Outcome = Tip.Status, Tip.Outcome
        rules, deadlines = {}, {}

        def deadline(kind, day):
            key = (kind, day)
            if key not in deadlines:
                rule = rules.get(kind) or DeadlineRule.for_tip(kind, day)
                rules[kind] = rule
                deadlines[key] = (rule.pk, rule.deadline(day)) if rule else (None, None)
            return deadlines[key]

        subjects = list(TipSubject.objects.values_list("pk", flat=True)) or [None]
        channels, kinds = list(Tip.Channel), list(TipKind)
        duplicates = sizes.tips // 50
        originals, total = [], sizes.tips - duplicates
        for i in range(total):
            commune = self.commune()
            day = self.day()
            kind = rng.choices(kinds, [40, 40, 10, 10])[0]
            rule_pk, due = deadline(kind, day)
            tip = Tip(unit_id=commune.pk, channel=rng.choice(channels), received_at=self.aware(day), received_on=day,
                      kind=kind, subject_id=rng.choice(subjects), content=f"Nội dung tin báo mẫu số {i + 1}.",
                      deadline_rule_id=rule_pk, deadline_from=day, deadline=due)
            if rng.random() < 0.85:
                concluded = day + datetime.timedelta(days=rng.randint(1, 45))
                if concluded <= self.today:
                    tip.concluded_on = concluded
                    tip.status = rng.choices([Status.HANDLED, Status.NOT_CONFIRMED, Status.CLOSED], [55, 35, 10])[0]
                    tip.outcome = {Status.HANDLED: Outcome.CONFIRMED,
                                   Status.NOT_CONFIRMED: Outcome.NOT_CONFIRMED}.get(tip.status, "")
                    if tip.status == Status.CLOSED:
                        tip.outcome_note = "Người báo tin rút lại (mẫu)."
            if tip.concluded_on is None and rng.random() < 0.6:
                tip.status = Status.VERIFYING
            originals.append(tip)
            if len(originals) >= sizes.chunk or i == total - 1:
                # This chunk's share of the duplicates; the last chunk takes what is left.
                share = duplicates - self.counts.get("tips (merged duplicates)", 0)
                if i < total - 1:
                    share = min(share, round(len(originals) * duplicates / total))
                self._tips_chunk(Tip, originals, share)
                originals = []

    def _tips_chunk(self, Tip, originals, duplicates):
        """Inserts `originals`, then `duplicates` tips merged into some of them (same unit, a day or two later,
        closed as duplicates)."""
        rng = self.rng
        self.insert(Tip, originals, "tips")
        rows = []
        for into in rng.choices(originals, k=duplicates) if originals else []:
            day = min(into.received_on + datetime.timedelta(days=rng.randint(0, 2)), self.today)
            rows.append(Tip(
                unit_id=into.unit_id, channel=into.channel, received_at=self.aware(day, 15), received_on=day,
                kind=into.kind, subject_id=into.subject_id, content="Tin báo trùng nội dung (mẫu).",
                deadline_rule_id=into.deadline_rule_id, deadline_from=day, deadline=into.deadline,
                duplicate_of_id=into.pk, status=Tip.Status.CLOSED,
                concluded_on=min(day + datetime.timedelta(days=1), self.today),
                outcome_note="Trùng nội dung với tin báo khác (mẫu).",
            ))
        self.insert(Tip, rows, "tips (merged duplicates)")

    # -- enforcement ---------------------------------------------------------------------------------

    def cases(self):
        from lanhmanh.enforcement.models import CaseType, EnforcementCase, Offence

        EnforcementCase = rows_of(EnforcementCase)

        rng, sizes = self.rng, self.sizes
        offences = {t: list(Offence.objects.filter(case_type=t, valid_until__isnull=True).values_list("pk", flat=True))
                    for t in CaseType.values}
        through = rows_of(EnforcementCase.offences.through)
        rows = []
        for i in range(sizes.cases):
            commune = self.commune()
            unit = self.province_of[commune.pk] if rng.random() < 0.1 else commune
            day = self.day()
            criminal = rng.random() < 0.4
            case = EnforcementCase(unit_id=unit.pk, detected_on=day, reference_number=f"BM-{i + 1:06d}",
                                   case_type=CaseType.CRIMINAL if criminal else CaseType.ADMINISTRATIVE)
            identified = rng.randint(0, 4)
            case.sellers_identified = identified
            case.sellers_referred = rng.randint(0, identified)
            case.minors_identified = 1 if identified and rng.random() < 0.05 else 0
            if criminal:
                case.people_arrested = rng.randint(1, 6)
                instituted = day + datetime.timedelta(days=rng.randint(0, 20))
                if instituted <= self.today and rng.random() < 0.8:
                    case.instituted_on = instituted
                    case.people_prosecuted = rng.randint(1, case.people_arrested)
            else:
                case.people_fined_admin = rng.randint(1, 5)
                case.fines_total = case.people_fined_admin * rng.choice([500_000, 1_000_000, 2_000_000])
            rows.append(case)
            if len(rows) >= sizes.chunk or i == sizes.cases - 1:
                self.insert(EnforcementCase, rows, "enforcement cases")
                self.insert(through, [through(enforcementcase_id=c.pk, offence_id=rng.choice(offences[c.case_type]))
                                      for c in rows if offences[c.case_type]])
                rows = []

    # -- outreach ------------------------------------------------------------------------------------

    def outreach(self):
        from lanhmanh.outreach.models import (
            ActivityAudience,
            ActivityKind,
            CommunicationActivity,
            TargetGroup,
            TargetPopulation,
        )

        CommunicationActivity, ActivityAudience, TargetPopulation = rows_of(
            CommunicationActivity, ActivityAudience, TargetPopulation)

        rng, sizes = self.rng, self.sizes
        kinds = list(ActivityKind)
        kind_weights = [{"group_session": 30, "loudspeaker": 25, "leaflets": 12, "community_meeting": 10,
                         "school_workplace": 10}.get(k.value, 2) for k in kinds]
        counted = {ActivityKind.GROUP_SESSION, ActivityKind.COMMUNITY_MEETING, ActivityKind.SCHOOL_WORKPLACE,
                   ActivityKind.CONTEST}
        rows, audiences_of = [], []
        for i in range(sizes.activities):
            commune = self.commune()
            unit = self.province_of[commune.pk] if rng.random() < 0.05 else commune
            kind = rng.choices(kinds, kind_weights)[0]
            groups = self.groups.get(unit.pk)
            audience = []
            if kind == ActivityKind.SCHOOL_WORKPLACE:
                audience = [(rng.choice([TargetGroup.STUDENTS, TargetGroup.IZ_WORKERS]), rng.randint(30, 400))]
            elif kind == ActivityKind.COMMUNITY_MEETING and rng.random() < 0.5:
                audience = [(TargetGroup.RISK_WORKERS, rng.randint(5, 60))]
            total = sum(p for _g, p in audience) + (rng.randint(15, 150) if kind in counted else 0)
            rows.append(CommunicationActivity(
                unit_id=unit.pk, kind=kind, held_on=self.day(), title="Tuyên truyền phòng, chống mại dâm (mẫu)",
                residential_group_id=rng.choice(groups) if groups and kind == ActivityKind.GROUP_SESSION else None,
                participants_total=total, materials_count=rng.randint(0, 200) if kind == ActivityKind.LEAFLETS else 0,
            ))
            audiences_of.append(audience)
            if len(rows) >= sizes.chunk or i == sizes.activities - 1:
                self.insert(CommunicationActivity, rows, "communication activities")
                self.insert(ActivityAudience, [
                    ActivityAudience(activity_id=a.pk, target_group=group, participants=people)
                    for a, audience in zip(rows, audiences_of, strict=True) for group, people in audience
                ], "activity audiences")
                rows, audiences_of = [], []
        populations, have = [], set(TargetPopulation.objects.values_list("unit_id", "year"))
        for year in (2025, 2026):
            for commune in self.communes:
                if (commune.pk, year) in have:  # the demo data's
                    continue
                populations.append(TargetPopulation(
                    unit_id=commune.pk, year=year, students=rng.randint(800, 6000), risk_workers=rng.randint(50, 600),
                    iz_workers=rng.randint(500, 8000) if rng.random() < 0.3 else None, source="Số liệu mẫu"))
        self.insert(TargetPopulation, populations, "target populations")

    # -- training, models, budget --------------------------------------------------------------------

    def training(self):
        from lanhmanh.training.models import StaffCount, Training, TrainingLevel, TrainingParticipantGroup

        StaffCount, Training, TrainingParticipantGroup = rows_of(StaffCount, Training, TrainingParticipantGroup)

        rng = self.rng
        courses, groups = [], []
        for year in (2025, 2026):
            last = min(datetime.date(year, 12, 31), self.end)
            for province in self.provinces:
                communes = [c for c in self.communes if c.parent_id == province.pk]
                for _n in range(4):
                    courses.append((Training(unit_id=province.pk, level=TrainingLevel.PROVINCE,
                                             title="Tập huấn phòng, chống mại dâm (mẫu)",
                                             starts_on=self.day(datetime.date(year, 1, 1), last)),
                                    [province.pk] + [c.pk for c in rng.sample(communes, min(3, len(communes)))]))
            for commune in self.communes:
                if rng.random() < 0.6:
                    courses.append((Training(unit_id=commune.pk, level=TrainingLevel.COMMUNE,
                                             title="Bồi dưỡng nghiệp vụ (mẫu)",
                                             starts_on=self.day(datetime.date(year, 1, 1), last)), [commune.pk]))
        for course, units in courses:
            for unit_pk in units:
                people = rng.randint(5, 40)
                groups.append((course, TrainingParticipantGroup(participant_unit_id=unit_pk, participants=people,
                                                                programme_staff=rng.randint(1, min(people, 6)),
                                                                agency_name="Cơ quan mẫu")))
                course.participants_total += people
                course.programme_staff_total += groups[-1][1].programme_staff
        self.insert(Training, [c for c, _u in courses], "trainings")
        for course, group in groups:
            group.training_id = course.pk
        self.insert(TrainingParticipantGroup, [g for _c, g in groups], "training participant groups")
        have = set(StaffCount.objects.values_list("unit_id", "year"))
        self.insert(StaffCount, [
            StaffCount(unit_id=u.pk, year=year, staff=rng.randint(10, 30) if u.level == 1 else rng.randint(2, 8))
            for year in (2025, 2026) for u in [*self.provinces, *self.communes] if (u.pk, year) not in have
        ], "staff counts")

    def community(self):
        from lanhmanh.community.models import ModelKind, ModelStatus, PreventionModel

        PreventionModel = rows_of(PreventionModel)

        rng = self.rng
        rows = []
        count = round(self.sizes.models_per_commune * len(self.communes))
        for i in range(count):
            commune = self.commune()
            established = datetime.date(rng.randint(2019, 2026), rng.randint(1, 12), 1)
            established = min(established, self.end)
            model = PreventionModel(unit_id=commune.pk, name=f"Mô hình mẫu {i + 1:05d}",
                                    kind=rng.choice(list(ModelKind)), established_on=established,
                                    members_count=rng.randint(5, 40))
            roll = rng.random()
            if roll < 0.08 and established < self.end:
                model.status, model.dissolved_on = ModelStatus.DISSOLVED, self.day(established + datetime.timedelta(1))
            elif roll < 0.15 and established < self.end:
                model.status, model.paused_on = ModelStatus.PAUSED, self.day(established + datetime.timedelta(1))
            rows.append(model)
        self.insert(PreventionModel, rows, "prevention models")

    def budget(self):
        from lanhmanh.budget.models import BudgetAllocation, Expenditure, Purpose, Source

        BudgetAllocation, Expenditure = rows_of(BudgetAllocation, Expenditure)

        rng = self.rng
        units = [*self.provinces, *self.communes]
        lines = [(Source.STATE_BUDGET, Purpose.COMMUNICATION), (Source.STATE_BUDGET, Purpose.INSPECTION),
                 (Source.NATIONAL_PROGRAMME, Purpose.SUPPORT)]
        have = set(BudgetAllocation.objects.values_list("unit_id", "year", "source", "purpose"))
        self.insert(BudgetAllocation, [
            BudgetAllocation(unit_id=u.pk, year=year, source=source, purpose=purpose,
                             amount=rng.randint(20, 400) * (1_000_000 if u.level == 1 else 100_000))
            for year in (2025, 2026) for u in units for source, purpose in lines
            if (u.pk, year, source, purpose) not in have
        ], "budget allocations")
        rows = []
        weights = list(itertools.accumulate([5.0] * len(self.provinces) + self.commune_weights))
        for _i in range(self.sizes.expenditures):
            unit = rng.choices(units, cum_weights=weights)[0]
            source, purpose = rng.choice(lines)
            rows.append(Expenditure(unit_id=unit.pk, spent_on=self.day(), source=source, purpose=purpose,
                                    amount=rng.randint(1, 50) * 100_000, description="Khoản chi mẫu"))
        self.insert(Expenditure, rows, "expenditures")

    # -- support -------------------------------------------------------------------------------------

    def support(self):
        from lanhmanh.support.models import (
            CODE_ALPHABET,
            MINOR_AGE_GROUPS,
            AgeGroup,
            ClientStatus,
            CloseReason,
            Consent,
            ConsentGiver,
            Gender,
            NeedArea,
            NeedsAssessment,
            ServiceDelivery,
            ServiceOutcome,
            ServiceType,
            SupportClient,
        )

        SupportClient, Consent, NeedsAssessment, ServiceDelivery = rows_of(
            SupportClient, Consent, NeedsAssessment, ServiceDelivery)

        rng, sizes = self.rng, self.sizes
        taken = set(SupportClient.objects.values_list("code", flat=True))
        ages = [AgeGroup.FROM_18, AgeGroup.FROM_25, AgeGroup.FROM_35, AgeGroup.FROM_50, AgeGroup.UNKNOWN,
                AgeGroup.FROM_16, AgeGroup.UNDER_16]
        genders = [Gender.FEMALE, Gender.TRANS_WOMAN, Gender.MALE, Gender.UNSTATED]
        service_types = list(ServiceType.objects.filter(is_active=True).values_list("pk", flat=True))
        needs = list(NeedArea.values)
        per_client = _split(sizes.services, sizes.clients, rng, 5)
        outcomes = list(ServiceOutcome)
        last_registration = max(START, self.end - datetime.timedelta(days=10))
        for first in range(0, sizes.clients, sizes.chunk):
            clients = []
            for n in range(first, min(first + sizes.chunk, sizes.clients)):
                commune = self.commune()
                unit = self.province_of[commune.pk] if rng.random() < 0.1 else commune
                code, x = "", n
                for _d in range(6):  # the running number in the code alphabet: unique, nothing about the person
                    x, digit = divmod(x, len(CODE_ALPHABET))
                    code = CODE_ALPHABET[digit] + code
                code = f"HT-{unit.code}-{code}"
                while code in taken:
                    code += rng.choice(CODE_ALPHABET)
                age = rng.choices(ages, [26, 36, 22, 4, 8, 3, 1])[0]
                registered = self.day(START, last_registration)
                client = SupportClient(unit_id=unit.pk, code=code, registered_on=registered, age_group=age,
                                       is_minor=age in MINOR_AGE_GROUPS, gender=rng.choices(genders, [84, 8, 5, 3])[0],
                                       origin_province_id=rng.choice(self.provinces).pk)
                if rng.random() < 0.2:
                    client.status, client.closed_on = ClientStatus.CLOSED, self.day(registered)
                    client.close_reason = rng.choice(list(CloseReason))
                clients.append(client)
            self.insert(SupportClient, clients, "support clients")
            consents, assessments, services = [], [], []
            for client, count in zip(clients, per_client[first: first + sizes.chunk], strict=True):
                last = client.closed_on or self.end
                consents.append(Consent(
                    client_id=client.pk, unit_id=client.unit_id, given_on=client.registered_on,
                    given_by=ConsentGiver.GUARDIAN if client.is_minor else ConsentGiver.SELF, for_services=True))
                day = client.registered_on
                for k in range(rng.randint(1, 3)):
                    has = rng.random() < (0.9 if k == 0 else 0.6)
                    assessments.append(NeedsAssessment(
                        client_id=client.pk, unit_id=client.unit_id, assessed_on=day, has_needs=has,
                        needs=sorted(rng.sample(needs, rng.randint(1, 3)), key=needs.index) if has else []))
                    day = self.day(day + datetime.timedelta(days=30), last)
                    if day >= last:
                        break
                for _s in range(count):
                    services.append(ServiceDelivery(
                        client_id=client.pk, unit_id=client.unit_id, service_type_id=rng.choice(service_types),
                        delivered_on=self.day(client.registered_on, last),
                        outcome=rng.choices(outcomes, [70, 15, 8, 7])[0], provider_name="Cơ sở cung cấp mẫu"))
            self.insert(Consent, consents, "consents")
            self.insert(NeedsAssessment, assessments, "needs assessments")
            for start in range(0, len(services), sizes.chunk):
                self.insert(ServiceDelivery, services[start: start + sizes.chunk], "support services")

    # -- all -----------------------------------------------------------------------------------------

    def run(self) -> dict:
        self.log(f"national: building {asdict(self.sizes)}, dates {START} to {self.end}")
        with transaction.atomic():
            self.units()
            self.residential_groups()
            self.businesses()
            self.inspections()
            self.tips()
            self.cases()
            self.outreach()
            self.training()
            self.community()
            self.budget()
            self.support()
        settle()
        self.log(f"national: done in {time.monotonic() - self.started:.1f} s")
        return self.counts


def settle():
    """Fresh planner statistics after a bulk load; on PostgreSQL, outside a transaction, also the visibility map
    (VACUUM), so the figures' index-only reads behave as on a settled database (as autovacuum leaves it) rather
    than one just loaded. seed_demo calls it again once its transaction is committed."""
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def build(sizes: Sizes | None = None, *, seed: int = 2026, log=None) -> dict:
    """Builds the data set; returns {what: rows created}."""
    return Builder(sizes or Sizes.national(), seed, log).run()
