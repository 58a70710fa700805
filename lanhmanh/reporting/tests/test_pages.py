"""The report's page (writing, refreshing, submitting, reviewing), the versions' differences and the completeness
dashboard, as each kind of user meets them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.services import save_versioned
from lanhmanh.core.testing import count_queries, login_verified
from lanhmanh.reporting import drafting, richtext, workflow
from lanhmanh.reporting.models import Report, ReportStatus
from lanhmanh.reporting.tests.factories import ReportFactory

D = datetime.date
START, END = D(2025, 12, 15), D(2026, 6, 14)
FIGURES = {"indicators": [{"code": "INSP_SESSIONS", "name": "Số buổi kiểm tra", "measure": "count",
                           "numerator": 1234, "denominator": None, "value": 1234, "value_previous": 1000,
                           "change_percent": 23.4}],
           "targets": [], "documents": []}


def make_report(unit, **kwargs):
    kwargs.setdefault("figures", FIGURES)
    kwargs.setdefault("figures_at", timezone.now())
    kwargs.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=10))
    return ReportFactory(unit=unit, period_start=START, period_end=END, **kwargs)


def url(report, page="detail"):
    return reverse(f"reporting:report_{page}", args=[report.pk])


def edit_data(report, **sections):
    data = {"expected_version": report.version, "title": "Báo cáo 6 tháng đầu năm 2026", "document_number": "",
            "signer_name": "Nguyễn Văn A", "signer_title": "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            "recipients": "UBND thành phố;\nLưu: VT."}
    data.update({f"section_{key}": value for key, value in sections.items()})
    return data


@pytest.fixture
def approver(people):
    return UserFactory(username="lanhdao.tinh", roles=[(people.province, Role.APPROVER)])


def submitted(report, user, **sections):
    report.narrative = {**(report.narrative or {}), **sections}
    workflow.submit(report, user, expected_version=report.version)
    report.refresh_from_db()
    return report


class TestReportPage:
    def test_it_names_last_years_report_when_the_comparison_comes_from_it(self, client, people):
        last_year = ReportFactory(unit=people.commune_a, period_start=START.replace(year=START.year - 1),
                                  period_end=END.replace(year=END.year - 1), title="Báo cáo 6 tháng đầu năm 2025",
                                  period_label="6 tháng đầu năm 2025", status=ReportStatus.APPROVED,
                                  figures=FIGURES, figures_at=timezone.now())
        reference = {"id": last_year.pk, "title": last_year.title, "period_label": last_year.period_label,
                     "number": 1, "indicators": ["INSP_SESSIONS"]}
        report = make_report(people.commune_a, figures={**FIGURES, "previous_report": reference})
        login_verified(client, people.officer_a)
        body = client.get(url(report)).content.decode()
        line = body.split('data-testid="previous-report"')[1].split("</p>")[0]
        assert "Báo cáo 6 tháng đầu năm 2025" in line and url(last_year) in line
        assert 'data-testid="previous-report"' not in client.get(url(last_year)).content.decode()

    def test_it_shows_figures_and_the_editor(self, client, people):
        report = make_report(people.commune_a, narrative={"situation": "Tình hình ổn định.\nKhông có tụ điểm."})
        login_verified(client, people.officer_a)
        page = client.get(url(report)).content.decode()
        assert "1.234" in page and "+23,4%" in page  # numbers as Vietnamese write them
        assert 'data-testid="editor-situation"' in page and "Tình hình" in page
        # Drafted plain text is loaded into the editor one line a block.
        assert "&lt;div&gt;Tình hình ổn định.&lt;/div&gt;&lt;div&gt;Không có tụ điểm.&lt;/div&gt;" in page
        assert 'data-testid="submit"' in page and 'data-testid="approve"' not in page
        assert "vendor/trix/trix.umd.min.js" in page and "<style" not in page

    def test_a_new_report_is_drafted_when_first_opened(self, client, people):
        report = make_report(people.commune_a, figures={}, figures_at=None)
        login_verified(client, people.officer_a)
        assert client.get(url(report)).status_code == 200
        report.refresh_from_db()
        assert report.figures["period"]["start"] == "2025-12-15" and report.figures_at is not None

    def test_an_upper_unit_reads_a_lower_units_report_without_writing(self, client, people):
        report = make_report(people.commune_a, figures={}, figures_at=None)
        login_verified(client, people.province_officer)
        page = client.get(url(report)).content.decode()
        assert 'data-testid="editor-situation"' not in page and 'data-testid="submit"' not in page
        report.refresh_from_db()
        assert (report.figures, report.figures_at, report.version) == ({}, None, 1)  # nothing drafted on its GET
        assert client.post(url(report, "save"), edit_data(report, situation="x")).status_code == 403
        assert client.post(url(report, "submit"), edit_data(report)).status_code == 403
        report.refresh_from_db()
        assert report.status == ReportStatus.DRAFT and report.narrative == {}

    def test_stale_figures_are_refused_with_the_text_kept(self, client, people):
        computed = timezone.now() - datetime.timedelta(days=2)
        report = make_report(people.commune_a, figures_at=computed)
        login_verified(client, people.officer_a)
        response = client.post(url(report, "submit"), edit_data(report, situation="<div>Bản của tôi.</div>"))
        assert response.status_code == 400
        page = response.content.decode()
        assert (f"Số liệu được tính lúc {timezone.localtime(computed):%d/%m/%Y %H:%M}: hãy bấm "
                "“Làm mới số liệu”, kiểm tra lại rồi nộp.") in page
        assert "Bản của tôi." in page
        report.refresh_from_db()
        assert report.status == ReportStatus.DRAFT and not report.versions.exists()
        assert client.post(url(report, "refresh"), edit_data(report)).status_code == 302
        report.refresh_from_db()
        assert client.post(url(report, "submit"), edit_data(report)).status_code == 302
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED

    def test_it_checks_scoping(self, client, people):
        report = make_report(people.commune_a)
        login_verified(client, people.officer_b)
        assert client.get(url(report)).status_code == 404
        assert client.post(url(report, "save"), edit_data(report, situation="x")).status_code == 404
        assert client.post(url(report, "submit"), edit_data(report)).status_code == 404
        assert client.get(url(report, "diff"), {"a": 1, "b": 2}).status_code == 404
        report.refresh_from_db()
        assert report.status == ReportStatus.DRAFT and report.narrative == {}

    def test_saving_stores_sanitized_text_and_the_header(self, client, people):
        report = make_report(people.commune_a)
        login_verified(client, people.officer_a)
        html = ('<div onclick="steal()" style="color:red">Tình hình <strong>ổn định</strong></div>'
                '<script>alert(1)</script><ul><li>Một</li></ul>')
        response = client.post(url(report, "save"), edit_data(report, situation=html, results="Kết quả."))
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.narrative["situation"] == "<div>Tình hình <strong>ổn định</strong></div><ul><li>Một</li></ul>"
        assert richtext.to_text(report.narrative["results"]) == "Kết quả."
        assert (report.title, report.signer_name, report.version) == ("Báo cáo 6 tháng đầu năm 2026",
                                                                      "Nguyễn Văn A", 2)
        assert report.recipients == "UBND thành phố;\r\nLưu: VT." or report.recipients == "UBND thành phố;\nLưu: VT."

    def test_a_stale_save_keeps_the_text_and_says_who_and_when(self, client, people):
        report = make_report(people.commune_a, narrative={"situation": "Bản cũ."})
        loaded = report.version
        other = Report.objects.get(pk=report.pk)
        other.narrative = {"situation": "Bản của người khác."}
        save_versioned(other, expected_version=loaded, user=people.province_officer)
        login_verified(client, people.officer_a)
        data = edit_data(report, situation="<div>Bản của tôi.</div>")
        data["expected_version"] = loaded
        response = client.post(url(report, "save"), data)
        assert response.status_code == 409
        page = response.content.decode()
        other.refresh_from_db()
        assert str(people.province_officer) in page
        assert timezone.localtime(other.updated_at).strftime("%d/%m/%Y %H:%M") in page
        assert "Bản của tôi." in page  # the user's text is still in the editor
        assert f'name="expected_version" value="{other.version}"' in page
        report.refresh_from_db()
        assert report.narrative == {"situation": "Bản của người khác."}

    def test_refresh_recomputes_the_figures(self, client, people):
        report = make_report(people.commune_a)
        login_verified(client, people.officer_a)
        assert client.post(url(report, "refresh"), edit_data(report, situation="Giữ.")).status_code == 302
        report.refresh_from_db()
        assert report.figures["period"]["end"] == "2026-06-14"
        assert all(row["value"] != 1234 for row in report.figures["indicators"])
        assert richtext.to_text(report.narrative["situation"]) == "Giữ."

    def test_draft_fills_only_empty_sections(self, client, people):
        report = make_report(people.commune_a)
        login_verified(client, people.officer_a)
        response = client.post(url(report, "draft"), edit_data(report, situation="Của tôi."))
        assert response.status_code == 302
        report.refresh_from_db()
        assert richtext.to_text(report.narrative["situation"]) == "Của tôi."

    def test_submit_freezes_a_version(self, client, people):
        report = make_report(people.commune_a)
        login_verified(client, people.officer_a)
        response = client.post(url(report, "submit"), edit_data(report, situation="<div>Nộp.</div>"))
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED and report.submitted_at is not None
        version = report.versions.get()
        assert version.narrative["situation"] == "<div>Nộp.</div>" and version.signer_name == "Nguyễn Văn A"
        assert version.figures == FIGURES
        # Submitted: no editor, no more saving.
        page = client.get(url(report)).content.decode()
        assert 'data-testid="editor-situation"' not in page and "Nộp." in page
        client.post(url(report, "save"), edit_data(report, situation="Sửa sau khi nộp."))
        report.refresh_from_db()
        assert report.narrative["situation"] == "<div>Nộp.</div>"

    def test_a_late_submission_is_marked(self, client, people):
        report = make_report(people.commune_a, deadline=timezone.localdate() - datetime.timedelta(days=2))
        login_verified(client, people.officer_a)
        assert 'data-testid="overdue"' in client.get(url(report)).content.decode()
        client.post(url(report, "submit"), edit_data(report))
        report.refresh_from_db()
        assert report.is_late
        assert 'data-testid="late"' in client.get(url(report)).content.decode()


class TestReview:
    def test_the_province_approver_approves(self, client, people, approver):
        report = submitted(make_report(people.commune_a), people.officer_a, situation="Tốt.")
        login_verified(client, approver)
        page = client.get(url(report)).content.decode()
        assert 'data-testid="approve"' in page
        response = client.post(url(report, "approve"), {"expected_version": report.version, "comment": ""})
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.status == ReportStatus.APPROVED

    def test_a_return_needs_a_comment_and_shows_it(self, client, people, approver):
        report = submitted(make_report(people.commune_a), people.officer_a, situation="Tốt.")
        login_verified(client, approver)
        response = client.post(url(report, "return"), {"expected_version": report.version, "comment": " "})
        assert response.status_code == 400 and "Hãy ghi ý kiến" in response.content.decode()
        response = client.post(url(report, "return"), {"expected_version": report.version,
                                                       "comment": "Bổ sung số liệu tháng 6."})
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.status == ReportStatus.RETURNED
        login_verified(client, people.officer_a)
        page = client.get(url(report)).content.decode()
        assert "Bổ sung số liệu tháng 6." in page and 'data-testid="editor-situation"' in page

    def test_a_stale_decision_is_refused(self, client, people, approver):
        report = submitted(make_report(people.commune_a), people.officer_a)
        login_verified(client, approver)
        response = client.post(url(report, "approve"), {"expected_version": report.version - 1, "comment": ""})
        assert response.status_code == 409
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED

    def test_the_submitter_gets_no_review_form(self, client, people, approver):
        both = UserFactory(username="xa.va.tinh", roles=[(people.commune_a, Role.PROGRAMME_OFFICER),
                                                        (people.province, Role.APPROVER)])
        report = submitted(make_report(people.commune_a), both)
        login_verified(client, both)
        assert 'data-testid="approve"' not in client.get(url(report)).content.decode()
        assert client.post(url(report, "approve"), {"expected_version": report.version}).status_code == 403
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED

    def test_the_commune_officer_cannot_approve(self, client, people):
        report = submitted(make_report(people.commune_a), people.officer_a)
        login_verified(client, people.officer_a)
        assert 'data-testid="approve"' not in client.get(url(report)).content.decode()
        response = client.post(url(report, "approve"), {"expected_version": report.version})
        assert response.status_code in (403, 404)
        login_verified(client, people.officer_b)
        assert client.post(url(report, "approve"), {"expected_version": report.version}).status_code == 404
        report.refresh_from_db()
        assert report.status == ReportStatus.SUBMITTED


class TestDiff:
    def test_it_shows_the_changed_text_and_figures(self, client, people, approver):
        report = submitted(make_report(people.commune_a), people.officer_a,
                           situation="<div>Câu giữ nguyên.</div><div>Câu cũ.</div>")
        workflow.return_report(report, approver, "Sửa câu thứ hai.")
        report.refresh_from_db()
        report.figures = {**FIGURES, "indicators": [{**FIGURES["indicators"][0], "numerator": 1300, "value": 1300}]}
        submitted(report, people.officer_a, situation="<div>Câu giữ nguyên.</div><div>Câu mới.</div>")
        login_verified(client, people.officer_a)
        assert 'data-testid="diff-link"' in client.get(url(report)).content.decode()
        response = client.get(url(report, "diff"), {"a": 1, "b": 2})
        page = response.content.decode()
        assert response.status_code == 200
        assert "-Câu cũ." in page and "+Câu mới." in page and "<div>" not in page.split('data-testid="diff"')[1]
        assert "1.234" in page and "1.300" in page
        assert client.get(url(report, "diff"), {"a": 1, "b": 7}).status_code == 404


class TestConsolidation:
    def test_the_province_report_shows_completeness(self, client, people, approver):
        submitted(make_report(people.commune_a), people.officer_a)
        province_report = make_report(people.province)
        login_verified(client, people.province_officer)
        page = client.get(url(province_report)).content.decode()
        assert 'data-testid="consolidation"' in page
        assert "1/2 xã, phường đã nộp báo cáo; 1 đơn vị chưa nộp: Phường Ngô Quyền." in page
        assert 'data-testid="consolidation-frozen"' not in page

    def test_a_submitted_report_shows_its_consolidation_as_frozen(self, client, people, approver):
        submitted(make_report(people.commune_a), people.officer_a)
        province_report = make_report(people.province)
        drafting.refresh(province_report, people.province_officer)
        province_report.refresh_from_db()
        assert province_report.figures["consolidation"]["incomplete"] is True
        submitted(province_report, people.province_officer)
        submitted(make_report(people.commune_b), people.officer_b)  # after the province's submission
        login_verified(client, people.province_officer)
        page = client.get(url(province_report)).content.decode()
        assert 'data-testid="consolidation-frozen"' in page and 'data-testid="consolidation-incomplete"' in page
        assert "1/2 xã, phường đã nộp báo cáo; 1 đơn vị chưa nộp: Phường Ngô Quyền." in page
        assert "2/2 xã, phường đã nộp báo cáo" not in page


class TestCompleteness:
    def query(self, **extra):
        return {"type": "programme-half", "year": 2026, "number": 1, "unit": "31", **extra}

    def test_it_counts_the_children(self, client, people):
        submitted(make_report(people.commune_a), people.officer_a)
        login_verified(client, people.province_officer)
        response = client.get(reverse("reporting:completeness"), self.query())
        page = response.content.decode()
        assert response.status_code == 200
        assert 'data-count="total">2<' in page and 'data-count="submitted">1<' in page
        assert 'data-count="missing">1<' in page
        assert "1/2 xã, phường đã nộp báo cáo; 1 đơn vị chưa nộp: Phường Ngô Quyền." in page
        assert 'data-unit="11311"' in page and 'data-unit="11329"' in page

    def test_its_queries_do_not_grow_with_units(self, client, people):
        from lanhmanh.geo.models import AdminUnit
        from lanhmanh.geo.tests.factories import AdminUnitFactory

        submitted(make_report(people.commune_a), people.officer_a)
        login_verified(client, people.province_officer)
        target = reverse("reporting:completeness")
        client.get(target, self.query())
        few = count_queries(lambda: client.get(target, self.query()))
        for n in range(5):
            unit = AdminUnitFactory(code=f"2{n}000", name=f"Xã {n}", level=AdminUnit.Level.COMMUNE,
                                    parent=people.province)
            make_report(unit)
        assert count_queries(lambda: client.get(target, self.query())) == few

    def test_it_checks_scoping(self, client, people):
        login_verified(client, people.officer_b)
        assert client.get(reverse("reporting:completeness"), self.query()).status_code == 404
        assert client.get(reverse("reporting:completeness"), self.query(unit="11311")).status_code == 404

    def test_the_form_alone(self, client, people):
        login_verified(client, people.officer_a)
        response = client.get(reverse("reporting:completeness"))
        assert response.status_code == 200 and 'name="type"' in response.content.decode()


class TestDownloads:
    def test_docx_and_xlsx_to_readers_only(self, client, people):
        import io

        from docx import Document
        from openpyxl import load_workbook

        report = make_report(people.commune_a,
                             narrative={"situation": "<div>Tình hình <strong>ổn định</strong>.</div>"})
        login_verified(client, people.officer_a)
        page = client.get(url(report)).content.decode()
        assert 'data-testid="download-docx"' in page and 'data-testid="download-xlsx"' in page
        docx = client.get(reverse("reporting:report_document", args=[report.pk, "docx"]))
        assert docx.status_code == 200 and docx["Content-Disposition"].startswith("attachment")
        text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
        assert "Tình hình ổn định." in text and "<strong>" not in text
        xlsx = client.get(reverse("reporting:report_document", args=[report.pk, "xlsx"]))
        assert xlsx.status_code == 200 and load_workbook(io.BytesIO(xlsx.content)).sheetnames
        login_verified(client, people.officer_b)
        assert client.get(reverse("reporting:report_document", args=[report.pk, "docx"])).status_code == 404
