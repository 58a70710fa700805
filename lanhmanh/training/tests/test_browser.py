"""A commune officer records a course with four participant groups in Chromium, then reads the staff-trained page."""

import os

import pytest

from lanhmanh.core.testing import CHROMIUM, browser_login
from lanhmanh.geo.tests.factories import AgencyFactory
from lanhmanh.training.models import Training
from lanhmanh.training.tests.factories import StaffCountFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_record_a_course_with_its_participants_and_see_the_staff_trained(page, live_server, people):
    AgencyFactory(unit=people.commune_a, name="Công an phường Hồng Bàng")
    AgencyFactory(unit=people.commune_a, name="Phòng Văn hóa - Xã hội phường Hồng Bàng")
    StaffCountFactory(unit=people.commune_a, year=2026, staff=10)
    browser_login(page, live_server, "canbo.a")

    page.goto(f"{live_server.url}/training/training/")
    page.click("text=Thêm mới")
    page.fill("#id_title", "Tập huấn công tác phòng, chống tệ nạn xã hội tại cộng đồng")
    page.fill("#id_starts_on", "12/03/2026")
    page.select_option("#id_organiser", label="Phòng Văn hóa - Xã hội phường Hồng Bàng (Phường Hồng Bàng)")
    page.select_option("#id_groups-0-agency", label="Công an phường Hồng Bàng (Phường Hồng Bàng)")
    page.fill("#id_groups-0-participants", "6")
    page.fill("#id_groups-0-programme_staff", "4")
    page.select_option("#id_groups-1-agency", label="Phòng Văn hóa - Xã hội phường Hồng Bàng (Phường Hồng Bàng)")
    page.fill("#id_groups-1-participants", "3")
    page.fill("#id_groups-1-programme_staff", "2")
    page.fill("#id_groups-2-agency_name", "Hội Liên hiệp Phụ nữ phường")
    page.fill("#id_groups-2-participants", "5")
    page.click("[data-add-group]")  # a fourth row, added by the page's script
    page.fill("#id_groups-3-agency_name", "Tổ trưởng tổ dân phố")
    page.fill("#id_groups-3-participants", "9")
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=groups]")

    training = Training.objects.get()
    assert (training.participants_total, training.programme_staff_total) == (23, 6)
    assert training.participant_groups.count() == 4
    assert "Tổ trưởng tổ dân phố" in page.content()

    page.goto(f"{live_server.url}/training/staff-trained/?year=2026")
    row = page.locator("[data-testid=levels] tr[data-row=commune]")
    assert "60,0%" in row.inner_text()  # 6 programme staff trained of 10
