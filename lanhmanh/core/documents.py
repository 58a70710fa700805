"""Official documents (văn bản hành chính) in the format of Nghị định 30/2020/NĐ-CP, Phụ lục I.

A document is data first: an `OfficialDocument` (who issues it, its number, place and date, title, body blocks,
recipients and signature) that each module builds from its records (plans now, reports later); `render_docx` lays it
out once for all of them, and `render_pdf` converts that DOCX with LibreOffice when the server has it.

    doc = OfficialDocument(issuing_body="ỦY BAN NHÂN DÂN\\nPHƯỜNG HỒNG BÀNG", number="35", symbol="KH-UBND", ...,
                           blocks=[Heading("I. MỤC ĐÍCH, YÊU CẦU"), Paragraph("…"), Bullet("…")])
    content = render_docx(doc)

The layout: A4, margins 20/20/30/15 mm, Times New Roman everywhere (East-Asian and complex-script slots too, so no
glyph falls back to another font), body 14 pt justified with a 1 cm first-line indent; the header a borderless
two-column table (issuing body and number left, national title, motto and place/date right), the kind of document
and its summary (trích yếu) centred, the body, then "Nơi nhận" left and the signature right; page numbers centred in
the header from page 2.
"""

from __future__ import annotations

import datetime
import io
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field

from django.http import HttpResponse
from django.utils.translation import gettext as _

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF_CONTENT_TYPE = "application/pdf"
CONTENT_TYPES = {"docx": DOCX_CONTENT_TYPE, "pdf": PDF_CONTENT_TYPE}

FONT = "Times New Roman"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

# Nghị định 30/2020, Phụ lục I: A4; top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm.
PAGE_WIDTH_MM, PAGE_HEIGHT_MM = 210, 297
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
BODY_PT = 14
HEADER_PT = 13  # issuing body, number and symbol
NATIONAL_TITLE_PT = 12
RECIPIENTS_HEADING_PT = 12
RECIPIENTS_PT = 11
TABLE_PT = 12
PDF_TIMEOUT_SECONDS = 120


class DocumentError(Exception):
    """A document that cannot be produced (no LibreOffice, a failed conversion): its message is for the user."""


# -- the document as data ------------------------------------------------------------------------------------------


@dataclass
class Heading:
    """A heading of the body: level 1 "I. MỤC ĐÍCH, YÊU CẦU" (bold), 2 "1. Mục đích" (bold), 3 (bold italic)."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    italic: bool = False
    bold: bool = False
    indent: bool = True  # the 1 cm first-line indent of body text
    align: str = "justify"  # justify, left, center, right
    # Parts styled on their own (an officer's bold word inside a sentence): ((text, bold, italic), …); the text
    # above is their plain concatenation. None: the whole paragraph is styled as above.
    runs: tuple[tuple[str, bool, bool], ...] | None = None


@dataclass
class Bullet:
    """"- text", as Vietnamese documents list items (a dash, not a bullet glyph)."""

    text: str
    marker: str = "-"
    runs: tuple[tuple[str, bool, bool], ...] | None = None  # as Paragraph.runs


@dataclass
class Table:
    headers: list[str]
    rows: list[list]
    widths: list[float] | None = None  # in cm
    font_size: float = TABLE_PT
    align: list[str] | None = None  # per column: left, center, right


@dataclass
class Image:
    png: bytes
    width_cm: float = 15.0
    caption: str = ""


Block = Heading | Paragraph | Bullet | Table | Image


@dataclass
class Signature:
    """The signature block: "TM. ỦY BAN NHÂN DÂN" (mode + body), then the title, which may hold several lines
    ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" or with newlines), space to sign and seal, then the signer's name."""

    mode: str = ""  # "TM.", "KT.", "Q.", "TL.", "TUQ." or ""
    body: str = ""  # "ỦY BAN NHÂN DÂN" (with TM.), "CHỦ TỊCH" (with KT.)
    title: str = ""  # "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    name: str = ""

    def authority_lines(self) -> list[str]:
        lines = []
        first = " ".join(part for part in (self.mode.strip(), self.body.strip()) if part)
        if first:
            lines.append(first)
        for part in self.title.replace(" / ", "\n").replace("/", "\n").splitlines():
            if part.strip():
                lines.append(part.strip())
        return [line.upper() for line in lines]


@dataclass
class OfficialDocument:
    issuing_body: str  # "ỦY BAN NHÂN DÂN\nPHƯỜNG HỒNG BÀNG": newlines break the line
    kind_title: str  # "KẾ HOẠCH", "BÁO CÁO"
    title: str  # trích yếu
    superior_body: str = ""  # "UBND THÀNH PHỐ HẢI PHÒNG" (the body directly above, when there is one)
    number: str = ""  # blank in a draft
    symbol: str = ""  # "KH-UBND"
    place: str = ""  # "Hồng Bàng"
    date: datetime.date | None = None  # None: "ngày    tháng    năm <year>", to be filled in when signed
    year: int | None = None  # the year printed on a blank date (default: this year)
    blocks: list = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)
    draft: bool = False  # "DỰ THẢO" in the first page's header

    @property
    def number_line(self) -> str:
        """"Số: 35/KH-UBND", or "Số:      /KH-UBND" for a draft, the number written in when it is issued."""
        number = self.number.strip() or "\u00a0" * 6
        return f"Số: {number}/{self.symbol}" if self.symbol else f"Số: {number}"

    @property
    def place_and_date(self) -> str:
        return place_and_date(self.place, self.date, self.year)


def vietnamese_date(date: datetime.date | None, year: int | None = None) -> str:
    """"ngày 05 tháng 01 năm 2026", "ngày 15 tháng 12 năm 2023": a zero before days below 10 and months 1 and 2
    (Nghị định 30/2020, Phụ lục I); no date: "ngày    tháng    năm 2026" with room to write it in."""
    if date is None:
        gap = "\u00a0" * 4
        return f"ngày{gap}tháng{gap}năm {year or datetime.date.today().year}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"ngày {date.day:02d} tháng {month} năm {date.year}"


def place_and_date(place: str, date: datetime.date | None, year: int | None = None) -> str:
    text = vietnamese_date(date, year)
    return f"{place}, {text}" if place else text[0].upper() + text[1:]


PLACE_PREFIXES = ("thành phố", "tỉnh", "thị xã", "thị trấn", "phường", "xã", "quận", "huyện", "đặc khu")


def place_name(unit_name: str) -> str:
    """The place printed before the date: the unit's name without its kind ("Phường Hồng Bàng" → "Hồng Bàng",
    "Thành phố Hải Phòng" → "Hải Phòng"), but a numbered unit keeps it ("Phường 3")."""
    name = unit_name.strip()
    lowered = name.lower()
    for prefix in PLACE_PREFIXES:
        if lowered.startswith(prefix + " "):
            rest = name[len(prefix) + 1:].strip()
            return name if rest[:1].isdigit() else rest
    return name


# -- DOCX --------------------------------------------------------------------------------------------------------


def render_docx(doc: OfficialDocument) -> bytes:
    """The document as a .docx in the decree's format."""
    from docx import Document

    document = Document()
    _set_up(document, doc)
    _header_table(document, doc)
    _title(document, doc)
    for block in doc.blocks:
        _block(document, block)
    _closing_table(document, doc)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _set_up(document, doc: OfficialDocument):
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    properties = document.core_properties
    # No user's name in the file's metadata: the issuing body is its author.
    properties.author = _one_line(doc.issuing_body)
    properties.last_modified_by = ""
    properties.title = f"{doc.kind_title} {_one_line(doc.title)}".strip()
    properties.comments = ""
    properties.keywords = ""
    properties.subject = ""
    properties.category = doc.kind_title
    properties.revision = 1

    for style in document.styles:
        element = getattr(style, "element", None)
        if element is not None and element.find(_qn("w:rPr")) is not None:
            _fonts(element)
    defaults = document.styles.element.find(_qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{_qn('w:rPrDefault')}/{_qn('w:rPr')}")
        if rpr is not None:
            _fonts_on_rpr(rpr)
            _language_on_rpr(rpr)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    for name in ("Header", "Footer", "Table Grid"):
        try:
            style = document.styles[name]
        except KeyError:
            continue
        style.font.name = FONT
        _fonts(style.element)

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(PAGE_WIDTH_MM)
    section.page_height = Mm(PAGE_HEIGHT_MM)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # Page numbers from page 2, centred in the header (Phụ lục I, mục II.11).
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    _paragraph_format(number, align="center")
    _field(number, "PAGE", size=BODY_PT)
    first = section.first_page_header.paragraphs[0]
    if doc.draft:
        _paragraph_format(first, align="right")
        _run(first, "DỰ THẢO", size=HEADER_PT, bold=True)


def _text_width_cm() -> float:
    return (PAGE_WIDTH_MM - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10


def _header_table(document, doc: OfficialDocument):
    """Row 1: the superior and issuing bodies (with a short rule) | national title and motto (with a rule).
    Row 2: the number and symbol | place and date, on one line across the page."""
    left_cm, right_cm = 6.3, _text_width_cm() - 6.3
    table = _borderless_table(document, 2, [left_cm, right_cm])

    cell = table.cell(0, 0)
    paragraph = cell.paragraphs[0]
    _paragraph_format(paragraph, align="center")
    if doc.superior_body:
        _lines(paragraph, doc.superior_body.upper(), size=HEADER_PT)
        paragraph = cell.add_paragraph()
        _paragraph_format(paragraph, align="center")
    _lines(paragraph, doc.issuing_body.upper(), size=HEADER_PT, bold=True)
    longest = max((_estimate_cm(line.upper(), HEADER_PT, bold=True) for line in doc.issuing_body.splitlines()),
                  default=0)
    # Phụ lục I: the rule under the issuing body is a third to a half of its line.
    _rule(cell.add_paragraph(), cell_cm=left_cm, width_cm=max(1.5, longest * 0.4))

    cell = table.cell(0, 1)
    paragraph = cell.paragraphs[0]
    _paragraph_format(paragraph, align="center")
    _run(paragraph, NATIONAL_TITLE, size=NATIONAL_TITLE_PT, bold=True)
    paragraph = cell.add_paragraph()
    _paragraph_format(paragraph, align="center")
    _run(paragraph, MOTTO, size=HEADER_PT, bold=True)
    # The rule under the motto is as long as the motto.
    _rule(cell.add_paragraph(), cell_cm=right_cm, width_cm=_estimate_cm(MOTTO, HEADER_PT, bold=True))

    paragraph = table.cell(1, 0).paragraphs[0]
    _paragraph_format(paragraph, align="center", before=4)
    _run(paragraph, doc.number_line, size=HEADER_PT)
    paragraph = table.cell(1, 1).paragraphs[0]
    _paragraph_format(paragraph, align="center", before=4)
    _run(paragraph, doc.place_and_date, size=BODY_PT, italic=True)


def _title(document, doc: OfficialDocument):
    paragraph = document.add_paragraph()
    _paragraph_format(paragraph, align="center", before=18, keep_with_next=True)
    _run(paragraph, doc.kind_title.upper(), size=BODY_PT, bold=True)
    if doc.title:
        paragraph = document.add_paragraph()
        _paragraph_format(paragraph, align="center", keep_with_next=True)
        _lines(paragraph, doc.title, size=BODY_PT, bold=True)
        longest = max(_estimate_cm(line, BODY_PT, bold=True) for line in doc.title.splitlines())
        _rule(document.add_paragraph(), cell_cm=_text_width_cm(), width_cm=min(5.0, max(2.0, longest * 0.35)))
    spacer = document.add_paragraph()
    _paragraph_format(spacer, after=6)


def _block(document, block):
    from docx.shared import Cm

    if isinstance(block, Heading):
        paragraph = document.add_paragraph()
        _paragraph_format(paragraph, align="justify", first_line_cm=1.0, before=6, after=6, keep_with_next=True)
        _outline_level(paragraph, max(0, block.level - 1))
        _run(paragraph, block.text, size=BODY_PT, bold=True, italic=block.level >= 3)
    elif isinstance(block, Paragraph):
        paragraph = document.add_paragraph()
        _paragraph_format(paragraph, align=block.align, first_line_cm=1.0 if block.indent else None, after=6,
                          line_spacing=1.15)
        if block.runs:
            _styled_runs(paragraph, block.runs, bold=block.bold, italic=block.italic)
        else:
            _lines(paragraph, block.text, size=BODY_PT, bold=block.bold, italic=block.italic)
    elif isinstance(block, Bullet):
        paragraph = document.add_paragraph()
        _paragraph_format(paragraph, align="justify", first_line_cm=1.0, after=6, line_spacing=1.15)
        if block.runs:
            _styled_runs(paragraph, (((f"{block.marker} " if block.marker else ""), False, False), *block.runs))
        else:
            _lines(paragraph, f"{block.marker} {block.text}" if block.marker else block.text, size=BODY_PT)
    elif isinstance(block, Table):
        _data_table(document, block)
    elif isinstance(block, Image):
        paragraph = document.add_paragraph()
        _paragraph_format(paragraph, align="center", after=3, keep_with_next=bool(block.caption))
        run = paragraph.add_run()
        _fonts(run._element)
        run.add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        if block.caption:
            caption = document.add_paragraph()
            _paragraph_format(caption, align="center", after=6)
            _run(caption, block.caption, size=TABLE_PT, italic=True)
    else:  # pragma: no cover - a programming error
        raise TypeError(f"unknown block {block!r}")


def _data_table(document, block: Table):
    columns = len(block.headers) or max((len(row) for row in block.rows), default=1)
    widths = block.widths or [_text_width_cm() / columns] * columns
    table = document.add_table(rows=0, cols=columns)
    table.style = document.styles["Table Grid"]
    table.autofit = False
    aligns = block.align or ["left"] * columns
    if block.headers:
        cells = table.add_row().cells
        _repeat_header(table.rows[0])
        for index, text in enumerate(block.headers):
            paragraph = cells[index].paragraphs[0]
            _paragraph_format(paragraph, align="center", before=2, after=2)
            _lines(paragraph, str(text), size=block.font_size, bold=True)
    for row in block.rows:
        cells = table.add_row().cells
        for index in range(columns):
            value = row[index] if index < len(row) else ""
            paragraph = cells[index].paragraphs[0]
            _paragraph_format(paragraph, align=aligns[index] if index < len(aligns) else "left", before=2, after=2)
            _lines(paragraph, "" if value is None else str(value), size=block.font_size)
    _widths(table, widths)
    spacer = document.add_paragraph()
    _paragraph_format(spacer, after=6)


def _closing_table(document, doc: OfficialDocument):
    """"Nơi nhận:" with its list left, the signature block right."""
    left_cm, right_cm = 7.0, _text_width_cm() - 7.0
    spacer = document.add_paragraph()
    _paragraph_format(spacer, after=0)
    table = _borderless_table(document, 1, [left_cm, right_cm])

    cell = table.cell(0, 0)
    paragraph = cell.paragraphs[0]
    _paragraph_format(paragraph, align="left")
    if doc.recipients:
        _run(paragraph, "Nơi nhận:", size=RECIPIENTS_HEADING_PT, bold=True, italic=True)
        for index, recipient in enumerate(doc.recipients):
            line = recipient.strip().rstrip(";.")
            ending = "." if index == len(doc.recipients) - 1 else ";"
            paragraph = cell.add_paragraph()
            _paragraph_format(paragraph, align="left")
            _run(paragraph, f"- {line}{ending}", size=RECIPIENTS_PT)

    cell = table.cell(0, 1)
    paragraph = cell.paragraphs[0]
    _paragraph_format(paragraph, align="center")
    lines = doc.signature.authority_lines()
    for index, line in enumerate(lines):
        if index:
            paragraph = cell.add_paragraph()
            _paragraph_format(paragraph, align="center")
        _run(paragraph, line, size=BODY_PT, bold=True)
    # Room for the signature and the seal.
    for _index in range(4):
        _paragraph_format(cell.add_paragraph(), align="center", size=BODY_PT)
    if doc.signature.name:
        paragraph = cell.add_paragraph()
        _paragraph_format(paragraph, align="center")
        _run(paragraph, doc.signature.name, size=BODY_PT, bold=True)


# -- python-docx helpers -----------------------------------------------------------------------------------------


def _qn(tag):
    from docx.oxml.ns import qn

    return qn(tag)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _estimate_cm(text: str, size_pt: float, *, bold: bool = False) -> float:
    """A rough width of a line of Times New Roman: capitals about 0.7 em, other characters about 0.45 em."""
    ems = sum(0.7 if char.isupper() else 0.45 for char in text) * (1.04 if bold else 1.0)
    return ems * size_pt / 72 * 2.54


def _fonts_on_rpr(rpr):
    """Times New Roman in every slot of rFonts (ASCII, high ANSI, East-Asian, complex script), without the theme
    fonts that would override them."""
    rfonts = rpr.find(_qn("w:rFonts"))
    if rfonts is None:
        if hasattr(rpr, "get_or_add_rFonts"):
            rfonts = rpr.get_or_add_rFonts()
        else:
            from docx.oxml import OxmlElement

            rfonts = OxmlElement("w:rFonts")
            rpr.insert(0, rfonts)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(_qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(_qn(attribute), FONT)


def _language_on_rpr(rpr):
    from docx.oxml import OxmlElement

    lang = rpr.find(_qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(_qn("w:val"), "vi-VN")
    lang.set(_qn("w:eastAsia"), "vi-VN")


def _fonts(element):
    """Times New Roman on a run or a style element (its rPr made if missing)."""
    rpr = element.get_or_add_rPr()
    _fonts_on_rpr(rpr)


def _run(paragraph, text: str, *, size: float, bold: bool = False, italic: bool = False,
         break_before: bool = False):
    from docx.shared import Pt

    run = paragraph.add_run()
    if break_before:
        run.add_break()
    if text:
        run.add_text(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    _fonts(run._element)
    return run


def _styled_runs(paragraph, runs, *, bold: bool = False, italic: bool = False):
    """Runs each bold or italic on their own (or as the whole paragraph is)."""
    for text, run_bold, run_italic in runs:
        if text:
            _lines(paragraph, text, size=BODY_PT, bold=bold or run_bold, italic=italic or run_italic)


def _lines(paragraph, text: str, **kwargs):
    """Text whose newlines become line breaks within the paragraph."""
    for index, line in enumerate(text.split("\n")):
        _run(paragraph, line, break_before=bool(index), **kwargs)


ALIGNMENTS = {"justify": "JUSTIFY", "left": "LEFT", "center": "CENTER", "right": "RIGHT"}


def _paragraph_format(paragraph, *, align: str = "left", first_line_cm: float | None = None, before: float = 0,
                      after: float = 0, line_spacing: float = 1.0, keep_with_next: bool = False,
                      size: float | None = None):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    fmt = paragraph.paragraph_format
    fmt.alignment = getattr(WD_ALIGN_PARAGRAPH, ALIGNMENTS.get(align, "LEFT"))
    fmt.first_line_indent = Cm(first_line_cm) if first_line_cm else None
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line_spacing
    if keep_with_next:
        fmt.keep_with_next = True
    if size is not None:
        _mark_size(paragraph, size)


def _mark_size(paragraph, size: float):
    """The paragraph mark's font and size: the height of an empty line."""
    from docx.oxml import OxmlElement

    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(_qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.insert_element_before(rpr, "w:sectPr", "w:pPrChange")
    _fonts_on_rpr(rpr)
    _size_on_rpr(rpr, size)


def _size_on_rpr(rpr, size: float):
    from docx.oxml import OxmlElement

    for tag in ("w:sz", "w:szCs"):
        element = rpr.find(_qn(tag))
        if element is None:
            element = OxmlElement(tag)
            rpr.append(element)
        element.set(_qn("w:val"), str(int(size * 2)))


def _outline_level(paragraph, level: int):
    """The heading's level for the navigation pane and a table of contents, without Word's coloured heading
    styles."""
    outline = paragraph._p.get_or_add_pPr().get_or_add_outlineLvl()
    outline.set(_qn("w:val"), str(level))


# The elements of w:pPr that come after w:pBdr (ECMA-376 CT_PPrBase order).
PPR_AFTER_BORDER = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind",
    "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)


def _rule(paragraph, *, cell_cm: float, width_cm: float):
    """A short horizontal rule, centred: the bottom border of an empty paragraph indented from both sides."""
    from docx.oxml import OxmlElement
    from docx.shared import Cm, Pt

    side = max(0.0, (cell_cm - 0.4 - width_cm) / 2)  # 0.4: the cell's inner margins
    fmt = paragraph.paragraph_format
    fmt.left_indent = Cm(side)
    fmt.right_indent = Cm(side)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(2)
    ppr = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(_qn("w:val"), "single")
    bottom.set(_qn("w:sz"), "6")
    bottom.set(_qn("w:space"), "1")
    bottom.set(_qn("w:color"), "000000")
    border.append(bottom)
    ppr.insert_element_before(border, *PPR_AFTER_BORDER)
    _mark_size(paragraph, 2)


def _field(paragraph, instruction: str, *, size: float):
    """A Word field (PAGE) as begin / instruction / separate / result / end runs."""
    from docx.oxml import OxmlElement

    def char(kind):
        run = _run(paragraph, "", size=size)
        element = OxmlElement("w:fldChar")
        element.set(_qn("w:fldCharType"), kind)
        run._element.append(element)

    char("begin")
    run = _run(paragraph, "", size=size)
    instr = OxmlElement("w:instrText")
    instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    instr.text = f" {instruction} "
    run._element.append(instr)
    char("separate")
    _run(paragraph, "2", size=size)
    char("end")


def _borderless_table(document, rows: int, widths_cm: list[float]):
    """A layout table without borders (the default "Normal Table" style has none), with fixed column widths."""
    from docx.oxml import OxmlElement

    table = document.add_table(rows=rows, cols=len(widths_cm))
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(_qn("w:val"), "nil")
        borders.append(element)
    successors = [tbl_pr.find(_qn(tag)) for tag in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")]
    successors = [element for element in successors if element is not None]
    if successors:
        successors[0].addprevious(borders)
    else:
        tbl_pr.append(borders)
    _widths(table, widths_cm)
    return table


def _widths(table, widths_cm: list[float]):
    from docx.oxml import OxmlElement
    from docx.shared import Cm

    tbl_pr = table._tbl.tblPr
    table.autofit = False  # w:tblLayout fixed, in its place
    width = tbl_pr.find(_qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.insert(1 if tbl_pr.find(_qn("w:tblStyle")) is not None else 0, width)
    width.set(_qn("w:type"), "dxa")
    width.set(_qn("w:w"), str(int(sum(widths_cm) / 2.54 * 1440)))
    for index, column in enumerate(table.columns):
        if index < len(widths_cm):
            column.width = Cm(widths_cm[index])
    for row in table.rows:
        for index, cell in enumerate(row.cells):
            if index < len(widths_cm):
                cell.width = Cm(widths_cm[index])


def _repeat_header(row):
    from docx.oxml import OxmlElement

    tr_pr = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(_qn("w:val"), "true")
    tr_pr.append(element)


# -- PDF ---------------------------------------------------------------------------------------------------------


def office_binary() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def render_pdf(docx: bytes, *, timeout: int = PDF_TIMEOUT_SECONDS) -> bytes:
    """The same document as PDF, converted by LibreOffice headless in a temporary directory (with its own profile,
    so conversions running at the same time do not lock each other out)."""
    binary = office_binary()
    if binary is None:
        raise DocumentError(_("Máy chủ chưa cài LibreOffice nên chưa xuất được PDF; hãy tải bản DOCX."))
    with tempfile.TemporaryDirectory(prefix="lanhmanh-pdf-") as work:
        source = os.path.join(work, "van-ban.docx")
        with open(source, "wb") as fh:
            fh.write(docx)
        profile = "file://" + os.path.join(work, "profile")
        command = [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf",
                   "--outdir", work, source]
        try:
            subprocess.run(command, cwd=work, timeout=timeout, check=True, capture_output=True,
                           env={**os.environ, "HOME": work})
        except subprocess.TimeoutExpired as exc:
            raise DocumentError(
                _("Chuyển văn bản sang PDF quá lâu nên đã dừng; hãy thử lại hoặc tải bản DOCX.")) from exc
        except (subprocess.CalledProcessError, OSError) as exc:
            raise DocumentError(_("Không chuyển được văn bản sang PDF; hãy tải bản DOCX.")) from exc
        target = os.path.join(work, "van-ban.pdf")
        if not os.path.exists(target):
            raise DocumentError(_("Không chuyển được văn bản sang PDF; hãy tải bản DOCX."))
        with open(target, "rb") as fh:
            return fh.read()


def render(doc: OfficialDocument, extension: str) -> bytes:
    """The document as "docx" or "pdf" (DocumentError when PDF cannot be made)."""
    content = render_docx(doc)
    return render_pdf(content) if extension == "pdf" else content


def file_response(content: bytes, filename: str, extension: str) -> HttpResponse:
    """A document to download: attached, named without personal data by the caller, never cached by a proxy."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
