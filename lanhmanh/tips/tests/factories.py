import datetime

import factory
from django.utils import timezone

from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.tips.models import Tip, TipKind


class TipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tip

    unit = factory.SubFactory(AdminUnitFactory)
    channel = Tip.Channel.HOTLINE
    kind = TipKind.CRIME
    received_at = factory.LazyFunction(lambda: timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0)))
    content = factory.Sequence(lambda n: f"Phản ánh số {n}: nghi có hoạt động mua bán dâm tại quán karaoke.")
