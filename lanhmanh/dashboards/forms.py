import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.indicators import periods
from lanhmanh.indicators.registry import registry

# Period kinds of the explorer: calendar periods and the Nghị định 09/2019 cut-off windows (DOMAIN.md §3).
PERIOD_KINDS = [
    ("year", gettext_lazy("Năm")),
    ("half", gettext_lazy("6 tháng")),
    ("nine_months", gettext_lazy("9 tháng")),
    ("quarter", gettext_lazy("Quý")),
    ("month", gettext_lazy("Tháng")),
    ("cutoff_year", gettext_lazy("Năm (chốt số liệu 15/12–14/12)")),
    ("cutoff_nine_months", gettext_lazy("9 tháng (chốt số liệu 15/12–14/9)")),
    ("cutoff_half", gettext_lazy("6 tháng (chốt số liệu 15/12–14/6)")),
    ("cutoff_quarter", gettext_lazy("Quý (chốt số liệu)")),
    ("cutoff_month", gettext_lazy("Tháng (chốt số liệu 15–14)")),
    ("custom", gettext_lazy("Tùy chọn ngày")),
]
# The number (quarter, half, month) each kind needs, with its bounds.
NUMBER_RANGE = {"half": 2, "quarter": 4, "month": 12, "cutoff_quarter": 4, "cutoff_month": 12}
# Years and dates the explorer and dashboards take: from 2000 to next year. Far dates would take the periods code
# past year 9999 or before year 1 (a year earlier), and there is no data there anyway.
FIRST_YEAR = 2000
# A custom period spans at most 5 years, as in the indicators API.
MAX_DAYS = 366 * 5


def year_range(this_year: int) -> tuple[int, int]:
    return FIRST_YEAR, this_year + 1


def year_field(initial: int):
    first, last = year_range(initial)
    message = _year_message(initial)
    return forms.IntegerField(label=gettext_lazy("Năm"), min_value=first, max_value=last, initial=initial,
                              required=False, widget=forms.NumberInput(attrs={"class": "form-control"}),
                              error_messages={"min_value": message, "max_value": message})


def _year_message(this_year: int):
    first, last = year_range(this_year)
    return _("Hãy chọn năm từ %(first)s đến %(last)s.") % {"first": first, "last": last}


class YearForm(forms.Form):
    def __init__(self, *args, this_year: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field(this_year)
        self.this_year = this_year

    def year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return self.this_year


class ExplorerForm(forms.Form):
    indicator = forms.MultipleChoiceField(
        label=gettext_lazy("Chỉ số"), required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 10}))
    kind = forms.ChoiceField(label=gettext_lazy("Kỳ"), choices=PERIOD_KINDS, initial="year", required=False,
                             widget=forms.Select(attrs={"class": "form-select"}))
    number = forms.IntegerField(label=gettext_lazy("Số thứ tự (quý, tháng, 6 tháng)"), min_value=1, max_value=12,
                                required=False, widget=forms.NumberInput(attrs={"class": "form-control"}))
    start = forms.DateField(label=gettext_lazy("Từ ngày"), required=False,
                            widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}))
    end = forms.DateField(label=gettext_lazy("Đến ngày"), required=False,
                          widget=forms.DateInput(attrs={"class": "form-control", "placeholder": "dd/mm/yyyy"}))

    def __init__(self, *args, this_year: int, default_codes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"] = year_field(this_year)
        self.fields["indicator"].choices = [(i.code, f"{i.code} · {i.name}") for i in registry.all()]
        self.this_year = this_year
        self.default_codes = list(default_codes)

    def clean(self):
        data = super().clean()
        kind = data.get("kind") or "year"
        data["kind"] = kind
        first, last = year_range(self.this_year)
        for name in ("start", "end"):
            day = data.get(name)
            if day and not datetime.date(first, 1, 1) <= day <= datetime.date(last, 12, 31):
                self.add_error(name, _("Hãy chọn ngày từ %(first)s đến %(last)s.") % {
                    "first": f"01/01/{first}", "last": f"31/12/{last}"})
        if kind == "custom":
            if "start" in self.errors or "end" in self.errors:
                return data
            if not data.get("start") or not data.get("end"):
                raise forms.ValidationError(_("Hãy nhập cả ngày bắt đầu và ngày kết thúc."))
            if data["end"] < data["start"]:
                raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
            if (data["end"] - data["start"]).days > MAX_DAYS:
                raise forms.ValidationError(_("Khoảng thời gian không quá 5 năm."))
        elif kind in NUMBER_RANGE:
            number = data.get("number")
            if not number or number > NUMBER_RANGE[kind]:
                self.add_error("number", _("Hãy chọn số thứ tự từ 1 đến %(n)s.") % {"n": NUMBER_RANGE[kind]})
        return data

    def codes(self) -> list[str]:
        if self.is_bound and self.is_valid() and self.cleaned_data.get("indicator"):
            return self.cleaned_data["indicator"]
        return self.default_codes

    def period(self) -> periods.Period:
        """The chosen period; this year when the form is empty or invalid."""
        if not (self.is_bound and self.is_valid()):
            return periods.year(self.this_year)
        data = self.cleaned_data
        year, kind, number = data.get("year") or self.this_year, data["kind"], data.get("number")
        if kind == "custom":
            return periods.custom(data["start"], data["end"])
        if kind in ("year", "nine_months", "cutoff_year", "cutoff_nine_months", "cutoff_half"):
            return getattr(periods, kind)(year)
        return getattr(periods, kind)(year, number)
