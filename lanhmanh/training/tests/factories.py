import datetime

import factory

from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.training.models import StaffCount, Training, TrainingParticipantGroup, level_of_unit


class TrainingFactory(factory.django.DjangoModelFactory):
    """A commune's one-day course held on 10/03/2026, with no participants recorded unless groups are added
    (TrainingParticipantGroupFactory, or services.training_save to keep the totals)."""

    class Meta:
        model = Training

    unit = factory.SubFactory(AdminUnitFactory)
    title = factory.Sequence(lambda n: f"Tập huấn nghiệp vụ phòng, chống mại dâm lớp {n}")
    level = factory.LazyAttribute(lambda o: level_of_unit(o.unit))
    starts_on = datetime.date(2026, 3, 10)


class TrainingParticipantGroupFactory(factory.django.DjangoModelFactory):
    """20 people of the course's own unit, 5 of them programme staff; the course's totals follow."""

    class Meta:
        model = TrainingParticipantGroup

    training = factory.SubFactory(TrainingFactory)
    participant_unit = factory.LazyAttribute(lambda o: o.agency.unit if o.agency else o.training.unit)
    agency = None
    participants = 20
    programme_staff = 5

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        group = super()._create(model_class, *args, **kwargs)
        from lanhmanh.training.services import refresh_totals

        refresh_totals(group.training)
        return group


class StaffCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffCount

    unit = factory.SubFactory(AdminUnitFactory)
    # Distinct years, so several counts of one unit can be made (unique per unit and year).
    year = factory.Sequence(lambda n: 2026 - n % 26)
    staff = 10
