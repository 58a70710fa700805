"""Demo communication activities over the last year and a half, shaped like the seeds: in every detailed commune
2–4 sessions a year in each residential group (seed 003), loudspeaker broadcasts and posts on the commune's page,
leaflets, banners, talks at schools and at businesses, a community meeting; in every province leaflets printed
by the ten thousand, school contests with hundreds of participants each (seed 004: 10 000 leaflets, 5 contests,
4 300 participants), press articles and radio/TV programmes. Target-group populations for this year and last year
for most communes but not all, so the summary shows "no data" where a commune recorded nothing. Counts only."""

import datetime
from collections import defaultdict

from django.utils import timezone

from lanhmanh.geo.models import AdminUnit, Agency
from lanhmanh.outreach.models import (
    ActivityAudience,
    ActivityKind,
    CommunicationActivity,
    TargetGroup,
    TargetPopulation,
)

WINDOW_DAYS = 548  # a year and a half
G = TargetGroup
K = ActivityKind


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class _Activities:
    def __init__(self, ctx, today):
        self.rng = ctx.rng
        self.today = today
        self.start = today - datetime.timedelta(days=WINDOW_DAYS)
        units = [*ctx.provinces, *ctx.detailed_communes]
        self.agencies = defaultdict(dict)  # unit pk -> {agency type code: agency}
        for agency in (
            Agency.objects.filter(unit__in=units, is_active=True).select_related("agency_type").order_by("pk")
        ):
            self.agencies[agency.unit_id].setdefault(agency.agency_type.code, agency)
        self.groups = defaultdict(list)
        for group in (
            AdminUnit.objects.current()
            .filter(level=AdminUnit.Level.RESIDENTIAL_GROUP, parent__in=ctx.detailed_communes)
            .order_by("code")
        ):
            self.groups[group.parent_id].append(group)
        self.items = []  # (activity, [(group, participants)], [cooperating agencies])

    def day(self, start=None, end=None):
        start, end = start or self.start, end or self.today
        return start + datetime.timedelta(days=self.rng.randint(0, max(0, (end - start).days)))

    def add(
        self,
        unit,
        kind,
        day,
        title,
        audiences,
        *,
        organiser=None,
        cooperating=(),
        group=None,
        materials=0,
        description="",
    ):
        activity = CommunicationActivity(
            unit=unit,
            kind=kind,
            held_on=day,
            residential_group=group,
            title=title[:255],
            organiser=organiser,
            materials_count=materials,
            description=description,
            participants_total=sum(p or 0 for _g, p in audiences),
        )
        self.items.append((activity, audiences, [a for a in cooperating if a is not None]))

    # -- a commune ---------------------------------------------------------------------------------------

    def commune(self, commune):
        rng, agencies = self.rng, self.agencies[commune.pk]
        culture = agencies.get("culture_society")
        police, health, women = agencies.get("police"), agencies.get("health"), agencies.get("womens_union")
        word = commune.kind or "xã"
        short = _short(commune.name)
        # 2–4 sessions a year in every residential group (seed 003), integrated in its regular meeting.
        for group in self.groups[commune.pk]:
            for _n in range(rng.randint(3, 6)):
                audiences = [(G.RESIDENTS, rng.randint(25, 90))]
                if rng.random() < 0.3:
                    audiences.append((G.BUSINESS_OWNERS, rng.randint(2, 10)))
                self.add(
                    commune,
                    K.GROUP_SESSION,
                    self.day(),
                    f"Lồng ghép tuyên truyền phòng, chống mại dâm trong buổi sinh hoạt {group.name.lower()}",
                    audiences,
                    organiser=culture,
                    cooperating=[women] if rng.random() < 0.5 else [],
                    group=group,
                    materials=rng.choice([0, 0, 50, 100]),
                    description="Phổ biến Pháp lệnh Phòng, chống mại dâm và các quy định xử phạt vi phạm hành "
                    "chính; vận động Nhân dân tố giác hành vi vi phạm qua đường dây nóng.",
                )
        # Loudspeaker broadcasts about every six weeks, and posts on the commune's page: reach not counted.
        day = self.start + datetime.timedelta(days=rng.randint(0, 20))
        while day <= self.today:
            self.add(
                commune,
                K.LOUDSPEAKER,
                day,
                f"Phát thanh tin bài phòng, chống mại dâm trên hệ thống loa truyền thanh {word}",
                [(G.RESIDENTS, None)],
                organiser=culture,
            )
            if rng.random() < 0.6:
                self.add(
                    commune,
                    K.SOCIAL_MEDIA,
                    min(self.today, day + datetime.timedelta(days=rng.randint(1, 10))),
                    f"Đăng tin bài tuyên truyền phòng, chống tệ nạn xã hội trên trang thông tin điện tử và "
                    f"fanpage {word} {short}",
                    [(G.RESIDENTS, None)],
                    organiser=culture,
                )
            day += datetime.timedelta(days=rng.randint(35, 55))
        # Leaflets and banners, mostly around the action month (June) and year's end.
        for _n in range(rng.randint(1, 3)):
            self.add(
                commune,
                K.LEAFLETS,
                self.day(),
                "Phát tờ rơi tuyên truyền xây dựng xã, phường lành mạnh, không có tệ nạn mại dâm",
                [(G.RESIDENTS, None), (G.BUSINESS_OWNERS, rng.randint(5, 30))],
                organiser=culture,
                materials=rng.choice([500, 1000, 1500, 2000]),
            )
        for _n in range(rng.randint(1, 2)):
            self.add(
                commune,
                K.BANNER,
                self.day(),
                "Treo băng rôn, khẩu hiệu hưởng ứng Tháng hành động phòng, chống ma túy và tệ nạn xã hội",
                [(G.RESIDENTS, None)],
                organiser=culture,
                materials=rng.randint(4, 20),
            )
        # Talks at schools (students, with their teachers) and at businesses and factories.
        for _n in range(rng.randint(1, 3)):
            self.add(
                commune,
                K.SCHOOL_WORKPLACE,
                self.day(),
                f"Ngoại khóa tuyên truyền phòng, chống tệ nạn xã hội cho học sinh Trường THCS {short}",
                [(G.STUDENTS, rng.randint(150, 650)), (G.OFFICIALS, rng.randint(5, 25))],
                organiser=culture,
                cooperating=[police],
                materials=rng.choice([0, 200, 300]),
            )
        for _n in range(rng.randint(1, 2)):
            self.add(
                commune,
                K.SCHOOL_WORKPLACE,
                self.day(),
                "Tuyên truyền, phổ biến pháp luật cho chủ cơ sở và người lao động tại các cơ sở kinh doanh "
                "dịch vụ dễ phát sinh tệ nạn mại dâm",
                [(G.RISK_WORKERS, rng.randint(15, 60)), (G.BUSINESS_OWNERS, rng.randint(5, 20))],
                organiser=police,
                cooperating=[culture, health],
                materials=rng.choice([100, 200]),
            )
        if rng.random() < 0.4:  # a commune with an industrial zone or large factories
            for _n in range(rng.randint(1, 2)):
                self.add(
                    commune,
                    K.SCHOOL_WORKPLACE,
                    self.day(),
                    "Tuyên truyền phòng, chống mại dâm, mua bán người, HIV/AIDS cho công nhân khu công nghiệp",
                    [(G.IZ_WORKERS, rng.randint(120, 400))],
                    organiser=health,
                    cooperating=[women],
                    materials=rng.choice([200, 300, 500]),
                )
        self.add(
            commune,
            K.COMMUNITY_MEETING,
            self.day(),
            "Hội nghị tuyên truyền, phổ biến pháp luật về phòng, chống mại dâm, mua bán người",
            [(G.RESIDENTS, rng.randint(80, 200)), (G.OFFICIALS, rng.randint(15, 40))],
            organiser=culture,
            cooperating=[police, women],
        )
        if rng.random() < 0.3:
            self.add(
                commune,
                K.CONTEST,
                self.day(),
                f"Hội thi tìm hiểu pháp luật về phòng, chống tệ nạn xã hội {word} {short}",
                [(G.STUDENTS, rng.randint(80, 250)), (G.RESIDENTS, rng.randint(40, 120))],
                organiser=women,
            )

    # -- a province --------------------------------------------------------------------------------------

    def province(self, province):
        rng, agencies = self.rng, self.agencies[province.pk]
        health, culture = agencies.get("health"), agencies.get("culture")
        police, justice = agencies.get("police"), agencies.get("justice")
        for year in sorted({self.start.year, self.today.year}):
            first = max(self.start, datetime.date(year, 1, 1))
            last = min(self.today, datetime.date(year, 12, 31))
            if first > last:
                continue
            # Seed 004: 10 000 leaflets; 5 contests in lower and upper secondary schools, over 4 300 participants.
            self.add(
                province,
                K.LEAFLETS,
                self.day(first, last),
                "In, phát hành tờ rơi tuyên truyền về xây dựng xã hội, cộng đồng lành mạnh, không có tệ nạn mại dâm",
                [(G.RESIDENTS, None)],
                organiser=health,
                cooperating=[culture],
                materials=10_000,
            )
            for n in range(1, rng.randint(3, 5) + 1):
                self.add(
                    province,
                    K.CONTEST,
                    self.day(first, last),
                    f"Hội thi “Học sinh với công tác phòng, chống tệ nạn xã hội” lần {n} năm {year}",
                    [(G.STUDENTS, rng.randint(600, 1100)), (G.OFFICIALS, rng.randint(30, 80))],
                    organiser=health,
                    cooperating=[justice],
                    materials=rng.choice([0, 500]),
                )
            for _n in range(rng.randint(3, 6)):
                self.add(
                    province,
                    K.PRESS,
                    self.day(first, last),
                    f"Tin bài về kết quả công tác phòng, chống mại dâm trên Báo {_short(province.name)}",
                    [(G.RESIDENTS, None)],
                    organiser=health,
                )
            for _n in range(rng.randint(2, 4)):
                self.add(
                    province,
                    K.BROADCAST,
                    self.day(first, last),
                    "Chuyên mục phát thanh, truyền hình “Chung tay phòng, chống tệ nạn xã hội”",
                    [(G.RESIDENTS, None)],
                    organiser=culture,
                    cooperating=[police],
                )

    def save(self) -> int:
        activities = [a for a, _au, _co in self.items]
        CommunicationActivity.objects.bulk_create(activities, batch_size=2000)
        ActivityAudience.objects.bulk_create(
            [
                ActivityAudience(activity=activity, target_group=group, participants=participants)
                for activity, audiences, _co in self.items
                for group, participants in audiences
            ],
            batch_size=5000,
        )
        through = CommunicationActivity.cooperating_agencies.through
        through.objects.bulk_create(
            [
                through(communicationactivity_id=activity.pk, agency_id=agency.pk)
                for activity, _au, cooperating in self.items
                for agency in {a.pk: a for a in cooperating}.values()
                if agency.pk != activity.organiser_id
            ],
            batch_size=5000,
        )
        return len(activities)


def _populations(ctx, today, builder) -> int:
    """This year's and last year's populations for three communes in four: students, industrial-zone workers
    where there are any, and now and then a workforce or residential-group figure replacing the registry's."""
    rng, rows = ctx.rng, []
    for index, commune in enumerate(ctx.detailed_communes):
        if index % 4 == 3:
            continue  # recorded nothing: the summary shows "Chưa có số liệu"
        students = rng.randint(900, 4500)
        iz_workers = rng.choice([None, None, rng.randint(800, 6000)])
        for year in (today.year - 1, today.year):
            groups = len(builder.groups[commune.pk])
            rows.append(
                TargetPopulation(
                    unit=commune,
                    year=year,
                    students=students + rng.randint(-150, 150),
                    iz_workers=iz_workers,
                    risk_workers=rng.randint(60, 250) if rng.random() < 0.25 else None,
                    residential_groups=groups if groups and rng.random() < 0.2 else None,
                    source="Phòng Văn hóa - Xã hội tổng hợp từ các trường học và Ban quản lý khu công nghiệp",
                )
            )
    TargetPopulation.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def seed(ctx):
    today = timezone.localdate()
    builder = _Activities(ctx, today)
    for commune in ctx.detailed_communes:
        builder.commune(commune)
    for province in ctx.provinces:
        builder.province(province)
    activities = builder.save()
    populations = _populations(ctx, today, builder)
    ctx.log.append(f"Demo: {activities} communication activities, {populations} target-group population records.")
