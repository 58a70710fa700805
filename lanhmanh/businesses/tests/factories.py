import datetime

import factory

from lanhmanh.businesses.models import Business, BusinessType, Commitment, Suspicion
from lanhmanh.geo.tests.factories import AdminUnitFactory


class BusinessTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessType
        django_get_or_create = ("code",)

    code = "karaoke"
    name = "Karaoke"
    group = "Karaoke"
    risk_points = 2


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    name = factory.Sequence(lambda n: f"Karaoke Thử Nghiệm {n}")
    business_type = factory.SubFactory(BusinessTypeFactory)
    address = factory.Sequence(lambda n: f"Số {n} đường Lê Lợi")
    unit = factory.SubFactory(AdminUnitFactory)


class CommitmentFactory(factory.django.DjangoModelFactory):
    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(business__unit=unit, **kwargs)

    class Meta:
        model = Commitment

    business = factory.SubFactory(BusinessFactory)
    unit = factory.SelfAttribute("business.unit")
    signed_on = datetime.date(2026, 1, 15)
    signer_name = "Chủ cơ sở"
    valid_until = datetime.date(2026, 12, 31)


class SuspicionFactory(factory.django.DjangoModelFactory):
    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(business__unit=unit, **kwargs)

    class Meta:
        model = Suspicion

    business = factory.SubFactory(BusinessFactory)
    unit = factory.SelfAttribute("business.unit")
    kind = Suspicion.Kind.HARBOURING
    source = Suspicion.Source.POLICE
