import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.tips.filters import DUE_SOON_DAYS
from lanhmanh.tips.models import Tip


def _row_class(record, **kwargs):
    """Overdue tips in red, those due within three days in amber: the queue is read by colour first."""
    today = timezone.localdate()
    if record.is_overdue(today):
        return "table-danger"
    if record.is_open and record.deadline and (record.deadline - today).days <= DUE_SOON_DAYS:
        return "table-warning"
    return ""


class TipTable(tables.Table):
    number = tables.Column(verbose_name=_("Số"), linkify=True, order_by=("pk",), accessor="pk")
    received_at = tables.DateTimeColumn(format="d/m/Y H:i")
    unit = tables.Column(verbose_name=_("Đơn vị"), order_by=("unit__name",))
    deadline = tables.DateColumn(format="d/m/Y")
    on_time = tables.Column(verbose_name=_("Đúng hạn"), empty_values=(), orderable=False)

    class Meta:
        model = Tip
        fields = ("number", "received_at", "kind", "subject", "channel", "unit", "status", "deadline",
                  "assigned_officer", "on_time")
        row_attrs = {"class": _row_class}

    def render_number(self, record):
        return record.number

    def value_number(self, record):
        return record.number

    def render_assigned_officer(self, value):
        return str(value)

    def render_on_time(self, record):
        state = record.handled_on_time
        if state is None:
            return _("Quá hạn") if record.is_overdue() else "—"
        return _("Đúng hạn") if state else _("Quá hạn")
