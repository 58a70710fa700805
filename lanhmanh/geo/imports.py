from lanhmanh.core.imports import Importer
from lanhmanh.geo.forms import AgencyForm, ResidentialGroupForm


class ResidentialGroupImporter(Importer):
    form = ResidentialGroupForm
    fields = ("parent", "name", "kind")
    lookups = {"parent": "code"}
    unique_fields = ("parent", "name")


class AgencyImporter(Importer):
    form = AgencyForm
    fields = ("unit", "name", "agency_type")
    lookups = {"unit": "code", "agency_type": "code"}
    unique_fields = ("unit", "name")
