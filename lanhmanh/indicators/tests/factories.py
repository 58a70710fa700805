import factory

from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.indicators.models import AggregateDeclaration, AggregateValue


class AggregateDeclarationFactory(factory.django.DjangoModelFactory):
    """A commune reporting its inspections as aggregates, unless told otherwise. Give `year`: the default only keeps
    many declarations of one unit apart."""

    class Meta:
        model = AggregateDeclaration

    unit = factory.SubFactory(AdminUnitFactory)
    module = "inspections"
    year = factory.Sequence(lambda n: 2000 + n % 100)


class AggregateValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AggregateValue

    declaration = factory.SubFactory(AggregateDeclarationFactory)
    measure = "inspections.visits"
    month = 1
    value = 0
