import factory

from lanhmanh.geo.models import AdminUnit, Agency, AgencyType, ResidentialGroup


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{90000 + n}")
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    level = AdminUnit.Level.COMMUNE
    kind = "xã"


class ResidentialGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ResidentialGroup

    name = factory.Sequence(lambda n: f"Tổ dân phố {n}")
    kind = "tổ dân phố"
    parent = factory.SubFactory(AdminUnitFactory)


class AgencyTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgencyType
        django_get_or_create = ("code",)

    code = "police"
    name = "Công an"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Cơ quan thử nghiệm {n}")
    agency_type = factory.SubFactory(AgencyTypeFactory)
    unit = factory.SubFactory(AdminUnitFactory)
