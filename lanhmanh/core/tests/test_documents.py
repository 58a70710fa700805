"""The official-document renderer, read back with python-docx: the page, margins, fonts and sizes of Nghị định
30/2020 (Phụ lục I), the header table, title, recipients, signature and page numbers; dates as the decree writes
them; PDF through LibreOffice, and a clear message where it is not installed."""

import datetime
import io
import stat

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from lanhmanh.core import documents
from lanhmanh.core.documents import (
    Bullet,
    DocumentError,
    Heading,
    Image,
    OfficialDocument,
    Paragraph,
    Signature,
    Table,
    place_name,
    render_docx,
    render_pdf,
    vietnamese_date,
)

D = datetime.date
# A 1×1 white PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffffff7f0009fb03fd2a86e38a0000000049454e44ae426082")


def official(**changes) -> OfficialDocument:
    values = dict(
        superior_body="UBND thành phố Hải Phòng",
        issuing_body="ỦY BAN NHÂN DÂN\nPHƯỜNG HỒNG BÀNG",
        number="35",
        symbol="KH-UBND",
        place="Hồng Bàng",
        date=D(2026, 1, 5),
        kind_title="KẾ HOẠCH",
        title="Phòng, chống mại dâm năm 2026",
        blocks=[
            Paragraph("Căn cứ Quyết định số 732/QĐ-TTg ngày 24/4/2026 của Thủ tướng Chính phủ;"),
            Heading("I. MỤC ĐÍCH, YÊU CẦU"),
            Heading("1. Mục đích", level=2),
            Bullet("Phòng ngừa, giảm thiểu tệ nạn mại dâm trên địa bàn phường."),
            Table(["TT", "Chỉ tiêu", "Mức"], [[1, "Kiểm tra cơ sở kinh doanh dịch vụ", "≥ 60%"]],
                  widths=[1.2, 11.3, 3.5]),
            Image(PNG, width_cm=4, caption="Biểu đồ 1"),
            Paragraph("Trên đây là Kế hoạch phòng, chống mại dâm năm 2026./."),
        ],
        recipients=["UBND thành phố Hải Phòng (để báo cáo)", "Công an phường Hồng Bàng", "Lưu: VT"],
        signature=Signature("TM.", "ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH", "Phạm Quang Thanh"),
    )
    values.update(changes)
    return OfficialDocument(**values)


def read(doc: OfficialDocument):
    return Document(io.BytesIO(render_docx(doc)))


def cell_text(cell) -> str:
    return "\n".join(paragraph.text for paragraph in cell.paragraphs)


def runs_of(paragraphs):
    return [run for paragraph in paragraphs for run in paragraph.runs if run.text.strip()]


def all_run_elements(document):
    parts = [document.element.body]
    section = document.sections[0]
    parts += [section.header._element, section.first_page_header._element]
    return [run for part in parts for run in part.iter(qn("w:r"))]


def test_the_page_is_a4_with_the_decrees_margins():
    section = read(official()).sections[0]
    # Stored in twips: to the tenth of a millimetre.
    assert round(section.page_width.mm, 1) == 210 and round(section.page_height.mm, 1) == 297
    assert 20 <= round(section.top_margin.mm, 1) <= 25
    assert 20 <= round(section.bottom_margin.mm, 1) <= 25
    assert 30 <= round(section.left_margin.mm, 1) <= 35
    assert 15 <= round(section.right_margin.mm, 1) <= 20


def test_every_run_and_the_styles_are_times_new_roman_in_every_script():
    document = read(official())
    for run in all_run_elements(document):
        fonts = run.find(qn("w:rPr")).find(qn("w:rFonts"))
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert fonts.get(qn(slot)) == "Times New Roman", (slot, run.xpath("string(.)"))
        assert fonts.get(qn("w:asciiTheme")) is None
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(14)
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "Times New Roman"
    defaults = document.styles.element.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert defaults.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "Times New Roman"
    assert defaults.find(qn("w:rFonts")).get(qn("w:asciiTheme")) is None


def test_body_text_is_14_pt_justified_with_a_first_line_indent():
    document = read(official())
    body = next(p for p in document.paragraphs if p.text.startswith("Căn cứ Quyết định"))
    assert body.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert round(body.paragraph_format.first_line_indent.cm, 2) == 1
    assert body.paragraph_format.space_after == Pt(6)
    assert all(run.font.size == Pt(14) for run in body.runs)
    bullet = next(p for p in document.paragraphs if p.text.startswith("- Phòng ngừa"))
    assert all(run.font.size == Pt(14) for run in bullet.runs)
    heading = next(p for p in document.paragraphs if p.text == "I. MỤC ĐÍCH, YÊU CẦU")
    assert all(run.bold for run in heading.runs)


def test_the_header_table_holds_the_bodies_number_national_title_motto_and_date():
    document = read(official())
    header = document.tables[0]
    assert len(header.columns) == 2
    left, right = cell_text(header.cell(0, 0)), cell_text(header.cell(0, 1))
    assert left.startswith("UBND THÀNH PHỐ HẢI PHÒNG\nỦY BAN NHÂN DÂN\nPHƯỜNG HỒNG BÀNG")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in right and "Độc lập - Tự do - Hạnh phúc" in right
    assert cell_text(header.cell(1, 0)) == "Số: 35/KH-UBND"
    assert cell_text(header.cell(1, 1)) == "Hồng Bàng, ngày 05 tháng 01 năm 2026"

    superior, issuing = header.cell(0, 0).paragraphs[:2]
    assert all(not run.bold and run.font.size == Pt(13) for run in superior.runs)
    assert all(run.bold and run.font.size == Pt(13) for run in issuing.runs)
    national, motto = header.cell(0, 1).paragraphs[:2]
    assert all(run.bold and Pt(12) <= run.font.size <= Pt(13) for run in national.runs)
    assert all(run.bold and Pt(13) <= run.font.size <= Pt(14) for run in motto.runs)
    number = header.cell(1, 0).paragraphs[0]
    assert all(run.font.size == Pt(13) for run in number.runs)
    date = header.cell(1, 1).paragraphs[0]
    assert all(run.italic for run in date.runs)
    # The rules under the issuing body and the motto: bottom borders of short centred paragraphs.
    for cell in (header.cell(0, 0), header.cell(0, 1)):
        rules = [p for p in cell.paragraphs if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None]
        assert len(rules) == 1 and rules[0].paragraph_format.left_indent > 0
    # Borderless: a layout table, not a grid.
    borders = header._tbl.tblPr.find(qn("w:tblBorders"))
    assert {edge.get(qn("w:val")) for edge in borders} == {"nil"}


def test_the_kind_and_title_are_bold_centred_and_the_kind_upper_case():
    document = read(official(kind_title="Kế hoạch"))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    kind, title = paragraphs[0], paragraphs[1]
    assert kind.text == "KẾ HOẠCH" and kind.text == kind.text.upper()
    assert title.text == "Phòng, chống mại dâm năm 2026"
    for paragraph in (kind, title):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold and run.font.size == Pt(14) for run in paragraph.runs)


def test_recipients_and_signature_close_the_document():
    document = read(official())
    closing = document.tables[-1]
    recipients, signature = closing.cell(0, 0), closing.cell(0, 1)
    heading = recipients.paragraphs[0]
    assert heading.text == "Nơi nhận:"
    assert all(run.bold and run.italic and run.font.size == Pt(12) for run in heading.runs)
    lines = [p.text for p in recipients.paragraphs[1:]]
    assert lines == ["- UBND thành phố Hải Phòng (để báo cáo);", "- Công an phường Hồng Bàng;", "- Lưu: VT."]
    assert all(run.font.size == Pt(11) for run in runs_of(recipients.paragraphs[1:]))

    texts = [p.text for p in signature.paragraphs if p.text]
    assert texts == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Phạm Quang Thanh"]
    assert all(run.bold for run in runs_of(signature.paragraphs))
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in signature.paragraphs)
    # Room to sign and seal between the title and the name.
    name_index = next(i for i, p in enumerate(signature.paragraphs) if p.text == "Phạm Quang Thanh")
    assert all(not p.text for p in signature.paragraphs[name_index - 3:name_index])


def test_page_numbers_are_a_page_field_in_the_header_from_page_two():
    document = read(official())
    section = document.sections[0]
    assert section.different_first_page_header_footer
    header = section.header
    instructions = [element.text for element in header._element.iter(qn("w:instrText"))]
    assert [text.strip() for text in instructions] == ["PAGE"]
    assert header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" not in "".join(e.text or "" for e in section.first_page_header._element.iter(qn("w:instrText")))


def test_a_draft_has_a_blank_number_and_date_and_says_so():
    document = read(official(number="", date=None, year=2026, draft=True))
    header = document.tables[0]
    number = cell_text(header.cell(1, 0))
    assert number.startswith("Số:") and number.endswith("/KH-UBND") and "35" not in number
    assert cell_text(header.cell(1, 1)).replace("\u00a0", " ").split() == [
        "Hồng", "Bàng,", "ngày", "tháng", "năm", "2026"]
    assert document.sections[0].first_page_header.paragraphs[0].text == "DỰ THẢO"


def test_tables_and_images_are_rendered():
    document = read(official())
    table = document.tables[1]
    assert [cell.text for cell in table.rows[0].cells] == ["TT", "Chỉ tiêu", "Mức"]
    assert [cell.text for cell in table.rows[1].cells] == ["1", "Kiểm tra cơ sở kinh doanh dịch vụ", "≥ 60%"]
    assert all(run.bold for run in runs_of(table.rows[0].cells[1].paragraphs))
    assert len(document.inline_shapes) == 1
    assert document.inline_shapes[0].width == Cm(4)
    assert any(p.text == "Biểu đồ 1" for p in document.paragraphs)


def test_the_file_carries_no_ones_name_in_its_properties():
    properties = read(official()).core_properties
    assert properties.author == "ỦY BAN NHÂN DÂN PHƯỜNG HỒNG BÀNG"
    assert properties.last_modified_by == ""


@pytest.mark.parametrize(("date", "text"), [
    (D(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
    (D(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
    (D(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
    (D(2023, 12, 15), "ngày 15 tháng 12 năm 2023"),
])
def test_dates_as_the_decree_writes_them(date, text):
    assert vietnamese_date(date) == text


def test_a_blank_date_keeps_the_year():
    assert vietnamese_date(None, 2026).replace("\u00a0", " ").split() == ["ngày", "tháng", "năm", "2026"]


@pytest.mark.parametrize(("name", "place"), [
    ("Phường Hồng Bàng", "Hồng Bàng"), ("Thành phố Hải Phòng", "Hải Phòng"), ("Xã Thanh Xá", "Thanh Xá"),
    ("Đặc khu Bạch Long Vĩ", "Bạch Long Vĩ"), ("Phường 3", "Phường 3"), ("Hải Dương", "Hải Dương"),
])
def test_place_names_drop_the_kind_of_unit(name, place):
    assert place_name(name) == place


def test_signature_lines_from_mode_body_and_title():
    assert Signature("", "", "CHỦ TỊCH", "A").authority_lines() == ["CHỦ TỊCH"]
    assert Signature("KT.", "Giám đốc", "Phó Giám đốc", "A").authority_lines() == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]


def test_pdf_without_libreoffice_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(documents.shutil, "which", lambda name: None)
    with pytest.raises(DocumentError, match="chưa cài LibreOffice"):
        render_pdf(render_docx(official()))


@pytest.fixture
def fake_office(tmp_path, monkeypatch):
    """A stand-in for soffice that writes <name>.pdf into --outdir, as LibreOffice does."""
    script = tmp_path / "soffice"
    script.write_text(
        "#!/bin/sh\n"
        'while [ $# -gt 0 ]; do case "$1" in --outdir) out="$2"; shift;; *.docx) src="$1";; esac; shift; done\n'
        'base=$(basename "$src" .docx)\n'
        'printf "%%PDF-1.4 fake" > "$out/$base.pdf"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(documents.shutil, "which", lambda name: str(script) if name == "soffice" else None)
    return script


def test_pdf_through_libreoffice_headless(fake_office):
    assert render_pdf(render_docx(official())).startswith(b"%PDF")


def test_a_failed_conversion_is_a_clear_error(fake_office):
    fake_office.write_text("#!/bin/sh\nexit 1\n")
    with pytest.raises(DocumentError, match="Không chuyển được"):
        render_pdf(b"not a docx")


@pytest.mark.skipif(documents.office_binary() is None, reason="LibreOffice is not installed here")
def test_pdf_with_the_real_libreoffice():
    assert render_pdf(render_docx(official())).startswith(b"%PDF")
