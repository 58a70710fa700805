"""A commune officer records an allocation and a payment, then reads the execution page, in Chromium."""

import os

import pytest
from django.utils import timezone

from lanhmanh.budget.models import Expenditure
from lanhmanh.core.testing import CHROMIUM, browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_record_an_allocation_and_a_payment_then_read_the_execution(page, live_server, people):
    today = timezone.localdate()
    browser_login(page, live_server, "canbo.a")

    page.goto(f"{live_server.url}/budget/budgetallocation/add/")
    page.select_option("#id_source", "state_budget")
    page.select_option("#id_purpose", "communication")
    page.fill("#id_amount", "20.000.000")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=20.000.000 đ")

    page.goto(f"{live_server.url}/budget/expenditure/add/")
    page.fill("#id_spent_on", today.strftime("%d/%m/%Y"))
    page.select_option("#id_source", "state_budget")
    page.select_option("#id_purpose", "communication")
    page.fill("#id_amount", "1.500.000")
    page.fill("#id_description", "In 500 tờ rơi tuyên truyền")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=1.500.000 đ")
    assert Expenditure.objects.get().amount == 1_500_000

    page.goto(f"{live_server.url}/budget/expenditure/")
    page.click("[data-testid=execution-link]")
    page.wait_for_selector("[data-testid=by-purpose]")
    row = page.locator("[data-testid=by-purpose] tr[data-row=communication]")
    assert row.locator("[data-value=allocated]").inner_text() == "20.000.000"
    assert row.locator("[data-value=spent]").inner_text() == "1.500.000"
    assert row.locator("[data-value=percent]").inner_text() == "7,5%"
    training = page.locator("[data-testid=by-purpose] tr[data-row=training] [data-value=percent]")
    assert training.inner_text() == "Chưa có số liệu"
