"""Excel import of a unit's list of prevention models and clubs (the "danh sách mô hình" annexed to reports):
one row per model. The residential group and the lead agency are named as officers write them and found among
those of the row's own unit (and, for the agency, the units above it). Every row goes through the same rules as
the web form; nothing is written unless every row is valid."""

import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.community.forms import PreventionModelForm, agency_choices
from lanhmanh.community.models import ModelKind, ModelStatus
from lanhmanh.core.imports import Importer
from lanhmanh.core.text import normalise_text
from lanhmanh.geo.models import AdminUnit

# Unit names in a province's list: "P. Hồng Bàng", "Phường Hồng Bàng", "Xã An Lư".
_UNIT_PREFIXES = ("phuong ", "xa ", "dac khu ", "p ", "x ", "tinh ", "thanh pho ", "tp ")
# "Tổ dân phố số 3", "TDP 3", "Tổ 3", "Thôn 3", "3": the number of the group.
_GROUP_NUMBER = re.compile(r"^(?:to dan pho|tdp|to|thon|khu pho|kp)?\s*(?:so\s*)?(\d+)$")
# Loose words for a kind, checked in this order (a "CLB phòng, chống HIV" is a club).
_KIND_WORDS = [
    (ModelKind.CLUB, ("cau lac bo", "clb")),
    (ModelKind.SUPPORT_GBV, ("bao luc",)),
    (ModelKind.COMMUNITY_HIV, ("hiv", "giam tac hai", "dua vao cong dong")),
    (ModelKind.VOLUNTEER_TEAM, ("tinh nguyen", "cong tac xa hoi")),
    (ModelKind.HOTLINE, ("duong day nong", "tu van")),
    (ModelKind.LIVELIHOOD, ("sinh ke", "hoa nhap", "viec lam")),
]
_STATUS_WORDS = [
    (ModelStatus.DISSOLVED, ("giai the", "cham dut", "ngung han")),
    (ModelStatus.PAUSED, ("tam dung", "tam ngung", "ngung hoat dong")),
    (ModelStatus.ACTIVE, ("dang hoat dong", "hoat dong", "duy tri")),
]


def _without_prefix(name: str) -> str:
    text = normalise_text(name)
    for prefix in _UNIT_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def _loose_choice(text: str, options) -> str:
    key = normalise_text(text)
    for value, words in options:
        if any(f" {w} " in f" {key} " for w in words):
            return value
    return text


def _group_number(text: str) -> str | None:
    match = _GROUP_NUMBER.match(normalise_text(text))
    return str(int(match.group(1))) if match else None


class PreventionModelImportForm(PreventionModelForm):
    residential_group_name = forms.CharField(
        label=gettext_lazy("Tổ dân phố, thôn"),
        required=False,
        help_text=gettext_lazy("Tên hoặc số của tổ dân phố, thôn thuộc đơn vị (ví dụ “Tổ dân phố 3” hoặc 3)."),
    )
    lead_agency_name = forms.CharField(label=gettext_lazy("Cơ quan chủ trì"), required=False)

    class Meta(PreventionModelForm.Meta):
        fields = [
            "unit",
            "name",
            "kind",
            "decision_number",
            "decision_date",
            "established_on",
            "status",
            "paused_on",
            "dissolved_on",
            "members_count",
            "funding_source",
            "annual_funding",
            "description",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A list without a status column: the dates say which it is.
        self.fields["status"].required = False

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        if not cleaned.get("status"):
            status = ModelStatus.ACTIVE
            if cleaned.get("dissolved_on"):
                status = ModelStatus.DISSOLVED
            elif cleaned.get("paused_on"):
                status = ModelStatus.PAUSED
            self.instance.status = status
            if "status" in self.fields:
                cleaned["status"] = status
        if unit is None:
            return cleaned
        self.instance.residential_group = self._group(unit, cleaned.get("residential_group_name", ""))
        self.instance.lead_agency = self._agency(unit, cleaned.get("lead_agency_name", ""))
        return cleaned

    def _error(self, name, message):
        self.add_error(name if name in self.fields else None, message)

    def _group(self, unit, text):
        text = (text or "").strip()
        if not text:
            return None
        groups = list(AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP, parent=unit))
        key, number = normalise_text(text), _group_number(text)
        found = [g for g in groups if g.code == text or normalise_text(g.name) == key] or (
            [g for g in groups if _group_number(g.name) == number] if number else []
        )
        if len(found) == 1:
            return found[0]
        self._error(
            "residential_group_name",
            _("Không tìm thấy tổ dân phố, thôn “%(name)s” của %(unit)s.") % {"name": text, "unit": unit}
            if not found
            else _("“%(name)s” ứng với nhiều tổ dân phố, thôn của %(unit)s; hãy ghi mã.")
            % {"name": text, "unit": unit},
        )
        return None

    def _agency(self, unit, text):
        text = (text or "").strip()
        if not text:
            return None
        above = {unit.path[: i + 1] for i, char in enumerate(unit.path) if char == "/"}
        key = normalise_text(text)
        found = [a for a in agency_choices(self.user).filter(unit__path__in=above) if normalise_text(a.name) == key]
        if len(found) == 1:
            return found[0]
        self._error(
            "lead_agency_name",
            _("Không tìm thấy cơ quan “%(name)s” của %(unit)s hoặc cấp trên.") % {"name": text, "unit": unit}
            if not found
            else _("Có nhiều cơ quan tên “%(name)s”; hãy sửa tên cho rõ.") % {"name": text},
        )
        return None


class PreventionModelImporter(Importer):
    form = PreventionModelImportForm
    fields = (
        "unit",
        "name",
        "kind",
        "residential_group_name",
        "decision_number",
        "decision_date",
        "established_on",
        "status",
        "paused_on",
        "dissolved_on",
        "members_count",
        "lead_agency_name",
        "funding_source",
        "annual_funding",
        "description",
    )
    lookups = {"unit": "code"}
    unique_fields = ("unit", "name")
    fixed_value_fields = ("unit", "kind", "status")
    header_aliases = {
        "unit": ("don vi", "dia ban", "xa phuong", "ma don vi", "phuong xa"),
        "name": ("ten mo hinh", "ten", "mo hinh", "ten cau lac bo", "ten clb", "ten mo hinh cau lac bo"),
        "kind": ("loai", "loai hinh", "hinh thuc", "loai mo hinh"),
        "residential_group_name": ("to dan pho", "thon", "to dan pho thon", "khu dan cu", "dia ban hoat dong"),
        "decision_number": ("so quyet dinh", "so qd", "quyet dinh", "quyet dinh thanh lap"),
        "decision_date": ("ngay quyet dinh", "ngay qd", "ngay ky quyet dinh"),
        "established_on": ("ngay thanh lap", "thanh lap", "ngay bat dau", "thoi gian thanh lap"),
        "status": ("tinh trang", "trang thai", "tinh trang hoat dong"),
        "paused_on": ("ngay tam dung", "tam dung tu ngay"),
        "dissolved_on": ("ngay giai the", "giai the tu ngay"),
        "members_count": ("so thanh vien", "thanh vien", "so hoi vien", "so nguoi"),
        "lead_agency_name": ("co quan chu tri", "don vi chu tri", "chu tri", "co quan phu trach"),
        "funding_source": ("nguon kinh phi", "nguon von"),
        "annual_funding": ("kinh phi", "kinh phi hang nam", "kinh phi nam", "so tien"),
        "description": ("mo ta", "noi dung", "noi dung hoat dong", "ghi chu"),
    }

    def _cell_to_data(self, name, value):
        data = super()._cell_to_data(name, value)
        if name == "kind" and data and data not in ModelKind.values:
            return _loose_choice(data, _KIND_WORDS)
        if name == "status" and data and data not in ModelStatus.values:
            return _loose_choice(data, _STATUS_WORDS)
        return data

    def lookup_map(self, name, wanted):
        found = super().lookup_map(name, wanted)
        if name != "unit":
            return found
        # By name ("P. Hồng Bàng") if exactly one unit in the user's scope bears it.
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

    def row_keys(self, cleaned_data):
        name = normalise_text(cleaned_data.get("name") or "")
        return [(str(cleaned_data.get("unit")), name)] if name else []
