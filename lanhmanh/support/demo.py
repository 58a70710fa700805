"""Demo support clients: invented, pseudonymous people only. Every detailed commune keeps 15–40 clients registered
since 1/1/2025, known by code, with no identifying detail at all (names, dates of birth, phones, ID numbers and
addresses stay blank) and no free text that could describe a person. Most come from other provinces (seed 004);
a few are minors, each with a child-protection referral. Each has a consent given at the first contact (a few
withdrawn later), needs assessments, services over 2025–2026 and referrals to the province's legal aid, social work,
HIV, vocational and employment agencies in every status; some cases are closed. The province gets the agencies these
referrals go to, and the demo scale adds a support worker, a supervisor and a receiving partner."""

import datetime
import json

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from lanhmanh.accounts.models import Membership, User
from lanhmanh.accounts.roles import Role
from lanhmanh.geo.models import AdminUnit, Agency, AgencyType
from lanhmanh.support.models import (
    CODE_ALPHABET,
    CODE_RANDOM_LENGTH,
    AgeGroup,
    ClientStatus,
    CloseReason,
    Consent,
    ConsentGiver,
    ConsentMethod,
    Gender,
    NeedArea,
    NeedsAssessment,
    Referral,
    ReferralStatus,
    ServiceDelivery,
    ServiceOutcome,
    ServiceType,
    SharedItem,
    SupportClient,
    age_group_for,
)

START = datetime.date(2025, 1, 1)
CLIENTS_PER_COMMUNE = (15, 40)
# Agencies of each province that receive referrals (agency type codes of geo migration 0003).
PROVINCE_AGENCIES = [
    ("legal_aid", "Trung tâm Trợ giúp pháp lý nhà nước {name}"),
    ("social_work", "Trung tâm Công tác xã hội {name}"),
    ("hiv_clinic", "Phòng khám ngoại trú điều trị HIV/AIDS {name}"),
    ("vocational", "Trường Trung cấp nghề {name}"),
    ("employment_service", "Trung tâm Dịch vụ việc làm {name}"),
    ("social_policy_bank", "Ngân hàng Chính sách xã hội chi nhánh {name}"),
    ("child_protection", "Phòng Bảo trợ xã hội và Bảo vệ trẻ em, Sở Y tế {name}"),
]
AGE_WEIGHTS = [
    (AgeGroup.FROM_18, 26), (AgeGroup.FROM_25, 36), (AgeGroup.FROM_35, 22), (AgeGroup.FROM_50, 4),
    (AgeGroup.UNKNOWN, 8), (AgeGroup.FROM_16, 3), (AgeGroup.UNDER_16, 1),
]
AGES = {AgeGroup.FROM_18: (18, 24), AgeGroup.FROM_25: (25, 34), AgeGroup.FROM_35: (35, 49),
        AgeGroup.FROM_50: (50, 58), AgeGroup.FROM_16: (16, 17), AgeGroup.UNDER_16: (14, 15)}
GENDER_WEIGHTS = [(Gender.FEMALE, 84), (Gender.TRANS_WOMAN, 8), (Gender.MALE, 5), (Gender.UNSTATED, 3)]
NEED_WEIGHTS = [
    (NeedArea.HIV_STI, 9), (NeedArea.HEALTH, 7), (NeedArea.VOCATIONAL, 6), (NeedArea.EMPLOYMENT, 6),
    (NeedArea.LEGAL, 4), (NeedArea.MENTAL_HEALTH, 4), (NeedArea.FINANCIAL, 4), (NeedArea.DOCUMENTS, 3),
    (NeedArea.VIOLENCE, 3), (NeedArea.HOUSING, 2), (NeedArea.FAMILY, 2),
]
# Who provides a service of each area (agency type codes): the province's agencies above, the commune's health
# station, women's union and police (geo.demo).
PROVIDER = {
    NeedArea.HEALTH: "health",
    NeedArea.HIV_STI: "hiv_clinic",
    NeedArea.MENTAL_HEALTH: "social_work",
    NeedArea.LEGAL: "legal_aid",
    NeedArea.VIOLENCE: "social_work",
    NeedArea.HOUSING: "social_work",
    NeedArea.VOCATIONAL: "vocational",
    NeedArea.EMPLOYMENT: "employment_service",
    NeedArea.FINANCIAL: "social_policy_bank",
    NeedArea.FAMILY: "womens_union",
    NeedArea.DOCUMENTS: "police",
}
# Kinds of agency an adult may consent to be referred to.
REFERRAL_TYPES = ["health", "hiv_clinic", "legal_aid", "social_work", "vocational", "employment_service",
                  "womens_union"]
OUTCOME_WEIGHTS = [(ServiceOutcome.RECEIVED, 76), (ServiceOutcome.ONGOING, 10), (ServiceOutcome.DECLINED, 7),
                   (ServiceOutcome.UNAVAILABLE, 7)]
REFERRAL_REASONS = {
    "health": "Cần khám, chăm sóc sức khỏe ban đầu.",
    "hiv_clinic": "Cần tư vấn, xét nghiệm và kết nối điều trị HIV, dự phòng trước phơi nhiễm.",
    "legal_aid": "Cần tư vấn pháp luật, trợ giúp pháp lý.",
    "social_work": "Cần tư vấn tâm lý, hỗ trợ khẩn cấp và chỗ ở tạm thời.",
    "vocational": "Có nguyện vọng học nghề ngắn hạn.",
    "employment_service": "Cần giới thiệu việc làm phù hợp.",
    "womens_union": "Cần hỗ trợ kết nối gia đình, tham gia sinh hoạt nhóm.",
}
CHILD_PROTECTION_REASON = "Trẻ em có nguy cơ, cần can thiệp bảo vệ trẻ em."
DECLINE_NOTE = "Cơ sở tạm thời không còn chỗ; đề nghị chuyển gửi đến cơ sở khác."
ACCEPT_NOTE = "Đã tiếp nhận, hẹn lịch tư vấn."
FEEDBACK = ["Đã cung cấp dịch vụ theo yêu cầu chuyển gửi.", "Đã hoàn thành hỗ trợ; tiếp tục theo dõi khi cần."]
CANCEL_NOTE = "Người được hỗ trợ không còn nhu cầu."
WITHDRAWAL_NOTE = "Không muốn tiếp tục tham gia chương trình hỗ trợ."
ASSESSMENT_NOTES = ["", "", "", "Đánh giá cùng người được hỗ trợ tại điểm tư vấn.",
                    "Đánh giá lại sau khi nhận dịch vụ."]


def _weighted(rng, options):
    return rng.choices([o for o, _w in options], [w for _o, w in options])[0]


def _day_between(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _province_agencies(ctx):
    types = {t.code: t for t in AgencyType.objects.filter(code__in=[c for c, _n in PROVINCE_AGENCIES])}
    made = {}
    for province in {c.parent_id: c.parent for c in ctx.detailed_communes}.values():
        for code, template in PROVINCE_AGENCIES:
            agency, _created = Agency.objects.get_or_create(
                unit=province, name=template.format(name=province.name), defaults={"agency_type": types[code]})
            made[(province.pk, code)] = agency
    return made


def _demo_users(ctx, agencies):
    """A support worker and a supervisor of the first detailed commune, and a partner at its province's legal aid
    centre who receives referrals."""
    commune = ctx.detailed_communes[0]
    legal_aid = agencies[(commune.parent_id, "legal_aid")]
    people = [
        ("demo.hotro1", "Cán bộ hỗ trợ xã 1 (demo)", commune, Role.SUPPORT_WORKER, None),
        ("demo.giamsat", "Phụ trách hỗ trợ xã 1 (demo)", commune, Role.SUPPORT_SUPERVISOR, None),
        ("demo.tiepnhan", "Cán bộ trợ giúp pháp lý (demo)", commune.parent, Role.REFERRAL_PARTNER, legal_aid),
    ]
    users = {}
    for username, full_name, unit, role, agency in people:
        user = User(username=username, full_name=full_name, position="Demo")
        user.set_password(ctx.password)
        user.save()
        Membership.objects.create(user=user, unit=unit, role=role, agency=agency)
        ctx.users[username] = f"{role.label} — {agency.name if agency else unit.name}"
        users[username] = user
    return users


class _Builder:
    def __init__(self, ctx, today, agencies, users):
        self.rng = ctx.rng
        first = ctx.detailed_communes[0]
        # The demo support worker's commune: its records name him as their author.
        self.first_commune_id = first.pk
        legal_aid = agencies.get((first.parent_id, "legal_aid"))
        self.partner_agency_id = legal_aid.pk if legal_aid else None
        self.today = today
        self.agencies = dict(agencies)
        for agency in (Agency.objects.filter(unit__in=ctx.detailed_communes, is_active=True)
                       .select_related("agency_type").order_by("pk")):
            self.agencies.setdefault((agency.unit_id, agency.agency_type.code), agency)
        self.types = {t.code: t for t in AgencyType.objects.all()}
        self.services = {}
        for service_type in ServiceType.objects.filter(is_active=True).order_by("sort_order", "pk"):
            self.services.setdefault(service_type.area, []).append(service_type)
        self.provinces = list(AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE).order_by("code"))
        self.worker = users.get("demo.hotro1")
        self.partner = users.get("demo.tiepnhan")
        self.codes = set(SupportClient.objects.values_list("code", flat=True))
        # Per client (by index): the plan of its records, turned into rows once the clients have ids.
        self.clients, self.plans = [], []

    def agency(self, commune, type_code):
        unit_id = commune.parent_id if type_code in dict(PROVINCE_AGENCIES) else commune.pk
        return self.agencies.get((unit_id, type_code))

    def code(self, unit):
        while True:
            code = f"HT-{unit.code}-" + "".join(self.rng.choice(CODE_ALPHABET) for _n in range(CODE_RANDOM_LENGTH))
            if code not in self.codes:
                self.codes.add(code)
                return code

    # -- clients ---------------------------------------------------------------------------------------------

    def commune(self, commune, force_minor=False):
        rng = self.rng
        for index in range(rng.randint(*CLIENTS_PER_COMMUNE)):
            age_group = AgeGroup.FROM_16 if force_minor and index == 0 else _weighted(rng, AGE_WEIGHTS)
            self.client(commune, age_group)

    def client(self, commune, age_group):
        rng, today = self.rng, self.today
        registered = _day_between(rng, START, today)
        birth_year = None
        if age_group in AGES and rng.random() < 0.6:
            age = rng.randint(*AGES[age_group])
            birth_year = registered.year - age
            age_group = age_group_for(age)
        minor = age_group in (AgeGroup.UNDER_16, AgeGroup.FROM_16)
        others = [p for p in self.provinces if p.pk != commune.parent_id]
        origin = rng.choice(others) if others and rng.random() < 0.7 else commune.parent
        client = SupportClient(
            unit=commune, code=self.code(commune), registered_on=registered, birth_year=birth_year,
            age_group=age_group, gender=_weighted(rng, GENDER_WEIGHTS), origin_province=origin, is_minor=minor,
            created_by=self.worker if self.worker and commune.pk == self.first_commune_id else None,
        )
        plan = {"end": today, "withdrawn_on": None}
        # A few withdraw their consent (the case then ends that day); some cases end for other reasons.
        roll = rng.random()
        if (today - registered).days > 90 and roll < 0.03:
            withdrawn = _day_between(rng, registered + datetime.timedelta(days=30), today)
            plan.update(end=withdrawn - datetime.timedelta(days=1), withdrawn_on=withdrawn)
            client.status, client.closed_on, client.close_reason = ClientStatus.CLOSED, withdrawn, CloseReason.DECLINED
        elif (today - registered).days > 120 and roll < 0.14:
            closed = _day_between(rng, registered + datetime.timedelta(days=90), today)
            plan["end"] = closed
            client.status, client.closed_on = ClientStatus.CLOSED, closed
            client.close_reason = _weighted(rng, [(CloseReason.GOALS_MET, 5), (CloseReason.MOVED, 3),
                                                  (CloseReason.LOST_CONTACT, 3), (CloseReason.OTHER, 1)])
        self.clients.append(client)
        self.plans.append(plan)

    # -- records of a client ---------------------------------------------------------------------------------

    def consent(self, client, plan):
        rng = self.rng
        if client.is_minor:
            given_by = _weighted(rng, [(ConsentGiver.SELF_AND_GUARDIAN, 3), (ConsentGiver.GUARDIAN, 1),
                                       (ConsentGiver.CHILD_PROTECTION, 2)])
        else:
            given_by = ConsentGiver.SELF
        for_referral = client.is_minor or rng.random() < 0.75
        types = []
        if for_referral:
            types = rng.sample(REFERRAL_TYPES, rng.randint(2, len(REFERRAL_TYPES)))
            if client.is_minor:
                types = sorted(set(types) | {"child_protection", "social_work"})
        plan["referral_types"] = set(types)
        consent = Consent(
            client=client, unit_id=client.unit_id, given_on=client.registered_on,
            method=_weighted(rng, [(ConsentMethod.WRITTEN, 6), (ConsentMethod.VERBAL, 3),
                                   (ConsentMethod.ELECTRONIC, 1)]),
            given_by=given_by, for_services=True, for_referral=for_referral,
            for_phone_contact=rng.random() < 0.4, withdrawn_on=plan["withdrawn_on"],
            withdrawal_note=WITHDRAWAL_NOTE if plan["withdrawn_on"] else "",
        )
        return consent, [self.types[t] for t in types if t in self.types]

    def assessments(self, client, plan):
        rng = self.rng
        rows = []
        day = min(_day_between(rng, client.registered_on, client.registered_on + datetime.timedelta(days=10)),
                  plan["end"])
        needs = set()
        while day <= plan["end"] and day >= client.registered_on:
            if not rows:
                needs = {_weighted(rng, NEED_WEIGHTS) for _n in range(rng.randint(1, 4))}
                if client.is_minor:
                    needs |= {NeedArea.FAMILY, NeedArea.MENTAL_HEALTH}
            else:
                # Later assessments: some needs met, now and then a new one; sometimes all met.
                needs = {n for n in needs if rng.random() < 0.6}
                if rng.random() < 0.25:
                    needs.add(_weighted(rng, NEED_WEIGHTS))
            rows.append(NeedsAssessment(client=client, unit_id=client.unit_id, assessed_on=day,
                                        needs=[n for n in NeedArea.values if n in needs],
                                        note=rng.choice(ASSESSMENT_NOTES)))
            if not needs or len(rows) >= 4:
                break
            day = day + datetime.timedelta(days=rng.randint(120, 240))
        return rows

    def records(self, client, plan, assessments, commune):
        """Services and referrals for the needs assessed: a referral where the consent covers the agency, the
        service directly otherwise."""
        rng = self.rng
        services, referrals = [], []
        for assessment in assessments:
            for need in assessment.needs:
                if rng.random() < 0.15:
                    continue  # not (yet) met: the figures need some in need and not reached
                type_code = PROVIDER[need]
                agency = self.agency(commune, type_code)
                window_end = min(plan["end"], assessment.assessed_on + datetime.timedelta(days=150))
                day = _day_between(rng, assessment.assessed_on, window_end)
                if type_code in plan["referral_types"] and agency is not None and rng.random() < 0.45:
                    referrals.append(self.referral(client, plan, agency, day, need))
                    continue
                for _n in range(rng.randint(1, 2)):
                    services.append(self.service(client, need, day, agency))
                    day = _day_between(rng, day, window_end)
        if client.is_minor:
            agency = self.agency(commune, "child_protection")
            referrals.insert(0, self.referral(client, plan, agency, client.registered_on, None,
                                              child_protection=True))
        return services, referrals

    def service(self, client, need, day, agency, outcome=None, referral=None):
        rng = self.rng
        service_type = rng.choice(self.services[need])
        return ServiceDelivery(
            client=client, unit_id=client.unit_id, service_type=service_type, delivered_on=day,
            provider_agency=agency, outcome=outcome or _weighted(rng, OUTCOME_WEIGHTS), referral=referral,
        )

    def referral(self, client, plan, agency, day, need, child_protection=False):
        rng = self.rng
        items = [SharedItem.AGE_GROUP, SharedItem.GENDER]
        if not child_protection:
            items += [i for i in (SharedItem.ORIGIN_PROVINCE, SharedItem.NEEDS) if rng.random() < 0.5]
        shared = {SharedItem.AGE_GROUP: client.get_age_group_display(), SharedItem.GENDER: client.get_gender_display(),
                  SharedItem.ORIGIN_PROVINCE: str(client.origin_province or ""),
                  SharedItem.NEEDS: self.need_labels(need)}
        referral = Referral(
            client=client, unit_id=client.unit_id, to_agency=agency, is_child_protection=child_protection,
            reason=CHILD_PROTECTION_REASON if child_protection else REFERRAL_REASONS[agency.agency_type.code],
            shared_items=[str(i) for i in SharedItem.values if i in items],
            shared_data=json.dumps({str(i): str(shared[i]) for i in items}, ensure_ascii=False),
            sent_on=day,
        )
        age = (plan["end"] - day).days
        if age < 7:
            return referral  # still sent, waiting for an answer
        roll = rng.random()
        if roll < 0.05 and not child_protection:
            referral.status, referral.response_note = ReferralStatus.CANCELLED, CANCEL_NOTE
            return referral
        referral.responded_on = day + datetime.timedelta(days=rng.randint(1, 5))
        referral.responded_by = self.partner if self.partner and agency.pk == self.partner_agency_id else None
        if roll < 0.15 and not child_protection:
            referral.status, referral.response_note = ReferralStatus.DECLINED, DECLINE_NOTE
        elif roll < 0.3 or age < 30:
            referral.status, referral.response_note = ReferralStatus.ACCEPTED, ACCEPT_NOTE
        else:
            completed = min(referral.responded_on + datetime.timedelta(days=rng.randint(7, 60)), plan["end"])
            referral.status, referral.response_note = ReferralStatus.COMPLETED, ACCEPT_NOTE
            referral.completed_on, referral.feedback = completed, rng.choice(FEEDBACK)
            # The service the receiving agency reports back, recorded on the client's file (services.complete_referral).
            referral._completed_service = (need or NeedArea.FAMILY, completed)
        return referral

    @staticmethod
    def need_labels(need):
        return str(dict(NeedArea.choices)[need]) if need else ""

    # -- saving ----------------------------------------------------------------------------------------------

    def save(self):
        clients = bulk_create_with_history(self.clients, SupportClient, batch_size=1000)
        consents, consent_types, assessments, services, referrals = [], [], [], [], []
        communes = {c.pk: c for c in AdminUnit.objects.filter(pk__in={c.unit_id for c in clients})}
        for client, plan in zip(clients, self.plans, strict=True):
            consent, types = self.consent(client, plan)
            consents.append(consent)
            consent_types.append(types)
            rows = self.assessments(client, plan)
            assessments += rows
            client_services, client_referrals = self.records(client, plan, rows, communes[client.unit_id])
            services += client_services
            referrals += client_referrals
        consents = bulk_create_with_history(consents, Consent, batch_size=1000)
        through = Consent.referral_agency_types.through
        through.objects.bulk_create(
            [through(consent_id=c.pk, agencytype_id=t.pk) for c, types in zip(consents, consent_types, strict=True)
             for t in types], batch_size=2000)
        NeedsAssessment.objects.bulk_create(self._with_has_needs(assessments), batch_size=2000)
        referrals = bulk_create_with_history(referrals, Referral, batch_size=1000)
        for referral in referrals:
            planned = getattr(referral, "_completed_service", None)
            if planned:
                area, day = planned
                services.append(self.service(referral.client, area, day, referral.to_agency,
                                             outcome=ServiceOutcome.RECEIVED, referral=referral))
        ServiceDelivery.objects.bulk_create(services, batch_size=2000)
        return clients, consents, assessments, services, referrals

    @staticmethod
    def _with_has_needs(assessments):
        # bulk_create skips save(), which keeps `has_needs` in step with `needs`.
        for assessment in assessments:
            assessment.has_needs = bool(assessment.needs)
        return assessments


def seed(ctx):
    if not ctx.detailed_communes:
        return
    today = timezone.localdate()
    agencies = _province_agencies(ctx)
    users = _demo_users(ctx, agencies) if ctx.scale == "demo" else {}
    builder = _Builder(ctx, today, agencies, users)
    for index, commune in enumerate(ctx.detailed_communes):
        # The first commune (the demo support worker's) always has a minor, to show the child-protection path.
        builder.commune(commune, force_minor=index == 0)
    clients, consents, assessments, services, referrals = builder.save()
    ctx.log.append(
        f"Demo: {len(clients)} support clients (pseudonymous, {sum(c.is_minor for c in clients)} minors, "
        f"{sum(c.status == ClientStatus.CLOSED for c in clients)} closed), {len(assessments)} needs assessments, "
        f"{len(services)} services, {len(referrals)} referrals "
        f"({sum(r.status == ReferralStatus.SENT for r in referrals)} awaiting an answer)."
    )
