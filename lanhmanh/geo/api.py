from rest_framework import serializers

from lanhmanh.core.api import ScopedSerializer, ScopedViewSet, register
from lanhmanh.geo.filters import AgencyFilterSet, ResidentialGroupFilterSet
from lanhmanh.geo.models import AdminUnit, Agency, ResidentialGroup


class ResidentialGroupSerializer(ScopedSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(
        level=AdminUnit.Level.COMMUNE))

    class Meta:
        model = ResidentialGroup
        fields = ["id", "code", "name", "kind", "parent", "path", "version"]
        read_only_fields = ["code", "path"]


class ResidentialGroupViewSet(ScopedViewSet):
    queryset = ResidentialGroup.objects.select_related("parent")
    serializer_class = ResidentialGroupSerializer
    filterset_class = ResidentialGroupFilterSet


class AgencySerializer(ScopedSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.all())

    class Meta:
        model = Agency
        fields = ["id", "unit", "name", "agency_type", "is_active", "version"]


class AgencyViewSet(ScopedViewSet):
    queryset = Agency.objects.select_related("unit", "agency_type")
    serializer_class = AgencySerializer
    filterset_class = AgencyFilterSet


register("residential-groups", ResidentialGroupViewSet)
register("agencies", AgencyViewSet)
