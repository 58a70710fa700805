import django_tables2 as tables

from lanhmanh.core.models import AccessLog


class AccessLogTable(tables.Table):
    at = tables.DateTimeColumn(linkify=lambda record: record.get_absolute_url(), format="d/m/Y H:i")

    class Meta:
        model = AccessLog
        fields = ("at", "user", "what", "endpoint", "reason", "unit")
