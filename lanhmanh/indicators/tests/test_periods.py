"""Calendar periods and the Nghị định 09/2019 cut-off windows."""

import datetime

import pytest

from lanhmanh.indicators import periods

D = datetime.date


def test_calendar_periods():
    assert (periods.month(2026, 2).start, periods.month(2026, 2).end) == (D(2026, 2, 1), D(2026, 2, 28))
    assert (periods.quarter(2026, 4).start, periods.quarter(2026, 4).end) == (D(2026, 10, 1), D(2026, 12, 31))
    assert periods.half(2026, 1).end == D(2026, 6, 30) and periods.half(2026, 2).start == D(2026, 7, 1)
    assert periods.nine_months(2026).end == D(2026, 9, 30)
    assert periods.year(2026).days == 365


def test_cutoff_windows_cross_the_year_boundary():
    january = periods.cutoff_month(2026, 1)
    assert (january.start, january.end) == (D(2025, 12, 15), D(2026, 1, 14))
    first_quarter = periods.cutoff_quarter(2026, 1)
    assert (first_quarter.start, first_quarter.end) == (D(2025, 12, 15), D(2026, 3, 14))
    assert (periods.cutoff_half(2026).start, periods.cutoff_half(2026).end) == (D(2025, 12, 15), D(2026, 6, 14))
    assert periods.cutoff_nine_months(2026).end == D(2026, 9, 14)
    year = periods.cutoff_year(2026)
    assert (year.start, year.end, year.year) == (D(2025, 12, 15), D(2026, 12, 14), 2026)
    assert year.is_cutoff and not periods.year(2026).is_cutoff


def test_months_of_a_cutoff_window_are_cutoff_months():
    months = periods.cutoff_quarter(2026, 1).months()
    assert [(m.start, m.end) for m in months] == [
        (D(2025, 12, 15), D(2026, 1, 14)), (D(2026, 1, 15), D(2026, 2, 14)), (D(2026, 2, 15), D(2026, 3, 14))]


def test_reporting_months_take_the_months_whose_14th_lies_inside():
    assert periods.cutoff_quarter(2026, 1).reporting_months() == [(2026, 1), (2026, 2), (2026, 3)]
    assert periods.year(2026).reporting_months() == [(2026, m) for m in range(1, 13)]
    assert periods.cutoff_year(2026).reporting_months() == [(2026, m) for m in range(1, 13)]


def test_calendar_months_are_clipped_to_the_period():
    months = periods.custom(D(2026, 1, 20), D(2026, 3, 5)).months()
    assert [(m.start, m.end) for m in months] == [
        (D(2026, 1, 20), D(2026, 1, 31)), (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 3, 1), D(2026, 3, 5))]


def test_year_earlier_and_leap_days():
    earlier = periods.custom(D(2028, 2, 29), D(2028, 2, 29)).year_earlier()
    assert (earlier.start, earlier.end) == (D(2027, 2, 28), D(2027, 2, 28))
    february = periods.month(2028, 2).year_earlier()
    assert (february.start, february.end) == (D(2027, 2, 1), D(2027, 2, 28))
    cutoff = periods.cutoff_half(2026).year_earlier()
    assert (cutoff.start, cutoff.end) == (D(2024, 12, 15), D(2025, 6, 14))


def test_elapsed_share():
    year = periods.year(2026)
    assert year.elapsed_share(D(2025, 12, 31)) == 0
    assert year.elapsed_share(D(2026, 12, 31)) == 1
    assert year.elapsed_share(D(2026, 7, 2)) == pytest.approx(183 / 365)


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        periods.Period(D(2026, 2, 1), D(2026, 1, 31))
