"""Demo case records over the last two years: in every detailed commune a few administrative cases at its
businesses (some found by an inspection visit, some from a tip), and in every province criminal cases shaped
like seed 004's half-year (5 cases, 18 people arrested, 4 accused prosecuted, 14 fined administratively), so the
year-on-year page shows real changes. Counts and links only: no names of anyone, as in the real records."""

import datetime
from collections import defaultdict

from django.utils import timezone

from lanhmanh.businesses.models import Business
from lanhmanh.enforcement.models import CaseType, EnforcementCase, Offence
from lanhmanh.geo.models import Agency
from lanhmanh.inspections.models import InspectionVisit
from lanhmanh.tips.models import Tip

WINDOW_DAYS = 730
HALF_YEAR = 182
# Violations an inspection found that make an administrative case, and the offence it is recorded under.
FROM_VIOLATION = {"nd144-harbouring": "nd144-harbouring", "nd144-brokering": "nd144-brokering",
                  "nd144-other": "nd144-other", "nd144-buying-selling": "nd144-buying"}
# (offence, weight) of the administrative cases the commune police make on their own or from a tip.
ADMINISTRATIVE = [("nd144-buying", 8), ("nd144-harbouring", 3), ("nd144-brokering", 2), ("nd144-other", 2)]
CRIMINAL = [("blhs2015-327", 10), ("blhs2015-328", 7), ("blhs2015-329", 1), ("blhs2015-150", 2), ("blhs2015-151", 1)]
# Fines per person (đồng), roughly the ranges of Nghị định 144/2021 for each act.
FINE_PER_PERSON = {"nd144-buying": (1_000_000, 2_000_000), "nd144-selling": (500_000, 1_000_000),
                   "nd144-harbouring": (20_000_000, 40_000_000), "nd144-brokering": (10_000_000, 20_000_000),
                   "nd144-other": (5_000_000, 10_000_000)}
AT_RISK_TYPES = ("guest_house", "hotel", "karaoke", "massage", "sauna", "cafe_hostess", "homestay", "bar")

SUMMARY_ADMINISTRATIVE = {
    "nd144-buying": "Kiểm tra hành chính, phát hiện hành vi mua, bán dâm tại cơ sở. Lập biên bản, xử phạt vi phạm "
                    "hành chính theo quy định; người bán dâm được tư vấn và giới thiệu đến dịch vụ hỗ trợ.",
    "nd144-harbouring": "Phát hiện cơ sở để cho hoạt động mua, bán dâm diễn ra. Xử phạt chủ cơ sở, đề nghị xem xét "
                        "đình chỉ hoạt động; người bán dâm được tư vấn, giới thiệu hỗ trợ.",
    "nd144-brokering": "Phát hiện hành vi môi giới mại dâm qua mạng xã hội. Lập biên bản, xử phạt vi phạm hành chính.",
    "nd144-other": "Phát hiện cơ sở lợi dụng kinh doanh dịch vụ để quảng cáo, rao bán dâm. Lập biên bản, xử phạt; "
                   "yêu cầu cơ sở ký lại bản cam kết.",
}
SUMMARY_CRIMINAL = {
    "blhs2015-327": "Bắt quả tang hoạt động chứa mại dâm tại một cơ sở kinh doanh dịch vụ lưu trú.",
    "blhs2015-328": "Triệt phá đường dây môi giới mại dâm hoạt động qua mạng xã hội.",
    "blhs2015-329": "Phát hiện hành vi mua dâm người dưới 18 tuổi; người chưa thành niên được bảo vệ, hỗ trợ theo "
                    "quy định.",
    "blhs2015-150": "Phối hợp giải cứu, tiếp nhận nạn nhân bị mua bán để bóc lột tình dục; nạn nhân được hỗ trợ "
                    "hòa nhập cộng đồng.",
    "blhs2015-151": "Phát hiện hành vi mua bán người dưới 16 tuổi; nạn nhân được bảo vệ và hỗ trợ theo quy định.",
}


def _day_between(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _weighted(rng, options):
    return rng.choices([o for o, _w in options], [w for _o, w in options])[0]


class _Cases:
    """Builds the cases in memory, then writes them and their offences in two bulk inserts."""

    def __init__(self, ctx, today):
        self.rng = ctx.rng
        self.today = today
        self.offences = {o.code: o for o in Offence.objects.all()}
        units = [*ctx.provinces, *ctx.detailed_communes]
        self.police = {a.unit_id: a for a in Agency.objects.filter(
            unit__in=units, agency_type__code="police", is_active=True).order_by("pk")}
        self.businesses = defaultdict(list)  # commune pk -> at-risk businesses
        for business in Business.objects.filter(
                unit__in=ctx.detailed_communes, business_type__code__in=AT_RISK_TYPES,
        ).exclude(status=Business.Status.CLOSED).order_by("pk").only("pk", "unit_id"):
            self.businesses[business.unit_id].append(business)
        self.tips = defaultdict(list)  # commune pk -> tips that may have led to a case
        since = today - datetime.timedelta(days=WINDOW_DAYS + 90)
        for tip in Tip.objects.filter(unit__in=ctx.detailed_communes, received_on__gte=since,
                                      duplicate_of__isnull=True).order_by("received_on", "pk").only(
                "pk", "unit_id", "received_on", "business_id"):
            self.tips[tip.unit_id].append(tip)
        self.visits = defaultdict(list)  # commune pk -> visits that found prostitution-related violations
        for visit in InspectionVisit.objects.filter(
                unit__in=ctx.detailed_communes, outcome=InspectionVisit.Outcome.VIOLATION,
                violations__prostitution_related=True,
        ).distinct().order_by("visited_on", "pk").prefetch_related("violations"):
            self.visits[visit.unit_id].append(visit)
        self.used_tips = set()
        self.cases = []  # (case, [offences])

    def add(self, case, codes):
        self.cases.append((case, [self.offences[c] for c in codes if c in self.offences]))

    # -- administrative cases of a commune ----------------------------------------------------------

    def commune(self, commune):
        rng = self.rng
        for visit in rng.sample(self.visits[commune.pk], min(2, len(self.visits[commune.pk]))):
            codes = sorted({FROM_VIOLATION[v.code] for v in visit.violations.all() if v.code in FROM_VIOLATION})
            if codes:
                day = min(self.today, visit.visited_on + datetime.timedelta(days=rng.randint(0, 1)))
                self.administrative(commune, day, codes, business_id=visit.business_id, visit=visit)
        businesses = self.businesses[commune.pk]
        start = self.today - datetime.timedelta(days=WINDOW_DAYS)
        for _n in range(rng.randint(1, 3) if businesses else 0):
            day = _day_between(rng, start, self.today)
            code = _weighted(rng, ADMINISTRATIVE)
            tip = self.tip_before(commune, day) if rng.random() < 0.5 else None
            business_id = tip.business_id if tip and tip.business_id else rng.choice(businesses).pk
            self.administrative(commune, day, [code], business_id=business_id, tip=tip)

    def tip_before(self, commune, day):
        """A tip of the commune received in the 90 days before `day`, not yet used for a case."""
        options = [t for t in self.tips[commune.pk] if t.pk not in self.used_tips
                   and day - datetime.timedelta(days=90) <= t.received_on <= day]
        if not options:
            return None
        tip = self.rng.choice(options)
        self.used_tips.add(tip.pk)
        return tip

    def administrative(self, commune, day, codes, *, business_id, visit=None, tip=None):
        rng = self.rng
        sellers = rng.randint(1, 3) if {"nd144-buying", "nd144-harbouring"} & set(codes) else rng.randint(0, 1)
        fined, fines = 0, 0
        for code in codes:
            people = rng.randint(1, 2) if code == "nd144-buying" else 1
            low, high = FINE_PER_PERSON[code]
            fined += people
            fines += people * rng.randrange(low, high + 1, 500_000)
        if sellers and "nd144-buying" in codes:
            codes = [*codes, "nd144-selling"]
            fined += sellers
            fines += sellers * rng.randrange(500_000, 1_000_001, 250_000)
        referred = sum(rng.random() < 0.7 for _s in range(sellers))
        self.add(EnforcementCase(
            unit_id=commune.pk, agency=self.police.get(commune.pk), case_type=CaseType.ADMINISTRATIVE,
            detected_on=day, business_id=business_id,
            origin_visit=visit, origin_tip=tip, people_arrested=0, people_fined_admin=fined, fines_total=fines,
            sellers_identified=sellers, sellers_referred=referred, minors_identified=0,
            summary=SUMMARY_ADMINISTRATIVE[codes[0]],
        ), codes)

    # -- criminal cases of a province ---------------------------------------------------------------

    def province(self, province, communes):
        """Four half-years back from today, 3–7 criminal cases each."""
        rng = self.rng
        businesses = [b for c in communes for b in self.businesses[c.pk]]
        for half in range(4):
            end = self.today - datetime.timedelta(days=HALF_YEAR * half)
            start = end - datetime.timedelta(days=HALF_YEAR - 1)
            for _n in range(rng.randint(3, 7)):
                self.criminal(province, _day_between(rng, start, end), businesses)

    def criminal(self, province, day, businesses):
        rng, today = self.rng, self.today

        def after(earlier, low, high, chance):
            if earlier is None or rng.random() >= chance:
                return None
            later = earlier + datetime.timedelta(days=rng.randint(low, high))
            return later if later <= today else None

        code = _weighted(rng, CRIMINAL)
        instituted = after(day, 1, 10, 0.9)
        indicted = after(instituted, 60, 150, 0.75)
        tried = after(indicted, 30, 90, 0.8)
        sellers = rng.randint(1, 6)
        minors = rng.randint(1, min(2, sellers)) if code in ("blhs2015-329", "blhs2015-151") else int(
            rng.random() < 0.1)
        fined = rng.randint(1, 5)
        self.add(EnforcementCase(
            unit_id=province.pk, agency=self.police.get(province.pk), case_type=CaseType.CRIMINAL,
            detected_on=day,
            instituted_on=instituted, indicted_on=indicted, tried_on=tried,
            business_id=rng.choice(businesses).pk if businesses and code in ("blhs2015-327", "blhs2015-329")
            and rng.random() < 0.7 else None,
            people_arrested=rng.randint(2, 5),
            people_prosecuted=rng.choice([0, 1, 1, 1, 1, 2]) if instituted else 0,
            people_fined_admin=fined, fines_total=fined * rng.randrange(1_000_000, 3_000_001, 500_000),
            sellers_identified=sellers, sellers_referred=max(minors, sum(rng.random() < 0.75 for _s in range(sellers))),
            minors_identified=minors, summary=SUMMARY_CRIMINAL[code],
        ), [code])

    def save(self):
        # File numbers run through each unit's year in the order the cases were detected.
        numbers = defaultdict(int)
        for case, _o in sorted(self.cases, key=lambda item: (item[0].unit_id, item[0].detected_on)):
            suffix = "VAHS" if case.case_type == CaseType.CRIMINAL else "VPHC"
            key = (case.unit_id, case.detected_on.year, suffix)
            numbers[key] += 1
            case.reference_number = f"{numbers[key]:02d}/{case.detected_on.year}/{suffix}"
        EnforcementCase.objects.bulk_create([case for case, _o in self.cases], batch_size=2000)
        through = EnforcementCase.offences.through
        through.objects.bulk_create([through(enforcementcase_id=case.pk, offence_id=offence.pk)
                                     for case, offences in self.cases for offence in offences], batch_size=2000)
        cases = [case for case, _o in self.cases]
        return {
            "criminal": sum(c.case_type == CaseType.CRIMINAL for c in cases),
            "administrative": sum(c.case_type == CaseType.ADMINISTRATIVE for c in cases),
            "from_visits": sum(c.origin_visit is not None for c in cases),
            "from_tips": sum(c.origin_tip is not None for c in cases),
        }


def seed(ctx):
    builder = _Cases(ctx, timezone.localdate())
    for commune in ctx.detailed_communes:
        builder.commune(commune)
    for province in ctx.provinces:
        builder.province(province, [c for c in ctx.detailed_communes if c.path.startswith(province.path)])
    figures = builder.save()
    ctx.log.append(
        f"Demo: {figures['criminal']} criminal and {figures['administrative']} administrative cases "
        f"({figures['from_visits']} found by inspections, {figures['from_tips']} from tips)."
    )
