from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext_lazy as _

from lanhmanh.accounts.models import Membership, User
from lanhmanh.accounts.roles import Role
from lanhmanh.core.forms import ScopedModelForm, StyledForm, style_fields
from lanhmanh.core.scoping import can_use_unit
from lanhmanh.geo.models import AdminUnit, Agency


class LoginForm(AuthenticationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class UserCreateForm(ScopedModelForm):
    """A new official with a first membership: nobody exists in the system without a unit and a role."""

    password = forms.CharField(label=_("Mật khẩu ban đầu"), widget=forms.PasswordInput, strip=False)
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=AdminUnit.objects.filter(
        level__lt=AdminUnit.Level.RESIDENTIAL_GROUP))
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    agency = forms.ModelChoiceField(label=_("Cơ quan"), queryset=Agency.objects.all(), required=False)

    class Meta:
        model = User
        fields = ["username", "full_name", "position", "email", "phone"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password, self.instance)
        return password

    def clean(self):
        cleaned = super().clean()
        unit = cleaned.get("unit")
        if unit is not None and not can_use_unit(self.user, Membership, "add", unit):
            self.add_error("unit", _("Bạn không có quyền phân quyền cho đơn vị này."))
        agency = cleaned.get("agency")
        if agency is not None and unit is not None and agency.unit_id != unit.pk:
            self.add_error("agency", _("Cơ quan phải thuộc đơn vị đã chọn."))
        return cleaned


class UserUpdateForm(ScopedModelForm):
    class Meta:
        model = User
        fields = ["full_name", "position", "email", "phone", "is_active"]
        labels = {"is_active": _("Còn hoạt động (bỏ chọn để vô hiệu hóa tài khoản)")}


class MembershipForm(ScopedModelForm):
    class Meta:
        model = Membership
        fields = ["user", "unit", "role", "agency", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(
            level__lt=AdminUnit.Level.RESIDENTIAL_GROUP
        )

    def clean(self):
        cleaned = super().clean()
        agency, unit = cleaned.get("agency"), cleaned.get("unit")
        if agency is not None and unit is not None and agency.unit_id != unit.pk:
            self.add_error("agency", _("Cơ quan phải thuộc đơn vị đã chọn."))
        return cleaned


class TokenForm(StyledForm):
    token = forms.CharField(
        label=_("Mã xác thực 6 số"), max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
    )
