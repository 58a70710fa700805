"""Demo budget for last year and this year, shaped like seed 003's budget section: every province gets hundreds of
millions of đồng (its own budget, a national-programme line for support, some socialised money), most detailed
communes tens of millions, and payments through the year — printing leaflets, trainings, fuel and stationery,
inspection trips, model upkeep, rewards — some linked to the demo activities, trainings, inspection sessions and
models of the same unit and year. Execution rates vary: last year's are near complete, this year's follow the
months gone by; the second detailed commune over-spends its training line, and the last detailed commune has no
allocation recorded at all (its execution page reads "Chưa có số liệu")."""

import datetime
from collections import defaultdict

from django.utils import timezone

from lanhmanh.budget.models import BudgetAllocation, Expenditure, Purpose, Source

P, S = Purpose, Source
# (source, purpose, low, high in millions of đồng, chance the line exists)
PROVINCE_LINES = [
    (S.STATE_BUDGET, P.COMMUNICATION, 150, 320, 1.0),
    (S.STATE_BUDGET, P.TRAINING, 80, 200, 1.0),
    (S.STATE_BUDGET, P.MODELS, 100, 250, 1.0),
    (S.STATE_BUDGET, P.INSPECTION, 60, 150, 1.0),
    (S.STATE_BUDGET, P.OFFICE, 30, 60, 1.0),
    (S.STATE_BUDGET, P.REWARDS, 20, 50, 0.8),
    (S.NATIONAL_PROGRAMME, P.SUPPORT, 100, 300, 0.9),
    (S.SOCIALISED, P.COMMUNICATION, 20, 80, 0.5),
]
COMMUNE_LINES = [
    (S.STATE_BUDGET, P.COMMUNICATION, 8, 20, 1.0),
    (S.STATE_BUDGET, P.TRAINING, 5, 15, 0.9),
    (S.STATE_BUDGET, P.MODELS, 5, 15, 0.6),
    (S.STATE_BUDGET, P.INSPECTION, 3, 10, 0.8),
    (S.STATE_BUDGET, P.OFFICE, 2, 6, 1.0),
    (S.STATE_BUDGET, P.REWARDS, 1, 3, 0.4),
    (S.SOCIALISED, P.SUPPORT, 5, 10, 0.3),
]

DESCRIPTIONS = {
    P.COMMUNICATION: [
        "In tờ rơi, tờ gấp tuyên truyền phòng, chống mại dâm",
        "Làm pa nô, băng rôn, khẩu hiệu tuyên truyền",
        "Bồi dưỡng tuyên truyền viên buổi tuyên truyền tại tổ dân phố",
        "Phát thanh tuyên truyền trên hệ thống loa truyền thanh",
        "Tổ chức cuộc thi tìm hiểu pháp luật về phòng, chống mại dâm",
        "In tài liệu hỏi – đáp pháp luật phát cho cơ sở kinh doanh",
    ],
    P.TRAINING: [
        "Tài liệu, nước uống lớp tập huấn nghiệp vụ",
        "Thuê hội trường tổ chức hội thảo",
        "Chi bồi dưỡng báo cáo viên lớp tập huấn",
        "Hỗ trợ đi lại cho học viên lớp bồi dưỡng",
    ],
    P.MODELS: [
        "Hỗ trợ sinh hoạt định kỳ câu lạc bộ",
        "Duy trì hoạt động mô hình phòng, chống mại dâm tại cộng đồng",
        "Mua tài liệu, vật dụng cho nhóm đồng đẳng",
        "Tổ chức sinh hoạt chuyên đề của mô hình",
    ],
    P.INSPECTION: [
        "Bồi dưỡng thành viên đoàn kiểm tra liên ngành",
        "Thuê xe đoàn kiểm tra liên ngành",
        "Chi làm thêm giờ kiểm tra cơ sở kinh doanh dịch vụ ban đêm",
    ],
    P.SUPPORT: [
        "Hỗ trợ học nghề cho người bán dâm hòa nhập cộng đồng",
        "Hỗ trợ khám sức khỏe, xét nghiệm HIV tự nguyện",
        "Tư vấn pháp lý, tâm lý cho người bán dâm",
        "Hỗ trợ vay vốn, tạo việc làm (chi phí thẩm định, tập huấn)",
    ],
    P.OFFICE: [
        "Văn phòng phẩm",
        "Xăng xe đi công tác cơ sở",
        "Công tác phí cán bộ phụ trách",
        "Photo tài liệu, báo cáo",
    ],
    P.REWARDS: [
        "Khen thưởng tập thể, cá nhân có thành tích trong phòng, chống mại dâm",
        "Tiền thưởng kèm giấy khen sơ kết công tác phòng, chống mại dâm",
    ],
}
PAYMENTS = {
    P.COMMUNICATION: (2, 5),
    P.TRAINING: (1, 3),
    P.MODELS: (1, 4),
    P.INSPECTION: (2, 4),
    P.SUPPORT: (1, 3),
    P.OFFICE: (3, 6),
    P.REWARDS: (1, 1),
}
TEN_THOUSAND = 10_000


def _round(amount: int) -> int:
    return max(TEN_THOUSAND, amount // TEN_THOUSAND * TEN_THOUSAND)


class _Budget:
    def __init__(self, ctx, today):
        self.rng = ctx.rng
        self.today = today
        self.years = (today.year - 1, today.year)
        self.allocations: list[BudgetAllocation] = []
        self.expenditures: list[Expenditure] = []
        self.vouchers = defaultdict(int)  # (unit pk, year) -> last voucher number
        self.decisions = defaultdict(int)  # year -> last decision number
        self.links = self._links([*ctx.provinces, *ctx.detailed_communes])
        self.used = set()

    def _links(self, units):
        """{(unit pk, year, purpose): [(field, record, day)]}: what a payment of that unit, year and purpose may
        have paid for, with the day it happened (a model runs all year: no day)."""
        from lanhmanh.community.models import ModelStatus, PreventionModel
        from lanhmanh.inspections.models import InspectionSession
        from lanhmanh.outreach.models import CommunicationActivity
        from lanhmanh.training.models import Training

        first, last = datetime.date(self.years[0], 1, 1), self.today
        found = defaultdict(list)
        sources = [
            (
                "activity",
                P.COMMUNICATION,
                CommunicationActivity.objects.filter(held_on__range=(first, last)),
                "held_on",
            ),
            ("training", P.TRAINING, Training.objects.filter(starts_on__range=(first, last)), "starts_on"),
            ("inspection_session", P.INSPECTION, InspectionSession.objects.filter(date__range=(first, last)), "date"),
        ]
        for name, purpose, queryset, date_field in sources:
            for pk, unit_id, day in (
                queryset.filter(unit__in=units).order_by(date_field, "pk").values_list("pk", "unit_id", date_field)
            ):
                found[(unit_id, day.year, purpose)].append((name, pk, day))
        models = (
            PreventionModel.objects.filter(unit__in=units, established_on__lte=last)
            .exclude(status=ModelStatus.DISSOLVED)
            .order_by("pk")
            .values_list("pk", "unit_id")
        )
        for pk, unit_id in models:
            for year in self.years:
                found[(unit_id, year, P.MODELS)].append(("prevention_model", pk, None))
        return found

    def unit(self, unit, lines, *, allocate=True, over_spend=None):
        rng = self.rng
        for year in self.years:
            decision_number, decision_date = "", None
            if allocate:
                self.decisions[year] += 1
                decision_number = f"{self.decisions[year] + 100}/QĐ-UBND"
                decision_date = datetime.date(year - 1, 12, rng.randint(10, 28))
            for source, purpose, low, high, chance in lines:
                if purpose != over_spend and rng.random() >= chance:
                    continue
                amount = rng.randint(low * 10, high * 10) * 100_000  # in steps of 100 000 đồng
                if allocate:
                    self.allocations.append(
                        BudgetAllocation(
                            unit=unit,
                            year=year,
                            source=source,
                            purpose=purpose,
                            amount=amount,
                            decision_number=decision_number,
                            decision_date=decision_date,
                        )
                    )
                self.spend(unit, year, source, purpose, amount, over=purpose == over_spend)

    def spend(self, unit, year, source, purpose, allocated, *, over=False):
        rng, today = self.rng, self.today
        start = datetime.date(year, 1, 1)
        end = min(datetime.date(year, 12, 31), today)
        if end < start:
            return
        if over:
            rate = rng.uniform(1.12, 1.3)
        elif year < today.year:
            rate = rng.uniform(0.72, 1.0)
        else:
            elapsed = (end - start).days / 365
            rate = max(0.0, min(1.0, elapsed * rng.uniform(0.6, 1.1)))
        total = int(allocated * rate)
        if total < TEN_THOUSAND:
            return
        low, high = PAYMENTS[purpose]
        count = rng.randint(low, high)
        weights = [rng.uniform(0.5, 1.5) for _n in range(count)]
        options = [link for link in self.links.get((unit.pk, year, purpose), []) if (link[0], link[1]) not in self.used]
        for weight in weights:
            amount = _round(int(total * weight / sum(weights)))
            day = start + datetime.timedelta(days=rng.randint(0, (end - start).days))
            links = {}
            if options and rng.random() < 0.6:
                name, pk, held_on = options.pop(rng.randrange(len(options)))
                if name != "prevention_model":
                    self.used.add((name, pk))
                    # Paid in the days after it took place, never after today.
                    day = min(end, held_on + datetime.timedelta(days=rng.randint(0, 10)))
                links = {f"{name}_id": pk}
            self.vouchers[(unit.pk, year)] += 1
            self.expenditures.append(
                Expenditure(
                    unit=unit,
                    spent_on=day,
                    source=source,
                    purpose=purpose,
                    amount=amount,
                    description=rng.choice(DESCRIPTIONS[purpose]),
                    voucher_number=f"PC-{self.vouchers[(unit.pk, year)]:03d}/{year}",
                    **links,
                )
            )

    def save(self):
        BudgetAllocation.objects.bulk_create(self.allocations, batch_size=1000)
        Expenditure.objects.bulk_create(self.expenditures, batch_size=1000)
        linked = sum(any(getattr(e, f"{name}_id") for name, _p in Expenditure.link_fields()) for e in self.expenditures)
        return len(self.allocations), len(self.expenditures), linked


def seed(ctx):
    builder = _Budget(ctx, timezone.localdate())
    for province in ctx.provinces:
        builder.unit(province, PROVINCE_LINES)
    communes = list(ctx.detailed_communes)
    for index, commune in enumerate(communes):
        if index == len(communes) - 1 and len(communes) > 2:
            # Nothing allocated: spending from socialised money only, so the rate reads "no data".
            builder.unit(commune, [(S.SOCIALISED, P.COMMUNICATION, 2, 5, 1.0)], allocate=False)
        else:
            builder.unit(commune, COMMUNE_LINES, over_spend=P.TRAINING if index == 1 else None)
    allocations, expenditures, linked = builder.save()
    ctx.log.append(
        f"Demo: {allocations} budget allocations, {expenditures} expenditures ({linked} linked to an "
        f"activity, training, inspection session or model)."
    )
