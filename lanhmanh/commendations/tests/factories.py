import datetime

import factory

from lanhmanh.commendations.models import AwardForm, Commendation, RecipientKind, Status
from lanhmanh.geo.tests.factories import AdminUnitFactory


class CommendationFactory(factory.django.DjangoModelFactory):
    """A collective proposed on 05/12/2025 for a certificate of the provincial chairman, not yet decided."""

    class Meta:
        model = Commendation

    unit = factory.SubFactory(AdminUnitFactory)
    year = 2025
    recipient_kind = RecipientKind.COLLECTIVE
    recipient_name = factory.Sequence(lambda n: f"Công an phường Thử Nghiệm {n}")
    award_form = AwardForm.CERTIFICATE_PROVINCE
    achievement = "Có thành tích xuất sắc trong công tác phòng, chống mại dâm năm 2025."
    proposed_on = datetime.date(2025, 12, 5)
    status = Status.PROPOSED
