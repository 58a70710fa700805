from lanhmanh.commendations import filters, forms, imports, tables
from lanhmanh.commendations.models import Commendation
from lanhmanh.core.views import ObjectViews


class CommendationViews(ObjectViews):
    model = Commendation
    filterset = filters.CommendationFilterSet
    table = tables.CommendationTable
    form = forms.CommendationForm
    importer = imports.CommendationImporter
    select_related = ("unit", "agency")
