"""Legal deadlines: rules kept as data, calendar days rolled past days off, working days skipping Tết, extensions
within the legal maximum, and "on time" computed from the dates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lanhmanh.core import workdays
from lanhmanh.tips import services
from lanhmanh.tips.models import DeadlineRule, Tip, TipKind
from lanhmanh.tips.tests.factories import TipFactory


def at(day: datetime.date, hour=9):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, 0))


def test_tet_2026_and_weekends_are_days_off():
    assert workdays.is_day_off(datetime.date(2026, 2, 17))  # Tết Nguyên Đán
    assert workdays.is_day_off(datetime.date(2026, 2, 21))  # Saturday
    assert not workdays.is_day_off(datetime.date(2026, 2, 23))
    assert workdays.holiday_name(datetime.date(2026, 2, 17)) == "Tết Nguyên Đán"


def test_every_kind_has_a_rule_with_its_legal_reference(db):
    for kind in TipKind.values:
        rule = DeadlineRule.for_tip(kind, datetime.date(2026, 3, 1))
        assert rule is not None and rule.legal_reference
    crime = DeadlineRule.for_tip(TipKind.CRIME, datetime.date(2026, 3, 1))
    assert crime.days == 20 and "Điều 147" in crime.legal_reference


def test_crime_denunciation_has_twenty_days_rolled_past_tet(people):
    # 28/01/2026 + 20 days = 17/02/2026, the first day of Tết: the deadline runs to Monday 23/02.
    tip = TipFactory(unit=people.commune_a, kind=TipKind.CRIME, received_at=at(datetime.date(2026, 1, 28)))
    assert tip.deadline == datetime.date(2026, 2, 23)


def test_crime_deadline_on_a_working_day_is_not_moved(people):
    tip = TipFactory(unit=people.commune_a, kind=TipKind.CRIME, received_at=at(datetime.date(2026, 3, 3)))
    assert tip.deadline == datetime.date(2026, 3, 23)


def test_petition_counts_working_days_skipping_the_tet_holiday(people):
    # From Thursday 12/02/2026: 13/02, then Tết (16–20/02) and weekends are skipped: the 10th working day is 05/03.
    tip = TipFactory(unit=people.commune_a, kind=TipKind.PETITION, received_at=at(datetime.date(2026, 2, 12)))
    assert tip.deadline == datetime.date(2026, 3, 5)


def test_late_evening_receipt_counts_on_the_local_day(people):
    # 23:30 in Hà Nội is 16:30 UTC the same day; the date that counts is the local one.
    received = timezone.make_aware(datetime.datetime(2026, 3, 3, 23, 30))
    tip = TipFactory(unit=people.commune_a, kind=TipKind.CRIME, received_at=received)
    assert tip.received_on == datetime.date(2026, 3, 3)


def test_extension_moves_the_deadline_and_is_recorded(people):
    tip = TipFactory(unit=people.commune_a, kind=TipKind.CRIME, received_at=at(datetime.date(2026, 3, 3)))
    services.extend(tip, days=30, reason="Vụ việc phức tạp, phải xác minh nhiều địa điểm", user=people.officer_a,
                    decided_by="Thủ trưởng Cơ quan điều tra")
    tip.refresh_from_db()
    # 23/03 + 30 days = 22/04/2026 (Wednesday).
    assert tip.deadline == datetime.date(2026, 4, 22)
    assert tip.extensions.get().reason.startswith("Vụ việc phức tạp")
    assert tip.history.first().history_change_reason == "Gia hạn 30 ngày"


def test_extension_beyond_the_legal_maximum_is_refused(people):
    tip = TipFactory(unit=people.commune_a, kind=TipKind.CRIME, received_at=at(datetime.date(2026, 3, 3)))
    services.extend(tip, days=60, reason="Phức tạp", user=people.officer_a)
    with pytest.raises(ValidationError, match="không được quá 100 ngày"):
        services.extend(tip, days=41, reason="Thêm", user=people.officer_a)
    tip.refresh_from_db()
    assert tip.extension_days == 60


def test_extension_needs_a_reason_and_a_kind_that_allows_it(people):
    tip = TipFactory(unit=people.commune_a, kind=TipKind.CRIME, received_at=at(datetime.date(2026, 3, 3)))
    with pytest.raises(ValidationError, match="lý do"):
        services.extend(tip, days=5, reason="  ", user=people.officer_a)
    petition = TipFactory(unit=people.commune_a, kind=TipKind.PETITION, received_at=at(datetime.date(2026, 3, 3)))
    with pytest.raises(ValidationError, match="không được gia hạn"):
        services.extend(petition, days=5, reason="Cần thêm thời gian", user=people.officer_a)


def test_changing_the_kind_recomputes_the_deadline(people):
    tip = TipFactory(unit=people.commune_a, kind=TipKind.CRIME, received_at=at(datetime.date(2026, 3, 3)))
    tip.kind = TipKind.COMPLAINT
    tip.save()
    # 03/03 + 30 days = 02/04/2026.
    assert tip.deadline == datetime.date(2026, 4, 2)


def test_handled_on_time_is_computed_from_the_dates(people, settings):
    tip = TipFactory(unit=people.commune_a, kind=TipKind.CRIME, received_at=at(datetime.date(2026, 3, 3)))
    assert tip.handled_on_time is None
    services.conclude(tip, status=Tip.Status.HANDLED, outcome=Tip.Outcome.CONFIRMED, note="Đã kiểm tra, lập biên bản",
                      on=datetime.date(2026, 3, 23), user=people.officer_a)
    assert tip.handled_on_time is True
    late = TipFactory(unit=people.commune_a, kind=TipKind.CRIME, received_at=at(datetime.date(2026, 3, 3)))
    services.conclude(late, status=Tip.Status.NOT_CONFIRMED, on=datetime.date(2026, 3, 24), user=people.officer_a)
    assert late.handled_on_time is False


def test_on_time_figures_judge_only_concluded_or_overdue_tips(people):
    received = at(datetime.date(2026, 3, 3))
    on_time = TipFactory(unit=people.commune_a, received_at=received)
    services.conclude(on_time, status=Tip.Status.NOT_CONFIRMED, on=datetime.date(2026, 3, 10), user=people.officer_a)
    late = TipFactory(unit=people.commune_a, received_at=received)
    services.conclude(late, status=Tip.Status.NOT_CONFIRMED, on=datetime.date(2026, 4, 1), user=people.officer_a)
    TipFactory(unit=people.commune_a, received_at=received)  # open, past its deadline of 23/03
    TipFactory(unit=people.commune_a, received_at=at(datetime.date(2026, 4, 20)))  # open, within its deadline
    figures = services.on_time_figures(Tip.objects.all(), datetime.date(2026, 1, 1), datetime.date(2026, 4, 30))
    assert (figures.received, figures.due, figures.on_time) == (4, 3, 1)
    assert figures.percent == 33.3
    # At the end of March, the late one was still open but overdue: due 2, on time 1.
    march = services.on_time_figures(Tip.objects.all(), datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert (march.received, march.due, march.on_time) == (3, 3, 1)


def test_no_tips_due_gives_no_data_rather_than_zero(db):
    figures = services.on_time_figures(Tip.objects.all(), datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    assert figures.percent is None
