"""A plan as its official document (Kế hoạch), read back with python-docx: layout of Nghị định 30/2020, the plan's
legal bases, purposes, targets, tasks with their agencies and schedule, sections, recipients and signature; the
downloads on the plan's page and through the API, scoped as the plan is."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from lanhmanh.core import documents as official
from lanhmanh.core.testing import login_verified
from lanhmanh.core.views import object_url
from lanhmanh.plans import documents
from lanhmanh.plans.models import Plan, Recurrence, TaskGroup
from lanhmanh.plans.tests.factories import PlanFactory, PlanSectionFactory, TargetFactory, TaskFactory

D = datetime.date


@pytest.fixture
def plan_a(people, agencies):
    plan = PlanFactory(
        unit=people.commune_a, title="Kế hoạch phòng, chống mại dâm trên địa bàn phường Hồng Bàng năm 2026",
        legal_bases="Quyết định số 732/QĐ-TTg ngày 24/4/2026 của Thủ tướng Chính phủ\n"
                    "Thực hiện Công văn 4827/VP-VX ngày 04/05/2026 của Văn phòng UBND thành phố",
        objectives="1. Mục đích\n- Phòng ngừa, giảm thiểu tệ nạn mại dâm.\n2. Yêu cầu\n- Triển khai đồng bộ, hiệu quả.")
    TargetFactory(plan=plan, order=1, text="Kiểm tra tối thiểu 60% cơ sở kinh doanh dịch vụ")
    TargetFactory(plan=plan, order=2, text="Không để phát sinh tụ điểm phức tạp kéo dài", indicator="", value=None)
    task = TaskFactory(plan=plan, title="Duy trì hoạt động Đội kiểm tra liên ngành 178 phường",
                       lead_agency=agencies["culture_a"], deadline=D(2026, 6, 30))
    task.cooperating_agencies.set([agencies["police_a"]])
    TaskFactory(plan=plan, group=TaskGroup.SUPPRESSION, title="Báo cáo định kỳ tháng về tình hình tệ nạn",
                lead_agency=agencies["police_a"], deadline=None, recurrence=Recurrence.MONTHLY)
    PlanSectionFactory(plan=plan, order=1, heading="Tổ chức thực hiện",
                       body="Công an phường chủ trì theo dõi, tổng hợp kết quả.")
    return plan


def issued(plan, **changes):
    values = {"status": Plan.Status.ISSUED, "number": "35", "issued_on": D(2026, 1, 5),
              "signer_title": "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "signer_name": "Phạm Quang Thanh", **changes}
    Plan.objects.filter(pk=plan.pk).update(**values)
    plan.refresh_from_db()
    return plan


def read(content: bytes):
    return Document(io.BytesIO(content))


def body_text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def cell_text(cell) -> str:
    return "\n".join(p.text for p in cell.paragraphs)


def test_the_issued_plan_reads_back_in_the_decrees_format(people, plan_a):
    document = read(documents.render(issued(plan_a), "docx"))

    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
    assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    for part in (document.element.body, section.header._element):
        for run in part.iter(qn("w:r")):
            fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
            assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:eastAsia")) == "Times New Roman"
    assert [e.text.strip() for e in section.header._element.iter(qn("w:instrText"))] == ["PAGE"]

    header = document.tables[0]
    # A people's committee is named alone (Nghị định 30/2020), without a governing body above it.
    assert cell_text(header.cell(0, 0)).startswith("ỦY BAN NHÂN DÂN\nPHƯỜNG HỒNG BÀNG")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cell_text(header.cell(0, 1))
    assert "Độc lập - Tự do - Hạnh phúc" in cell_text(header.cell(0, 1))
    assert cell_text(header.cell(1, 0)) == "Số: 35/KH-UBND"
    date = header.cell(1, 1).paragraphs[0]
    assert date.text == "Hồng Bàng, ngày 05 tháng 01 năm 2026" and all(run.italic for run in date.runs)

    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    kind, title = paragraphs[0], paragraphs[1]
    assert kind.text == "KẾ HOẠCH" and all(run.bold for run in kind.runs)
    assert title.text == "Phòng, chống mại dâm trên địa bàn phường Hồng Bàng năm 2026"
    assert all(run.bold for run in title.runs)
    body = next(p for p in document.paragraphs if p.text.startswith("Căn cứ Quyết định"))
    assert all(run.font.size == Pt(14) for run in body.runs)

    closing = document.tables[-1]
    recipients = closing.cell(0, 0).paragraphs
    assert recipients[0].text == "Nơi nhận:" and all(r.bold and r.italic for r in recipients[0].runs)
    assert [p.text for p in recipients[1:]] == [
        "- UBND thành phố Hải Phòng (để báo cáo);", "- Phòng Văn hóa - Xã hội phường Hồng Bàng;",
        "- Công an phường Hồng Bàng;", "- Lưu: VT."]
    assert [p.text for p in closing.cell(0, 1).paragraphs if p.text] == [
        "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Quang Thanh"]


def test_the_body_holds_the_legal_bases_purposes_targets_tasks_and_sections(people, plan_a):
    text = body_text(read(documents.render(issued(plan_a), "docx")))
    lines = text.splitlines()
    assert "Căn cứ Quyết định số 732/QĐ-TTg ngày 24/4/2026 của Thủ tướng Chính phủ;" in lines
    assert "Thực hiện Công văn 4827/VP-VX ngày 04/05/2026 của Văn phòng UBND thành phố;" in lines
    assert ("Ủy ban nhân dân phường Hồng Bàng ban hành Kế hoạch phòng, chống mại dâm trên địa bàn phường Hồng Bàng "
            "năm 2026 như sau:") in lines
    headings = [line for line in lines if line[:2] in ("I.", "II", "IV", "V.")]
    assert headings == ["I. MỤC ĐÍCH, YÊU CẦU", "II. CHỈ TIÊU", "III. NHIỆM VỤ, GIẢI PHÁP", "IV. TỔ CHỨC THỰC HIỆN"]
    assert "1. Mục đích" in lines and "- Phòng ngừa, giảm thiểu tệ nạn mại dâm." in lines
    assert "1. Kiểm tra tối thiểu 60% cơ sở kinh doanh dịch vụ (chỉ tiêu: ≥ 60%);" in lines
    assert "2. Không để phát sinh tụ điểm phức tạp kéo dài." in lines
    # Tasks by group in the seeds' order, each with its agencies and schedule.
    assert lines.index("1. Kiểm tra, xử lý vi phạm") < lines.index("2. Đấu tranh, triệt phá tội phạm")
    assert "- Duy trì hoạt động Đội kiểm tra liên ngành 178 phường." in lines
    assert ("Cơ quan chủ trì: Phòng Văn hóa - Xã hội phường Hồng Bàng; cơ quan phối hợp: Công an phường Hồng Bàng; "
            "thời gian thực hiện: 30/06/2026.") in lines
    assert "- Báo cáo định kỳ tháng về tình hình tệ nạn." in lines
    assert "Cơ quan chủ trì: Công an phường Hồng Bàng; thời gian thực hiện: Hằng tháng." in lines
    assert "Công an phường chủ trì theo dõi, tổng hợp kết quả." in lines
    assert lines[-1] == ("Trên đây là Kế hoạch phòng, chống mại dâm trên địa bàn phường Hồng Bàng năm 2026 của Ủy ban "
                         "nhân dân phường Hồng Bàng./.")


def test_a_draft_has_no_number_or_date_and_is_marked(people, plan_a):
    plan_a.number = "99"  # typed ahead of issue: not printed until the plan is issued
    plan_a.save()
    document = read(documents.render(plan_a, "docx"))
    header = document.tables[0]
    number = cell_text(header.cell(1, 0))
    assert number.startswith("Số:") and number.endswith("/KH-UBND") and "99" not in number
    words = cell_text(header.cell(1, 1)).replace("\u00a0", " ").split()
    assert words[:4] == ["Hồng", "Bàng,", "ngày", "tháng"] and words[4] == "năm"
    assert document.sections[0].first_page_header.paragraphs[0].text == "DỰ THẢO"
    # No signer yet: the committee and its chair, without a name.
    assert [p.text for p in document.tables[-1].cell(0, 1).paragraphs if p.text] == [
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


def test_the_issuing_body_typed_on_the_plan_and_a_province_without_a_superior(people):
    plan = PlanFactory(unit=people.province, issuing_body="Ủy ban nhân dân thành phố Hải Phòng",
                       title="Phòng, chống mại dâm năm 2026", legal_bases="")
    document = documents.plan_document(plan)
    assert document.superior_body == ""  # the nation is not a committee above the city
    assert document.issuing_body == "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI PHÒNG"
    assert document.place == "Hải Phòng" and document.title == "Phòng, chống mại dâm năm 2026"
    assert document.recipients == ["Lưu: VT"]
    other = PlanFactory(unit=people.commune_a, issuing_body="Ban Chỉ đạo 138 phường Hồng Bàng",
                        signer_title="TRƯỞNG BAN")
    signature = documents.plan_document(other).signature
    assert signature.authority_lines() == ["TRƯỞNG BAN"]


def test_the_document_is_vietnamese_whatever_the_readers_language(people, plan_a):
    from django.utils import translation

    with translation.override("en"):
        text = body_text(read(documents.render(issued(plan_a), "docx")))
    assert "Kiểm tra, xử lý vi phạm" in text and "Hằng tháng" in text


def test_file_names_carry_no_personal_data(people, plan_a):
    assert documents.filename(plan_a, "docx") == f"KH-du-thao-{plan_a.pk}-2026.docx"
    assert documents.filename(issued(plan_a), "pdf") == "KH-35-2026.pdf"


# -- pages and API -------------------------------------------------------------------------------------------------


def test_the_owner_downloads_the_docx(client, people, plan_a):
    issued(plan_a)
    client.force_login(people.officer_a)
    page = client.get(object_url(plan_a)).content.decode()
    url = reverse("plans:plan_document", args=[plan_a.pk, "docx"])
    assert url == f"/plans/plan/{plan_a.pk}/document.docx" and url in page
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == official.DOCX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="KH-35-2026.docx"'
    assert response["Cache-Control"] == "private, no-store"
    assert "Duy trì hoạt động Đội kiểm tra liên ngành 178 phường" in body_text(read(response.content))


def test_the_province_reads_the_communes_plan_and_the_commune_the_provinces_issued_plan(client, people, plan_a):
    client.force_login(people.province_officer)
    assert client.get(reverse("plans:plan_document", args=[plan_a.pk, "docx"])).status_code == 200
    province_plan = issued(PlanFactory(unit=people.province))
    client.force_login(people.officer_a)
    assert client.get(reverse("plans:plan_document", args=[province_plan.pk, "docx"])).status_code == 200


def test_a_sibling_commune_gets_404_and_a_user_without_the_role_403(client, people, plan_a):
    url = reverse("plans:plan_document", args=[plan_a.pk, "docx"])
    client.force_login(people.officer_b)
    assert client.get(url).status_code == 404
    assert client.get(reverse("plans:plan_document", args=[plan_a.pk, "pdf"])).status_code == 404
    client.force_login(people.nobody)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_pdf_without_libreoffice_goes_back_to_the_plan_with_the_message(client, people, plan_a, monkeypatch):
    monkeypatch.setattr(official.shutil, "which", lambda name: None)
    client.force_login(people.officer_a)
    page = client.get(object_url(plan_a)).content.decode()
    assert 'data-testid="pdf-unavailable"' in page and 'data-testid="download-pdf"' not in page
    response = client.get(reverse("plans:plan_document", args=[plan_a.pk, "pdf"]), follow=True)
    assert response.redirect_chain == [(object_url(plan_a), 302)]
    assert "Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; hãy tải bản DOCX." in response.content.decode()


def test_pdf_when_libreoffice_converts(client, people, plan_a, monkeypatch):
    monkeypatch.setattr(official.shutil, "which", lambda name: "/usr/bin/soffice")
    monkeypatch.setattr(official, "render_pdf", lambda content, **kwargs: b"%PDF-1.4 converted")
    client.force_login(people.officer_a)
    assert 'data-testid="download-pdf"' in client.get(object_url(plan_a)).content.decode()
    response = client.get(reverse("plans:plan_document", args=[plan_a.pk, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == b"%PDF-1.4 converted"
    assert response["Content-Disposition"] == f'attachment; filename="KH-du-thao-{plan_a.pk}-2026.pdf"'


def test_api_document(client, people, plan_a, monkeypatch):
    issued(plan_a)
    login_verified(client, people.officer_a)
    url = f"/api/plans/{plan_a.pk}/document/"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == official.DOCX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="KH-35-2026.docx"'
    assert "II. CHỈ TIÊU" in body_text(read(response.content))
    assert client.get(url, {"format": "docx"})["Content-Type"] == official.DOCX_CONTENT_TYPE
    assert client.get(f"/api/plans/{plan_a.pk}/document.docx")["Content-Type"] == official.DOCX_CONTENT_TYPE

    monkeypatch.setattr(official.shutil, "which", lambda name: None)
    response = client.get(url, {"format": "pdf"})
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert "chưa cài LibreOffice" in response.json()["detail"]

    login_verified(client, people.officer_b)
    response = client.get(url, {"format": "docx"})
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
