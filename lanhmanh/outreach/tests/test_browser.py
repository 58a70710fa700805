"""An officer of commune A records a session on a phone through the quick form, then sees it counted on the
unit's summary page, in Chromium."""

import os

import pytest
from django.utils import timezone

from lanhmanh.core.testing import CHROMIUM, browser_login
from lanhmanh.outreach.models import CommunicationActivity

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_a_quick_record_on_a_phone_is_counted_on_the_summary(page, live_server, people, groups_a, culture_a):
    page.set_viewport_size({"width": 390, "height": 844})
    browser_login(page, live_server, "canbo.a")

    page.goto(f"{live_server.url}/outreach/communicationactivity/")
    page.click("[data-testid=quick-add]")
    page.wait_for_selector("[data-testid=quick-form]")
    page.select_option("#id_kind", "group_session")
    page.fill("#id_held_on", timezone.localdate().strftime("%d/%m/%Y"))
    page.select_option("#id_residential_group", label="Tổ dân phố 2 — Phường Hồng Bàng")
    page.select_option("#id_organiser", label="Phòng Văn hóa - Xã hội phường Hồng Bàng")
    page.fill("#id_participants_residents", "58")
    page.check("#id_reached_business_owners")
    page.fill("#id_participants_business_owners", "9")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling
    page.click("[data-testid=quick-save]")
    page.wait_for_selector("[data-testid=audiences]")
    assert page.inner_text("[data-testid=participants-total]") == "67"

    activity = CommunicationActivity.objects.get()
    assert activity.created_by == people.officer_a and activity.residential_group == groups_a[1]

    page.goto(f"{live_server.url}/outreach/summary/")
    page.wait_for_selector("[data-testid=figures]")
    assert page.inner_text("[data-figure=activities]") == "1"
    assert page.inner_text("[data-figure=participants]") == "67"
    assert page.inner_text("[data-testid=figures] [data-group=residents]") == "58"
    assert page.inner_text("[data-testid=figures] [data-group=business_owners]") == "9"
    assert "1 / 3" in page.inner_text("[data-figure=residential-groups]")  # one of the commune's three groups
    assert page.inner_text("[data-reach=students] [data-value=percent]") == "Chưa có số liệu"
