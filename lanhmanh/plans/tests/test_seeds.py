"""Seeds 002 (a province's 2023 plan) and 003 (a ward's 2026 plan): every target and task of both can be expressed,
validates, and reads back as the documents say it."""

import datetime
from decimal import Decimal

import pytest

from lanhmanh.geo.models import AgencyType
from lanhmanh.geo.tests.factories import AgencyFactory
from lanhmanh.plans import seed_plans
from lanhmanh.plans.models import Comparison, Plan, Recurrence, TargetKind, TaskGroup


def _agencies(data, unit):
    return {key: AgencyFactory(unit=unit, name=name, agency_type=AgencyType.objects.get(code=type_code))
            for key, (type_code, name) in data["agencies"].items()}


@pytest.fixture
def province_2023_plan(people):
    return seed_plans.build(seed_plans.SEED_002, people.province, _agencies(seed_plans.SEED_002, people.province))


@pytest.fixture
def ward_2026_plan(people):
    data = seed_plans.SEED_003
    return seed_plans.build(data, people.commune_a, _agencies(data, people.commune_a))


def test_seed_002_reads_back_every_target(province_2023_plan):
    plan = Plan.objects.get(pk=province_2023_plan.pk)
    targets = list(plan.targets.all())
    assert [t.text for t in targets] == [row[0] for row in seed_plans.SEED_002["targets"]]
    by_indicator = {t.indicator: t for t in targets if t.indicator}
    assert by_indicator["INSP_COVERAGE_PCT"].goal_display == "≥ 20%"
    assert by_indicator["TIPS_ON_TIME_PCT"].goal_display == "= 100%"
    assert by_indicator["SUPPORT_REACHED_PCT"].value == Decimal(90)
    change = by_indicator["CASES_CRIMINAL"]
    assert change.kind == TargetKind.CHANGE and change.goal_display == "≥ +3% so với cùng kỳ năm trước"
    assert {"REACH_STUDENTS_PCT", "REACH_RISK_WORKERS_PCT", "REACH_IZ_WORKERS_PCT", "COMM_COMMUNES_PCT",
            "STAFF_TRAINED_PCT"} <= set(by_indicator)
    qualitative = [t for t in targets if not t.indicator]
    assert len(qualitative) == 3 and all(t.indicator_def is None for t in qualitative)
    assert plan.legal_basis_list[0].startswith("Quyết định số 1629/QĐ-TTg")


def test_seed_002_reads_back_every_task_with_its_agencies(province_2023_plan):
    tasks = list(province_2023_plan.tasks.select_related("lead_agency").prefetch_related("cooperating_agencies"))
    assert len(tasks) == len(seed_plans.SEED_002["tasks"])
    assert {t.group for t in tasks} == set(TaskGroup.values)  # all seven groups
    reporting = [t for t in tasks if t.title.startswith("Báo cáo")]
    assert [t.deadline for t in reporting] == [datetime.date(2023, 6, 15), datetime.date(2023, 12, 15)]
    monthly = next(t for t in tasks if t.recurrence == Recurrence.MONTHLY)
    assert monthly.lead_agency.name == "Sở Thông tin và Truyền thông"
    suppression = next(t for t in tasks if t.group == TaskGroup.SUPPRESSION)
    assert suppression.lead_agency.name == "Công an tỉnh"
    assert {a.name for a in suppression.cooperating_agencies.all()} == {"Viện Kiểm sát nhân dân tỉnh",
                                                                         "Tòa án nhân dân tỉnh"}


def test_seed_003_reads_back_every_target_and_task(ward_2026_plan):
    plan = ward_2026_plan
    targets = list(plan.targets.all())
    assert len(targets) == len(seed_plans.SEED_003["targets"])
    coverage = next(t for t in targets if t.indicator == "INSP_COVERAGE_PCT")
    assert (coverage.comparison, coverage.value) == (Comparison.GTE, Decimal(60))
    assert next(t for t in targets if t.indicator == "COMM_ACTIVITIES").goal_display == "≥ 2"
    hotspots = targets[-1]
    assert hotspots.text.startswith("Không để phát sinh tụ điểm") and hotspots.indicator == ""
    tasks = list(plan.tasks.select_related("lead_agency"))
    assert len(tasks) == len(seed_plans.SEED_003["tasks"])
    police_report = next(t for t in tasks if t.title.startswith("Báo cáo nhanh"))
    assert police_report.recurrence == Recurrence.MONTHLY and police_report.lead_agency.name == "Công an phường"
    assert police_report.schedule_display == "Hằng tháng"
    budget = next(t for t in tasks if t.group == TaskGroup.BUDGET)
    assert budget.lead_agency.name == "Phòng Kinh tế, Hạ tầng và Đô thị" and budget.schedule_display == "31/03/2026"
