from lanhmanh.core.views import ObjectViews
from lanhmanh.reporting import filters, tables
from lanhmanh.reporting.models import Report


class ReportViews(ObjectViews):
    """The reports of the user's units by type and period, with their deadlines: the list filters those overdue
    or coming due. Writing, submitting and approving come with the report editor."""

    model = Report
    filterset = filters.ReportFilterSet
    table = tables.ReportTable
    pages = ("list", "detail")
    select_related = ("unit", "report_type")
    detail_fields = ("report_type", "unit", "period_label", "period_start", "period_end", "deadline", "status",
                     "submitted_at", "approved_at", "is_late")
