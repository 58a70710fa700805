"""Excel import of the training courses a unit has held, and of the staff counts.

Courses: one row per course with its total participants and, of them, programme staff — what officers keep in
their own lists and report ("mở 3 lớp tập huấn cho 250 lượt người"). The participants of an imported course are
one group not broken down by agency, counted in the course's own unit; a breakdown by agency (needed when commune
officials attend a provincial course) is added afterwards on the course's edit page or through the API.

Staff counts: one row per unit and year. Every row goes through the same rules as the web form; nothing is
written unless every row is valid."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.core.imports import Importer
from lanhmanh.core.text import normalise_text
from lanhmanh.training.forms import CountField, StaffCountForm, TrainingForm
from lanhmanh.training.models import TrainingParticipantGroup
from lanhmanh.training.services import training_save

# Unit names as officers write them: "P. Hồng Bàng", "Phường Hồng Bàng", "Xã An Lư", "TP Hải Phòng".
_UNIT_PREFIXES = ("phuong ", "xa ", "dac khu ", "p ", "x ", "tinh ", "thanh pho ", "tp ")


def _without_prefix(name: str) -> str:
    text = normalise_text(name)
    for prefix in _UNIT_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


class _UnitByName:
    """Units named by code, or by name if exactly one unit in the user's scope bears it."""

    def lookup_map(self, name, wanted):
        found = super().lookup_map(name, wanted)
        if name != "unit":
            return found
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


class TrainingImportForm(TrainingForm):
    participants = forms.IntegerField(label=gettext_lazy("Số lượt người tham dự"), min_value=0)
    programme_staff = CountField(
        label=gettext_lazy("Trong đó, cán bộ làm công tác phòng, chống tệ nạn xã hội"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        participants, staff = cleaned.get("participants"), cleaned.get("programme_staff") or 0
        if participants is not None and staff > participants:
            self.add_error(
                "programme_staff" if "programme_staff" in self.fields else None,
                _("Số cán bộ làm công tác phòng, chống tệ nạn xã hội không thể lớn hơn số người tham dự."),
            )
        self.instance.imported_counts = (participants or 0, staff)
        return cleaned


class TrainingImporter(_UnitByName, Importer):
    form = TrainingImportForm
    fields = (
        "unit",
        "title",
        "starts_on",
        "ends_on",
        "organiser",
        "venue",
        "summary",
        "materials_count",
        "participants",
        "programme_staff",
    )
    lookups = {"unit": "code", "organiser": "name"}
    unique_fields = ("unit", "title", "starts_on")
    fixed_value_fields = ("unit", "organiser")
    header_aliases = {
        "unit": ("don vi", "dia ban", "don vi to chuc", "xa phuong", "ma don vi"),
        "title": ("ten lop", "ten lop tap huan", "lop tap huan", "noi dung tap huan", "ten hoi nghi", "chuyen de"),
        "starts_on": ("ngay", "ngay to chuc", "thoi gian", "ngay bat dau", "tu ngay"),
        "ends_on": ("den ngay", "ngay ket thuc"),
        "organiser": ("co quan to chuc", "don vi chu tri", "chu tri", "co quan chu tri"),
        "venue": ("dia diem", "noi to chuc", "dia diem to chuc"),
        "summary": ("noi dung", "tom tat", "ghi chu", "noi dung chinh"),
        "materials_count": ("tai lieu", "so tai lieu", "tai lieu phat"),
        "participants": ("so nguoi", "so luot nguoi", "so nguoi tham du", "so luong", "so hoc vien", "tong so"),
        "programme_staff": ("can bo", "so can bo", "can bo lam cong tac", "trong do can bo", "can bo phong chong"),
    }

    def row_keys(self, cleaned_data):
        return [
            (
                str(cleaned_data.get("unit")),
                normalise_text(cleaned_data.get("title") or ""),
                str(cleaned_data.get("starts_on")),
            )
        ]

    def save(self, instances):
        with transaction.atomic():
            for training in instances:
                participants, staff = getattr(training, "imported_counts", (0, 0))
                groups = (
                    [TrainingParticipantGroup(participants=participants, programme_staff=staff)] if participants else []
                )
                training_save(training=training, groups=groups, user=self.user)
        return len(instances)


class StaffCountImporter(_UnitByName, Importer):
    form = StaffCountForm
    fields = ("unit", "year", "staff", "note")
    lookups = {"unit": "code"}
    unique_fields = ("unit", "year")
    fixed_value_fields = ("unit", "year")
    header_aliases = {
        "unit": ("don vi", "dia ban", "xa phuong", "ma don vi", "ten don vi"),
        "year": ("nam",),
        "staff": ("so can bo", "can bo", "so luong can bo", "so can bo lam cong tac", "tong so can bo"),
        "note": ("ghi chu",),
    }
