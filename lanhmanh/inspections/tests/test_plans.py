"""The risk-ranked plan proposal: its order, its coverage arithmetic, adjusting, approving and progress."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lanhmanh.businesses.models import Business
from lanhmanh.businesses.tests.factories import BusinessFactory, BusinessTypeFactory, CommitmentFactory
from lanhmanh.inspections import services
from lanhmanh.inspections.models import InspectionPlan
from lanhmanh.inspections.tests.factories import InspectionPlanFactory, InspectionVisitFactory, TeamFactory

TODAY = timezone.localdate()


def _days_ago(n):
    return TODAY - datetime.timedelta(days=n)


@pytest.fixture
def registry(people, violation_types):
    """Four businesses under management in commune A, scored by hand:
    high   never visited (+3), no commitment (+2), high risk (+4)             = 9
    quiet  visited 400 days ago (+2), no commitment (+2), suggested low (0)    = 4
    medium visited 200 days ago (+1), valid commitment, medium risk (+2)       = 3
    fined  violation 30 days ago (+2), valid commitment, low risk (0)          = 2
    plus one closed, one not under management, one in commune B: never proposed."""
    team = TeamFactory(unit=people.commune_a, decision_date=datetime.date(2020, 1, 1))
    plain = BusinessTypeFactory(code="test-plain", name="Loại thử", group="Thử", risk_points=0)
    biz = {
        "high": BusinessFactory(unit=people.commune_a, name="Massage Ánh Dương", risk_level="high",
                                business_type=plain),
        "quiet": BusinessFactory(unit=people.commune_a, name="Nhà nghỉ Tâm An", business_type=plain),
        "medium": BusinessFactory(unit=people.commune_a, name="Karaoke Phú Quý", risk_level="medium",
                                  business_type=plain),
        "fined": BusinessFactory(unit=people.commune_a, name="Bar Mai Vàng", risk_level="low", business_type=plain),
    }
    BusinessFactory(unit=people.commune_a, status=Business.Status.CLOSED, status_since=_days_ago(10))
    BusinessFactory(unit=people.commune_a, subject_to_management=False)
    BusinessFactory(unit=people.commune_b)
    for name in ("medium", "fined"):
        CommitmentFactory(business=biz[name], signed_on=_days_ago(10), valid_until=TODAY + datetime.timedelta(days=90))
    InspectionVisitFactory(session__team=team, session__date=_days_ago(400), business=biz["quiet"])
    InspectionVisitFactory(session__team=team, session__date=_days_ago(200), business=biz["medium"])
    InspectionVisitFactory(session__team=team, session__date=_days_ago(30), business=biz["fined"],
                           outcome="violation", violations=[violation_types["nd144-residence"]])
    biz["team"] = team
    return biz


def test_ranking_follows_risk_time_since_visit_violations_and_commitment(people, registry):
    ranked = services.rank_businesses(people.commune_a)
    assert [(c.business.name, c.score) for c in ranked] == [
        ("Massage Ánh Dương", 9), ("Nhà nghỉ Tâm An", 4), ("Karaoke Phú Quý", 3), ("Bar Mai Vàng", 2)]
    high = ranked[0].reasons
    assert "Chưa được kiểm tra lần nào" in high and "Chưa có bản cam kết còn hiệu lực" in high
    assert "1 lượt phát hiện vi phạm trong 3 năm" in ranked[3].reasons
    assert "Mức độ rủi ro gợi ý: Thấp" in ranked[1].reasons


@pytest.mark.parametrize(("target", "managed", "needed"), [(60, 4, 3), (60, 72, 44), (20, 5, 1), (100, 7, 7),
                                                           (60, 0, 0)])
def test_businesses_needed_rounds_up(target, managed, needed):
    assert services.businesses_needed(target, managed) == needed


def test_officer_proposes_adjusts_and_approves_a_plan(client, people, registry):
    client.force_login(people.officer_a)
    response = client.post(reverse("inspections:inspectionplan_add"), {
        "unit": people.commune_a.pk, "title": "Kế hoạch kiểm tra năm nay", "year": TODAY.year,
        "coverage_target": 60})
    plan = InspectionPlan.objects.get()
    assert response["Location"] == plan.get_absolute_url()
    client.post(reverse("inspections:inspectionplan_propose", args=[plan.pk]))
    assert [i.business.name for i in plan.items.order_by("rank")] == [
        "Massage Ánh Dương", "Nhà nghỉ Tâm An", "Karaoke Phú Quý"]
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Cần kiểm tra để đạt 60%" in page and "3 (đạt 75,0% số cơ sở)" in page

    quiet = plan.items.get(business=registry["quiet"])
    client.post(reverse("inspections:inspectionplan_adjust", args=[plan.pk]), {"remove": [quiet.pk]})
    client.post(reverse("inspections:inspectionplan_adjust", args=[plan.pk]), {"business": registry["fined"].pk})
    assert set(plan.items.values_list("business__name", flat=True)) == {
        "Massage Ánh Dương", "Karaoke Phú Quý", "Bar Mai Vàng"}
    assert plan.items.get(business=registry["fined"]).added_by_hand
    # Proposing again keeps what the officer added and refills the rest by rank.
    client.post(reverse("inspections:inspectionplan_propose", args=[plan.pk]))
    assert set(plan.items.values_list("business__name", flat=True)) == {
        "Bar Mai Vàng", "Massage Ánh Dương", "Nhà nghỉ Tâm An"}

    elsewhere = BusinessFactory(unit=people.commune_b)
    client.post(reverse("inspections:inspectionplan_adjust", args=[plan.pk]), {"business": elsewhere.pk})
    assert not plan.items.filter(business=elsewhere).exists()

    client.post(reverse("inspections:inspectionplan_approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.is_approved and plan.approved_by == people.officer_a and plan.approved_on == TODAY
    response = client.post(reverse("inspections:inspectionplan_propose", args=[plan.pk]), follow=True)
    assert "Kế hoạch đã được phê duyệt, không thể thay đổi danh sách cơ sở." in response.content.decode()
    assert "<del>Dự thảo</del> → Đã phê duyệt" in client.get(plan.get_absolute_url()).content.decode()  # history


def test_progress_counts_visits_in_the_plan_period(people, registry):
    plan = InspectionPlanFactory(unit=people.commune_a, year=TODAY.year, coverage_target=60)
    services.propose_plan(plan)
    InspectionVisitFactory(session__team=registry["team"], session__date=TODAY, business=registry["high"])
    progress = services.plan_progress(plan)
    assert (progress.managed, progress.needed, progress.planned) == (4, 3, 3)
    # Planned: high (visited today), quiet (400 days ago), medium (200 days ago: this year unless it is spring).
    planned_visited = 1 + (_days_ago(200).year == TODAY.year)
    assert progress.planned_visited == planned_visited
    assert progress.progress_percent == round(100 * planned_visited / 3, 1)
    assert progress.managed_visited == planned_visited + (_days_ago(30).year == TODAY.year)


def test_inspectors_cannot_approve_but_leaders_can(client, people, registry, inspector_a, approver):
    plan = InspectionPlanFactory(unit=people.commune_a, year=TODAY.year)
    services.propose_plan(plan)
    client.force_login(inspector_a)
    assert client.post(reverse("inspections:inspectionplan_approve", args=[plan.pk])).status_code == 403
    client.force_login(approver)
    response = client.post(f"/api/inspection-plans/{plan.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assert client.post(f"/api/inspection-plans/{plan.pk}/propose/").status_code == 403  # approvers do not edit


def test_an_approved_plan_is_executed_by_sessions_in_its_period(client, people, registry):
    plan = InspectionPlanFactory(unit=people.commune_a, year=TODAY.year, quarter=None)
    client.force_login(people.officer_a)
    data = {"team": registry["team"].pk, "date": TODAY.strftime("%d/%m/%Y"), "kind": "planned", "plan": plan.pk}
    page = client.post(reverse("inspections:inspectionsession_add"), data).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page  # a draft plan is not offered
    services.propose_plan(plan)
    services.approve_plan(plan, user=people.officer_a)
    assert client.post(reverse("inspections:inspectionsession_add"), data).status_code == 302
    last_year = {**data, "date": f"15/06/{TODAY.year - 1}"}
    page = client.post(reverse("inspections:inspectionsession_add"), last_year).content.decode()
    assert "Ngày kiểm tra nằm ngoài kỳ của kế hoạch" in page


def test_plan_api_proposes_adjusts_and_reports_progress(client, people, registry):
    client.force_login(people.officer_a)
    created = client.post("/api/inspection-plans/", {
        "unit": people.commune_a.code, "title": "Kế hoạch quý", "year": TODAY.year,
        "quarter": (TODAY.month - 1) // 3 + 1, "coverage_target": 50}, content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    items = client.post(f"/api/inspection-plans/{pk}/propose/").json()
    assert [i["business_name"] for i in items] == ["Massage Ánh Dương", "Nhà nghỉ Tâm An"]
    assert "Chưa được kiểm tra lần nào" in items[0]["reasons"]
    items = client.post(f"/api/inspection-plans/{pk}/adjust/", {"add": [registry["fined"].pk]},
                        content_type="application/json").json()
    assert len(items) == 3
    outside = BusinessFactory(unit=people.commune_b)
    refused = client.post(f"/api/inspection-plans/{pk}/adjust/", {"add": [outside.pk]},
                          content_type="application/json")
    assert refused.status_code == 400 and "thuộc diện quản lý" in refused.json()["add"][0]
    progress = client.get(f"/api/inspection-plans/{pk}/progress/").json()
    assert progress["managed"] == 4 and progress["needed"] == 2 and progress["planned"] == 3
    assert progress["reach_percent"] == 75.0
