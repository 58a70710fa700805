"""Excel import of a commune's or province's existing list of service businesses.

Officers' own sheets (the pre-2025 district templates) differ from ours, so the generic column-mapping
step guesses columns from `header_aliases`; the values they hold are read tolerantly here."""

from django.utils import timezone

from lanhmanh.businesses.forms import BusinessForm
from lanhmanh.businesses.models import BusinessType, normalise_key
from lanhmanh.core.imports import Importer
from lanhmanh.core.text import normalise_text


class BusinessImportForm(BusinessForm):
    """The registration form, plus what old lists leave out: counts without an "as of" date are taken as of
    the import day, and phone numbers that Excel stored as numbers get their leading zero back."""

    def clean_owner_phone(self):
        phone = (self.cleaned_data.get("owner_phone") or "").strip()
        digits = phone.replace(" ", "").replace(".", "")
        if digits.isdigit() and len(digits) == 9:
            return f"0{digits}"
        return phone

    def clean(self):
        counts = ("workers_total", "workers_female", "workers_other_province")
        if any(self.cleaned_data.get(f) is not None for f in counts) and not self.cleaned_data.get("workforce_as_of"):
            # Set on the instance too: the column may not be in the sheet, hence not in the form.
            self.cleaned_data["workforce_as_of"] = self.instance.workforce_as_of = timezone.localdate()
        return super().clean()


class BusinessImporter(Importer):
    form = BusinessImportForm
    fields = (
        "unit", "name", "business_type", "address", "residential_group", "owner_name", "owner_phone", "tax_code",
        "licence_number", "licence_date", "security_cert_number", "security_cert_date", "opened_on", "status",
        "subject_to_management", "workers_total", "workers_female", "workers_other_province", "workforce_as_of",
        "risk_level",
    )
    lookups = {"unit": "code", "business_type": "name", "residential_group": "code"}
    fixed_value_fields = ("unit", "status", "subject_to_management")
    header_aliases = {
        "unit": ("xa phuong", "ma xa", "don vi", "phuong xa"),
        "name": ("ten co so", "ten co so kinh doanh", "ten cs", "ten doanh nghiep", "ten ho kinh doanh", "co so"),
        "business_type": ("loai hinh", "nganh nghe", "loai hinh kinh doanh", "nganh nghe kinh doanh"),
        "address": ("dia chi", "dia chi kinh doanh", "dia chi co so"),
        "residential_group": ("to dan pho", "thon", "to dp", "thon to dan pho"),
        "owner_name": ("chu co so", "ho ten chu co so", "chu so huu", "nguoi dai dien", "nguoi quan ly", "chu ho"),
        "owner_phone": ("dien thoai", "so dien thoai", "sdt", "dt"),
        "tax_code": ("ma so thue", "mst"),
        "licence_number": ("so giay phep", "so gcn dkkd", "giay phep kinh doanh", "so dkkd", "so giay dkkd",
                           "giay chung nhan dang ky kinh doanh", "so gp"),
        "licence_date": ("ngay cap", "ngay cap gp", "ngay cap dkkd"),
        "security_cert_number": ("so gcn antt", "giay chung nhan du dieu kien ve antt", "so gcn du dk antt"),
        "security_cert_date": ("ngay cap gcn antt", "ngay cap antt"),
        "opened_on": ("ngay hoat dong", "ngay bat dau hoat dong", "ngay khai truong"),
        "workers_total": ("tong so lao dong", "so lao dong", "lao dong tong so", "so lao dong tong so", "tong so"),
        "workers_female": ("lao dong nu", "so lao dong nu", "nu", "so lao dong nu"),
        "workers_other_province": ("lao dong ngoai tinh", "ngoai tinh", "so lao dong ngoai tinh"),
        "workforce_as_of": ("thoi diem", "tinh den ngay"),
        "risk_level": ("muc do rui ro", "muc do", "phan loai"),
    }

    def lookup_map(self, name, wanted):
        if name in ("unit", "residential_group"):
            return self._units_by_code_or_name(name, wanted)
        if name != "business_type":
            return super().lookup_map(name, wanted)
        types = list(BusinessType.objects.all())
        found = {}
        for text in wanted:
            key = normalise_text(text)
            exact = [t for t in types if key in {t.code, normalise_text(t.name), *t.synonyms.split(";")}]
            # "Nhà nghỉ, khách sạn": the first type, in catalogue order, one of whose names appears in the text.
            partial = [t for t in types if any(s and f" {s} " in f" {key} " for s in t.synonyms.split(";"))]
            if exact or partial:
                found[text] = (exact or partial)[0]
        return found

    def _units_by_code_or_name(self, name, wanted):
        """A province's list names communes ("P. Hồng Bàng", "Phường Hồng Bàng") rather than codes; a
        name counts only if exactly one unit in the user's scope bears it."""
        found = super().lookup_map(name, wanted)
        missing = {normalise_text(_without_prefix(w)): w for w in wanted - set(found)}
        if not missing:
            return found
        by_name = {}
        for unit in self._blank_form.fields[name].queryset.only("pk", "name", "code", "path", "level"):
            by_name.setdefault(normalise_text(_without_prefix(unit.name)), []).append(unit)
        for key, text in missing.items():
            units = by_name.get(key, [])
            if len(units) == 1:
                found[text] = units[0]
        return found

    def row_keys(self, cleaned_data):
        keys = [("name+address", normalise_key(cleaned_data.get("name", ""), cleaned_data.get("address", "")))]
        if (cleaned_data.get("licence_number") or "").strip():
            keys.append(("licence", cleaned_data["licence_number"].strip().lower()))
        return keys


_UNIT_PREFIXES = ("phuong ", "xa ", "dac khu ", "p ", "x ", "to dan pho ", "thon ", "to ")


def _without_prefix(name: str) -> str:
    """"P. Hồng Bàng" and "Phường Hồng Bàng" both → "hong bang"; "Tổ dân phố 3" → "3"."""
    text = normalise_text(name)
    for prefix in _UNIT_PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix):]
    return text
