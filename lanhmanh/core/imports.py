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
from dataclasses import dataclass, field
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
# Rows under the data that are not records ("Tổng cộng", the signature block).
FOOTER_STARTS = ("tong cong", "cong", "nguoi lap", "xac nhan", "thu truong")
HEADER_SCAN_ROWS = 15
_DATE_PATTERNS = [
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2})$"), ("d", "m", "yy")),
]


def parse_date_text(text: str) -> date | None:
    """12/3/2019, 12-03-2019, 12.03.2019, 2019-03-12 and 12/03/19 → a date; anything else → None."""
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


def _merged_grid(ws, rows: int) -> list[list]:
    """Cell values of the first `rows` rows, with every cell of a merged range holding the range's value."""
    width = ws.max_column
    grid = [[ws.cell(row=r, column=c).value for c in range(1, width + 1)] for r in range(1, rows + 1)]
    for merged in ws.merged_cells.ranges:
        if merged.min_row > rows:
            continue
        value = ws.cell(row=merged.min_row, column=merged.min_col).value
        for r in range(merged.min_row, min(merged.max_row, rows) + 1):
            for c in range(merged.min_col, merged.max_col + 1):
                grid[r - 1][c - 1] = value
    return grid


def _is_number_row(values) -> bool:
    """A row of column numbers under the header: 1, 2, 3… or (1), (2), (3)…"""
    cells = [str(v).strip().strip("()") for v in values if v not in (None, "")]
    return len(cells) >= 2 and all(c.replace(".0", "").isdigit() for c in cells)


def _is_text_row(values) -> bool:
    cells = [v for v in values if v not in (None, "")]
    return bool(cells) and all(isinstance(v, str) and not parse_date_text(v) and not v.strip().isdigit()
                               for v in cells)


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
            self.fields[f"col_{name}"] = forms.ChoiceField(
                label=capfirst(blank[name].label or name), choices=columns, required=False,
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
        first = next((normalise_text(v) for v in values if v not in (None, "")), "")
        return first.startswith(FOOTER_STARTS)

    # -- the column-mapping step -------------------------------------------------------------------

    def analyse(self, fileobj) -> SheetLayout:
        """Find the header of an officer's own sheet: the row (or two rows, with merged parent cells)
        naming the most of our fields, then skip a row of column numbers if there is one."""
        wb = self._open(fileobj, read_only=False)
        ws = wb.worksheets[0]
        rows = min(HEADER_SCAN_ROWS, ws.max_row)
        grid = _merged_grid(ws, rows)
        keys = self._field_keys()

        def score(values):
            texts = {normalise_text(v) for v in values if isinstance(v, str)}
            return sum(1 for text in texts if any(text == k or f" {k} " in f" {text} " for k in keys))

        scores = [score(values) for values in grid]
        if not scores or max(scores) == 0:
            raise ImportFileError(_("Không tìm thấy dòng tiêu đề trong %(rows)s dòng đầu của tệp.") % {"rows": rows})
        # The first row naming at least half as many fields as the best one: with a two-row header the
        # second row repeats the first's vertically merged cells and may score higher, but starts nothing.
        top = next(r for r, value in enumerate(scores) if value * 2 >= max(scores))
        bottom = top
        # A second header row: text only, and below a cell merged across several columns.
        if top + 1 < rows and _is_text_row(grid[top + 1]):
            parent = grid[top]
            widths = [sum(1 for v in parent if v is not None and v == p) for p in parent]
            if any(grid[top + 1][c] not in (None, "") and widths[c] > 1 for c in range(len(parent))):
                bottom = top + 1
        start = bottom + 2
        if bottom + 1 < rows and _is_number_row(grid[bottom + 1]):
            start += 1
        columns = []
        for c in range(ws.max_column):
            parts = []
            for r in range(top, bottom + 1):
                text = str(grid[r][c]).strip() if grid[r][c] not in (None, "") else ""
                if text and text not in parts:
                    parts.append(text)
            if not parts:
                continue
            header = " / ".join(parts)
            sample = next((ws.cell(row=r, column=c + 1).value for r in range(start, min(start + 5, ws.max_row + 1))
                           if ws.cell(row=r, column=c + 1).value not in (None, "")), "")
            columns.append(SheetColumn(
                index=c, letter=get_column_letter(c + 1), header=header,
                keys=tuple(dict.fromkeys([normalise_text(header), *(normalise_text(p) for p in reversed(parts))])),
                sample=self._sample_text(sample),
            ))
        wb.close()
        return SheetLayout(header_rows=(top + 1, bottom + 1), data_start_row=start, columns=columns)

    @staticmethod
    def _sample_text(value) -> str:
        if isinstance(value, datetime | date):
            return value.strftime("%d/%m/%Y")
        return str(value)[:40]

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
                for key in self._names_of(name):
                    for rank, text in enumerate(column.keys):
                        if text == key:
                            best = max(best, 3 - rank * 0.1)
                        elif f" {key} " in f" {text} " and len(key) > 3:
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
            # Typed without the exact case or diacritics: compare normalised text, in Python, once per file.
            wanted_by_norm = {normalise_text(w): w for w in missing}
            for obj in qs:
                text = wanted_by_norm.get(normalise_text(getattr(obj, attr)))
                if text is not None:
                    by_key[text] = obj
        return by_key

    def _maps(self, rows, columns_in_use):
        maps = {}
        for col, name in enumerate(self.fields):
            if name not in self.lookups or name not in columns_in_use:
                continue
            wanted = {str(values[col]).strip() for _n, values in rows if values[col] not in (None, "")}
            maps[name] = self.lookup_map(name, wanted) if wanted else {}
        return maps

    def _cell_to_data(self, name, value):
        if value is None:
            return ""
        field = self._blank_form.fields[name]
        is_date = isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField)
        if isinstance(value, datetime):
            as_datetime = isinstance(field, forms.DateTimeField)
            return value.strftime("%d/%m/%Y %H:%M" if as_datetime else "%d/%m/%Y")
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        if is_date and isinstance(value, int | float) and 1 <= value < 80_000:
            return from_excel(value).strftime("%d/%m/%Y")  # a date cell Excel stored as a serial number
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = " ".join(unicodedata.normalize("NFC", str(value)).split())
        if is_date:
            parsed = parse_date_text(text)
            return parsed.strftime("%d/%m/%Y") if parsed else text
        if isinstance(field, forms.IntegerField):
            digits = re.sub(r"[.,\s]", "", text)
            return digits if digits.isdigit() else text
        if isinstance(field, forms.BooleanField):
            return "on" if normalise_text(text) in {"co", "x", "1", "yes", "true", "dung"} else ""
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            by_label = {normalise_text(label): val for val, label in field.choices}
            by_label.update({normalise_text(val): val for val, _label in field.choices})
            return by_label.get(normalise_text(text), text)
        return text

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
            data = {
                name: values[col] if name in maps else self._cell_to_data(name, values[col])
                for col, name in enumerate(self.fields) if name in columns_in_use
            }
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

    def error_workbook(self, fileobj, errors, mapping=None) -> bytes:
        wb = load_workbook(fileobj)
        ws = wb.worksheets[0]
        columns = mapping or {name: i for i, name in enumerate(self.fields)}
        error_col = (ws.max_column if mapping else len(self.fields)) + 1
        ws.cell(row=1 if not mapping else max(1, min(n for n, _f, _m in errors) - 1), column=error_col,
                value=_("Lỗi")).font = HEADER_FONT
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
        job.data_start_row = layout.data_start_row
        job.mapping = {}
        job.save(update_fields=["status", "data_start_row", "mapping"])
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
            report = importer.error_workbook(fh, errors, mapping=job.mapping or None)
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
