"""A commune officer keeps a club's meeting log and records its pause, in Chromium on a phone."""

import datetime
import os

import pytest

from lanhmanh.community.models import ModelActivity, ModelStatus
from lanhmanh.community.tests.factories import PreventionModelFactory
from lanhmanh.core.testing import CHROMIUM, browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_log_a_meeting_then_pause_the_club_on_a_phone(page, live_server, people):
    club = PreventionModelFactory(
        unit=people.commune_a, name="Câu lạc bộ “Phụ nữ với pháp luật”", established_on=datetime.date(2024, 1, 15)
    )
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server, "canbo.a")

    page.goto(f"{live_server.url}/community/preventionmodel/")
    page.click("text=Câu lạc bộ “Phụ nữ với pháp luật”")
    page.click("[data-testid=add-activity]")
    page.fill("#activity_date", "15/05/2025")
    page.fill("#activity_participants_count", "22")
    page.fill("#activity_description", "Sinh hoạt định kỳ tháng 5: phổ biến Pháp lệnh Phòng, chống mại dâm.")
    page.click("[data-testid=save-activity]")
    page.wait_for_selector("[data-testid=activities] >> text=15/05/2025")
    assert "1 hoạt động, 22 lượt người tham gia." in page.content()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling

    page.click("summary:has-text('Tạm dừng hoạt động')")
    page.fill("#pause_on", "01/09/2025")
    page.fill("#pause_reason", "Thiếu kinh phí hoạt động")
    page.click("[data-testid=pause]")
    page.wait_for_selector("text=Đã ghi tạm dừng hoạt động của mô hình.")
    assert "tạm dừng từ ngày 01/09/2025" in page.content()

    club.refresh_from_db()
    assert (club.status, club.paused_on) == (ModelStatus.PAUSED, datetime.date(2025, 9, 1))
    assert ModelActivity.objects.get().created_by == people.officer_a
