import factory

from lanhmanh.accounts.models import Membership, User
from lanhmanh.accounts.roles import Role
from lanhmanh.core.testing import PASSWORD
from lanhmanh.geo.tests.factories import AdminUnitFactory


class UserFactory(factory.django.DjangoModelFactory):
    """`roles=[(unit, role), …]` gives the user those memberships."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Cán bộ thử nghiệm {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for unit, role in extracted or ():
            Membership.objects.create(user=self, unit=unit, role=role)

    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(roles=[(unit, Role.VIEWER)], **kwargs)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(AdminUnitFactory)
    role = Role.VIEWER
