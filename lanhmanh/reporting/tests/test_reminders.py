"""Reminders by e-mail as a report's deadline approaches: to the unit's own programme officers, and a summary of the
children that have not submitted to the upper unit's — in a fixed number of queries; and the daily task."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from lanhmanh.accounts.models import Membership
from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.testing import count_queries
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.reporting import reminders, tasks
from lanhmanh.reporting.models import Report, ReportStatus, ReportType
from lanhmanh.reporting.reminders import due_reminders, due_summaries, remind_today, send_report_reminders
from lanhmanh.reporting.tests.factories import ReportFactory

D = datetime.date
TODAY = D(2026, 6, 13)
DUE = D(2026, 6, 15)  # two days ahead
START, END = D(2025, 12, 15), D(2026, 6, 14)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.LANHMANH_BASE_URL = "https://lanhmanh.example.vn/"
    settings.REPORT_REMINDER_DAYS = 3


@pytest.fixture
def report_type(db):
    # Only this type: the catalogue's own (migrations) would open reports of their own.
    ReportType.objects.update(is_active=False)
    return ReportType.objects.create(code="thu-nhac", name="Báo cáo 6 tháng thử", period_rule="half",
                                     submitting_levels=[1, 3])


@pytest.fixture
def officers(people):
    """The programme officers of the people fixture, with e-mail addresses."""
    for user in (people.officer_a, people.officer_b, people.province_officer):
        user.email = f"{user.username}@example.vn"
        user.save(update_fields=["email"])
    return people


def report_of(unit, report_type, deadline=DUE, **kwargs):
    kwargs.setdefault("period_start", START)
    kwargs.setdefault("period_end", END)
    return ReportFactory(unit=unit, report_type=report_type, deadline=deadline, **kwargs)


def earlier_report_of(unit, report_type, deadline):
    return report_of(unit, report_type, deadline, period_start=D(2026, 1, 1), period_end=D(2026, 3, 31),
                     period_label="Quý I năm 2026")


def commune(people, name):
    return AdminUnitFactory(name=name, parent=people.province, level=AdminUnit.Level.COMMUNE)


def test_the_units_own_officer_with_an_email_is_reminded(officers, report_type):
    people = officers
    report_a = report_of(people.commune_a, report_type)
    report_b = report_of(people.commune_b, report_type, status=ReportStatus.RETURNED)
    # Not reminded: the support worker of commune A (not a programme officer), a programme officer of commune A
    # without an e-mail address, one whose membership ended, and a viewer.
    UserFactory(username="khongmail", roles=[(people.commune_a, Role.PROGRAMME_OFFICER)])
    former = UserFactory(username="danghi", email="danghi@example.vn",
                         roles=[(people.commune_a, Role.PROGRAMME_OFFICER)])
    Membership.objects.filter(user=former).update(is_active=False)
    UserFactory(username="xem", email="xem@example.vn", roles=[(people.commune_a, Role.VIEWER)])
    people.support_worker.email = "hotro@example.vn"
    people.support_worker.save(update_fields=["email"])

    found = due_reminders(TODAY)
    assert found == {people.officer_a: [report_a], people.officer_b: [report_b]}
    # The province officer is not reminded of the communes' reports (their deadline is more than a day away).
    assert due_summaries(TODAY) == {}


def test_nobody_is_reminded_of_submitted_or_approved_reports_or_far_deadlines(officers, report_type):
    people = officers
    report_of(people.commune_a, report_type, status=ReportStatus.SUBMITTED, deadline=TODAY)
    report_of(people.commune_b, report_type, status=ReportStatus.APPROVED, deadline=TODAY - datetime.timedelta(1))
    report_of(people.province, report_type, deadline=TODAY + datetime.timedelta(days=4))
    assert due_reminders(TODAY) == {} and due_summaries(TODAY) == {}
    assert send_report_reminders(TODAY) == 0


def test_the_reminder_window_is_a_setting(officers, report_type, settings):
    people = officers
    report = report_of(people.province, report_type, deadline=TODAY + datetime.timedelta(days=5))
    assert due_reminders(TODAY) == {}
    settings.REPORT_REMINDER_DAYS = 5
    assert due_reminders(TODAY) == {people.province_officer: [report]}


def test_overdue_reports_are_reminded_daily_for_a_week_then_weekly():
    deadline = D(2026, 6, 15)
    reminded = [n for n in range(-10, 40) if remind_today(deadline, deadline + datetime.timedelta(days=n), 3)]
    assert reminded == [-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 14, 21, 28, 35]


def test_the_email_lists_deadline_overdue_marker_and_link_without_personal_data(officers, report_type, mailoutbox):
    people = officers
    due = report_of(people.commune_a, report_type)
    late = earlier_report_of(people.commune_a, report_type, TODAY - datetime.timedelta(days=2))
    assert send_report_reminders(TODAY) == 2  # commune A's officer; the province's gets the overdue one's summary
    message = next(m for m in mailoutbox if m.to == ["canbo.a@example.vn"])
    assert message.subject == "[Lành Mạnh] 1 báo cáo sắp đến hạn nộp, 1 quá hạn"
    body = message.body
    assert "hạn nộp 15/06/2026 · còn 2 ngày" in body
    assert "hạn nộp 11/06/2026 · QUÁ HẠN 2 ngày" in body
    for report in (due, late):
        assert f"https://lanhmanh.example.vn{due_url(report)}" in body
    assert "Báo cáo 6 tháng thử · 6 tháng đầu năm 2026 (chốt số liệu) · Phường Hồng Bàng" in body
    # No names of people: not the officer's own, nor anyone else's.
    assert people.officer_a.full_name not in body and "canbo" not in body


def due_url(report):
    return reverse("reporting:report_detail", args=[report.pk])


def test_the_upper_unit_gets_a_summary_of_children_that_have_not_submitted(officers, report_type, mailoutbox):
    people = officers
    last_day = TODAY + datetime.timedelta(days=1)
    report_of(people.commune_a, report_type, deadline=last_day)
    report_of(people.commune_b, report_type, deadline=last_day, status=ReportStatus.SUBMITTED)
    an_lu = commune(people, "Xã An Lư")
    report_of(an_lu, report_type, deadline=last_day, status=ReportStatus.RETURNED)
    report_of(commune(people, "Xã Thủy Nguyên"), report_type, deadline=last_day, status=ReportStatus.APPROVED)
    # Another province's commune is none of Hải Phòng's business.
    other = AdminUnitFactory(code="01", name="Thành phố Hà Nội", level=AdminUnit.Level.PROVINCE, parent=people.nation)
    report_of(AdminUnitFactory(name="Phường Ba Đình", parent=other), report_type, deadline=last_day)

    summaries = due_summaries(TODAY)
    assert list(summaries) == [people.province_officer]
    [summary] = summaries[people.province_officer]
    assert (summary.total, [r.unit.name for r in summary.pending]) == (4, ["Phường Hồng Bàng", "Xã An Lư"])

    assert send_report_reminders(TODAY) == 2  # Hồng Bàng's officer (An Lư has none) and the province's
    body = next(m for m in mailoutbox if m.to == ["canbo.tinh@example.vn"]).body
    assert "2/4 xã, phường, đặc khu chưa nộp: Phường Hồng Bàng, Xã An Lư." in body
    assert "Báo cáo 6 tháng thử · 6 tháng đầu năm 2026 (chốt số liệu) · Thành phố Hải Phòng" in body
    assert "hạn nộp 14/06/2026 · còn 1 ngày" in body
    list_url = reverse("reporting:report_list")
    assert f"https://lanhmanh.example.vn{list_url}?report_type={report_type.pk}&year=2026" in body
    assert "Phường Ngô Quyền" not in body and "Ba Đình" not in body


def test_no_summary_while_children_have_more_than_a_day_left(officers, report_type):
    report_of(officers.commune_a, report_type)  # two days left
    assert due_summaries(TODAY) == {}
    assert due_summaries(TODAY + datetime.timedelta(days=1)) != {}


def test_police_reports_remind_the_units_police_and_programme_reports_its_officers(officers, report_type,
                                                                                   mailoutbox):
    """Each report goes to the members of its own unit whose role writes it (reminders.WRITER_ROLES), and the
    summary of the children to the upper unit's members in that role."""
    people = officers
    police_type = ReportType.objects.create(code="police-thu", name="Báo cáo tháng của công an thử",
                                            period_rule="month", submitting_levels=[1, 3])
    police = UserFactory(username="congan.a", email="congan.a@example.vn", roles=[(people.commune_a, Role.POLICE)])
    province_police = UserFactory(username="congan.tinh", email="congan.tinh@example.vn",
                                  roles=[(people.province, Role.POLICE)])
    police_report = report_of(people.commune_a, police_type, deadline=TODAY, period_label="Tháng 5 năm 2026")
    programme_report = report_of(people.commune_a, report_type, deadline=TODAY)

    reminded = due_reminders(TODAY)
    assert reminded[police] == [police_report]
    assert reminded[people.officer_a] == [programme_report]
    summaries = due_summaries(TODAY)
    assert [s.report_type for s in summaries[province_police]] == [police_type]
    assert [s.report_type for s in summaries[people.province_officer]] == [report_type]
    assert reminders.writer_role(police_type) == Role.POLICE
    assert reminders.writer_role(report_type) == Role.PROGRAMME_OFFICER

    send_report_reminders(TODAY)
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert bodies["congan.a@example.vn"].startswith("Kính gửi cán bộ công an,")
    assert "Báo cáo tháng của công an thử" in bodies["congan.a@example.vn"]
    assert "Báo cáo 6 tháng thử" not in bodies["congan.a@example.vn"]
    assert "Báo cáo tháng của công an thử" not in bodies[people.officer_a.email]


def test_a_fixed_number_of_queries_whatever_the_number_of_units_and_reports(officers, report_type, mailoutbox):
    people = officers

    def add_communes(n, start):
        for i in range(start, start + n):
            unit = commune(people, f"Xã Số {i}")
            UserFactory(username=f"canbo.xa{i}", email=f"xa{i}@example.vn", roles=[(unit, Role.PROGRAMME_OFFICER)])
            report_of(unit, report_type, deadline=TODAY)
            earlier_report_of(unit, report_type, TODAY - datetime.timedelta(days=3))

    add_communes(2, 0)
    few = count_queries(lambda: send_report_reminders(TODAY))
    add_communes(8, 2)
    mailoutbox.clear()
    many = count_queries(lambda: send_report_reminders(TODAY))
    assert many == few <= 4
    assert len(mailoutbox) == 11  # ten communes' officers and the province's


def test_the_command_sends_and_can_open_the_reports_first(officers, report_type, mailoutbox):
    from io import StringIO

    report_type.submitting_levels = [1]
    report_type.save()
    out = StringIO()
    call_command("send_report_reminders", "--open", "--date", "2026-06-13", stdout=out)
    assert Report.objects.filter(unit=officers.province, report_type=report_type).exists()
    assert "1 reminder e-mail(s) sent." in out.getvalue()
    assert mailoutbox[0].to == ["canbo.tinh@example.vn"]


def _pending():
    return DBTaskResult.objects.filter(task_path=tasks.daily_reporting.module_path, status=TaskResultStatus.READY)


def test_the_daily_task_opens_reports_sends_reminders_and_schedules_tomorrow(officers, report_type, mailoutbox,
                                                                            monkeypatch):
    monkeypatch.setattr(tasks.timezone, "localdate", lambda: TODAY)
    report_of(officers.commune_a, report_type, deadline=TODAY)
    result = tasks.daily_reporting.call()
    # The half-year reports (due 15/06/2026) of the province and commune B are opened, commune A's was already.
    assert result["opened"] == {"thu-nhac": 2}
    assert Report.objects.filter(report_type=report_type, period_start=START, deadline=DUE).count() == 2
    # Each unit's officer, and the province's its own report and the summary (commune A's is due today) in one mail.
    assert result["reminders"] == 3
    assert sorted(m.to[0] for m in mailoutbox) == ["canbo.a@example.vn", "canbo.b@example.vn", "canbo.tinh@example.vn"]
    province_mail = next(m for m in mailoutbox if m.to == ["canbo.tinh@example.vn"]).body
    assert "Thành phố Hải Phòng · hạn nộp 15/06/2026 · còn 2 ngày" in province_mail
    assert "1/2 xã, phường, đặc khu chưa nộp: Phường Hồng Bàng." in province_mail
    run_after = timezone.localtime(_pending().get().run_after)
    assert (run_after.hour, run_after.minute) == (6, 0) and run_after > timezone.now()
    assert run_after - timezone.now() <= datetime.timedelta(days=1)
    # Run again while tomorrow's run waits: still one run waiting.
    tasks.daily_reporting.call()
    assert _pending().count() == 1


def test_ensure_scheduled_enqueues_once(db):
    assert tasks.ensure_scheduled() is not None
    assert tasks.ensure_scheduled() is None
    assert _pending().count() == 1
    _pending().update(status=TaskResultStatus.RUNNING)
    assert tasks.ensure_scheduled() is None
    DBTaskResult.objects.update(status=TaskResultStatus.SUCCESSFUL)
    assert tasks.ensure_scheduled() is not None and _pending().count() == 1


def test_the_schedule_option_queues_one_daily_run(db, mailoutbox):
    call_command("send_report_reminders", "--schedule")
    call_command("send_report_reminders", "--schedule")
    assert tasks.pending_runs().count() == 1 and mailoutbox == []


def test_next_run_is_the_next_six_o_clock():
    tz = timezone.get_current_timezone()
    assert tasks.next_run(datetime.datetime(2026, 3, 1, 5, 30, tzinfo=tz)) == datetime.datetime(2026, 3, 1, 6,
                                                                                                tzinfo=tz)
    assert tasks.next_run(datetime.datetime(2026, 3, 1, 6, 0, tzinfo=tz)) == datetime.datetime(2026, 3, 2, 6,
                                                                                               tzinfo=tz)


def test_reminder_days_falls_back_to_the_environment(settings, monkeypatch):
    del settings.REPORT_REMINDER_DAYS
    monkeypatch.setenv("REPORT_REMINDER_DAYS", "5")
    assert reminders.reminder_days() == 5
    monkeypatch.delenv("REPORT_REMINDER_DAYS")
    assert reminders.reminder_days() == 3
