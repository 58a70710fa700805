"""Reporting periods: calendar months, quarters, halves and years, and the data cut-off windows of Nghị định
09/2019/NĐ-CP, Điều 12 (monthly 15th of the previous month to the 14th; quarterly 15th of the month before the
quarter to the 14th of its last month; six-monthly 15/12 of the previous year to 14/6; nine-monthly 15/12 to 14/9;
annual 15/12 of the previous year to 14/12). Every period is a date range, both ends inclusive."""

import calendar
import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

CUTOFF_DAY = 15  # the cut-off windows start on the 15th and end on the 14th


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    label: str = ""

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("a period ends before it starts")

    def __contains__(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def year(self) -> int:
        """The year a period is reported for: the year it ends in (the annual cut-off window 15/12/2025–14/12/2026
        is the 2026 report)."""
        return self.end.year

    @property
    def is_cutoff(self) -> bool:
        return self.start.day == CUTOFF_DAY and self.end.day == CUTOFF_DAY - 1

    def elapsed_share(self, today: datetime.date) -> float:
        """The part of the period gone by at the end of `today`, from 0 to 1 (for pro-rata expected progress)."""
        if today < self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return ((today - self.start).days + 1) / self.days

    def months(self) -> list["Period"]:
        """The period cut into months: the cut-off months of a cut-off window, else calendar months clipped to it."""
        if self.is_cutoff:
            result, start = [], self.start
            while start <= self.end:
                month = _add_months(start.replace(day=1), 1)
                end = month.replace(day=CUTOFF_DAY - 1)
                result.append(Period(start, min(end, self.end), _("Tháng %(m)02d/%(y)s") % {
                    "m": month.month, "y": month.year}))
                start = end + datetime.timedelta(days=1)
            return result
        result, start = [], self.start
        while start <= self.end:
            end = min(_month_end(start), self.end)
            result.append(Period(start, end, _("Tháng %(m)02d/%(y)s") % {"m": start.month, "y": start.year}))
            start = end + datetime.timedelta(days=1)
        return result

    def year_earlier(self) -> "Period":
        """The same period a year before (29/02 becomes 28/02)."""
        return Period(_shift_year(self.start, -1), _shift_year(self.end, -1),
                      self.label and _("Cùng kỳ năm trước"))

    def reporting_months(self) -> list[tuple[int, int]]:
        """(year, month) of the data-entry months (aggregate data sets) that fall in the period: a month counts when
        the period holds its 14th, the last day of the cut-off month, so calendar and cut-off periods both take
        the months their reports are about."""
        result = []
        day = self.start.replace(day=1)
        while day <= self.end:
            if datetime.date(day.year, day.month, CUTOFF_DAY - 1) in self:
                result.append((day.year, day.month))
            day = _add_months(day, 1)
        return result


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: datetime.date, n: int) -> datetime.date:
    """The first of the month n months after `day`'s month (day must be the 1st or is taken as such)."""
    index = day.year * 12 + day.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


def _shift_year(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return datetime.date(day.year + years, 2, 28)


# -- calendar periods ------------------------------------------------------------------------------


def month(year: int, number: int) -> Period:
    start = datetime.date(year, number, 1)
    return Period(start, _month_end(start), _("Tháng %(m)02d/%(y)s") % {"m": number, "y": year})


def quarter(year: int, number: int) -> Period:
    start = datetime.date(year, 3 * number - 2, 1)
    return Period(start, _month_end(datetime.date(year, 3 * number, 1)),
                  _("Quý %(q)s/%(y)s") % {"q": ["I", "II", "III", "IV"][number - 1], "y": year})


def half(year: int, number: int) -> Period:
    if number == 1:
        return Period(datetime.date(year, 1, 1), datetime.date(year, 6, 30), _("6 tháng đầu năm %(y)s") % {"y": year})
    return Period(datetime.date(year, 7, 1), datetime.date(year, 12, 31), _("6 tháng cuối năm %(y)s") % {"y": year})


def nine_months(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 9, 30), _("9 tháng năm %(y)s") % {"y": year})


def year(year: int) -> Period:
    return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31), _("Năm %(y)s") % {"y": year})


# -- Nghị định 09/2019 cut-off windows -------------------------------------------------------------


def _cutoff(year: int, first_month: int, last_month: int) -> Period:
    """From the 15th of the month before `first_month` to the 14th of `last_month` (months of `year`)."""
    before = _add_months(datetime.date(year, first_month, 1), -1)
    return Period(before.replace(day=CUTOFF_DAY), datetime.date(year, last_month, CUTOFF_DAY - 1))


def cutoff_month(year: int, number: int) -> Period:
    period = _cutoff(year, number, number)
    return Period(period.start, period.end, _("Tháng %(m)02d/%(y)s (chốt số liệu)") % {"m": number, "y": year})


def cutoff_quarter(year: int, number: int) -> Period:
    period = _cutoff(year, 3 * number - 2, 3 * number)
    return Period(period.start, period.end, _("Quý %(q)s/%(y)s (chốt số liệu)") % {
        "q": ["I", "II", "III", "IV"][number - 1], "y": year})


def cutoff_half(year: int) -> Period:
    period = _cutoff(year, 1, 6)
    return Period(period.start, period.end, _("6 tháng đầu năm %(y)s (chốt số liệu)") % {"y": year})


def cutoff_nine_months(year: int) -> Period:
    period = _cutoff(year, 1, 9)
    return Period(period.start, period.end, _("9 tháng năm %(y)s (chốt số liệu)") % {"y": year})


def cutoff_year(year: int) -> Period:
    period = _cutoff(year, 1, 12)
    return Period(period.start, period.end, _("Năm %(y)s (chốt số liệu)") % {"y": year})


def custom(start: datetime.date, end: datetime.date) -> Period:
    return Period(start, end, _("Từ %(start)s đến %(end)s") % {
        "start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")})
