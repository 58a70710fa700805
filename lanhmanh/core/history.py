"""The change timeline shown on every detail page, read from django-simple-history in one query."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

_KIND = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}
_SKIP = {"id", "version", "updated_at", "updated_by", "created_at", "created_by", "path"}


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str
    changes: list = field(default_factory=list)


def _display(model_field, value):
    if value is None or value == "":
        return "—"
    if getattr(model_field, "sensitive", False):
        return _("(đã thay đổi, không hiển thị)")
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    return value


def history_timeline(obj, limit: int = 50) -> list[HistoryEntry]:
    """Newest first; each edit lists (field, before, after) for the fields it changed."""
    if not hasattr(obj, "history"):
        return []
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    fields = [f for f in type(obj)._meta.concrete_fields if f.name not in _SKIP and f.editable]
    timeline = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        if len(timeline) == limit:
            break
        entry = HistoryEntry(newer.history_date, newer.history_user, _KIND.get(newer.history_type, ""))
        if older is not None and newer.history_type == "~":
            for f in fields:
                before, after = getattr(older, f.attname, None), getattr(newer, f.attname, None)
                if before != after:
                    entry.changes.append((f.verbose_name, _display(f, before), _display(f, after)))
        timeline.append(entry)
    return timeline
