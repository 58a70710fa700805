import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from lanhmanh.businesses.models import Business, Commitment, Suspicion


class BusinessTable(tables.Table):
    name = tables.Column(linkify=True)
    unit = tables.Column(verbose_name=_("Xã, phường"), order_by=("unit__name",))
    has_valid_commitment = tables.BooleanColumn(verbose_name=_("Cam kết còn hiệu lực"), orderable=True)
    last_reviewed_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Business
        fields = ("name", "business_type", "address", "unit", "residential_group", "status", "risk_level",
                  "workers_total", "workers_female", "has_valid_commitment", "last_reviewed_on")


class CommitmentTable(tables.Table):
    business = tables.Column(linkify=True)
    signed_on = tables.DateColumn(format="d/m/Y", linkify=True)
    valid_until = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Commitment
        fields = ("signed_on", "business", "signer_name", "valid_until", "unit")


class SuspicionTable(tables.Table):
    kind = tables.Column(linkify=True)
    business = tables.Column(linkify=True)
    noted_on = tables.DateColumn(format="d/m/Y")
    cleared_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Suspicion
        fields = ("kind", "business", "noted_on", "source", "cleared_on", "unit")
