"""The demo courses and staff counts follow the rules of records typed in, and give the staff-trained page both
figures and "no data"."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from lanhmanh.geo.models import AdminUnit
from lanhmanh.training import services
from lanhmanh.training.models import StaffCount, Training, TrainingLevel


@pytest.mark.django_db
def test_demo_courses_are_valid_and_the_staff_trained_page_has_figures_and_gaps(capsys, monkeypatch):
    monkeypatch.setenv("LANHMANH_DEMO_PASSWORD", "demo-khong-dung-that")
    call_command("load_admin_units")
    call_command("seed_demo", "--scale", "demo")
    assert "training courses" in capsys.readouterr().out

    trainings = list(
        Training.objects.select_related("unit", "organiser__unit").prefetch_related(
            "participant_groups__agency__unit", "participant_groups__participant_unit", "participant_groups__training"
        )
    )
    assert {t.level for t in trainings} == {TrainingLevel.PROVINCE, TrainingLevel.COMMUNE}
    for training in trainings:
        training.full_clean()
        groups = list(training.participant_groups.all())
        assert training.participants_total == sum(g.participants for g in groups) > 0
        assert training.programme_staff_total == sum(g.programme_staff for g in groups)
        for group in groups:
            group.full_clean()
    for count in StaffCount.objects.select_related("unit"):
        count.full_clean()

    year = timezone.localdate().year - 1  # a whole year of courses
    province = AdminUnit.objects.get(code="31")
    report = services.staff_trained_report(province, year)
    assert report.province.percent is not None and 10 <= report.province.percent <= 80
    assert report.commune.percent is not None and report.commune.partial
    children = {row.key: row for row in report.children}
    assert any(row.percent is None and row.trained_all > 0 for row in children.values())  # trained, no count
    figures = services.training_figures(province, *services.year_bounds(year))
    assert figures.province.courses >= 2 and figures.commune.courses >= 1
