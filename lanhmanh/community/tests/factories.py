import datetime

import factory

from lanhmanh.community.models import ActivityKind, ModelActivity, ModelKind, PreventionModel
from lanhmanh.geo.tests.factories import AdminUnitFactory


class PreventionModelFactory(factory.django.DjangoModelFactory):
    """An active club established on 15/01/2024, unless told otherwise."""

    class Meta:
        model = PreventionModel

    unit = factory.SubFactory(AdminUnitFactory)
    name = factory.Sequence(lambda n: f"Câu lạc bộ “Phụ nữ với pháp luật” số {n}")
    kind = ModelKind.CLUB
    established_on = datetime.date(2024, 1, 15)
    members_count = 20


class ModelActivityFactory(factory.django.DjangoModelFactory):
    """A periodic meeting on 10/03/2025 with 18 participants, of a model of the given unit."""

    @classmethod
    def in_unit(cls, unit, **kwargs):
        return cls(prevention_model__unit=unit, **kwargs)

    class Meta:
        model = ModelActivity

    prevention_model = factory.SubFactory(PreventionModelFactory)
    unit = factory.SelfAttribute("prevention_model.unit")
    date = datetime.date(2025, 3, 10)
    kind = ActivityKind.MEETING
    participants_count = 18
    description = "Sinh hoạt định kỳ: phổ biến Pháp lệnh Phòng, chống mại dâm."
