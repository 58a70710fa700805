import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from lanhmanh.training.models import StaffCount, Training


class TrainingTable(tables.Table):
    starts_on = tables.DateColumn(format="d/m/Y", linkify=True)
    ends_on = tables.DateColumn(format="d/m/Y")
    title = tables.Column(linkify=True)
    organiser = tables.Column()

    class Meta:
        model = Training
        fields = (
            "starts_on",
            "ends_on",
            "title",
            "level",
            "unit",
            "organiser",
            "venue",
            "participants_total",
            "programme_staff_total",
            "materials_count",
        )


class StaffCountTable(tables.Table):
    year = tables.Column(linkify=True, verbose_name=_("Năm"))
    unit = tables.Column(linkify=False)

    class Meta:
        model = StaffCount
        fields = ("year", "unit", "staff", "note")

    def render_year(self, value):
        return str(value)  # no thousands separator in a year
