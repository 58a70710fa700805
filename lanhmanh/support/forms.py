"""Forms of the support pages. They only collect and type the input: every rule (consent, scope, minors, versions)
is checked by lanhmanh.support.services, whose ValidationError messages are put back on these forms
(`add_service_errors`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.forms import DateInput, StyledForm
from lanhmanh.core.scoping import permission_name, scope_paths
from lanhmanh.geo.forms import agency_choices
from lanhmanh.geo.models import AdminUnit, Agency, AgencyType
from lanhmanh.support.models import (
    CLIENT_LEVELS,
    IDENTIFYING_SHARED_ITEMS,
    AgeGroup,
    CloseReason,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ErasureKind,
    Gender,
    NeedArea,
    Referral,
    ServiceDelivery,
    ServiceOutcome,
    ServiceType,
    SharedItem,
    SupportClient,
)

NO_IDENTITY_HELP = _("Không ghi họ tên hay thông tin nhận dạng người được hỗ trợ.")


def add_service_errors(form, exc: ValidationError):
    """Put a refusal of `services` on `form`: on the field it names when the form has it, else on the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            if name in form.fields:
                form.add_error(name, errors)
            else:
                for message in ValidationError(errors).messages:
                    form.add_error(None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def date_field(label, *, required=True, initial=None):
    field = forms.DateField(label=label, required=required, widget=DateInput(), initial=initial)
    return field


def _model_label(model, name):
    return model._meta.get_field(name).verbose_name


class AgencyChoiceField(forms.ModelChoiceField):
    """Agencies grouped by their unit: many communes have a "Trạm Y tế" of the same name."""

    def group_by_unit(self):
        groups: dict[str, list] = {}
        for agency in self.queryset:
            groups.setdefault(agency.unit.name, []).append((agency.pk, agency.name))
        self.choices = [("", self.empty_label or "---------"), *groups.items()]


def client_units(user):
    """Communes, wards and provinces where `user` may register a client."""
    units = AdminUnit.objects.current().filter(level__in=CLIENT_LEVELS).order_by("path")
    return units.within(scope_paths(user, permission_name(SupportClient, "add")))


def provinces():
    return AdminUnit.objects.current().filter(level=AdminUnit.Level.PROVINCE).order_by("name")


def province_agencies(unit):
    """Active agencies anywhere in `unit`'s province: a referral may go to another commune or to the province."""
    province_path = "/".join(unit.path.split("/")[:2]) + "/"
    return (Agency.objects.filter(is_active=True, unit__path__startswith=province_path)
            .select_related("unit", "agency_type").order_by("unit__path", "name"))


class IdentityFields(forms.Form):
    """The optional identifying details: typed here, encrypted at rest, never searchable, never in a URL."""

    full_name = forms.CharField(label=_model_label(SupportClient, "full_name"), required=False, max_length=200)
    date_of_birth = forms.CharField(label=_model_label(SupportClient, "date_of_birth"), required=False,
                                    max_length=10)
    phone = forms.CharField(label=_model_label(SupportClient, "phone"), required=False, max_length=30)
    id_number = forms.CharField(label=_model_label(SupportClient, "id_number"), required=False, max_length=30)
    address = forms.CharField(label=_model_label(SupportClient, "address"), required=False, max_length=500)

    IDENTITY_NAMES = ("full_name", "date_of_birth", "phone", "id_number", "address")

    def _setup_identity(self):
        for name in self.IDENTITY_NAMES:
            # Browsers must not remember these values for the next person using the computer.
            self.fields[name].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
        self.fields["date_of_birth"].widget.attrs.update({"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})

    def identity(self) -> dict:
        return {name: self.cleaned_data.get(name, "") for name in self.IDENTITY_NAMES}


class ConsentFields(forms.Form):
    """The consent section, shared by registration and "add a consent"."""

    given_on = date_field(_model_label(Consent, "given_on"), required=False)
    method = forms.ChoiceField(label=_model_label(Consent, "method"), choices=ConsentMethod.choices,
                               initial=ConsentMethod.WRITTEN)
    given_by = forms.ChoiceField(label=_model_label(Consent, "given_by"), choices=ConsentGiver.choices,
                                 initial=ConsentGiver.SELF)
    for_services = forms.BooleanField(label=_model_label(Consent, "for_services"), required=False, initial=True)
    for_referral = forms.BooleanField(label=_model_label(Consent, "for_referral"), required=False)
    referral_agency_types = forms.ModelMultipleChoiceField(
        label=_model_label(Consent, "referral_agency_types"), required=False, queryset=AgencyType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ chuyển gửi được đến những loại cơ quan đã chọn ở đây."))
    for_phone_contact = forms.BooleanField(label=_model_label(Consent, "for_phone_contact"), required=False)
    signed_form = forms.FileField(
        label=_model_label(Consent, "signed_form"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        help_text=_("Ảnh hoặc tệp PDF; được mã hóa khi lưu, chỉ cán bộ hỗ trợ của đơn vị tải về được."))

    CONSENT_NAMES = ("given_on", "method", "given_by", "for_services", "for_referral", "referral_agency_types",
                     "for_phone_contact", "signed_form")

    def _setup_consent(self):
        self.fields["referral_agency_types"].queryset = AgencyType.objects.order_by("sort_order", "name")

    def consent_fields(self) -> dict:
        data = self.cleaned_data
        return {"given_on": data.get("given_on"), "method": data["method"], "given_by": data["given_by"],
                "for_services": data["for_services"], "for_referral": data["for_referral"],
                "for_phone_contact": data["for_phone_contact"]}

    def agency_types(self):
        data = self.cleaned_data
        return list(data.get("referral_agency_types") or []) if data.get("for_referral") else []


class RegisterForm(ConsentFields, IdentityFields, StyledForm):
    """Registration at the first contact: the statistical fields, the consent given then, the optional identity,
    and for a minor the child-protection agency the case is referred to at once."""

    STATISTICAL = ("unit", "registered_on", "birth_year", "age_group", "gender", "origin_province", "is_minor")
    CONSENT = ConsentFields.CONSENT_NAMES
    IDENTITY = IdentityFields.IDENTITY_NAMES
    CHILD = ("child_protection_agency", "child_protection_reason")

    unit = forms.ModelChoiceField(label=_("Đơn vị tiếp nhận"), queryset=AdminUnit.objects.none())
    registered_on = date_field(_model_label(SupportClient, "registered_on"), initial=timezone.localdate)
    birth_year = forms.IntegerField(label=_model_label(SupportClient, "birth_year"), required=False,
                                    min_value=1900, help_text=_("Nếu biết: nhóm tuổi được tính theo năm sinh."))
    age_group = forms.ChoiceField(label=_model_label(SupportClient, "age_group"), choices=AgeGroup.choices,
                                  initial=AgeGroup.UNKNOWN)
    gender = forms.ChoiceField(label=_model_label(SupportClient, "gender"), choices=Gender.choices,
                               initial=Gender.FEMALE)
    origin_province = forms.ModelChoiceField(label=_model_label(SupportClient, "origin_province"), required=False,
                                             queryset=AdminUnit.objects.none())
    is_minor = forms.BooleanField(label=_model_label(SupportClient, "is_minor"), required=False,
                                  help_text=SupportClient._meta.get_field("is_minor").help_text)
    child_protection_agency = AgencyChoiceField(
        label=_("Cơ quan bảo vệ trẻ em nhận chuyển gửi"), required=False, queryset=Agency.objects.none(),
        help_text=_("Bắt buộc khi người được hỗ trợ là trẻ em: hồ sơ được chuyển gửi ngay khi tiếp nhận."))
    child_protection_reason = forms.CharField(
        label=_("Lý do chuyển gửi bảo vệ trẻ em"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=NO_IDENTITY_HELP)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].help_text = _("Để trống nếu là ngày tiếp nhận.")
        # The declared order puts the identity first (inherited); show the sections in the page's order.
        self.order_fields([*self.STATISTICAL, *self.CONSENT, *self.IDENTITY, *self.CHILD])
        self.user = user
        units = client_units(user)
        self.fields["unit"].queryset = units
        if not self.is_bound and not self.initial.get("unit"):
            only = list(units[:2])
            if len(only) == 1:
                self.initial["unit"] = only[0].pk
        self.fields["origin_province"].queryset = provinces()
        self.fields["child_protection_agency"].queryset = agency_choices(user, Referral)
        self.fields["child_protection_agency"].group_by_unit()
        self._setup_consent()
        self._setup_identity()

    def section(self, names):
        return [self[name] for name in names]

    def statistical_fields(self):
        return self.section(self.STATISTICAL)

    def consent_section(self):
        return self.section(self.CONSENT)

    def identity_section(self):
        return self.section(self.IDENTITY)

    def child_section(self):
        return self.section(self.CHILD)

    def client_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(name) for name in ("registered_on", "birth_year", "age_group", "gender",
                                                  "origin_province", "is_minor")}


class ConsentForm(ConsentFields, StyledForm):
    """A new consent (a renewed one, or one to more purposes)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_on"].required = True
        self.fields["given_on"].initial = timezone.localdate
        self._setup_consent()


class VersionForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawConsentForm(VersionForm):
    withdrawn_on = date_field(_("Rút lại từ ngày"), initial=timezone.localdate)
    withdrawal_note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500, help_text=NO_IDENTITY_HELP)


class AssessmentForm(StyledForm):
    assessed_on = date_field(_("Ngày đánh giá"), initial=timezone.localdate)
    needs = forms.MultipleChoiceField(label=_("Nhu cầu"), choices=NeedArea.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Không chọn mục nào nghĩa là không còn nhu cầu hỗ trợ."))
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=NO_IDENTITY_HELP)


class AssessmentEditForm(AssessmentForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class ServiceForm(StyledForm):
    service_type = forms.ModelChoiceField(label=_model_label(ServiceDelivery, "service_type"),
                                          queryset=ServiceType.objects.none())
    delivered_on = date_field(_model_label(ServiceDelivery, "delivered_on"), initial=timezone.localdate)
    provider_agency = AgencyChoiceField(label=_model_label(ServiceDelivery, "provider_agency"), required=False,
                                        queryset=Agency.objects.none())
    provider_name = forms.CharField(label=_model_label(ServiceDelivery, "provider_name"), required=False,
                                    max_length=255, help_text=_("Khi cơ quan cung cấp không có trong danh sách."))
    outcome = forms.ChoiceField(label=_model_label(ServiceDelivery, "outcome"), choices=ServiceOutcome.choices,
                                initial=ServiceOutcome.RECEIVED)
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=NO_IDENTITY_HELP)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_type"].queryset = ServiceType.objects.filter(is_active=True)
        self.fields["provider_agency"].queryset = agency_choices(user, ServiceDelivery)
        self.fields["provider_agency"].group_by_unit()

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("service_type", "delivered_on", "provider_agency",
                                                               "provider_name", "outcome", "note")}


class ReferralForm(StyledForm):
    to_agency = AgencyChoiceField(label=_model_label(Referral, "to_agency"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_model_label(Referral, "reason"), widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Không ghi họ tên hay thông tin nhận dạng ở đây; chọn mục chia sẻ bên dưới."))
    shared_items = forms.MultipleChoiceField(
        label=_("Thông tin được chia sẻ với cơ quan nhận"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ chọn những gì cơ quan nhận thật sự cần. Không chọn mục nào: chỉ gửi lý do."))
    sent_on = date_field(_model_label(Referral, "sent_on"), initial=timezone.localdate)
    child_protection = forms.BooleanField(
        label=_("Chuyển gửi bảo vệ trẻ em"), required=False,
        help_text=_("Theo Luật Trẻ em: không cần sự đồng ý chuyển gửi của người được hỗ trợ."))

    def __init__(self, *args, client, identity_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_agency"].queryset = province_agencies(client.unit)
        self.fields["to_agency"].group_by_unit()
        if not client.is_minor:
            del self.fields["child_protection"]
        # Identifying items can only be shared by someone who may see them (services checks it again).
        self.fields["shared_items"].choices = [
            (value, label) for value, label in SharedItem.choices
            if identity_allowed or value not in IDENTIFYING_SHARED_ITEMS]


class CancelReferralForm(VersionForm):
    note = forms.CharField(label=_("Lý do hủy"), required=False, max_length=500)


class RevealReason:
    SERVICE = "service"
    CONTACT = "contact"
    REFERRAL = "referral"
    REQUEST = "request"
    CORRECTION = "correction"
    OTHER = "other"

    choices = [
        (SERVICE, _("Cung cấp dịch vụ hỗ trợ")),
        (CONTACT, _("Liên hệ với người được hỗ trợ")),
        (REFERRAL, _("Thực hiện chuyển gửi")),
        (REQUEST, _("Theo yêu cầu của người được hỗ trợ")),
        (CORRECTION, _("Sửa thông tin nhận dạng")),
        (OTHER, _("Lý do khác")),
    ]


class RevealForm(StyledForm):
    """Why the identity is shown this time: written to the access log with the showing."""

    reason = forms.ChoiceField(label=_("Lý do xem"), choices=RevealReason.choices)
    detail = forms.CharField(label=_("Ghi rõ"), required=False, max_length=300,
                             help_text=_("Bắt buộc khi chọn “Lý do khác”."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == RevealReason.OTHER and not (cleaned.get("detail") or "").strip():
            self.add_error("detail", _("Hãy ghi rõ lý do xem thông tin nhận dạng."))
        return cleaned

    def reason_text(self) -> str:
        label = str(dict(RevealReason.choices)[self.cleaned_data["reason"]])
        detail = (self.cleaned_data.get("detail") or "").strip()
        return f"{label}: {detail}" if detail else label


class IdentityForm(IdentityFields, StyledForm):
    """Correcting the identifying details (the person's right to correction); shown only after a logged reveal."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_identity()


class ClientEditForm(VersionForm):
    """The statistical fields, corrected (the identity has its own form, after a logged reveal)."""

    registered_on = date_field(_model_label(SupportClient, "registered_on"))
    birth_year = forms.IntegerField(label=_model_label(SupportClient, "birth_year"), required=False,
                                    min_value=1900, help_text=_("Nếu biết: nhóm tuổi được tính theo năm sinh."))
    age_group = forms.ChoiceField(label=_model_label(SupportClient, "age_group"), choices=AgeGroup.choices)
    gender = forms.ChoiceField(label=_model_label(SupportClient, "gender"), choices=Gender.choices)
    origin_province = forms.ModelChoiceField(label=_model_label(SupportClient, "origin_province"), required=False,
                                             queryset=AdminUnit.objects.none())
    is_minor = forms.BooleanField(label=_model_label(SupportClient, "is_minor"), required=False,
                                  help_text=SupportClient._meta.get_field("is_minor").help_text)

    FIELDS = ("registered_on", "birth_year", "age_group", "gender", "origin_province", "is_minor")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_province"].queryset = provinces()

    @classmethod
    def initial_for(cls, client) -> dict:
        return {**{name: getattr(client, name) for name in cls.FIELDS}, "version": client.version}

    def client_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


class CloseCaseForm(VersionForm):
    closed_on = date_field(_("Ngày kết thúc hỗ trợ"), initial=timezone.localdate)
    close_reason = forms.ChoiceField(label=_("Lý do kết thúc"), choices=CloseReason.choices)


class ExportForm(StyledForm):
    """The data-subject export: everything held about the person, on their request; the showing is logged."""

    reason = forms.CharField(label=_("Căn cứ, lý do xuất"), max_length=300,
                             help_text=_("Ví dụ: yêu cầu của người được hỗ trợ ngày 02/03/2026."))


class ErasureForm(VersionForm):
    kind = forms.ChoiceField(label=_("Cách xóa"), widget=forms.RadioSelect, choices=[
        (ErasureKind.REQUEST_IDENTITY, ErasureKind.REQUEST_IDENTITY.label),
        (ErasureKind.REQUEST_ANONYMISE, ErasureKind.REQUEST_ANONYMISE.label),
    ])
    request_reference = forms.CharField(
        label=_("Căn cứ"), max_length=255,
        help_text=_("Ví dụ: đơn yêu cầu ngày 02/03/2026. Không ghi họ tên người yêu cầu."))
    confirm = forms.BooleanField(
        label=_("Tôi hiểu rằng dữ liệu đã xóa không thể khôi phục."),
        error_messages={"required": _("Hãy xác nhận trước khi xóa.")})

