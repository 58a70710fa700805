"""Vietnam's working days: Monday to Friday, except the public holidays and substituted days off that the
`holidays` package keeps (Tết, Giỗ Tổ, 30/4, 1/5, 2/9 and the days the government moves around them).

Legal deadlines use these: a period counted in working days skips every day off, and a period counted in
calendar days that ends on a day off runs to the next working day (Bộ luật Tố tụng hình sự 2015, Điều 330;
Bộ luật Dân sự 2015, Điều 148)."""

import datetime
from functools import lru_cache

import holidays

_ONE_DAY = datetime.timedelta(days=1)


@lru_cache(maxsize=64)
def _holidays_of(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("VN", years=year))


def is_day_off(day: datetime.date) -> bool:
    return day.weekday() >= 5 or day in _holidays_of(day.year)


def holiday_name(day: datetime.date) -> str | None:
    """The holiday's name, in Vietnamese where the package has it, for explaining a deadline."""
    calendar = holidays.country_holidays("VN", years=day.year, language="vi")
    return calendar.get(day)


def next_working_day(day: datetime.date) -> datetime.date:
    """`day` itself if it is a working day, else the first working day after it."""
    while is_day_off(day):
        day += _ONE_DAY
    return day


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start` (start itself is not counted)."""
    day = start
    counted = 0
    while counted < days:
        day += _ONE_DAY
        if not is_day_off(day):
            counted += 1
    return day


def add_calendar_days(start: datetime.date, days: int, *, roll_forward: bool = True) -> datetime.date:
    """`start` + `days`; a result falling on a day off moves to the next working day when `roll_forward`."""
    day = start + datetime.timedelta(days=days)
    return next_working_day(day) if roll_forward else day
