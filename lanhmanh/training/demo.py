"""Demo training courses and staff counts over the last two years.

Shaped by the seeds' targets: each province trains about a third of its provincial programme staff a year and
invites commune officials to its courses ("30% of provincial and 20% of commune staff trained", seed 002); each
detailed commune runs a course of its own for its police, culture-society office, health station, women's union
and residential-group leaders ("100% of staff trained", seed 003). Staff counts are recorded for the provinces and
for most communes, but not all, so the staff-trained page shows "Chưa có số liệu" somewhere. One provincial course
later this year is still planned. Counts only, no names."""

import datetime

from django.utils import timezone

from lanhmanh.geo.models import Agency
from lanhmanh.training.models import StaffCount, Training, TrainingLevel, TrainingParticipantGroup

PROVINCE_TITLES = [
    "Tập huấn nghiệp vụ công tác phòng, chống mại dâm năm {year}",
    "Tập huấn kỹ năng kiểm tra cơ sở kinh doanh dịch vụ dễ bị lợi dụng để hoạt động mại dâm",
    "Bồi dưỡng kỹ năng tư vấn, hỗ trợ người bán dâm hòa nhập cộng đồng",
    "Tập huấn triển khai Chương trình phòng, chống mại dâm giai đoạn 2021 - 2025",
]
PROVINCE_SUMMARY = (
    "Phổ biến Pháp lệnh Phòng, chống mại dâm, Nghị định 144/2021/NĐ-CP; kỹ năng kiểm tra liên ngành; "
    "lồng ghép phòng, chống mại dâm với phòng, chống HIV/AIDS; hỗ trợ, giảm hại cho người bán dâm."
)
COMMUNE_TITLES = [
    "Tập huấn công tác phòng, chống tệ nạn xã hội tại cộng đồng năm {year}",
    "Bồi dưỡng kỹ năng truyền thông phòng, chống mại dâm cho tổ dân phố, thôn",
]
COMMUNE_SUMMARY = (
    "Hướng dẫn rà soát, quản lý cơ sở kinh doanh dịch vụ trên địa bàn; tiếp nhận, xử lý tin báo; "
    "kỹ năng tuyên truyền tại tổ dân phố, thôn; kết nối người bán dâm với dịch vụ hỗ trợ."
)
PROVINCE_GROUPS = {"health": (8, 14), "police": (6, 10), "culture": (3, 6), "justice": (2, 4)}
# Agency type: (participants range, share of them who are programme staff)
COMMUNE_GROUPS = {
    "police": ((3, 6), 0.6),
    "culture_society": ((2, 4), 0.75),
    "health": ((2, 3), 0.4),
    "womens_union": ((3, 6), 0.0),
}


def _day_in(rng, year: int, today: datetime.date) -> datetime.date:
    start = datetime.date(year, 1, 10)
    end = min(datetime.date(year, 12, 15), today - datetime.timedelta(days=3))
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


class _Courses:
    def __init__(self, ctx, today):
        self.rng, self.today = ctx.rng, today
        self.courses = []  # (Training, [TrainingParticipantGroup])
        units = [*ctx.provinces, *ctx.detailed_communes]
        self.agencies = {
            (a.unit_id, a.agency_type.code): a
            for a in Agency.objects.filter(unit__in=units, is_active=True).select_related("agency_type").order_by("pk")
        }

    def add(self, training, groups):
        training.participants_total = sum(g.participants for g in groups)
        training.programme_staff_total = sum(g.programme_staff for g in groups)
        training.materials_count = training.participants_total if self.rng.random() < 0.7 else None
        self.courses.append((training, groups))

    def group(self, unit, code, participants, staff):
        agency = self.agencies.get((unit.pk, code))
        if agency is None:
            return None
        return TrainingParticipantGroup(
            agency=agency, participant_unit=unit, participants=participants, programme_staff=min(staff, participants)
        )

    def province_course(self, province, communes, year, n, starts_on=None):
        rng = self.rng
        starts_on = starts_on or _day_in(rng, year, self.today)
        groups = []
        for code, (low, high) in PROVINCE_GROUPS.items():
            people = rng.randint(low, high)
            groups.append(self.group(province, code, people, round(people * rng.uniform(0.2, 0.35))))
        # Commune officials invited: the culture-society officer and a police officer of some communes.
        for commune in communes:
            if rng.random() < 0.6:
                groups.append(self.group(commune, "culture_society", 1, 1))
            if rng.random() < 0.3:
                groups.append(self.group(commune, "police", 1, 1))
        groups = [g for g in groups if g is not None]
        self.add(
            Training(
                unit=province,
                level=TrainingLevel.PROVINCE,
                title=PROVINCE_TITLES[n % len(PROVINCE_TITLES)].format(year=year),
                starts_on=starts_on,
                ends_on=starts_on + datetime.timedelta(days=rng.choice((0, 1, 1))),
                organiser=self.agencies.get((province.pk, "health")),
                venue=f"Hội trường Sở Y tế {province.name}",
                summary=PROVINCE_SUMMARY,
            ),
            groups,
        )

    def commune_course(self, commune, year, n):
        rng = self.rng
        starts_on = _day_in(rng, year, self.today)
        groups = []
        for code, ((low, high), share) in COMMUNE_GROUPS.items():
            people = rng.randint(low, high)
            groups.append(self.group(commune, code, people, round(people * share)))
        groups = [g for g in groups if g is not None]
        leaders = rng.randint(6, 14)
        word = "Tổ trưởng tổ dân phố" if commune.kind == "phường" else "Trưởng thôn"
        groups.append(
            TrainingParticipantGroup(
                agency_name=word, participant_unit=commune, participants=leaders, programme_staff=0
            )
        )
        self.add(
            Training(
                unit=commune,
                level=TrainingLevel.COMMUNE,
                title=COMMUNE_TITLES[n % len(COMMUNE_TITLES)].format(year=year),
                starts_on=starts_on,
                ends_on=None,
                organiser=self.agencies.get((commune.pk, "culture_society")),
                venue=f"Hội trường UBND {commune.kind} {_short(commune.name)}",
                summary=COMMUNE_SUMMARY,
            ),
            groups,
        )

    def save(self):
        trainings = [t for t, _g in self.courses]
        Training.objects.bulk_create(trainings, batch_size=1000)
        groups = []
        for training, course_groups in self.courses:
            for group in course_groups:
                group.training = training
                groups.append(group)
        TrainingParticipantGroup.objects.bulk_create(groups, batch_size=2000)
        return len(trainings), len(groups)


def seed(ctx):
    rng = ctx.rng
    today = timezone.localdate()
    years = (today.year - 1, today.year)
    courses = _Courses(ctx, today)
    counts = []
    by_province = {p.pk: [c for c in ctx.detailed_communes if c.parent_id == p.pk] for p in ctx.provinces}
    for province in ctx.provinces:
        communes = by_province[province.pk]
        for year in years:
            counts.append(StaffCount(unit=province, year=year, staff=rng.randint(45, 60)))
            for n in range(rng.randint(2, 3)):
                courses.province_course(province, communes, year, n)
        planned = today + datetime.timedelta(days=20)
        if planned.year == today.year:
            courses.province_course(province, communes, today.year, 3, starts_on=planned)
    for index, commune in enumerate(ctx.detailed_communes):
        # One commune in six has not recorded its staff: its figures read "Chưa có số liệu".
        recorded = index % 6 != 5
        for year in years:
            if recorded:
                counts.append(StaffCount(unit=commune, year=year, staff=rng.randint(5, 9)))
            courses.commune_course(commune, year, year)
    StaffCount.objects.bulk_create(counts, batch_size=1000)
    trainings, groups = courses.save()
    ctx.log.append(f"Demo: {trainings} training courses ({groups} participant groups), {len(counts)} staff counts.")
