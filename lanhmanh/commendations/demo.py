"""Demo commendations: each province proposes its agencies and a few officials each year; last year's proposals
are decided (most granted), this year's are still proposed. Invented names from the inspection demo's lists."""

import datetime

from django.utils import timezone

from lanhmanh.commendations.models import AwardForm, Commendation, RecipientKind, Status
from lanhmanh.geo.models import Agency
from lanhmanh.inspections.demo import FAMILY, GIVEN_FEMALE, GIVEN_MALE

ACHIEVEMENTS = [
    "Có thành tích xuất sắc trong công tác phòng, chống mại dâm năm {year}: tham mưu kịp thời, kiểm tra "
    "{visits} lượt cơ sở kinh doanh dịch vụ nhạy cảm, phát hiện và xử lý nghiêm các vi phạm.",
    "Làm tốt công tác tuyên truyền, vận động nhân dân tham gia phòng, chống tệ nạn xã hội năm {year}; xây dựng "
    "xã, phường lành mạnh, không có tệ nạn xã hội.",
    "Có thành tích trong đấu tranh, triệt phá các đường dây môi giới, chứa mại dâm năm {year}.",
    "Duy trì hiệu quả mô hình phòng, chống mại dâm dựa vào cộng đồng kết hợp giảm tác hại năm {year}.",
]
POSITIONS = [
    "Cán bộ Văn hóa - Xã hội",
    "Phó Trưởng Công an",
    "Cán bộ Hội Liên hiệp Phụ nữ",
    "Tổ trưởng tổ dân phố",
    "Cán bộ Đoàn Thanh niên",
]


def seed(ctx):
    rng = ctx.rng
    today = timezone.localdate()
    records = []
    agencies = {}
    for agency in Agency.objects.filter(unit__in=[*ctx.provinces, *ctx.detailed_communes], is_active=True).order_by(
        "pk"
    ):
        agencies.setdefault(agency.unit_id, []).append(agency)
    for province in ctx.provinces:
        communes = [c for c in ctx.detailed_communes if c.path.startswith(province.path)]
        for year in (today.year - 1, today.year):
            proposed_on = datetime.date(year, 12, 5) if year < today.year else min(today, datetime.date(year, 11, 20))
            decided = year < today.year
            number = 0
            for unit in [province, *rng.sample(communes, min(3, len(communes)))]:
                candidates = agencies.get(unit.pk, [])
                for kind in (RecipientKind.COLLECTIVE, RecipientKind.INDIVIDUAL):
                    if kind == RecipientKind.COLLECTIVE and not candidates:
                        continue
                    number += 1
                    agency = rng.choice(candidates) if candidates else None
                    if kind == RecipientKind.COLLECTIVE:
                        name, position = agency.name, ""
                    else:
                        given = rng.choice(GIVEN_FEMALE if rng.random() < 0.5 else GIVEN_MALE)
                        name, position = f"{rng.choice(FAMILY)} {given}", rng.choice(POSITIONS)
                    granted = decided and rng.random() < 0.8
                    decided_on = datetime.date(year + 1, 1, rng.randint(10, 25)) if decided else None
                    status = Status.GRANTED if granted else (Status.DECLINED if decided else Status.PROPOSED)
                    records.append(
                        Commendation(
                            unit=province,
                            year=year,
                            recipient_kind=kind,
                            recipient_name=name,
                            recipient_position=position,
                            agency=agency,
                            award_form=AwardForm.CERTIFICATE_PROVINCE
                            if unit == province or rng.random() < 0.5
                            else AwardForm.MERIT_COMMUNE,
                            achievement=rng.choice(ACHIEVEMENTS).format(year=year, visits=rng.randint(20, 80)),
                            proposal_number=f"{rng.randint(100, 400)}/TTr-SYT",
                            proposed_on=proposed_on,
                            status=status,
                            decision_number=f"{rng.randint(10, 300)}/QĐ-UBND" if decided else "",
                            decided_on=decided_on if decided and decided_on <= today else None,
                            decided_by="Chủ tịch UBND thành phố" if decided else "",
                            reward_amount=(rng.choice([1_500_000, 2_340_000, 3_000_000]) if granted else None),
                        )
                    )
    # A decision in January of this year for last year's proposals; none dated after today.
    for record in records:
        if record.status != Status.PROPOSED and record.decided_on is None:
            record.status, record.decision_number, record.decided_by, record.reward_amount = (
                Status.PROPOSED,
                "",
                "",
                None,
            )
    Commendation.objects.bulk_create(records)
    ctx.log.append(
        f"Demo: {len(records)} commendation proposals ({sum(r.status == Status.GRANTED for r in records)} granted)."
    )
