"""Forms of the inspection module. The rules are in the models' clean() and services.violation_errors,
shared with the API and the Excel import."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.businesses.forms import scan_error
from lanhmanh.businesses.models import Business
from lanhmanh.core.forms import MoneyField, ScopedModelForm, choose_only_choice
from lanhmanh.core.scoping import permission_name, scope_paths
from lanhmanh.geo.models import AdminUnit
from lanhmanh.inspections.models import (
    InspectionPlan,
    InspectionSession,
    InspectionVisit,
    Team,
    TeamLevel,
    TeamMember,
    ViolationType,
)
from lanhmanh.inspections.services import violation_errors

TEXTAREA = {"rows": 2}


class TeamForm(ScopedModelForm):
    class Meta:
        model = Team
        fields = ["unit", "name", "decision_number", "decision_date", "decision_signer", "dissolved_on", "note"]
        widgets = {"note": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(level__in=TeamLevel.values)
        choose_only_choice(self)


class TeamMemberForm(ScopedModelForm):
    class Meta:
        model = TeamMember
        fields = ["team", "full_name", "agency", "position", "role_in_team", "valid_from", "valid_until"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = self.fields["agency"].queryset.select_related("unit")
        if self.instance.pk:
            self.fields["team"].disabled = True


class InspectionPlanForm(ScopedModelForm):
    class Meta:
        model = InspectionPlan
        fields = ["unit", "title", "year", "quarter", "team", "coverage_target", "note"]
        widgets = {"note": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = self.fields["unit"].queryset.filter(
            level__in=(AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE))
        self.fields["year"].initial = timezone.localdate().year
        choose_only_choice(self)

    def clean(self):
        if self.instance.pk and self.instance.is_approved:
            raise forms.ValidationError(_("Kế hoạch đã được phê duyệt, không thể sửa. Hãy trả lại dự thảo trước."))
        return super().clean()


class InspectionSessionForm(ScopedModelForm):
    class Meta:
        model = InspectionSession
        fields = ["team", "date", "kind", "plan", "decision_number", "decision_date", "note"]
        widgets = {"note": forms.Textarea(attrs=TEXTAREA), "kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan"].queryset = self.fields["plan"].queryset.filter(status=InspectionPlan.Status.APPROVED)
        teams = self.fields["team"].queryset.filter(dissolved_on__isnull=True)
        if self.instance.pk:
            teams = teams | Team.objects.filter(pk=self.instance.team_id)
        self.fields["team"].queryset = teams
        choose_only_choice(self, "team")


class ViolationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.legal_reference}"


class InspectionVisitForm(ScopedModelForm):
    """The field form: quick on a phone. Businesses offered are those of the session team's area;
    violations offered are those in force today (plus, when editing, those the visit already has)."""

    fine_amount = MoneyField(label=_("Số tiền phạt (đồng)"), required=False)

    class Meta:
        model = InspectionVisit
        fields = [
            "session", "business", "time", "attendees", "outcome", "violations", "findings", "fine_amount",
            "sanction_stage", "sanction_authority", "sanction_decision_number", "sanction_decision_date",
            "suspended_from", "suspended_until", "suspension_reason", "licence_withdrawn", "follow_up_due",
            "follow_up_of", "minutes_scan", "note",
        ]
        widgets = {
            "outcome": forms.RadioSelect, "violations": forms.CheckboxSelectMultiple,
            "findings": forms.Textarea(attrs=TEXTAREA), "note": forms.Textarea(attrs=TEXTAREA),
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "minutes_scan": forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
        }
        field_classes = {"violations": ViolationChoiceField}
        help_texts = {"minutes_scan": _("Tệp PDF, JPG hoặc PNG, tối đa 10 MB; có thể chụp bằng điện thoại.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous_violations = list(self.instance.violations.all()) if self.instance.pk else []
        valid = ViolationType.objects.valid_on(timezone.localdate())
        if self.previous_violations:
            valid = valid | ViolationType.objects.filter(pk__in=[v.pk for v in self.previous_violations])
        self.fields["violations"].queryset = valid.distinct()
        if not self.instance.pk:
            # A visit is added to a session the user may record visits for, not any session they can see.
            self.fields["session"].queryset = self.fields["session"].queryset.within(
                scope_paths(self.user, permission_name(InspectionVisit, "add"))).select_related("team")
        self._offer_businesses()
        visible = self.fields["follow_up_of"].queryset
        offered = Q(pk__in=visible.open_follow_ups().values("pk"))
        if self.instance.follow_up_of_id:
            offered |= Q(pk=self.instance.follow_up_of_id)  # keep the one this visit already follows up
        self.fields["follow_up_of"].queryset = visible.filter(offered).exclude(pk=self.instance.pk).select_related(
            "business")

    def _offer_businesses(self):
        """Offer the operating businesses under management in the session team's area; accept any business
        the user may see, so the model's rule can say plainly why one outside the area is refused."""
        field = self.fields["business"]
        if self.instance.pk:
            self.fields["session"].disabled = True
            field.disabled = True
            field.queryset = field.queryset.filter(pk=self.instance.business_id).select_related("unit")
            return
        offered = field.queryset.filter(subject_to_management=True).exclude(status=Business.Status.CLOSED)
        session = self._session()
        if session is not None:
            offered = offered.within([session.team.unit.path])
        field.queryset = field.queryset.select_related("unit")
        field.widget.choices = [("", field.empty_label)] + [
            (b.pk, f"{b.name} — {b.address}") for b in offered.only("pk", "name", "address").order_by("name")]

    def _session(self):
        if self.instance.pk:
            return self.instance.session
        value = self.data.get("session") if self.is_bound else self.initial.get("session")
        if not value:
            return None
        try:
            return self.fields["session"].queryset.select_related("team__unit").filter(pk=int(value)).first()
        except (TypeError, ValueError):
            return None

    def clean_minutes_scan(self):
        scan = self.cleaned_data.get("minutes_scan")
        if scan and hasattr(scan, "content_type"):  # a new upload, not the stored file
            error = scan_error(scan)
            if error:
                raise forms.ValidationError(error)
        return scan

    def clean(self):
        cleaned = super().clean()
        session = cleaned.get("session") or (self.instance.session if self.instance.pk else None)
        if "violations" in self.fields and "outcome" in cleaned:
            for error in violation_errors(cleaned["outcome"], cleaned.get("violations") or [],
                                          session.date if session else None, self.previous_violations):
                self.add_error("violations", error)
        return cleaned
