import datetime

import factory

from lanhmanh.budget.models import BudgetAllocation, Expenditure, Purpose, Source
from lanhmanh.geo.tests.factories import AdminUnitFactory

_SOURCES = list(Source.values)
_PURPOSES = list(Purpose.values)


class BudgetAllocationFactory(factory.django.DjangoModelFactory):
    """50 million đồng of the commune budget for communication in 2026, unless told otherwise. Left to itself the
    factory varies the year, then the source, then the purpose, so successive allocations of one unit are distinct
    lines (the registry tests make several)."""

    class Meta:
        model = BudgetAllocation

    unit = factory.SubFactory(AdminUnitFactory)
    year = factory.Sequence(lambda n: 2010 + n % 16)
    source = factory.Sequence(lambda n: _SOURCES[(n // 16) % len(_SOURCES)])
    purpose = factory.Sequence(lambda n: _PURPOSES[(n // (16 * len(_SOURCES))) % len(_PURPOSES)])
    amount = 50_000_000


class ExpenditureFactory(factory.django.DjangoModelFactory):
    """1,5 million đồng of the state budget spent on 10/03/2026 printing leaflets, unless told otherwise."""

    class Meta:
        model = Expenditure

    unit = factory.SubFactory(AdminUnitFactory)
    spent_on = datetime.date(2026, 3, 10)
    source = Source.STATE_BUDGET
    purpose = Purpose.COMMUNICATION
    amount = 1_500_000
    description = "In tờ rơi tuyên truyền phòng, chống mại dâm"
