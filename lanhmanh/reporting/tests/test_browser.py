"""A ward officer drafts, edits and submits the ward's six-month report, the city's approver approves it, and the
officer downloads its DOCX, in Chromium."""

import datetime
import io
import os

import pytest
from django.utils import timezone

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.testing import CHROMIUM, browser_login
from lanhmanh.indicators import periods
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, TeamFactory
from lanhmanh.reporting import services
from lanhmanh.reporting.models import Report, ReportStatus, ReportType

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def _default_catalogues():
    """The report types and sentence templates the migrations load: a browser test's database is flushed after
    each test, so they are loaded again the same way."""
    from importlib import import_module

    from django.apps import apps

    for name in ("0002_report_types", "0004_sentence_templates"):
        import_module(f"lanhmanh.reporting.migrations.{name}").create(apps, None)


def test_draft_edit_submit_approve_and_download_a_ward_report(page, live_server, people):
    from docx import Document

    _default_catalogues()
    today = timezone.localdate()
    # A period that ended yesterday (figures are submitted once it is over) and a deadline ahead, whatever today is.
    period = periods.custom(today - datetime.timedelta(days=60), today - datetime.timedelta(days=1))
    half = ReportType.objects.get(code="programme-half")
    services.open_reports(half, today.year, 1, period)
    Report.objects.filter(report_type=half).update(deadline=today + datetime.timedelta(days=5))
    report = Report.objects.get(report_type=half, unit=people.commune_a)
    team = TeamFactory(unit=people.commune_a)
    for _ in range(3):
        InspectionSessionFactory(team=team, date=today - datetime.timedelta(days=10))
    UserFactory(username="lanhdao.tp", roles=[(people.province, Role.APPROVER)])

    browser_login(page, live_server, "canbo.a")
    page.goto(f"{live_server.url}/reports/report/{report.pk}/")
    figures = page.locator("[data-testid=figures]")
    assert "Số buổi kiểm tra" in figures.inner_text()
    page.click("[data-testid=draft]")
    page.wait_for_selector("text=Đội kiểm tra liên ngành đã tổ chức 3 buổi kiểm tra")
    editor = page.locator("[data-testid=editor-strengths]")
    editor.click()
    editor.type("Các ngành phối hợp chặt chẽ trong kiểm tra cơ sở kinh doanh dịch vụ.")
    page.click("[data-testid=save]")
    page.wait_for_selector("[data-testid=editor-strengths] >> text=phối hợp chặt chẽ")
    page.click("[data-testid=refresh]")  # the figures checked once more before they are frozen
    page.wait_for_selector("text=Đã làm mới số liệu")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=report-status] >> text=Đã nộp")
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.versions.count() == 1
    assert "phối hợp chặt chẽ" in report.versions.get().narrative["strengths"]

    page.context.clear_cookies()
    browser_login(page, live_server, "lanhdao.tp")
    page.goto(f"{live_server.url}/reports/report/{report.pk}/")
    page.click("[data-testid=approve]")
    page.wait_for_selector("[data-testid=report-status] >> text=Đã duyệt")
    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED

    page.context.clear_cookies()
    browser_login(page, live_server, "canbo.a")
    page.goto(f"{live_server.url}/reports/report/{report.pk}/")
    with page.expect_download() as download:
        page.click("[data-testid=download-docx]")
    document = Document(io.BytesIO(open(download.value.path(), "rb").read()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "phối hợp chặt chẽ" in text
    assert "Đội kiểm tra liên ngành đã tổ chức 3 buổi kiểm tra" in text
