"""A report that writes itself: the figures match the engine, last year's beside them, the breakdown by commune,
targets achieved or not, documents of the period, and sentences in the seeds' style that leave out what they
can't state (seed 004: 12 sessions, 72 visits, 30 reminders, 42 suspensions). A province whose communes submit the
same report consolidates instead: its own records plus its communes' approved, frozen figures (issue 10)."""

import datetime
import importlib
import json

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.core.testing import count_queries
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.indicators import engine
from lanhmanh.indicators.registry import COUNT, PERCENT, VND, registry
from lanhmanh.inspections.models import InspectionPlan, InspectionVisit
from lanhmanh.inspections.tests.factories import InspectionPlanFactory, InspectionSessionFactory, TeamFactory
from lanhmanh.plans.models import Plan, Target
from lanhmanh.plans.tests.factories import PlanFactory, TargetFactory
from lanhmanh.reporting import drafting, workflow
from lanhmanh.reporting.models import Report, ReportStatus, ReportType, SentenceTemplate
from lanhmanh.reporting.tests.factories import ReportFactory

defaults = importlib.import_module("lanhmanh.reporting.migrations.0004_sentence_templates")
D = datetime.date
MARCH = D(2026, 3, 10)
TODAY = D(2026, 7, 1)  # after the 6-month window (15/12/2025–14/06/2026): targets are judged on 14/06
SEED_004 = ("Đội kiểm tra liên ngành đã tổ chức 12 buổi kiểm tra, kiểm tra 72 lượt cơ sở kinh doanh dịch vụ; "
            "lập biên bản nhắc nhở 30 cơ sở, đình chỉ kinh doanh 42 cơ sở.")


def inspections(unit, *, sessions, reminders, suspensions, plain=0, day=MARCH, business=None):
    """`sessions` sessions of a team of `unit` on `day`, and visits to one business of it: `reminders` with a
    reminder minute, `suspensions` suspended, `plain` without a finding (bulk, as a large data set would be)."""
    team = TeamFactory(unit=unit)
    made = [InspectionSessionFactory(team=team, unit=unit, date=day) for _n in range(sessions)]
    business = business or BusinessFactory(unit=unit, opened_on=D(2025, 1, 1))
    kinds = ([{"outcome": InspectionVisit.Outcome.REMINDER}] * reminders
             + [{"suspended_from": day}] * suspensions + [{}] * plain)
    InspectionVisit.objects.bulk_create(
        InspectionVisit(session=made[i % sessions], business=business, unit=unit, visited_on=day, **kind)
        for i, kind in enumerate(kinds)
    )
    return business


def half_year_report(unit, report_type, **kwargs):
    return ReportFactory(unit=unit, report_type=report_type, period_start=D(2025, 12, 15), period_end=D(2026, 6, 14),
                         **kwargs)


def submitted_report(unit, report_type, submitter, **kwargs):
    """`unit`'s six-month report drafted from its records and submitted (its figures frozen in a version)."""
    kwargs.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=10))
    report = half_year_report(unit, report_type, **kwargs)
    drafting.refresh(report, submitter, today=TODAY)
    workflow.submit(report, submitter, report.version)
    return report


def approved_report(unit, report_type, submitter, approver, **kwargs):
    report = submitted_report(unit, report_type, submitter, **kwargs)
    workflow.approve(report, approver)
    return report


def frozen(report) -> dict:
    """{code: value} of the figures of `report`'s latest (approved) version."""
    return {row["code"]: row["value"] for row in workflow.latest_version(report).figures["indicators"]}


@pytest.fixture
def programme(db):
    return ReportType.objects.get(code="programme-half")  # submitted by provinces and by communes


@pytest.fixture
def province_only(programme):
    """The programme's six-month report as only provinces submit it: nothing below consolidates into it, so a
    province's report is drafted from the records of its whole area (the engine), as a commune's is."""
    return ReportType.objects.create(code="programme-half-province", name=programme.name, period_rule="half",
                                     submitting_levels=[AdminUnit.Level.PROVINCE], indicators=programme.indicators)


@pytest.fixture
def approver(people):
    return UserFactory(username="lanhdao.tinh", roles=[(people.province, Role.APPROVER)])


@pytest.fixture
def world(people, province_only):
    """Province 31 (a report only provinces submit: drafted from records): commune A holds 7 sessions, 40 visits
    (20 reminders, 20 suspensions); commune B 5 sessions, 32 visits (10 reminders, 22 suspensions) and 3 businesses
    never visited: 12, 72, 30, 42 as in seed 004, and 2 of 5 businesses under management inspected (40%). The year
    before, A held 8 sessions."""
    a, b = people.commune_a, people.commune_b
    business_a = inspections(a, sessions=7, reminders=20, suspensions=20)
    inspections(b, sessions=5, reminders=10, suspensions=22)
    for _n in range(3):
        BusinessFactory(unit=b, opened_on=D(2025, 1, 1))
    inspections(a, sessions=8, reminders=1, suspensions=0, day=D(2025, 3, 10), business=business_a)
    return half_year_report(people.province, province_only)


@pytest.fixture
def consolidated(world, people, programme, approver):
    """The same records, and the programme's six-month report, which communes submit too: both communes' reports
    are approved (frozen from their records), and the province's report consolidates them."""
    approved_report(people.commune_a, programme, people.officer_a, approver)
    approved_report(people.commune_b, programme, people.officer_b, approver)
    return half_year_report(people.province, programme)


@pytest.fixture
def plan(people):
    """The province's issued 2026 plan (issued 15/01/2026, inside the window) with three targets."""
    plan = PlanFactory(unit=people.province, status=Plan.Status.ISSUED, number="35", issued_on=D(2026, 1, 15),
                       title="Kế hoạch phòng, chống mại dâm năm 2026")
    TargetFactory(plan=plan, order=1, text="Kiểm tra ít nhất 60% cơ sở kinh doanh dịch vụ",
                  indicator="INSP_COVERAGE_PCT", value=60)
    TargetFactory(plan=plan, order=2, text="Tổ chức ít nhất 10 buổi kiểm tra", indicator="INSP_SESSIONS", value=10)
    TargetFactory(plan=plan, order=3, text="Không để hình thành tụ điểm phức tạp kéo dài", indicator="",
                  value=None, assessment=Target.Assessment.ACHIEVED)
    return plan


def by_code(figures):
    return {row["code"]: row for row in figures["indicators"]}


def test_figures_match_the_engine_and_last_year(world):
    figures = drafting.compute_figures(world, today=TODAY)
    json.dumps(figures)  # stored as JSON
    rows = by_code(figures)
    assert list(rows) == [c for c in world.report_type.indicators if c in registry.indicators]
    current = engine.compute(list(rows), world.unit, world.period())
    for value in current:
        row = rows[value.indicator.code]
        assert (row["numerator"], row["denominator"], row["value"]) == (
            value.numerator, value.denominator, value.as_dict()["value"]), value.indicator.code
        assert row["name"] == str(value.indicator.name) and row["measure"] == value.indicator.measure
    assert [rows[c]["value"] for c in ("INSP_SESSIONS", "INSP_VISITS", "INSP_REMINDERS", "INSP_SUSPENSIONS")] == [
        12, 72, 30, 42]
    assert rows["INSP_COVERAGE_PCT"]["value"] == 40.0
    assert (rows["INSP_SESSIONS"]["value_previous"], rows["INSP_SESSIONS"]["change_percent"]) == (8, 50.0)
    assert (rows["INSP_REMINDERS"]["value_previous"], rows["INSP_REMINDERS"]["change_percent"]) == (1, 2900.0)
    assert rows["INSP_SUSPENSIONS"]["value_previous"] == 0 and rows["INSP_SUSPENSIONS"]["change_percent"] is None
    assert rows["TIPS_ON_TIME_PCT"]["value"] is None  # no tips due: no data, never 0%
    assert figures["period"] == {"start": "2025-12-15", "end": "2026-06-14", "label": world.period_label}
    assert figures["previous_period"]["start"] == "2024-12-15"
    assert figures["unit"]["code"] == "31" and figures["computed_at"]


def test_last_year_is_what_the_unit_reported_when_that_report_was_approved(world, people, approver):
    """Last year's report stated 9 sessions; the records now hold 8 (one was deleted since, say): the comparison
    is with what was reported and approved. Without an approved report, the records count."""
    figures = drafting.compute_figures(world, today=TODAY)
    assert figures["previous_report"] is None and by_code(figures)["INSP_SESSIONS"]["value_previous"] == 8
    last_year = ReportFactory(
        unit=people.province, report_type=world.report_type, period_start=D(2024, 12, 15),
        period_end=D(2025, 6, 14), period_label="6 tháng đầu năm 2025", title="Báo cáo 6 tháng đầu năm 2025",
        status=ReportStatus.APPROVED,
        figures={"indicators": [{"code": "INSP_SESSIONS", "numerator": 9, "denominator": None, "value": 9}]})
    figures = drafting.compute_figures(world, today=TODAY)
    rows = by_code(figures)
    assert (rows["INSP_SESSIONS"]["value_previous"], rows["INSP_SESSIONS"]["change_percent"]) == (
        9, 33.33)  # stored rounded to 2 places
    assert rows["INSP_REMINDERS"]["value_previous"] == 1  # not in that report: the records' value
    assert figures["previous_report"] == {"id": last_year.pk, "title": "Báo cáo 6 tháng đầu năm 2025",
                                          "period_label": "6 tháng đầu năm 2025", "number": last_year.number,
                                          "indicators": ["INSP_SESSIONS"]}
    # Only an approved report counts.
    Report.objects.filter(pk=last_year.pk).update(status=ReportStatus.RETURNED)
    assert drafting.compute_figures(world, today=TODAY)["previous_report"] is None
    # Nor one whose consolidation lacked some lower units' reports (its totals were partial), nor one without any
    # of these indicators.
    for figures in ({**last_year.figures, "consolidation": {"incomplete": True}}, {"indicators": []}):
        Report.objects.filter(pk=last_year.pk).update(status=ReportStatus.APPROVED, figures=figures)
        found = drafting.compute_figures(world, today=TODAY)
        assert found["previous_report"] is None and by_code(found)["INSP_SESSIONS"]["value_previous"] == 8


def test_children_breakdown_for_a_province_and_none_for_a_commune(consolidated, world, people, programme):
    # The communes' approved reports, frozen: the province's breakdown states them, counted.
    figures = drafting.compute_figures(consolidated, today=TODAY)
    reports = {report.unit.code: report for report in Report.objects.filter(
        report_type=programme, unit__level=AdminUnit.Level.COMMUNE)}
    rows = {row["unit"]: row for row in figures["children"]["rows"]}
    assert set(rows) == set(reports) == {"11311", "11329"}
    assert rows["11311"]["unit_name"] == "Phường Hồng Bàng" and not rows["11311"]["own"]
    assert rows["11311"]["counted"] and rows["11329"]["counted"]
    assert (rows["11311"]["values"]["INSP_SESSIONS"], rows["11329"]["values"]["INSP_SESSIONS"]) == (7, 5)
    assert (rows["11311"]["values"]["INSP_VISITS"], rows["11329"]["values"]["INSP_VISITS"]) == (40, 32)
    assert rows["11329"]["values"]["INSP_COVERAGE_PCT"] == 25.0  # 1 of its 4 businesses
    for code, report in reports.items():
        values = frozen(report)
        assert rows[code]["values"] == {c: values[c] for c in rows[code]["values"]}
        assert set(rows[code]["values"]) == set(figures["children"]["indicators"])
    assert figures["children"]["indicators"] == [row["code"] for row in figures["indicators"]]

    # A report only provinces submit: the breakdown is the engine's, by commune, from the records.
    figures = drafting.compute_figures(world, today=TODAY)
    assert figures["consolidation"] is None
    rows = {row["unit"]: row for row in figures["children"]["rows"]}
    assert set(rows) == {"11311", "11329"} and not rows["11311"]["own"]
    assert (rows["11311"]["values"]["INSP_SESSIONS"], rows["11329"]["values"]["INSP_SESSIONS"]) == (7, 5)
    assert rows["11329"]["values"]["INSP_COVERAGE_PCT"] == 25.0

    # A commune's breakdown would be itself: none.
    figures = drafting.compute_figures(reports["11311"], today=TODAY)
    assert figures["children"]["rows"] == [] and figures["consolidation"] is None
    assert by_code(figures)["INSP_SESSIONS"]["value"] == 7


def test_a_province_consolidates_its_own_records_and_its_communes_approved_reports(world, people, programme,
                                                                                  approver):
    """Own records + approved communes' frozen figures; a commune submitted but not approved, or with no report, is
    not counted and is listed; a commune's later records are reported as changed, not counted."""
    province = people.province
    team = TeamFactory(unit=province)
    for _n in range(2):
        InspectionSessionFactory(team=team, unit=province, date=MARCH)  # the province's own
    approved_report(people.commune_a, programme, people.officer_a, approver)
    submitted_report(people.commune_b, programme, people.officer_b)  # awaiting approval
    AdminUnitFactory(parent=province, code="11999", name="Xã An Lư", level=AdminUnit.Level.COMMUNE)  # no report
    report = half_year_report(province, programme)

    figures = drafting.compute_figures(report, today=TODAY)
    json.dumps(figures)
    rows = by_code(figures)
    assert rows["INSP_SESSIONS"]["value"] == 2 + 7  # not B's 5, which is not approved
    assert rows["INSP_VISITS"]["value"] == 40
    assert (rows["INSP_SUSPENSIONS"]["value"], rows["INSP_REMINDERS"]["value"]) == (20, 20)
    # A ratio from the summed parts: the province manages no business, A 1 (visited).
    assert (rows["INSP_COVERAGE_PCT"]["numerator"], rows["INSP_COVERAGE_PCT"]["denominator"],
            rows["INSP_COVERAGE_PCT"]["value"]) == (1, 1, 100.0)
    children = {row["unit"]: row for row in figures["children"]["rows"]}
    assert [row["unit_name"] for row in figures["children"]["rows"]] == [
        "Phường Hồng Bàng", "Phường Ngô Quyền", "Xã An Lư"]
    assert children["11311"]["counted"] and children["11311"]["values"]["INSP_SESSIONS"] == 7
    assert not children["11329"]["counted"] and children["11329"]["values"] == {}
    assert not children["11999"]["counted"] and children["11999"]["values"] == {}

    summary = figures["consolidation"]
    assert summary["not_counted"] == ["Phường Ngô Quyền", "Xã An Lư"]
    # Children missing: the consolidated value (own + approved children) is not comparable with last year's (the
    # whole area's records), so no change is stated — never a false drop.
    assert summary["incomplete"] is True
    assert all(row["change_percent"] is None for row in figures["indicators"])
    assert summary["completeness_line"] == "2/3 xã, phường đã nộp báo cáo; 1 đơn vị chưa nộp: Xã An Lư."
    assert summary["timeliness_line"] == "Nộp đúng hạn: 2; nộp muộn: 0."
    assert summary["changed_since_approval"] == []

    # A session A records after its report was approved: listed as changed, the province's figures unchanged.
    InspectionSessionFactory(team=TeamFactory(unit=people.commune_a), unit=people.commune_a, date=D(2026, 4, 1))
    later = drafting.compute_figures(report, today=TODAY)
    assert later["consolidation"]["changed_since_approval"] == [
        {"unit": "11311", "unit_name": "Phường Hồng Bàng", "code": "INSP_SESSIONS", "frozen": 7, "current": 8}]
    assert later["indicators"] == figures["indicators"] and later["children"] == figures["children"]

    # Seen by a user (the pages' live view), the figures are the records they may see, as before.
    live = drafting.compute_figures(report, people.province_officer, today=TODAY)
    assert live["consolidation"] is None
    assert by_code(live)["INSP_SESSIONS"]["value"] == 2 + 8 + 5


def test_the_quoted_sentence_is_drafted_from_the_default_templates(world):
    figures = drafting.compute_figures(world, today=TODAY)
    drafted = drafting.draft_sentences(figures, SentenceTemplate.objects.all())
    assert SEED_004 in drafted["results"]
    assert ("Trên địa bàn có 5 cơ sở kinh doanh dịch vụ dễ bị lợi dụng để hoạt động mại dâm thuộc diện quản lý."
            in drafted["situation"])
    assert ("Tỷ lệ cơ sở kinh doanh dịch vụ thuộc diện quản lý được kiểm tra đạt 40% (2/5 cơ sở)."
            in drafted["results"])
    text = " ".join(s for sentences in drafted.values() for s in sentences)
    assert "tin báo" not in text  # no tips: the count is 0 and the on-time rate has no value
    assert "vụ án" not in text  # every number of the sentence is 0: nothing to state
    assert "{" not in text


def test_a_sentence_is_left_out_when_a_number_is_missing(world):
    figures = drafting.compute_figures(world, today=TODAY)
    templates = [
        SentenceTemplate(code="a", order=1, text="Giải quyết đúng hạn {TIPS_ON_TIME_PCT} tin báo."),  # no value
        SentenceTemplate(code="b", order=2, text="Có {REACH_IZ_WORKERS_PCT} công nhân."),  # no denominator
        SentenceTemplate(code="c", order=3, text="Tổ chức {INSP_SESSIONS} buổi, năm trước {INSP_SESSIONS:previous}; "
                                                 "{INSP_SESSIONS:change}."),
        SentenceTemplate(code="d", order=4, text="Đình chỉ {INSP_SUSPENSIONS:change}."),  # last year 0: no change
        SentenceTemplate(code="e", order=5, text="Chỉ số lạ {NOT_AN_INDICATOR}."),
        SentenceTemplate(code="f", order=6, text="Không an toàn {INSP_SESSIONS.__class__}."),
        SentenceTemplate(code="g", order=7, text="Không an toàn {INSP_SESSIONS!r}."),
        SentenceTemplate(code="h", order=8, text="Kiểu lạ {INSP_SESSIONS:>10}."),
        SentenceTemplate(code="i", order=9, text="Ngoặc {{giữ nguyên}} và {INSP_VISITS} lượt."),
        SentenceTemplate(code="j", order=10, text="Tắt {INSP_VISITS}.", is_active=False),
    ]
    assert drafting.draft_sentences(figures, templates) == {"results": [
        "Tổ chức 12 buổi, năm trước 8; tăng 50%.",
        "Ngoặc {giữ nguyên} và 72 lượt.",
    ]}
    # Zero counts say nothing happened; a rate of 0% is a fact.
    rows = {"indicators": [{"code": "TIPS_RECEIVED", "measure": COUNT, "value": 0},
                           {"code": "TIPS_ON_TIME_PCT", "measure": PERCENT, "value": 0.0, "numerator": 0,
                            "denominator": 4}]}
    assert drafting.fill("Tiếp nhận {TIPS_RECEIVED} tin báo.", rows) is None
    rate = "Đúng hạn {TIPS_ON_TIME_PCT} ({TIPS_ON_TIME_PCT:numerator}/{TIPS_ON_TIME_PCT:denominator})."
    assert drafting.fill(rate, rows) == "Đúng hạn 0% (0/4)."
    # Numbers the report type doesn't carry are missing too.
    assert drafting.fill("{INSP_SESSIONS} buổi", {"indicators": []}) is None
    assert drafting.template_errors("{INSP_SESSIONS.real}") and drafting.template_errors("{NOPE}")
    assert drafting.template_errors("{INSP_SESSIONS:previous} và {TIPS_ON_TIME_PCT:numerator}") == []


def test_numbers_are_written_as_vietnamese_documents_write_them():
    assert drafting.format_value(1234567, COUNT) == "1.234.567"
    assert drafting.format_value(87.75, PERCENT) == "87,8%"
    assert drafting.format_value(65.2, PERCENT) == "65,2%"
    assert drafting.format_value(100.0, PERCENT) == "100%"
    assert drafting.format_value(35000000, VND) == "35.000.000 đồng"
    assert drafting.format_change(12.5) == "tăng 12,5%"
    assert drafting.format_change(-3) == "giảm 3%"
    assert drafting.format_change(0.01) == "không thay đổi"


def test_targets_achieved_or_not(world, plan):
    figures = drafting.compute_figures(world, today=TODAY)
    assert figures["plan"]["reference"] == "35/KH-UBND" and figures["plan"]["status"] == "issued"
    coverage, sessions, hotspots = figures["targets"]
    assert (coverage["actual"], coverage["goal_display"], coverage["achieved"]) == (40.0, "≥ 60%", False)
    assert (sessions["actual"], sessions["achieved"]) == (12, True)
    assert sessions["expected"] == 5.0 and not sessions["final"]  # 10 a year, pro-rata by 14/06
    assert (hotspots["indicator"], hotspots["achieved"]) == (None, True)
    sentences = drafting.draft_sentences(figures, [])["results"]
    assert "Chỉ tiêu “Kiểm tra ít nhất 60% cơ sở kinh doanh dịch vụ”: chưa đạt (thực hiện 40%, chỉ tiêu ≥ 60%)." \
        in sentences
    assert ("Chỉ tiêu “Tổ chức ít nhất 10 buổi kiểm tra”: đạt (thực hiện 12, chỉ tiêu ≥ 10, theo tiến độ đến nay "
            "5).") in sentences
    assert "Chỉ tiêu “Không để hình thành tụ điểm phức tạp kéo dài”: đạt." in sentences


def test_a_target_sentence_states_the_rate_as_the_brief_shows():
    target = {"text": "Kiểm tra ít nhất 60% cơ sở", "indicator": "INSP_COVERAGE_PCT", "measure": PERCENT,
              "kind": "value", "goal": 60.0, "goal_display": "≥ 60%", "expected": 60.0, "actual": 65.21,
              "achieved": True, "final": True}
    assert drafting.target_sentence(target) == (
        "Chỉ tiêu “Kiểm tra ít nhất 60% cơ sở”: đạt (thực hiện 65,2%, chỉ tiêu ≥ 60%).")
    assert drafting.target_sentence({**target, "achieved": None}) is None  # no data: no verdict
    change = {**target, "kind": "change", "actual": -2.5, "achieved": False,
              "goal_display": "≥ +3% so với cùng kỳ năm trước", "goal": 3.0, "expected": 3.0}
    assert drafting.target_sentence(change).endswith(
        "chưa đạt (thực hiện -2,5%, chỉ tiêu ≥ +3% so với cùng kỳ năm trước).")


def test_documents_issued_in_the_period(world, plan, people):
    PlanFactory(unit=people.province, status=Plan.Status.ISSUED, number="2", issued_on=D(2025, 11, 1))  # before
    PlanFactory(unit=people.province)  # draft
    PlanFactory(unit=people.commune_a, status=Plan.Status.ISSUED, number="3", issued_on=D(2026, 2, 1))  # not ours
    InspectionPlanFactory(unit=people.province, title="Kế hoạch kiểm tra năm 2026",
                          status=InspectionPlan.Status.APPROVED, approved_on=D(2026, 2, 20))
    InspectionPlanFactory(unit=people.province)  # not approved
    TeamFactory(unit=people.province, name="Đội kiểm tra liên ngành 178 thành phố", decision_number="12/QĐ-UBND",
                decision_date=D(2026, 1, 5))
    figures = drafting.compute_figures(world, today=TODAY)
    assert [(d["kind"], d["reference"], d["date"]) for d in figures["documents"]] == [
        ("team_decision", "12/QĐ-UBND", "2026-01-05"),
        ("plan", "35/KH-UBND", "2026-01-15"),
        ("inspection_plan", "", "2026-02-20"),
    ]
    sentences = drafting.draft_sentences(figures, [])["results"]
    assert sentences[:3] == [
        "Quyết định số 12/QĐ-UBND ngày 05/01/2026 thành lập đội kiểm tra liên ngành 178 thành phố.",
        "Kế hoạch số 35/KH-UBND ngày 15/01/2026 của Ủy ban nhân dân thành phố Hải Phòng về kế hoạch phòng, chống "
        "mại dâm năm 2026.",
        "Kế hoạch kiểm tra “Kế hoạch kiểm tra năm 2026” được phê duyệt ngày 20/02/2026.",
    ]


def test_refresh_stores_the_figures_with_the_version_check(world, people):
    version = world.version
    drafting.refresh(world, people.province_officer, today=TODAY)
    world.refresh_from_db()
    assert world.version == version + 1 and world.figures_at is not None
    assert by_code(world.figures)["INSP_VISITS"]["value"] == 72
    with pytest.raises(ConcurrentEditError):
        drafting.refresh(world, people.province_officer, expected_version=version, today=TODAY)


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.APPROVED])
def test_refresh_is_refused_once_submitted(world, people, status):
    world.status = status
    world.figures = {"frozen": True}
    world.save()
    with pytest.raises(ValidationError) as raised:
        drafting.refresh(world, people.province_officer, today=TODAY)
    assert raised.value.messages == ["Báo cáo đã nộp: số liệu đã được chốt."]
    world.refresh_from_db()
    assert world.figures == {"frozen": True}
    with pytest.raises(ValidationError):
        drafting.start_narrative(world)


def test_refresh_is_allowed_when_returned(world, people):
    world.status = ReportStatus.RETURNED
    world.save()
    drafting.refresh(world, people.province_officer, today=TODAY)
    assert world.figures["indicators"]


def test_start_narrative_keeps_what_the_officer_wrote(world, people):
    world.narrative = {"results": "Cán bộ đã viết phần này.", "situation": "  "}
    filled = drafting.start_narrative(world)
    assert filled == ["situation"]  # blank counts as empty; results was written; nothing to say elsewhere
    assert world.narrative["results"] == "Cán bộ đã viết phần này."
    assert world.narrative["situation"].startswith("Trên địa bàn có 5 cơ sở")
    assert world.figures  # computed, since the report had none

    world.narrative = {}
    drafting.prepare(world, people.province_officer, today=TODAY)
    world.refresh_from_db()
    assert SEED_004 in world.narrative["results"].split("\n")
    # A second pass changes nothing the first one wrote (and the officer's edits would be kept the same way).
    world.narrative["results"] = "Đã sửa."
    assert drafting.start_narrative(world) == []
    assert world.narrative["results"] == "Đã sửa."


def test_the_default_templates_are_valid_and_use_the_report_types_indicators(db):
    programme = ReportType.objects.get(code="programme-half").indicators
    templates = list(SentenceTemplate.objects.all())
    assert len(templates) == len(defaults.TEMPLATES)
    used = set()
    for template in templates:
        assert drafting.template_errors(template.text) == [], template.code
        template.full_clean()
        used.update(template.indicator_codes())
    assert used == set(programme)  # every indicator of the programme's reports is stated somewhere
    assert SentenceTemplate.objects.get(code="results-inspection").text == (
        "Đội kiểm tra liên ngành đã tổ chức {INSP_SESSIONS} buổi kiểm tra, kiểm tra {INSP_VISITS} lượt cơ sở kinh "
        "doanh dịch vụ; lập biên bản nhắc nhở {INSP_REMINDERS} cơ sở, đình chỉ kinh doanh {INSP_SUSPENSIONS} cơ sở.")


def test_the_number_of_queries_does_not_grow_with_units_or_rows(world, consolidated, plan, people, programme,
                                                                 approver):
    reports = (world, consolidated)  # drafted from the records; consolidating the communes' approved reports
    for report in reports:
        drafting.compute_figures(report, today=TODAY)  # warm caches (content types, translations)
    before = [count_queries(lambda r=report: drafting.compute_figures(r, today=TODAY)) for report in reports]
    for n in range(4):
        commune = AdminUnitFactory(parent=people.province, code=f"1199{n}", level=AdminUnit.Level.COMMUNE)
        inspections(commune, sessions=3, reminders=5, suspensions=2, plain=10)
        writer = UserFactory(username=f"canbo.{commune.code}", roles=[(commune, Role.PROGRAMME_OFFICER)])
        approved_report(commune, programme, writer, approver)
    after = [count_queries(lambda r=report: drafting.compute_figures(r, today=TODAY)) for report in reports]
    assert after == before
    for report in reports:
        figures = drafting.compute_figures(report, today=TODAY)
        assert len(figures["children"]["rows"]) == 6
        assert by_code(figures)["INSP_SESSIONS"]["value"] == 12 + 4 * 3
    assert all(row["counted"] for row in figures["children"]["rows"])


def test_a_complete_consolidation_states_the_change(consolidated):
    figures = drafting.compute_figures(consolidated, today=TODAY)
    assert figures["consolidation"]["incomplete"] is False
    rows = by_code(figures)
    assert (rows["INSP_SESSIONS"]["value"], rows["INSP_SESSIONS"]["value_previous"],
            rows["INSP_SESSIONS"]["change_percent"]) == (12, 8, 50.0)


@pytest.mark.parametrize("store", [drafting.refresh, drafting.prepare])
def test_version_0_is_checked_like_any_other(world, people, store):
    """A version of 0 (stale by definition: versions start at 1) is a conflict, not "no check"."""
    with pytest.raises(ConcurrentEditError):
        store(world, people.province_officer, expected_version=0, today=TODAY)
    world.refresh_from_db()
    assert world.version == 1 and not world.figures


def test_the_snapshot_keeps_sections_and_names_as_they_were(people, programme, approver):
    report = submitted_report(people.commune_a, programme, people.officer_a)
    figures = workflow.latest_version(report).figures
    assert figures["sections"] == programme.section_list()
    assert (figures["unit_name"], figures["parent_name"]) == ("Phường Hồng Bàng", "Thành phố Hải Phòng")
    programme.sections = [{"key": "situation", "title": "Tình hình chung"}]
    programme.save()
    people.commune_a.name = "Phường Hồng Bàng mới"
    people.commune_a.save()
    people.province.name = "Thành phố Hải Phòng mới"
    people.province.save()
    report.refresh_from_db()
    assert workflow.latest_version(report).figures == figures == report.figures
    assert figures["sections"][0]["title"] == "Tình hình" and len(figures["sections"]) == 6
    assert drafting.compute_figures(half_year_report(people.province, programme))["parent_name"] == "Việt Nam"
