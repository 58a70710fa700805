"""The demo activities and populations follow the same rules as records typed in, and give the summary page both
figures and "no data" to show."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from lanhmanh.geo.models import AdminUnit
from lanhmanh.outreach import services
from lanhmanh.outreach.models import ActivityKind, CommunicationActivity, TargetGroup, TargetPopulation


@pytest.mark.django_db
def test_demo_activities_are_valid_records_and_the_summary_has_figures_and_gaps(capsys, monkeypatch):
    monkeypatch.setenv("LANHMANH_DEMO_PASSWORD", "demo-khong-dung-that")
    call_command("load_admin_units")
    call_command("seed_demo", "--scale", "demo")
    assert "communication activities" in capsys.readouterr().out

    activities = list(
        CommunicationActivity.objects.select_related("unit", "residential_group", "organiser__unit").prefetch_related(
            "audiences"
        )
    )
    assert {a.kind for a in activities} == set(ActivityKind.values) - {ActivityKind.OTHER}
    for activity in activities:
        activity.full_clean()
        assert activity.participants_total == sum(a.participants or 0 for a in activity.audiences.all())
        assert services.audience_errors([(a.target_group, a.participants) for a in activity.audiences.all()]) == []
    for population in TargetPopulation.objects.select_related("unit"):
        population.full_clean()

    year = timezone.localdate().year
    province = AdminUnit.objects.get(code="31")
    summary = services.outreach_summary(province, year)
    assert summary.figures.activities > 0 and summary.figures.materials >= 10_000
    assert summary.reach[TargetGroup.STUDENTS].percent is not None
    assert not summary.reach[TargetGroup.STUDENTS].complete  # some communes recorded nothing
    detailed = [row for row in summary.children if row.figures.activities]
    assert any(row.reach[TargetGroup.STUDENTS].percent is None for row in detailed)
    assert all(row.communes.with_activity == 1 for row in detailed)
    assert summary.residential_groups.percent is not None
