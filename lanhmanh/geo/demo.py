from lanhmanh.geo.models import AdminUnit, Agency, AgencyType, ResidentialGroup

# Agencies every commune has for the programme (DOMAIN.md §1).
COMMUNE_AGENCIES = [
    ("police", "Công an {kind} {name}"),
    ("culture_society", "Phòng Văn hóa - Xã hội {kind} {name}"),
    ("health", "Trạm Y tế {kind} {name}"),
    ("womens_union", "Hội Liên hiệp Phụ nữ {kind} {name}"),
]
PROVINCE_AGENCIES = [
    ("health", "Sở Y tế"),
    ("police", "Công an"),
    ("culture", "Sở Văn hóa, Thể thao và Du lịch"),
    ("justice", "Sở Tư pháp"),
]


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def seed(ctx):
    types = {t.code: t for t in AgencyType.objects.all()}
    agencies = []
    for province in ctx.provinces:
        agencies += [
            Agency(unit=province, agency_type=types[code], name=f"{label} {province.name.lower()}"
                   if code == "police" else f"{label} {province.name}")
            for code, label in PROVINCE_AGENCIES
        ]
    for commune in ctx.detailed_communes:
        agencies += [
            Agency(unit=commune, agency_type=types[code],
                   name=template.format(kind=commune.kind, name=_short(commune.name)))
            for code, template in COMMUNE_AGENCIES
        ]
    Agency.objects.bulk_create(agencies, batch_size=1000)

    groups = []
    for commune in ctx.detailed_communes:
        word = "Tổ dân phố" if commune.kind == "phường" else "Thôn"
        for n in range(1, ctx.rng.randint(6, 14) + 1):
            code = f"{commune.code}-{n:03d}"
            groups.append(ResidentialGroup(
                code=code, name=f"{word} {n}", kind=word.lower(), parent=commune,
                level=AdminUnit.Level.RESIDENTIAL_GROUP, path=f"{commune.path}{code}/",
            ))
    ResidentialGroup.objects.bulk_create(groups, batch_size=1000)
    ctx.log.append(f"Demo: {len(agencies)} agencies, {len(groups)} residential groups.")
