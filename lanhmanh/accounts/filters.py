import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.accounts.models import Membership, User
from lanhmanh.accounts.roles import Role
from lanhmanh.core.filters import ScopedFilterSet


class UserFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Tên đăng nhập hoặc họ tên"))
    role = django_filters.ChoiceFilter(choices=Role.choices, field_name="memberships__role", label=_("Vai trò"),
                                       distinct=True)

    class Meta:
        model = User
        fields = ["q", "unit", "role", "is_active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(username__icontains=value) | Q(full_name__icontains=value))



class MembershipFilterSet(ScopedFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Vai trò"))

    class Meta:
        model = Membership
        fields = ["unit", "role", "is_active"]
