import django_filters
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.geo.models import Agency, AgencyType, ResidentialGroup


class ResidentialGroupFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Tên"))

    class Meta:
        model = ResidentialGroup
        fields = ["q", "unit"]


class AgencyFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Tên"))
    agency_type = django_filters.ModelChoiceFilter(queryset=AgencyType.objects.all(), label=_("Loại cơ quan"))

    class Meta:
        model = Agency
        fields = ["q", "unit", "agency_type", "is_active"]
