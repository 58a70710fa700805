"""The pages: a plan with its targets' marks and tasks by group, the issue and start-from actions, targets and tasks,
progress reports with evidence, and the tasks of the user's agency."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lanhmanh.accounts.models import Membership
from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.views import object_url
from lanhmanh.plans import services
from lanhmanh.plans.models import Plan, Recurrence, Target, Task, TaskStatus, TaskUpdate
from lanhmanh.plans.tests.factories import PlanFactory, TargetFactory, TaskFactory

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def plan_a(people, agencies):
    plan = PlanFactory(unit=people.commune_a, title="Kế hoạch phòng, chống mại dâm phường Hồng Bàng năm 2026")
    TargetFactory(plan=plan, text="Kiểm tra tối thiểu 60% cơ sở kinh doanh dịch vụ")
    TargetFactory(plan=plan, text="Không để phát sinh tụ điểm phức tạp kéo dài", indicator="", value=None)
    task = TaskFactory(plan=plan, title="Duy trì hoạt động Đội kiểm tra liên ngành 178 phường",
                       lead_agency=agencies["culture_a"], deadline=D(2026, 3, 31))
    task.cooperating_agencies.set([agencies["police_a"]])
    TaskFactory(plan=plan, title="Báo cáo định kỳ tháng về Phòng Văn hóa - Xã hội", group="suppression",
                lead_agency=agencies["police_a"], deadline=None, recurrence=Recurrence.MONTHLY)
    return plan


def test_the_plan_page_shows_targets_with_marks_and_tasks_by_group(client, people, plan_a):
    client.force_login(people.officer_a)
    page = client.get(object_url(plan_a)).content.decode()
    assert "Kiểm tra tối thiểu 60% cơ sở kinh doanh dịch vụ" in page and "≥ 60%" in page
    assert 'data-testid="mark"' in page and "Chưa có số liệu" in page
    assert "Kiểm tra, xử lý vi phạm" in page and "Đấu tranh, triệt phá tội phạm" in page
    assert "Phòng Văn hóa - Xã hội phường Hồng Bàng" in page and "Công an phường Hồng Bàng" in page
    assert "31/03/2026" in page and "Hằng tháng" in page
    assert 'data-testid="overdue"' in page  # past its deadline, not done
    assert 'data-testid="add-target"' in page and 'data-testid="add-task"' in page
    assert 'data-testid="issue"' not in page  # a programme officer does not issue


def test_scoping_a_sibling_commune_cannot_see_or_edit_the_plan(client, people, plan_a):
    client.force_login(people.officer_b)
    assert client.get(object_url(plan_a)).status_code == 404
    assert client.get(object_url(plan_a, "edit")).status_code == 404
    target = plan_a.targets.first()
    assert client.get(object_url(target, "edit")).status_code == 404
    task = plan_a.tasks.first()
    assert client.get(object_url(task)).status_code == 404
    response = client.post(reverse("plans:target_add"), {"plan": plan_a.pk, "text": "x", "comparison": "gte",
                                                         "kind": "value", "value": "5", "order": 0})
    assert response.status_code == 200 and not Target.objects.filter(text="x").exists()
    client.force_login(people.nobody)
    assert client.get(object_url(plan_a)).status_code == 403


def test_an_officer_creates_and_edits_a_plan(client, people):
    client.force_login(people.officer_a)
    response = client.post(reverse("plans:plan_add"), {
        "unit": people.commune_a.pk, "year": 2026, "symbol": "KH-UBND",
        "title": "Kế hoạch phòng, chống mại dâm năm 2026", "legal_bases": "Quyết định số 732/QĐ-TTg"})
    plan = Plan.objects.get(unit=people.commune_a)
    assert response.status_code == 302 and response["Location"] == object_url(plan)
    response = client.post(object_url(plan, "edit"), {
        "unit": people.commune_a.pk, "year": 2026, "symbol": "KH-UBND", "title": "Kế hoạch (sửa)",
        "expected_version": plan.version})
    plan.refresh_from_db()
    assert response.status_code == 302 and plan.title == "Kế hoạch (sửa)" and plan.version == 2
    stale = client.post(object_url(plan, "edit"), {"unit": people.commune_a.pk, "year": 2026, "symbol": "KH-UBND",
                                                   "title": "Ghi đè", "expected_version": 1})
    assert stale.status_code == 200 and "CHƯA được lưu" in stale.content.decode()


def test_a_target_is_added_with_an_indicator_from_the_registry(client, people, plan_a):
    client.force_login(people.officer_a)
    form = client.get(reverse("plans:target_add"), {"plan": plan_a.pk}).content.decode()
    assert "Tỷ lệ cơ sở kinh doanh dịch vụ được kiểm tra" in form or "INSP_COVERAGE_PCT" in form
    response = client.post(reverse("plans:target_add"), {
        "plan": plan_a.pk, "order": 3, "text": "100% tin báo được xử lý kịp thời", "indicator": "TIPS_ON_TIME_PCT",
        "comparison": "eq", "kind": "value", "value": "100"})
    assert response.status_code == 302 and response["Location"].endswith("#targets")
    target = Target.objects.get(indicator="TIPS_ON_TIME_PCT")
    assert target.unit == people.commune_a
    bad = client.post(reverse("plans:target_add"), {
        "plan": plan_a.pk, "order": 4, "text": "Sai", "indicator": "INSP_COVERAGE_PCT", "comparison": "gte",
        "kind": "value", "value": "160"})
    assert bad.status_code == 200 and "Tỷ lệ phải từ 0 đến 100%." in bad.content.decode()


def test_a_task_is_added_with_its_agencies(client, people, plan_a, agencies):
    client.force_login(people.officer_a)
    response = client.post(reverse("plans:task_add"), {
        "plan": plan_a.pk, "group": "communication", "order": 1, "title": "Lắp đặt pano, khẩu hiệu tuyên truyền",
        "lead_agency": agencies["culture_a"].pk, "cooperating_agencies": [agencies["police_a"].pk],
        "deadline": "30/09/2026"})
    assert response.status_code == 302
    task = Task.objects.get(title__startswith="Lắp đặt pano")
    assert task.deadline == D(2026, 9, 30) and list(task.cooperating_agencies.all()) == [agencies["police_a"]]
    both = client.post(reverse("plans:task_add"), {
        "plan": plan_a.pk, "group": "communication", "order": 2, "title": "Sai", "deadline": "30/09/2026",
        "recurrence": "monthly"})
    assert both.status_code == 200 and "Nhiệm vụ định kỳ không có thời hạn cố định" in both.content.decode()


def test_a_progress_report_with_evidence_and_its_download(client, people, plan_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = plan_a.tasks.get(recurrence="")
    client.force_login(people.officer_a)
    page = client.get(object_url(task)).content.decode()
    assert 'data-testid="add-update"' in page
    response = client.post(reverse("plans:taskupdate_add"), {
        "task": task.pk, "on": "10/03/2026", "progress": 100, "status": "done", "note": "Đã kiểm tra 14 cơ sở.",
        "expected_version": task.version, "evidence": SimpleUploadedFile("bien-ban.pdf", PDF)})
    assert response.status_code == 302 and response["Location"].endswith("#updates")
    task.refresh_from_db()
    assert (task.status, task.progress) == (TaskStatus.DONE, 100)
    update = TaskUpdate.objects.get(task=task)
    page = client.get(object_url(task)).content.decode()
    assert "Đã kiểm tra 14 cơ sở." in page and 'data-testid="overdue"' not in page
    url = reverse("plans:taskupdate_evidence", args=[update.pk])
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Cache-Control"] == "private, no-store"
    client.force_login(people.officer_b)
    assert client.get(url).status_code == 404
    client.force_login(people.nobody)
    assert client.get(url).status_code == 403


def test_a_stale_progress_report_is_refused(client, people, plan_a):
    task = plan_a.tasks.get(recurrence="")
    services.record_task_update(task, people.officer_a, 50, TaskStatus.IN_PROGRESS, "Người khác ghi trước")
    client.force_login(people.officer_a)
    response = client.post(reverse("plans:taskupdate_add"), {
        "task": task.pk, "on": "10/03/2026", "progress": 60, "status": "in_progress", "note": "Của tôi",
        "expected_version": 1})
    assert response.status_code == 409 and "CHƯA" in response.content.decode()
    assert TaskUpdate.objects.filter(task=task).count() == 1


def test_an_approver_issues_a_plan_from_its_page(client, people, approver):
    plan = PlanFactory(unit=people.province)
    client.force_login(approver)
    page = client.get(object_url(plan)).content.decode()
    assert 'data-testid="issue"' in page
    url = reverse("plans:plan_issue", args=[plan.pk])
    assert client.post(url, {"number": "", "issued_on": "15/01/2026", "expected_version": 1}).status_code == 400
    response = client.post(url, {"number": "35", "issued_on": "15/01/2026", "expected_version": 1})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ISSUED and plan.reference == "35/KH-UBND"
    client.force_login(people.province_officer)
    assert client.post(url, {"number": "36", "issued_on": "16/01/2026", "expected_version": 2}).status_code == 403


def test_a_commune_starts_from_the_province_plan_on_its_page(client, people):
    upper = PlanFactory(unit=people.province, number="35", issued_on=D(2026, 1, 15), status=Plan.Status.ISSUED)
    TargetFactory(plan=upper, value=20)
    draft_above = PlanFactory(unit=people.province, title="Dự thảo của tỉnh")
    client.force_login(people.officer_a)
    listing = client.get(reverse("plans:plan_list")).content.decode()
    assert object_url(upper) in listing and object_url(draft_above) not in listing
    page = client.get(object_url(upper)).content.decode()
    assert 'data-testid="start-from"' in page
    assert 'data-testid="add-target"' not in page  # the province's plan is read, not changed, by the commune
    assert client.get(object_url(upper, "edit")).status_code == 404
    response = client.post(reverse("plans:plan_start_from", args=[upper.pk]), {"unit": people.commune_a.pk})
    plan = Plan.objects.get(unit=people.commune_a)
    assert response.status_code == 302 and response["Location"] == object_url(plan)
    assert plan.targets.get().upper_target == upper.targets.get()
    # Commune B is not the officer's to plan for.
    refused = client.post(reverse("plans:plan_start_from", args=[upper.pk]), {"unit": people.commune_b.pk})
    assert refused.status_code == 400 and not Plan.objects.filter(unit=people.commune_b).exists()
    assert client.get(object_url(draft_above)).status_code == 404


def test_my_agency_sees_the_tasks_it_leads_or_cooperates_in(client, people, plan_a, agencies):
    police = UserFactory(username="congan.a", roles=[])
    Membership.objects.create(user=police, unit=people.commune_a, role=Role.VIEWER, agency=agencies["police_a"])
    other = TaskFactory(plan=plan_a, title="Nhiệm vụ của Trạm Y tế", lead_agency=None)
    url = reverse("plans:my_tasks")
    client.force_login(police)
    page = client.get(url).content.decode()
    assert "Duy trì hoạt động Đội kiểm tra liên ngành 178 phường" in page  # cooperating
    assert "Báo cáo định kỳ tháng" in page  # leading
    assert other.title not in page
    assert "Công an phường Hồng Bàng" in page
    assert url in client.get(reverse("home")).content.decode()  # in the menu
    # An officer without an agency picks one.
    client.force_login(people.officer_a)
    assert "chưa gắn với cơ quan nào" in client.get(url).content.decode()
    page = client.get(url, {"agency": agencies["culture_a"].pk}).content.decode()
    assert "Duy trì hoạt động Đội kiểm tra liên ngành 178 phường" in page and "Báo cáo định kỳ tháng" not in page


def test_the_task_list_flags_overdue_tasks_in_constant_queries(client, people, plan_a, agencies):
    from lanhmanh.core.testing import count_queries

    client.force_login(people.officer_a)
    url = reverse("plans:task_list")
    assert 'data-testid="overdue"' in client.get(url).content.decode()
    few = count_queries(lambda: client.get(url))
    for n in range(6):
        TaskFactory(plan=plan_a, deadline=None, recurrence=Recurrence.QUARTERLY, title=f"Định kỳ {n}")
    assert count_queries(lambda: client.get(url)) == few
    police = UserFactory(username="congan.dem", roles=[])
    Membership.objects.create(user=police, unit=people.commune_a, role=Role.VIEWER, agency=agencies["police_a"])
    client.force_login(police)
    mine = reverse("plans:my_tasks")
    client.get(mine)
    few = count_queries(lambda: client.get(mine))
    for n in range(6):
        TaskFactory(plan=plan_a, lead_agency=agencies["police_a"], title=f"Của công an {n}")
    assert count_queries(lambda: client.get(mine)) == few


# -- an upper unit's plan and tasks read by a lower unit ----------------------------------------------


def test_an_upper_plan_read_by_a_commune_shows_goals_without_the_communes_figures(client, people):
    """The engine narrows to the reader's scope: the city's progress would be the ward's own figures."""
    upper = PlanFactory(unit=people.province, number="35", issued_on=D(2026, 1, 15), status=Plan.Status.ISSUED)
    TargetFactory(plan=upper, text="100% tin báo được xử lý kịp thời", indicator="TIPS_ON_TIME_PCT", value=100)
    client.force_login(people.officer_a)
    page = client.get(object_url(upper)).content.decode()
    assert "100% tin báo được xử lý kịp thời" in page and "≥ 100%" in page
    assert 'data-testid="figures-note"' in page
    assert "Số liệu thực hiện của đơn vị cấp trên không thuộc phạm vi của bạn." in page
    assert 'data-testid="mark"' not in page
    client.force_login(people.province_officer)
    page = client.get(object_url(upper)).content.decode()
    assert 'data-testid="figures-note"' not in page and 'data-testid="mark"' in page


def test_figures_are_shown_without_float_noise():
    from decimal import Decimal

    from lanhmanh.plans.models import format_number
    from lanhmanh.plans.views import _figure

    assert _figure(87.8, True) == "87,8%"
    assert _figure(87.79999999999999, True) == "87,8%"
    assert format_number(87.8) == "87,8" and format_number(round(2 / 3 * 100, 1)) == "66,7"
    assert format_number(Decimal("60.00")) == "60" and format_number(1500000) == "1.500.000"
    assert format_number(-2.5) == "-2,5"
    assert Target(value=Decimal("87.80"), indicator="INSP_COVERAGE_PCT").goal_display == "≥ 87,8%"


@pytest.fixture
def city_tasks(people, agencies):
    """The city's issued plan: a task the ward police lead, one they cooperate in, one not theirs; and a task of
    a city draft led by the ward police."""
    plan = PlanFactory(unit=people.province, number="35", issued_on=D(2026, 1, 15), status=Plan.Status.ISSUED)
    led = TaskFactory(plan=plan, title="Công an phường chủ trì kiểm tra cơ sở lưu trú",
                      lead_agency=agencies["police_a"], deadline=D(2026, 12, 15))
    helped = TaskFactory(plan=plan, title="Sở Y tế chủ trì, công an phường phối hợp",
                         lead_agency=agencies["province_health"])
    helped.cooperating_agencies.set([agencies["police_a"], agencies["police_b"]])
    other = TaskFactory(plan=plan, title="Nhiệm vụ riêng của Công an thành phố",
                        lead_agency=agencies["province_police"])
    draft = PlanFactory(unit=people.province, title="Dự thảo của thành phố")
    hidden = TaskFactory(plan=draft, title="Nhiệm vụ trong dự thảo", lead_agency=agencies["police_a"])
    return {"plan": plan, "led": led, "helped": helped, "other": other, "hidden": hidden}


@pytest.fixture
def ward_police(people, agencies):
    """A programme officer of ward A working for the ward's police (plans add permission in their own unit)."""
    user = UserFactory(username="canbo.congan.a", roles=[])
    Membership.objects.create(user=user, unit=people.commune_a, role=Role.PROGRAMME_OFFICER,
                              agency=agencies["police_a"])
    return user


def test_an_agency_sees_the_upper_units_tasks_assigned_to_it_read_only(client, people, city_tasks, ward_police):
    client.force_login(ward_police)
    page = client.get(reverse("plans:my_tasks")).content.decode()
    assert city_tasks["led"].title in page and city_tasks["helped"].title in page
    assert city_tasks["other"].title not in page and city_tasks["hidden"].title not in page
    assert city_tasks["led"].title in client.get(reverse("plans:task_list")).content.decode()
    for task in (city_tasks["led"], city_tasks["helped"]):
        detail = client.get(object_url(task))
        assert detail.status_code == 200
        assert object_url(task, "edit") not in detail.content.decode()
        assert client.get(object_url(task, "edit")).status_code == 404
        assert client.post(object_url(task, "delete")).status_code == 404
    assert client.get(object_url(city_tasks["other"])).status_code == 404
    assert client.get(object_url(city_tasks["hidden"])).status_code == 404  # drafts above stay private
    # Another ward's officer without an agency does not see them.
    client.force_login(people.officer_b)
    assert client.get(object_url(city_tasks["led"])).status_code == 404


def test_the_lead_agency_reports_on_an_upper_task_a_cooperating_one_does_not(client, city_tasks, ward_police,
                                                                            agencies, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    led, helped = city_tasks["led"], city_tasks["helped"]
    client.force_login(ward_police)
    assert 'data-testid="add-update"' in client.get(object_url(led)).content.decode()
    assert 'data-testid="add-update"' not in client.get(object_url(helped)).content.decode()
    response = client.post(reverse("plans:taskupdate_add"), {
        "task": led.pk, "on": "10/03/2026", "progress": 50, "status": "in_progress",
        "note": "Đã kiểm tra 9 cơ sở lưu trú.", "expected_version": led.version,
        "evidence": SimpleUploadedFile("bien-ban.pdf", PDF)})
    assert response.status_code == 302, response.content.decode()
    led.refresh_from_db()
    update = TaskUpdate.objects.get(task=led)
    assert (led.progress, led.version) == (50, 2) and update.unit == led.unit
    page = client.get(object_url(led)).content.decode()
    assert "Đã kiểm tra 9 cơ sở lưu trú." in page
    assert client.get(reverse("plans:taskupdate_evidence", args=[update.pk])).status_code == 200
    refused = client.post(reverse("plans:taskupdate_add"), {
        "task": helped.pk, "on": "10/03/2026", "progress": 50, "status": "in_progress", "note": "Không được",
        "expected_version": helped.version})
    assert refused.status_code == 200 and not TaskUpdate.objects.filter(task=helped).exists()
    # With view permission only, the lead agency's staff read the task but do not report.
    viewer = UserFactory(username="xem.congan.a", roles=[])
    Membership.objects.create(user=viewer, unit=ward_police.memberships.get().unit, role=Role.VIEWER,
                              agency=agencies["police_a"])
    client.force_login(viewer)
    page = client.get(object_url(led)).content.decode()
    assert led.title in page and 'data-testid="add-update"' not in page


def test_my_tasks_with_upper_units_tasks_in_constant_queries(client, people, city_tasks, ward_police, agencies):
    from lanhmanh.core.testing import count_queries

    client.force_login(ward_police)
    url = reverse("plans:my_tasks")
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for n in range(5):
        task = TaskFactory(plan=city_tasks["plan"], title=f"Thành phố giao {n}", lead_agency=agencies["police_a"])
        task.cooperating_agencies.set([agencies["culture_a"]])
    page = client.get(url).content.decode()
    assert "Thành phố giao 4" in page
    assert count_queries(lambda: client.get(url)) == few


def test_conflict_messages_show_local_times(client, people, approver, plan_a):
    """Stored in UTC, read in Việt Nam: 01:30 UTC is 08:30."""
    moment = datetime.datetime(2026, 1, 15, 1, 30, tzinfo=datetime.UTC)
    plan = PlanFactory(unit=people.province)
    Plan.objects.filter(pk=plan.pk).update(version=2, updated_at=moment)
    client.force_login(approver)
    response = client.post(reverse("plans:plan_issue", args=[plan.pk]),
                           {"number": "35", "issued_on": "15/01/2026", "expected_version": 1})
    page = response.content.decode()
    assert response.status_code == 409 and "15/01/2026 08:30" in page and "15/01/2026 01:30" not in page
    task = plan_a.tasks.get(recurrence="")
    Task.objects.filter(pk=task.pk).update(version=2, updated_at=moment)
    client.force_login(people.officer_a)
    response = client.post(reverse("plans:taskupdate_add"), {
        "task": task.pk, "on": "10/03/2026", "progress": 60, "status": "in_progress", "note": "Của tôi",
        "expected_version": 1})
    page = response.content.decode()
    assert response.status_code == 409 and "15/01/2026 08:30" in page and "15/01/2026 01:30" not in page
