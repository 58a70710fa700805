"""Declaring aggregate reporting. The rules (a valid module, a commune or lower unit, a plausible year) are in
AggregateDeclaration.clean(), shared with the API; the grid itself is saved by entry.grid_save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.forms import ScopedModelForm, choose_only_choice
from lanhmanh.geo.models import AdminUnit
from lanhmanh.indicators.entry import modules_with_entry
from lanhmanh.indicators.models import AggregateDeclaration


def duplicate_message(year):
    return _("Đơn vị này đã đăng ký báo cáo số liệu tổng hợp của lĩnh vực này cho năm %(year)s.") % {"year": year}


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
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "unit": _("Xã, phường, đặc khu chưa ghi hồ sơ chi tiết của lĩnh vực này."),
            "note": _("Ví dụ: số liệu lấy từ sổ theo dõi của Công an phường."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        # Units the user may see, above residential groups: picking a province is explained by the model's rule.
        fields["unit"].queryset = fields["unit"].queryset.filter(
            level__gt=AdminUnit.Level.NATION, level__lt=AdminUnit.Level.RESIDENTIAL_GROUP
        ).order_by("path")
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
