from django import forms
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.scoping import can_use_unit


def style_fields(form):
    """Bootstrap classes on every widget, so templates render any form the same way."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


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

    def clean(self):
        cleaned = super().clean()
        scope_field = getattr(self._meta.model, "scope_field", None)
        unit = cleaned.get(scope_field) if scope_field else None
        if unit is not None and not can_use_unit(self.user, self._meta.model, self.action, unit):
            self.add_error(scope_field, _("Bạn không có quyền ghi dữ liệu cho đơn vị này."))
        return cleaned


class DateInput(forms.DateInput):
    """dd/mm/yyyy text input: works the same in every browser and on phones, whatever their locale."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})},
                         format="%d/%m/%Y")
