"""Excel import of a team's existing log: one row per business visit, the session given by its team, date
and kind. Rows of the same team, day and kind become one session (an existing one is reused). Every row
goes through the same rules as the field form; nothing is written unless every row is valid."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.core.forms import MoneyField, ScopedModelForm
from lanhmanh.core.imports import Importer
from lanhmanh.core.scoping import can_use_unit
from lanhmanh.core.services import record_create
from lanhmanh.core.text import normalise_text
from lanhmanh.inspections.models import InspectionSession, InspectionVisit, SessionKind, Team, ViolationType
from lanhmanh.inspections.services import violation_errors


class VisitImportForm(ScopedModelForm):
    team = forms.ModelChoiceField(queryset=Team.objects.all(), label=gettext_lazy("Đội kiểm tra"))
    session_date = forms.DateField(label=gettext_lazy("Ngày kiểm tra"))
    session_kind = forms.ChoiceField(choices=SessionKind.choices, required=False,
                                     label=gettext_lazy("Hình thức kiểm tra"))
    violation_codes = forms.CharField(required=False, label=gettext_lazy("Hành vi vi phạm"),
                                      help_text=gettext_lazy("Mã hoặc tên, cách nhau bởi dấu chấm phẩy."))
    fine_amount = MoneyField(label=gettext_lazy("Số tiền phạt (đồng)"), required=False)

    class Meta:
        model = InspectionVisit
        fields = [
            "business", "time", "attendees", "outcome", "findings", "fine_amount", "sanction_stage",
            "sanction_authority", "sanction_decision_number", "sanction_decision_date", "suspended_from",
            "suspended_until", "suspension_reason", "licence_withdrawn", "follow_up_due", "note",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # clean() reads a blank result from the violations listed; required, the model form field refused the
        # blank cell before that, and the mapping step demanded a "Kết quả" column officers' logs often lack.
        self.fields["outcome"].required = False

    def clean(self):
        cleaned = super().clean()
        team, day = cleaned.get("team"), cleaned.get("session_date")
        violations = self._violations(cleaned.get("violation_codes", ""))
        outcome = cleaned.get("outcome") or ("violation" if violations else self.instance.outcome)
        self.instance.outcome = outcome
        if "outcome" in self.fields:
            # Only for a field of the form: with no "Kết quả" column the importer drops the field, and
            # construct_instance would look the field up for a value in cleaned_data (KeyError).
            cleaned["outcome"] = outcome
        if cleaned.get("fine_amount") and not cleaned.get("sanction_stage"):
            # Teams' logs rarely say whether a fine was proposed or decided: a decision number says decided.
            stage = "applied" if cleaned.get("sanction_decision_number") else "proposed"
            self.instance.sanction_stage = stage
            if "sanction_stage" in self.fields:
                cleaned["sanction_stage"] = stage
        if team is None or day is None:
            return cleaned
        kind = cleaned.get("session_kind") or SessionKind.PLANNED
        session = InspectionSession.objects.filter(team=team, date=day, kind=kind).first()
        model, unit = (InspectionVisit, session.unit) if session else (InspectionSession, team.unit)
        if not can_use_unit(self.user, model, "add", unit):
            self.add_error("team", _("Bạn không có quyền ghi buổi kiểm tra cho đội này."))
            return cleaned
        if session is None:
            session = InspectionSession(team=team, date=day, kind=kind, unit=team.unit)
            try:
                session.clean()
            except ValidationError as exc:
                for message in exc.messages:
                    self.add_error("session_date", message)
                return cleaned
        self.instance.session = session
        if violations is not None:
            for error in violation_errors(outcome, violations, day):
                self.add_error("violation_codes", error)
            self.instance.imported_violations = violations
        return cleaned

    def _violations(self, text):
        """Violation types named in a cell by code or name; None (and an error) if one is unknown."""
        names = [part.strip() for part in re.split(r"[;\n]", text or "") if part.strip()]
        if not names:
            return []
        catalogue = list(ViolationType.objects.all())
        found = []
        for name in names:
            key = normalise_text(name)
            match = [v for v in catalogue if v.code == name.lower() or normalise_text(v.name) == key]
            if len(match) != 1:
                self.add_error("violation_codes", _("Không có hành vi vi phạm “%(name)s” trong danh mục.")
                               % {"name": name})
                return None
            found.append(match[0])
        return found


class VisitImporter(Importer):
    form = VisitImportForm
    fields = (
        "team", "session_date", "session_kind", "business", "time", "attendees", "outcome", "violation_codes",
        "findings", "fine_amount", "sanction_stage", "sanction_authority", "sanction_decision_number",
        "sanction_decision_date", "suspended_from", "suspended_until", "suspension_reason", "licence_withdrawn",
        "follow_up_due", "note",
    )
    lookups = {"team": "name", "business": "name"}
    fixed_value_fields = ("team", "session_kind")
    header_aliases = {
        "team": ("doi", "doi kiem tra", "doan kiem tra"),
        "session_date": ("ngay", "ngay kiem tra", "thoi gian kiem tra", "ngay thang"),
        "session_kind": ("hinh thuc", "loai kiem tra"),
        "business": ("co so", "ten co so", "co so kinh doanh", "ten co so kinh doanh", "don vi duoc kiem tra"),
        "time": ("gio", "gio kiem tra"),
        "attendees": ("thanh phan", "thanh phan lam viec"),
        "outcome": ("ket qua", "ket qua kiem tra", "hinh thuc xu ly"),
        "violation_codes": ("vi pham", "hanh vi vi pham", "loi vi pham"),
        "findings": ("noi dung", "noi dung vi pham", "ghi nhan"),
        "fine_amount": ("so tien phat", "tien phat", "phat tien", "muc phat"),
        "sanction_stage": ("xu phat", "hinh thuc xu phat", "tinh trang xu phat"),
        "sanction_authority": ("co quan xu phat", "nguoi xu phat", "tham quyen"),
        "sanction_decision_number": ("so quyet dinh", "so qd xu phat", "so qd"),
        "sanction_decision_date": ("ngay quyet dinh", "ngay qd"),
        "suspended_from": ("dinh chi tu ngay", "tam dinh chi tu"),
        "suspended_until": ("dinh chi den ngay", "den ngay"),
        "suspension_reason": ("ly do dinh chi",),
        "follow_up_due": ("han kiem tra lai", "kiem tra lai"),
        "note": ("ghi chu",),
    }

    def lookup_map(self, name, wanted):
        if name == "team":
            # Two teams of one name in a province officer's scope: name neither, rather than pick one.
            found = super().lookup_map(name, wanted)
            names = list(self._blank_form.fields["team"].queryset.values_list("name", flat=True))
            return {text: team for text, team in found.items() if names.count(team.name) == 1}
        if name != "business":
            return super().lookup_map(name, wanted)
        # A team's log names a business by its name (and sometimes address, after a comma) or its licence
        # number; a name counts only if exactly one business in the user's scope bears it.
        businesses = list(self._blank_form.fields["business"].queryset.only(
            "pk", "name", "address", "licence_number", "match_key", "unit_id"))
        by_licence, by_name, by_key = {}, {}, {}
        for business in businesses:
            if business.licence_number:
                by_licence.setdefault(business.licence_number.strip().lower(), []).append(business)
            by_name.setdefault(normalise_text(business.name), []).append(business)
            by_key.setdefault(business.match_key, []).append(business)
        found = {}
        for text in wanted:
            name_part, _sep, address = text.partition(",")
            candidates = (by_licence.get(text.strip().lower()) or by_key.get(
                f"{normalise_text(name_part)}|{normalise_text(address)}") or by_name.get(normalise_text(text)) or [])
            if len(candidates) == 1:
                found[text] = candidates[0]
        return found

    def save(self, instances):
        """Sessions first (one per team, day and kind), then the visits and their violations."""
        sessions = {}
        with transaction.atomic():
            for visit in instances:
                session = visit.session
                if session.pk is None:
                    key = (session.team_id, session.date, session.kind)
                    if key not in sessions:
                        sessions[key] = record_create(session, user=self.user)
                    visit.session = sessions[key]
                record_create(visit, user=self.user)
                violations = getattr(visit, "imported_violations", None)
                if violations:
                    visit.violations.set(violations)
        return len(instances)

