"""Invented, pseudonymous test clients: no real person's details anywhere."""

import datetime

import factory

from lanhmanh.geo.tests.factories import AdminUnitFactory, AgencyFactory
from lanhmanh.support.models import (
    AgeGroup,
    Consent,
    Gender,
    NeedArea,
    NeedsAssessment,
    Referral,
    ServiceDelivery,
    ServiceType,
    SupportClient,
)


class SupportClientFactory(factory.django.DjangoModelFactory):
    """A client registered on 10/01/2026, aged 25-34, with a consent to services given that day (unless
    `consent=False`)."""

    class Meta:
        model = SupportClient
        skip_postgeneration_save = True

    unit = factory.SubFactory(AdminUnitFactory)
    registered_on = datetime.date(2026, 1, 10)
    age_group = AgeGroup.FROM_25
    gender = Gender.FEMALE

    @factory.post_generation
    def consent(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            ConsentFactory(client=obj, given_on=obj.registered_on, **kwargs)


class ConsentFactory(factory.django.DjangoModelFactory):
    """A written consent to services, without referral or phone contact."""

    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(client=SupportClientFactory(unit=unit, consent=False), **kwargs)

    class Meta:
        model = Consent

    client = factory.SubFactory(SupportClientFactory, consent=False)
    unit = factory.SelfAttribute("client.unit")
    given_on = factory.SelfAttribute("client.registered_on")
    for_services = True


class NeedsAssessmentFactory(factory.django.DjangoModelFactory):
    """Health and vocational needs assessed on 15/01/2026."""

    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(client=SupportClientFactory(unit=unit), **kwargs)

    class Meta:
        model = NeedsAssessment

    client = factory.SubFactory(SupportClientFactory)
    unit = factory.SelfAttribute("client.unit")
    assessed_on = datetime.date(2026, 1, 15)
    needs = factory.LazyFunction(lambda: [NeedArea.HEALTH, NeedArea.VOCATIONAL])


class ServiceTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServiceType
        django_get_or_create = ("code",)

    code = "hiv_testing"
    name = "Tư vấn, xét nghiệm HIV"
    area = NeedArea.HIV_STI


class ServiceDeliveryFactory(factory.django.DjangoModelFactory):
    """HIV counselling and testing received on 20/01/2026."""

    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(client=SupportClientFactory(unit=unit), **kwargs)

    class Meta:
        model = ServiceDelivery

    client = factory.SubFactory(SupportClientFactory)
    unit = factory.SelfAttribute("client.unit")
    service_type = factory.SubFactory(ServiceTypeFactory)
    delivered_on = datetime.date(2026, 1, 20)


class ReferralFactory(factory.django.DjangoModelFactory):
    """A referral sent on 20/01/2026 to an agency of the client's unit, sharing age group and gender."""

    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(client=SupportClientFactory(unit=unit), **kwargs)

    class Meta:
        model = Referral

    client = factory.SubFactory(SupportClientFactory)
    unit = factory.SelfAttribute("client.unit")
    to_agency = factory.SubFactory(AgencyFactory, unit=factory.SelfAttribute("..client.unit"))
    reason = "Cần tư vấn, xét nghiệm HIV."
    sent_on = datetime.date(2026, 1, 20)
    shared_items = factory.LazyFunction(lambda: ["age_group", "gender"])
    shared_data = '{"age_group": "Từ 25 đến 34 tuổi", "gender": "Nữ"}'
