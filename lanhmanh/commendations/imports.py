"""Excel import of a unit's list of commendation proposals and decisions (the list attached to a "tờ trình"):
one row per collective or individual; every row goes through the form's rules and nothing is written unless every
row is valid."""

from lanhmanh.commendations.forms import CommendationForm
from lanhmanh.core.imports import Importer


class CommendationImporter(Importer):
    form = CommendationForm
    fields = (
        "unit",
        "year",
        "recipient_kind",
        "recipient_name",
        "recipient_position",
        "agency",
        "award_form",
        "achievement",
        "proposal_number",
        "proposed_on",
        "status",
        "decision_number",
        "decided_on",
        "decided_by",
        "reward_amount",
        "note",
    )
    lookups = {"unit": "code", "agency": "name"}
    unique_fields = ("unit", "year", "recipient_name", "award_form")
    fixed_value_fields = ("unit", "recipient_kind", "award_form", "status")
    header_aliases = {
        "unit": ("don vi", "don vi de nghi", "xa phuong", "ma don vi"),
        "year": ("nam", "nam thanh tich"),
        "recipient_kind": ("tap the ca nhan", "doi tuong", "loai"),
        "recipient_name": ("ten", "ho ten", "ho va ten", "ten tap the", "ten tap the ca nhan", "ten don vi ca nhan"),
        "recipient_position": ("chuc vu", "chuc vu don vi", "chuc vu don vi cong tac"),
        "agency": ("co quan", "co quan don vi", "don vi cong tac"),
        "award_form": ("hinh thuc", "hinh thuc khen thuong", "muc khen"),
        "achievement": ("thanh tich", "tom tat thanh tich", "noi dung"),
        "proposal_number": ("so to trinh", "to trinh", "so van ban de nghi"),
        "proposed_on": ("ngay de nghi", "ngay to trinh"),
        "status": ("tinh trang", "ket qua"),
        "decision_number": ("so quyet dinh", "quyet dinh", "so qd"),
        "decided_on": ("ngay quyet dinh", "ngay qd", "ngay khen thuong"),
        "decided_by": ("cap quyet dinh", "cap khen", "nguoi ky"),
        "reward_amount": ("tien thuong", "so tien thuong", "so tien"),
        "note": ("ghi chu",),
    }

    def row_keys(self, cleaned_data):
        name = (cleaned_data.get("recipient_name") or "").strip().lower()
        return [(str(cleaned_data.get("unit")), cleaned_data.get("year"), name, cleaned_data.get("award_form"))]
