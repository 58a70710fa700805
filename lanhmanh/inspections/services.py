"""Rules of the inspection module that are more than one record's: the risk-ranked plan proposal, plan
approval, the coverage figures per unit and period, and the inspection history's part in a business's
suggested risk level."""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lanhmanh.businesses.models import Business, RiskLevel
from lanhmanh.businesses.services import RiskSignal, risk_signal, suggest_risk, with_risk_data
from lanhmanh.core.scoping import path_q
from lanhmanh.core.services import save_versioned
from lanhmanh.inspections.models import (
    InspectionPlan,
    InspectionSession,
    InspectionVisit,
    PlannedBusiness,
    ViolationType,
)

Outcome = InspectionVisit.Outcome

# -- the inspection history in the suggested risk level ---------------------------------------------

RISK_LOOKBACK_DAYS = 730


def _findings_prefetch():
    since = timezone.localdate() - datetime.timedelta(days=RISK_LOOKBACK_DAYS)
    return Prefetch(
        "inspection_visits",
        queryset=InspectionVisit.objects.filter(visited_on__gte=since).exclude(outcome=Outcome.NO_VIOLATION)
        .only("pk", "business_id", "visited_on", "outcome").order_by("-visited_on"),
        to_attr="recent_findings",
    )


@risk_signal(prefetch=_findings_prefetch)
def _inspection_signal(business):
    """Violations found in the last two years weigh 2 points each (at most 4); a reminder minute 1."""
    visits = getattr(business, "recent_findings", None)
    if visits is None:
        visits = list(_findings_prefetch().queryset.filter(business=business))
    signals = []
    violations = [v for v in visits if v.outcome == Outcome.VIOLATION]
    for visit in violations[:2]:
        signals.append(RiskSignal(2, _("Phát hiện vi phạm khi kiểm tra ngày %(date)s")
                                  % {"date": visit.visited_on.strftime("%d/%m/%Y")}))
    reminders = [v for v in visits if v.outcome == Outcome.REMINDER]
    if reminders and not violations:
        signals.append(RiskSignal(1, _("Bị lập biên bản nhắc nhở ngày %(date)s")
                                  % {"date": reminders[0].visited_on.strftime("%d/%m/%Y")}))
    return signals


# -- violations of a visit ------------------------------------------------------------------------


def violation_errors(outcome, violations, day, previous=()) -> list[str]:
    """Why these violations cannot be recorded for a visit with this outcome on `day`. Entries the visit
    already had (`previous`) stay allowed after they expire, so old visits can still be edited."""
    errors = []
    violations = list(violations)
    if outcome == Outcome.VIOLATION and not violations:
        errors.append(_("Kết quả là “Phát hiện vi phạm” thì phải chọn ít nhất một hành vi vi phạm."))
    if outcome != Outcome.VIOLATION and violations:
        errors.append(_("Chỉ chọn hành vi vi phạm khi kết quả là “Phát hiện vi phạm”."))
    previous = {v.pk for v in previous}
    for violation in violations:
        if day and violation.pk not in previous and not violation.is_valid_on(day):
            errors.append(_("“%(name)s” (%(ref)s) không còn áp dụng vào ngày %(date)s.") % {
                "name": violation.name, "ref": violation.legal_reference, "date": day.strftime("%d/%m/%Y")})
    return errors


# -- the plan proposal ----------------------------------------------------------------------------

LEVEL_POINTS = {RiskLevel.HIGH: 4, RiskLevel.MEDIUM: 2, RiskLevel.LOW: 0}
VIOLATION_LOOKBACK_YEARS = 3

# Functions (businesses: list[Business], on: date) -> {business pk: [RiskSignal]} that raise a business's
# priority in a plan. The tips module registers "tips received about it" here when it lands.
PRIORITY_SIGNALS: list[Callable[[list, datetime.date], dict]] = []


def priority_signal(func):
    PRIORITY_SIGNALS.append(func)
    return func


@dataclass
class Candidate:
    business: Business
    score: int
    reasons: list[str]
    last_visit: datetime.date | None


def managed_in(unit):
    """Businesses under programme management (not closed) in `unit`'s subtree: the coverage denominator."""
    return Business.objects.managed().within([unit.path])


def rank_businesses(unit, *, on=None) -> list[Candidate]:
    """Every business under management in `unit`'s subtree, highest priority first: its risk level (the
    officer's, else the suggested one), time since the last visit, violations found in the last three years,
    a missing valid commitment, and any registered priority signal. Ties go to the longest unvisited."""
    on = on or timezone.localdate()
    since = on - datetime.timedelta(days=365 * VIOLATION_LOOKBACK_YEARS)  # replace(year=) fails on 29/02
    queryset = with_risk_data(managed_in(unit).with_commitment_state(on)).annotate(
        last_visit=Max("inspection_visits__visited_on"),
        violation_visits=Count("inspection_visits", distinct=True, filter=Q(
            inspection_visits__outcome=Outcome.VIOLATION, inspection_visits__visited_on__gte=since)),
    )
    businesses = list(queryset)
    extra = {}
    for func in PRIORITY_SIGNALS:
        for pk, signals in func(businesses, on).items():
            extra.setdefault(pk, []).extend(signals)
    candidates = []
    for business in businesses:
        score, reasons = 0, []
        level = business.risk_level
        if level:
            reasons.append(_("Mức độ rủi ro: %(level)s") % {"level": RiskLevel(level).label})
        else:
            level = suggest_risk(business)[0]
            reasons.append(_("Mức độ rủi ro gợi ý: %(level)s") % {"level": RiskLevel(level).label})
        score += LEVEL_POINTS[level]
        last = business.last_visit
        if last is None:
            score += 3
            reasons.append(_("Chưa được kiểm tra lần nào"))
        elif (on - last).days > 365:
            score += 2
            reasons.append(_("Lần kiểm tra gần nhất %(date)s, đã hơn 12 tháng") % {"date": last.strftime("%d/%m/%Y")})
        elif (on - last).days > 180:
            score += 1
            reasons.append(_("Lần kiểm tra gần nhất %(date)s, đã hơn 6 tháng") % {"date": last.strftime("%d/%m/%Y")})
        if business.violation_visits:
            score += min(4, 2 * business.violation_visits)
            reasons.append(_("%(n)s lượt phát hiện vi phạm trong 3 năm") % {"n": business.violation_visits})
        if not business.has_valid_commitment:
            score += 2
            reasons.append(_("Chưa có bản cam kết còn hiệu lực"))
        for signal in extra.get(business.pk, []):
            score += signal.points
            reasons.append(signal.reason)
        candidates.append(Candidate(business, score, reasons, last))
    candidates.sort(key=lambda c: (-c.score, c.last_visit or datetime.date.min, c.business.name, c.business.pk))
    return candidates


def businesses_needed(target_percent: int, managed: int) -> int:
    """How many distinct businesses reach `target_percent` of `managed`: 60% of 72 is 43.2, so 44."""
    return math.ceil(target_percent * managed / 100)


class PlanLocked(ValidationError):
    pass


def _check_draft(plan):
    if plan.is_approved:
        raise PlanLocked(_("Kế hoạch đã được phê duyệt, không thể thay đổi danh sách cơ sở."))


def propose_plan(plan: InspectionPlan) -> int:
    """Fill the plan with the highest-ranked businesses until it reaches its coverage target. Businesses the
    officer added by hand stay; the rest of an earlier proposal is replaced. Returns the number planned."""
    _check_draft(plan)
    candidates = rank_businesses(plan.unit)
    needed = businesses_needed(plan.coverage_target, len(candidates))
    with transaction.atomic():
        plan.items.filter(added_by_hand=False).delete()
        kept = set(plan.items.values_list("business_id", flat=True))
        chosen = [c for c in candidates if c.business.pk in kept]
        for candidate in candidates:
            if len(chosen) >= needed:
                break
            if candidate.business.pk not in kept:
                chosen.append(candidate)
        _write_items(plan, chosen, kept)
    return plan.items.count()


def _write_items(plan, chosen, by_hand):
    order = {c.business.pk: i for i, c in enumerate(sorted(chosen, key=lambda c: (
        -c.score, c.last_visit or datetime.date.min, c.business.name, c.business.pk)), start=1)}
    existing = {item.business_id: item for item in plan.items.all()}
    new, changed = [], []
    for candidate in chosen:
        pk = candidate.business.pk
        values = {"rank": order[pk], "score": candidate.score, "reasons": "\n".join(candidate.reasons)}
        item = existing.get(pk)
        if item is None:
            new.append(PlannedBusiness(plan=plan, business_id=pk, added_by_hand=pk in by_hand, **values))
        else:
            for name, value in values.items():
                setattr(item, name, value)
            changed.append(item)
    PlannedBusiness.objects.bulk_create(new)
    PlannedBusiness.objects.bulk_update(changed, ["rank", "score", "reasons"])


def adjust_plan(plan: InspectionPlan, *, add=(), remove=()) -> None:
    """Add businesses by hand (they must be under management in the plan's area) and remove items."""
    _check_draft(plan)
    add = list(add)
    outside = [b for b in add if not b.unit.path.startswith(plan.unit.path)]
    if outside:
        raise ValidationError(_("Cơ sở %(name)s không thuộc địa bàn của kế hoạch.") % {"name": outside[0]})
    with transaction.atomic():
        plan.items.filter(pk__in=[getattr(r, "pk", r) for r in remove]).delete()
        present = set(plan.items.values_list("business_id", flat=True))
        wanted = {b.pk for b in add} - present
        if wanted:
            ranked = {c.business.pk: c for c in rank_businesses(plan.unit)}
            chosen = [c for pk, c in ranked.items() if pk in present | wanted]
            missing = wanted - set(ranked)
            if missing:
                raise ValidationError(_("Chỉ thêm được cơ sở thuộc diện quản lý và đang hoạt động."))
            _write_items(plan, chosen, by_hand=wanted | set(
                plan.items.filter(added_by_hand=True).values_list("business_id", flat=True)))


def approve_plan(plan: InspectionPlan, *, user) -> InspectionPlan:
    _check_draft(plan)
    if not plan.items.exists():
        raise ValidationError(_("Kế hoạch chưa có cơ sở nào. Hãy lập danh sách trước khi phê duyệt."))
    plan.status = InspectionPlan.Status.APPROVED
    plan.approved_by = user
    plan.approved_on = timezone.localdate()
    plan._change_reason = _("Phê duyệt")
    return save_versioned(plan, expected_version=plan.version, user=user)


def reopen_plan(plan: InspectionPlan, *, user) -> InspectionPlan:
    """Back to draft, to change the list; the approval is cleared and must be given again."""
    plan.status = InspectionPlan.Status.DRAFT
    plan.approved_by = None
    plan.approved_on = None
    plan._change_reason = _("Trả lại dự thảo")
    return save_versioned(plan, expected_version=plan.version, user=user)


@dataclass
class PlanProgress:
    managed: int
    needed: int
    planned: int
    planned_visited: int
    managed_visited: int

    @property
    def reach_percent(self) -> float:
        return _percent(self.planned, self.managed)

    @property
    def progress_percent(self) -> float:
        return _percent(self.planned_visited, self.planned)

    @property
    def coverage_percent(self) -> float:
        return _percent(self.managed_visited, self.managed)


def plan_progress(plan: InspectionPlan) -> PlanProgress:
    """The coverage the plan would reach, and how far its execution has come (any visit in the plan's
    period counts, whichever team made it)."""
    start, end = plan.period
    visited = InspectionVisit.objects.visited_between(start, end)
    managed = managed_in(plan.unit)
    figures = managed.aggregate(managed=Count("pk"), visited=Count("pk", filter=Exists(visited)))
    planned = plan.items.aggregate(
        planned=Count("pk"),
        visited=Count("pk", filter=Exists(InspectionVisit.objects.visited_between(
            start, end, business=OuterRef("business_id")))),
    )
    return PlanProgress(
        managed=figures["managed"], needed=businesses_needed(plan.coverage_target, figures["managed"]),
        planned=planned["planned"], planned_visited=planned["visited"], managed_visited=figures["visited"],
    )


def _percent(part, whole) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


# -- coverage figures -----------------------------------------------------------------------------


@dataclass
class Coverage:
    start: datetime.date
    end: datetime.date
    sessions: int = 0
    visits: int = 0
    businesses_visited: int = 0
    managed: int = 0
    managed_visited: int = 0
    reminders: int = 0
    violation_visits: int = 0
    fines: int = 0
    fines_total: int = 0
    fines_proposed: int = 0
    suspensions: int = 0
    licence_withdrawals: int = 0
    open_follow_ups: int = 0
    overdue_follow_ups: int = 0
    violations_by_type: list = field(default_factory=list)

    @property
    def coverage_percent(self) -> float:
        return _percent(self.managed_visited, self.managed)


def visits_in(paths, start, end):
    return InspectionVisit.objects.within(paths).between(start, end)


def coverage(unit, start, end, *, today=None) -> Coverage:
    """The inspection figures of `unit`'s subtree over [start, end] (inclusive), in eight queries:

    sessions held by a team of the subtree or visiting a business of it; visits; distinct businesses visited;
    coverage = distinct businesses under management visited ÷ businesses under management now; reminder
    minutes; visits with violations, and violations by type; fines decided (count and total VND) and fines
    proposed; suspensions and licence withdrawals decided at visits; follow-ups asked for at visits in the
    period and not yet made, and those of them past their due date."""
    today = today or timezone.localdate()
    paths = [unit.path]
    visits = visits_in(paths, start, end)
    applied = Q(sanction_stage=InspectionVisit.SanctionStage.APPLIED, fine_amount__gt=0)
    figures = visits.with_follow_up_state().aggregate(
        visits=Count("pk"), businesses=Count("business", distinct=True),
        reminders=Count("pk", filter=Q(outcome=Outcome.REMINDER)),
        violation_visits=Count("pk", filter=Q(outcome=Outcome.VIOLATION)),
        fines=Count("pk", filter=applied), fines_total=Sum("fine_amount", filter=applied),
        fines_proposed=Count("pk", filter=Q(sanction_stage=InspectionVisit.SanctionStage.PROPOSED,
                                            fine_amount__gt=0)),
        suspensions=Count("pk", filter=Q(suspended_from__isnull=False)),
        withdrawals=Count("pk", filter=Q(licence_withdrawn=True)),
        open_follow_ups=Count("pk", filter=Q(follow_up_due__isnull=False, followed_up=False)),
        overdue=Count("pk", filter=Q(follow_up_due__lt=today, followed_up=False)),
    )
    sessions = InspectionSession.objects.filter(date__gte=start, date__lte=end).filter(
        path_q("unit__path", paths) | Q(pk__in=visits.values("session_id"))).count()
    visited = InspectionVisit.objects.visited_between(start, end)
    managed = managed_in(unit).aggregate(managed=Count("pk"), visited=Count("pk", filter=Exists(visited)))
    by_type = list(ViolationType.objects.filter(visits__in=visits.values("pk")).annotate(
        found=Count("visits")).order_by("-found", "sort_order"))
    return Coverage(
        start=start, end=end, sessions=sessions, visits=figures["visits"],
        businesses_visited=figures["businesses"], managed=managed["managed"], managed_visited=managed["visited"],
        reminders=figures["reminders"], violation_visits=figures["violation_visits"], fines=figures["fines"],
        fines_total=figures["fines_total"] or 0, fines_proposed=figures["fines_proposed"],
        suspensions=figures["suspensions"], licence_withdrawals=figures["withdrawals"],
        open_follow_ups=figures["open_follow_ups"], overdue_follow_ups=figures["overdue"],
        violations_by_type=[(t, t.found) for t in by_type],
    )


@dataclass
class ChildCoverage:
    unit: object
    visits: int = 0
    businesses_visited: int = 0
    managed: int = 0
    managed_visited: int = 0

    @property
    def coverage_percent(self) -> float:
        return _percent(self.managed_visited, self.managed)


def coverage_by_child(unit, start, end) -> list[ChildCoverage]:
    """Visits and coverage for each unit directly below `unit` (each commune of a province), in four
    queries whatever the number of children."""
    from lanhmanh.geo.models import AdminUnit

    children = list(AdminUnit.objects.filter(parent=unit, level__lte=AdminUnit.Level.COMMUNE).order_by("name"))
    if not children:
        return []
    rows = {child.path: ChildCoverage(child) for child in children}

    def child_of(path):
        for child_path in rows:
            if path.startswith(child_path):
                return rows[child_path]
        return None

    visits = visits_in([unit.path], start, end).order_by().values("unit__path").annotate(
        n=Count("pk"), businesses=Count("business", distinct=True))
    for row in visits:
        if (target := child_of(row["unit__path"])) is not None:
            target.visits += row["n"]
            target.businesses_visited += row["businesses"]
    visited = InspectionVisit.objects.visited_between(start, end)
    managed = managed_in(unit).values("unit__path").annotate(n=Count("pk"), visited=Count(
        "pk", filter=Exists(visited)))
    for row in managed:
        if (target := child_of(row["unit__path"])) is not None:
            target.managed += row["n"]
            target.managed_visited += row["visited"]
    return list(rows.values())
