import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from lanhmanh.geo.models import Agency, ResidentialGroup


class ResidentialGroupTable(tables.Table):
    name = tables.Column(linkify=True)
    parent = tables.Column(verbose_name=_("Xã, phường"), order_by=("parent__name",))
    province = tables.Column(verbose_name=_("Tỉnh, thành phố"), accessor="parent__parent__name", orderable=False)

    class Meta:
        model = ResidentialGroup
        fields = ("code", "name", "kind", "parent", "province")


class AgencyTable(tables.Table):
    name = tables.Column(linkify=True)

    class Meta:
        model = Agency
        fields = ("name", "agency_type", "unit", "is_active")
