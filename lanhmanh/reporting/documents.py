"""A report as the official document (Báo cáo) it is sent up as, in the format of Nghị định 30/2020 (issue 10,
"Official documents"; lanhmanh.core.documents does the layout): the header, "BÁO CÁO" and its summary, the report
type's sections as Roman-numbered headings with the officer's text, the plan's targets as a table and — when the
report type asks for them — charts inside the results section, the closing line, recipients and signature; then the
appendix (Phụ lục) tables on landscape pages: Biểu 1, the main figures with last year's beside them, and for a unit
with children Biểu 2, the figures by child unit.

Every number printed comes from the report's stored `figures` snapshot (reporting.drafting.compute_figures), never
recomputed here: a submitted report prints what was frozen. Numbers are written the Vietnamese way ("1.234",
"87,8%", amounts "35.000.000"), "—" where there is no data."""

from __future__ import annotations

import datetime
import io
import re
import textwrap

from django.utils import timezone, translation

from lanhmanh.core import documents
from lanhmanh.core.documents import Heading, Image, OfficialDocument, Paragraph, Signature, Table
from lanhmanh.plans.documents import COMMITTEE, roman, text_blocks
from lanhmanh.plans.models import format_number
from lanhmanh.reporting.drafting import round_half_up as _round
from lanhmanh.reporting.models import ReportStatus

COUNT, PERCENT, VND = "count", "percent", "vnd"  # as lanhmanh.indicators.registry
NO_DATA = "—"
RESULTS_SECTION = "results"
DEFAULT_SUMMARY = "Kết quả công tác phòng, chống mại dâm"
DRAFT_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
CHILD_TABLE_SPLIT = 8  # more indicators than this: Biểu 2 is split into several tables …
CHILD_TABLE_COLUMNS = 6  # … of at most this many indicator columns
APPENDIX_FONT_PT = 11
# The appendix pages are landscape A4 with the decree's margins: 297 - 30 - 15 mm of text width.
APPENDIX_WIDTH_CM = 25.2

BIEU_1 = "Biểu 1. Số liệu chủ yếu"
BIEU_2 = "Biểu 2. Số liệu theo đơn vị"
BIEU_1_HEADERS = ["TT", "Chỉ số", "Đơn vị tính", "Kỳ này", "Cùng kỳ năm trước", "Tăng/giảm (%)"]

# The noun a count is counted in, from the indicator's name ("Số buổi kiểm tra" → "Buổi").
COUNT_UNITS = (
    ("buổi", "Buổi"), ("lượt", "Lượt"), ("vụ", "Vụ"), ("tin", "Tin"), ("bị can", "Người"), ("người", "Người"),
    ("đối tượng", "Người"), ("hoạt động", "Hoạt động"), ("mô hình", "Mô hình"), ("lớp", "Lớp"),
    ("cơ sở", "Cơ sở"), ("xã", "Đơn vị"), ("văn bản", "Văn bản"),
)


# -- numbers ---------------------------------------------------------------------------------------------------------


def format_figure(value, measure: str | None) -> str:
    """1234 → "1.234", a percentage 87.75 → "87,8%", an amount 35000000 → "35.000.000"; None → "—"."""
    if value is None:
        return NO_DATA
    if measure == PERCENT:
        return f"{format_number(_round(value))}%"
    if measure == VND:
        return format_number(_round(value, 0))
    if isinstance(value, float) and not value.is_integer():
        return format_number(_round(value))
    return format_number(int(value))


def format_change(value) -> str:
    """The change against last year in percent, signed: "+12,5", "-3", "0"; None → "—"."""
    if value is None:
        return NO_DATA
    rounded = _round(value)
    text = format_number(rounded)
    return f"+{text}" if rounded > 0 else text


def measure_unit(row: dict) -> str:
    """Đơn vị tính: "%", "Đồng", or the noun of a count ("Buổi", "Lượt", "Cơ sở", "Người")."""
    measure = row.get("measure")
    if measure == PERCENT:
        return "%"
    if measure == VND:
        return "Đồng"
    name = (row.get("name") or "").strip().lower()
    if name.startswith("số "):
        name = name[3:]
    for word, unit in COUNT_UNITS:
        if name.startswith(word):
            return unit
    for word, unit in COUNT_UNITS:
        if re.search(rf"\b{re.escape(word)}\b", name):
            return unit
    return ""


# -- the parts of the document ---------------------------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def period_words(report) -> str:
    """The period as it reads in a sentence: "6 tháng đầu năm 2026", "năm 2026", "quý 2/2026" (the cut-off note
    left out)."""
    label = re.sub(r"\s*\([^)]*\)\s*$", "", (report.period_label or "").strip()).strip()
    if not label:
        label = f"từ {report.period_start:%d/%m/%Y} đến {report.period_end:%d/%m/%Y}"
    return _lower_first(label)


def summary(report) -> str:
    """The trích yếu under "BÁO CÁO": the report's own title (without a leading "Báo cáo"), or "Kết quả công tác
    phòng, chống mại dâm 6 tháng đầu năm 2026"."""
    title = " ".join((report.title or "").split())
    if title.lower().startswith("báo cáo "):
        title = title[len("báo cáo "):]
    return _upper_first(title) if title else f"{DEFAULT_SUMMARY} {period_words(report)}"


def unit_name(report) -> str:
    """The unit's name as the figures were drafted (a report keeps the name it was written under), else today's."""
    figures = report.figures or {}
    drafted = figures.get("unit") if isinstance(figures.get("unit"), dict) else {}
    return str(figures.get("unit_name") or drafted.get("name") or report.unit.name)


def issuing_body(report) -> str:
    return f"{COMMITTEE}\n{unit_name(report).upper()}"


def issuer_name(report) -> str:
    return f"Ủy ban nhân dân {_lower_first(unit_name(report))}"


def superior_unit(report):
    from lanhmanh.geo.models import AdminUnit

    parent = report.unit.parent
    return parent if parent is not None and parent.level > AdminUnit.Level.NATION else None


def superior_name(report) -> str | None:
    """The name of the unit reported to — as the figures were drafted when they say it — or None for a province
    (it reports to no unit above)."""
    from lanhmanh.geo.models import AdminUnit

    if report.unit.level <= AdminUnit.Level.PROVINCE:
        return None
    stored = (report.figures or {}).get("parent_name")
    if stored:
        return str(stored)
    parent = superior_unit(report)
    return parent.name if parent is not None else None


def recipients(report) -> list[str]:
    """The report's own lines ("- " and endings dropped: the layout adds them), else the committee above (to report
    to) and the archive."""
    lines = [line.strip().lstrip("-–•+ ").strip().rstrip(";.").strip()
             for line in (report.recipients or "").splitlines()]
    lines = [line for line in lines if line]
    if lines:
        return lines
    found = []
    parent = superior_name(report)
    if parent:
        found.append(f"UBND {_lower_first(parent)} (để báo cáo)")
    found.append("Lưu: VT")
    return found


def signature(report) -> Signature:
    """"TM. ỦY BAN NHÂN DÂN" over the signer's title ("CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH")."""
    title = (report.signer_title or "").strip() or "CHỦ TỊCH"
    collective = not title.upper().startswith("TM.")
    return Signature(mode="TM." if collective else "", body=COMMITTEE if collective else "", title=title,
                     name=(report.signer_name or "").strip())


def issued_on(report) -> datetime.date | None:
    """The document's date: the day it was submitted (local time), none while it is being written."""
    if report.status in DRAFT_STATUSES or report.submitted_at is None:
        return None
    return timezone.localdate(report.submitted_at)


def narrative_blocks(text) -> list:
    """The officer's text as document blocks. Lines without styling of their own are read as in plans ("1. …" a
    heading, "- …" an item); a paragraph or item with some words bold or italic keeps them (Paragraph.runs)."""
    from lanhmanh.reporting.richtext import to_blocks

    blocks = []
    for block in to_blocks(str(text or "")):
        if not isinstance(block, Paragraph) or block.runs:
            blocks.append(block)
            continue
        read = text_blocks(block.text)
        if (block.bold or block.italic) and not any(isinstance(b, Heading) for b in read):
            blocks.append(block)  # a bold or italic paragraph, not a numbered heading the officer bolded
        else:
            blocks.extend(read)
    return blocks


def _section_heading(number: int, title: str) -> Heading:
    title = re.sub(r"^[IVXLC]+\.\s*", "", (title or "").strip())
    return Heading(f"{roman(number)}. {title.upper()}")


def targets_table(figures: dict) -> Table | None:
    """Chỉ tiêu | Mức | Thực hiện | Đánh giá, from the snapshot's targets."""
    rows = []
    for target in figures.get("targets") or []:
        actual = target.get("actual")
        if actual is None:
            done = NO_DATA
        elif target.get("kind") == "change":
            done = f"{format_change(actual)}%"
        else:
            done = format_figure(actual, target.get("measure"))
        verdict = target.get("mark_label") or {True: "Đạt", False: "Chưa đạt"}.get(target.get("achieved"), NO_DATA)
        rows.append([target.get("text", ""), target.get("goal_display") or NO_DATA, done, verdict])
    if not rows:
        return None
    return Table(headers=["Chỉ tiêu", "Mức", "Thực hiện", "Đánh giá"], rows=rows, widths=[7.9, 2.8, 2.8, 3.0],
                 align=["left", "center", "center", "center"])


def indicators_table(figures: dict, *, widths=None, font_size=APPENDIX_FONT_PT) -> Table | None:
    """Biểu 1: indicator | đơn vị tính | kỳ này | cùng kỳ năm trước | tăng/giảm (%)."""
    rows = []
    for index, row in enumerate(figures.get("indicators") or [], start=1):
        measure = row.get("measure")
        rows.append([str(index), row.get("name", row.get("code", "")), measure_unit(row),
                     format_figure(row.get("value"), measure), format_figure(row.get("value_previous"), measure),
                     format_change(row.get("change_percent"))])
    if not rows:
        return None
    return Table(headers=list(BIEU_1_HEADERS), rows=rows,
                 widths=widths or [1.2, 11.0, 2.8, 3.4, 3.4, 3.4], font_size=font_size,
                 align=["center", "left", "center", "right", "right", "right"])


def _column_header(row: dict) -> str:
    unit = measure_unit(row)
    return f"{row.get('name', row.get('code', ''))} ({unit.lower() if unit != '%' else unit})" if unit else \
        row.get("name", row.get("code", ""))


def children_tables(figures: dict, unit_name: str = "") -> list[Table]:
    """Biểu 2: one row per child unit (and a total row, the unit's own figures) × the indicators, split into tables
    of at most CHILD_TABLE_COLUMNS indicator columns when there are more than CHILD_TABLE_SPLIT."""
    children = figures.get("children") or {}
    rows = children.get("rows") or []
    if not rows:
        return []
    by_code = {row.get("code"): row for row in figures.get("indicators") or []}
    codes = [code for code in children.get("indicators") or by_code if code in by_code]
    if not codes:
        return []
    size = CHILD_TABLE_COLUMNS if len(codes) > CHILD_TABLE_SPLIT else len(codes)
    tables = []
    for start in range(0, len(codes), size):
        chunk = codes[start:start + size]
        first = 5.0
        widths = [1.0, first] + [(APPENDIX_WIDTH_CM - 1.0 - first) / len(chunk)] * len(chunk)
        body = []
        for index, child in enumerate(rows, start=1):
            values = child.get("values") or {}
            body.append([str(index), child.get("unit_name") or child.get("unit", "")]
                        + [format_figure(values.get(code), by_code[code].get("measure")) for code in chunk])
        total = "Cộng" if not unit_name else f"Toàn {_lower_first(unit_name)}"
        body.append(["", total] + [format_figure(by_code[code].get("value"), by_code[code].get("measure"))
                                   for code in chunk])
        tables.append(Table(headers=["TT", "Đơn vị"] + [_column_header(by_code[code]) for code in chunk],
                            rows=body, widths=widths, font_size=APPENDIX_FONT_PT - 1,
                            align=["center", "left"] + ["right"] * len(chunk)))
    return tables


def appendix_blocks(report) -> list:
    """The appendix: its heading, the reference to the report, Biểu 1 and (for a unit with children) Biểu 2."""
    figures = report.figures or {}
    blocks: list = []
    table = indicators_table(figures)
    if table is not None:
        blocks.append(Paragraph(BIEU_1, bold=True, indent=False, align="left"))
        blocks.append(table)
    tables = children_tables(figures, unit_name(report))
    for index, table in enumerate(tables, start=1):
        title = BIEU_2 if len(tables) == 1 else f"{BIEU_2} ({index}/{len(tables)})"
        blocks.append(Paragraph(title, bold=True, indent=False, align="left"))
        blocks.append(table)
    return blocks


# -- charts ----------------------------------------------------------------------------------------------------------


def _wrap(text: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


def _bar_chart(rows: list[dict], *, percent: bool, targets: dict | None = None) -> bytes:
    """Horizontal bars, this period against the same period last year, values printed on the bars; a dashed line at
    each indicator's target. Agg only (no display), DejaVu Sans (it has the Vietnamese letters), no timestamp or
    software name in the PNG so the same figures give the same bytes."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    measure = PERCENT if percent else COUNT
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 8, "axes.unicode_minus": False,
                                "svg.hashsalt": "lanhmanh", "path.simplify": True}):
        height = 0.55 * len(rows) + 1.0
        figure = Figure(figsize=(7.0, height), dpi=150)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot(1, 1, 1)
        bar = 0.38
        now_colour, before_colour, target_colour = "#1f4e79", "#a6a6a6", "#c00000"
        top = 0.0
        for position, row in enumerate(rows):
            y = len(rows) - 1 - position
            for offset, key, colour in ((bar / 2, "value", now_colour), (-bar / 2, "value_previous", before_colour)):
                value = row.get(key)
                if value is None:
                    continue
                axes.barh(y + offset, float(value), height=bar, color=colour)
                axes.text(float(value), y + offset, " " + format_figure(value, measure), va="center", fontsize=7)
                top = max(top, float(value))
            goal = (targets or {}).get(row.get("code"))
            if goal is not None:
                axes.vlines(float(goal), y - 0.45, y + 0.45, colors=target_colour, linestyles="dashed", linewidth=1.2)
                top = max(top, float(goal))
        axes.set_yticks(range(len(rows)))
        axes.set_yticklabels([_wrap(row.get("name", row.get("code", ""))) for row in reversed(rows)])
        axes.set_xlim(0, 100 if percent and top <= 100 else (top * 1.18 or 1))
        axes.xaxis.set_major_formatter(FuncFormatter(
            lambda x, _pos: format_figure(round(x, 6), measure if percent else COUNT)))
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="x", color="#e0e0e0", linewidth=0.6)
        axes.set_axisbelow(True)
        handles = [Patch(color=now_colour, label="Kỳ này"), Patch(color=before_colour, label="Cùng kỳ năm trước")]
        if targets and any(row.get("code") in targets for row in rows):
            handles.append(Line2D([0], [0], color=target_colour, linestyle="dashed", label="Chỉ tiêu"))
        axes.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=len(handles), frameon=False)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png", metadata={"Software": None})
    return out.getvalue()


def _has_data(row: dict) -> bool:
    return any(row.get(key) not in (None, 0) for key in ("value", "value_previous"))


def charts(figures: dict) -> list[Image]:
    """A bar chart of the counts this period against the same period last year, and one of the percentages with the
    plan's targets as lines; a chart is left out when it would show nothing."""
    rows = figures.get("indicators") or []
    images = []
    counts = [row for row in rows if row.get("measure") == COUNT and _has_data(row)]
    if counts:
        images.append(Image(_bar_chart(counts, percent=False), width_cm=15.5,
                            caption="Biểu đồ 1. Một số kết quả chủ yếu so với cùng kỳ năm trước"))
    percents = [row for row in rows if row.get("measure") == PERCENT and _has_data(row)]
    if percents:
        goals = {}
        for target in figures.get("targets") or []:
            if (target.get("indicator") and target.get("measure") == PERCENT and target.get("kind") != "change"
                    and target.get("goal") is not None):
                goals.setdefault(target["indicator"], target["goal"])
        images.append(Image(_bar_chart(percents, percent=True, targets=goals), width_cm=15.5,
                            caption=f"Biểu đồ {len(images) + 1}. Các tỷ lệ so với cùng kỳ năm trước"
                                    + (" và chỉ tiêu" if goals else "")))
    return images


# -- the document ----------------------------------------------------------------------------------------------------


def report_document(report) -> OfficialDocument:
    """The report as an official document (appendix tables not included: `render` adds them after the signature).
    In Vietnamese whatever the reader's language, as an official document is."""
    with translation.override("vi"):
        return _report_document(report)


def report_sections(report) -> list[dict]:
    """The sections as the figures were drafted (their "sections" snapshot) when they have them, else the report
    type's; entries without a key are skipped."""
    stored = (report.figures or {}).get("sections")
    sections = stored if isinstance(stored, list) and stored else report.report_type.section_list()
    return [section for section in sections if isinstance(section, dict) and section.get("key")]


def _report_document(report) -> OfficialDocument:
    figures = report.figures or {}
    title = summary(report)
    narrative = report.narrative or {}
    sections = report_sections(report)
    keys = [section.get("key") for section in sections]
    results_key = RESULTS_SECTION if RESULTS_SECTION in keys else (keys[0] if keys else None)

    blocks: list = []
    number = 0
    for section in sections:
        key = section.get("key")
        body = narrative_blocks(narrative.get(key))
        extra: list = []
        if key == results_key:
            # An upper unit's report: which of the units below have submitted, and on time (drafting stores the
            # lines under "consolidation").
            consolidation = figures.get("consolidation") or {}
            for line_key in ("completeness_line", "timeliness_line"):
                line = consolidation.get(line_key)
                if line:
                    extra.append(Paragraph(str(line)))
            table = targets_table(figures)
            if table is not None:
                extra.append(Paragraph("Kết quả thực hiện các chỉ tiêu:", italic=True))
                extra.append(table)
            if report.report_type.with_charts:
                extra.extend(charts(figures))
        if not body and not extra:
            continue
        number += 1
        blocks.append(_section_heading(number, section.get("title") or key))
        blocks.extend(body)
        blocks.extend(extra)
    last = blocks[-1] if blocks else None
    if not (isinstance(last, Paragraph) and last.text.rstrip().endswith("./.")):
        blocks.append(Paragraph(f"Trên đây là báo cáo {_lower_first(title)} của {issuer_name(report)}./."))

    draft = report.status in DRAFT_STATUSES
    return OfficialDocument(
        superior_body="",  # a people's committee is named alone (Nghị định 30/2020)
        issuing_body=issuing_body(report),
        number="" if draft else (report.document_number or "").strip(),
        symbol=report.report_type.symbol or "BC-UBND",
        place=documents.place_name(unit_name(report)),
        date=issued_on(report),
        year=timezone.localdate().year,
        kind_title="BÁO CÁO",
        title=title,
        blocks=blocks,
        recipients=recipients(report),
        signature=signature(report),
        draft=draft,
    )


def _append_appendix(content: bytes, report, doc: OfficialDocument) -> bytes:
    """The appendix after the signature, in a landscape section of its own (page numbers go on)."""
    from docx import Document
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.shared import Mm

    with translation.override("vi"):
        blocks = appendix_blocks(report)
    if not blocks:
        return content
    document = Document(io.BytesIO(content))
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width = Mm(documents.PAGE_HEIGHT_MM)
    section.page_height = Mm(documents.PAGE_WIDTH_MM)
    section.top_margin = Mm(documents.MARGINS_MM["top"])
    section.bottom_margin = Mm(documents.MARGINS_MM["bottom"])
    section.left_margin = Mm(documents.MARGINS_MM["left"])
    section.right_margin = Mm(documents.MARGINS_MM["right"])
    section.different_first_page_header_footer = False

    heading = document.add_paragraph()
    documents._paragraph_format(heading, align="center", keep_with_next=True)
    documents._run(heading, "PHỤ LỤC", size=documents.BODY_PT, bold=True)
    reference = document.add_paragraph()
    documents._paragraph_format(reference, align="center", keep_with_next=True)
    documents._run(reference, f"Số liệu công tác phòng, chống mại dâm {period_words(report)}", size=documents.BODY_PT,
                   bold=True)
    note = document.add_paragraph()
    documents._paragraph_format(note, align="center", after=12, keep_with_next=True)
    number = doc.number.strip() or "\u00a0" * 6
    documents._run(note, f"(Kèm theo Báo cáo số {number}/{doc.symbol} {documents.vietnamese_date(doc.date, doc.year)}"
                         f" của {issuer_name(report)})", size=documents.BODY_PT, italic=True)
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraph = document.add_paragraph()
            documents._paragraph_format(paragraph, align="left", before=6, after=6, keep_with_next=True)
            documents._run(paragraph, block.text, size=documents.BODY_PT, bold=block.bold)
        else:
            documents._block(document, block)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render_docx(report) -> bytes:
    doc = report_document(report)
    return _append_appendix(documents.render_docx(doc), report, doc)


PERIOD_SLUGS = {"month": "thang", "quarter": "quy", "half": "6-thang", "nine_months": "9-thang", "year": "nam",
                "ad_hoc": "dot-xuat"}


def filename(report, extension: str) -> str:
    """"BC-6-thang-2026-11311.docx", "BC-thang-05-2026-31.docx", "BC-dot-xuat-<id>-2026-31.docx": the kind, the
    period, the year and the unit's code, ASCII only, no personal data."""
    rule = report.report_type.period_rule
    kind = PERIOD_SLUGS.get(rule, "bao-cao")
    if rule in ("month", "quarter"):
        kind = f"{kind}-{report.number:02d}" if rule == "month" else f"{kind}-{report.number}"
    elif rule == "ad_hoc":
        kind = f"{kind}-{report.pk}"
    code = re.sub(r"[^A-Za-z0-9]+", "-", report.unit.code or "").strip("-")
    return f"BC-{kind}-{report.year}-{code}.{extension}"


def render(report, fmt: str) -> tuple[bytes, str]:
    """The report as "docx" or "pdf" and its file name (documents.DocumentError when PDF cannot be made here)."""
    if fmt not in documents.CONTENT_TYPES:
        raise ValueError(fmt)
    content = render_docx(report)
    if fmt == "pdf":
        content = documents.render_pdf(content)
    return content, filename(report, fmt)
