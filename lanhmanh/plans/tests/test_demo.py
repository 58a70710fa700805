"""The demo plans follow the rules of plans typed in: the province's modelled on seed 002, a ward's started from it
and localised as seed 003."""

import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from lanhmanh.core.management.commands.seed_demo import SeedContext
from lanhmanh.geo import demo as geo_demo
from lanhmanh.geo.models import AdminUnit
from lanhmanh.plans import demo
from lanhmanh.plans.models import Plan, TaskGroup


@pytest.mark.django_db
def test_demo_plans_are_valid_and_linked(client):
    call_command("load_admin_units", stdout=None)
    provinces = list(AdminUnit.objects.filter(code__in=["31", "33"]).order_by("code"))
    communes = [c for p in provinces for c in AdminUnit.objects.filter(parent=p).order_by("code")[:6]]
    ctx = SeedContext("demo", random.Random(2026), provinces, communes, "khong-dung")
    geo_demo.seed(ctx)
    demo.seed(ctx)
    assert "2 plans" in ctx.log[-1]
    upper = Plan.objects.get(unit__code="31")
    ward = Plan.objects.exclude(pk=upper.pk).get()
    assert upper.year == timezone.localdate().year and upper.status == ward.status == Plan.Status.ISSUED
    assert list(ward.parent_plans.all()) == [upper]
    for plan in (upper, ward):
        plan.full_clean()
        for record in [*plan.targets.all(), *plan.tasks.all(), *plan.sections.all()]:
            record.full_clean()
            assert record.unit_id == plan.unit_id
    codes = {t.indicator: t for t in upper.targets.all()}
    assert codes["INSP_COVERAGE_PCT"].value == Decimal(20) and codes["CASES_CRIMINAL"].kind == "change"
    assert codes["TIPS_ON_TIME_PCT"].value == Decimal(100) and codes["SUPPORT_REACHED_PCT"].value == Decimal(90)
    localised = ward.targets.get(indicator="INSP_COVERAGE_PCT")
    assert localised.value == Decimal(60) and localised.upper_target == codes["INSP_COVERAGE_PCT"]
    assert {t.group for t in upper.tasks.all()} == set(TaskGroup.values)
    assert upper.tasks.filter(lead_agency__name__startswith="Sở Y tế").exists()
    assert ward.tasks.filter(lead_agency__unit=ward.unit).count() == ward.tasks.count()
    assert ward.tasks.filter(updates__isnull=False).exists()

    from lanhmanh.accounts.tests.factories import UserFactory
    from lanhmanh.core.views import object_url

    client.force_login(UserFactory(username="quantri.demo", is_superuser=True, is_staff=True))
    for plan in (upper, ward):
        page = client.get(object_url(plan)).content.decode()
        assert page.count('data-testid="mark"') == plan.targets.count()
        assert "so với cùng kỳ năm trước" in page and "Kinh phí thực hiện" in page
