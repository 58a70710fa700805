"""`script/server` loads the real units and the demo data: every module's demo.py must run and make sense."""

import pytest
from django.core.management import call_command
from django.utils import timezone


@pytest.mark.django_db
def test_demo_data_loads_over_the_real_units(settings, capsys, monkeypatch):
    from lanhmanh.businesses.models import Business
    from lanhmanh.inspections.models import InspectionPlan, InspectionVisit

    monkeypatch.setenv("LANHMANH_DEMO_PASSWORD", "demo-khong-dung-that")
    call_command("load_admin_units")
    call_command("seed_demo", "--scale", "demo")
    out = capsys.readouterr().out
    assert "businesses" in out and "inspection teams" in out
    assert Business.objects.exists()
    assert InspectionPlan.objects.filter(status=InspectionPlan.Status.APPROVED).exists()
    visits = list(InspectionVisit.objects.select_related("session__team__unit", "business__unit"))
    assert visits
    today = timezone.localdate()
    for visit in visits:
        assert visit.business.unit.path.startswith(visit.session.team.unit.path)
        assert visit.visited_on == visit.session.date <= today
