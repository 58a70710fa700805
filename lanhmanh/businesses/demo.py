"""Demo businesses for every detailed commune: a registry shaped like seed 004's (mostly lodging and
karaoke, a few massage parlours, most with a commitment, a handful suspected). All names are invented."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from lanhmanh.businesses.models import Business, BusinessType, Commitment, RiskLevel, Suspicion, normalise_key
from lanhmanh.geo.models import AdminUnit

# (type code, weight, name prefixes)
TYPES = [
    ("guest_house", 30, ["Nhà nghỉ"]),
    ("hotel", 12, ["Khách sạn"]),
    ("homestay", 6, ["Homestay"]),
    ("karaoke", 25, ["Karaoke"]),
    ("massage", 8, ["Massage", "Spa"]),
    ("sauna", 3, ["Xông hơi"]),
    ("bar", 4, ["Bar", "Pub"]),
    ("beauty_salon", 7, ["Salon tóc", "Cắt tóc gội đầu"]),
    ("cafe_hostess", 5, ["Cà phê"]),
]
NAMES = ["Hoa Hồng", "Bình An", "Phương Đông", "Sao Mai", "Biển Xanh", "Thiên Phúc", "Hải Âu", "Ánh Dương", "Hoàng Gia",
         "Tâm An", "Ngọc Lan", "Thành Đạt", "Phú Quý", "Mai Vàng", "Sông Hồng", "Trăng Xanh", "Minh Châu", "Hạnh Phúc"]
STREETS = ["Lạch Tray", "Trần Phú", "Lê Lợi", "Hai Bà Trưng", "Nguyễn Trãi", "Lý Thường Kiệt", "Điện Biên Phủ",
           "Quang Trung", "Trần Hưng Đạo", "Hoàng Văn Thụ"]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Thị Dung", "Quốc Hùng", "Thu Hà", "Đức Long", "Thị Mai", "Văn Nam"]
PER_COMMUNE = {"demo": (10, 22), "province": (8, 16), "national": (8, 16)}


def seed(ctx):
    types = {t.code: t for t in BusinessType.objects.all()}
    choices = [code for code, weight, _p in TYPES for _i in range(weight)]
    prefixes = {code: p for code, _w, p in TYPES}
    groups = {}
    for group in AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP,
                                          parent__in=ctx.detailed_communes).only("pk", "parent_id"):
        groups.setdefault(group.parent_id, []).append(group)
    today = timezone.localdate()
    reviewer = get_user_model().objects.filter(username="demo.xa1").first()
    rng = ctx.rng
    businesses = []
    low, high = PER_COMMUNE.get(ctx.scale, (8, 16))
    for commune in ctx.detailed_communes:
        used = set()
        for _n in range(rng.randint(low, high)):
            code = rng.choice(choices)
            name = f"{rng.choice(prefixes[code])} {rng.choice(NAMES)}"
            while name in used:
                name = f"{name} {rng.randint(2, 9)}"
            used.add(name)
            address = f"Số {rng.randint(1, 300)} đường {rng.choice(STREETS)}"
            total = rng.randint(2, 25)
            female = rng.randint(0, total)
            status = rng.choices(list(Business.Status), weights=[88, 7, 5])[0]
            reviewed = rng.random() < 0.6
            business = Business(
                unit=commune, name=name, business_type=types[code], address=address,
                residential_group=rng.choice(groups[commune.pk]) if groups.get(commune.pk) else None,
                owner_name=f"{rng.choice(FAMILY)} {rng.choice(GIVEN)}", owner_phone=f"09000{rng.randint(10000, 99999)}",
                licence_number=f"{commune.code}/{rng.randint(1000, 9999)}/HKD",
                licence_date=today - datetime.timedelta(days=rng.randint(200, 3000)),
                licence_issuer="Ủy ban nhân dân cấp xã",
                security_cert_number=f"{rng.randint(100, 999)}/GCN-ANTT" if code != "beauty_salon" else "",
                status=status, status_since=None if status == Business.Status.OPERATING else today.replace(day=1),
                subject_to_management=code != "hotel" or rng.random() < 0.7,
                workers_total=total, workers_female=female, workers_other_province=rng.randint(0, female),
                workforce_as_of=today.replace(month=1, day=1),
                risk_level=rng.choices(["", *RiskLevel], weights=[30, 35, 25, 10])[0],
                last_reviewed_on=today - datetime.timedelta(days=rng.randint(0, 200)) if reviewed else None,
                last_reviewed_by=reviewer if reviewed and ctx.scale == "demo" else None,
            )
            business.match_key = normalise_key(business.name, business.address)
            businesses.append(business)
    Business.objects.bulk_create(businesses, batch_size=2000)

    commitments, suspicions = [], []
    for business in businesses:
        if rng.random() < 0.75:
            signed = datetime.date(today.year, 1, 1) + datetime.timedelta(days=rng.randint(0, 120))
            if signed > today:
                signed = today
            commitments.append(Commitment(
                business=business, unit_id=business.unit_id, signed_on=signed,
                signer_name=business.owner_name, signer_position="Chủ cơ sở",
                valid_until=datetime.date(today.year, 12, 31),
            ))
        if rng.random() < 0.03:
            suspicions.append(Suspicion(
                business=business, unit_id=business.unit_id,
                kind=rng.choices(list(Suspicion.Kind), weights=[8, 2])[0],
                source=rng.choice(list(Suspicion.Source)),
                noted_on=today - datetime.timedelta(days=rng.randint(5, 150)),
            ))
    Commitment.objects.bulk_create(commitments, batch_size=2000)
    Suspicion.objects.bulk_create(suspicions, batch_size=2000)
    ctx.log.append(f"Demo: {len(businesses)} businesses, {len(commitments)} commitments, "
                   f"{len(suspicions)} suspicions.")
