import datetime

import factory

from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.reporting.models import Report, ReportType


class ReportTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportType
        django_get_or_create = ("code",)

    code = "programme-half"
    name = "Báo cáo 6 tháng công tác phòng, chống mại dâm"
    period_rule = "half"
    submitting_levels = factory.LazyFunction(lambda: [1, 3])


class ReportFactory(factory.django.DjangoModelFactory):
    """The 2026 six-month report (cut-off window 15/12/2025–14/06/2026, due 15/06/2026) of a unit; further ones of
    the same unit start a day earlier each (ad-hoc periods), so many fit in one unit."""

    class Meta:
        model = Report

    unit = factory.SubFactory(AdminUnitFactory)
    report_type = factory.SubFactory(ReportTypeFactory)
    year = 2026
    period_start = factory.Sequence(lambda n: datetime.date(2025, 12, 15) - datetime.timedelta(days=n))
    period_end = datetime.date(2026, 6, 14)
    period_label = "6 tháng đầu năm 2026 (chốt số liệu)"
    deadline = datetime.date(2026, 6, 15)
