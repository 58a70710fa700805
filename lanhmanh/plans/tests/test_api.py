"""The API: plans with the issue and start-from actions, targets with their progress, tasks, progress reports; scoped,
permission-checked, 409 on a stale version."""

import datetime

import pytest

from lanhmanh.plans.models import Plan, Target, Task, TaskStatus, TaskUpdate
from lanhmanh.plans.tests.factories import PlanFactory, TargetFactory, TaskFactory

D = datetime.date


@pytest.fixture
def upper(people):
    plan = PlanFactory(unit=people.province, number="35", issued_on=D(2026, 1, 15), status=Plan.Status.ISSUED)
    TargetFactory(plan=plan, value=20)
    TaskFactory(plan=plan)
    return plan


def test_plans_are_scoped_and_upper_issued_plans_are_read(client, people, upper):
    mine = PlanFactory(unit=people.commune_a)
    theirs = PlanFactory(unit=people.commune_b)
    client.force_login(people.officer_a)
    ids = {row["id"] for row in client.get("/api/plans/").json()["results"]}
    assert ids == {mine.pk, upper.pk}
    assert client.get(f"/api/plans/{theirs.pk}/").status_code == 404
    # Reading the province's plan is not changing it.
    response = client.patch(f"/api/plans/{upper.pk}/", {"title": "Sửa", "version": 1}, content_type="application/json")
    assert response.status_code == 404


def test_start_from_creates_the_lower_draft(client, people, upper):
    client.force_login(people.officer_a)
    response = client.post(f"/api/plans/{upper.pk}/start-from/", {"unit": people.commune_a.code},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"] == people.commune_a.code and body["status"] == "draft" and body["parent_plans"] == [upper.pk]
    plan = Plan.objects.get(pk=body["id"])
    assert plan.targets.get().upper_target == upper.targets.get()
    again = client.post(f"/api/plans/{upper.pk}/start-from/", {"unit": people.commune_a.code},
                        content_type="application/json")
    assert again.status_code == 400
    refused = client.post(f"/api/plans/{upper.pk}/start-from/", {"unit": people.commune_b.code},
                          content_type="application/json")
    assert refused.status_code == 403


def test_issue_needs_the_approver_and_the_current_version(client, people, approver):
    plan = PlanFactory(unit=people.commune_a)
    payload = {"number": "12", "issued_on": "2026-02-01", "version": 1}
    client.force_login(people.officer_a)
    assert client.post(f"/api/plans/{plan.pk}/issue/", payload, content_type="application/json").status_code == 403
    client.force_login(approver)
    plan.title = "Đã sửa"
    plan.version = 2
    plan.save()
    stale = client.post(f"/api/plans/{plan.pk}/issue/", payload, content_type="application/json")
    assert stale.status_code == 409
    response = client.post(f"/api/plans/{plan.pk}/issue/", {**payload, "version": 2},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "issued"
    assert response.json()["reference"] == "12/KH-UBND"


def test_a_stale_edit_of_a_target_is_a_conflict(client, people):
    target = TargetFactory(plan__unit=people.commune_a)
    client.force_login(people.officer_a)
    url = f"/api/plan-targets/{target.pk}/"
    ok = client.patch(url, {"value": "65", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["goal"] == "≥ 65%"
    assert client.patch(url, {"value": "70", "version": 1}, content_type="application/json").status_code == 409
    assert Target.objects.get(pk=target.pk).value == 65
    bad = client.patch(url, {"value": "170", "version": 2}, content_type="application/json")
    assert bad.status_code == 400 and "Tỷ lệ phải từ 0 đến 100%." in bad.content.decode()


def test_a_plans_targets_carry_their_progress(client, people):
    plan = PlanFactory(unit=people.commune_a)
    TargetFactory(plan=plan)
    TargetFactory(plan=plan, indicator="", value=None, text="Không để phát sinh tụ điểm", assessment="achieved")
    client.force_login(people.officer_a)
    rows = client.get("/api/plan-targets/", {"plan": plan.pk}).json()["results"]
    assert [row["progress"]["mark"] for row in rows] == ["no_data", "on_track"]  # self-assessed, year not over
    assert set(rows[0]["progress"]) >= {"mark", "actual", "expected"}
    assert rows[0]["progress"]["expected"] == 60.0


def test_targets_are_added_to_own_plans_only(client, people, upper):
    client.force_login(people.officer_a)
    response = client.post("/api/plan-targets/", {"plan": upper.pk, "text": "Chỉ tiêu", "indicator": "",
                                                  "comparison": "gte", "kind": "value"},
                           content_type="application/json")
    assert response.status_code == 400
    mine = PlanFactory(unit=people.commune_a)
    response = client.post("/api/plan-targets/", {"plan": mine.pk, "text": "Chỉ tiêu", "indicator": "BUS_MANAGED",
                                                  "comparison": "gte", "kind": "value", "value": "30"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["unit"] == people.commune_a.code


def test_a_task_update_moves_the_task_and_conflicts_when_stale(client, people, agencies):
    task = TaskFactory(plan__unit=people.commune_a, lead_agency=agencies["police_a"])
    client.force_login(people.officer_a)
    payload = {"task": task.pk, "on": "2026-03-10", "progress": 30, "status": "in_progress", "note": "Đã làm",
               "task_version": 1}
    response = client.post("/api/plan-task-updates/", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    task.refresh_from_db()
    assert (task.progress, task.status, task.version) == (30, TaskStatus.IN_PROGRESS, 2)
    assert client.post("/api/plan-task-updates/", payload, content_type="application/json").status_code == 409
    assert TaskUpdate.objects.count() == 1
    row = client.get(f"/api/plan-tasks/{task.pk}/").json()
    assert row["progress"] == 30 and row["lead_agency"] == agencies["police_a"].pk and row["overdue"] is False
    client.force_login(people.officer_b)
    other = {**payload, "task_version": 2}
    assert client.post("/api/plan-task-updates/", other, content_type="application/json").status_code == 400


def test_tasks_are_created_with_agencies_of_the_users_scope(client, people, agencies):
    plan = PlanFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    response = client.post("/api/plan-tasks/", {
        "plan": plan.pk, "group": "inspection", "title": "Kiểm tra định kỳ", "lead_agency": agencies["police_a"].pk,
        "cooperating_agencies": [agencies["culture_a"].pk], "recurrence": "quarterly"},
        content_type="application/json")
    assert response.status_code == 201, response.content
    assert Task.objects.get(pk=response.json()["id"]).cooperating_agencies.get() == agencies["culture_a"]
    foreign = client.post("/api/plan-tasks/", {"plan": plan.pk, "group": "inspection", "title": "Sai",
                                               "lead_agency": agencies["police_b"].pk},
                          content_type="application/json")
    assert foreign.status_code == 400


def test_targets_carry_no_figures_outside_the_users_figures_scope(client, people, upper):
    """Progress is measured only where the user may see the plan's unit's figures: elsewhere the engine would narrow
    them to the user's own and report those as the plan's."""
    from unittest import mock

    client.force_login(people.officer_a)
    assert client.get("/api/plan-targets/", {"plan": upper.pk}).json()["results"] == []  # not the commune's
    client.force_login(people.province_officer)
    rows = client.get("/api/plan-targets/", {"plan": upper.pk}).json()["results"]
    assert rows[0]["progress"]["mark"] and rows[0]["progress_note"] == ""
    # A reader of the city's plan whose figures reach only ward A.
    with mock.patch("lanhmanh.indicators.engine.figures_scope", return_value=[people.commune_a.path]):
        rows = client.get("/api/plan-targets/", {"plan": upper.pk}).json()["results"]
        assert [row["progress"] for row in rows] == [None]
        assert rows[0]["progress_note"] == "Số liệu thực hiện của đơn vị cấp trên không thuộc phạm vi của bạn."
        assert rows[0]["goal"] == "≥ 20%"
        one = client.get(f"/api/plan-targets/{rows[0]['id']}/").json()
        assert one["progress"] is None and one["progress_note"]


def test_an_agency_lists_the_upper_tasks_assigned_to_it_read_only(client, people, agencies, upper):
    from lanhmanh.accounts.models import Membership
    from lanhmanh.accounts.roles import Role
    from lanhmanh.accounts.tests.factories import UserFactory

    led = TaskFactory(plan=upper, title="Công an phường chủ trì", lead_agency=agencies["police_a"])
    helped = TaskFactory(plan=upper, title="Công an phường phối hợp", lead_agency=agencies["province_health"])
    helped.cooperating_agencies.set([agencies["police_a"]])
    police = UserFactory(username="congan.api", roles=[])
    Membership.objects.create(user=police, unit=people.commune_a, role=Role.PROGRAMME_OFFICER,
                              agency=agencies["police_a"])
    client.force_login(police)
    ids = {row["id"] for row in client.get("/api/plan-tasks/").json()["results"]}
    assert ids == {led.pk, helped.pk}
    assert client.get(f"/api/plan-tasks/{helped.pk}/").status_code == 200
    edit = client.patch(f"/api/plan-tasks/{led.pk}/", {"title": "Sửa", "version": 1}, content_type="application/json")
    assert edit.status_code == 404
    payload = {"on": "2026-03-10", "progress": 30, "status": "in_progress", "note": "Đã làm", "task_version": 1}
    response = client.post("/api/plan-task-updates/", {**payload, "task": led.pk}, content_type="application/json")
    assert response.status_code == 201, response.content
    refused = client.post("/api/plan-task-updates/", {**payload, "task": helped.pk}, content_type="application/json")
    assert refused.status_code == 400 and not TaskUpdate.objects.filter(task=helped).exists()
    client.force_login(people.officer_a)
    assert client.get("/api/plan-tasks/").json()["results"] == []
