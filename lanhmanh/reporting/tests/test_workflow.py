"""Submitting freezes a report; the upper unit approves or returns it; each version is kept and diffable."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lanhmanh.accounts.models import Membership
from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.indicators import engine
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, TeamFactory
from lanhmanh.reporting import drafting, workflow
from lanhmanh.reporting.models import Report, ReportReview, ReportStatus, ReportType, ReportVersion, ReviewDecision
from lanhmanh.reporting.tests.factories import ReportFactory

D = datetime.date
START, END = D(2025, 12, 15), D(2026, 6, 14)


def engine_figures(unit, codes=("INSP_SESSIONS",)):
    """The figures snapshot as drafting writes it (indicators with their parts), straight from the engine."""
    from lanhmanh.indicators import periods

    result = engine.compute(list(codes), unit, periods.Period(START, END))
    return {"indicators": [{"code": v.indicator.code, "numerator": v.numerator, "denominator": v.denominator,
                            "value": v.value} for v in result]}


def make_report(unit, **kwargs):
    kwargs.setdefault("figures", {"indicators": [{"code": "INSP_SESSIONS", "numerator": 3, "denominator": None,
                                                  "value": 3}]})
    kwargs.setdefault("figures_at", timezone.now())  # fresh figures, as a submission needs
    kwargs.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=10))
    kwargs.setdefault("period_start", START)
    return ReportFactory(unit=unit, period_end=END, **kwargs)


@pytest.fixture
def approver(people):
    return UserFactory(username="lanhdao.tinh", roles=[(people.province, Role.APPROVER)])


@pytest.fixture
def other_approver(people):
    other = AdminUnitFactory(code="01", name="Thành phố Hà Nội", level=AdminUnit.Level.PROVINCE,
                             parent=people.nation)
    return UserFactory(username="lanhdao.hanoi", roles=[(other, Role.APPROVER)])


def test_submit_freezes_the_figures_and_text(people):
    team = TeamFactory(unit=people.commune_a)
    InspectionSessionFactory(team=team, date=D(2026, 3, 10))
    InspectionSessionFactory(team=team, date=D(2026, 4, 2))
    report = make_report(people.commune_a, figures=engine_figures(people.commune_a),
                         narrative={"situation": "Tình hình ổn định."}, title="Báo cáo 6 tháng",
                         signer_name="Nguyễn Văn A", recipients="UBND thành phố;\nLưu: VT.")

    version = workflow.submit(report, people.officer_a, expected_version=report.version)

    report.refresh_from_db()
    assert (report.status, report.version, report.is_late) == (ReportStatus.SUBMITTED, 2, False)
    assert report.submitted_at is not None and report.submitted_at == version.submitted_at
    assert (version.number, version.submitted_by, version.title, version.signer_name, version.recipients) == (
        1, people.officer_a, "Báo cáo 6 tháng", "Nguyễn Văn A", "UBND thành phố;\nLưu: VT.")
    assert version.narrative == {"situation": "Tình hình ổn định."}
    assert version.figures["indicators"][0]["numerator"] == 2
    # A record added after submission changes the engine's figure, not what was submitted.
    InspectionSessionFactory(team=team, date=D(2026, 5, 5))
    assert engine_figures(people.commune_a)["indicators"][0]["numerator"] == 3
    version.refresh_from_db()
    report.refresh_from_db()
    assert version.figures["indicators"][0]["numerator"] == 2
    assert report.figures["indicators"][0]["numerator"] == 2
    assert report.history.first().history_user == people.officer_a


def test_a_stale_version_writes_nothing(people):
    report = make_report(people.commune_a)
    Report.objects.filter(pk=report.pk).update(version=2)  # someone saved it meanwhile

    with pytest.raises(ConcurrentEditError):
        workflow.submit(report, people.officer_a, expected_version=1)

    assert not ReportVersion.objects.exists()
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None
    fresh = Report.objects.get(pk=report.pk)
    assert (fresh.status, fresh.submitted_at, fresh.version) == (ReportStatus.DRAFT, None, 2)


def test_late_submissions_are_marked_late(people):
    today = timezone.localdate()
    late = make_report(people.commune_a, deadline=today - datetime.timedelta(days=1))
    on_the_day = make_report(people.commune_a, deadline=today, period_start=D(2026, 1, 1))

    assert workflow.submit(late, people.officer_a, late.version).is_late is True
    assert workflow.submit(on_the_day, people.officer_a, on_the_day.version).is_late is False
    assert Report.objects.get(pk=late.pk).is_late and not Report.objects.get(pk=on_the_day.pk).is_late


def test_only_the_units_editors_submit_and_only_drafts_or_returned(people):
    report = make_report(people.commune_a)
    with pytest.raises(PermissionDenied):
        workflow.submit(report, people.officer_b, report.version)
    workflow.submit(report, people.officer_a, report.version)
    with pytest.raises(ValidationError, match="Chỉ nộp được báo cáo đang soạn hoặc bị trả lại"):
        workflow.submit(report, people.officer_a, report.version)
    assert report.versions.count() == 1


def test_the_upper_unit_approves(people, approver, other_approver):
    report = make_report(people.commune_a)
    with pytest.raises(ValidationError):  # not submitted yet
        workflow.approve(report, approver)
    workflow.submit(report, people.officer_a, report.version)

    for user in (people.officer_a, people.province_officer, other_approver):
        assert not workflow.can_review(user, report)
        with pytest.raises(PermissionDenied):
            workflow.approve(report, user)
    assert workflow.can_review(approver, report)
    review = workflow.approve(report, approver, comment="Đạt yêu cầu.")

    report.refresh_from_db()
    assert report.status == ReportStatus.APPROVED and report.approved_at is not None
    assert (review.decision, review.version.number, review.decided_by, review.comment) == (
        ReviewDecision.APPROVED, 1, approver, "Đạt yêu cầu.")
    with pytest.raises(ValidationError):  # once
        workflow.approve(report, approver)


def test_a_unit_does_not_approve_its_own_report(people, approver):
    report = make_report(people.province)
    workflow.submit(report, people.province_officer, report.version)
    with pytest.raises(PermissionDenied):
        workflow.approve(report, approver)  # the province's report is reviewed by the nation
    national = UserFactory(username="lanhdao.tw", roles=[(people.nation, Role.APPROVER)])
    workflow.approve(report, national)
    assert report.status == ReportStatus.APPROVED


def test_the_top_unit_is_reviewed_at_its_own_level_by_someone_else(people):
    report = make_report(people.nation)
    submitter = UserFactory(username="tw.soan", roles=[(people.nation, Role.PROGRAMME_OFFICER),
                                                      (people.nation, Role.APPROVER)])
    workflow.submit(report, submitter, report.version)
    with pytest.raises(PermissionDenied):
        workflow.approve(report, submitter)
    workflow.approve(report, UserFactory(username="tw.duyet", roles=[(people.nation, Role.APPROVER)]))
    assert report.status == ReportStatus.APPROVED


def test_return_needs_a_comment_then_resubmission_is_a_new_version(people, approver):
    report = make_report(people.commune_a, narrative={"results": "Tổ chức 3 buổi kiểm tra.\nKhông có vi phạm."})
    workflow.submit(report, people.officer_a, report.version)
    with pytest.raises(ValidationError, match="Hãy ghi ý kiến"):
        workflow.return_report(report, approver, "  ")
    assert report.status == ReportStatus.SUBMITTED and not ReportReview.objects.exists()

    with pytest.raises(PermissionDenied):
        workflow.return_report(report, people.officer_a, "Sửa số liệu")
    review = workflow.return_report(report, approver, "Số buổi kiểm tra chưa đúng.")
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED and report.approved_at is None
    assert (review.decision, review.version.number) == (ReviewDecision.RETURNED, 1)

    # The unit fixes and resubmits: version 2, diffable against version 1.
    report.figures = {"indicators": [{"code": "INSP_SESSIONS", "numerator": 4, "denominator": None, "value": 4}]}
    report.narrative = {"results": "Tổ chức 4 buổi kiểm tra.\nKhông có vi phạm."}
    report.signer_name = "Trần Thị B"
    version = workflow.submit(report, people.officer_a, report.version)
    assert version.number == 2 and report.status == ReportStatus.SUBMITTED
    assert list(report.versions.values_list("number", flat=True)) == [1, 2]

    diff = workflow.versions_diff(report, 1, 2)
    assert diff[0] == {"kind": "figure", "code": "INSP_SESSIONS", "before": 3, "after": 4}
    results = next(change for change in diff if change.get("key") == "results")
    assert results["title"] == "Kết quả thực hiện"
    assert "-Tổ chức 3 buổi kiểm tra." in results["diff"] and "+Tổ chức 4 buổi kiểm tra." in results["diff"]
    assert " Không có vi phạm." in results["diff"]
    assert [c["key"] for c in diff if c["kind"] == "section"] == ["results", "signer_name"]
    assert workflow.versions_diff(report, 2, 2) == []

    review = workflow.approve(report, approver)
    assert review.version.number == 2


def test_only_members_of_the_reports_own_unit_write_and_submit_it(people, approver):
    """An upper unit's officer reaches the commune through the subtree but neither writes nor submits its report,
    even when also an approver; nor does a superuser, a viewer or a former member of the commune."""
    report = make_report(people.commune_a)
    province_both = UserFactory(username="tinh.ca.hai", roles=[(people.province, Role.PROGRAMME_OFFICER),
                                                              (people.province, Role.APPROVER)])
    viewer = UserFactory(username="xa.xem", roles=[(people.commune_a, Role.VIEWER)])
    former = UserFactory(username="xa.cu", roles=[(people.commune_a, Role.PROGRAMME_OFFICER)])
    Membership.objects.filter(user=former).update(is_active=False)
    for user in (people.province_officer, province_both, people.admin, viewer, former, people.officer_b):
        assert not workflow.can_submit(user, report), user
        with pytest.raises(PermissionDenied):
            workflow.submit(report, user, report.version)
    assert not report.versions.exists() and report.status == ReportStatus.DRAFT
    assert workflow.can_submit(people.officer_a, report)
    workflow.submit(report, people.officer_a, report.version)
    assert report.status == ReportStatus.SUBMITTED


def test_the_submitter_never_reviews_the_version_at_any_level(people, approver):
    """A commune officer who is also an approver of the province submits the commune's report: another approver
    decides on it."""
    both = UserFactory(username="xa.va.tinh", roles=[(people.commune_a, Role.PROGRAMME_OFFICER),
                                                    (people.province, Role.APPROVER)])
    report = make_report(people.commune_a)
    workflow.submit(report, both, report.version)
    assert workflow.can_review(both, report) and workflow.submitted_latest(both, report)
    with pytest.raises(PermissionDenied, match="không tự duyệt"):
        workflow.approve(report, both)
    with pytest.raises(PermissionDenied, match="không tự duyệt"):
        workflow.return_report(report, both, "Sửa.")
    assert report.status == ReportStatus.SUBMITTED and not ReportReview.objects.exists()
    workflow.approve(report, approver)
    assert report.status == ReportStatus.APPROVED


def test_police_write_their_units_police_reports_and_do_not_approve(people):
    police_month = ReportType.objects.get(code="police-month")
    report = make_report(people.commune_a, report_type=police_month)
    police = UserFactory(username="congan.a", roles=[(people.commune_a, Role.POLICE)])
    assert police.has_perm("reporting.change_report") and not police.has_perm("reporting.approve_report")
    assert workflow.can_submit(police, report)
    workflow.submit(report, police, report.version)
    assert report.versions.get().submitted_by == police


def test_stale_figures_are_not_submitted(people):
    """Figures computed before the period ended, over a day ago, or never, are refused: refresh, then submit."""
    def at(day, hour):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 5)))

    report = make_report(people.commune_a, figures_at=at(END, 16))  # the last day of the period
    with pytest.raises(ValidationError) as raised:
        workflow.submit(report, people.officer_a, report.version)
    assert raised.value.messages == [
        "Số liệu được tính lúc 14/06/2026 16:05: hãy bấm “Làm mới số liệu”, kiểm tra lại rồi nộp."]
    report.figures_at = timezone.now() - datetime.timedelta(hours=25)
    with pytest.raises(ValidationError, match="Làm mới số liệu"):
        workflow.submit(report, people.officer_a, report.version)
    report.figures_at = None
    with pytest.raises(ValidationError, match="Làm mới số liệu"):
        workflow.submit(report, people.officer_a, report.version)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT and not report.versions.exists()

    assert workflow.figures_valid_from(report) == at(END + datetime.timedelta(days=1), 0).replace(minute=0)
    drafting.refresh(report, people.officer_a)
    workflow.submit(report, people.officer_a, report.version)
    assert report.status == ReportStatus.SUBMITTED


def test_a_period_not_ended_is_not_submitted(people):
    today = timezone.localdate()
    report = ReportFactory(unit=people.commune_a, period_start=today - datetime.timedelta(days=30),
                           period_end=today, figures=engine_figures(people.commune_a), figures_at=timezone.now())
    with pytest.raises(ValidationError, match="Kỳ báo cáo đến hết ngày"):
        workflow.submit(report, people.officer_a, report.version)
