"""The client list: code and statistical fields only. No identifying column, ever: this table is also the export."""

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from lanhmanh.support.models import SupportClient


class SupportClientTable(tables.Table):
    code = tables.Column(linkify=True)
    unit = tables.Column(verbose_name=_("Đơn vị"), order_by=("unit__path",))
    registered_on = tables.DateColumn(format="d/m/Y")
    origin_province = tables.Column(order_by=("origin_province__name",))
    is_minor = tables.Column(verbose_name=_("Trẻ em"), attrs={"td": {"class": "text-nowrap"}})

    class Meta:
        model = SupportClient
        fields = ("code", "unit", "registered_on", "age_group", "gender", "origin_province", "is_minor", "status")
        empty_text = _("Không có hồ sơ nào phù hợp.")

    def render_is_minor(self, record):
        # The same red badge as on every other screen that shows the person.
        return render_to_string("support/_minor_flag.html", {"client": record}) if record.is_minor else ""

    def value_is_minor(self, record):
        return str(_("Có")) if record.is_minor else ""
