"""Forms of the prevention models and their activity log. The rules are in the models' clean() and in
services (status changes), shared with the API and the Excel import."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.community.models import MODEL_LEVELS, ModelActivity, PreventionModel
from lanhmanh.core.forms import DateInput, MoneyField, ScopedModelForm, StyledForm, choose_only_choice
from lanhmanh.geo.forms import agency_choices as geo_agency_choices
from lanhmanh.geo.models import AdminUnit

TEXTAREA = {"rows": 3}


class CountField(forms.IntegerField):
    """A number of people: an empty box means none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs["required"] = False
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return 0 if value is None else value


def agency_choices(user):
    """Active agencies of the units where the user may see models, and of the units above them: a ward's club is
    often led by a provincial mass organisation."""
    return geo_agency_choices(user, PreventionModel)


class ResidentialGroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.parent.name}" if obj.parent_id else obj.name


class PreventionModelForm(ScopedModelForm):
    """Adding or editing a model. Its status is changed by the pause, resume and dissolve actions, not here."""

    annual_funding = MoneyField(label=_("Kinh phí hằng năm (đồng)"), required=False)

    class Meta:
        model = PreventionModel
        fields = [
            "unit",
            "name",
            "kind",
            "residential_group",
            "decision_number",
            "decision_date",
            "established_on",
            "members_count",
            "lead_agency",
            "funding_source",
            "annual_funding",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}
        field_classes = {"residential_group": ResidentialGroupChoiceField, "members_count": CountField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields  # an import form keeps only some of them
        if "unit" in fields:
            fields["unit"].queryset = fields["unit"].queryset.filter(level__in=MODEL_LEVELS).order_by("path")
            choose_only_choice(self)
        if "residential_group" in fields:
            fields["residential_group"].queryset = (
                AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP)
                .visible_to(self.user)
                .select_related("parent")
                .order_by("path")
            )
        if "lead_agency" in fields:
            fields["lead_agency"].queryset = agency_choices(self.user)

    def clean_annual_funding(self):
        return self.cleaned_data.get("annual_funding")


class StatusChangeForm(StyledForm):
    """Pause, resume or dissolve: the day it takes effect, why, and the version of the page it was decided on."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    reason = forms.CharField(label=_("Lý do"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, reason_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["on"].widget.attrs["class"] = "form-control"
        self.fields["reason"].required = reason_required


class ModelActivityForm(ScopedModelForm):
    participants_count = CountField(label=_("Số người tham gia"))

    class Meta:
        model = ModelActivity
        fields = ["prevention_model", "date", "kind", "participants_count", "description"]
        widgets = {"description": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["prevention_model"]
        field.queryset = field.queryset.select_related("unit").order_by("unit__path", "name")
        field.label_from_instance = lambda obj: f"{obj.name} — {obj.unit.name}"
        if self.instance.pk:
            field.disabled = True
        if not self.instance.pk and not self.initial.get("date"):
            self.initial["date"] = timezone.localdate()
