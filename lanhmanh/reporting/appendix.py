"""A report's appendix tables (biểu mẫu) as XLSX: the same Biểu 1 (main figures with last year's beside them) and
Biểu 2 (figures by child unit) as the document's appendix, one sheet each, with title rows (the table, the unit, the
period) and Vietnamese headers. Numbers are numbers (counts and amounts "#,##0", percentages and changes "0.0", as
stored — 87.8 means 87,8%), taken from the report's `figures` as they are; text is always text (data_type "s"), so a
name typed as "=HYPERLINK(…)" stays characters and never becomes a formula."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from lanhmanh.reporting.documents import (
    BIEU_1,
    BIEU_1_HEADERS,
    BIEU_2,
    NO_DATA,
    PERCENT,
    VND,
    filename,
    measure_unit,
)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"
PERCENT_FORMAT = "0.0"
FIRST_DATA_ROW = 6  # rows 1–3 titles, 4 blank, 5 headers
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _text(cell, value):
    """Text always as text: openpyxl would store a str starting with "=" as a formula."""
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"
    return cell


def _number(cell, value, measure: str | None, *, change: bool = False):
    """A number with its format; "—" (as text) where there is none."""
    if value is None:
        _text(cell, NO_DATA).alignment = Alignment(horizontal="right")
        return cell
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return _text(cell, value)
    cell.value = value
    if change or measure == PERCENT:
        cell.number_format = PERCENT_FORMAT
    elif measure == VND or isinstance(value, int) or float(value).is_integer():
        cell.number_format = COUNT_FORMAT
    else:
        cell.number_format = DECIMAL_FORMAT
    return cell


def _period_line(report) -> str:
    figures = report.figures or {}
    period = figures.get("period") or {}
    label = period.get("label") or report.period_label
    return f"Kỳ báo cáo: {label} (từ {report.period_start:%d/%m/%Y} đến {report.period_end:%d/%m/%Y})"


def _sheet(book, title: str, heading: str, report, headers: list[str], widths: list[float]):
    ws = book.create_sheet(title)
    _text(ws.cell(row=1, column=1), heading).font = Font(bold=True, size=13)
    _text(ws.cell(row=2, column=1), f"Đơn vị: {report.unit.name}").font = Font(bold=True)
    _text(ws.cell(row=3, column=1), _period_line(report)).font = Font(italic=True)
    for column, header in enumerate(headers, start=1):
        cell = _text(ws.cell(row=FIRST_DATA_ROW - 1, column=column), header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=3)
    return ws


def _box_row(ws, row: int, columns: int):
    for column in range(1, columns + 1):
        ws.cell(row=row, column=column).border = BOX


def indicators_sheet(book, report):
    """Biểu 1: TT | Chỉ số | Đơn vị tính | Kỳ này | Cùng kỳ năm trước | Tăng/giảm (%)."""
    rows = (report.figures or {}).get("indicators") or []
    ws = _sheet(book, "Biểu 1", BIEU_1, report, list(BIEU_1_HEADERS), [6, 55, 12, 16, 18, 14])
    for index, row in enumerate(rows, start=1):
        r = FIRST_DATA_ROW + index - 1
        measure = row.get("measure")
        ws.cell(row=r, column=1, value=index)
        _text(ws.cell(row=r, column=2), row.get("name", row.get("code", "")))
        _text(ws.cell(row=r, column=3), measure_unit(row)).alignment = Alignment(horizontal="center")
        _number(ws.cell(row=r, column=4), row.get("value"), measure)
        _number(ws.cell(row=r, column=5), row.get("value_previous"), measure)
        _number(ws.cell(row=r, column=6), row.get("change_percent"), None, change=True)
        _box_row(ws, r, len(BIEU_1_HEADERS))
    return ws


def children_sheet(book, report):
    """Biểu 2: TT | Mã đơn vị | Đơn vị | one column per indicator, a row per child unit and a total row."""
    figures = report.figures or {}
    children = figures.get("children") or {}
    rows = children.get("rows") or []
    by_code = {row.get("code"): row for row in figures.get("indicators") or []}
    codes = [code for code in children.get("indicators") or by_code if code in by_code]
    if not rows or not codes:
        return None
    headers = ["TT", "Mã đơn vị", "Đơn vị"]
    for code in codes:
        unit = measure_unit(by_code[code])
        name = by_code[code].get("name", code)
        headers.append(f"{name} ({unit.lower() if unit != '%' else unit})" if unit else name)
    ws = _sheet(book, "Biểu 2", BIEU_2, report, headers, [6, 12, 30] + [16] * len(codes))
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=4)
    ws.row_dimensions[FIRST_DATA_ROW - 1].height = 60
    r = FIRST_DATA_ROW
    for index, child in enumerate(rows, start=1):
        values = child.get("values") or {}
        ws.cell(row=r, column=1, value=index)
        _text(ws.cell(row=r, column=2), child.get("unit", ""))
        _text(ws.cell(row=r, column=3), child.get("unit_name", ""))
        for offset, code in enumerate(codes):
            _number(ws.cell(row=r, column=4 + offset), values.get(code), by_code[code].get("measure"))
        _box_row(ws, r, len(headers))
        r += 1
    _text(ws.cell(row=r, column=2), (figures.get("unit") or {}).get("code") or report.unit.code)
    _text(ws.cell(row=r, column=3), f"Toàn {report.unit.name[:1].lower()}{report.unit.name[1:]}").font = Font(bold=True)
    for offset, code in enumerate(codes):
        _number(ws.cell(row=r, column=4 + offset), by_code[code].get("value"), by_code[code].get("measure"))
        ws.cell(row=r, column=4 + offset).font = Font(bold=True)
    _box_row(ws, r, len(headers))
    return ws


def appendix_xlsx(report) -> bytes:
    """The appendix tables as an XLSX workbook (Biểu 1, and Biểu 2 for a unit with children)."""
    with translation.override("vi"):
        book = Workbook()
        book.remove(book.active)
        indicators_sheet(book, report)
        children_sheet(book, report)
        book.properties.creator = "Lành Mạnh"
        book.properties.title = f"{BIEU_1} – {report.unit.name}"
        out = io.BytesIO()
        book.save(out)
    return out.getvalue()


def appendix_filename(report) -> str:
    """"BC-6-thang-2026-11311-phu-luc.xlsx"."""
    return filename(report, "xlsx").replace(".xlsx", "-phu-luc.xlsx")
