"""Forms of the registry. The rules themselves are in the models' clean(), shared with the API and imports."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.businesses.models import Business, Commitment, Suspicion
from lanhmanh.core.forms import ScopedModelForm, choose_only_choice
from lanhmanh.geo.models import AdminUnit

# What a commitment scan may be: the first bytes of the file, not its name, decide.
SCAN_SIGNATURES = (b"%PDF", b"\xff\xd8\xff", b"\x89PNG")


def scan_error(upload) -> str | None:
    """Why an uploaded commitment scan is refused, or None."""
    if upload.size > settings.COMMITMENT_SCAN_MAX_BYTES:
        return _("Tệp quá lớn. Giới hạn là %(max)s MB.") % {"max": settings.COMMITMENT_SCAN_MAX_BYTES // 1_048_576}
    head = upload.read(4)
    upload.seek(0)
    if not head.startswith(SCAN_SIGNATURES):
        return _("Chỉ nhận tệp PDF, JPG hoặc PNG.")
    return None


class BusinessTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name if obj.group == obj.name else f"{obj.group} — {obj.name}"


class BusinessForm(ScopedModelForm):
    class Meta:
        model = Business
        fields = [
            "unit", "name", "business_type", "address", "residential_group", "owner_name", "owner_phone",
            "tax_code", "licence_number", "licence_date", "licence_issuer", "security_cert_number",
            "security_cert_date", "security_cert_issuer", "opened_on", "status", "status_since",
            "subject_to_management", "workers_total", "workers_female", "workers_other_province",
            "workforce_as_of", "risk_level", "risk_reasons", "note",
        ]
        widgets = {"risk_reasons": forms.Textarea(attrs={"rows": 2}), "note": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"business_type": BusinessTypeChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(level=AdminUnit.Level.COMMUNE)
        self.fields["unit"].label = AdminUnit.Level.COMMUNE.label
        groups = self.fields["residential_group"].queryset.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP)
        self.fields["residential_group"].queryset = groups
        choose_only_choice(self)


class CommitmentForm(ScopedModelForm):
    class Meta:
        model = Commitment
        fields = ["business", "signed_on", "signer_name", "signer_position", "valid_until", "scan", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}), "scan": forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png"})}
        help_texts = {"scan": gettext_lazy("Tệp PDF, JPG hoặc PNG, tối đa 10 MB. Chỉ người có quyền mới xem được.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A commitment stays with its business.
            self.fields["business"].disabled = True

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan and hasattr(scan, "content_type"):  # a new upload, not the stored file
            error = scan_error(scan)
            if error:
                raise forms.ValidationError(error)
        return scan


class SuspicionForm(ScopedModelForm):
    class Meta:
        model = Suspicion
        fields = ["business", "kind", "noted_on", "source", "details", "cleared_on"]
        widgets = {"details": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["business"].disabled = True
