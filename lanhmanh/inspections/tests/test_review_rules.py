"""Rules found missing in review: changed sessions and plans keep their visits and items valid, coverage stays
in the user's inspection scope, visits go only to sessions the user may record for."""

import datetime

from django.urls import reverse

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.forms import MoneyField
from lanhmanh.inspections import services
from lanhmanh.inspections.models import InspectionPlan
from lanhmanh.inspections.tests.factories import (
    InspectionPlanFactory,
    InspectionSessionFactory,
    InspectionVisitFactory,
)

JSON = "application/json"
D = datetime.date


def test_moving_a_session_date_must_keep_its_visits_valid(client, people, team_a):
    business = BusinessFactory(unit=people.commune_a, name="Karaoke Sao Mai", opened_on=D(2026, 3, 1))
    visit = InspectionVisitFactory(session__team=team_a, session__date=D(2026, 3, 10), business=business)
    session = visit.session
    client.force_login(people.officer_a)
    page = client.post(reverse("inspections:inspectionsession_edit", args=[session.pk]), {
        "team": team_a.pk, "date": "01/02/2026", "kind": "planned", "expected_version": session.version,
    }).content.decode()
    assert "Karaoke Sao Mai: Ngày kiểm tra 01/02/2026 trước ngày cơ sở bắt đầu hoạt động (01/03/2026)." in page
    response = client.patch(f"/api/inspection-sessions/{session.pk}/", {"date": "2026-02-01",
                                                                      "version": session.version}, content_type=JSON)
    assert response.status_code == 400
    visit.refresh_from_db()
    assert visit.visited_on == D(2026, 3, 10)
    ok = client.patch(f"/api/inspection-sessions/{session.pk}/", {"date": "2026-03-12", "version": session.version},
                      content_type=JSON)
    assert ok.status_code == 200
    visit.refresh_from_db()
    assert visit.visited_on == D(2026, 3, 12)


def test_an_approved_plan_is_not_edited_in_the_browser(client, people):
    plan = InspectionPlanFactory(unit=people.commune_a, year=2026, status=InspectionPlan.Status.APPROVED)
    client.force_login(people.officer_a)
    assert reverse("inspections:inspectionplan_edit", args=[plan.pk]) not in client.get(
        plan.get_absolute_url()).content.decode()
    page = client.post(reverse("inspections:inspectionplan_edit", args=[plan.pk]), {
        "unit": people.commune_a.pk, "title": plan.title, "year": 2025, "coverage_target": 10,
        "expected_version": plan.version}).content.decode()
    assert "Kế hoạch đã được phê duyệt, không thể sửa." in page
    plan.refresh_from_db()
    assert (plan.year, plan.coverage_target) == (2026, 60)


def test_a_plan_with_businesses_cannot_move_to_another_unit(client, people):
    BusinessFactory(unit=people.commune_a)
    plan = InspectionPlanFactory(unit=people.commune_a, year=2026)
    services.propose_plan(plan)
    client.force_login(people.province_officer)
    response = client.patch(f"/api/inspection-plans/{plan.pk}/", {"unit": people.commune_b.code,
                                                                  "version": plan.version}, content_type=JSON)
    assert response.status_code == 400 and "Kế hoạch đã có cơ sở ngoài địa bàn này" in response.json()["unit"][0]


def test_coverage_is_limited_to_where_the_user_sees_inspections(client, people):
    both = UserFactory(username="kiemtra.quantri", roles=[(people.commune_a, Role.INSPECTOR),
                                                          (people.province, Role.ADMINISTRATOR)])
    client.force_login(both)
    assert client.get("/api/inspection-coverage/", {"unit": people.province.pk}).status_code == 400
    body = client.get("/api/inspection-coverage/").json()
    assert body["unit"] == people.commune_a.code  # the default is the unit where they inspect


def test_visits_go_only_to_sessions_the_user_may_record_for(client, people, province_team, team_a):
    user = UserFactory(username="kiemtra.lanhdao", roles=[(people.commune_a, Role.INSPECTOR),
                                                          (people.province, Role.APPROVER)])
    business = BusinessFactory(unit=people.commune_a)
    province_session = InspectionSessionFactory(team=province_team)
    client.force_login(user)
    refused = client.post("/api/inspection-visits/", {"session": province_session.pk, "business": business.pk},
                          content_type=JSON)
    assert refused.status_code == 400 and "session" in refused.json()
    own = InspectionSessionFactory(team=team_a)
    assert client.post("/api/inspection-visits/", {"session": own.pk, "business": business.pk},
                       content_type=JSON).status_code == 201


def test_a_session_carries_out_only_a_plan_of_its_area(client, people, team_a):
    plan_b = InspectionPlanFactory(unit=people.commune_b, year=2026, status=InspectionPlan.Status.APPROVED)
    client.force_login(people.province_officer)
    response = client.post("/api/inspection-sessions/", {"team": team_a.pk, "date": "2026-03-10",
                                                         "plan": plan_b.pk}, content_type=JSON)
    assert response.json()["plan"] == ["Kế hoạch này không thuộc địa bàn của đội."]


def test_team_page_lists_its_latest_sessions(client, people, team_a):
    for day in range(1, 13):
        InspectionSessionFactory(team=team_a, date=D(2026, 1, day))
    InspectionSessionFactory(team=team_a, date=D(2025, 8, 1))
    client.force_login(people.officer_a)
    page = client.get(team_a.get_absolute_url()).content.decode()
    assert "12/01/2026" in page and "01/08/2025" not in page


def test_ranking_works_on_a_leap_day(people):
    BusinessFactory(unit=people.commune_a)
    assert len(services.rank_businesses(people.commune_a, on=D(2028, 2, 29))) == 1


def test_amounts_are_read_as_officers_write_them():
    field = MoneyField(required=False)
    for text in ("1.500.000", "1 500 000", "1500000 đ", "1.500.000 VNĐ", "1,500,000 đồng"):
        assert field.clean(text) == 1_500_000
