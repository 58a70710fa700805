"""The demo cases follow the same rules as cases typed in, and give the year-on-year page something to show."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from lanhmanh.enforcement import services
from lanhmanh.enforcement.models import CaseType, EnforcementCase
from lanhmanh.geo.models import AdminUnit


@pytest.mark.django_db
def test_demo_cases_are_valid_records_with_changes_year_on_year(capsys, monkeypatch):
    monkeypatch.setenv("LANHMANH_DEMO_PASSWORD", "demo-khong-dung-that")
    call_command("load_admin_units")
    call_command("seed_demo", "--scale", "demo")
    assert "criminal and" in capsys.readouterr().out

    cases = list(EnforcementCase.objects.select_related(
        "unit", "agency__unit", "business__unit", "origin_tip__unit", "origin_visit__unit",
    ).prefetch_related("offences"))
    assert {c.case_type for c in cases} == {CaseType.CRIMINAL, CaseType.ADMINISTRATIVE}
    assert any(c.origin_visit_id for c in cases)
    for case in cases:
        case.full_clean()
        assert services.offence_errors(case.case_type, case.offences.all(), case.detected_on) == []
        assert case.agency is not None

    today = timezone.localdate()
    province = AdminUnit.objects.get(code="31")
    start = today - datetime.timedelta(days=181)
    rows = {row.key: row for row in services.year_on_year(province, start, today).rows}
    assert rows["criminal_cases"].current > 0 and rows["criminal_cases"].previous > 0
    assert rows["people_arrested"].change_percent is not None
