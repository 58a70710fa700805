"""The browser path a commune officer takes, in Debian's Chromium driven by Playwright.

Screenshots of failing tests land in test-artifacts/."""

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lanhmanh.core.testing import CHROMIUM, browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_officer_logs_in_and_switches_language(page, live_server, people):
    browser_login(page, live_server, "canbo.a")
    assert "Phường Hồng Bàng" in page.content()
    page.click("[data-testid=language-en]")
    page.wait_for_selector("html[lang=en]")
    assert "Log out" in page.content()
    page.click("[data-testid=language-vi]")
    page.wait_for_selector("html[lang=vi]")


def test_officer_creates_a_residential_group_sees_it_and_exports_the_list(page, live_server, people):
    browser_login(page, live_server, "canbo.a")
    page.goto(f"{live_server.url}/geo/residentialgroup/")
    page.click("text=Thêm mới")
    page.select_option("#id_parent", str(people.commune_a.pk))
    page.fill("#id_name", "Tổ dân phố Trình Duyệt")
    page.fill("#id_kind", "tổ dân phố")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Tổ dân phố Trình Duyệt')")

    page.goto(f"{live_server.url}/geo/residentialgroup/")
    assert page.locator("#results").get_by_text("Tổ dân phố Trình Duyệt").count() == 1
    page.fill("#id_q", "Trình Duyệt")
    page.press("#id_q", "Enter")
    page.wait_for_url("**q=*")
    assert page.locator("#results").get_by_text("Tổ dân phố Trình Duyệt").count() == 1

    with page.expect_download() as download_info:
        page.click("[data-testid=export-xlsx]")
    path = download_info.value.path()
    rows = list(load_workbook(io.BytesIO(Path(path).read_bytes())).active.iter_rows(values_only=True))
    assert any("Tổ dân phố Trình Duyệt" in (cell or "") for row in rows for cell in row if isinstance(cell, str))
