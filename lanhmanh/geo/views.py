from lanhmanh.core.views import ObjectViews
from lanhmanh.geo import filters, forms, imports, tables
from lanhmanh.geo.models import Agency, ResidentialGroup


class ResidentialGroupViews(ObjectViews):
    model = ResidentialGroup
    filterset = filters.ResidentialGroupFilterSet
    table = tables.ResidentialGroupTable
    form = forms.ResidentialGroupForm
    importer = imports.ResidentialGroupImporter
    select_related = ("parent__parent",)
    detail_fields = ("code", "name", "kind", "parent", "valid_from", "valid_to")


class AgencyViews(ObjectViews):
    model = Agency
    filterset = filters.AgencyFilterSet
    table = tables.AgencyTable
    form = forms.AgencyForm
    importer = imports.AgencyImporter
    select_related = ("unit", "agency_type")
