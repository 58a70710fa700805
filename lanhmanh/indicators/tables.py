import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lanhmanh.indicators.models import AggregateDeclaration


class AggregateDeclarationTable(tables.Table):
    module = tables.Column(verbose_name=_("Lĩnh vực"), accessor="module_label", order_by=("module",),
                           linkify=lambda record: record.get_absolute_url())
    # Annotated by the list view (one grouped query): how much of the grid is filled in.
    cell_count = tables.Column(verbose_name=_("Số ô đã nhập"), orderable=True)
    updated_at = tables.DateTimeColumn(format="d/m/Y H:i")
    # Named "actions" so exports leave it out.
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta:
        model = AggregateDeclaration
        fields = ("module", "unit", "year", "cell_count", "updated_at", "updated_by", "actions")

    def render_year(self, value):
        return str(value)  # a year is not a quantity: "2026", never "2.026"

    def value_year(self, value):
        return value

    def render_actions(self, record):
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}"><i class="bi bi-grid-3x3"></i> {}</a>',
                           reverse("indicators:aggregatedeclaration_grid", args=[record.pk]), _("Bảng nhập số liệu"))
