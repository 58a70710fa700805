import datetime

import factory

from lanhmanh.enforcement.models import CaseType, EnforcementCase, Offence
from lanhmanh.geo.tests.factories import AdminUnitFactory


class OffenceFactory(factory.django.DjangoModelFactory):
    """An entry of the catalogue; by default the administrative "buying sex" of Nghị định 144/2021, as migration
    0002 loads it (got, not duplicated, when the catalogue is there)."""

    class Meta:
        model = Offence
        django_get_or_create = ("code",)

    code = "nd144-buying"
    name = "Mua dâm"
    case_type = CaseType.ADMINISTRATIVE
    legal_reference = "Điều 24 Nghị định 144/2021/NĐ-CP"
    valid_from = datetime.date(2021, 12, 31)


class EnforcementCaseFactory(factory.django.DjangoModelFactory):
    """An administrative case detected on 10/03/2026 about buying sex, unless told otherwise."""

    class Meta:
        model = EnforcementCase
        skip_postgeneration_save = True

    unit = factory.SubFactory(AdminUnitFactory)
    case_type = CaseType.ADMINISTRATIVE
    detected_on = datetime.date(2026, 3, 10)
    people_fined_admin = 2
    fines_total = 3_000_000
    sellers_identified = 1

    @factory.post_generation
    def offences(self, create, extracted, **kwargs):
        if create:
            self.offences.set(extracted if extracted is not None else [OffenceFactory()])
