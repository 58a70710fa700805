"""Excel import of a unit's existing register of tips (sổ theo dõi tin báo): one row per tip. Reporter details
are not imported: an old register's names and phone numbers stay in the paper book rather than being copied
into a new place."""

from lanhmanh.core.imports import Importer
from lanhmanh.tips.forms import TipForm


class TipImportForm(TipForm):
    class Meta(TipForm.Meta):
        fields = ["unit", "channel", "received_at", "kind", "subject", "address", "business_name_given", "content",
                  "note"]


class TipImporter(Importer):
    form = TipImportForm
    fields = ("unit", "channel", "received_at", "kind", "subject", "address", "business_name_given", "content",
              "note")
    lookups = {"unit": "code", "subject": "name"}
    fixed_value_fields = ("unit", "channel", "kind")
    header_aliases = {
        "unit": ("xa phuong", "don vi", "don vi tiep nhan"),
        "channel": ("kenh", "kenh tiep nhan", "nguon tin", "hinh thuc tiep nhan"),
        "received_at": ("ngay tiep nhan", "thoi gian tiep nhan", "ngay nhan", "ngay"),
        "kind": ("loai tin", "phan loai"),
        "subject": ("noi dung tin bao", "linh vuc"),
        "address": ("dia diem", "dia chi", "noi xay ra"),
        "business_name_given": ("ten co so", "co so"),
        "content": ("noi dung", "tom tat noi dung", "noi dung tin"),
        "note": ("ghi chu", "ket qua"),
    }
