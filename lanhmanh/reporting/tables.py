import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from lanhmanh.reporting.models import Report


class ReportTable(tables.Table):
    report_type = tables.Column(linkify=True, verbose_name=_("Báo cáo"))
    deadline = tables.DateColumn(format="d/m/Y")
    submitted_at = tables.DateTimeColumn(format="d/m/Y H:i")

    class Meta:
        model = Report
        fields = ("report_type", "period_label", "unit", "deadline", "status", "submitted_at", "is_late")
        order_by = ("deadline",)

    def render_report_type(self, record):
        return record.report_type.name
