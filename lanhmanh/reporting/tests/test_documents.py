"""A report as an official document, read back with python-docx (layout of Nghị định 30/2020 and every number of
the appendix equal to the stored figures), and its appendix tables as XLSX read back with openpyxl. The province's
report consolidates its communes' approved reports, so its appendix states their frozen figures."""

import datetime
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.inspections.models import InspectionVisit
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, TeamFactory
from lanhmanh.plans.models import Plan
from lanhmanh.plans.tests.factories import PlanFactory, TargetFactory
from lanhmanh.reporting import appendix, documents, drafting, workflow
from lanhmanh.reporting.models import DEFAULT_SECTIONS, Report, ReportStatus, ReportType
from lanhmanh.reporting.tests.factories import ReportFactory

D = datetime.date
TODAY = D(2026, 7, 1)
NARRATIVE = {
    "situation": "Tình hình tệ nạn mại dâm trên địa bàn cơ bản được kiểm soát.",
    "results": "1. Công tác kiểm tra\n- Đội kiểm tra liên ngành đã tổ chức 5 buổi kiểm tra.",
    "strengths": "Các ngành phối hợp chặt chẽ.",
    "shortcomings": "Một số cơ sở chưa ký cam kết.",
    "direction": "Tiếp tục kiểm tra các cơ sở kinh doanh dịch vụ.",
    "proposals": "Đề nghị bố trí kinh phí cho Đội kiểm tra liên ngành.",
}


def sessions(unit, count, day):
    team = TeamFactory(unit=unit)
    return [InspectionSessionFactory(team=team, unit=unit, date=day) for _n in range(count)]


def approved_report(unit, report_type, submitter, approver):
    """`unit`'s six-month report drafted from its records, submitted and approved (its figures frozen)."""
    report = ReportFactory(unit=unit, report_type=report_type, period_start=D(2025, 12, 15),
                           period_end=D(2026, 6, 14), deadline=timezone.localdate() + datetime.timedelta(days=10))
    report.figures = drafting.compute_figures(report, today=TODAY)
    report.figures_at = timezone.now()
    report.save()
    workflow.submit(report, submitter, report.version)
    workflow.approve(report, approver)
    return report


def frozen(report) -> dict:
    """{code: value} of the figures of `report`'s latest (approved) version."""
    return {row["code"]: row["value"] for row in workflow.latest_version(report).figures["indicators"]}


@pytest.fixture
def province_report(people):
    """Province 31 this half-year: commune A 3 sessions with a visit to one of its 2 businesses, commune B 2
    sessions; a year earlier A held 4. Both communes' reports are approved, so the province's consolidates them. The
    province's 2026 plan targets 60% of businesses inspected."""
    a, b = people.commune_a, people.commune_b
    made = sessions(a, 3, D(2026, 3, 10))
    business = BusinessFactory(unit=a, opened_on=D(2025, 1, 1))
    BusinessFactory(unit=a, opened_on=D(2025, 1, 1))
    InspectionVisit.objects.create(session=made[0], business=business, unit=a, visited_on=D(2026, 3, 10),
                                   outcome=InspectionVisit.Outcome.REMINDER)
    sessions(b, 2, D(2026, 4, 2))
    sessions(a, 4, D(2025, 3, 10))
    plan = PlanFactory(unit=people.province, status=Plan.Status.ISSUED, number="35", issued_on=D(2026, 1, 15),
                       title="Kế hoạch phòng, chống mại dâm năm 2026")
    TargetFactory(plan=plan, order=1, text="Kiểm tra ít nhất 60% cơ sở kinh doanh dịch vụ",
                  indicator="INSP_COVERAGE_PCT", value=60)
    programme = ReportType.objects.get(code="programme-half")
    approver = UserFactory(username="lanhdao.tinh", roles=[(people.province, Role.APPROVER)])
    approved_report(a, programme, people.officer_a, approver)
    approved_report(b, programme, people.officer_b, approver)
    report = ReportFactory(unit=people.province, report_type=programme,
                           period_start=D(2025, 12, 15), period_end=D(2026, 6, 14), narrative=dict(NARRATIVE),
                           status=ReportStatus.SUBMITTED, document_number="112",
                           submitted_at=datetime.datetime(2026, 6, 9, 20, 0, tzinfo=datetime.UTC),
                           signer_name="Nguyễn Văn An", signer_title="KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")
    report.figures = drafting.compute_figures(report, today=TODAY)
    report.save()
    return report


@pytest.fixture
def commune_report(people):
    sessions(people.commune_a, 3, D(2026, 3, 10))
    report = ReportFactory(unit=people.commune_a, report_type=ReportType.objects.get(code="police-quarter"),
                           period_start=D(2025, 12, 15), period_end=D(2026, 3, 14), number=1,
                           period_label="Quý 1/2026 (chốt số liệu)", narrative={"results": "Đã kiểm tra."})
    report.figures = drafting.compute_figures(report, today=TODAY)
    report.save()
    return report


def mm(length) -> int:
    return round(length.mm)


def read(content: bytes):
    return Document(io.BytesIO(content))


def texts(document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def cell_lines(cell) -> list[str]:
    return [paragraph.text for paragraph in cell.paragraphs if paragraph.text.strip()]


def find_tables(document, first_headers: list[str]):
    return [table for table in document.tables
            if [cell.text for cell in table.rows[0].cells[:len(first_headers)]] == first_headers]


def parse(text: str):
    """"1.234" → 1234, "87,8%" → 87.8, "+12,5" → 12.5, "—" → None."""
    if text == documents.NO_DATA:
        return None
    return Decimal(text.rstrip("%").lstrip("+").replace(".", "").replace(",", "."))


def expected(value, places=1):
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()


def test_numbers_are_written_the_vietnamese_way():
    assert documents.format_figure(1234, "count") == "1.234"
    assert documents.format_figure(87.75, "percent") == "87,8%"
    assert documents.format_figure(0, "percent") == "0%"
    assert documents.format_figure(35000000, "vnd") == "35.000.000"
    assert documents.format_figure(None, "count") == "—"
    assert (documents.format_change(12.5), documents.format_change(-3), documents.format_change(None)) == (
        "+12,5", "-3", "—")
    assert documents.measure_unit({"name": "Số buổi kiểm tra", "measure": "count"}) == "Buổi"
    assert documents.measure_unit({"name": "Số lượt cơ sở được kiểm tra", "measure": "count"}) == "Lượt"
    assert documents.measure_unit({"name": "Tỷ lệ", "measure": "percent"}) == "%"


def test_layout_header_title_and_sections(province_report):
    content, name = documents.render(province_report, "docx")
    assert name == "BC-6-thang-2026-31.docx"
    document = read(content)
    section = document.sections[0]
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert [mm(section.top_margin), mm(section.bottom_margin), mm(section.left_margin), mm(section.right_margin)] == [
        20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman"
    fonts = {run.font.name for paragraph in document.paragraphs for run in paragraph.runs if run.text}
    assert fonts == {"Times New Roman"}

    header = document.tables[0]
    assert cell_lines(header.cell(0, 0))[0] == "ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HẢI PHÒNG"
    assert cell_lines(header.cell(0, 1)) == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert re.fullmatch(r"Số: 112/BC-UBND", header.cell(1, 0).text)
    # Submitted at 20:00 UTC on 9 June: 10 June in Vietnam.
    assert header.cell(1, 1).text == "Hải Phòng, ngày 10 tháng 6 năm 2026"

    paragraphs = document.paragraphs
    title = next(p for p in paragraphs if p.text == "BÁO CÁO")
    assert all(run.bold for run in title.runs if run.text)
    assert "Kết quả công tác phòng, chống mại dâm 6 tháng đầu năm 2026" in texts(document)

    headings = [text for text in texts(document) if re.match(r"^[IVX]+\. ", text)]
    assert headings == [f"{roman}. {section['title'].upper()}" for roman, section in
                        zip(["I", "II", "III", "IV", "V", "VI"], DEFAULT_SECTIONS, strict=True)]
    body = texts(document)
    assert body.index("I. TÌNH HÌNH") < body.index(NARRATIVE["situation"]) < body.index("II. KẾT QUẢ THỰC HIỆN")
    assert "- Đội kiểm tra liên ngành đã tổ chức 5 buổi kiểm tra." in body
    assert any(text.startswith("Trên đây là báo cáo kết quả công tác phòng, chống mại dâm 6 tháng đầu năm 2026 của "
                               "Ủy ban nhân dân thành phố Hải Phòng") for text in body)

    closing = next(table for table in document.tables if table.cell(0, 0).text.startswith("Nơi nhận"))
    assert cell_lines(closing.cell(0, 0)) == ["Nơi nhận:", "- Lưu: VT."]  # a province reports to no unit above
    assert cell_lines(closing.cell(0, 1)) == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn An"]


def test_targets_table_inside_the_results_section(province_report):
    document = read(documents.render(province_report, "docx")[0])
    [table] = find_tables(document, ["Chỉ tiêu", "Mức", "Thực hiện", "Đánh giá"])
    target = province_report.figures["targets"][0]
    row = [cell.text for cell in table.rows[1].cells]
    assert row[0] == "Kiểm tra ít nhất 60% cơ sở kinh doanh dịch vụ"
    assert row[1] == target["goal_display"]
    assert parse(row[2]) == expected(target["actual"])  # 1 of 2 managed businesses: 50%
    assert row[3] == target["mark_label"] == "Chậm tiến độ"  # judged on 14/06, half-way through the year


def test_every_number_of_biểu_1_is_the_stored_figure(province_report):
    figures = province_report.figures
    document = read(documents.render(province_report, "docx")[0])
    [table] = find_tables(document, documents.BIEU_1_HEADERS)
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert len(rows) == len(figures["indicators"]) == 29
    for row, figure in zip(rows, figures["indicators"], strict=True):
        assert row[1] == figure["name"]
        places = 0 if figure["measure"] == "vnd" else 1
        assert parse(row[3]) == expected(figure["value"], places), figure["code"]
        assert parse(row[4]) == expected(figure["value_previous"], places), figure["code"]
        assert parse(row[5]) == expected(figure["change_percent"]), figure["code"]
        if figure["measure"] == "percent" and figure["value"] is not None:
            assert row[3].endswith("%") and "," in row[3] or row[3].rstrip("%").isdigit()
    sessions_row = rows[[f["code"] for f in figures["indicators"]].index("INSP_SESSIONS")]
    assert sessions_row[2:] == ["Buổi", "5", "4", "+25"]  # A's 3 and B's 2 approved; a year earlier 4
    # The province holds no records of its own: each figure is the sum of the communes' frozen parts.
    children = {row["unit"]: row for row in figures["children"]["rows"]}
    assert all(row["counted"] for row in children.values()) and figures["consolidation"]["not_counted"] == []
    by_code = {row["code"]: row for row in figures["indicators"]}
    assert (by_code["INSP_SESSIONS"]["value"], children["11311"]["values"]["INSP_SESSIONS"],
            children["11329"]["values"]["INSP_SESSIONS"]) == (5, 3, 2)
    assert (by_code["INSP_COVERAGE_PCT"]["numerator"], by_code["INSP_COVERAGE_PCT"]["denominator"]) == (1, 2)


def test_children_tables_for_a_province(province_report):
    figures = province_report.figures
    communes = Report.objects.filter(report_type=province_report.report_type, unit__parent=province_report.unit)
    assert {row["unit"]: row["values"] for row in figures["children"]["rows"]} == {
        report.unit.code: frozen(report) for report in communes}  # the appendix states the approved reports
    document = read(documents.render(province_report, "docx")[0])
    tables = find_tables(document, ["TT", "Đơn vị"])
    assert len(tables) == 5  # 29 indicators, at most 6 columns each
    codes = [row["code"] for row in figures["indicators"]]
    by_code = {row["code"]: row for row in figures["indicators"]}
    column = 0
    for table in tables:
        headers = [cell.text for cell in table.rows[0].cells][2:]
        assert 1 <= len(headers) <= 6
        lines = [[cell.text for cell in row.cells] for row in table.rows[1:]]
        assert [line[1] for line in lines] == ["Phường Hồng Bàng", "Phường Ngô Quyền", "Toàn thành phố Hải Phòng"]
        for offset in range(len(headers)):
            code = codes[column + offset]
            places = 0 if by_code[code]["measure"] == "vnd" else 1
            for line, child in zip(lines, figures["children"]["rows"], strict=False):
                assert parse(line[2 + offset]) == expected(child["values"].get(code), places), code
            assert parse(lines[-1][2 + offset]) == expected(by_code[code]["value"], places), code
        column += len(headers)
    assert column == len(codes)
    # The appendix is on landscape pages after the signature.
    assert mm(document.sections[-1].page_width) == 297
    assert any(text.startswith("(Kèm theo Báo cáo số 112/BC-UBND ngày 10 tháng 6 năm 2026") for text in
               texts(document))


def test_charts_when_the_report_type_asks_for_them(province_report):
    document = read(documents.render(province_report, "docx")[0])
    assert len(document.inline_shapes) == 2  # the counts, the percentages with the target line
    body = texts(document)
    assert body.index("II. KẾT QUẢ THỰC HIỆN") < body.index(
        "Biểu đồ 1. Một số kết quả chủ yếu so với cùng kỳ năm trước") < body.index("III. ƯU ĐIỂM")
    # Deterministic: the same figures give the same picture.
    first = documents.charts(province_report.figures)
    again = documents.charts(province_report.figures)
    assert [image.png for image in first] == [image.png for image in again]
    assert first[0].png.startswith(b"\x89PNG") and b"Software" not in first[0].png


def test_a_draft_commune_report_without_charts(commune_report, people):
    assert not commune_report.report_type.with_charts
    content, name = documents.render(commune_report, "docx")
    assert name == "BC-quy-1-2026-11311.docx"
    document = read(content)
    assert len(document.inline_shapes) == 0
    header = document.tables[0]
    assert re.fullmatch(r"Số: \u00a0+/BC-UBND", header.cell(1, 0).text)
    assert re.fullmatch(r"Hồng Bàng, ngày\u00a0+tháng\u00a0+năm \d{4}", header.cell(1, 1).text)
    assert "Kết quả công tác phòng, chống mại dâm quý 1/2026" in texts(document)
    assert find_tables(document, ["TT", "Đơn vị"]) == []  # a commune has no children
    [table] = find_tables(document, documents.BIEU_1_HEADERS)
    assert len(table.rows) == 1 + len(commune_report.figures["indicators"])
    assert texts(document).count("I. KẾT QUẢ THỰC HIỆN") == 1  # the empty sections are left out
    closing = next(table for table in document.tables if table.cell(0, 0).text.startswith("Nơi nhận"))
    assert cell_lines(closing.cell(0, 0)) == ["Nơi nhận:", "- UBND thành phố Hải Phòng (để báo cáo);", "- Lưu: VT."]
    assert cell_lines(closing.cell(0, 1)) == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]


def test_the_officers_recipients_and_title(commune_report):
    commune_report.recipients = "- Sở Y tế;\nCông an thành phố\nLưu: VT, VHXH."
    commune_report.title = "Báo cáo kết quả kiểm tra quý 1"
    doc = documents.report_document(commune_report)
    assert doc.recipients == ["Sở Y tế", "Công an thành phố", "Lưu: VT, VHXH"]
    assert doc.title == "Kết quả kiểm tra quý 1" and doc.kind_title == "BÁO CÁO"
    assert doc.draft and doc.number == "" and doc.date is None


def test_appendix_xlsx_values_equal_the_figures(province_report):
    book = load_workbook(io.BytesIO(appendix.appendix_xlsx(province_report)))
    assert book.sheetnames == ["Biểu 1", "Biểu 2"]
    ws = book["Biểu 1"]
    assert ws["A1"].value == documents.BIEU_1 and ws["A2"].value == "Đơn vị: Thành phố Hải Phòng"
    assert "6 tháng đầu năm 2026" in ws["A3"].value
    first = appendix.FIRST_DATA_ROW
    assert [ws.cell(row=first - 1, column=c).value for c in range(1, 7)] == documents.BIEU_1_HEADERS
    for index, figure in enumerate(province_report.figures["indicators"]):
        row = first + index
        assert ws.cell(row=row, column=2).value == figure["name"]
        for column, key in ((4, "value"), (5, "value_previous"), (6, "change_percent")):
            cell = ws.cell(row=row, column=column)
            assert cell.value == (figure[key] if figure[key] is not None else "—"), (figure["code"], key)
            if figure[key] is not None and (figure["measure"] == "percent" or key == "change_percent"):
                assert cell.number_format == "0.0"
    ws2 = book["Biểu 2"]
    rows = province_report.figures["children"]["rows"]
    codes = province_report.figures["children"]["indicators"]
    for index, child in enumerate(rows):
        assert ws2.cell(row=first + index, column=3).value == child["unit_name"]
        for offset, code in enumerate(codes):
            value = child["values"].get(code)
            assert ws2.cell(row=first + index, column=4 + offset).value == (value if value is not None else "—")
    for sheet in book.worksheets:
        for line in sheet.iter_rows():
            for cell in line:
                assert cell.data_type != "f"
    assert appendix.appendix_filename(province_report) == "BC-6-thang-2026-31-phu-luc.xlsx"


def test_text_that_looks_like_a_formula_stays_text(commune_report):
    figures = dict(commune_report.figures)
    figures["indicators"] = [{**figures["indicators"][0], "name": '=HYPERLINK("http://x","y")'}]
    figures["children"] = {"indicators": [figures["indicators"][0]["code"]],
                           "rows": [{"unit": "1", "unit_name": "=1+1", "values": {}}]}
    commune_report.figures = figures
    book = load_workbook(io.BytesIO(appendix.appendix_xlsx(commune_report)))
    assert book["Biểu 1"].cell(row=appendix.FIRST_DATA_ROW, column=2).value == '=HYPERLINK("http://x","y")'
    assert book["Biểu 1"].cell(row=appendix.FIRST_DATA_ROW, column=2).data_type == "s"
    assert book["Biểu 2"].cell(row=appendix.FIRST_DATA_ROW, column=3).data_type == "s"


def test_pdf_without_libreoffice_says_so(commune_report, monkeypatch):
    from lanhmanh.core import documents as core

    monkeypatch.setattr(core, "office_binary", lambda: None)
    with pytest.raises(core.DocumentError, match="LibreOffice"):
        documents.render(commune_report, "pdf")
    with pytest.raises(ValueError):
        documents.render(commune_report, "odt")


def test_the_consolidated_report_states_completeness_and_timeliness(province_report):
    consolidation = province_report.figures["consolidation"]
    assert consolidation["completeness_line"] == "2/2 xã, phường đã nộp báo cáo."
    assert consolidation["timeliness_line"] == "Nộp đúng hạn: 2; nộp muộn: 0."
    body = texts(read(documents.render(province_report, "docx")[0]))
    results = body.index("II. KẾT QUẢ THỰC HIỆN")
    assert results < body.index(consolidation["completeness_line"]) < body.index(consolidation["timeliness_line"]) \
        < body.index("III. ƯU ĐIỂM")


def test_sections_and_names_as_the_figures_were_drafted(commune_report):
    commune_report.figures = {
        **commune_report.figures,
        "sections": [{"key": "results", "title": "Kết quả kiểm tra"}, {"key": "direction", "title": "Nhiệm vụ tới"}],
        "unit_name": "Phường Hồng Bàng Cũ", "parent_name": "Thành phố Hải Phòng Cũ",
    }
    commune_report.narrative = {"results": "Đã kiểm tra.", "direction": "Kiểm tra tiếp.", "situation": "Không in."}
    document = read(documents.render(commune_report, "docx")[0])
    body = texts(document)
    assert [text for text in body if re.match(r"^[IVX]+\. ", text)] == ["I. KẾT QUẢ KIỂM TRA", "II. NHIỆM VỤ TỚI"]
    assert "Không in." not in body
    header = document.tables[0]
    assert cell_lines(header.cell(0, 0))[0] == "ỦY BAN NHÂN DÂN\nPHƯỜNG HỒNG BÀNG CŨ"
    closing = next(table for table in document.tables if table.cell(0, 0).text.startswith("Nơi nhận"))
    assert cell_lines(closing.cell(0, 0))[1] == "- UBND thành phố Hải Phòng Cũ (để báo cáo);"
    # Without the snapshot: the report type's sections and today's names.
    for key in ("sections", "unit_name", "parent_name"):
        commune_report.figures.pop(key)
    doc = documents.report_document(commune_report)
    assert doc.issuing_body == "ỦY BAN NHÂN DÂN\nPHƯỜNG HỒNG BÀNG"
    assert doc.recipients[0] == "UBND thành phố Hải Phòng (để báo cáo)"


def test_the_officers_bold_and_italic_words_reach_the_document(commune_report):
    commune_report.narrative = {"results": (
        "<div>1. Công tác kiểm tra</div>"
        "<div>Đã kiểm tra <strong>12 cơ sở</strong>, phát hiện <em>2 vi phạm</em>.</div>"
        "<div><strong>Cả đoạn in đậm.</strong></div>"
        "<ul><li>Nhắc nhở <strong>3</strong> cơ sở</li></ul>"
    )}
    document = read(documents.render_docx(commune_report))
    by_text = {paragraph.text: paragraph for paragraph in document.paragraphs}
    styled = by_text["Đã kiểm tra 12 cơ sở, phát hiện 2 vi phạm."]
    runs = [(run.text, bool(run.bold), bool(run.italic)) for run in styled.runs if run.text]
    assert runs == [("Đã kiểm tra ", False, False), ("12 cơ sở", True, False), (", phát hiện ", False, False),
                    ("2 vi phạm", False, True), (".", False, False)]
    assert all(run.bold for run in by_text["Cả đoạn in đậm."].runs if run.text)
    item = by_text["- Nhắc nhở 3 cơ sở"]
    assert [(run.text, bool(run.bold)) for run in item.runs if run.text] == [
        ("- ", False), ("Nhắc nhở ", False), ("3", True), (" cơ sở", False)]
    # An unstyled numbered line is still a heading, as in plans.
    assert all(run.bold for run in by_text["1. Công tác kiểm tra"].runs if run.text)


def test_a_numbered_line_the_officer_bolded_is_still_a_heading():
    from lanhmanh.core.documents import Heading, Paragraph

    blocks = documents.narrative_blocks("<div><strong>2. Kết quả kiểm tra</strong></div><div><em>Ghi chú.</em></div>")
    assert blocks == [Heading("2. Kết quả kiểm tra", level=2), Paragraph("Ghi chú.", italic=True)]
