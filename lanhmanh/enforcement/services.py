"""Rules and figures of the case records that are more than one row's: which offences a case may name, the
figures of a unit's cases over a period, and the comparison with the same period a year earlier (the
programme's "+3% of prostitution-related crimes handled compared with last year")."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, Sum
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.enforcement.models import CaseType, EnforcementCase

# -- offences of a case ---------------------------------------------------------------------------


def offence_errors(case_type, offences, day, previous=()) -> list[str]:
    """Why these offences cannot be recorded for a case of `case_type` detected on `day`. Entries the case
    already had (`previous`) stay allowed after they expire, so old cases can still be edited."""
    errors = []
    offences = list(offences)
    if not offences:
        errors.append(_("Hãy chọn ít nhất một tội danh hoặc hành vi vi phạm."))
    previous = {o.pk for o in previous}
    for offence in offences:
        if case_type and offence.case_type != case_type:
            if offence.case_type == CaseType.CRIMINAL:
                message = _("“%(name)s” (%(ref)s) là tội danh hình sự, không dùng cho vụ việc vi phạm hành chính.")
            else:
                message = _("“%(name)s” (%(ref)s) là hành vi vi phạm hành chính, không dùng cho vụ án hình sự.")
            errors.append(message % {"name": offence.name, "ref": offence.legal_reference})
        elif day and offence.pk not in previous and not offence.is_valid_on(day):
            errors.append(_("“%(name)s” (%(ref)s) không áp dụng vào ngày phát hiện %(date)s.") % {
                "name": offence.name, "ref": offence.legal_reference, "date": day.strftime("%d/%m/%Y")})
    return errors


# -- figures --------------------------------------------------------------------------------------

# (key, label) of the figures, in the order reports list them.
FIGURES = [
    ("criminal_cases", gettext_lazy("Số vụ án hình sự")),
    ("administrative_cases", gettext_lazy("Số vụ việc vi phạm hành chính")),
    ("people_arrested", gettext_lazy("Số người bị bắt giữ")),
    ("people_prosecuted", gettext_lazy("Số bị can bị khởi tố")),
    ("people_fined_admin", gettext_lazy("Số người bị xử phạt hành chính")),
    ("fines_total", gettext_lazy("Tổng số tiền phạt (đồng)")),
    ("sellers_identified", gettext_lazy("Số người bán dâm được phát hiện")),
    ("sellers_referred", gettext_lazy("Số người bán dâm được chuyển hỗ trợ")),
    ("minors_identified", gettext_lazy("Trong đó, người dưới 18 tuổi")),
]
_SUMMED = ("people_arrested", "people_prosecuted", "people_fined_admin", "fines_total", "sellers_identified",
           "sellers_referred", "minors_identified")


def figures(queryset, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """The figures of the cases of `queryset` detected in [start, end], in one aggregate query."""
    values = queryset.detected_between(start, end).aggregate(
        criminal_cases=Count("pk", filter=Q(case_type=CaseType.CRIMINAL)),
        administrative_cases=Count("pk", filter=Q(case_type=CaseType.ADMINISTRATIVE)),
        **{name: Sum(name) for name in _SUMMED},
    )
    return {key: values[key] or 0 for key, _label in FIGURES}


def year_earlier(day: datetime.date, *, end: bool) -> datetime.date:
    """The same day a year earlier. 29 February has none: a period ending on it ends on 28 February, a period
    starting on it starts on 1 March, so neither period takes in a day the other does not mirror."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return datetime.date(day.year - 1, 2, 28) if end else datetime.date(day.year - 1, 3, 1)


def change_percent(current: int, previous: int) -> float | None:
    """+3.0 for 103 against 100; None when there is nothing to compare with."""
    if not previous:
        return None
    return round(100 * (current - previous) / previous, 1)


def change_label(percent: float | None) -> str:
    """"+3%", "-12,5%", "0%" (Vietnamese decimal comma); "—" when last year had nothing."""
    if percent is None:
        return "—"
    digits = 0 if float(percent).is_integer() else 1
    sign = "+" if percent > 0 else "-" if percent < 0 else ""
    return f"{sign}{number_format(abs(percent), decimal_pos=digits, use_l10n=True)}%"


@dataclass
class ComparisonRow:
    key: str
    label: str
    current: int
    previous: int

    @property
    def change_percent(self) -> float | None:
        return change_percent(self.current, self.previous)

    @property
    def change_label(self) -> str:
        return change_label(self.change_percent)


@dataclass
class Comparison:
    unit: object
    start: datetime.date
    end: datetime.date
    previous_start: datetime.date
    previous_end: datetime.date
    rows: list[ComparisonRow]


def year_on_year(unit, start: datetime.date, end: datetime.date, user=None) -> Comparison:
    """The figures of `unit`'s subtree over [start, end] beside those of the same period a year earlier. With a
    `user`, only the cases they may see count (a unit they see only part of)."""
    cases = EnforcementCase.objects.within([unit.path])
    if user is not None:
        cases = cases.visible_to(user)
    previous_start, previous_end = year_earlier(start, end=False), year_earlier(end, end=True)
    now, before = figures(cases, start, end), figures(cases, previous_start, previous_end)
    rows = [ComparisonRow(key, str(label), now[key], before[key]) for key, label in FIGURES]
    return Comparison(unit, start, end, previous_start, previous_end, rows)
