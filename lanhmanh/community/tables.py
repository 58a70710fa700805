import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from lanhmanh.community.models import ModelActivity, PreventionModel


class PreventionModelTable(tables.Table):
    name = tables.Column(linkify=True)
    established_on = tables.DateColumn(format="d/m/Y")
    # Annotated by the list view (one grouped query): how lively the model is.
    activity_count = tables.Column(verbose_name=_("Số hoạt động"), orderable=True)
    last_activity = tables.DateColumn(verbose_name=_("Hoạt động gần nhất"), format="d/m/Y", orderable=True)

    class Meta:
        model = PreventionModel
        fields = (
            "name",
            "kind",
            "unit",
            "residential_group",
            "established_on",
            "status",
            "members_count",
            "lead_agency",
            "annual_funding",
            "activity_count",
            "last_activity",
        )


class ModelActivityTable(tables.Table):
    date = tables.DateColumn(format="d/m/Y", linkify=True)
    prevention_model = tables.Column(linkify=True)

    class Meta:
        model = ModelActivity
        fields = ("date", "prevention_model", "kind", "participants_count", "description", "unit")
