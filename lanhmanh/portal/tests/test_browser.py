"""A person sends a tip from a phone, without an account, and later looks up its status, in Chromium."""

import os
import re

import pytest

from lanhmanh.core.testing import CHROMIUM
from lanhmanh.tips.models import Tip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

PHONE = {"width": 390, "height": 844}
SHOWN_COMMUNES = """Array.from(document.querySelectorAll('#id_commune option'))
    .filter(o => o.value && !o.hidden).map(o => o.text)"""


def fill_the_form(page, live_server, people):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/portal/tip/")
    page.select_option("#id_province", str(people.province.pk))  # htmx fills the commune list
    page.wait_for_selector(f"#id_commune option[value='{people.commune_a.pk}']", state="attached")
    page.fill("#commune-search", "hong ba")  # without accents, as people type on a phone
    page.select_option("#id_commune", str(people.commune_a.pk))
    page.fill("#id_description", "Nhà nghỉ cuối ngõ có người dẫn khách vào lúc nửa đêm.")
    page.fill("#id_place", "Ngõ 45 đường Lạch Tray")


def assert_honeypot_out_of_sight(page):
    """The honeypot is moved off-screen (app.css) rather than display:none, which some robots skip. Playwright's
    is_visible() calls an off-screen element visible, so what a person sees is checked instead: nothing of the
    field or its label inside the screen, and the field out of the keyboard's tab order."""
    viewport = page.viewport_size
    for selector in ("[data-field=website]", "#id_website", "label[for=id_website]"):
        box = page.locator(selector).bounding_box()
        assert box is not None
        outside = box["x"] + box["width"] <= 0 or box["y"] + box["height"] <= 0 or box["x"] >= viewport["width"]
        assert outside, f"{selector} is on screen at {box}"
    assert page.get_attribute("#id_website", "tabindex") == "-1"
    page.focus("#id_description")
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") != "id_website"


def test_choose_and_filter_the_commune_on_a_phone(page, live_server, people):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/portal/tip/")
    assert page.is_visible("h1:has-text('Báo tin')")
    assert not page.is_visible("button[name=choose_province]")  # only for browsers without JavaScript
    assert_honeypot_out_of_sight(page)
    assert page.evaluate(SHOWN_COMMUNES) == []

    page.select_option("#id_province", str(people.province.pk))
    page.wait_for_selector(f"#id_commune option[value='{people.commune_a.pk}']", state="attached")
    assert sorted(page.evaluate(SHOWN_COMMUNES)) == ["Phường Hồng Bàng", "Phường Ngô Quyền"]

    page.fill("#commune-search", "hong ba")  # without accents
    assert page.evaluate(SHOWN_COMMUNES) == ["Phường Hồng Bàng"]
    page.fill("#commune-search", "Ngô")
    assert page.evaluate(SHOWN_COMMUNES) == ["Phường Ngô Quyền"]
    page.fill("#commune-search", "")
    assert len(page.evaluate(SHOWN_COMMUNES)) == 2
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scrolling


def test_send_a_tip_from_a_phone_and_look_up_its_status(page, live_server, people):
    fill_the_form(page, live_server, people)
    assert page.evaluate(SHOWN_COMMUNES) == ["Phường Hồng Bàng"]
    with page.expect_navigation():
        page.click("button:has-text('Gửi tin báo')")

    assert page.locator("[data-testid=tracking-code]").count() == 1, page.inner_text("body")[:300]
    code = page.inner_text("[data-testid=tracking-code]").strip()
    secret = page.inner_text("[data-testid=tracking-secret]").strip()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code) and secret
    tip = Tip.objects.get()
    assert tip.tracking_code == code and tip.unit == people.commune_a and tip.channel == Tip.Channel.WEB

    page.click("a:has-text('Tra cứu tình trạng xử lý')")
    page.wait_for_url(f"{live_server.url}/portal/status/")
    page.fill("#id_code", code.lower())
    page.fill("#id_secret", secret)
    page.click("button:has-text('Tra cứu')")
    page.wait_for_selector("[data-testid=public-status]")
    assert "Đã tiếp nhận" in page.inner_text("[data-testid=public-status]")
    assert "Lạch Tray" not in page.content() and "Nhà nghỉ" not in page.content()
