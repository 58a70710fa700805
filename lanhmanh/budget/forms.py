"""Forms of the budget records. The rules are in the models' clean(), shared with the API and the Excel import."""

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.budget.models import FIRST_YEAR, RECORD_LEVELS, BudgetAllocation, Expenditure
from lanhmanh.core.forms import MoneyField, ScopedModelForm, StyledForm, choose_only_choice
from lanhmanh.core.scoping import permission_name, scope_paths
from lanhmanh.geo.models import AdminUnit

TEXTAREA = {"rows": 3}
# What a payment may be linked to: the records of this year and last, by the day each happened; a prevention model
# runs for years, so any model not dissolved.
LINK_RECENT = {
    "activity": lambda since: Q(held_on__gte=since),
    "training": lambda since: Q(starts_on__gte=since),
    "inspection_session": lambda since: Q(date__gte=since),
    "prevention_model": lambda since: Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=since),
}


def _limit_units(form):
    if "unit" in form.fields:
        form.fields["unit"].queryset = form.fields["unit"].queryset.filter(level__in=RECORD_LEVELS).order_by("path")
        choose_only_choice(form)


class BudgetAllocationForm(ScopedModelForm):
    amount = MoneyField(label=gettext_lazy("Số tiền được giao (đồng)"))

    class Meta:
        model = BudgetAllocation
        fields = ["unit", "year", "source", "purpose", "amount", "decision_number", "decision_date", "note"]
        widgets = {"note": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_units(self)
        if "year" in self.fields and not self.instance.pk:
            self.fields["year"].initial = timezone.localdate().year


class ExpenditureForm(ScopedModelForm):
    amount = MoneyField(label=gettext_lazy("Số tiền chi (đồng)"))

    class Meta:
        model = Expenditure
        fields = [
            "unit",
            "spent_on",
            "source",
            "purpose",
            "amount",
            "description",
            "voucher_number",
            *(name for name, _purpose in Expenditure.link_fields()),
            "note",
        ]
        widgets = {"note": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _limit_units(self)
        since = datetime.date(timezone.localdate().year - 1, 1, 1)
        for name, _purpose in Expenditure.link_fields():
            if name not in self.fields:
                continue
            model = Expenditure._meta.get_field(name).related_model
            if not self.user.has_perm(permission_name(model, "view")):
                # A link the user may not see is left as it is, not offered.
                del self.fields[name]
                continue
            # Records of this year and last (payments come soon after what they pay for), and the current link.
            recent = LINK_RECENT[name](since)
            current = getattr(self.instance, f"{name}_id", None)
            queryset = self.fields[name].queryset.filter(recent | Q(pk=current) if current else recent)
            if name == "inspection_session":
                queryset = queryset.select_related("team")
            self.fields[name].queryset = queryset
            self.fields[name].help_text = gettext_lazy("Nếu khoản chi này là cho một việc đã ghi trong hệ thống.")


# -- the execution page ---------------------------------------------------------------------------


class ExecutionForm(StyledForm):
    unit = forms.ModelChoiceField(queryset=AdminUnit.objects.none(), label=gettext_lazy("Đơn vị (gồm cấp dưới)"))
    year = forms.IntegerField(label=gettext_lazy("Năm ngân sách"), min_value=FIRST_YEAR)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Units where the user may see budget records, not merely the units themselves.
        self.fields["unit"].queryset = (
            AdminUnit.objects.filter(level__lte=AdminUnit.Level.COMMUNE)
            .within(scope_paths(user, permission_name(BudgetAllocation, "view")))
            .order_by("path")
        )
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year + 1

    def clean_year(self):
        year = self.cleaned_data["year"]
        last = timezone.localdate().year + 1
        if year > last:
            raise forms.ValidationError(
                _("Năm ngân sách phải từ %(first)s đến %(last)s.") % {"first": FIRST_YEAR, "last": last}
            )
        return year


def execution_form(data, user) -> ExecutionForm:
    """The form with its defaults: the user's own (highest) unit and this year."""
    form = ExecutionForm(user=user)
    default_unit = form.fields["unit"].queryset.order_by("level", "path").first()
    values = {"unit": default_unit.pk if default_unit else None, "year": timezone.localdate().year}
    values.update({k: v for k, v in data.items() if k in values and v})
    return ExecutionForm(values, user=user)
