from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.forms import StyledForm
from lanhmanh.core.uploads import UploadError, clean_upload
from lanhmanh.geo.models import AdminUnit


class PortalTipForm(StyledForm):
    province = forms.ModelChoiceField(label=_("Tỉnh, thành phố"), queryset=AdminUnit.objects.none(),
                                      empty_label=_("— Chọn tỉnh, thành phố —"))
    commune = forms.ModelChoiceField(label=_("Xã, phường, đặc khu nơi xảy ra sự việc"),
                                     queryset=AdminUnit.objects.none(), empty_label=_("— Chọn xã, phường —"))
    description = forms.CharField(label=_("Sự việc bạn muốn báo"), max_length=5000, widget=forms.Textarea(
        attrs={"rows": 6}), help_text=_("Điều gì đã xảy ra, ở đâu, khi nào. Không cần ghi tên bạn."))
    place = forms.CharField(label=_("Địa điểm (số nhà, đường, tổ dân phố)"), max_length=255, required=False)
    business_name = forms.CharField(label=_("Tên cơ sở kinh doanh (nếu có)"), max_length=255, required=False)
    photo = forms.FileField(label=_("Ảnh (không bắt buộc)"), required=False, widget=forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png"}))
    contact = forms.CharField(label=_("Cách liên hệ với bạn (không bắt buộc)"), max_length=200, required=False,
                              help_text=_("Số điện thoại hoặc thư điện tử, nếu bạn muốn cơ quan chức năng liên hệ. "
                                          "Chỉ cán bộ giải quyết được xem."),
                              widget=forms.TextInput(attrs={"autocomplete": "off"}))
    # Honeypot: hidden from people by CSS; a robot filling every field fills this one too.
    website = forms.CharField(label=_("Để trống ô này"), required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))

    def __init__(self, *args, province=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.photo_file = None
        self.fields["province"].queryset = AdminUnit.objects.current().filter(
            level=AdminUnit.Level.PROVINCE).order_by("name")
        province = province or (self.data.get("province") if self.data else None)
        communes = AdminUnit.objects.current().filter(level=AdminUnit.Level.COMMUNE)
        if province and str(province).isdigit():
            self.fields["commune"].queryset = communes.filter(parent_id=int(province)).order_by("name")
            self.fields["commune"].error_messages["invalid_choice"] = _(
                "Xã, phường này không thuộc tỉnh, thành phố đã chọn.")
        elif self.is_bound:
            self.fields["commune"].queryset = communes
        self.fields["province"].widget.attrs.update({"hx-get": "communes/", "hx-target": "#id_commune",
                                                     "hx-swap": "innerHTML"})
        self.fields["website"].widget.attrs["class"] = "form-control hp-field"
        self.fields["photo"].help_text = _("Ảnh JPG hoặc PNG, tối đa %(size)s. Thông tin vị trí và thiết bị chụp "
                                           "trong ảnh sẽ được xóa.") % {
            "size": filesizeformat(settings.TIP_PORTAL_PHOTO_MAX_BYTES)}

    def clean(self):
        cleaned = super().clean()
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if province and commune and commune.parent_id != province.pk:
            self.add_error("commune", _("Xã, phường này không thuộc tỉnh, thành phố đã chọn."))
        return cleaned

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            try:
                self.photo_file = clean_upload(photo, allow_pdf=False, max_bytes=settings.TIP_PORTAL_PHOTO_MAX_BYTES)
            except UploadError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return photo


class StatusForm(StyledForm):
    code = forms.CharField(label=_("Mã tra cứu"), max_length=20, widget=forms.TextInput(
        attrs={"autocomplete": "off", "autocapitalize": "characters", "placeholder": "ABCD-EFGH-JKLM"}))
    secret = forms.CharField(label=_("Mã bí mật"), max_length=64, widget=forms.PasswordInput(
        attrs={"autocomplete": "off"}))

    def clean_code(self):
        return self.cleaned_data["code"].strip().upper()
