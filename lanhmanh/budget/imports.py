"""Excel import of allocations and expenditures: our template, or an officer's own sheet ("Nội dung chi", "Số tiền",
"Ngày chi", "Nguồn kinh phí"…) through the column-mapping step. Sources and purposes may be written loosely ("NSNN",
"Xã hội hóa", "Văn phòng phẩm", "Xăng xe"); an expenditure sheet without a purpose column takes each row's purpose
from its description when the words say it unambiguously. Every row goes through the same rules as the web form;
nothing is written unless every row is valid."""

from django.utils.translation import gettext as _

from lanhmanh.budget.forms import BudgetAllocationForm, ExpenditureForm
from lanhmanh.budget.models import Purpose, Source
from lanhmanh.core.imports import Importer
from lanhmanh.core.text import normalise_text

# Unit names in a sheet: "P. Hồng Bàng", "Phường Hồng Bàng", "UBND xã An Lư".
_UNIT_PREFIXES = ("ubnd ", "phuong ", "xa ", "dac khu ", "p ", "x ", "tinh ", "thanh pho ", "tp ")

# Words that name a source or a purpose in officers' sheets, without diacritics; the first match wins, so the
# more specific words come first.
SOURCE_WORDS = (
    (Source.NATIONAL_PROGRAMME, ("chuong trinh muc tieu", "muc tieu quoc gia", "ctmtqg", "mtqg", "chuong trinh")),
    (Source.SOCIALISED, ("xa hoi hoa", "xhh", "tai tro", "huy dong", "vien tro", "nguon khac", "hop phap khac")),
    (Source.STATE_BUDGET, ("ngan sach", "nsnn", "ns tinh", "ns xa", "ns phuong", "nstw", "nsdp", "du toan")),
)
PURPOSE_WORDS = (
    (Purpose.REWARDS, ("khen thuong", "giay khen", "bang khen")),
    (
        Purpose.OFFICE,
        (
            "van phong pham",
            "vpp",
            "xang xe",
            "xang dau",
            "cong tac phi",
            "van phong",
            "phu cap",
            "thong tin lien lac",
            "dien thoai",
            "photo",
        ),
    ),
    (Purpose.TRAINING, ("tap huan", "hoi thao", "boi duong", "hoi nghi", "lop hoc")),
    (Purpose.MODELS, ("mo hinh", "cau lac bo", "clb", "nhom dong dang")),
    (Purpose.INSPECTION, ("kiem tra", "doan lien nganh", "doi 178", "lien nganh")),
    (Purpose.SUPPORT, ("ho tro", "giam hai", "hoa nhap", "tu van", "day nghe", "chuyen gui")),
    (
        Purpose.COMMUNICATION,
        (
            "tuyen truyen",
            "truyen thong",
            "to roi",
            "to gap",
            "pano",
            "pa no",
            "bang ron",
            "khau hieu",
            "loa",
            "phat thanh",
            "san khau hoa",
            "cuoc thi",
            "tai lieu",
        ),
    ),
)


def _without_prefix(name: str) -> str:
    text = normalise_text(name)
    for prefix in _UNIT_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
    return text


def match_words(text: str, table) -> str | None:
    """The value whose words `text` contains (whole words), by the order of `table`; None if none does."""
    key = f" {normalise_text(text)} "
    for value, words in table:
        if any(f" {word} " in key for word in words):
            return value
    return None


class _UnitsByName:
    """Units named by code, or by name ("P. Hồng Bàng") when exactly one unit in the user's scope bears it."""

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

    def _cell_to_data(self, name, value):
        data = super()._cell_to_data(name, value)
        if data and name == "source" and data not in Source.values:
            return match_words(data, SOURCE_WORDS) or data
        if data and name == "purpose" and data not in Purpose.values:
            return match_words(data, PURPOSE_WORDS) or data
        return data


class AllocationImporter(_UnitsByName, Importer):
    form = BudgetAllocationForm
    fields = ("unit", "year", "source", "purpose", "amount", "decision_number", "decision_date", "note")
    lookups = {"unit": "code"}
    unique_fields = ("unit", "year", "source", "purpose")
    fixed_value_fields = ("unit", "source")
    header_aliases = {
        "unit": ("don vi", "dia ban", "xa phuong", "ma don vi", "don vi duoc giao"),
        "year": ("nam", "nam ngan sach", "nam du toan"),
        "source": ("nguon", "nguon kinh phi", "nguon von", "nguon ngan sach"),
        "purpose": ("muc chi", "noi dung", "noi dung chi", "nhiem vu", "muc dich", "linh vuc", "noi dung nhiem vu"),
        "amount": ("so tien", "kinh phi", "du toan", "so tien giao", "du toan giao", "thanh tien", "dong"),
        "decision_number": ("so quyet dinh", "quyet dinh", "so qd", "qd"),
        "decision_date": ("ngay quyet dinh", "ngay qd", "ngay giao"),
        "note": ("ghi chu",),
    }


class ExpenditureImportForm(ExpenditureForm):
    class Meta(ExpenditureForm.Meta):
        fields = ["unit", "spent_on", "source", "purpose", "amount", "description", "voucher_number", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A sheet without a purpose column: the description says it (see clean).
        self.fields["purpose"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("purpose") or "description" not in cleaned:
            return cleaned
        guessed = match_words(cleaned["description"], PURPOSE_WORDS)
        if guessed is None:
            message = _("Hãy ghi mục chi: không suy ra được từ nội dung chi “%(text)s”.") % {
                "text": cleaned["description"]
            }
            self.add_error("purpose" if "purpose" in self.fields else None, message)
            return cleaned
        cleaned["purpose"] = guessed
        self.instance.purpose = guessed
        return cleaned


class ExpenditureImporter(_UnitsByName, Importer):
    form = ExpenditureImportForm
    fields = ("unit", "spent_on", "description", "amount", "source", "purpose", "voucher_number", "note")
    lookups = {"unit": "code"}
    unique_fields = ("unit", "voucher_number")
    fixed_value_fields = ("unit", "source", "purpose")
    header_aliases = {
        "unit": ("don vi", "dia ban", "xa phuong", "ma don vi", "don vi chi"),
        "spent_on": ("ngay chi", "ngay", "ngay thang", "ngay chung tu", "thoi gian", "ngay thanh toan"),
        "description": (
            "noi dung chi",
            "noi dung",
            "dien giai",
            "noi dung chi tiet",
            "ten khoan chi",
            "noi dung cong viec",
        ),
        "amount": ("so tien", "so tien chi", "thanh tien", "kinh phi", "so tien dong", "tong tien", "chi", "so chi"),
        "source": ("nguon kinh phi", "nguon", "nguon von", "nguon chi"),
        "purpose": ("muc chi", "nhom chi", "loai chi", "muc dich", "nhiem vu chi"),
        "voucher_number": ("so chung tu", "chung tu", "so ct", "so phieu chi", "phieu chi", "so hoa don"),
        "note": ("ghi chu",),
    }

    def row_keys(self, cleaned_data):
        # The same payment twice in one file (as Expenditure.clean sees it against the stored ones): one voucher, day
        # and amount. Rows without a voucher number are not compared.
        voucher = (cleaned_data.get("voucher_number") or "").strip().lower()
        if not voucher:
            return []
        return [
            (str(cleaned_data.get("unit")), voucher, str(cleaned_data.get("spent_on")), str(cleaned_data.get("amount")))
        ]
