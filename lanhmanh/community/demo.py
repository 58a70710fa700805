"""Demo prevention models and clubs: each detailed commune runs 0–3 models of various kinds (seed 004's community
models combined with HIV harm reduction, seed 003's harm-reduction and gender-based-violence model, clubs,
volunteer social-work teams, counselling points, livelihood groups), with a log of their periodic meetings
("sinh hoạt định kỳ", monthly or quarterly) and other activities over the last two years. One model is paused and
one dissolved, so "active on a day" differs from "recorded". Where the wards seed 000 names are seeded (Mạo Khê,
Quảng Yên, Quang Hanh of Quảng Ninh, at national scale), each runs that article's model. Names are invented;
participants are counts only."""

import datetime
from collections import defaultdict

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from lanhmanh.community.models import ActivityKind, ModelActivity, ModelKind, ModelStatus, PreventionModel
from lanhmanh.geo.models import AdminUnit, Agency

WINDOW_DAYS = 730
# How many models a commune runs (weights of 0, 1, 2, 3).
MODELS_PER_COMMUNE = [(0, 2), (1, 4), (2, 3), (3, 2)]
KIND_WEIGHTS = [
    (ModelKind.COMMUNITY_HIV, 4),
    (ModelKind.CLUB, 5),
    (ModelKind.VOLUNTEER_TEAM, 2),
    (ModelKind.HOTLINE, 1),
    (ModelKind.LIVELIHOOD, 2),
    (ModelKind.SUPPORT_GBV, 2),
]
# Name templates by kind; {place} is the commune ("phường Lê Chân"), {group} a residential group.
NAMES = {
    ModelKind.COMMUNITY_HIV: [
        "Mô hình phòng ngừa mại dâm tại cộng đồng kết hợp giảm tác hại về HIV {place}",
        "Mô hình phòng, chống mại dâm dựa vào cộng đồng {place}",
    ],
    ModelKind.CLUB: [
        "Câu lạc bộ “Phụ nữ với pháp luật” {group}",
        "Câu lạc bộ “Gia đình văn hóa, không tệ nạn xã hội” {group}",
        "Câu lạc bộ đồng đẳng “Vòng tay bè bạn” {place}",
        "Câu lạc bộ thanh niên phòng, chống tệ nạn xã hội {place}",
    ],
    ModelKind.VOLUNTEER_TEAM: ["Đội công tác xã hội tình nguyện {place}"],
    ModelKind.HOTLINE: ["Điểm tư vấn, hỗ trợ phòng, chống mại dâm và mua bán người {place}"],
    ModelKind.LIVELIHOOD: ["Nhóm hỗ trợ sinh kế, hòa nhập cộng đồng “Tự tin làm lại” {place}"],
    ModelKind.SUPPORT_GBV: ["Mô hình hỗ trợ giảm tác hại, phòng, chống bạo lực trên cơ sở giới {place}"],
}
# The agency that leads each kind (agency type codes of geo.demo).
LEAD = {
    ModelKind.COMMUNITY_HIV: "culture_society",
    ModelKind.CLUB: "womens_union",
    ModelKind.VOLUNTEER_TEAM: "culture_society",
    ModelKind.HOTLINE: "health",
    ModelKind.LIVELIHOOD: "womens_union",
    ModelKind.SUPPORT_GBV: "womens_union",
}
# Meetings a year: clubs and community models meet monthly, the others quarterly.
MEETINGS_A_YEAR = {ModelKind.COMMUNITY_HIV: 12, ModelKind.CLUB: 12, ModelKind.SUPPORT_GBV: 12}
FUNDING = [
    "Ngân sách {kind}",
    "Ngân sách {kind}; Chương trình mục tiêu Y tế - Dân số",
    "Ngân sách {kind} và nguồn xã hội hóa",
    "Hội Liên hiệp Phụ nữ và nguồn xã hội hóa",
]
DESCRIPTION = {
    ModelKind.COMMUNITY_HIV: "Tuyên truyền, vận động tại cộng đồng về phòng, chống mại dâm gắn với cuộc vận động "
    "“Toàn dân đoàn kết xây dựng đời sống văn hóa ở khu dân cư”; phối hợp Trạm Y tế cấp "
    "phát bao cao su, tư vấn xét nghiệm HIV; giới thiệu người bán dâm đến dịch vụ hỗ trợ.",
    ModelKind.CLUB: "Sinh hoạt định kỳ hằng tháng; phổ biến Pháp lệnh Phòng, chống mại dâm, kiến thức dự phòng "
    "HIV/AIDS và các bệnh lây truyền qua đường tình dục; nắm tình hình địa bàn.",
    ModelKind.VOLUNTEER_TEAM: "Nhân viên công tác xã hội tình nguyện tiếp cận, tư vấn, hỗ trợ người bán dâm và người "
    "có nguy cơ; phối hợp tổ dân phố tuyên truyền tại cơ sở kinh doanh dịch vụ.",
    ModelKind.HOTLINE: "Tiếp nhận cuộc gọi tư vấn, hỗ trợ; giới thiệu đến cơ sở y tế, trợ giúp pháp lý và dịch vụ "
    "xã hội phù hợp.",
    ModelKind.LIVELIHOOD: "Hỗ trợ học nghề, vay vốn, giới thiệu việc làm giúp người bán dâm ổn định cuộc sống, hòa "
    "nhập cộng đồng.",
    ModelKind.SUPPORT_GBV: "Hỗ trợ giảm tác hại, phòng, chống bạo lực trên cơ sở giới; tư vấn tâm lý, pháp lý; "
    "phối hợp các đoàn thể và tổ dân phố.",
}
MEETING_TOPICS = [
    "Phổ biến Pháp lệnh Phòng, chống mại dâm và Nghị định 144/2021/NĐ-CP",
    "Kiến thức dự phòng lây nhiễm HIV/AIDS và các bệnh lây truyền qua đường tình dục",
    "Phòng, chống mua bán người và bạo lực trên cơ sở giới",
    "Trao đổi tình hình địa bàn, cơ sở kinh doanh dịch vụ dễ bị lợi dụng",
    "Kỹ năng tiếp cận, tư vấn và giới thiệu người bán dâm đến dịch vụ hỗ trợ",
    "Sơ kết hoạt động, triển khai nhiệm vụ thời gian tới",
]
OTHER_ACTIVITIES = [
    (ActivityKind.COMMUNICATION, "Tuyên truyền lưu động, phát tờ rơi phòng, chống mại dâm tại khu dân cư", (40, 150)),
    (ActivityKind.COMMUNICATION, "Tuyên truyền tại cơ sở kinh doanh dịch vụ lưu trú, karaoke trên địa bàn", (15, 60)),
    (ActivityKind.COUNSELLING, "Tư vấn nhóm về dự phòng HIV, giới thiệu xét nghiệm tại Trạm Y tế", (5, 20)),
    (ActivityKind.SUPPORT, "Thăm hỏi, hỗ trợ người bán dâm hoàn lương học nghề, vay vốn", (2, 8)),
    (ActivityKind.OTHER, "Tham gia hội thi tìm hiểu pháp luật về phòng, chống tệ nạn xã hội", (20, 80)),
]
# Seed 000: "8 mô hình phòng ngừa tệ nạn mại dâm và hỗ trợ người bán dâm ổn định cuộc sống" in named wards of
# Quảng Ninh; three of those wards keep their names after the 2025 reorganisation.
SEED_000_WARDS = ("Phường Mạo Khê", "Phường Quảng Yên", "Phường Quang Hanh")
SEED_000_NAME = "Mô hình phòng ngừa tệ nạn mại dâm và hỗ trợ người bán dâm ổn định cuộc sống {place}"


def _weighted(rng, options):
    return rng.choices([o for o, _w in options], [w for _o, w in options])[0]


def _place(commune) -> str:
    """The commune as it follows a model's name: "phường Lê Chân" for "Phường Lê Chân"."""
    kind, name = commune.kind or "", commune.name
    if kind and name.lower().startswith(f"{kind.lower()} "):
        return f"{kind.lower()} {name[len(kind) + 1 :]}"
    return name


class _Models:
    def __init__(self, ctx, today):
        self.rng = ctx.rng
        self.today = today
        self.agencies = {
            (a.unit_id, a.agency_type.code): a
            for a in Agency.objects.filter(unit__in=ctx.detailed_communes, is_active=True)
            .select_related("agency_type")
            .order_by("pk")
        }
        self.groups = defaultdict(list)
        for group in AdminUnit.objects.filter(
            parent__in=ctx.detailed_communes, level=AdminUnit.Level.RESIDENTIAL_GROUP
        ).order_by("path"):
            self.groups[group.parent_id].append(group)
        self.models = []
        self.decisions = defaultdict(int)

    def commune(self, commune, extra_kinds=()):
        rng = self.rng
        count = _weighted(rng, MODELS_PER_COMMUNE)
        kinds = list(extra_kinds) + [_weighted(rng, KIND_WEIGHTS) for _n in range(count)]
        used_names = set()
        for i, kind in enumerate(kinds):
            group = (
                rng.choice(self.groups[commune.pk])
                if kind == ModelKind.CLUB and self.groups[commune.pk] and rng.random() < 0.7
                else None
            )
            if i < len(extra_kinds):
                name = SEED_000_NAME.format(place=_place(commune))
            else:
                template = rng.choice(NAMES[kind])
                if "{group}" in template and group is None:
                    template = template.replace("{group}", "{place}")
                name = template.format(place=_place(commune), group=group.name.lower() if group else "")
            if name in used_names:
                continue
            used_names.add(name)
            # Most models are years old; about one in four was set up in the last two years.
            if rng.random() < 0.25:
                established = self.today - datetime.timedelta(days=rng.randint(60, WINDOW_DAYS))
            else:
                established = datetime.date(rng.randint(2017, 2022), rng.randint(1, 12), rng.randint(1, 28))
            decided = established - datetime.timedelta(days=rng.randint(0, 20))
            self.decisions[(commune.pk, decided.year)] += 1
            self.models.append(
                PreventionModel(
                    unit_id=commune.pk,
                    name=name,
                    kind=kind,
                    residential_group=group,
                    decision_number=f"{self.decisions[(commune.pk, decided.year)] * 7 + rng.randint(1, 6):02d}/QĐ-UBND",
                    decision_date=decided,
                    established_on=established,
                    status=ModelStatus.ACTIVE,
                    members_count=rng.randint(8, 35) if kind != ModelKind.HOTLINE else rng.randint(3, 6),
                    lead_agency=self.agencies.get((commune.pk, LEAD[kind])),
                    funding_source=rng.choice(FUNDING).format(kind=commune.kind or "xã"),
                    annual_funding=rng.randrange(5_000_000, 30_000_001, 500_000),
                    description=DESCRIPTION[kind],
                )
            )

    def change_statuses(self):
        """One model paused a few months ago, one dissolved about a year ago (merged into another after the
        reorganisation of communes), one paused earlier and resumed: the status dates every figure reads."""
        rng, today = self.rng, self.today
        old = [m for m in self.models if m.established_on < today - datetime.timedelta(days=500)]
        rng.shuffle(old)
        if len(old) >= 1:
            m = old[0]
            m.status, m.paused_on = ModelStatus.PAUSED, today - datetime.timedelta(days=rng.randint(90, 200))
            m.status_note = "Thiếu kinh phí hoạt động; nhiều thành viên chuyển nơi ở. Chờ kiện toàn ban chủ nhiệm."
        if len(old) >= 2:
            m = old[1]
            m.status, m.dissolved_on = ModelStatus.DISSOLVED, today - datetime.timedelta(days=rng.randint(330, 420))
            m.status_note = "Sáp nhập vào mô hình của phường mới sau khi sắp xếp đơn vị hành chính."
        if len(old) >= 3:
            m = old[2]
            m.paused_on = today - datetime.timedelta(days=rng.randint(400, 500))
            m.resumed_on = m.paused_on + datetime.timedelta(days=rng.randint(60, 120))
            m.status_note = "Kiện toàn ban chủ nhiệm, hoạt động trở lại."

    def activities(self, model):
        """Meetings monthly or quarterly over the last two years while the model ran, and a few other activities."""
        rng, today = self.rng, self.today
        start = max(model.established_on, today - datetime.timedelta(days=WINDOW_DAYS))
        end = min(today, model.dissolved_on) if model.dissolved_on else today
        per_year = MEETINGS_A_YEAR.get(model.kind, 4)
        step = 12 // per_year
        rows = []
        year, month = start.year, start.month
        while True:
            day = datetime.date(year, month, min(28, rng.randint(5, 25)))
            if day > end:
                break
            if day >= start and model.is_active_on(day) and rng.random() < 0.9:
                topic = rng.choice(MEETING_TOPICS)
                rows.append(
                    ModelActivity(
                        prevention_model=model,
                        unit_id=model.unit_id,
                        date=day,
                        kind=ActivityKind.MEETING,
                        participants_count=max(3, model.members_count - rng.randint(0, 8)),
                        description=f"Sinh hoạt định kỳ tháng {day.month}/{day.year}: {topic[0].lower()}{topic[1:]}.",
                    )
                )
            month += step
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        for _n in range(rng.randint(1, 4)):
            kind, text, (low, high) = rng.choice(OTHER_ACTIVITIES)
            day = start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))
            if model.is_active_on(day):
                rows.append(
                    ModelActivity(
                        prevention_model=model,
                        unit_id=model.unit_id,
                        date=day,
                        kind=kind,
                        participants_count=rng.randint(low, high),
                        description=f"{text}.",
                    )
                )
        return rows

    def save(self):
        self.change_statuses()
        models = bulk_create_with_history(self.models, PreventionModel, batch_size=1000)
        activities = [row for model in models for row in self.activities(model)]
        ModelActivity.objects.bulk_create(activities, batch_size=2000)
        return models, activities


def seed(ctx):
    builder = _Models(ctx, timezone.localdate())
    for commune in ctx.detailed_communes:
        seed_000 = (
            [ModelKind.COMMUNITY_HIV] if commune.name in SEED_000_WARDS and commune.path.startswith("VN/22/") else []
        )
        builder.commune(commune, extra_kinds=seed_000)
    models, activities = builder.save()
    ctx.log.append(
        f"Demo: {len(models)} prevention models and clubs "
        f"({sum(m.status == ModelStatus.PAUSED for m in models)} paused, "
        f"{sum(m.status == ModelStatus.DISSOLVED for m in models)} dissolved), {len(activities)} activities."
    )
