"""Forms of the report's page: the text and header (one form, whichever of save / draft / refresh / submit the
officer presses), the reviewer's decision, the completeness dashboard's choice of type, period and unit, and an upper
unit's request for an ad-hoc report."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.forms import DateInput, StyledForm, style_fields
from lanhmanh.reporting import richtext
from lanhmanh.reporting.models import PeriodRule, Report, ReportType

HEADER_FIELDS = ("title", "document_number", "signer_name", "signer_title", "recipients")
SECTION_PREFIX = "section_"


class ReportEditForm(forms.ModelForm):
    """The header fields of the model and one hidden field per narrative section (filled by the editor), with the
    version the officer loaded."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Report
        fields = HEADER_FIELDS
        widgets = {"recipients": forms.Textarea(attrs={"rows": 4}), "title": forms.TextInput()}

    def __init__(self, *args, sections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = list(sections)
        for section in self.sections:
            self.fields[SECTION_PREFIX + section["key"]] = forms.CharField(
                label=section["title"], required=False, widget=forms.HiddenInput, strip=False)
            if not self.is_bound:
                self.initial[SECTION_PREFIX + section["key"]] = richtext.to_html(
                    (self.instance.narrative or {}).get(section["key"]))
        if not self.is_bound:
            self.initial["expected_version"] = self.instance.version
        style_fields(self)

    def narrative(self) -> dict:
        """The sections as posted, sanitized, over the report's other keys (if any)."""
        narrative = dict(self.instance.narrative or {})
        for section in self.sections:
            narrative[section["key"]] = richtext.sanitize(self.cleaned_data.get(SECTION_PREFIX + section["key"]))
        return narrative

    def apply(self, report):
        """Puts the posted header and text on `report` (in memory; the action saves it with the version check)."""
        for name in HEADER_FIELDS:
            setattr(report, name, self.cleaned_data[name])
        report.narrative = self.narrative()
        return report

    def section_rows(self):
        """(section, editor input name, its HTML) for the template, from the posted data when there is some."""
        rows = []
        for section in self.sections:
            name = SECTION_PREFIX + section["key"]
            if self.is_bound:
                value = richtext.sanitize(self.data.get(name, ""))
            else:
                value = self.initial.get(name, "")
            rows.append({"key": section["key"], "title": section["title"], "field": self[name], "html": value})
        return rows


class ReviewForm(StyledForm):
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Bắt buộc khi trả lại: đơn vị cần sửa những gì."))
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class CompletenessForm(StyledForm):
    type = forms.ModelChoiceField(label=_("Loại báo cáo"), to_field_name="code",
                                  queryset=ReportType.objects.filter(is_active=True))
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    number = forms.IntegerField(label=_("Kỳ số"), min_value=1, max_value=12, initial=1,
                                help_text=_("Tháng hoặc quý; 1 cho báo cáo 6 tháng, năm."))
    unit = forms.CharField(label=_("Mã đơn vị cấp trên"), max_length=20, required=False,
                           help_text=_("Để trống: đơn vị của bạn."))
    # An ad-hoc report's period (the request), instead of a number: the page lists the year's requests as links.
    start = forms.DateField(required=False, widget=forms.HiddenInput)
    end = forms.DateField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["number"].required = False

    def clean(self):
        data = super().clean()
        report_type = data.get("type")
        if report_type is not None and report_type.period_rule != PeriodRule.AD_HOC and not data.get("number"):
            self.add_error("number", _("Hãy nhập kỳ số."))
        if (data.get("start") is None) != (data.get("end") is None) or (
                data.get("start") and data.get("end") and data["end"] < data["start"]):
            self.add_error(None, _("Kỳ báo cáo đột xuất không hợp lệ."))
        return data


class AdHocReportForm(StyledForm):
    """Báo cáo đột xuất: the type (ad-hoc types only), the upper unit asking (those where the user may add reports,
    provinces or the nation), the period, the deadline and the title. The rules are services.open_ad_hoc's; its
    errors are put on these fields (same names)."""

    report_type = forms.ModelChoiceField(
        label=_("Loại báo cáo"), to_field_name="code",
        queryset=ReportType.objects.filter(is_active=True, period_rule=PeriodRule.AD_HOC))
    unit = forms.ModelChoiceField(label=_("Đơn vị yêu cầu báo cáo"), to_field_name="code", queryset=None,
                                  help_text=_("Mọi đơn vị cấp dưới phải nộp loại báo cáo này sẽ được yêu cầu."))
    start = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    end = forms.DateField(label=_("Đến ngày"), widget=DateInput())
    deadline = forms.DateField(label=_("Hạn nộp"), widget=DateInput())
    title = forms.CharField(label=_("Trích yếu"), max_length=500,
                            help_text=_("Ví dụ: Báo cáo đột xuất tình hình tụ điểm mại dâm trên địa bàn."))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        for name in ("report_type", "unit"):
            choices = list(self.fields[name].queryset[:2])
            if len(choices) == 1 and not self.is_bound:
                self.initial[name] = choices[0].code
