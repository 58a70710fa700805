import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.scoping import can_use_unit


def style_fields(form):
    """Bootstrap classes on every widget, so templates render any form the same way."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


def choose_only_choice(form, field="unit"):
    """A new record whose user has a single choice (a commune officer's own commune): choose it for them."""
    if not form.instance.pk and not form.initial.get(field):
        choices = list(form.fields[field].queryset[:2])
        if len(choices) == 1:
            form.initial[field] = choices[0].pk


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class ScopedModelForm(forms.ModelForm):
    """A model form that knows its user: every choice of a related record is limited to what the user
    may see, the owning unit must lie in the user's scope for the action, and edits carry the version
    they started from (optimistic locking, see core.services.save_versioned)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.action = "change" if self.instance.pk else "add"
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user, "view")
        if self.instance.pk and hasattr(self.instance, "version"):
            self.fields["expected_version"].initial = self.instance.version
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and not isinstance(field, forms.DateTimeField):
                field.widget = DateInput()
        style_fields(self)

    def _update_errors(self, errors):
        # The model's clean() may fault a field this form leaves out (an import maps only some columns):
        # show it as a form-wide error naming the field, rather than failing.
        if hasattr(errors, "error_dict"):
            for name in [n for n in errors.error_dict if n != NON_FIELD_ERRORS and n not in self.fields]:
                label = capfirst(self._meta.model._meta.get_field(name).verbose_name)
                errors.error_dict.setdefault(NON_FIELD_ERRORS, []).extend(
                    ValidationError(f"{label}: {message}") for message in ValidationError(
                        errors.error_dict.pop(name)).messages
                )
        super()._update_errors(errors)

    def clean(self):
        cleaned = super().clean()
        model = self._meta.model
        field, unit = owning_unit(model, cleaned, self.instance)
        if unit is not None and not can_use_unit(self.user, model, self.action, unit):
            self.add_error(field if field in self.fields else None, _("Bạn không có quyền ghi dữ liệu cho đơn vị này."))
        return cleaned


def owning_unit(model, values: dict, instance=None):
    """(field name, unit) a new or changed record would belong to, from submitted `values`."""
    parent_field = getattr(model, "unit_from", None)
    if parent_field:
        parent = values.get(parent_field) or (getattr(instance, parent_field, None) if instance is not None
                                              and getattr(instance, f"{parent_field}_id", None) else None)
        return parent_field, getattr(parent, "unit", None)
    scope_field = getattr(model, "scope_field", None)
    return scope_field, values.get(scope_field) if scope_field else None


class MoneyField(forms.IntegerField):
    """An amount in đồng, typed as officers write it: "1.500.000", "1 500 000" or "1500000 đ"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "1.500.000"})

    def to_python(self, value):
        if isinstance(value, str):
            # Whole đồng only: drop the grouping and any currency word ("đ", "VNĐ", "đồng").
            digits = re.sub(r"\D", "", value)
            value = digits if digits and not value.strip().startswith("-") else value.strip()
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:,}".replace(",", ".")
        return value


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input: works the same in every browser and on phones, whatever their locale."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})},
                         format="%d/%m/%Y")
