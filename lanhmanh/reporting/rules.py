"""When reports are due: each report type's periods of a year (calendar, or the Nghị định 09/2019 cut-off windows)
and its deadline, a day of a month counted from the period's last month, which a province may set differently."""

import calendar
import datetime

from lanhmanh.indicators import periods


def periods_of(rule: str, cutoff: bool, year: int) -> list[tuple[int, periods.Period]]:
    """(number, period) of every reporting period of `rule` reported for `year`, in order. The programme's
    six-monthly report is the first half (the second half is the annual report's); ad-hoc reports have none."""
    from lanhmanh.reporting.models import PeriodRule

    if rule == PeriodRule.MONTH:
        make = periods.cutoff_month if cutoff else periods.month
        return [(n, make(year, n)) for n in range(1, 13)]
    if rule == PeriodRule.QUARTER:
        make = periods.cutoff_quarter if cutoff else periods.quarter
        return [(n, make(year, n)) for n in range(1, 5)]
    if rule == PeriodRule.HALF:
        return [(1, periods.cutoff_half(year) if cutoff else periods.half(year, 1))]
    if rule == PeriodRule.NINE_MONTHS:
        return [(1, periods.cutoff_nine_months(year) if cutoff else periods.nine_months(year))]
    if rule == PeriodRule.YEAR:
        return [(1, periods.cutoff_year(year) if cutoff else periods.year(year))]
    return []


def deadline(period: periods.Period, day: int, months_after_end: int) -> datetime.date:
    """The `day` of the month `months_after_end` months after the period's last month (the 31st of a shorter month
    is its last day): (30/06, 15, 0) → 15/06 — the programme's "6-month report before 15/6" with the 14/6 cut-off;
    (31/03, 5, 1) → 05/04."""
    index = period.end.year * 12 + period.end.month - 1 + months_after_end
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def current_periods(rule: str, cutoff: bool, today: datetime.date) -> list[tuple[int, int, periods.Period]]:
    """(year, number, period) of the periods that have begun by `today` and whose year is this one or the last
    (the reports a unit may still have to write)."""
    found = []
    for year in (today.year - 1, today.year, today.year + 1):
        for number, period in periods_of(rule, cutoff, year):
            if period.start <= today:
                found.append((year, number, period))
    return found
