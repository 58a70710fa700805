"""Forms of the tips module. The rules are in Tip.clean() and tips.services, shared with the API."""

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.businesses.models import Business
from lanhmanh.core.forms import DateInput, ScopedModelForm, StyledForm, choose_only_choice
from lanhmanh.core.scoping import path_q, scope_paths
from lanhmanh.core.uploads import UploadError, clean_upload
from lanhmanh.geo.models import AdminUnit, Agency
from lanhmanh.tips.models import Tip

TEXTAREA = {"rows": 3}
REPORTER_FIELDS = ("reporter_anonymous", "reporter_name", "reporter_contact")


def may_see_reporter(user, tip) -> bool:
    paths = scope_paths(user, "tips.see_reporter_tip")
    return paths is None or any(tip.unit.path.startswith(p) for p in paths)


def handling_officers(unit):
    """Active users holding a role at `unit` or above it: the people a tip of `unit` can be given to."""
    ancestors = []
    path = unit.path
    while path:
        ancestors.append(path)
        path = path[: path.rstrip("/").rfind("/") + 1] if "/" in path.rstrip("/") else ""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__is_active=True, memberships__unit__path__in=ancestors)
        .distinct()
        .order_by("full_name", "username")
    )


class BusinessChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Business):
        return f"{obj.name} — {obj.address}"


class TipForm(ScopedModelForm):
    """Intake and its corrections. The reporter's contact can be typed by whoever takes the call, but is shown
    again (and so editable) only to roles allowed to see it."""

    received_at = forms.DateTimeField(
        label=_("Thời điểm tiếp nhận"),
        initial=timezone.now,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy hh:mm"}),
    )

    class Meta:
        model = Tip
        fields = [
            "unit",
            "channel",
            "received_at",
            "kind",
            "subject",
            "residential_group",
            "address",
            "business",
            "business_name_given",
            "content",
            "reporter_anonymous",
            "reporter_name",
            "reporter_contact",
            "assigned_agency",
            "assigned_officer",
            "note",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 5}),
            "note": forms.Textarea(attrs={"rows": 2}),
            "reporter_name": forms.TextInput(attrs={"autocomplete": "off"}),
            "reporter_contact": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        field_classes = {"business": BusinessChoice}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].widget.attrs["class"] = "form-control"
        if self.instance.pk:
            self.initial["received_at"] = timezone.localtime(self.instance.received_at).strftime("%d/%m/%Y %H:%M")
        units = self.fields["unit"].queryset.filter(level__in=(AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE))
        self.fields["unit"].queryset = units
        self.fields["unit"].label = _("Đơn vị tiếp nhận")
        fields = self.fields  # an import form keeps only some of them
        if "residential_group" in fields:
            fields["residential_group"].queryset = (
                fields["residential_group"]
                .queryset.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP)
                .select_related("parent")
            )
        if "business" in fields:
            fields["business"].queryset = fields["business"].queryset.select_related("unit")
        if "assigned_agency" in fields:
            fields["assigned_agency"].queryset = (
                fields["assigned_agency"].queryset.filter(is_active=True).select_related("unit")
            )
        if "assigned_officer" in fields:
            fields["assigned_officer"].queryset = self._officers()
            fields["assigned_officer"].label_from_instance = str
        choose_only_choice(self)
        if self.instance.pk and not may_see_reporter(self.user, self.instance):
            for name in REPORTER_FIELDS:
                self.fields.pop(name, None)
        if self.instance.pk:
            # Moving a tip to another unit is a transfer, with its own record and deadline.
            self.fields["unit"].disabled = True

    def _officers(self):
        unit = self.instance.unit if self.instance.pk else None
        if unit is None:
            paths = scope_paths(self.user, "tips.view_tip")
            users = get_user_model().objects.filter(is_active=True, memberships__is_active=True)
            if paths is not None:
                users = users.filter(path_q("memberships__unit__path", paths))
            return users.distinct().order_by("full_name", "username")
        return handling_officers(unit)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reporter_anonymous") and "reporter_name" in self.fields:
            # Anonymous means nothing about the reporter is kept, even if something was typed.
            cleaned["reporter_name"] = cleaned["reporter_contact"] = ""
            self.instance.reporter_name = self.instance.reporter_contact = ""
        return cleaned


class ConcludeForm(StyledForm):
    status = forms.ChoiceField(
        label=_("Kết thúc"),
        choices=[
            (Tip.Status.HANDLED, _("Có căn cứ, đã xử lý")),
            (Tip.Status.NOT_CONFIRMED, _("Không có căn cứ")),
            (Tip.Status.CLOSED, _("Đóng (rút tin, không đủ thông tin để xử lý)")),
        ],
    )
    concluded_on = forms.DateField(label=_("Ngày kết thúc"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Kết quả xử lý"), widget=forms.Textarea(attrs=TEXTAREA), required=False)
    resulting_visit = forms.ModelChoiceField(label=_("Lượt kiểm tra đã tiến hành"), required=False, queryset=None)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, visits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resulting_visit"].queryset = visits
        self.fields["concluded_on"].widget.attrs["class"] = "form-control"


class ExtendForm(StyledForm):
    days = forms.IntegerField(label=_("Số ngày gia hạn"), min_value=1, max_value=365)
    reason = forms.CharField(label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 2}))
    decided_by = forms.CharField(label=_("Người, cơ quan quyết định"), required=False, max_length=255)
    version = forms.IntegerField(widget=forms.HiddenInput)


class TransferForm(StyledForm):
    to_unit = forms.ModelChoiceField(label=_("Đơn vị nhận"), required=False, queryset=None)
    to_agency = forms.ModelChoiceField(label=_("Cơ quan nhận"), required=False, queryset=None)
    to_other = forms.CharField(
        label=_("Hoặc cơ quan ngoài hệ thống"),
        required=False,
        max_length=255,
        help_text=_("Ví dụ: Viện kiểm sát nhân dân, Công an tỉnh khác."),
    )
    transferred_on = forms.DateField(label=_("Ngày chuyển"), widget=DateInput(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Lý do chuyển"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, tip, **kwargs):
        super().__init__(*args, **kwargs)
        province_path = "/".join(tip.unit.path.split("/")[:2]) + "/"
        # Any commune of the province, or the province itself: a tip may go where the user cannot see.
        units = AdminUnit.objects.current().filter(
            level__in=(AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE), path__startswith=province_path
        )
        self.fields["to_unit"].queryset = units.order_by("level", "name")
        self.fields["to_agency"].queryset = Agency.objects.filter(
            is_active=True, unit__path__startswith=province_path
        ).select_related("unit")
        self.fields["to_agency"].label_from_instance = lambda a: f"{a.name} ({a.unit})"
        self.fields["transferred_on"].widget.attrs["class"] = "form-control"


class MergeForm(StyledForm):
    into = forms.ModelChoiceField(label=_("Gộp vào tin báo"), queryset=None)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = candidates


class ReopenForm(StyledForm):
    reason = forms.CharField(label=_("Lý do mở lại"), widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class AttachmentForm(StyledForm):
    file = forms.FileField(
        label=_("Ảnh hoặc tệp PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        help_text=_("Ảnh được lưu lại không kèm thông tin vị trí, thiết bị chụp."),
    )
    description = forms.CharField(label=_("Mô tả"), required=False, max_length=255)

    def clean_file(self):
        try:
            self.stored, self.content_type = clean_upload(
                self.cleaned_data["file"], max_bytes=settings.TIP_ATTACHMENT_MAX_BYTES
            )
        except UploadError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return self.cleaned_data["file"]
