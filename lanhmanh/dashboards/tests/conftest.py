"""A province plan for 2026 with hand-counted figures, seen on 5 April 2026 (day 95 of 365): the target "at least
12 inspection sessions in the year" expects 12 × 95/365 = 3.12, counted whole: 3, by then."""

import datetime

import pytest
from django.utils import translation

from lanhmanh.geo.tests.factories import AgencyFactory
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, TeamFactory
from lanhmanh.plans.models import Plan, Target, Task, TaskStatus

TODAY = datetime.date(2026, 4, 5)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("lanhmanh.dashboards.selectors.today", lambda: TODAY)
    return TODAY


def sessions(unit, *dates):
    team = TeamFactory(unit=unit)
    return [InspectionSessionFactory(team=team, unit=unit, date=day) for day in dates]


def make_plan(unit, year=2026, **kwargs):
    defaults = {"number": "35", "symbol": "KH-UBND", "issued_on": datetime.date(year, 1, 10),
                "title": "Kế hoạch phòng, chống mại dâm năm 2026", "status": Plan.Status.ISSUED}
    return Plan.objects.create(unit=unit, year=year, **{**defaults, **kwargs})


def make_target(plan, order=1, **kwargs):
    return Target.objects.create(plan=plan, unit=plan.unit, order=order, **kwargs)


def make_task(plan, title, **kwargs):
    return Task.objects.create(plan=plan, unit=plan.unit, title=title, group=kwargs.pop("group", "inspection"),
                               **kwargs)


@pytest.fixture
def province_plan(people, today):
    """Commune A held 3 inspection sessions (January to March); commune B none."""
    sessions(people.commune_a, datetime.date(2026, 1, 12), datetime.date(2026, 2, 9), datetime.date(2026, 3, 16))
    plan = make_plan(people.province)
    make_target(plan, 1, text="Tổ chức ít nhất 12 buổi kiểm tra liên ngành", indicator="INSP_SESSIONS",
                comparison="gte", value=12)
    make_target(plan, 2, text="100% tin báo được giải quyết đúng hạn", indicator="TIPS_ON_TIME_PCT",
                comparison="gte", value=100)
    make_target(plan, 3, text="Không để hình thành tụ điểm phức tạp kéo dài")
    police = AgencyFactory(name="Công an thành phố", unit=people.province)
    make_task(plan, "Kiểm tra các cơ sở karaoke trên địa bàn", lead_agency=police,
              deadline=datetime.date(2026, 4, 20))
    make_task(plan, "Ban hành kế hoạch kiểm tra liên ngành", lead_agency=police, group="direction",
              deadline=datetime.date(2026, 3, 1), status=TaskStatus.IN_PROGRESS)
    make_task(plan, "Tổng kết 6 tháng", deadline=datetime.date(2026, 6, 15))
    make_task(plan, "Tập huấn cán bộ", deadline=datetime.date(2026, 2, 1), status=TaskStatus.DONE)
    return plan
