"""The demo models follow the same rules as models typed in, and give the figures something to show."""

import datetime
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from lanhmanh.community import demo, services
from lanhmanh.community.models import ActivityKind, ModelActivity, ModelStatus, PreventionModel
from lanhmanh.core.management.commands.seed_demo import SeedContext
from lanhmanh.geo import demo as geo_demo
from lanhmanh.geo.models import AdminUnit


@pytest.mark.django_db
def test_demo_models_are_valid_with_a_realistic_log():
    call_command("load_admin_units", stdout=None)
    provinces = list(AdminUnit.objects.filter(code__in=["31", "33"]).order_by("code"))
    communes = [c for p in provinces for c in AdminUnit.objects.filter(parent=p).order_by("code")[:6]]
    ctx = SeedContext("demo", random.Random(2026), provinces, communes, "khong-dung")
    geo_demo.seed(ctx)
    demo.seed(ctx)
    assert "prevention models and clubs" in ctx.log[-1]

    models = list(PreventionModel.objects.select_related("unit", "residential_group", "lead_agency__unit"))
    per_commune = Counter(m.unit_id for m in models)
    assert max(per_commune.values()) <= 3 and len(per_commune) < len(communes) + 1
    assert {m.status for m in models} == {ModelStatus.ACTIVE, ModelStatus.PAUSED, ModelStatus.DISSOLVED}
    assert len({m.kind for m in models}) >= 4
    for model in models:
        model.full_clean()
        assert model.lead_agency is not None and model.history.count() == 1

    activities = list(ModelActivity.objects.select_related("prevention_model"))
    for activity in activities:
        activity.full_clean()
        assert activity.unit_id == activity.prevention_model.unit_id
        assert activity.prevention_model.is_active_on(activity.date)
    today = timezone.localdate()
    assert min(a.date for a in activities) >= today - datetime.timedelta(days=demo.WINDOW_DAYS)
    meetings = Counter(a.prevention_model_id for a in activities if a.kind == ActivityKind.MEETING)
    assert max(meetings.values()) >= 18  # a monthly club over two years

    province = provinces[0]
    start = today - datetime.timedelta(days=181)
    figures = services.model_figures(province, start, today)
    assert figures["active_at_end"] > 0 and figures["meetings"] > 0 and figures["participants"] > 0
    everywhere = services.active_models(AdminUnit.objects.get(code="VN"), today)["total"]
    assert 0 < everywhere < len(models)  # the paused and the dissolved do not count
