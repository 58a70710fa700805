"""Forms of the communication records. The rules are in the models' clean() and services.audience_errors, shared
with the API and the Excel import; every write goes through services.save_activity."""

from types import SimpleNamespace

from django import forms
from django.conf import settings
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.core.forms import ScopedModelForm, StyledForm, choose_only_choice, style_fields
from lanhmanh.core.scoping import permission_name, scope_paths
from lanhmanh.core.uploads import UploadError, clean_upload
from lanhmanh.geo.forms import agency_choices as geo_agency_choices
from lanhmanh.geo.models import AdminUnit
from lanhmanh.outreach.filters import ResidentialGroupChoiceField, residential_groups_for
from lanhmanh.outreach.models import (
    ActivityAudience,
    ActivityKind,
    CommunicationActivity,
    TargetGroup,
    TargetPopulation,
)
from lanhmanh.outreach.services import audience_errors

TEXTAREA = {"rows": 3}
OWNER_LEVELS = (AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE)


def agency_choices(user):
    """Active agencies of the units where the user may see activities, and of the units above them: a commune's
    activity is often run with the province's departments."""
    return geo_agency_choices(user, CommunicationActivity)


def default_title(kind, group=None) -> str:
    """ "Phát thanh trên loa truyền thanh tại Tổ dân phố 3": the title of an activity recorded without one."""
    title = ActivityKind(kind).label
    if group is not None:
        title = _("%(kind)s tại %(group)s") % {"kind": title, "group": group.name}
    return str(title)[:255]


def _set_up_activity_fields(form):
    fields = form.fields
    if "unit" in fields:
        fields["unit"].queryset = fields["unit"].queryset.filter(level__in=OWNER_LEVELS).order_by("path")
        choose_only_choice(form)
    if "residential_group" in fields:
        fields["residential_group"] = ResidentialGroupChoiceField(
            queryset=residential_groups_for(form.user),
            required=False,
            label=fields["residential_group"].label,
            help_text=fields["residential_group"].help_text,
        )
        _style(fields["residential_group"])
    agencies = agency_choices(form.user)
    if "organiser" in fields:
        fields["organiser"].queryset = agencies
    if "cooperating_agencies" in fields:
        fields["cooperating_agencies"].queryset = agencies
    if "kind" in fields:
        fields["kind"].choices = [("", "---------"), *ActivityKind.choices]
    if "held_on" in fields and not form.instance.pk:
        fields["held_on"].initial = fields["held_on"].initial or timezone.localdate()


def _style(*fields):
    """Bootstrap classes on fields added after the form styled its own."""
    style_fields(SimpleNamespace(fields=dict(enumerate(fields))))


class CommunicationActivityForm(ScopedModelForm):
    """The full form; the audiences come with it as an inline formset (AudienceFormSet)."""

    class Meta:
        model = CommunicationActivity
        fields = [
            "unit",
            "kind",
            "held_on",
            "residential_group",
            "title",
            "organiser",
            "cooperating_agencies",
            "materials_count",
            "description",
        ]
        widgets = {
            "description": forms.Textarea(attrs=TEXTAREA),
            "cooperating_agencies": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _set_up_activity_fields(self)


class AudienceForm(forms.ModelForm):
    class Meta:
        model = ActivityAudience
        fields = ["target_group", "participants"]
        widgets = {"participants": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})}


class BaseAudienceFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        if any(self.errors):
            return
        for error in audience_errors(self.audiences()):
            raise forms.ValidationError(error)

    def audiences(self) -> list[tuple[str, int | None]]:
        """The (group, participants) the user kept: filled rows not marked for deletion."""
        return [
            (form.cleaned_data["target_group"], form.cleaned_data.get("participants"))
            for form in self.forms
            if form.cleaned_data.get("target_group") and not form.cleaned_data.get("DELETE")
        ]

    def validate_unique(self):
        pass  # audience_errors names the repeated group in Vietnamese


AudienceFormSet = inlineformset_factory(
    CommunicationActivity,
    ActivityAudience,
    form=AudienceForm,
    formset=BaseAudienceFormSet,
    extra=2,
    can_delete=True,
    max_num=len(TargetGroup.values),
    validate_max=True,
)


def audience_formset(data=None, *, instance=None):
    formset = AudienceFormSet(data, instance=instance or CommunicationActivity(), prefix="audiences")
    if instance is None or instance.pk is None:
        formset.extra = 3
    for form in formset.forms:
        style_fields(form)
    return formset


class QuickActivityForm(ScopedModelForm):
    """The common case on a phone: what, when, where, who ran it, and for each target group reached the number
    of people (empty when not counted, as for a loudspeaker broadcast)."""

    title = forms.CharField(
        label=gettext_lazy("Nội dung, chủ đề"),
        required=False,
        max_length=255,
        help_text=gettext_lazy("Để trống để ghi theo hình thức và nơi tổ chức."),
    )

    class Meta:
        model = CommunicationActivity
        fields = ["unit", "kind", "held_on", "residential_group", "title", "organiser", "materials_count"]
        widgets = {"materials_count": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group, label in TargetGroup.choices:
            self.fields[f"reached_{group}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"participants_{group}"] = forms.IntegerField(
                label=_("Số người (%(group)s)") % {"group": label},
                min_value=0,
                required=False,
                widget=forms.NumberInput(
                    attrs={
                        "min": 0,
                        "inputmode": "numeric",
                        "placeholder": _("số người"),
                        "aria-label": _("Số người (%(group)s)") % {"group": label},
                    }
                ),
            )
            _style(self.fields[f"reached_{group}"], self.fields[f"participants_{group}"])
        self.fields["materials_count"].required = False
        _set_up_activity_fields(self)

    def group_rows(self):
        """(group, tick box, participants box) per target group, for the template."""
        return [(group, self[f"reached_{group}"], self[f"participants_{group}"]) for group in TargetGroup.values]

    def main_fields(self):
        return [self[name] for name in self._meta.fields]

    def audiences(self) -> list[tuple[str, int | None]]:
        """A group is reached when ticked or when a number is typed for it."""
        data = self.cleaned_data
        return [
            (group, data.get(f"participants_{group}"))
            for group in TargetGroup.values
            if data.get(f"reached_{group}") or data.get(f"participants_{group}") is not None
        ]

    def clean_materials_count(self):
        return self.cleaned_data.get("materials_count") or 0

    def clean(self):
        cleaned = super().clean()
        if not any(f"participants_{g}" in self.errors for g in TargetGroup.values):
            for error in audience_errors(self.audiences()):
                self.add_error(None, error)
        if not cleaned.get("title") and cleaned.get("kind"):
            cleaned["title"] = default_title(cleaned["kind"], cleaned.get("residential_group"))
            self.instance.title = cleaned["title"]
        return cleaned


class AttachmentForm(StyledForm):
    file = forms.FileField(
        label=gettext_lazy("Ảnh hoặc tệp PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        help_text=gettext_lazy(
            "Ảnh được lưu lại không kèm thông tin vị trí, thiết bị chụp. Không đăng ảnh nhận diện được người bán dâm."
        ),
    )
    description = forms.CharField(label=gettext_lazy("Mô tả"), required=False, max_length=255)

    def clean_file(self):
        try:
            self.stored, self.content_type = clean_upload(
                self.cleaned_data["file"], max_bytes=settings.ATTACHMENT_MAX_BYTES
            )
        except UploadError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return self.cleaned_data["file"]


class TargetPopulationForm(ScopedModelForm):
    class Meta:
        model = TargetPopulation
        fields = ["unit", "year", "students", "risk_workers", "iz_workers", "residential_groups", "source", "note"]
        widgets = {"note": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "unit" in self.fields:
            self.fields["unit"].queryset = self.fields["unit"].queryset.filter(level__in=OWNER_LEVELS).order_by("path")
            choose_only_choice(self)
        if "year" in self.fields and not self.instance.pk:
            self.fields["year"].initial = self.fields["year"].initial or timezone.localdate().year
        for name in ("students", "risk_workers", "iz_workers", "residential_groups"):
            if name in self.fields:
                self.fields[name].widget.attrs.update({"min": 0, "inputmode": "numeric"})


# -- the unit summary --------------------------------------------------------------------------------


class SummaryForm(StyledForm):
    unit = forms.ModelChoiceField(queryset=AdminUnit.objects.none(), label=gettext_lazy("Đơn vị (gồm cấp dưới)"))
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Units where the user may see activities, not merely the units themselves.
        self.fields["unit"].queryset = (
            AdminUnit.objects.filter(level__lte=AdminUnit.Level.COMMUNE)
            .within(scope_paths(user, permission_name(CommunicationActivity, "view")))
            .order_by("path")
        )
        self.fields["year"].widget.attrs.update({"inputmode": "numeric"})

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year + 1:
            raise forms.ValidationError(_("Năm không thể quá năm sau."))
        return year


def summary_form(data, user) -> SummaryForm:
    """The form with its defaults: the user's own (highest) unit, this year."""
    form = SummaryForm(user=user)
    default_unit = form.fields["unit"].queryset.order_by("level", "path").first()
    values = {"unit": default_unit.pk if default_unit else None, "year": timezone.localdate().year}
    values.update({k: v for k, v in data.items() if k in values and v})
    return SummaryForm(values, user=user)
