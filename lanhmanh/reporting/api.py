from rest_framework import serializers

from lanhmanh.core.api import ScopedSerializer, ScopedViewSet, register
from lanhmanh.geo.models import AdminUnit
from lanhmanh.reporting.filters import ReportFilterSet
from lanhmanh.reporting.models import Report, ReportType


class ReportSerializer(ScopedSerializer):
    """A unit's report of a type for a period, with its deadline and where it stands. Read-only here: reports are
    opened by the system for every unit that must submit."""

    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.all())
    report_type = serializers.SlugRelatedField(slug_field="code", queryset=ReportType.objects.all())

    class Meta:
        model = Report
        fields = ["id", "unit", "report_type", "year", "number", "period_start", "period_end", "period_label",
                  "deadline", "status", "submitted_at", "approved_at", "is_late", "version"]
        read_only_fields = fields


class ReportViewSet(ScopedViewSet):
    queryset = Report.objects.select_related("unit", "report_type")
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    http_method_names = ["get", "head", "options"]


register("reports", ReportViewSet)
