"""Report periods and deadlines (Nghị định 09/2019 windows across the year boundary), and opening each period's
reports for every unit that must submit them."""

import datetime

import pytest

from lanhmanh.core.testing import count_queries
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.indicators import periods
from lanhmanh.reporting import rules, services
from lanhmanh.reporting.models import PeriodRule, Report, ReportDeadline, ReportStatus, ReportType

D = datetime.date


def test_the_default_types_are_loaded(db):
    half = ReportType.objects.get(code="programme-half")
    assert (half.period_rule, half.cutoff, half.deadline_day, half.deadline_months_after_end) == ("half", True, 15, 0)
    assert "INSP_COVERAGE_PCT" in half.indicators and half.section_list()[0]["key"] == "situation"
    assert set(ReportType.objects.values_list("code", flat=True)) >= {
        "programme-half", "programme-year", "police-month", "police-quarter", "police-year", "ad-hoc"}


def test_cutoff_periods_cross_the_year_boundary():
    january = dict(rules.periods_of(PeriodRule.MONTH, True, 2026))[1]
    assert (january.start, january.end) == (D(2025, 12, 15), D(2026, 1, 14))
    first_quarter = dict(rules.periods_of(PeriodRule.QUARTER, True, 2026))[1]
    assert (first_quarter.start, first_quarter.end) == (D(2025, 12, 15), D(2026, 3, 14))
    [(_n, year)] = rules.periods_of(PeriodRule.YEAR, True, 2026)
    assert (year.start, year.end) == (D(2025, 12, 15), D(2026, 12, 14))
    [(_n, half)] = rules.periods_of(PeriodRule.HALF, False, 2026)
    assert (half.start, half.end) == (D(2026, 1, 1), D(2026, 6, 30))
    assert rules.periods_of(PeriodRule.AD_HOC, True, 2026) == []


def test_deadlines():
    # Seed 002: the 6-month report before 15/6, the annual one before 15/12 (cut-off windows end on the 14th).
    assert rules.deadline(periods.cutoff_half(2026), 15, 0) == D(2026, 6, 15)
    assert rules.deadline(periods.cutoff_year(2026), 15, 0) == D(2026, 12, 15)
    assert rules.deadline(periods.quarter(2026, 4), 5, 1) == D(2027, 1, 5)  # into the next year
    assert rules.deadline(periods.month(2026, 1), 31, 1) == D(2026, 2, 28)  # the 31st of February is its last day


def test_periods_begun_by_a_day_include_next_years_first_cutoff_month():
    found = rules.current_periods(PeriodRule.MONTH, True, D(2026, 12, 20))
    assert (2027, 1, periods.cutoff_month(2027, 1)) in found
    assert all(period.start <= D(2026, 12, 20) for _y, _n, period in found)


def test_reports_open_for_every_unit_that_submits_once(people):
    police_month = ReportType.objects.get(code="police-month")
    AdminUnitFactory(parent=people.commune_a, level=AdminUnit.Level.RESIDENTIAL_GROUP)  # never submits
    old = AdminUnitFactory(parent=people.province, valid_to=D(2025, 7, 1))  # merged away in 2025
    ReportDeadline.objects.create(report_type=police_month, province=people.province, deadline_day=20)
    period = periods.cutoff_month(2026, 3)

    assert services.open_reports(police_month, 2026, 3, period) == 3  # the province and its two communes
    assert services.open_reports(police_month, 2026, 3, period) == 0  # never twice
    reports = Report.objects.filter(report_type=police_month)
    assert set(reports.values_list("unit__code", flat=True)) == {"31", "11311", "11329"}
    assert not reports.filter(unit=old).exists()
    report = reports.get(unit=people.commune_a)
    assert (report.deadline, report.status, report.period_start, report.period_end, report.number) == (
        D(2026, 3, 20), ReportStatus.DRAFT, D(2026, 2, 15), D(2026, 3, 14), 3)  # the province's own deadline
    assert "03/2026" in report.period_label


def test_opening_runs_a_fixed_number_of_queries(people):
    police_month = ReportType.objects.get(code="police-month")
    small = count_queries(lambda: services.open_reports(police_month, 2026, 1, periods.cutoff_month(2026, 1)))
    for n in range(5):
        AdminUnitFactory(parent=people.province, code=f"1199{n}")
    assert count_queries(lambda: services.open_reports(police_month, 2026, 2, periods.cutoff_month(2026, 2))) == small


def test_open_due_reports_takes_the_current_periods_and_not_long_gone_ones(people):
    counts = services.open_due_reports(D(2026, 6, 20))
    assert "ad-hoc" not in counts  # ad-hoc reports are opened when asked for, not by period
    half = Report.objects.get(report_type__code="programme-half", unit=people.commune_a)
    assert (half.period_start, half.period_end, half.deadline) == (D(2025, 12, 15), D(2026, 6, 14), D(2026, 6, 15))
    months = sorted(Report.objects.filter(report_type__code="police-month", unit=people.commune_a).values_list(
        "period_end", flat=True))
    # July's window began on 15/06; April's deadline (17/04) is more than 60 days gone, as is the 2025 annual
    # report's (15/12/2025).
    assert months == [D(2026, 5, 14), D(2026, 6, 14), D(2026, 7, 14)]
    assert not Report.objects.filter(report_type__code="programme-year", year=2025).exists()
    assert services.open_due_reports(D(2026, 6, 20)) == dict.fromkeys(counts, 0)


@pytest.mark.parametrize(("today", "overdue", "upcoming"), [
    (D(2026, 6, 10), 0, 1), (D(2026, 6, 16), 1, 0)])
def test_overdue_and_upcoming(people, today, overdue, upcoming):
    half = ReportType.objects.get(code="programme-half")
    services.open_reports(half, 2026, 1, periods.cutoff_half(2026))
    mine = Report.objects.filter(unit=people.commune_a)
    assert (mine.overdue(today).count(), mine.upcoming(today).count()) == (overdue, upcoming)
    mine.update(status=ReportStatus.SUBMITTED)
    assert mine.overdue(today).count() == 0


def test_the_report_list_shows_a_units_overdue_reports_and_the_api_is_scoped(client, people):
    from django.utils import timezone
    from django.utils.translation import override

    year = ReportType.objects.get(code="programme-year")
    today = timezone.localdate()
    period = periods.custom(D(today.year - 1, 12, 15), today - datetime.timedelta(days=20))
    services.open_reports(year, today.year, 1, period)
    Report.objects.filter(unit=people.commune_a).update(deadline=today - datetime.timedelta(days=1))
    client.force_login(people.officer_a)
    with override("vi"):
        page = client.get("/reports/report/", {"due": "overdue"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Báo cáo năm công tác phòng, chống mại dâm" in text and "Phường Hồng Bàng" in text
    assert "Phường Ngô Quyền" not in text
    rows = client.get("/api/reports/").json()["results"]
    assert {row["unit"] for row in rows} == {"11311"}
    assert client.post("/api/reports/", {}, content_type="application/json").status_code == 405


def test_a_sentence_template_names_known_indicators_only(db):
    from django.core.exceptions import ValidationError
    from django.utils.translation import override

    from lanhmanh.reporting.models import SentenceTemplate

    with override("vi"), pytest.raises(ValidationError) as error:
        SentenceTemplate(code="x", text="Đã tổ chức {NOPE} buổi.").full_clean()
    assert "NOPE" in str(error.value)
    with override("vi"), pytest.raises(ValidationError) as error:
        SentenceTemplate(code="y", text="Đã tổ chức {INSP_SESSIONS.__class__} buổi.").full_clean()
    assert "ngoặc nhọn" in str(error.value)
    SentenceTemplate(code="z", text="Đã tổ chức {INSP_SESSIONS} buổi kiểm tra.").full_clean()


def test_administrators_edit_sentence_templates_and_bad_ones_are_refused(client, people):
    from django.utils.translation import override

    from lanhmanh.reporting.models import SentenceTemplate

    client.force_login(people.admin)
    assert client.get("/admin/reporting/sentencetemplate/").status_code == 200
    with override("vi"):
        response = client.post("/admin/reporting/sentencetemplate/add/", {
            "code": "thu", "section": "results", "order": 1, "text": "Đã tổ chức {NOPE} buổi.", "is_active": "on"})
    assert response.status_code == 200 and "NOPE" in response.content.decode()
    assert not SentenceTemplate.objects.filter(code="thu").exists()
    assert SentenceTemplate.objects.filter(code__isnull=False).count() > 0  # the default ones


def test_open_due_reports_uses_a_provinces_later_deadline(people):
    # April's window (15/03-14/04) is long gone by the national deadline (17/04 + 60 days < 20/06) but not by the
    # province's own (two months after: 17/06).
    police_month = ReportType.objects.get(code="police-month")
    ReportDeadline.objects.create(report_type=police_month, province=people.province, deadline_day=17,
                                  deadline_months_after_end=2)
    services.open_due_reports(D(2026, 6, 20))
    april = Report.objects.get(report_type=police_month, unit=people.commune_a, period_end=D(2026, 4, 14))
    assert april.deadline == D(2026, 6, 17)


def test_report_type_sections_are_validated(db):
    from django.core.exceptions import ValidationError

    def errors(sections):
        report_type = ReportType(code="thu", name="Thử", period_rule=PeriodRule.HALF, submitting_levels=[1, 3],
                                 sections=sections)
        try:
            report_type.clean()
        except ValidationError as error:
            return error.message_dict.get("sections", [])
        return []

    assert errors([]) == [] and errors([{"key": "results", "title": "Kết quả"}, {"key": "de-xuat", "title": "Đề xuất"}
                                        ]) == []
    assert errors([{"title": "Kết quả"}]) == [
        "Phần 1: mã (key) chỉ gồm chữ không dấu, chữ số, gạch ngang và gạch dưới."]
    assert errors([{"key": "kết quả", "title": "Kết quả"}]) != []
    assert errors([{"key": "results", "title": " "}]) == ["Phần 1: hãy nhập tiêu đề (title)."]
    assert errors([{"key": "a", "title": "A"}, {"key": "a", "title": "B"}]) == ["Phần 2: mã “a” bị trùng."]
    assert errors({"key": "a"}) != [] and errors(["a"]) == ["Phần 1 phải có mã (key) và tiêu đề (title)."]


def test_a_deadline_inside_its_own_period_is_refused(people):
    from django.core.exceptions import ValidationError

    message = "Hạn nộp phải sau ngày cuối kỳ báo cáo."
    # Calendar months end on the 28th-31st: the 15th of the last month is inside the period.
    calendar_month = ReportType(code="thu", name="Thử", period_rule=PeriodRule.MONTH, cutoff=False,
                                submitting_levels=[3], deadline_day=15, deadline_months_after_end=0)
    with pytest.raises(ValidationError) as raised:
        calendar_month.clean()
    assert raised.value.message_dict["deadline_day"] == [message]
    calendar_month.deadline_months_after_end = 1  # 15th of the next month
    calendar_month.clean()
    calendar_half = ReportType(code="thu-6", name="Thử", period_rule=PeriodRule.HALF, cutoff=False,
                               submitting_levels=[3], deadline_day=15, deadline_months_after_end=0)
    with pytest.raises(ValidationError):
        calendar_half.clean()
    # The default cut-off types: 15/06 after a period ending on 14/06.
    for report_type in ReportType.objects.exclude(period_rule=PeriodRule.AD_HOC):
        report_type.clean()

    half = ReportType.objects.get(code="programme-half")
    ReportDeadline(report_type=half, province=people.province, deadline_day=20).clean()
    with pytest.raises(ValidationError) as raised:
        ReportDeadline(report_type=half, province=people.province, deadline_day=10).clean()  # 10/06 < 14/06
    assert raised.value.message_dict["deadline_day"] == [message]
    unsaved = ReportType(code="thu-moi", name="Thử", period_rule=PeriodRule.MONTH, cutoff=False, submitting_levels=[3])
    with pytest.raises(ValidationError):  # a type added with its deadlines in the same page
        ReportDeadline(report_type=unsaved, province=people.province, deadline_day=15).clean()
