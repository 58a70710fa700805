"""Coverage figures against a hand-counted half-year (the shape of seed 004's report)."""

import datetime

import pytest
from django.urls import reverse

from lanhmanh.businesses.models import Business
from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.inspections import services
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, InspectionVisitFactory

START, END = datetime.date(2026, 1, 1), datetime.date(2026, 6, 30)
D = datetime.date


@pytest.fixture
def half_year(people, team_a, province_team, violation_types):
    """Commune A: five businesses under management (one never visited), one closed, one not managed.
    Commune B: two under management. Visits by A's team and by the province team, one outside the period."""
    a = people.commune_a
    biz = {n: BusinessFactory(unit=a, name=f"Cơ sở A{n}") for n in range(1, 6)}
    biz["closed"] = BusinessFactory(unit=a, status=Business.Status.CLOSED, status_since=D(2025, 12, 1))
    biz["unmanaged"] = BusinessFactory(unit=a, subject_to_management=False)
    biz["b5"] = BusinessFactory(unit=people.commune_b, name="Cơ sở B5")
    biz["b7"] = BusinessFactory(unit=people.commune_b, name="Cơ sở B7")
    residence, harbouring = violation_types["nd144-residence"], violation_types["nd144-harbouring"]

    s1 = InspectionSessionFactory(team=team_a, date=D(2026, 2, 10))
    InspectionVisitFactory(session=s1, business=biz[1], outcome="reminder")
    InspectionVisitFactory(session=s1, business=biz[2])
    s2 = InspectionSessionFactory(team=team_a, date=D(2026, 3, 15), kind="joint_police")
    InspectionVisitFactory(session=s2, business=biz[1], outcome="violation", violations=[harbouring, residence],
                           fine_amount=10_000_000, sanction_stage="applied", sanction_authority="Chủ tịch UBND",
                           sanction_decision_number="1/QĐ-XPHC", sanction_decision_date=D(2026, 3, 20))
    InspectionVisitFactory(session=s2, business=biz[3], outcome="violation", violations=[residence],
                           fine_amount=5_000_000, sanction_stage="proposed", sanction_authority="Chủ tịch UBND",
                           suspended_from=D(2026, 3, 16), suspended_until=D(2026, 4, 16),
                           suspension_reason="prostitution")
    s3 = InspectionSessionFactory(team=team_a, date=D(2026, 7, 2))  # after the period
    InspectionVisitFactory(session=s3, business=biz[4])
    s4 = InspectionSessionFactory(team=province_team, date=D(2026, 4, 1))
    InspectionVisitFactory(session=s4, business=biz["b5"], outcome="reminder", follow_up_due=D(2026, 5, 1))
    asked = InspectionVisitFactory(session=s4, business=biz[2], follow_up_due=D(2026, 6, 1))
    s5 = InspectionSessionFactory(team=team_a, date=D(2026, 5, 20), kind="follow_up")
    InspectionVisitFactory(session=s5, business=biz[2], follow_up_of=asked)
    return biz


def test_commune_figures_match_the_hand_count(people, half_year, violation_types):
    figures = services.coverage(people.commune_a, START, END)
    assert (figures.sessions, figures.visits, figures.businesses_visited) == (4, 6, 3)
    assert (figures.managed, figures.managed_visited, figures.coverage_percent) == (5, 3, 60.0)
    assert (figures.reminders, figures.violation_visits) == (1, 2)
    assert (figures.fines, figures.fines_total, figures.fines_proposed) == (1, 10_000_000, 1)
    assert (figures.suspensions, figures.licence_withdrawals) == (1, 0)
    assert (figures.open_follow_ups, figures.overdue_follow_ups) == (0, 0)
    by_type = {t.code: n for t, n in figures.violations_by_type}
    assert by_type == {"nd144-residence": 2, "nd144-harbouring": 1}


def test_province_figures_add_up_its_communes(people, half_year):
    figures = services.coverage(people.province, START, END)
    assert (figures.sessions, figures.visits, figures.businesses_visited) == (4, 7, 4)
    assert (figures.managed, figures.managed_visited, figures.coverage_percent) == (7, 4, 57.1)
    assert (figures.reminders, figures.open_follow_ups, figures.overdue_follow_ups) == (2, 1, 1)
    commune_b = services.coverage(people.commune_b, START, END)
    assert (commune_b.sessions, commune_b.visits, commune_b.managed, commune_b.coverage_percent) == (1, 1, 2, 50.0)
    rows = {row.unit.code: row for row in services.coverage_by_child(people.province, START, END)}
    assert (rows["11311"].visits, rows["11311"].businesses_visited, rows["11311"].managed) == (6, 3, 5)
    assert (rows["11329"].visits, rows["11329"].coverage_percent) == (1, 50.0)


def test_coverage_page_and_api_show_the_same_figures(client, people, half_year):
    client.force_login(people.province_officer)
    query = {"unit": people.commune_a.pk, "start": "01/01/2026", "end": "30/06/2026"}
    page = client.get(reverse("inspections:coverage"), query).content.decode()
    assert 'data-figure="coverage">3 / 5 (60,0%)' in page
    assert 'data-figure="fines">1 · 10.000.000 đ' in page
    assert "Điều 9 Nghị định 144/2021/NĐ-CP" in page
    body = client.get("/api/inspection-coverage/", query).json()
    assert body["visits"] == 6 and body["coverage_percent"] == 60.0 and body["fines_total"] == 10_000_000
    assert {"code": "nd144-harbouring", "name": half_year[1].inspection_visits.filter(outcome="violation").get()
            .violations.get(code="nd144-harbouring").name, "count": 1} in body["violations_by_type"]


def test_a_commune_cannot_read_another_communes_figures(client, people, half_year):
    client.force_login(people.officer_a)
    response = client.get("/api/inspection-coverage/", {"unit": people.commune_b.pk})
    assert response.status_code == 400 and "unit" in response.json()
    page = client.get(reverse("inspections:coverage"), {"unit": people.province.pk}).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page and 'data-testid="figures"' not in page


def test_coverage_page_queries_do_not_grow_with_visits(client, people, half_year, team_a):
    from lanhmanh.core.testing import count_queries

    client.force_login(people.province_officer)
    url = reverse("inspections:coverage")
    query = {"unit": people.province.pk, "start": "01/01/2026", "end": "30/06/2026"}
    client.get(url, query)
    few = count_queries(lambda: client.get(url, query))
    session = InspectionSessionFactory(team=team_a, date=D(2026, 6, 1))
    for _n in range(5):
        InspectionVisitFactory(session=session, business=BusinessFactory(unit=people.commune_a), outcome="reminder")
    assert count_queries(lambda: client.get(url, query)) == few
