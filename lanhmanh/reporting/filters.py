import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.reporting.models import Report, ReportStatus, ReportType


class ReportFilterSet(ScopedFilterSet):
    report_type = django_filters.ModelChoiceFilter(queryset=ReportType.objects.filter(is_active=True),
                                                   label=_("Loại báo cáo"))
    year = django_filters.NumberFilter(label=_("Năm"))
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("Tình trạng"))
    due = django_filters.ChoiceFilter(
        choices=[("overdue", _("Quá hạn chưa nộp")), ("upcoming", _("Sắp đến hạn (14 ngày)"))],
        method="filter_due", label=_("Hạn nộp"),
    )

    class Meta:
        model = Report
        fields = ["unit", "report_type", "year", "status", "due"]

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.overdue(today)
        if value == "upcoming":
            return queryset.upcoming(today)
        return queryset
