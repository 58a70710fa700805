"""Excel import of a police unit's existing register of cases: one row per case, the offences named by code,
name or article number ("327", "Điều 26"), separated by semicolons. Every row goes through the same rules as the
web form; nothing is written unless every row is valid."""

import re

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.core.imports import Importer
from lanhmanh.core.services import record_create
from lanhmanh.core.text import normalise_text
from lanhmanh.enforcement.forms import EnforcementCaseForm
from lanhmanh.enforcement.models import CaseType, Offence
from lanhmanh.enforcement.services import offence_errors

_ARTICLE = re.compile(r"^(?:dieu\s*)?(\d{1,3})$")
_REFERENCE_ARTICLE = re.compile(r"Điều (\d+)")
# Unit names in a province's register: "P. Hồng Bàng", "Phường Hồng Bàng", "Xã An Lư".
_UNIT_PREFIXES = ("phuong ", "xa ", "dac khu ", "p ", "x ", "tinh ", "thanh pho ", "tp ")


def _without_prefix(name: str) -> str:
    text = normalise_text(name)
    for prefix in _UNIT_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def match_offences(text, catalogue):
    """{part of the cell: [offences it may name]}: by code, by name, or by article number."""
    found = {}
    for part in [p.strip() for p in re.split(r"[;\n]", text or "") if p.strip()]:
        key = normalise_text(part)
        article = _ARTICLE.match(key)
        if article:
            number = article.group(1)
            found[part] = [o for o in catalogue if number in _REFERENCE_ARTICLE.findall(o.legal_reference)]
        else:
            found[part] = [o for o in catalogue if o.code == part.lower()] or [
                o for o in catalogue if normalise_text(o.name) in (key, f"toi {key}")]
    return found


class CaseImportForm(EnforcementCaseForm):
    offence_codes = forms.CharField(
        label=gettext_lazy("Tội danh, hành vi vi phạm"),
        help_text=gettext_lazy("Mã, tên hoặc số điều (ví dụ 327), cách nhau bởi dấu chấm phẩy."),
    )

    class Meta(EnforcementCaseForm.Meta):
        fields = [
            "unit", "agency", "case_type", "reference_number", "detected_on", "instituted_on", "indicted_on",
            "tried_on", "business", "people_arrested", "people_prosecuted", "people_fined_admin", "fines_total",
            "sellers_identified", "sellers_referred", "minors_identified", "summary",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A register without a type column: the offences say which it is.
        self.fields["case_type"].required = False

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("detected_on")
        case_type = cleaned.get("case_type") or ""
        offences = self._offences(cleaned.get("offence_codes", ""), case_type, day)
        if offences is None:
            return cleaned
        if not case_type:
            types = {o.case_type for o in offences}
            if len(types) != 1:
                self._error("case_type", _("Hãy ghi loại vụ việc: vụ án hình sự hay vụ việc vi phạm hành chính."))
                return cleaned
            case_type = types.pop()
            self.instance.case_type = case_type
            if "case_type" in self.fields:
                cleaned["case_type"] = case_type
        for error in offence_errors(case_type, offences, day):
            self._error("offence_codes", error)
        self.instance.imported_offences = offences
        return cleaned

    def _error(self, name, message):
        # A field the sheet has no column for is not in the form: report the error for the row.
        self.add_error(name if name in self.fields else None, message)

    def _offences(self, text, case_type, day):
        """The offences a cell names; None (and an error) if one is unknown or ambiguous. Among entries of the same
        name or article, the one of the case's type in force on the day it was detected is meant."""
        found = []
        for part, candidates in match_offences(text, list(Offence.objects.all())).items():
            if case_type:
                candidates = [o for o in candidates if o.case_type == case_type] or candidates
            if day:
                candidates = [o for o in candidates if o.is_valid_on(day)] or candidates
            if not candidates:
                self._error("offence_codes", _("Không có “%(name)s” trong danh mục tội danh, hành vi vi phạm.")
                               % {"name": part})
                return None
            if len(candidates) > 1:
                codes = ", ".join(o.code for o in candidates)
                self._error("offence_codes", _("“%(name)s” ứng với nhiều mục trong danh mục (%(items)s); hãy ghi "
                                               "mã.") % {"name": part, "items": codes})
                return None
            found.append(candidates[0])
        return found


def _case_type_cell(text: str) -> str:
    """ "Hình sự", "VAHS", "Hành chính", "VPHC" → the type's value; anything else as written."""
    key = normalise_text(text)
    if "hinh su" in key or key in ("vahs", "hs"):
        return CaseType.CRIMINAL
    if "hanh chinh" in key or key in ("vphc", "hc", "xphc"):
        return CaseType.ADMINISTRATIVE
    return text


class CaseImporter(Importer):
    form = CaseImportForm
    fields = (
        "unit", "agency", "case_type", "reference_number", "detected_on", "offence_codes", "instituted_on",
        "indicted_on", "tried_on", "business", "people_arrested", "people_prosecuted", "people_fined_admin",
        "fines_total", "sellers_identified", "sellers_referred", "minors_identified", "summary",
    )
    lookups = {"unit": "code", "agency": "name", "business": "name"}
    unique_fields = ("unit", "reference_number")
    fixed_value_fields = ("unit", "agency", "case_type")
    header_aliases = {
        "unit": ("don vi", "dia ban", "xa phuong", "ma don vi"),
        "agency": ("co quan", "co quan thu ly", "don vi thu ly", "co quan dieu tra"),
        "case_type": ("loai", "loai vu", "loai vu viec", "tinh chat", "hinh su hanh chinh"),
        "reference_number": ("so ho so", "so vu", "so hs", "ma vu", "so vu an"),
        "detected_on": ("ngay phat hien", "ngay xay ra", "thoi gian phat hien", "ngay bat", "ngay"),
        "offence_codes": ("toi danh", "hanh vi", "hanh vi vi pham", "toi danh hanh vi", "dieu luat", "dieu"),
        "instituted_on": ("ngay khoi to", "ngay khoi to vu an", "khoi to vu an"),
        "indicted_on": ("ngay truy to", "truy to"),
        "tried_on": ("ngay xet xu", "xet xu", "ngay xet xu so tham"),
        "business": ("co so", "ten co so", "co so kinh doanh", "dia diem"),
        "people_arrested": ("so nguoi bi bat", "bat giu", "so doi tuong bi bat", "so doi tuong", "bat"),
        "people_prosecuted": ("bi can", "so bi can", "khoi to bi can", "so bi can bi khoi to"),
        "people_fined_admin": ("xu phat hanh chinh", "so nguoi bi xu phat", "xphc", "so doi tuong bi xu phat"),
        "fines_total": ("so tien phat", "tien phat", "tong tien phat", "so tien"),
        "sellers_identified": ("nguoi ban dam", "so nguoi ban dam", "doi tuong ban dam"),
        "sellers_referred": ("chuyen ho tro", "duoc ho tro", "chuyen gui"),
        "minors_identified": ("duoi 18 tuoi", "tre vi thanh nien", "chua thanh nien", "duoi 18"),
        "summary": ("tom tat", "noi dung", "ket qua xu ly", "ghi chu"),
    }

    def _cell_to_data(self, name, value):
        data = super()._cell_to_data(name, value)
        return _case_type_cell(data) if name == "case_type" and data else data

    def lookup_map(self, name, wanted):
        if name == "unit":
            return self._units(wanted)
        if name == "business":
            return self._businesses(wanted)
        return super().lookup_map(name, wanted)

    def _units(self, wanted):
        """By code, or by name ("P. Hồng Bàng") if exactly one unit in the user's scope bears it."""
        found = super().lookup_map("unit", wanted)
        missing = {_without_prefix(w): w for w in wanted - set(found)}
        if not missing:
            return found
        by_name = {}
        for unit in self._blank_form.fields["unit"].queryset.only("pk", "name", "code", "path", "level"):
            by_name.setdefault(_without_prefix(unit.name), []).append(unit)
        for key, text in missing.items():
            if len(units := by_name.get(key, [])) == 1:
                found[text] = units[0]
        return found

    def _businesses(self, wanted):
        """By licence number, by "name, address", or by name if exactly one business in the user's scope has it."""
        by_licence, by_name, by_key = {}, {}, {}
        for business in self._blank_form.fields["business"].queryset.only(
                "pk", "name", "address", "licence_number", "match_key", "unit_id"):
            if business.licence_number:
                by_licence.setdefault(business.licence_number.strip().lower(), []).append(business)
            by_name.setdefault(normalise_text(business.name), []).append(business)
            by_key.setdefault(business.match_key, []).append(business)
        found = {}
        for text in wanted:
            name_part, _sep, address = text.partition(",")
            candidates = (by_licence.get(text.strip().lower()) or by_key.get(
                f"{normalise_text(name_part)}|{normalise_text(address)}") or by_name.get(normalise_text(text)) or [])
            if len(candidates) == 1:
                found[text] = candidates[0]
        return found

    def row_keys(self, cleaned_data):
        number = (cleaned_data.get("reference_number") or "").strip().lower()
        return [(str(cleaned_data.get("unit")), number)] if number else []

    def save(self, instances):
        with transaction.atomic():
            for case in instances:
                record_create(case, user=self.user)
                case.offences.set(getattr(case, "imported_offences", []))
        return len(instances)
