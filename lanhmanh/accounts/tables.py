import django_tables2 as tables

from lanhmanh.accounts.models import Membership, User


class UserTable(tables.Table):
    username = tables.Column(linkify=True)

    class Meta:
        model = User
        fields = ("username", "full_name", "position", "is_active", "last_login")


class MembershipTable(tables.Table):
    user = tables.Column(linkify=True)
    role = tables.Column(linkify=True)

    class Meta:
        model = Membership
        fields = ("user", "role", "unit", "agency", "is_active")
