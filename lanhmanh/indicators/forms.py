"""Declaring aggregate reporting. The rules (a valid module, a commune, a plausible year) are in
AggregateDeclaration.clean(), shared with the API; the grid itself is saved by entry.grid_save."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.forms import ScopedModelForm, choose_only_choice
from lanhmanh.geo.models import AdminUnit
from lanhmanh.indicators.entry import modules_with_entry
from lanhmanh.indicators.models import NOT_A_COMMUNE, AggregateDeclaration


def duplicate_message(year):
    return _("Đơn vị này đã đăng ký báo cáo số liệu tổng hợp của lĩnh vực này cho năm %(year)s.") % {"year": year}


class CommuneChoiceField(forms.ModelChoiceField):
    """Offers only communes; another unit the user may see (a province, a residential group) is refused with the
    rule's reason rather than as an unknown choice. `other_units`: the units the user may see."""

    other_units = None

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError:
            if self.other_units is not None and value not in self.empty_values:
                try:
                    known = self.other_units.filter(pk=value).exists()
                except (ValueError, TypeError):
                    known = False
                if known:
                    raise ValidationError(NOT_A_COMMUNE, code="not_a_commune") from None
            raise


class AggregateDeclarationForm(ScopedModelForm):
    """A new declaration names the unit, module and year; afterwards only its note changes (its cells belong to
    that module and year: to change them, delete the declaration and declare again)."""

    module = forms.ChoiceField(
        label=_("Lĩnh vực"), choices=(),
        help_text=_("Trong năm đăng ký, số liệu lĩnh vực này của đơn vị được lấy từ bảng nhập tổng hợp theo tháng, "
                    "không tính các hồ sơ chi tiết, để không tính trùng."),
    )

    class Meta:
        model = AggregateDeclaration
        fields = ["unit", "module", "year", "note"]
        field_classes = {"unit": CommuneChoiceField}
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "unit": _("Xã, phường, đặc khu chưa ghi hồ sơ chi tiết của lĩnh vực này."),
            "note": _("Ví dụ: số liệu lấy từ sổ theo dõi của Công an phường."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        # The communes the user may see; any other unit sent is refused with the model's rule (see CommuneChoiceField).
        visible = fields["unit"].queryset
        fields["unit"].other_units = visible
        fields["unit"].queryset = visible.filter(level=AdminUnit.Level.COMMUNE).order_by("path")
        fields["module"].choices = [("", "---------"), *((k, str(v)) for k, v in modules_with_entry().items())]
        if self.instance.pk:
            for name in ("unit", "module", "year"):
                fields[name].disabled = True
        else:
            choose_only_choice(self)
            self.initial.setdefault("year", timezone.localdate().year)
        fields["module"].widget.attrs["class"] = "form-select"

    def clean(self):
        cleaned = super().clean()
        unit, module, year = cleaned.get("unit"), cleaned.get("module"), cleaned.get("year")
        if not self.instance.pk and unit and module and year and AggregateDeclaration.objects.filter(
                unit=unit, module=module, year=year).exists():
            # On the year, so the model's own unique check (which would say it less clearly) is skipped.
            self.add_error("year", duplicate_message(year))
        return cleaned
