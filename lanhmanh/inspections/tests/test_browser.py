"""An inspector records a session with two visits on a phone, in Chromium."""

import os

import pytest
from django.utils import timezone

from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.testing import CHROMIUM, browser_login
from lanhmanh.inspections.models import InspectionSession, InspectionVisit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_record_a_session_with_two_visits_on_a_phone(page, live_server, people, team_a, inspector_a,
                                                     violation_types):
    BusinessFactory(unit=people.commune_a, name="Karaoke Sao Mai", address="Số 3 đường Lê Lợi")
    BusinessFactory(unit=people.commune_a, name="Nhà nghỉ Bình An", address="Số 9 đường Trần Phú")
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server, "kiemtra.a")
    today = timezone.localdate().strftime("%d/%m/%Y")

    page.goto(f"{live_server.url}{team_a.get_absolute_url()}")
    page.click("text=Ghi buổi kiểm tra")
    page.fill("#id_date", today)
    page.check("label:has-text('Đột xuất')")
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=add-visit]")
    session = InspectionSession.objects.get()
    assert session.kind == "surprise"

    page.click("[data-testid=add-visit]")
    page.select_option("#id_business", label="Karaoke Sao Mai — Số 3 đường Lê Lợi")
    page.fill("#id_time", "20:15")
    assert not page.is_visible("[data-field=violations]")  # shown only when a violation is found
    page.check("label:has-text('Lập biên bản nhắc nhở')")
    page.fill("#id_findings", "Phòng hát đóng kín, không có ô kính")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.click("[data-testid=save-visit]")
    page.wait_for_selector("[data-testid=visits] >> text=Karaoke Sao Mai")

    page.click("[data-testid=add-visit]")
    page.select_option("#id_business", label="Nhà nghỉ Bình An — Số 9 đường Trần Phú")
    page.check("input[name=outcome][value=violation]")
    page.check("label:has-text('Cơ sở lưu trú không thông báo lưu trú')")
    page.click("summary:has-text('Xử phạt')")
    page.fill("#id_fine_amount", "3.000.000")
    page.select_option("#id_sanction_stage", "proposed")
    page.fill("#id_sanction_authority", "Chủ tịch UBND phường")
    page.click("[data-testid=save-visit]")
    page.wait_for_selector("[data-testid=visits] >> text=Nhà nghỉ Bình An")

    assert "2 lượt cơ sở" in page.content() and "Phạt 3.000.000 đ" in page.content()
    visits = InspectionVisit.objects.filter(session=session).order_by("pk")
    assert [v.outcome for v in visits] == ["reminder", "violation"]
    assert visits[1].fine_amount == 3_000_000 and visits[1].created_by == inspector_a
