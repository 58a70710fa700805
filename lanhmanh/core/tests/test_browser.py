"""The browser path a commune officer takes, in Debian's Chromium driven by Playwright.

Screenshots of failing tests land in test-artifacts/."""

import io
import os
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lanhmanh.core.testing import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


@pytest.fixture
def page(request, live_server, settings):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])
        context = browser.new_context(accept_downloads=True, locale="vi-VN")
        page = context.new_page()
        page.set_default_timeout(15_000)
        yield page
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
        browser.close()


def _login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_officer_logs_in_and_switches_language(page, live_server, people):
    _login(page, live_server, "canbo.a")
    assert "Phường Hồng Bàng" in page.content()
    page.click("[data-testid=language-en]")
    page.wait_for_selector("html[lang=en]")
    assert "Log out" in page.content()
    page.click("[data-testid=language-vi]")
    page.wait_for_selector("html[lang=vi]")


def test_officer_creates_a_residential_group_sees_it_and_exports_the_list(page, live_server, people):
    _login(page, live_server, "canbo.a")
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
