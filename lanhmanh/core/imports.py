"""Excel import, the same for every module.

A module declares an `Importer` with its model form and the form fields that make the columns:

    class AgencyImporter(Importer):
        form = AgencyForm
        fields = ("unit", "name", "agency_type")
        lookups = {"unit": "code", "agency_type": "code"}   # how a cell names a related record
        unique_fields = ("unit", "name")                      # duplicates inside the file

Every row goes through the module's own form — the same rules as typing it in — and nothing is
written unless every row is valid: all rows are written in one transaction, or none. Errors come back
as the uploaded workbook with an error column and the faulty cells filled red, plus a summary.

A sheet that is not our template (an officer's own list, with title rows, two-row headers with merged
cells, a row of column numbers, columns in another order) goes through a column-mapping step first:
`analyse_sheet` finds the header, `Importer.guess_mapping` proposes a column for each field from its label
and `header_aliases`, and the user confirms or corrects it (core.views.import_job_mapping).
"""

import io
import re
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from lanhmanh.core.models import ImportJob
from lanhmanh.core.services import record_create
from lanhmanh.core.text import normalise_text

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
HEADER_FONT = Font(bold=True)
XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(Exception):
    """The file as a whole cannot be read as this import's template."""


class NotTemplateError(ImportFileError):
    """The header row is not our template's; the column-mapping step may still read the sheet."""


# Header texts of a row-number column, never a field.
ROW_NUMBER_HEADERS = {"stt", "tt", "so tt", "so thu tu"}
# Rows under the data that are not records: a total ("Tổng cộng: 4 cơ sở", "Cộng") or the signature block.
# Whole words only, so a business called "Cộng cà phê" is still a record.
FOOTER_PREFIXES = ("tong cong", "nguoi lap", "xac nhan", "thu truong")
FOOTER_TEXTS = {"cong", "tong", "tong so"}
HEADER_SCAN_ROWS = 15
_TIME = r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?"  # "2019-03-12 00:00:00", as a date pasted from another program
_DATE_PATTERNS = [
    (re.compile(rf"^(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{4}}){_TIME}$"), ("d", "m", "y")),
    (re.compile(rf"^(\d{{4}})[/.\-](\d{{1,2}})[/.\-](\d{{1,2}}){_TIME}$"), ("y", "m", "d")),
    (re.compile(rf"^(\d{{1,2}})[/.\-](\d{{1,2}})[/.\-](\d{{2}}){_TIME}$"), ("d", "m", "yy")),
]
# Excel's day numbers for 1910-01-01 and 2119-01-11: a smaller number in a date column is more likely a
# year typed alone ("2019" is 11/07/1905 to Excel), so it is left for the form to refuse.
EXCEL_SERIALS = (3_654, 80_000)
# 1.200 / 1,200 / 1 200: thousands in groups of three, so "1.5" is not read as 15.
_GROUPED_INTEGER = re.compile(r"^-?\d{1,3}(?:[.,\s]\d{3})+$")


def parse_date_text(text: str) -> date | None:
    """12/3/2019, 12-03-2019, 12.03.2019, 2019-03-12 and 12/03/19 → a date; anything else → None.
    A two-digit year is this century's if not in the future, else the last century's."""
    text = text.strip()
    for pattern, order in _DATE_PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
        if "yy" in parts:
            this_year = date.today().year % 100
            parts["y"] = 2000 + parts["yy"] if parts["yy"] <= this_year else 1900 + parts["yy"]
        try:
            return date(parts["y"], parts["m"], parts["d"])
        except ValueError:
            return None
    return None


def clean_text(value) -> str:
    """A cell as text: Vietnamese letters in their usual composed form (NFC; phones often type them
    decomposed), whole-number floats without ".0", spaces trimmed and collapsed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(unicodedata.normalize("NFC", str(value)).split())


def cell_value(field: forms.Field, value) -> str:
    """What a user would have typed into the form field for this cell: dates as dd/mm/yyyy whichever way the
    sheet holds them, "1.200" as 1200, a choice by its label or value written loosely. A value that cannot
    be understood is passed on as text, so the form reports its usual error."""
    if value is None:
        return ""
    is_datetime = isinstance(field, forms.DateTimeField)
    is_date = isinstance(field, forms.DateField) and not is_datetime
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M" if is_datetime else "%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if is_date and is_number and EXCEL_SERIALS[0] <= value < EXCEL_SERIALS[1]:
        return from_excel(value).strftime("%d/%m/%Y")  # a date cell Excel stored as a serial number
    text = clean_text(value)
    if is_date:
        parsed = parse_date_text(text)
        return parsed.strftime("%d/%m/%Y") if parsed else text
    # DecimalField and FloatField are IntegerFields to Django, but their dots and commas are not thousands.
    if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField | forms.FloatField):
        return re.sub(r"[.,\s]", "", text) if _GROUPED_INTEGER.match(text) else text
    if isinstance(field, forms.BooleanField):
        return "on" if normalise_text(text) in {"co", "x", "1", "yes", "true", "dung"} else ""
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        by_label = {normalise_text(label): val for val, label in field.choices}
        by_label.update({normalise_text(val): val for val, _label in field.choices})
        return by_label.get(normalise_text(text), text)
    return text


@dataclass
class SheetColumn:
    index: int  # 0-based
    letter: str
    header: str  # as shown to the user, e.g. "Số lao động / Nữ"
    keys: tuple[str, ...]  # normalised texts a field name can match: whole header, and its parts
    sample: str = ""


@dataclass
class SheetLayout:
    header_rows: tuple[int, int]  # first and last sheet row of the header (1-based)
    data_start_row: int
    columns: list[SheetColumn] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> "SheetLayout":
        return cls(
            header_rows=tuple(data["header_rows"]), data_start_row=data["data_start_row"],
            columns=[SheetColumn(**{**c, "keys": tuple(c["keys"])}) for c in data["columns"]],
        )


def _merged_grid(ws, rows: int) -> tuple[list[list], set[tuple[int, int]], set[int]]:
    """Cell values of the first `rows` rows, with every cell of a merged range holding the range's value;
    the (row, column), 0-based, of the cells merged across several columns; and the rows, 0-based, with
    a cell merged down into the next row."""
    width = ws.max_column
    grid = [[ws.cell(row=r, column=c).value for c in range(1, width + 1)] for r in range(1, rows + 1)]
    across, down = set(), set()
    for merged in ws.merged_cells.ranges:
        if merged.min_row > rows:
            continue
        value = ws.cell(row=merged.min_row, column=merged.min_col).value
        for r in range(merged.min_row, min(merged.max_row, rows) + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                grid[r - 1][c - 1] = value
                if merged.max_col > merged.min_col:
                    across.add((r - 1, c - 1))
        down.update(range(merged.min_row - 1, min(merged.max_row, rows) - 1))
    return grid, across, down


def _filled(values) -> list:
    return [v for v in values if v is not None and str(v).strip() != ""]


def _is_number_row(values) -> bool:
    """A row of column numbers under the header: 1, 2, 3… or (1), (2), (3)…"""
    cells = [str(v).strip().strip("()") for v in _filled(values)]
    return len(cells) >= 2 and all(c.removesuffix(".0").isdigit() for c in cells)


def _is_text_row(values) -> bool:
    """Header-like: only text, no dates, no numbers (not even "(1)")."""
    cells = _filled(values)
    return bool(cells) and all(
        isinstance(v, str) and not parse_date_text(v) and not v.strip().strip("()").isdigit() for v in cells
    )


def _has_sub_header(grid, across, r) -> bool:
    """Row r + 1 names the parts of row r's cells merged across columns ("Số lao động" over "Tổng số" and
    "Nữ"). A title row (one text across the width) has no sub-header."""
    if r + 1 >= len(grid) or len(set(map(str, _filled(grid[r])))) < 2 or not _is_text_row(grid[r + 1]):
        return False
    below = grid[r + 1]
    return any((r, c) in across and below[c] not in (None, "") and below[c] != grid[r][c] for c in range(len(below)))


def analyse_sheet(ws, keys: set[str]) -> SheetLayout:
    """Find the header of an officer's own sheet among its first rows: the row naming the most of `keys`
    (normalised field labels and aliases), together with the row above or below it when the two make a
    two-row header; then skip a row of column numbers. `ws` must be loaded without read_only, which
    drops merged cells."""
    rows = min(HEADER_SCAN_ROWS, ws.max_row)
    grid, across, down = _merged_grid(ws, rows)

    def score(values):
        if len(set(map(str, _filled(values)))) < 2:
            return 0  # a title merged across the width, or a lone note
        texts = {normalise_text(v) for v in values if isinstance(v, str)}
        return sum(1 for text in texts if any(text == k or f" {k} " in f" {text} " for k in keys))

    scores = [score(values) for values in grid]
    if not scores or max(scores) == 0:
        raise ImportFileError(_("Không tìm thấy dòng tiêu đề trong %(rows)s dòng đầu của tệp.") % {"rows": rows})
    best = scores.index(max(scores))
    # The best row of a two-row header is often the lower one: it repeats the vertically merged cells
    # above it and adds the sub-headers. The row above counts as the upper header row only if it names a
    # field or has cells merged down into the best row, not when it is a "CỘNG HÒA… / Độc lập…" heading.
    above = best - 1
    if above >= 0 and (scores[above] or above in down) and _has_sub_header(grid, across, above):
        top = above
    else:
        top = best
    bottom = top + 1 if _has_sub_header(grid, across, top) else top
    start = bottom + 2  # 1-based row after the header
    if bottom + 1 < rows and _is_number_row(grid[bottom + 1]):
        start += 1
    columns = []
    for c in range(ws.max_column):
        parts = []
        for r in range(top, bottom + 1):
            text = clean_text(grid[r][c])
            if text and text not in parts:
                parts.append(text)
        if not parts:
            continue
        header = " / ".join(parts)
        sample = next((v for r in range(start, min(start + 5, ws.max_row + 1))
                       if (v := ws.cell(row=r, column=c + 1).value) not in (None, "")), "")
        columns.append(SheetColumn(
            index=c, letter=get_column_letter(c + 1), header=header,
            # The child alone ("Nữ") as well as "Số lao động / Nữ", and the parent last.
            keys=tuple(dict.fromkeys([normalise_text(header), *(normalise_text(p) for p in reversed(parts))])),
            sample=_sample_text(sample),
        ))
    return SheetLayout(header_rows=(top + 1, bottom + 1), data_start_row=start, columns=columns)


def _names(header: str, key: str, *, is_label: bool) -> bool:
    """Whether a normalised header contains a field's name as whole words. A short label ("tên") counts
    only as the header's first word: "Tên tổ dân phố" is a name, "Họ tên chủ hộ" is not. A short alias
    ("dt": điện thoại, or diện tích?) must be the whole header."""
    if len(key) > 3:
        return f" {key} " in f" {header} "
    return is_label and header.startswith(f"{key} ")


def _sample_text(value) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return clean_text(value)[:40]


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("Tệp quá lớn (%(size)s MB). Giới hạn là %(max)s MB; hãy chia thành nhiều tệp.")
                % {"size": round(upload.size / 1_048_576, 1), "max": settings.IMPORT_MAX_BYTES // 1_048_576}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("Tệp rỗng."))
        head = upload.read(4)
        upload.seek(0)
        if not upload.name.lower().endswith(".xlsx") or head != XLSX_MAGIC:
            raise forms.ValidationError(_("Tệp không phải là tệp Excel .xlsx. Hãy dùng tệp mẫu tải về từ trang này."))
        return upload


class ColumnMappingForm(forms.Form):
    """One select per field: the sheet column holding it, pre-chosen from its header; and, for the
    importer's `fixed_value_fields`, one value for every row when the sheet has no such column."""

    data_start_row = forms.IntegerField(label=gettext_lazy("Dữ liệu bắt đầu từ dòng"), min_value=2)

    def __init__(self, *args, importer, layout, **kwargs):
        super().__init__(*args, **kwargs)
        self.importer = importer
        self.fields["data_start_row"].initial = layout.data_start_row
        guessed = importer.guess_mapping(layout)
        columns = [("", _("— không nhập —"))] + [
            (str(c.index), f"{c.letter} — {c.header}" + (f" ({_('vd')}: {c.sample})" if c.sample else ""))
            for c in layout.columns
        ]
        blank = importer._blank_form.fields
        for name in importer.fields:
            label = capfirst(blank[name].label or name)
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=f"{label} *" if blank[name].required else label, choices=columns, required=False,
                initial=str(guessed[name]) if name in guessed else "",
            )
            if name in importer.fixed_value_fields:
                choices = importer.fixed_choices(name)
                default = blank[name].initial  # the model's default (a status of "operating")
                if isinstance(blank[name], forms.BooleanField):
                    default = "on" if default else ""
                if len(choices) == 1:
                    default = choices[0][0]  # a commune officer's only commune
                self.fields[f"fixed_{name}"] = forms.ChoiceField(
                    label=_("hoặc một giá trị cho mọi dòng"), choices=[("", "—")] + choices, required=False,
                    initial="" if name in guessed or default is None else str(default),
                )
        from lanhmanh.core.forms import style_fields

        style_fields(self)

    def field_rows(self):
        """(column select, fixed-value select or None) per importer field, for the template."""
        return [(self[f"col_{name}"], self[f"fixed_{name}"] if f"fixed_{name}" in self.fields else None)
                for name in self.importer.fields]

    def clean(self):
        cleaned = super().clean()
        used = {}
        blank = self.importer._blank_form.fields
        for name in self.importer.fields:
            column = cleaned.get(f"col_{name}")
            fixed = cleaned.get(f"fixed_{name}")
            if column:
                if column in used:
                    self.add_error(f"col_{name}", _("Cột này đã được ghép cho “%(other)s”.") % {"other": used[column]})
                used[column] = capfirst(blank[name].label or name)
            elif blank[name].required and not fixed:
                self.add_error(f"col_{name}", _("Bắt buộc: hãy chọn cột chứa thông tin này."))
        return cleaned

    def mapping(self) -> dict[str, int]:
        return {name: int(self.cleaned_data[f"col_{name}"]) for name in self.importer.fields
                if self.cleaned_data.get(f"col_{name}")}

    def fixed(self) -> dict[str, str]:
        return {name: self.cleaned_data[f"fixed_{name}"] for name in self.importer.fixed_value_fields
                if not self.cleaned_data.get(f"col_{name}") and self.cleaned_data.get(f"fixed_{name}")}


class PreloadedChoiceField(forms.Field):
    """A related record named by a code in the sheet, resolved from a map read once for the whole file."""

    def __init__(self, mapping, *, lookup_label, **kwargs):
        self.mapping = mapping
        self.lookup_label = lookup_label
        super().__init__(**kwargs)

    def clean(self, value):
        value = "" if value is None else str(value).strip()
        if not value:
            if self.required:
                raise forms.ValidationError(_("Bắt buộc nhập."))
            return None
        found = self.mapping.get(value)  # Importer.lookup_map already matched case and diacritics loosely
        if found is not None:
            return found
        raise forms.ValidationError(
            _("Không tìm thấy %(what)s có %(lookup)s “%(value)s” trong phạm vi của bạn.")
            % {"what": self.label, "lookup": self.lookup_label, "value": value}
        )


class Importer:
    form = None
    fields: tuple[str, ...] = ()
    lookups: ClassVar[dict[str, str]] = {}
    unique_fields: tuple[str, ...] = ()
    # Column mapping for sheets that are not our template: other header texts officers use for a field
    # (written without diacritics), and fields that may take one value for every row instead of a column.
    allow_mapping = True
    header_aliases: ClassVar[dict[str, tuple[str, ...]]] = {}
    fixed_value_fields: tuple[str, ...] = ()

    registry: ClassVar[dict[str, type["Importer"]]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.form is not None:
            Importer.registry[cls.target()] = cls

    def __init__(self, *, user):
        self.user = user
        self._blank_form = self.form(user=user)

    @classmethod
    def model(cls):
        return cls.form._meta.model

    @classmethod
    def target(cls) -> str:
        return cls.model()._meta.label_lower

    def headers(self) -> list[str]:
        return [self.header(name) for name in self.fields]

    def header(self, name) -> str:
        field = self._blank_form.fields[name]
        label = str(capfirst(field.label or name))
        if name in self.lookups:
            label = f"{label} ({self._lookup_label(name)})"
        return f"{label} *" if field.required else label

    def _lookup_label(self, name) -> str:
        related = self._blank_form.fields[name].queryset.model
        return str(related._meta.get_field(self.lookups[name]).verbose_name)

    # -- the template ------------------------------------------------------------------------------

    def template_response(self) -> HttpResponse:
        wb = Workbook()
        ws = wb.active
        ws.title = str(capfirst(self.model()._meta.verbose_name_plural))[:31]
        ws.append(self.headers())
        lists = wb.create_sheet(_("Danh mục"))
        for col, name in enumerate(self.fields, start=1):
            ws.cell(row=1, column=col).font = HEADER_FONT
            ws.column_dimensions[get_column_letter(col)].width = max(14, len(self.header(name)) + 2)
            values = self._allowed_values(name)
            if not values:
                continue
            letter = get_column_letter(col)
            lists.cell(row=1, column=col, value=self.header(name))
            for i, value in enumerate(values, start=2):
                lists.cell(row=i, column=col, value=value)
            dv = DataValidation(
                type="list",
                formula1=f"'{lists.title}'!${letter}$2:${letter}${len(values) + 1}",
                allow_blank=not self._blank_form.fields[name].required,
                showErrorMessage=True,
                errorTitle=_("Giá trị không hợp lệ"),
                error=_("Hãy chọn một giá trị trong danh sách."),
            )
            ws.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{settings.IMPORT_MAX_ROWS + 1}")
        lists.sheet_state = "hidden"
        ws.freeze_panes = "A2"
        buffer = io.BytesIO()
        wb.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="mau-nhap-{self.model()._meta.model_name}.xlsx"'
        return response

    def _allowed_values(self, name) -> list[str]:
        field = self._blank_form.fields[name]
        if name in self.lookups:
            return [str(v) for v in field.queryset.values_list(self.lookups[name], flat=True)]
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            return [str(label) for value, label in field.choices if value not in ("", None)]
        if isinstance(field, forms.BooleanField):
            return [_("Có"), _("Không")]
        return []

    # -- reading ---------------------------------------------------------------------------------

    def _open(self, fileobj, *, read_only=True):
        try:
            return load_workbook(fileobj, read_only=read_only, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError(_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx.")) from exc

    def read(self, fileobj, job=None) -> list[tuple[int, list]]:
        """(sheet row number, cell values in `fields` order) of every data row. With a job that has a
        column mapping, the mapped columns are read from its first data row; else the sheet must be our
        template, and NotTemplateError says it is not."""
        mapping = job.mapping if job is not None else {}
        wb = self._open(fileobj)
        ws = wb.worksheets[0]
        expected = self.headers()
        if mapping:
            start = job.data_start_row
            columns = [mapping.get(name) for name in self.fields]
        else:
            first = next(ws.iter_rows(max_row=1, values_only=True), ())
            header = [str(c).strip() if c is not None else "" for c in first]
            if [h.rstrip(" *") for h in header[: len(expected)]] != [h.rstrip(" *") for h in expected]:
                wb.close()
                raise NotTemplateError(
                    _("Tệp không đúng mẫu. Dòng tiêu đề phải là: %(expected)s. Hãy tải tệp mẫu và điền lại.")
                    % {"expected": " | ".join(expected)}
                )
            start, columns = 2, list(range(len(expected)))
        data = []
        for number, row in enumerate(ws.iter_rows(min_row=start, values_only=True), start=start):
            values = [row[c] if c is not None and c < len(row) else None for c in columns]
            if all(v is None or str(v).strip() == "" for v in values) or (mapping and self._is_footer(values)):
                continue
            data.append((number, values))
            if len(data) > settings.IMPORT_MAX_ROWS:
                wb.close()
                raise ImportFileError(
                    _("Tệp có quá %(max)s dòng. Hãy chia thành nhiều tệp.") % {"max": settings.IMPORT_MAX_ROWS}
                )
        wb.close()
        if not data:
            raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
        return data

    @staticmethod
    def _is_footer(values) -> bool:
        """A "Tổng cộng" or signature row under the data of an officer's own list."""
        first = next((v for v in values if v is not None and str(v).strip() != ""), None)
        if not isinstance(first, str):
            return False
        text = normalise_text(first)
        return text in FOOTER_TEXTS or any(text == p or text.startswith(f"{p} ") for p in FOOTER_PREFIXES)

    # -- the column-mapping step -------------------------------------------------------------------

    def analyse(self, fileobj) -> SheetLayout:
        """The header, data start and columns of a sheet that is not our template."""
        wb = self._open(fileobj, read_only=False)  # read-only mode knows nothing of merged cells
        try:
            return analyse_sheet(wb.worksheets[0], self._field_keys())
        finally:
            wb.close()

    def _field_keys(self) -> set[str]:
        keys = set()
        for name in self.fields:
            keys |= set(self._names_of(name))
        return keys

    def _names_of(self, name) -> list[str]:
        label = normalise_text(self._blank_form.fields[name].label or name)
        return [label, *(normalise_text(a) for a in self.header_aliases.get(name, ()))]

    def guess_mapping(self, layout: SheetLayout) -> dict[str, int]:
        """{field: column index} for the columns whose header names a field; each column used once."""
        candidates = []
        for name in self.fields:
            for column in layout.columns:
                if column.keys[0] in ROW_NUMBER_HEADERS:
                    continue
                best = 0.0
                for i, key in enumerate(self._names_of(name)):
                    for rank, text in enumerate(column.keys):
                        if text == key:
                            best = max(best, 3 - rank * 0.1)
                        elif _names(text, key, is_label=i == 0):
                            best = max(best, 1 + len(key) / 100)
                if best:
                    candidates.append((best, name, column.index))
        mapping, used = {}, set()
        for _score, name, index in sorted(candidates, key=lambda c: -c[0]):
            if name not in mapping and index not in used:
                mapping[name] = index
                used.add(index)
        return mapping

    def fixed_choices(self, name) -> list[tuple[str, str]]:
        """Values a fixed field may take, as (form value, label), from the module's own form."""
        field = self._blank_form.fields[name]
        if isinstance(field, forms.ModelChoiceField):
            return [(str(obj.pk), str(obj)) for obj in field.queryset]
        if isinstance(field, forms.BooleanField):
            return [("on", str(_("Có"))), ("", str(_("Không")))]
        return [(str(value), str(label)) for value, label in field.choices if value not in ("", None)]

    # -- validating --------------------------------------------------------------------------------

    def lookup_map(self, name, wanted: set[str]) -> dict:
        """{cell text: record} for the texts a lookup column holds, within the user's scope. Override to
        resolve by something else than `lookups[name]` (a name, a synonym)."""
        qs = self._blank_form.fields[name].queryset
        attr = self.lookups[name]
        by_key = {str(getattr(obj, attr)): obj for obj in qs.filter(**{f"{attr}__in": wanted})}
        missing = wanted - set(by_key)
        if missing:
            # Typed in another case, or without diacritics: compare in Python, once per file, and accept
            # a looser match only when exactly one record has it ("Hòa" and "Hoà" are one; "Hòa"/"Hóa" not).
            by_fold, by_norm = {}, {}
            for obj in qs.all():  # a fresh query: the form field's queryset caches its rows
                key = str(getattr(obj, attr))
                by_fold.setdefault(clean_text(key).casefold(), []).append(obj)
                by_norm.setdefault(normalise_text(key), []).append(obj)
            for text in missing:
                found = by_fold.get(text.casefold()) or by_norm.get(normalise_text(text), [])
                if len(found) == 1:
                    by_key[text] = found[0]
        return by_key

    def _maps(self, rows, columns_in_use):
        maps = {}
        for col, name in enumerate(self.fields):
            if name not in self.lookups or name not in columns_in_use:
                continue
            wanted = {clean_text(values[col]) for _n, values in rows} - {""}
            maps[name] = self.lookup_map(name, wanted) if wanted else {}
        return maps

    def _cell_to_data(self, name, value):
        if name in self.lookups:
            return clean_text(value)  # resolved by PreloadedChoiceField from lookup_map
        return cell_value(self._blank_form.fields[name], value)

    def row_keys(self, cleaned_data) -> list[tuple]:
        """Keys by which two rows of one file are the same record; by default `unique_fields`."""
        if not self.unique_fields:
            return []
        return [tuple(str(cleaned_data.get(f)) for f in self.unique_fields)]

    def validate(self, rows, progress=None, fixed=None, columns_in_use=None):
        """Returns (unsaved instances, errors) where errors are (row number, field name or None, message).

        `columns_in_use` are the fields the sheet has a column for (all of them for our template);
        `fixed` gives a form value for fields that take the same value on every row."""
        fixed = fixed or {}
        columns_in_use = set(self.fields if columns_in_use is None else columns_in_use)
        maps = self._maps(rows, columns_in_use)
        instances, errors = [], []
        seen: dict[tuple, int] = {}
        for index, (number, values) in enumerate(rows):
            data = {name: self._cell_to_data(name, values[col])
                    for col, name in enumerate(self.fields) if name in columns_in_use}
            data.update(fixed)
            form = self.form(data=data, user=self.user)
            for name, mapping in maps.items():
                original = form.fields[name]
                form.fields[name] = PreloadedChoiceField(
                    mapping, lookup_label=self._lookup_label(name), label=original.label, required=original.required
                )
            # Fields of the form that are neither columns nor fixed keep their defaults.
            for name in list(form.fields):
                if name not in data and name != "expected_version":
                    del form.fields[name]
            if form.is_valid():
                duplicate_of = None
                for key in self.row_keys(form.cleaned_data):
                    duplicate_of = duplicate_of or seen.get(key)
                    seen.setdefault(key, number)
                if duplicate_of:
                    field_name = self.unique_fields[-1] if self.unique_fields else None
                    errors.append((number, field_name, _("Trùng với dòng %(row)s trong tệp.") % {"row": duplicate_of}))
                    continue
                instances.append(form.save(commit=False))
            else:
                for name, messages in form.errors.items():
                    for message in messages:
                        errors.append((number, None if name == "__all__" else name, message))
            if progress and index % 200 == 0:
                progress(index)
        return instances, errors

    def save(self, instances):
        with transaction.atomic():
            for instance in instances:
                record_create(instance, user=self.user)
        return len(instances)

    def error_workbook(self, fileobj, errors, mapping=None, header_row=1) -> bytes:
        """The uploaded workbook with an error column after the last one (after the template's columns, or
        after every column of an officer's own sheet) and the faulty cells of the mapped columns in red."""
        wb = load_workbook(fileobj)
        ws = wb.worksheets[0]
        columns = mapping or {name: i for i, name in enumerate(self.fields)}
        error_col = (ws.max_column if mapping else len(self.fields)) + 1
        ws.cell(row=header_row, column=error_col, value=_("Lỗi")).font = HEADER_FONT
        ws.column_dimensions[get_column_letter(error_col)].width = 60
        by_row: dict[int, list[str]] = {}
        for number, name, message in errors:
            label = self.header(name).rstrip(" *") if name in self.fields else ""
            by_row.setdefault(number, []).append(f"{label}: {message}" if label else str(message))
            if name in columns:
                ws.cell(row=number, column=columns[name] + 1).fill = ERROR_FILL
        for number, messages in by_row.items():
            ws.cell(row=number, column=error_col, value="; ".join(messages)).fill = ERROR_FILL
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()


def start_import(importer_cls, *, user, upload) -> ImportJob:
    """Store the upload as a job; a sheet that is not our template waits for its column mapping;
    otherwise run it now if small, else hand it to the task worker."""
    job = ImportJob.objects.create(
        user=user, target=importer_cls.target(), file=upload, original_name=upload.name[:255]
    )
    importer = importer_cls(user=user)
    try:
        with job.file.open("rb") as fh:
            rows = importer.read(fh)
    except NotTemplateError as exc:
        if not importer.allow_mapping:
            _finish(job, errors=[{"row": None, "field": "", "message": str(exc)}])
            return job
        try:
            with job.file.open("rb") as fh:
                layout = importer.analyse(fh)
        except ImportFileError as exc2:
            _finish(job, errors=[{"row": None, "field": "", "message": str(exc2)}])
            return job
        job.status = ImportJob.Status.MAPPING
        job.layout = layout.to_json()
        job.data_start_row = layout.data_start_row
        job.mapping = {}
        job.save(update_fields=["status", "layout", "data_start_row", "mapping"])
        return job
    except ImportFileError as exc:
        _finish(job, errors=[{"row": None, "field": "", "message": str(exc)}])
        return job
    return _run_or_enqueue(job, len(rows))


def continue_import(job: ImportJob, *, mapping: dict, fixed: dict, data_start_row: int) -> ImportJob:
    """After the column-mapping step: count the rows under the mapping, then run or enqueue."""
    job.mapping, job.fixed, job.data_start_row = mapping, fixed, data_start_row
    job.status = ImportJob.Status.PENDING
    job.save(update_fields=["mapping", "fixed", "data_start_row", "status"])
    importer = Importer.registry[job.target](user=job.user)
    try:
        with job.file.open("rb") as fh:
            rows = importer.read(fh, job)
    except ImportFileError as exc:
        _finish(job, errors=[{"row": None, "field": "", "message": str(exc)}])
        return job
    return _run_or_enqueue(job, len(rows))


def _run_or_enqueue(job, row_count):
    job.total_rows = row_count
    job.save(update_fields=["total_rows"])
    if row_count > settings.IMPORT_BACKGROUND_ROWS:
        from lanhmanh.core.tasks import run_import_job

        run_import_job.enqueue(job.pk, translation.get_language() or settings.LANGUAGE_CODE)
    else:
        run_import(job)
    return job


def run_import(job: ImportJob):
    """Validate every row, then write all of them in one transaction, or none and an error report."""
    importer = Importer.registry[job.target](user=job.user)
    job.status = ImportJob.Status.RUNNING
    job.save(update_fields=["status"])
    with job.file.open("rb") as fh:
        try:
            rows = importer.read(fh, job)
        except ImportFileError as exc:
            _finish(job, errors=[{"row": None, "field": "", "message": str(exc)}])
            return job

    def progress(done):
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    columns_in_use = list(job.mapping) if job.mapping else None
    instances, errors = importer.validate(rows, progress=progress, fixed=job.fixed, columns_in_use=columns_in_use)
    if errors:
        with job.file.open("rb") as fh:
            report = importer.error_workbook(fh, errors, mapping=job.mapping or None,
                                             header_row=max(1, job.data_start_row - 1) if job.mapping else 1)
        job.error_file.save(f"loi-{job.pk}.xlsx", ContentFile(report), save=False)
        _finish(
            job,
            errors=[
                {"row": number, "field": importer.header(name).rstrip(" *") if name in importer.fields else "",
                 "message": str(message)}
                for number, name, message in errors
            ],
        )
        return job
    job.created_rows = importer.save(instances)
    _finish(job, errors=[])
    return job


def _finish(job, *, errors):
    job.errors = errors[:1000]
    job.status = ImportJob.Status.FAILED if errors else ImportJob.Status.DONE
    job.processed_rows = job.total_rows
    job.finished_at = timezone.now()
    job.save()
