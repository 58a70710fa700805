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
"""

import io
from collections import Counter
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
from openpyxl.worksheet.datavalidation import DataValidation

from lanhmanh.core.models import ImportJob
from lanhmanh.core.services import record_create

ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
HEADER_FONT = Font(bold=True)
XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(Exception):
    """The file as a whole cannot be read as this import's template."""


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
        try:
            return self.mapping[value]
        except KeyError:
            raise forms.ValidationError(
                _("Không tìm thấy %(what)s có %(lookup)s “%(value)s” trong phạm vi của bạn.")
                % {"what": self.label, "lookup": self.lookup_label, "value": value}
            ) from None


class Importer:
    form = None
    fields: tuple[str, ...] = ()
    lookups: ClassVar[dict[str, str]] = {}
    unique_fields: tuple[str, ...] = ()

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

    # -- reading and validating --------------------------------------------------------------------

    def read(self, fileobj) -> list[tuple[int, list]]:
        """(sheet row number, cell values) of every non-empty row after the header."""
        try:
            wb = load_workbook(fileobj, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ImportFileError(_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx.")) from exc
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
        expected = self.headers()
        if [h.rstrip(" *") for h in header[: len(expected)]] != [h.rstrip(" *") for h in expected]:
            raise ImportFileError(
                _("Tệp không đúng mẫu. Dòng tiêu đề phải là: %(expected)s. Hãy tải tệp mẫu và điền lại.")
                % {"expected": " | ".join(expected)}
            )
        data = []
        for number, values in enumerate(rows, start=2):
            values = list(values[: len(expected)]) + [None] * (len(expected) - len(values))
            if all(v is None or str(v).strip() == "" for v in values):
                continue
            data.append((number, values))
            if len(data) > settings.IMPORT_MAX_ROWS:
                raise ImportFileError(
                    _("Tệp có quá %(max)s dòng. Hãy chia thành nhiều tệp.") % {"max": settings.IMPORT_MAX_ROWS}
                )
        wb.close()
        if not data:
            raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tiêu đề."))
        return data

    def _maps(self, rows):
        """For each lookup column, {cell text: record} for the values the file uses, within the user's scope."""
        maps = {}
        for col, name in enumerate(self.fields):
            if name not in self.lookups:
                continue
            wanted = {str(values[col]).strip() for _n, values in rows if values[col] not in (None, "")}
            qs = self._blank_form.fields[name].queryset.filter(**{f"{self.lookups[name]}__in": wanted})
            maps[name] = {str(getattr(obj, self.lookups[name])): obj for obj in qs}
        return maps

    def _cell_to_data(self, name, value):
        if value is None:
            return ""
        field = self._blank_form.fields[name]
        if isinstance(value, datetime):
            as_datetime = isinstance(field, forms.DateTimeField)
            return value.strftime("%d/%m/%Y %H:%M" if as_datetime else "%d/%m/%Y")
        if isinstance(value, date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if isinstance(field, forms.BooleanField):
            return "on" if text.lower() in {"có", "x", "1", "yes", "true", str(_("Có")).lower()} else ""
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            by_label = {str(label).lower(): val for val, label in field.choices}
            return by_label.get(text.lower(), text)
        return text

    def validate(self, rows, progress=None):
        """Returns (unsaved instances, errors) where errors are (row number, field name or None, message)."""
        maps = self._maps(rows)
        instances, errors = [], []
        seen = Counter()
        for index, (number, values) in enumerate(rows):
            data = {
                name: values[col] if name in self.lookups else self._cell_to_data(name, values[col])
                for col, name in enumerate(self.fields)
            }
            form = self.form(data=data, user=self.user)
            for name in self.lookups:
                original = form.fields[name]
                form.fields[name] = PreloadedChoiceField(
                    maps[name], lookup_label=self._lookup_label(name), label=original.label, required=original.required
                )
            # Fields of the form that are not columns keep their defaults.
            for name in list(form.fields):
                if name not in self.fields and name != "expected_version":
                    del form.fields[name]
            if form.is_valid():
                if self.unique_fields:
                    key = tuple(str(form.cleaned_data.get(f)) for f in self.unique_fields)
                    seen[key] += 1
                    if seen[key] > 1:
                        errors.append((number, self.unique_fields[-1], _("Trùng với một dòng phía trên trong tệp.")))
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

    def error_workbook(self, fileobj, errors) -> bytes:
        wb = load_workbook(fileobj)
        ws = wb.worksheets[0]
        error_col = len(self.fields) + 1
        ws.cell(row=1, column=error_col, value=_("Lỗi")).font = HEADER_FONT
        ws.column_dimensions[get_column_letter(error_col)].width = 60
        by_row: dict[int, list[str]] = {}
        for number, name, message in errors:
            label = self.header(name).rstrip(" *") if name in self.fields else ""
            by_row.setdefault(number, []).append(f"{label}: {message}" if label else str(message))
            if name in self.fields:
                ws.cell(row=number, column=self.fields.index(name) + 1).fill = ERROR_FILL
        for number, messages in by_row.items():
            ws.cell(row=number, column=error_col, value="; ".join(messages)).fill = ERROR_FILL
        buffer = io.BytesIO()
        wb.save(buffer)
        return buffer.getvalue()


def start_import(importer_cls, *, user, upload) -> ImportJob:
    """Store the upload as a job; run it now if small, else hand it to the task worker."""
    job = ImportJob.objects.create(
        user=user, target=importer_cls.target(), file=upload, original_name=upload.name[:255]
    )
    try:
        rows = importer_cls(user=user).read(job.file.open("rb"))
    except ImportFileError as exc:
        _finish(job, errors=[{"row": None, "field": "", "message": str(exc)}])
        return job
    finally:
        job.file.close()
    job.total_rows = len(rows)
    job.save(update_fields=["total_rows"])
    if len(rows) > settings.IMPORT_BACKGROUND_ROWS:
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
            rows = importer.read(fh)
        except ImportFileError as exc:
            _finish(job, errors=[{"row": None, "field": "", "message": str(exc)}])
            return job

    def progress(done):
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    instances, errors = importer.validate(rows, progress=progress)
    if errors:
        with job.file.open("rb") as fh:
            report = importer.error_workbook(fh, errors)
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
