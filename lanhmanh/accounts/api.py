from rest_framework import serializers

from lanhmanh.accounts.filters import MembershipFilterSet, UserFilterSet
from lanhmanh.accounts.models import Membership, User
from lanhmanh.core.api import ScopedSerializer, ScopedViewSet, register
from lanhmanh.geo.models import AdminUnit


class UserSerializer(ScopedSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "full_name", "position", "email", "is_active", "version"]
        read_only_fields = ["username"]


class UserViewSet(ScopedViewSet):
    """Officials are created with their first membership in the web UI; the API reads and updates them."""

    queryset = User.objects.all()
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    http_method_names = ["get", "put", "patch", "head", "options"]


class MembershipSerializer(ScopedSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.all())

    class Meta:
        model = Membership
        fields = ["id", "user", "unit", "role", "agency", "is_active", "version"]


class MembershipViewSet(ScopedViewSet):
    queryset = Membership.objects.select_related("unit")
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilterSet


register("users", UserViewSet)
register("memberships", MembershipViewSet)
