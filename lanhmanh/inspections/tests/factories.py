import datetime

import factory

from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.inspections.models import InspectionPlan, InspectionSession, InspectionVisit, Team, TeamMember


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    unit = factory.SubFactory(AdminUnitFactory)
    name = factory.Sequence(lambda n: f"Đội kiểm tra liên ngành số {n}")
    decision_number = factory.Sequence(lambda n: f"{n}/QĐ-UBND")
    decision_date = datetime.date(2025, 7, 1)


class TeamMemberFactory(factory.django.DjangoModelFactory):
    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(team__unit=unit, **kwargs)

    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    unit = factory.SelfAttribute("team.unit")
    full_name = factory.Sequence(lambda n: f"Thành viên Thử {n}")
    valid_from = datetime.date(2025, 7, 1)


class InspectionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InspectionPlan

    unit = factory.SubFactory(AdminUnitFactory)
    title = factory.Sequence(lambda n: f"Kế hoạch kiểm tra năm 2026 số {n}")
    year = 2026
    coverage_target = 60


class InspectionSessionFactory(factory.django.DjangoModelFactory):
    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(team__unit=unit, **kwargs)

    class Meta:
        model = InspectionSession

    team = factory.SubFactory(TeamFactory)
    unit = factory.SelfAttribute("team.unit")
    date = datetime.date(2026, 3, 10)


class InspectionVisitFactory(factory.django.DjangoModelFactory):
    """A visit to a business of the session team's own unit, unless told otherwise."""

    @classmethod
    def in_unit(cls, unit, **kwargs):
        session = InspectionSessionFactory(team__unit=unit)
        return cls(session=session, business__unit=unit, **kwargs)

    class Meta:
        model = InspectionVisit
        skip_postgeneration_save = True

    session = factory.SubFactory(InspectionSessionFactory)
    business = factory.SubFactory(BusinessFactory, unit=factory.SelfAttribute("..session.team.unit"))
    unit = factory.SelfAttribute("business.unit")

    @factory.post_generation
    def violations(self, create, extracted, **kwargs):
        if create and extracted:
            self.violations.set(extracted)
