"""Forms of the case records. The rules are in EnforcementCase.clean() and services.offence_errors, shared with
the API and the Excel import."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.core.forms import DateInput, MoneyField, ScopedModelForm, StyledForm, choose_only_choice
from lanhmanh.core.scoping import permission_name, scope_paths
from lanhmanh.enforcement.models import CaseType, EnforcementCase, Offence
from lanhmanh.enforcement.services import offence_errors, year_earlier
from lanhmanh.geo.forms import agency_choices as geo_agency_choices
from lanhmanh.geo.models import AdminUnit

TEXTAREA = {"rows": 3}
COUNTS = ("people_arrested", "people_prosecuted", "people_fined_admin", "sellers_identified", "sellers_referred",
          "minors_identified")
CASE_LEVELS = (AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE)


class CountField(forms.IntegerField):
    """A number of people: an empty cell or box means none."""

    def to_python(self, value):
        value = super().to_python(value)
        return 0 if value is None else value


class OffenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.legal_reference}"


def agency_choices(user):
    """Active agencies of the units where the user may see cases, and of the units above them: a commune's case
    is often handled by the province police."""
    return geo_agency_choices(user, EnforcementCase)


class EnforcementCaseForm(ScopedModelForm):
    fines_total = MoneyField(label=gettext_lazy("Tổng số tiền phạt (đồng)"), required=False)

    class Meta:
        model = EnforcementCase
        fields = [
            "unit", "agency", "case_type", "reference_number", "detected_on", "offences", "instituted_on",
            "indicted_on", "tried_on", "business", "origin_tip", "origin_visit", "people_arrested",
            "people_prosecuted", "people_fined_admin", "fines_total", "sellers_identified", "sellers_referred",
            "minors_identified", "summary",
        ]
        widgets = {"case_type": forms.RadioSelect, "offences": forms.CheckboxSelectMultiple,
                   "summary": forms.Textarea(attrs=TEXTAREA)}
        field_classes = {"offences": OffenceChoiceField, **{name: CountField for name in COUNTS}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_offences = list(self.instance.offences.all()) if self.instance.pk else []
        fields = self.fields
        for name in COUNTS:
            if name in fields:
                fields[name].required = False  # an empty box is none
        if "unit" in fields:
            fields["unit"].queryset = fields["unit"].queryset.filter(level__in=CASE_LEVELS).order_by("path")
            choose_only_choice(self)
        if "case_type" in fields and fields["case_type"].required:
            fields["case_type"].choices = CaseType.choices  # two radio buttons, no blank one
        if "agency" in fields:
            fields["agency"].queryset = agency_choices(self.user)
        # A link the user may not see (a data clerk and tips) is left as it is, not offered.
        for name in ("business", "origin_tip", "origin_visit"):
            model = EnforcementCase._meta.get_field(name).related_model
            if name in fields and not self.user.has_perm(permission_name(model, "view")):
                del fields[name]
        if "offences" in fields:
            # Every entry: cases detected years ago are recorded too; the rule says which apply on the day.
            fields["offences"].queryset = Offence.objects.all()
        if "business" in fields:
            fields["business"].queryset = fields["business"].queryset.select_related("unit")
        if "origin_visit" in fields:
            fields["origin_visit"].queryset = fields["origin_visit"].queryset.select_related("business")

    def clean_fines_total(self):
        return self.cleaned_data.get("fines_total") or 0

    def clean(self):
        cleaned = super().clean()
        if "offences" in self.fields and cleaned.get("case_type"):
            for error in offence_errors(cleaned["case_type"], cleaned.get("offences") or [],
                                        cleaned.get("detected_on"), self.previous_offences):
                self.add_error("offences", error)
        return cleaned


# -- the year-on-year comparison ------------------------------------------------------------------


class ComparisonForm(StyledForm):
    unit = forms.ModelChoiceField(queryset=AdminUnit.objects.none(), label=gettext_lazy("Đơn vị (gồm cấp dưới)"))
    start = forms.DateField(label=gettext_lazy("Từ ngày"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Đến ngày"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Units where the user may see cases, not merely the units themselves.
        self.fields["unit"].queryset = AdminUnit.objects.filter(level__lte=AdminUnit.Level.COMMUNE).within(
            scope_paths(user, permission_name(EnforcementCase, "view"))).order_by("path")
        for name in ("start", "end"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
            elif year_earlier(end, end=True) >= start:
                self.add_error("end", _("Kỳ so sánh dài nhất là một năm, để không trùng với cùng kỳ năm trước."))
        return cleaned


def comparison_form(data, user) -> ComparisonForm:
    """The form with its defaults: the user's own (highest) unit, from 1 January to today."""
    today = timezone.localdate()
    form = ComparisonForm(user=user)
    default_unit = form.fields["unit"].queryset.order_by("level", "path").first()
    values = {"unit": default_unit.pk if default_unit else None,
              "start": datetime.date(today.year, 1, 1).strftime("%d/%m/%Y"), "end": today.strftime("%d/%m/%Y")}
    values.update({k: v for k, v in data.items() if k in values and v})
    return ComparisonForm(values, user=user)
