import datetime

import factory

from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.outreach.models import (
    ActivityAudience,
    ActivityKind,
    CommunicationActivity,
    TargetGroup,
    TargetPopulation,
)


class CommunicationActivityFactory(factory.django.DjangoModelFactory):
    """A session in a residential group on 10/03/2026 reaching 40 residents, unless told otherwise:
    `audiences=[(group, participants), …]`."""

    class Meta:
        model = CommunicationActivity
        skip_postgeneration_save = True

    unit = factory.SubFactory(AdminUnitFactory)
    kind = ActivityKind.GROUP_SESSION
    held_on = datetime.date(2026, 3, 10)
    title = factory.Sequence(lambda n: f"Tuyên truyền phòng, chống mại dâm số {n}")
    materials_count = 0

    @factory.post_generation
    def audiences(self, create, extracted, **kwargs):
        if not create:
            return
        items = extracted if extracted is not None else [(TargetGroup.RESIDENTS, 40)]
        ActivityAudience.objects.bulk_create(
            ActivityAudience(activity=self, target_group=group, participants=participants)
            for group, participants in items
        )
        self.participants_total = sum(p or 0 for _g, p in items)
        CommunicationActivity.objects.filter(pk=self.pk).update(participants_total=self.participants_total)


class TargetPopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetPopulation

    unit = factory.SubFactory(AdminUnitFactory)
    # Distinct years, so one unit can hold several records in a test.
    year = factory.Sequence(lambda n: 2000 + n % 26)
    students = 1000
