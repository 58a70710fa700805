"""Forms of the training module. The rules are in the models' clean(), shared with the API and the Excel import;
the course and its participant groups are written together by services.training_save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.core.forms import ScopedModelForm, StyledForm, choose_only_choice, style_fields
from lanhmanh.core.scoping import permission_name, scope_paths
from lanhmanh.geo.forms import agency_choices as geo_agency_choices
from lanhmanh.geo.models import AdminUnit
from lanhmanh.training.models import StaffCount, Training, TrainingParticipantGroup

TEXTAREA = {"rows": 3}
# Units that run courses and record staff: provinces, communes and (for records of before 1/7/2025) districts.
RECORD_LEVELS = (AdminUnit.Level.PROVINCE, AdminUnit.Level.DISTRICT, AdminUnit.Level.COMMUNE)


class CountField(forms.IntegerField):
    """A number of people: an empty cell or box means none."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return 0 if value is None else value


def _training_paths(user):
    return scope_paths(user, permission_name(Training, "view"))


def record_units(user, model=Training, action="view"):
    """Units where `user` may `action` `model` records, at the levels that hold them."""
    return (
        AdminUnit.objects.filter(level__in=RECORD_LEVELS)
        .within(scope_paths(user, permission_name(model, action)))
        .order_by("path")
    )


def agency_choices(user, *, above=False):
    """Active agencies of the units where the user may see courses; with `above`, also those of the units above
    them (a commune's course is often organised by a provincial department)."""
    return geo_agency_choices(user, Training, above=above)


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.unit.name})"


class TrainingForm(ScopedModelForm):
    class Meta:
        model = Training
        fields = ["unit", "title", "starts_on", "ends_on", "organiser", "venue", "summary", "materials_count"]
        widgets = {"summary": forms.Textarea(attrs=TEXTAREA)}
        field_classes = {"organiser": AgencyChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        if "unit" in fields:
            fields["unit"].queryset = fields["unit"].queryset.filter(level__in=RECORD_LEVELS).order_by("path")
            choose_only_choice(self)
        if "organiser" in fields:
            fields["organiser"].queryset = agency_choices(self.user, above=True)

    def _post_clean(self):
        # The form does not offer the level: Training.clean() takes it from the unit, also when the unit changes.
        if "level" not in self.fields:
            self.instance.level = ""
        super()._post_clean()


class ParticipantGroupForm(forms.ModelForm):
    """One row of the participant groups: an agency from the register, or a typed name and its unit."""

    class Meta:
        model = TrainingParticipantGroup
        fields = ["agency", "agency_name", "participant_unit", "participants", "programme_staff"]
        field_classes = {"agency": AgencyChoiceField, "programme_staff": CountField}

    def __init__(self, *args, user, agencies=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["agency"].queryset = agencies if agencies is not None else agency_choices(user)
        self.fields["participant_unit"].queryset = units if units is not None else record_units(user)
        self.fields["participants"].min_value = 0
        self.fields["programme_staff"].required = False
        style_fields(self)


class BaseParticipantGroupFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, user, **kwargs):
        # The choices are the same for every row.
        kwargs["form_kwargs"] = {"user": user, "agencies": agency_choices(user), "units": record_units(user)}
        super().__init__(*args, **kwargs)

    def changed_and_deleted(self):
        """(new or changed groups, unsaved; groups to delete) after is_valid(). Unchanged groups are left alone
        (services.training_save counts them in the totals from the database)."""
        changed, deleted = [], []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue  # an extra row left empty
            if self.can_delete and self._should_delete_form(form):
                if form.instance.pk:
                    deleted.append(form.instance)
                continue
            if form.instance.pk and not form.has_changed():
                continue
            changed.append(form.save(commit=False))
        return changed, deleted


ParticipantGroupFormSet = forms.inlineformset_factory(
    Training,
    TrainingParticipantGroup,
    form=ParticipantGroupForm,
    formset=BaseParticipantGroupFormSet,
    extra=3,
    can_delete=True,
)


class StaffCountForm(ScopedModelForm):
    staff = CountField(label=gettext_lazy("Số cán bộ"), help_text=StaffCount._meta.get_field("staff").help_text)

    class Meta:
        model = StaffCount
        fields = ["unit", "year", "staff", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        if "unit" in fields:
            fields["unit"].queryset = fields["unit"].queryset.filter(level__in=RECORD_LEVELS).order_by("path")
            choose_only_choice(self)
        if "year" in fields and not self.instance.pk and not self.initial.get("year"):
            self.initial["year"] = timezone.localdate().year
        if "staff" in fields:
            fields["staff"].required = True


# -- the staff-trained page -----------------------------------------------------------------------


class StaffTrainedForm(StyledForm):
    unit = forms.ModelChoiceField(queryset=AdminUnit.objects.none(), label=gettext_lazy("Đơn vị (gồm cấp dưới)"))
    year = forms.IntegerField(label=gettext_lazy("Năm"), min_value=2000)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            AdminUnit.objects.filter(level__lte=AdminUnit.Level.COMMUNE).within(_training_paths(user)).order_by("path")
        )
        self.fields["year"].max_value = timezone.localdate().year + 1
        self.fields["year"].widget.attrs["max"] = timezone.localdate().year + 1

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year + 1:
            raise forms.ValidationError(_("Năm không thể sau năm tới."))
        return year


def staff_trained_form(data, user) -> StaffTrainedForm:
    """The form with its defaults: the user's own (highest) unit and this year."""
    form = StaffTrainedForm(user=user)
    default_unit = form.fields["unit"].queryset.order_by("level", "path").first()
    values = {"unit": default_unit.pk if default_unit else None, "year": timezone.localdate().year}
    values.update({k: v for k, v in data.items() if k in values and v})
    return StaffTrainedForm(values, user=user)
