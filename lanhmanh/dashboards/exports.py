"""XLSX of the dashboard and explorer tables: a title row (unit and period), Vietnamese headers, numbers as
numbers (counts and VND with "." grouping as Excel shows them in a Vietnamese locale), percentages with one
decimal. Core's export serves the register lists (django-tables2 rows); these tables are computed, so they are
written here with openpyxl directly."""

import io
import re

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from lanhmanh.indicators.registry import PERCENT, VND

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.0"


class Number:
    """A cell value with its measure (count, percent, vnd): a percent is written as a fraction formatted 0.0%."""

    def __init__(self, value, measure: str = "count"):
        self.value = value
        self.measure = measure

    def cell(self):
        if self.value is None:
            return None, None
        if self.measure == PERCENT:
            return float(self.value) / 100, PERCENT_FORMAT
        if isinstance(self.value, float) and not self.value.is_integer():
            return self.value, DECIMAL_FORMAT
        return (int(self.value) if self.measure == VND or isinstance(self.value, float) else self.value), COUNT_FORMAT


class Sheet:
    def __init__(self, title: str, heading: str, headers: list[str]):
        self.title = _sheet_title(title)
        self.heading = heading
        self.headers = headers
        self.rows: list[list] = []

    def add(self, *cells):
        self.rows.append(list(cells))


def _sheet_title(title: str) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    return re.sub(r"[\[\]:*?/\\]", "-", str(title))[:31] or "Sheet"


def _write(cell, value):
    """Put value in cell; text always as text. openpyxl stores a str starting with "=" as a formula, so a target,
    task or unit name typed as "=HYPERLINK(…)" would run in Excel (formula injection): the type is set back to a
    string, and Excel shows the characters as typed."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def workbook_response(sheets: list[Sheet], filename: str) -> HttpResponse:
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        _write(ws.cell(row=1, column=1), str(sheet.heading)).font = Font(bold=True, size=13)
        for col, header in enumerate(sheet.headers, start=1):
            cell = _write(ws.cell(row=2, column=col), str(header))
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(sheet.rows, start=3):
            for col, value in enumerate(row, start=1):
                cell = ws.cell(row=r, column=col)
                if isinstance(value, Number):
                    cell.value, number_format = value.cell()
                    if cell.value is None:
                        cell.value = _("Chưa có số liệu")
                    else:
                        cell.number_format = number_format
                else:
                    _write(cell, None if value is None else (value if isinstance(value, (int, float)) else str(value)))
        for col in range(1, len(sheet.headers) + 1):
            ws.column_dimensions[get_column_letter(col)].width = 40 if col == 1 else 16
        ws.freeze_panes = "B3"
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
