"""Demo inspections (Đội kiểm tra liên ngành 178): a team for every province and every detailed commune, with
their members; at demo scale an approved yearly plan per commune; and sessions and visits over the last ten
months shaped like seed 004's half-year report (12 sessions, 72 visits, 30 reminder minutes): mostly nothing
found, many reminders, a few violations, fines and suspensions, and follow-ups, some made and some overdue.
All names are invented."""

import datetime
from collections import defaultdict

from django.utils import timezone

from lanhmanh.accounts.models import Membership
from lanhmanh.accounts.roles import Role
from lanhmanh.businesses.models import Business
from lanhmanh.geo.models import Agency
from lanhmanh.inspections import services
from lanhmanh.inspections.models import (
    InspectionPlan,
    InspectionSession,
    InspectionVisit,
    SessionKind,
    Team,
    TeamMember,
    ViolationType,
)

Outcome = InspectionVisit.Outcome
Reason = InspectionVisit.SuspensionReason

# Communes were re-established by the two-tier reorganisation: their teams are set up after this date.
REORGANISED = datetime.date(2025, 7, 1)
WINDOW_DAYS = 300  # sessions over the last ~10 months
MIN_DAYS_BETWEEN_VISITS = 21  # a business is not visited again within three weeks, follow-ups aside

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lương"]
GIVEN_MALE = ["Văn Hải", "Minh Tuấn", "Quang Huy", "Đức Thắng", "Văn Toàn", "Hữu Nghĩa", "Mạnh Cường", "Công Sơn",
              "Xuân Trường", "Đình Phúc"]
GIVEN_FEMALE = ["Thị Hồng", "Thị Lan", "Thu Trang", "Thị Hạnh", "Ngọc Ánh", "Thị Phương", "Thanh Hương", "Bích Ngọc",
                "Thị Hoài", "Minh Nguyệt"]

# (agency type code, position): the head, the deputy, then the pool the other members are drawn from.
PROVINCE_ROSTER = [
    ("health", "Phó Giám đốc Sở Y tế"),
    ("police", "Phó Trưởng phòng Cảnh sát hình sự"),
    [
        ("health", "Trưởng phòng Phòng, chống tệ nạn xã hội, Sở Y tế"),
        ("health", "Chuyên viên Sở Y tế"),
        ("police", "Cán bộ Phòng Cảnh sát quản lý hành chính về trật tự xã hội"),
        ("police", "Cán bộ Phòng Cảnh sát hình sự"),
        ("culture", "Phó Chánh Thanh tra Sở Văn hóa, Thể thao và Du lịch"),
        ("culture", "Chuyên viên Sở Văn hóa, Thể thao và Du lịch"),
        ("justice", "Chuyên viên Sở Tư pháp"),
    ],
]
COMMUNE_ROSTER = [
    ("culture_society", "Trưởng phòng Văn hóa - Xã hội"),
    ("police", "Phó Trưởng Công an {kind}"),
    [
        ("police", "Cán bộ Công an {kind}"),
        ("police", "Cảnh sát khu vực, Công an {kind}"),
        ("health", "Trạm trưởng Trạm Y tế {kind}"),
        ("health", "Viên chức Trạm Y tế {kind}"),
        ("womens_union", "Phó Chủ tịch Hội Liên hiệp Phụ nữ {kind}"),
        ("culture_society", "Công chức Phòng Văn hóa - Xã hội"),
    ],
]

LODGING = {"guest_house", "hotel", "homestay"}
# Violation types that fit a business type (None: any), and how often they are found relative to each other.
VIOLATION_WEIGHTS = [
    ("nd144-security-conditions", None, 10),
    ("commitment-breach", None, 8),
    ("nd144-residence", LODGING, 12),
    ("nd38-karaoke-dance", {"karaoke", "bar"}, 12),
    ("nd144-other", None, 2),
    ("nd144-buying-selling", None, 1),
    ("nd144-harbouring", None, 1),
    ("nd144-brokering", None, 1),
]
FINES = [5_000_000, 6_000_000, 7_500_000, 10_000_000, 12_000_000, 15_000_000, 20_000_000, 25_000_000,
         30_000_000, 40_000_000]

FINDINGS = {
    Outcome.NO_VIOLATION: [
        "Cơ sở xuất trình đủ giấy đăng ký kinh doanh, giấy chứng nhận đủ điều kiện về an ninh, trật tự; "
        "niêm yết nội quy; không phát hiện vi phạm.",
        "Hồ sơ người lao động đầy đủ, chủ cơ sở chấp hành bản cam kết; không phát hiện vi phạm.",
        "Không phát hiện vi phạm. Đoàn phát tờ rơi, tuyên truyền về phòng, chống mại dâm và phòng, chống "
        "HIV cho chủ cơ sở và người lao động.",
    ],
    Outcome.REMINDER: [
        "Chưa cập nhật đầy đủ hồ sơ người lao động; đoàn nhắc nhở chủ cơ sở bổ sung trong 15 ngày.",
        "Chưa niêm yết nội quy, giờ hoạt động ở nơi dễ thấy; đoàn nhắc nhở thực hiện ngay.",
        "Bản cam kết năm nay chưa được ký lại; đoàn hướng dẫn chủ cơ sở ký bản cam kết.",
        "Chưa bố trí đủ phương tiện phòng cháy, chữa cháy theo quy định; nhắc nhở khắc phục.",
    ],
}
FINDINGS_LODGING_REMINDER = "Sổ theo dõi khách lưu trú ghi chưa đầy đủ; nhắc nhở chủ cơ sở ghi chép đúng quy định."
FINDINGS_FOLLOW_UP = "Kiểm tra lại: cơ sở đã khắc phục các tồn tại nêu trong biên bản lần trước."
FINDINGS_FOLLOW_UP_REMINDER = "Kiểm tra lại: cơ sở mới khắc phục một phần; tiếp tục nhắc nhở hoàn thành."


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _in_sentence(unit) -> str:
    """ "thành phố Hải Phòng", "tỉnh Hưng Yên", "phường Thành Đông": the unit's name inside a sentence."""
    kind = "thành phố" if unit.kind.startswith("thành phố") else unit.kind
    return f"{kind} {_short(unit.name)}"


def _day_between(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _person(rng, used: set, female: bool | None = None) -> str:
    """An invented name whose given name is not yet used in `used` (one team)."""
    if female is None:
        female = rng.random() < 0.4
    given = [g for g in (GIVEN_FEMALE if female else GIVEN_MALE) if g not in used]
    name = rng.choice(given)
    used.add(name)
    return f"{rng.choice(FAMILY)} {name}"


def seed(ctx):
    today = timezone.localdate()
    teams = _seed_teams(ctx, today)
    plans = _seed_plans(ctx, teams, today) if ctx.scale == "demo" else {}
    figures = _seed_sessions(ctx, teams, plans, today)
    members = TeamMember.objects.filter(team__in=teams.values()).count()
    ctx.log.append(
        f"Demo: {len(teams)} inspection teams with {members} members, {len(plans)} approved plans, "
        f"{figures['sessions']} sessions, {figures['visits']} visits ({figures['reminders']} reminders, "
        f"{figures['violations']} violations, {figures['fines']} fines, {figures['suspensions']} suspensions, "
        f"{figures['follow_ups']} follow-ups made, {figures['overdue']} overdue)."
    )


def _seed_teams(ctx, today):
    """{unit pk: Team} for every province and detailed commune, each with 4–7 members."""
    rng = ctx.rng
    units = [*ctx.provinces, *ctx.detailed_communes]
    by_type = defaultdict(dict)
    for agency in Agency.objects.filter(unit__in=units, is_active=True).select_related("agency_type").order_by("pk"):
        by_type[agency.unit_id].setdefault(agency.agency_type.code, agency)

    teams, rosters = [], []
    for unit in units:
        province = unit in ctx.provinces
        # Provinces were merged on the same date, so their teams were re-established then too.
        latest = min(today, REORGANISED + datetime.timedelta(days=30 if province else 75))
        decided = _day_between(rng, REORGANISED, latest)
        used = set()
        signer = _person(rng, used)
        teams.append(Team(
            unit=unit, name=f"Đội kiểm tra liên ngành 178 {_in_sentence(unit)}",
            decision_number=f"{rng.randint(1500, 2600) if province else rng.randint(20, 400)}/QĐ-UBND",
            decision_date=decided,
            decision_signer=f"{signer}, Phó Chủ tịch Ủy ban nhân dân {_in_sentence(unit)}",
        ))
        head, deputy, pool = PROVINCE_ROSTER if province else COMMUNE_ROSTER
        roster = [(head, TeamMember.RoleInTeam.HEAD), (deputy, TeamMember.RoleInTeam.DEPUTY)]
        roster += [(slot, TeamMember.RoleInTeam.MEMBER) for slot in rng.sample(pool, rng.randint(2, 5))]
        rosters.append([(_person(rng, used, True if slot[0] == "womens_union" else None), slot, role)
                        for slot, role in roster])
    Team.objects.bulk_create(teams, batch_size=1000)

    members = []
    for team, roster in zip(teams, rosters, strict=True):
        team.demo_names = [full_name for full_name, _slot, _role in roster]  # head first, then the deputy
        for full_name, (agency_type, position), role in roster:
            members.append(TeamMember(
                team=team, unit_id=team.unit_id, full_name=full_name, role_in_team=role,
                agency=by_type[team.unit_id].get(agency_type), position=position.format(kind=team.unit.kind),
                valid_from=team.decision_date,
            ))
    TeamMember.objects.bulk_create(members, batch_size=2000)
    return {team.unit_id: team for team in teams}


def _approver(commune, memberships):
    """The demo user nearest above the commune who may approve its plan, or None (province, national scale)."""
    above = [m for m in memberships if commune.path.startswith(m.unit.path)]
    if not above:
        return None
    return max(above, key=lambda m: (len(m.unit.path), m.role == Role.APPROVER, -m.pk)).user


def _seed_plans(ctx, teams, today):
    """{commune pk: plan}: the commune's approved plan for this year, proposed by risk as an officer would,
    before this year's visits. Only at demo scale: proposing ranks every business of the commune, a dozen
    queries each, too slow for the thousands of communes of the province and national scales."""
    rng = ctx.rng
    year = today.year
    memberships = list(Membership.objects.filter(
        is_active=True, user__is_active=True, role__in=[Role.APPROVER, Role.PROGRAMME_OFFICER],
    ).select_related("user", "unit").order_by("pk"))
    plans = {}
    for commune in ctx.detailed_communes:
        team = teams[commune.pk]
        plan = InspectionPlan.objects.create(
            unit=commune, team=team, year=year, coverage_target=60,
            title=f"Kế hoạch kiểm tra các cơ sở kinh doanh dịch vụ dễ bị lợi dụng để hoạt động mại dâm "
                  f"năm {year}, {_in_sentence(commune)}",
        )
        if not services.propose_plan(plan):
            continue  # nothing under management: the plan stays a draft
        services.approve_plan(plan, user=_approver(commune, memberships))
        # approve_plan dates the approval today; the demo plan was approved early in the year.
        approved = max(datetime.date(year, 1, rng.randint(8, 25)),
                       team.decision_date + datetime.timedelta(days=rng.randint(5, 20)))
        plan.approved_on = min(approved, today)
        InspectionPlan.objects.filter(pk=plan.pk).update(approved_on=plan.approved_on)
        plans[commune.pk] = plan
    return plans


class _Sessions:
    """Builds the sessions and visits in memory, then writes them in a few bulk inserts."""

    def __init__(self, ctx, plans, today):
        self.rng = ctx.rng
        self.today = today
        self.communes = {commune.pk: commune for commune in ctx.detailed_communes}
        self.plans = plans
        self.planned = {pk: set(plan.items.values_list("business_id", flat=True)) for pk, plan in plans.items()}
        self.types = {t.code: t for t in ViolationType.objects.all()}
        self.pools = defaultdict(list)  # commune pk -> businesses that may be visited
        for business in Business.objects.filter(
            unit__in=list(self.communes), status=Business.Status.OPERATING, subject_to_management=True,
        ).order_by("pk").values("pk", "unit_id", "opened_on", "business_type__code"):
            self.pools[business["unit_id"]].append(business)
        self.visited = defaultdict(list)  # business pk -> visit dates
        self.sessions = []
        self.visits = []  # (visit, [violation types])
        self.follow_ups = defaultdict(list)  # (team, date) -> [(earlier visit, business)]
        self.overdue = 0

    # -- choosing -----------------------------------------------------------------------------------

    def days(self, team, count):
        """`count` distinct days in the last ten months, not before the team existed, never in the future."""
        start = max(self.today - datetime.timedelta(days=WINDOW_DAYS), team.decision_date + datetime.timedelta(days=1))
        span = (self.today - start).days + 1
        if span <= 0:
            return []
        return sorted(start + datetime.timedelta(days=d) for d in self.rng.sample(range(span), min(count, span)))

    def free(self, business, day, gap=MIN_DAYS_BETWEEN_VISITS):
        return (business["opened_on"] is None or business["opened_on"] <= day) and all(
            abs((day - other).days) >= gap for other in self.visited[business["pk"]])

    def choose(self, team, communes, day, count, prefer=()):
        pool = [b for commune in communes for b in self.pools[commune.pk]
                if commune.path.startswith(team.unit.path) and self.free(b, day)]
        self.rng.shuffle(pool)
        pool.sort(key=lambda b: b["pk"] not in prefer)  # stable: planned, not yet visited this year, first
        return pool[:count]

    # -- building -----------------------------------------------------------------------------------

    def hold(self, team, day, kind, businesses, plan=None):
        rng = self.rng
        names = team.demo_names
        lead = names[0] if rng.random() < 0.7 else names[1]
        others = rng.sample([n for n in names if n != lead], min(len(names) - 1, rng.randint(2, 3)))
        session = InspectionSession(
            team=team, unit_id=team.unit_id, date=day, kind=kind, plan=plan,
            decision_number=f"{rng.randint(5, 480)}/QĐ-ĐKT",
            decision_date=max(team.decision_date, day - datetime.timedelta(days=rng.randint(0, 7))),
            note=f"Phối hợp với Công an {_in_sentence(team.unit)}, kiểm tra ngoài giờ hành chính."
            if kind == SessionKind.JOINT_POLICE else "",
        )
        self.sessions.append(session)
        evening = kind == SessionKind.JOINT_POLICE or rng.random() < 0.4
        minute = (rng.randint(18, 19) if evening else rng.randint(8, 9)) * 60 + rng.choice([0, 15, 30])
        attendees = f"Đoàn kiểm tra: {lead} (trưởng đoàn), {', '.join(others)}; đại diện cơ sở: chủ cơ sở"
        made = []
        for business in businesses:
            self.visited[business["pk"]].append(day)
            visit = InspectionVisit(
                session=session, business_id=business["pk"], unit_id=business["unit_id"], visited_on=day,
                time=datetime.time(*divmod(min(minute, 23 * 60 + 45), 60)), attendees=attendees,
            )
            minute += rng.choice([25, 30, 35, 40, 45])
            made.append((visit, business))
        return made

    def outcome(self, team, visit, business):
        """What the visit found, the sanction and suspension, and the follow-up asked for."""
        rng, day, today = self.rng, visit.visited_on, self.today
        code = business["business_type__code"]
        visit.outcome = rng.choices([Outcome.NO_VIOLATION, Outcome.REMINDER, Outcome.VIOLATION], [52, 40, 8])[0]
        found = self.violations(code, day) if visit.outcome == Outcome.VIOLATION else []
        if visit.outcome == Outcome.VIOLATION and not found:
            visit.outcome = Outcome.REMINDER
        if visit.outcome == Outcome.NO_VIOLATION:
            visit.findings = rng.choice(FINDINGS[Outcome.NO_VIOLATION])
        elif visit.outcome == Outcome.REMINDER:
            visit.findings = rng.choice(FINDINGS[Outcome.REMINDER] + [FINDINGS_LODGING_REMINDER] * (code in LODGING))
            if rng.random() < 0.15:
                visit.follow_up_due = day + datetime.timedelta(days=rng.randint(15, 30))
        else:
            names = "; ".join(t.name[0].lower() + t.name[1:] for t in found)
            visit.findings = f"Lập biên bản vi phạm hành chính về: {names}."
            self.sanction(visit, found)
            if visit.suspended_until:
                visit.follow_up_due = visit.suspended_until + datetime.timedelta(days=rng.randint(3, 10))
            elif rng.random() < 0.7:
                visit.follow_up_due = day + datetime.timedelta(days=rng.randint(15, 45))
        self.visits.append((visit, found))
        if visit.follow_up_due:
            due = visit.follow_up_due
            earliest = max(day + datetime.timedelta(days=7),
                           (visit.suspended_until or day) + datetime.timedelta(days=1))
            latest = min(today, due + datetime.timedelta(days=7))
            follow_up = rng.random() < (0.65 if due < today else 0.3) and earliest <= latest
            when = _day_between(rng, earliest, latest) if follow_up else None
            if when and self.free(business, when, gap=3):
                self.visited[business["pk"]].append(when)
                self.follow_ups[(team, when)].append((visit, business))
            elif due < today:
                self.overdue += 1

    def violations(self, code, day):
        """One or two violation types that fit the business and apply on `day` (as ViolationType.objects.valid_on,
        without a query per visit)."""
        options = [(self.types[c], w) for c, fits, w in VIOLATION_WEIGHTS
                   if c in self.types and (fits is None or code in fits) and self.types[c].is_valid_on(day)]
        wanted = min(len(options), 2 if self.rng.random() < 0.3 else 1)
        found = []
        while len(found) < wanted:
            kind = self.rng.choices([t for t, _w in options], [w for _t, w in options])[0]
            if kind not in found:
                found.append(kind)
        return found

    def sanction(self, visit, found):
        rng, day, today = self.rng, visit.visited_on, self.today
        related = any(t.prostitution_related for t in found)
        if related or rng.random() < 0.5:
            visit.fine_amount = rng.choice(FINES[-3:] if related else FINES[:8])
            visit.sanction_authority = f"Chủ tịch Ủy ban nhân dân {self.communes[visit.unit_id].kind}"
            decided = day + datetime.timedelta(days=rng.randint(1, 10))
            if decided > today or ((today - day).days < 30 and rng.random() < 0.5):
                visit.sanction_stage = InspectionVisit.SanctionStage.PROPOSED  # the decision is still to come
            else:
                visit.sanction_stage = InspectionVisit.SanctionStage.APPLIED
                visit.sanction_decision_number = f"{rng.randint(10, 350)}/QĐ-XPHC"
                visit.sanction_decision_date = decided
        if rng.random() < (0.6 if related else 0.25):
            start = day + datetime.timedelta(days=rng.randint(0, 2))
            end = start + datetime.timedelta(days=rng.randint(30, 90))
            if end < today:  # the business is operating again now
                visit.suspended_from, visit.suspended_until = start, end
                visit.suspension_reason = Reason.PROSTITUTION if related else rng.choices(
                    [Reason.CONDITIONS, Reason.FIRE_SAFETY], [3, 1])[0]

    def commune_team(self, team, commune):
        rng = self.rng
        plan = self.plans.get(commune.pk)
        for day in self.days(team, rng.randint(2, 4)):
            kind = rng.choices([SessionKind.PLANNED, SessionKind.SURPRISE, SessionKind.JOINT_POLICE], [6, 2, 2])[0]
            in_plan = plan if kind == SessionKind.PLANNED and plan and (
                plan.approved_on <= day and plan.period[0] <= day <= plan.period[1]) else None
            prefer = {pk for pk in self.planned.get(commune.pk, ())
                      if not any(d.year == day.year for d in self.visited[pk])} if in_plan else ()
            businesses = self.choose(team, [commune], day, rng.randint(2, 4), prefer)
            if not businesses:
                continue
            for visit, business in self.hold(team, day, kind, businesses, in_plan):
                self.outcome(team, visit, business)

    def province_team(self, team, communes):
        rng = self.rng
        communes = [c for c in communes if self.pools[c.pk]]
        if not communes:
            return
        # About one outing a month in a large province; fewer where only a few communes have demo businesses.
        for day in self.days(team, max(4, min(12, len(communes)))):
            kind = rng.choices([SessionKind.PLANNED, SessionKind.SURPRISE, SessionKind.JOINT_POLICE], [5, 3, 2])[0]
            where = rng.sample(communes, min(len(communes), rng.randint(1, 2)))
            businesses = self.choose(team, where, day, rng.randint(4, 8))
            if not businesses:
                continue
            for visit, business in self.hold(team, day, kind, businesses):
                self.outcome(team, visit, business)

    def save(self):
        rng = self.rng
        later = []
        for (team, day), earlier in sorted(self.follow_ups.items(), key=lambda item: (item[0][1], item[0][0].pk)):
            for visit, business in self.hold(team, day, SessionKind.FOLLOW_UP, [b for _v, b in earlier]):
                visit.follow_up_of = next(v for v, b in earlier if b is business)
                visit.outcome = Outcome.NO_VIOLATION if rng.random() < 0.8 else Outcome.REMINDER
                visit.findings = FINDINGS_FOLLOW_UP if visit.outcome == Outcome.NO_VIOLATION \
                    else FINDINGS_FOLLOW_UP_REMINDER
                later.append(visit)
        InspectionSession.objects.bulk_create(self.sessions, batch_size=2000)
        InspectionVisit.objects.bulk_create([v for v, _found in self.visits], batch_size=2000)
        InspectionVisit.objects.bulk_create(later, batch_size=2000)  # after the visits they follow up
        through = InspectionVisit.violations.through
        through.objects.bulk_create([through(inspectionvisit_id=visit.pk, violationtype_id=kind.pk)
                                     for visit, found in self.visits for kind in found], batch_size=2000)
        visits = [v for v, _found in self.visits] + later
        return {
            "sessions": len(self.sessions), "visits": len(visits),
            "reminders": sum(v.outcome == Outcome.REMINDER for v in visits),
            "violations": sum(v.outcome == Outcome.VIOLATION for v in visits),
            "fines": sum(v.sanction_stage == InspectionVisit.SanctionStage.APPLIED for v in visits),
            "suspensions": sum(v.suspended_from is not None for v in visits),
            "follow_ups": len(later), "overdue": self.overdue,
        }


def _seed_sessions(ctx, teams, plans, today):
    builder = _Sessions(ctx, plans, today)
    for commune in ctx.detailed_communes:
        builder.commune_team(teams[commune.pk], commune)
    for province in ctx.provinces:
        builder.province_team(teams[province.pk], [c for c in ctx.detailed_communes
                                                    if c.path.startswith(province.path)])
    return builder.save()
