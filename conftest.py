"""Fixtures shared by every test: the same units and people each time (see lanhmanh/core/testing.py),
and a Chromium page for the browser tests."""

import os
from pathlib import Path

import pytest

from lanhmanh.core.testing import CHROMIUM, People, build_people

ARTIFACTS = Path(__file__).resolve().parent / "test-artifacts"


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request in English leaves English active in the thread."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield


@pytest.fixture
def people(db) -> People:
    return build_people()


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


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Lets fixtures (the browser page) know whether the test failed, to save a screenshot.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)
