from django import forms

from lanhmanh.commendations.models import Commendation, RecipientKind, Status
from lanhmanh.core.forms import MoneyField, ScopedModelForm, choose_only_choice
from lanhmanh.geo.forms import agency_choices as geo_agency_choices
from lanhmanh.geo.models import AdminUnit

LEVELS = (AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE)


def agency_choices(user):
    """Active agencies in the units where the user may record commendations, and of the units above them."""
    return geo_agency_choices(user, Commendation)


class CommendationForm(ScopedModelForm):
    reward_amount = MoneyField(label=Commendation._meta.get_field("reward_amount").verbose_name, required=False)

    class Meta:
        model = Commendation
        fields = [
            "unit",
            "year",
            "recipient_kind",
            "recipient_name",
            "recipient_position",
            "agency",
            "award_form",
            "achievement",
            "proposal_number",
            "proposed_on",
            "status",
            "decision_number",
            "decided_on",
            "decided_by",
            "reward_amount",
            "note",
        ]
        widgets = {
            "recipient_kind": forms.RadioSelect,
            "status": forms.RadioSelect,
            "achievement": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        if "unit" in fields:
            fields["unit"].queryset = fields["unit"].queryset.filter(level__in=LEVELS).order_by("path")
            choose_only_choice(self)
        if "agency" in fields:
            fields["agency"].queryset = agency_choices(self.user)
        # Radio buttons without a blank choice.
        if "recipient_kind" in fields and fields["recipient_kind"].required:
            fields["recipient_kind"].choices = RecipientKind.choices
        if "status" in fields:
            fields["status"].choices = Status.choices
            fields["status"].required = False

    def clean_status(self):
        return self.cleaned_data.get("status") or Status.PROPOSED
