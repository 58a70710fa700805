"""An upper unit's report: its own records plus its children's approved frozen figures (ratios from summed parts),
completeness and timeliness, and the figures children changed since approval — in a constant number of queries."""

import datetime

import pytest
from django.utils import timezone

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.testing import count_queries
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.indicators import engine, periods
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, TeamFactory
from lanhmanh.reporting import workflow
from lanhmanh.reporting.consolidation import MISSING, completeness, consolidate
from lanhmanh.reporting.models import Report, ReportDeadline, ReportStatus, ReportType
from lanhmanh.reporting.tests.factories import ReportFactory

D = datetime.date
START, END = D(2025, 12, 15), D(2026, 6, 14)
CODES = ["INSP_SESSIONS", "INSP_COVERAGE_PCT"]


@pytest.fixture
def report_type(db):
    return ReportType.objects.create(code="thu-tong-hop", name="Báo cáo thử tổng hợp", period_rule="half",
                                     submitting_levels=[1, 3], indicators=CODES)


@pytest.fixture
def approver(people):
    return UserFactory(username="lanhdao.tinh", roles=[(people.province, Role.APPROVER)])


def figures(sessions, covered=None, managed=None):
    rows = [{"code": "INSP_SESSIONS", "numerator": sessions, "denominator": None, "value": sessions}]
    if managed is not None:
        rows.append({"code": "INSP_COVERAGE_PCT", "numerator": covered, "denominator": managed,
                     "value": round(100 * covered / managed, 2) if managed else None})
    return {"indicators": rows}


def engine_figures(unit):
    result = engine.compute(CODES, unit, periods.Period(START, END))
    return {"indicators": [{"code": v.indicator.code, "numerator": v.numerator, "denominator": v.denominator,
                            "value": v.value} for v in result]}


def writer(unit):
    """An officer of `unit` itself (only the unit writes and submits its report)."""
    return UserFactory(username=f"canbo.{unit.code}", roles=[(unit, Role.PROGRAMME_OFFICER)])


def report_of(unit, report_type, **kwargs):
    kwargs.setdefault("deadline", timezone.localdate() + datetime.timedelta(days=10))
    kwargs.setdefault("figures_at", timezone.now())  # fresh figures, as a submission needs
    return ReportFactory(unit=unit, report_type=report_type, period_start=START, period_end=END, **kwargs)


def submitted(unit, report_type, submitter, **kwargs):
    report = report_of(unit, report_type, **kwargs)
    workflow.submit(report, submitter, report.version)
    return report


def approved(unit, report_type, submitter, approver, **kwargs):
    report = submitted(unit, report_type, submitter, **kwargs)
    workflow.approve(report, approver)
    return report


def commune(people, name, **kwargs):
    return AdminUnitFactory(name=name, parent=people.province, level=AdminUnit.Level.COMMUNE, **kwargs)


def test_consolidation_counts_own_records_and_approved_children_only(people, report_type, approver):
    province_report = report_of(people.province, report_type)
    InspectionSessionFactory(team=TeamFactory(unit=people.province), date=D(2026, 2, 1))  # the province's own
    InspectionSessionFactory(team=TeamFactory(unit=people.province), date=D(2026, 7, 1))  # after the period
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    approved(people.commune_a, report_type, people.officer_a, approver, figures=figures(5, 3, 4), deadline=yesterday)
    approved(people.commune_b, report_type, people.officer_b, approver, figures=figures(2, 1, 6))
    an_lu = commune(people, "Xã An Lư")
    submitted(an_lu, report_type, writer(an_lu), figures=figures(100, 100, 100))  # not approved yet: not counted
    commune(people, "Xã Đông Hải")  # no report at all
    cat_bi = commune(people, "Phường Cát Bi")
    report_of(cat_bi, report_type, figures=figures(50, 50, 50))  # still a draft
    returned = commune(people, "Phường Lê Chân")
    report = submitted(returned, report_type, writer(returned), figures=figures(70, 70, 70))
    workflow.return_report(report, approver, "Thiếu số liệu.")
    AdminUnitFactory(name="Tổ dân phố 1", parent=people.commune_a, level=AdminUnit.Level.RESIDENTIAL_GROUP)
    commune(people, "Phường Cũ", valid_to=D(2025, 7, 1))  # merged away: not a child

    result = consolidate(province_report)

    by_code = {row["code"]: row for row in result["indicators"]}
    sessions = by_code["INSP_SESSIONS"]
    assert (sessions["own_numerator"], sessions["children_numerator"], sessions["numerator"]) == (1, 7, 8)
    assert sessions["denominator"] is None and sessions["value"] == 8
    coverage = by_code["INSP_COVERAGE_PCT"]
    # (3 + 1) / (4 + 6), from summed parts — not the average of 75 % and 16.67 %.
    assert (coverage["numerator"], coverage["denominator"], coverage["value"]) == (4, 10, 40.0)

    assert result["completeness_line"] == (
        "3/6 xã, phường đã nộp báo cáo; 3 đơn vị chưa nộp: Phường Cát Bi, Phường Lê Chân, Xã Đông Hải.")
    assert result["completeness"]["approved"] == 2 and result["completeness"]["submitted"] == 3
    assert result["timeliness_line"] == "Nộp đúng hạn: 2; nộp muộn: 1 (Phường Hồng Bàng)."
    assert (result["completeness"]["on_time"], result["completeness"]["late"]) == (2, 1)
    assert {(row["unit_name"], row["status"]) for row in result["not_counted"]} == {
        ("Xã An Lư", ReportStatus.SUBMITTED), ("Xã Đông Hải", MISSING), ("Phường Cát Bi", ReportStatus.DRAFT),
        ("Phường Lê Chân", ReportStatus.RETURNED)}
    counted = {row["unit_name"]: row["indicators"] for row in result["children"] if row["counted"]}
    assert counted == {
        "Phường Hồng Bàng": {"INSP_SESSIONS": {"numerator": 5, "denominator": None, "value": 5},
                             "INSP_COVERAGE_PCT": {"numerator": 3, "denominator": 4, "value": 75.0}},
        "Phường Ngô Quyền": {"INSP_SESSIONS": {"numerator": 2, "denominator": None, "value": 2},
                             "INSP_COVERAGE_PCT": {"numerator": 1, "denominator": 6, "value": 16.67}},
    }


def test_every_child_submitted_and_no_denominator(people, report_type, approver):
    province_report = report_of(people.province, report_type)
    approved(people.commune_a, report_type, people.officer_a, approver, figures=figures(1))
    approved(people.commune_b, report_type, people.officer_b, approver, figures=figures(2))

    result = consolidate(province_report)

    assert result["completeness_line"] == "2/2 xã, phường đã nộp báo cáo."
    coverage = next(row for row in result["indicators"] if row["code"] == "INSP_COVERAGE_PCT")
    assert (coverage["numerator"], coverage["denominator"], coverage["value"]) == (0, None, None)


def test_the_nation_consolidates_provinces(people, report_type, approver):
    national = UserFactory(username="lanhdao.tw", roles=[(people.nation, Role.APPROVER)])
    hanoi = AdminUnitFactory(code="01", name="Thành phố Hà Nội", level=AdminUnit.Level.PROVINCE, parent=people.nation)
    approved(people.province, report_type, people.province_officer, national, figures=figures(8, 4, 10))
    approved(people.commune_a, report_type, people.officer_a, approver, figures=figures(99))  # counted by 31 only

    result = consolidate(report_of(people.nation, report_type))

    assert result["completeness_line"] == f"1/2 tỉnh, thành phố đã nộp báo cáo; 1 đơn vị chưa nộp: {hanoi.name}."
    assert [row["numerator"] for row in result["indicators"]] == [8, 4]


def test_figures_changed_since_approval(people, report_type, approver):
    team_a = TeamFactory(unit=people.commune_a)
    InspectionSessionFactory(team=team_a, date=D(2026, 3, 10))
    InspectionSessionFactory(team=team_a, date=D(2026, 4, 10))
    InspectionSessionFactory(team=TeamFactory(unit=people.commune_b), date=D(2026, 3, 12))
    approved(people.commune_a, report_type, people.officer_a, approver, figures=engine_figures(people.commune_a))
    approved(people.commune_b, report_type, people.officer_b, approver, figures=engine_figures(people.commune_b))
    province_report = report_of(people.province, report_type)
    assert consolidate(province_report)["changed_since_approval"] == []

    InspectionSessionFactory(team=team_a, date=D(2026, 5, 1))  # commune A corrects its records after approval
    result = consolidate(province_report)

    assert [(c["unit"], c["code"], c["frozen"], c["current"]) for c in result["changed_since_approval"]] == [
        (people.commune_a, "INSP_SESSIONS", 2, 3)]
    sessions = next(row for row in result["indicators"] if row["code"] == "INSP_SESSIONS")
    assert sessions["numerator"] == 3  # the frozen 2 + 1, not the corrected 3 + 1


def test_completeness_rows_in_one_query(people, report_type, approver):
    ReportDeadline.objects.create(report_type=report_type, province=people.province, deadline_day=20)
    approved(people.commune_a, report_type, people.officer_a, approver, figures=figures(1))
    report_of(people.commune_b, report_type, deadline=D(2026, 6, 20))
    commune(people, "Xã Đông Hải")

    rows = []
    assert count_queries(lambda: rows.extend(completeness(report_type, START, END, people.province,
                                                          today=D(2026, 7, 1)))) == 1

    by_name = {row["unit"].name: row for row in rows}
    assert [row["unit"].name for row in rows] == ["Phường Hồng Bàng", "Phường Ngô Quyền", "Xã Đông Hải"]
    a, b, missing = by_name["Phường Hồng Bàng"], by_name["Phường Ngô Quyền"], by_name["Xã Đông Hải"]
    assert (a["status"], a["is_late"], a["overdue"]) == (ReportStatus.APPROVED, False, False)
    assert a["submitted_at"] is not None
    assert (b["status"], b["deadline"], b["overdue"]) == (ReportStatus.DRAFT, D(2026, 6, 20), True)
    # No report opened: the province's own deadline (20/6) applies.
    assert (missing["status"], missing["report_id"], missing["deadline"], missing["overdue"]) == (
        MISSING, None, D(2026, 6, 20), True)
    assert missing["status_display"] == "Chưa có báo cáo"
    assert completeness(report_type, START, END, people.commune_a) == []  # nothing below a commune submits


def test_consolidation_queries_do_not_grow_with_children(people, report_type, approver):
    for unit, officer in ((people.commune_a, people.officer_a), (people.commune_b, people.officer_b)):
        InspectionSessionFactory(team=TeamFactory(unit=unit), date=D(2026, 3, 1))
        approved(unit, report_type, officer, approver, figures=engine_figures(unit))
    province_report = report_of(people.province, report_type)

    def run():
        report = Report.objects.select_related("unit", "report_type").get(pk=province_report.pk)
        return count_queries(lambda: consolidate(report))

    few = run()
    for n in range(4):
        unit = commune(people, f"Xã Thêm {n}")
        InspectionSessionFactory(team=TeamFactory(unit=unit), date=D(2026, 3, 2))
        if n % 2:
            approved(unit, report_type, writer(unit), approver, figures=engine_figures(unit))
        else:
            submitted(unit, report_type, writer(unit), figures=figures(1))
    assert run() == few
    assert few <= 8, few


def test_a_commune_has_only_its_own_records(people, report_type):
    group = AdminUnitFactory(name="Tổ dân phố 2", parent=people.commune_a, level=AdminUnit.Level.RESIDENTIAL_GROUP)
    InspectionSessionFactory(team=TeamFactory(unit=people.commune_a), date=D(2026, 3, 1))
    InspectionSessionFactory(team=TeamFactory(unit=group), date=D(2026, 3, 2))

    result = consolidate(report_of(people.commune_a, report_type))

    assert result["children"] == [] and result["indicators"][0]["numerator"] == 2
    assert result["completeness_line"] == "" and result["timeliness_line"] == ""


def consolidated_figures(report):
    return {"indicators": [{key: row[key] for key in ("code", "numerator", "denominator", "value")}
                           for row in consolidate(report)["indicators"]]}


def approved_province(province, report_type, submitter, approver):
    """`province`'s report with the figures its consolidation gives now, submitted and approved."""
    report = report_of(province, report_type)
    report.figures = consolidated_figures(report)
    report.save()
    workflow.submit(report, submitter, report.version)
    workflow.approve(report, approver)
    return report


def test_the_nation_compares_a_province_with_its_own_consolidation(people, report_type, approver):
    national = UserFactory(username="lanhdao.tw", roles=[(people.nation, Role.APPROVER)])
    InspectionSessionFactory(team=TeamFactory(unit=people.province), date=D(2026, 2, 1))  # the province's own
    team_a = TeamFactory(unit=people.commune_a)
    InspectionSessionFactory(team=team_a, date=D(2026, 3, 10))
    InspectionSessionFactory(team=team_a, date=D(2026, 4, 10))
    for day in (1, 2, 3):  # commune B's records: its report is not approved, so the province did not count them
        InspectionSessionFactory(team=TeamFactory(unit=people.commune_b), date=D(2026, 3, day))
    approved(people.commune_a, report_type, people.officer_a, approver, figures=engine_figures(people.commune_a))
    report_of(people.commune_b, report_type, figures=engine_figures(people.commune_b))
    province = approved_province(people.province, report_type, people.province_officer, national)
    assert [row["numerator"] for row in province.figures["indicators"]] == [3, 0]  # 1 own + 2 of commune A
    nation_report = report_of(people.nation, report_type)

    result = consolidate(nation_report)
    # Not "changed": the province's consolidation today is still 3 (the whole province's records are 6).
    assert result["changed_since_approval"] == []
    assert result["indicators"][0]["numerator"] == 3

    InspectionSessionFactory(team=team_a, date=D(2026, 5, 1))  # commune A's correction: its frozen 2 still counts
    assert consolidate(nation_report)["changed_since_approval"] == []
    InspectionSessionFactory(team=TeamFactory(unit=people.province), date=D(2026, 5, 2))  # the province's own
    result = consolidate(nation_report)
    assert [(c["unit"], c["code"], c["frozen"], c["current"]) for c in result["changed_since_approval"]] == [
        (people.province, "INSP_SESSIONS", 3, 4)]
    assert result["indicators"][0]["numerator"] == 3  # the frozen figures still count


def test_the_nations_queries_do_not_grow_with_provinces_and_communes(people, report_type, approver):
    national = UserFactory(username="lanhdao.tw", roles=[(people.nation, Role.APPROVER)])
    InspectionSessionFactory(team=TeamFactory(unit=people.commune_a), date=D(2026, 3, 1))
    approved(people.commune_a, report_type, people.officer_a, approver, figures=engine_figures(people.commune_a))
    approved_province(people.province, report_type, people.province_officer, national)
    nation_report = report_of(people.nation, report_type)

    def run():
        report = Report.objects.select_related("unit", "report_type").get(pk=nation_report.pk)
        return count_queries(lambda: consolidate(report))

    few = run()
    for n in range(2):
        province = AdminUnitFactory(code=f"9{n}", name=f"Tỉnh Thêm {n}", level=AdminUnit.Level.PROVINCE,
                                    parent=people.nation)
        province_approver = UserFactory(username=f"lanhdao.{n}", roles=[(province, Role.APPROVER)])
        for m in range(2):
            unit = AdminUnitFactory(code=f"9{n}{m}", name=f"Xã Thêm {n}{m}", level=AdminUnit.Level.COMMUNE,
                                    parent=province)
            InspectionSessionFactory(team=TeamFactory(unit=unit), date=D(2026, 3, 2))
            approved(unit, report_type, writer(unit), province_approver, figures=engine_figures(unit))
        approved_province(province, report_type, writer(province), national)
    assert run() == few
    assert consolidate(nation_report)["changed_since_approval"] == []
