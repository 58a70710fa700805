"""Demo plans: Hải Phòng's (province 31) plan for the current year, modelled on seed 002 (its targets bound to
indicators where one fits, the "+3%" change target, qualitative ones, tasks in the seven groups led by the demo's
provincial departments), issued; and the plan of its first detailed ward, started from it through
`services.start_plan_from` and localised as seed 003 does (inspect at least 60% of businesses where the province
asks 20%), with a few progress reports. Names of signers are invented (inspections.demo's name helper)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from lanhmanh.geo.models import Agency
from lanhmanh.inspections.demo import _person
from lanhmanh.plans import seed_plans, services
from lanhmanh.plans.models import Plan, TaskStatus

PROVINCE = "31"
# Seed 002's agencies as the demo has them: the former Sở LĐTBXH's work is Sở Y tế's since 1/3/2025 (DOMAIN.md §1).
PROVINCE_AGENCIES = {"labour": "health", "health": "health", "police": "police", "culture": "culture",
                     "justice": "justice"}
# The ward's own values where they differ from the province's (seed 003).
LOCALISED = {
    "INSP_COVERAGE_PCT": ("Tổ chức kiểm tra tối thiểu 60% cơ sở kinh doanh dịch vụ dễ phát sinh tệ nạn xã hội trên "
                          "địa bàn trong năm", Decimal(60)),
    "STAFF_TRAINED_PCT": ("100% cán bộ phụ trách công tác phòng, chống tệ nạn xã hội được tham gia các lớp đào tạo, "
                          "tập huấn", Decimal(100)),
}
# Who leads, in the ward, the tasks whose provincial lead has no counterpart there.
WARD_DEFAULT_LEAD = "culture_society"


def _province_data(year: int) -> dict:
    data = dict(seed_plans.SEED_002)
    data.update(
        year=year,
        title=f"Phòng, chống mại dâm năm {year}",
        issuing_body="Ủy ban nhân dân thành phố Hải Phòng",
        legal_bases=[
            "Pháp lệnh Phòng, chống mại dâm số 10/2003/PL-UBTVQH11 ngày 17/3/2003",
            "Nghị định số 178/2004/NĐ-CP ngày 15/10/2004 của Chính phủ",
            "Quyết định số 732/QĐ-TTg ngày 24/4/2026 của Thủ tướng Chính phủ phê duyệt Chương trình phòng, chống mại "
            "dâm giai đoạn 2026-2030",
        ],
        sections=[
            ("Kinh phí thực hiện", "Do ngân sách nhà nước bảo đảm trong dự toán hằng năm của các sở, ngành, Ủy ban "
             "nhân dân các xã, phường, đặc khu theo phân cấp; nguồn tài trợ, huy động hợp pháp khác."),
            ("Tổ chức thực hiện", "Các sở, ngành, Ủy ban nhân dân các xã, phường, đặc khu xây dựng kế hoạch triển khai "
             "và định kỳ báo cáo về Sở Y tế 6 tháng (trước ngày 15/6) và năm (trước ngày 15/12)."),
        ],
        targets=[_now(row, year) for row in seed_plans.SEED_002["targets"]],
    )
    return data


def _now(row, year):
    """Seed 002's wording for the demo's year ("so với năm 2022" → the year before)."""
    text, *rest = row
    text = text.replace("năm 2022", f"năm {year - 1}").replace("huyện, thị xã, thành phố", "xã, phường, đặc khu")
    return (text, *rest)


def seed(ctx):
    province = next((p for p in ctx.provinces if p.code == PROVINCE), None)
    if province is None:
        return
    today = timezone.localdate()
    year = today.year
    issued_on = min(today, datetime.date(year, 1, 20))
    by_type = {a.agency_type.code: a for a in Agency.objects.filter(unit=province, is_active=True)
               .select_related("agency_type").order_by("pk")}
    agencies = {key: by_type[code] for key, code in PROVINCE_AGENCIES.items() if code in by_type}
    used: set = set()
    upper = seed_plans.build(
        _province_data(year), province, agencies, number="35", issued_on=issued_on, status=Plan.Status.ISSUED,
        signer_name=_person(ctx.rng, used), signer_title="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")

    ward = next((c for c in ctx.detailed_communes if c.parent_id == province.pk), None)
    if ward is None:
        ctx.log.append("Demo: 1 plan.")
        return
    plan = services.start_plan_from(upper, ward, None)
    for target in plan.targets.all():
        if target.indicator in LOCALISED:
            target.text, target.value = LOCALISED[target.indicator]
            target.full_clean()
            target.save()
    default_lead = Agency.objects.filter(unit=ward, agency_type__code=WARD_DEFAULT_LEAD).first()
    if default_lead is not None:
        plan.tasks.filter(lead_agency__isnull=True).update(lead_agency=default_lead)
    plan.number, plan.issued_on, plan.status = "12", min(today, issued_on + datetime.timedelta(days=21)), \
        Plan.Status.ISSUED
    plan.signer_name, plan.signer_title = _person(ctx.rng, used), "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    plan.full_clean()
    plan.save()

    reports = 0
    for task in plan.tasks.order_by("group", "order")[:: 3]:
        day = _day(ctx, plan.issued_on, today)
        done = ctx.rng.random() < 0.3
        services.record_task_update(
            task, None, 100 if done else ctx.rng.choice([20, 40, 60, 80]),
            TaskStatus.DONE if done else TaskStatus.IN_PROGRESS,
            "Đã triển khai theo kế hoạch; kết quả tổng hợp trong báo cáo định kỳ của phường.", on=day)
        reports += 1
    ctx.log.append(f"Demo: 2 plans ({upper.unit.name}, {ward.name} started from it), {upper.targets.count()} "
                   f"targets each, {upper.tasks.count()} tasks each, {reports} progress reports.")


def _day(ctx, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=ctx.rng.randint(0, max(0, (end - start).days)))

