"""A ward officer starts the ward's plan from the city's issued plan, localises a target, and sees the marks on the
plan and on the ward's dashboard, in Chromium."""

import datetime
import os
from decimal import Decimal

import pytest
from django.utils import timezone

from lanhmanh.core.testing import CHROMIUM, browser_login
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, TeamFactory
from lanhmanh.plans.models import Comparison, Plan, Target

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_a_ward_plan_from_the_citys_targets_and_its_dashboard_marks(page, live_server, people):
    year = timezone.localdate().year
    city = Plan.objects.create(unit=people.province, year=year, number="35", issued_on=datetime.date(year, 1, 1),
                               status=Plan.Status.ISSUED, title=f"Kế hoạch phòng, chống mại dâm năm {year}")
    # Whatever today's date, 3 sessions are on track for "≥ 3" at the ward, and no visit is off track for ≥ 1000.
    Target.objects.create(plan=city, unit=people.province, order=1, text="Tổ chức ít nhất 20 buổi kiểm tra",
                          indicator="INSP_SESSIONS", comparison=Comparison.GTE, value=Decimal(20))
    Target.objects.create(plan=city, unit=people.province, order=2, text="Kiểm tra ít nhất 1.000 lượt cơ sở",
                          indicator="INSP_VISITS", comparison=Comparison.GTE, value=Decimal(1000))
    team = TeamFactory(unit=people.commune_a)
    for day in (1, 2, 3):
        InspectionSessionFactory(team=team, date=datetime.date(year, 1, day))

    browser_login(page, live_server, "canbo.a")
    page.goto(f"{live_server.url}{city.get_absolute_url()}")
    page.click("[data-testid=start-from]")
    page.click("[data-testid=start-from-submit]")
    page.wait_for_selector("text=Đã lập dự thảo kế hoạch của")
    ward_plan = Plan.objects.get(unit=people.commune_a)
    assert ward_plan.parent_plans.get() == city and ward_plan.targets.count() == 2

    # Localise: the ward asks 3 sessions where the city asked 20 (as seed 003 localises seed 002's figures).
    sessions_target = ward_plan.targets.get(indicator="INSP_SESSIONS")
    page.goto(f"{live_server.url}/plans/target/{sessions_target.pk}/edit/")
    page.fill("input[name=value]", "3")
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=targets]")
    marks = page.locator("[data-testid=targets] [data-testid=mark]").all_inner_texts()
    assert marks == ["Đúng tiến độ", "Chậm tiến độ"]

    page.goto(f"{live_server.url}/dashboard/11311/")
    page.wait_for_selector("text=Tổ chức ít nhất 20 buổi kiểm tra")
    content = page.content()
    assert "Đúng tiến độ" in content and "Chậm tiến độ" in content
    sessions_target.refresh_from_db()
    assert sessions_target.value == 3 and sessions_target.upper_target.plan == city
