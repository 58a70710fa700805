"""Excel import of a unit's register of communication activities (one row per activity, as districts kept them
before 2025: the commune by code or name — "P. Hồng Bàng", "Xã An Lư" —, the kind by its Vietnamese name, and one
column of participants per target group: "Học sinh", "Người lao động tại cơ sở kinh doanh", "Công nhân KCN",
"Nhân dân" …) and of target-group populations. Every row goes through the same rules as the web form; nothing is
written unless every row is valid."""

import re

from django import forms
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.core.imports import Importer
from lanhmanh.core.services import record_create
from lanhmanh.core.text import normalise_text
from lanhmanh.geo.models import AdminUnit
from lanhmanh.outreach.forms import CommunicationActivityForm, TargetPopulationForm, default_title
from lanhmanh.outreach.models import ActivityKind, TargetGroup
from lanhmanh.outreach.services import audience_errors, save_activity

# Unit names in a province's register: "P. Hồng Bàng", "Phường Hồng Bàng", "Xã An Lư", "TT. Núi Đèo".
_UNIT_PREFIXES = ("phuong ", "xa ", "dac khu ", "thi tran ", "p ", "x ", "tt ", "tinh ", "thanh pho ", "tp ")
# Words in a kind cell ("Hội thi", "Phát loa", "Tờ rơi") and the kind they name; the first match wins, so the
# more specific come first ("phát thanh trên loa" before "phát thanh").
KIND_WORDS = [
    ("sinh hoat", ActivityKind.GROUP_SESSION),
    ("hop dan", ActivityKind.COMMUNITY_MEETING),
    ("hoi nghi", ActivityKind.COMMUNITY_MEETING),
    ("hop to", ActivityKind.GROUP_SESSION),
    ("loa", ActivityKind.LOUDSPEAKER),
    ("truyen thanh", ActivityKind.LOUDSPEAKER),
    ("to roi", ActivityKind.LEAFLETS),
    ("to gap", ActivityKind.LEAFLETS),
    ("tai lieu", ActivityKind.LEAFLETS),
    ("bang ron", ActivityKind.BANNER),
    ("khau hieu", ActivityKind.BANNER),
    ("ap phich", ActivityKind.BANNER),
    ("pano", ActivityKind.BANNER),
    ("cuoc thi", ActivityKind.CONTEST),
    ("hoi thi", ActivityKind.CONTEST),
    ("thi tim hieu", ActivityKind.CONTEST),
    ("truyen hinh", ActivityKind.BROADCAST),
    ("phat thanh", ActivityKind.BROADCAST),
    ("bao", ActivityKind.PRESS),
    ("tin bai", ActivityKind.PRESS),
    ("mang xa hoi", ActivityKind.SOCIAL_MEDIA),
    ("fanpage", ActivityKind.SOCIAL_MEDIA),
    ("facebook", ActivityKind.SOCIAL_MEDIA),
    ("zalo", ActivityKind.SOCIAL_MEDIA),
    ("cong thong tin", ActivityKind.SOCIAL_MEDIA),
    ("noi chuyen", ActivityKind.SCHOOL_WORKPLACE),
    ("truong", ActivityKind.SCHOOL_WORKPLACE),
    ("ngoai khoa", ActivityKind.SCHOOL_WORKPLACE),
    ("doanh nghiep", ActivityKind.SCHOOL_WORKPLACE),
    ("khac", ActivityKind.OTHER),
]
# A participants cell that says "reached, not counted".
REACHED_MARKS = {"x", "co", "v", "yes", "dat"}
_NUMBER = re.compile(r"^\d{1,3}(?:[.,\s]\d{3})+$|^\d+$")


def without_unit_prefix(name: str) -> str:
    text = normalise_text(name)
    for prefix in _UNIT_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :]
    return text


def kind_from_text(text: str) -> str:
    """The kind a cell names, by its label ("Sinh hoạt tổ dân phố, thôn"), its code or a telling word."""
    key = normalise_text(text)
    for value, label in ActivityKind.choices:
        if key in (normalise_text(label), value):
            return value
    padded = f" {key} "
    for words, kind in KIND_WORDS:
        if f" {words} " in padded:
            return kind
    return text


class ParticipantsField(forms.CharField):
    """Participants of a target group in a sheet: a number ("1.200"), a mark ("x") when the group was reached but
    not counted, nothing when it was not reached. Cleans to (reached, participants or None)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        if not text:
            return (False, None)
        if normalise_text(text) in REACHED_MARKS:
            return (True, None)
        if _NUMBER.match(text):
            return (True, int(re.sub(r"[.,\s]", "", text)))
        raise forms.ValidationError(
            _("Hãy ghi số người (ví dụ 120), hoặc “x” nếu có tuyên truyền mà không đếm được số người.")
        )


class UnitsByName:
    """Units named by code, or by name ("P. Hồng Bàng") if exactly one unit in the user's scope bears it."""

    def _units(self, wanted):
        found = super().lookup_map("unit", wanted)
        missing = {without_unit_prefix(w): w for w in wanted - set(found)}
        if not missing:
            return found
        by_name = {}
        for unit in self._blank_form.fields["unit"].queryset.only("pk", "name", "code", "path", "level"):
            by_name.setdefault(without_unit_prefix(unit.name), []).append(unit)
        for key, text in missing.items():
            if len(units := by_name.get(key, [])) == 1:
                found[text] = units[0]
        return found

    def lookup_map(self, name, wanted):
        if name == "unit":
            return self._units(wanted)
        return super().lookup_map(name, wanted)


class ActivityImportForm(CommunicationActivityForm):
    residential_group_text = forms.CharField(
        label=gettext_lazy("Tổ dân phố, thôn"),
        required=False,
        help_text=gettext_lazy("Tên hoặc mã tổ dân phố, thôn của xã, phường ở cột đơn vị."),
    )
    # {(commune pk, normalised name) or code: [groups]}, loaded once per file by the importer.
    group_index: dict = {}

    class Meta(CommunicationActivityForm.Meta):
        fields = ["unit", "kind", "held_on", "title", "organiser", "materials_count", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["materials_count"].required = False
        for group, label in TargetGroup.choices:
            self.fields[f"participants_{group}"] = ParticipantsField(label=_("%(group)s (số người)") % {"group": label})

    def clean_materials_count(self):
        return self.cleaned_data.get("materials_count") or 0

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit") or (self.instance.unit if self.instance.unit_id else None)
        group = self._group(cleaned.get("residential_group_text", ""), unit)
        self.instance.residential_group = group
        if not cleaned.get("title") and cleaned.get("kind"):
            cleaned["title"] = default_title(cleaned["kind"], group)
            self.instance.title = cleaned["title"]
        audiences = []
        for name in TargetGroup.values:
            reached, participants = cleaned.get(f"participants_{name}") or (False, None)
            if reached:
                audiences.append((name, participants))
        if not any(f"participants_{g}" in self.errors for g in TargetGroup.values):
            for error in audience_errors(audiences):
                self.add_error(None, error)
        self.instance.imported_audiences = audiences
        return cleaned

    def _group(self, text, unit):
        text = (text or "").strip()
        if not text or unit is None:
            return None
        candidates = self.group_index.get(text.lower()) or self.group_index.get((unit.pk, normalise_text(text)), [])
        candidates = [g for g in candidates if g.parent_id == unit.pk]
        if len(candidates) != 1:
            self.add_error(
                "residential_group_text" if "residential_group_text" in self.fields else None,
                _("Không tìm thấy tổ dân phố, thôn “%(name)s” thuộc %(unit)s.") % {"name": text, "unit": unit},
            )
            return None
        return candidates[0]


PARTICIPANT_ALIASES = {
    TargetGroup.RESIDENTS: ("nhan dan", "nguoi dan", "quan chung nhan dan", "hoi vien nhan dan"),
    TargetGroup.STUDENTS: ("hoc sinh", "sinh vien", "hoc sinh sinh vien", "giao vien hoc sinh", "doan vien thanh nien"),
    TargetGroup.RISK_WORKERS: (
        "nguoi lao dong tai co so kinh doanh",
        "nguoi lao dong tai co so",
        "lao dong tai co so kinh doanh",
        "nhan vien co so kinh doanh",
        "lao dong co so kinh doanh dich vu",
    ),
    TargetGroup.IZ_WORKERS: (
        "cong nhan kcn",
        "cong nhan khu cong nghiep",
        "cong nhan",
        "nguoi lao dong kcn",
        "nguoi lao dong trong khu cong nghiep",
    ),
    TargetGroup.BUSINESS_OWNERS: ("chu co so", "chu co so kinh doanh", "chu kinh doanh"),
    TargetGroup.SELLERS: ("nguoi ban dam",),
    TargetGroup.OFFICIALS: ("can bo", "can bo cong chuc", "can bo cong chuc vien chuc", "cbccvc", "cbcc"),
}


class ActivityImporter(UnitsByName, Importer):
    form = ActivityImportForm
    fields = (
        "unit",
        "held_on",
        "kind",
        "residential_group_text",
        "title",
        "organiser",
        "materials_count",
        *(f"participants_{g}" for g in TargetGroup.values),
        "description",
    )
    lookups = {"unit": "code", "organiser": "name"}
    fixed_value_fields = ("unit", "organiser", "kind")
    header_aliases = {
        "unit": ("don vi", "xa phuong", "phuong xa", "dia ban", "ma don vi", "xa phuong thi tran", "ten don vi"),
        "held_on": ("ngay", "ngay to chuc", "thoi gian", "ngay thuc hien", "thoi gian to chuc", "ngay thang"),
        "kind": ("hinh thuc", "hinh thuc tuyen truyen", "loai hoat dong", "loai hinh"),
        "residential_group_text": ("to dan pho", "thon", "to dan pho thon", "thon to dan pho", "khu dan cu"),
        "title": ("noi dung", "chu de", "noi dung tuyen truyen", "ten hoat dong", "noi dung chu de"),
        "organiser": ("co quan chu tri", "don vi chu tri", "chu tri", "don vi to chuc", "co quan to chuc"),
        "materials_count": (
            "so to roi",
            "to roi",
            "tai lieu",
            "so tai lieu",
            "so luong tai lieu",
            "so an pham",
            "to roi tai lieu",
        ),
        "description": ("mo ta", "ghi chu", "ket qua", "dien bien"),
        **{f"participants_{group.value}": aliases for group, aliases in PARTICIPANT_ALIASES.items()},
    }

    def _cell_to_data(self, name, value):
        data = super()._cell_to_data(name, value)
        return kind_from_text(data) if name == "kind" and data else data

    def row_keys(self, cleaned_data):
        # The same activity typed twice: same unit, day, kind, place and title.
        return [
            (
                str(cleaned_data.get("unit")),
                str(cleaned_data.get("held_on")),
                cleaned_data.get("kind"),
                normalise_text(cleaned_data.get("residential_group_text", "")),
                normalise_text(cleaned_data.get("title", "")),
            )
        ]

    def validate(self, rows, progress=None, fixed=None, columns_in_use=None):
        if columns_in_use is None or "residential_group_text" in columns_in_use:
            self.form = type("ActivityImportForm", (ActivityImportForm,), {"group_index": self._group_index()})
        return super().validate(rows, progress=progress, fixed=fixed, columns_in_use=columns_in_use)

    def _group_index(self):
        index = {}
        for group in (
            AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP)
            .visible_to(self.user)
            .only("pk", "code", "name", "parent_id")
        ):
            index.setdefault(group.code.lower(), []).append(group)
            index.setdefault((group.parent_id, normalise_text(group.name)), []).append(group)
        return index

    def save(self, instances):
        with transaction.atomic():
            for activity in instances:
                save_activity(activity, user=self.user, audiences=activity.imported_audiences)
        return len(instances)


class TargetPopulationImporter(UnitsByName, Importer):
    form = TargetPopulationForm
    fields = ("unit", "year", "students", "risk_workers", "iz_workers", "residential_groups", "source", "note")
    lookups = {"unit": "code"}
    unique_fields = ("unit", "year")
    fixed_value_fields = ("unit", "year")
    header_aliases = {
        "unit": ("don vi", "xa phuong", "phuong xa", "dia ban", "ma don vi", "ten don vi"),
        "year": ("nam", "nam bao cao"),
        "students": ("hoc sinh", "so hoc sinh", "hoc sinh sinh vien", "so hoc sinh sinh vien"),
        "risk_workers": (
            "nguoi lao dong tai co so kinh doanh",
            "lao dong tai co so",
            "nguoi lao dong tai co so",
            "lao dong co so kinh doanh dich vu",
        ),
        "iz_workers": ("cong nhan kcn", "cong nhan khu cong nghiep", "cong nhan", "so cong nhan"),
        "residential_groups": ("so to dan pho", "to dan pho", "so thon", "so to dan pho thon", "thon to dan pho"),
        "source": ("nguon", "nguon so lieu"),
        "note": ("ghi chu",),
    }

    def save(self, instances):
        with transaction.atomic():
            for population in instances:
                record_create(population, user=self.user)
        return len(instances)
