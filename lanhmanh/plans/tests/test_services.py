"""Starting a lower unit's plan from the upper one, issuing, progress reports and overdue tasks."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.plans import services
from lanhmanh.plans.models import Plan, Recurrence, Target, Task, TaskStatus, TaskUpdate
from lanhmanh.plans.tests.factories import PlanFactory, PlanSectionFactory, TargetFactory, TaskFactory

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def province_plan(people, agencies):
    plan = PlanFactory(unit=people.province, title="Kế hoạch phòng, chống mại dâm năm 2026", number="35",
                       issued_on=D(2026, 1, 15), status=Plan.Status.ISSUED,
                       issuing_body="Ủy ban nhân dân thành phố Hải Phòng")
    PlanSectionFactory(plan=plan, heading="Tổ chức thực hiện")
    TargetFactory(plan=plan, order=1, text="Kiểm tra ít nhất 20% cơ sở", value=20)
    TargetFactory(plan=plan, order=2, text="Tăng 3% số vụ án được xử lý", indicator="CASES_CRIMINAL", kind="change",
                  value=3)
    TargetFactory(plan=plan, order=3, text="Không để phát sinh tụ điểm phức tạp", indicator="", value=None)
    task = TaskFactory(plan=plan, title="Truy quét tụ điểm", group="suppression",
                       lead_agency=agencies["province_police"], deadline=None, recurrence=Recurrence.QUARTERLY)
    task.cooperating_agencies.set([agencies["province_health"]])
    TaskFactory(plan=plan, title="Kiện toàn Đội 178", lead_agency=agencies["province_health"],
                deadline=D(2026, 6, 30))
    return plan


def test_a_commune_starts_its_draft_from_the_province_plan(people, agencies, province_plan):
    plan = services.start_plan_from(province_plan, people.commune_a, people.officer_a)
    assert (plan.unit, plan.year, plan.status) == (people.commune_a, 2026, Plan.Status.DRAFT)
    assert list(plan.parent_plans.all()) == [province_plan]
    assert plan.legal_basis_list[-1].startswith(
        "Kế hoạch số 35/KH-UBND ngày 15/01/2026 của Ủy ban nhân dân thành phố Hải Phòng")
    assert plan.title.endswith("phường Hồng Bàng năm 2026")
    assert [s.heading for s in plan.sections.all()] == ["Tổ chức thực hiện"]
    targets = list(plan.targets.all())
    uppers = list(province_plan.targets.all())
    assert [t.upper_target for t in targets] == uppers
    assert [(t.indicator, t.kind, t.value, t.comparison) for t in targets] == [
        (u.indicator, u.kind, u.value, u.comparison) for u in uppers]
    assert all(t.unit == people.commune_a for t in targets)
    tasks = {t.title: t for t in plan.tasks.all()}
    raid = tasks["Truy quét tụ điểm"]
    assert raid.upper_task.plan == province_plan and raid.recurrence == Recurrence.QUARTERLY
    # The province police → the ward's own police; the health department has no counterpart in the ward.
    assert raid.lead_agency == agencies["police_a"]
    assert list(raid.cooperating_agencies.all()) == []
    team = tasks["Kiện toàn Đội 178"]
    assert team.lead_agency is None and team.deadline == D(2026, 6, 30)


def test_the_commune_localises_a_target(people, province_plan):
    plan = services.start_plan_from(province_plan, people.commune_a, people.officer_a)
    coverage = plan.targets.get(indicator="INSP_COVERAGE_PCT")
    coverage.value = Decimal(60)  # seed 003: 60% where the province asked 20%
    coverage.text = "Tổ chức kiểm tra tối thiểu 60% cơ sở kinh doanh dịch vụ"
    coverage.full_clean()
    coverage.save()
    assert coverage.upper_target.value == Decimal(20)
    assert list(Target.objects.get(pk=coverage.upper_target_id).localised.all()) == [coverage]


def test_starting_twice_or_outside_the_subtree_is_refused(people, province_plan):
    services.start_plan_from(province_plan, people.commune_a, people.officer_a)
    with pytest.raises(ValidationError, match="đã xây dựng kế hoạch"):
        services.start_plan_from(province_plan, people.commune_a, people.officer_a)
    with pytest.raises(PermissionDenied):
        services.start_plan_from(province_plan, people.commune_b, people.officer_a)
    with pytest.raises(ValidationError):
        services.start_plan_from(province_plan, people.province, people.province_officer)


def test_a_draft_upper_plan_cannot_be_started_from(people):
    draft = PlanFactory(unit=people.province)
    with pytest.raises(ValidationError, match="chưa ban hành"):
        services.start_plan_from(draft, people.commune_a, people.officer_a)


def test_starting_is_all_or_nothing(people, province_plan):
    with mock.patch.object(services, "_agency_for", side_effect=RuntimeError("interrupted")), \
            pytest.raises(RuntimeError):
        services.start_plan_from(province_plan, people.commune_a, people.officer_a)
    assert not Plan.objects.filter(unit=people.commune_a).exists()
    assert not Target.objects.filter(unit=people.commune_a).exists()


def test_only_an_approver_issues_a_plan(people, approver):
    plan = PlanFactory(unit=people.province)
    with pytest.raises(PermissionDenied):
        services.issue_plan(plan, people.province_officer, "35", D(2026, 1, 15))
    with pytest.raises(ValidationError):
        services.issue_plan(plan, approver, "", D(2026, 1, 15))
    issued = services.issue_plan(plan, approver, "35", D(2026, 1, 15), signer_title="KT. CHỦ TỊCH")
    plan.refresh_from_db()
    assert (plan.status, plan.reference, plan.issued_on, plan.version) == (
        Plan.Status.ISSUED, "35/KH-UBND", D(2026, 1, 15), issued.version)
    with pytest.raises(ValidationError, match="đã được ban hành"):
        services.issue_plan(plan, approver, "36", D(2026, 1, 16))


def test_an_approver_of_another_province_cannot_issue(people):
    from lanhmanh.accounts.roles import Role
    from lanhmanh.accounts.tests.factories import UserFactory
    from lanhmanh.geo.tests.factories import AdminUnitFactory

    other = AdminUnitFactory(code="33", name="Tỉnh Hưng Yên", level=1, parent=people.nation)
    stranger = UserFactory(username="lanhdao.khac", roles=[(other, Role.APPROVER)])
    with pytest.raises(PermissionDenied):
        services.issue_plan(PlanFactory(unit=people.commune_a), stranger, "12", D(2026, 2, 1))


def test_a_progress_report_moves_the_task(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = TaskFactory(plan__unit=people.commune_a)
    update = services.record_task_update(task, people.officer_a, 40, TaskStatus.IN_PROGRESS,
                                         "Đã kiểm tra 12 cơ sở.", SimpleUploadedFile("bien-ban.pdf", PDF),
                                         on=D(2026, 3, 10), expected_version=task.version)
    task.refresh_from_db()
    assert (task.progress, task.status, task.version) == (40, TaskStatus.IN_PROGRESS, 2)
    assert update.evidence.name.startswith("private/plans/") and update.evidence.name.endswith(".pdf")
    assert update.unit == people.commune_a and update.created_by == people.officer_a
    services.record_task_update(task, people.officer_a, 80, TaskStatus.DONE, "Hoàn thành.")
    task.refresh_from_db()
    assert (task.progress, task.status) == (100, TaskStatus.DONE)


def test_a_stale_progress_report_writes_nothing(people):
    task = TaskFactory(plan__unit=people.commune_a)
    services.record_task_update(task, people.officer_a, 40, TaskStatus.IN_PROGRESS, "Lần 1")
    stale = Task.objects.get(pk=task.pk)
    stale.version = 1
    with pytest.raises(ConcurrentEditError):
        services.record_task_update(stale, people.officer_a, 60, TaskStatus.IN_PROGRESS, "Lần 2",
                                    expected_version=1)
    assert TaskUpdate.objects.count() == 1


def test_a_report_is_refused_without_a_note_bad_evidence_or_outside_the_scope(people):
    task = TaskFactory(plan__unit=people.commune_a)
    with pytest.raises(ValidationError):
        services.record_task_update(task, people.officer_a, 10, TaskStatus.IN_PROGRESS, "  ")
    with pytest.raises(ValidationError, match="Chỉ nhận"):
        services.record_task_update(task, people.officer_a, 10, TaskStatus.IN_PROGRESS, "Có",
                                    SimpleUploadedFile("virus.exe", b"MZ\x90\x00"))
    with pytest.raises(PermissionDenied):
        services.record_task_update(task, people.officer_b, 10, TaskStatus.IN_PROGRESS, "Có")
    assert not TaskUpdate.objects.exists()


@pytest.mark.parametrize(("deadline", "status", "today", "overdue"), [
    (D(2026, 6, 30), TaskStatus.IN_PROGRESS, D(2026, 7, 1), True),
    (D(2026, 6, 30), TaskStatus.IN_PROGRESS, D(2026, 6, 30), False),
    (D(2026, 6, 30), TaskStatus.DONE, D(2026, 7, 1), False),
    (None, TaskStatus.NOT_STARTED, D(2026, 12, 31), False),  # throughout the year
])
def test_a_task_with_a_deadline_is_overdue_after_it(people, deadline, status, today, overdue):
    task = TaskFactory(plan__unit=people.commune_a, deadline=deadline, status=status)
    assert services.task_overdue_flags([task], today) == {task.pk: overdue}


def test_a_recurring_task_is_overdue_without_a_report_in_the_previous_period(people):
    monthly = TaskFactory(plan__unit=people.commune_a, deadline=None, recurrence=Recurrence.MONTHLY)
    quarterly = TaskFactory(plan__unit=people.commune_a, deadline=None, recurrence=Recurrence.QUARTERLY)
    # January of the plan year: nothing was due yet.
    assert services.task_overdue_flags([monthly, quarterly], D(2026, 1, 20)) == {monthly.pk: False,
                                                                                  quarterly.pk: False}
    assert services.task_overdue_flags([monthly, quarterly], D(2026, 5, 5)) == {monthly.pk: True,
                                                                                 quarterly.pk: True}
    services.record_task_update(monthly, people.officer_a, 30, TaskStatus.IN_PROGRESS, "Tháng 4", on=D(2026, 4, 28))
    services.record_task_update(quarterly, people.officer_a, 30, TaskStatus.IN_PROGRESS, "Quý I", on=D(2026, 3, 30))
    monthly.refresh_from_db()
    quarterly.refresh_from_db()
    assert services.task_overdue_flags([monthly, quarterly], D(2026, 5, 5)) == {monthly.pk: False,
                                                                                 quarterly.pk: False}
    assert services.task_overdue_flags([monthly], D(2026, 6, 2)) == {monthly.pk: True}
    assert monthly.next_due(D(2026, 6, 2)) == D(2026, 6, 30)


def _private_files(root):
    folder = root / "private" / "plans"
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_stale_report_leaves_no_evidence_file(people, settings, tmp_path):
    """Someone reported between the version check of the page and the save: 409, no orphaned file."""
    settings.MEDIA_ROOT = tmp_path
    task = TaskFactory(plan__unit=people.commune_a)
    stale = Task.objects.get(pk=task.pk)
    services.record_task_update(task, people.officer_a, 40, TaskStatus.IN_PROGRESS, "Lần 1")
    with pytest.raises(ConcurrentEditError):
        services.record_task_update(stale, people.officer_a, 60, TaskStatus.IN_PROGRESS, "Lần 2",
                                    SimpleUploadedFile("bien-ban.pdf", PDF), expected_version=1)
    assert _private_files(tmp_path) == []
    assert TaskUpdate.objects.count() == 1
    assert (stale.progress, stale.version) == (0, 1)  # the caller's task is left as it was read


def test_a_report_failing_after_its_file_is_saved_deletes_the_file(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = TaskFactory(plan__unit=people.commune_a)
    with mock.patch.object(services, "record_create", side_effect=ValidationError("Lỗi khi ghi")), \
            pytest.raises(ValidationError):
        services.record_task_update(task, people.officer_a, 60, TaskStatus.IN_PROGRESS, "Có minh chứng",
                                    SimpleUploadedFile("bien-ban.pdf", PDF), expected_version=1)
    assert _private_files(tmp_path) == []
    task.refresh_from_db()
    assert (task.progress, task.version) == (0, 1) and not TaskUpdate.objects.exists()
    update = services.record_task_update(task, people.officer_a, 60, TaskStatus.IN_PROGRESS, "Có minh chứng",
                                         SimpleUploadedFile("bien-ban.pdf", PDF), expected_version=1)
    assert [p.name for p in _private_files(tmp_path)] == [update.evidence.name.rsplit("/", 1)[-1]]


def test_only_the_lead_agency_of_an_upper_task_reports_on_it(people, agencies, province_plan):
    from lanhmanh.accounts.models import Membership
    from lanhmanh.accounts.roles import Role
    from lanhmanh.accounts.tests.factories import UserFactory

    led = TaskFactory(plan=province_plan, title="Công an phường chủ trì", lead_agency=agencies["police_a"])
    helped = TaskFactory(plan=province_plan, title="Công an phường phối hợp", lead_agency=agencies["province_health"])
    helped.cooperating_agencies.set([agencies["police_a"]])
    police = UserFactory(username="congan.dv", roles=[])
    Membership.objects.create(user=police, unit=people.commune_a, role=Role.PROGRAMME_OFFICER,
                              agency=agencies["police_a"])
    assert set(Task.objects.visible_to(police).filter(plan=province_plan)) == {led, helped}
    assert set(Task.objects.visible_to(police, "change").filter(plan=province_plan)) == set()
    assert set(Task.objects.reportable_by(police).filter(plan=province_plan)) == {led}
    update = services.record_task_update(led, police, 30, TaskStatus.IN_PROGRESS, "Đã triển khai")
    assert update.unit == people.province and TaskUpdate.objects.visible_to(police).get() == update
    with pytest.raises(PermissionDenied):
        services.record_task_update(helped, police, 30, TaskStatus.IN_PROGRESS, "Không được")
    # Officer A without an agency reads neither.
    assert not Task.objects.visible_to(people.officer_a).filter(plan=province_plan).exists()
    assert not TaskUpdate.objects.visible_to(people.officer_a).exists()
