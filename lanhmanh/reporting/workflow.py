"""Submission and review of reports: a unit submits, the upper unit approves or returns.

- `submit` freezes the report: a new ReportVersion keeps its figures, text, title, signer and recipients as they
  are now, so no later change to the records alters what was submitted. It is allowed from "draft" or "returned",
  to a user who may change reports of the report's unit, and checks the version the editor loaded (a stale one
  raises ConcurrentEditError and nothing is written). A submission after the deadline (local date) is late.
- `approve` / `return_report` decide on the latest submitted version; a return needs a comment. The reviewer must
  hold reporting.approve_report over the report's PARENT unit — the upper level reviews, so a unit never approves
  its own report (a province's approver reviews its communes; the nation's approvers the provinces). A unit with no
  parent (the nation) has nobody above it: its report is reviewed by an approver of the unit itself, who must not
  be the person who submitted the version (four eyes). The reviewer decides on the report as they loaded it: if it
  changed since (resubmitted in between), ConcurrentEditError.
- `versions_diff` compares two versions: changed figures and changed sections (unified diff lines).

Permission failures raise PermissionDenied; a report in the wrong state or a missing comment raise ValidationError
with a Vietnamese message."""

import copy
import difflib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lanhmanh.core.scoping import can_use_unit
from lanhmanh.core.services import save_versioned
from lanhmanh.reporting.models import Report, ReportReview, ReportStatus, ReportVersion, ReviewDecision

SUBMITTABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# The report's header fields copied into each version (and compared by versions_diff, after the sections).
HEADER_FIELDS = ("title", "document_number", "signer_name", "signer_title", "recipients")


def can_submit(user, report) -> bool:
    return report.status in SUBMITTABLE and can_use_unit(user, Report, "change", report.unit)


def reviewer_unit(report):
    """The unit whose approvers review `report`: its parent, or the unit itself at the top of the hierarchy."""
    return report.unit.parent if report.unit.parent_id else report.unit


def can_review(user, report) -> bool:
    """May `user` approve or return `report` (whatever its status)?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return can_use_unit(user, Report, "approve", reviewer_unit(report))


def submit(report, user, expected_version: int):
    """Freeze `report` as a new version and mark it submitted. Returns the ReportVersion."""
    if report.status not in SUBMITTABLE:
        raise ValidationError(_("Chỉ nộp được báo cáo đang soạn hoặc bị trả lại; báo cáo này %(status)s.")
                              % {"status": report.get_status_display().lower()})
    if not can_use_unit(user, Report, "change", report.unit):
        raise PermissionDenied(_("Bạn không có quyền nộp báo cáo của đơn vị này."))
    if not report.figures:
        # Never drafted: compute the figures once now, so the frozen version has them.
        from lanhmanh.reporting import drafting

        report.figures = drafting.compute_figures(report)
        report.figures_at = timezone.now()
    now = timezone.now()
    is_late = timezone.localdate(now) > report.deadline
    before = (report.status, report.submitted_at, report.is_late, report.version)
    try:
        with transaction.atomic():
            report.status = ReportStatus.SUBMITTED
            report.submitted_at = now
            report.is_late = is_late
            # The version check first (one UPDATE … WHERE version = expected): it also serialises concurrent
            # submissions of the same report, so the version numbers below cannot collide.
            save_versioned(report, expected_version=expected_version, user=user)
            previous = report.versions.aggregate(last=Max("number"))["last"] or 0
            version = ReportVersion.objects.create(
                report=report, number=previous + 1, submitted_at=now,
                submitted_by=user if getattr(user, "is_authenticated", False) else None, is_late=is_late,
                narrative=copy.deepcopy(report.narrative or {}), figures=copy.deepcopy(report.figures or {}),
                **{name: getattr(report, name) for name in HEADER_FIELDS},
            )
    except BaseException:
        report.status, report.submitted_at, report.is_late, report.version = before
        raise
    return version


def latest_version(report):
    return report.versions.order_by("-number").first()


def _review(report, user, decision: str, comment: str):
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("Chỉ duyệt hoặc trả lại được báo cáo đã nộp, đang chờ duyệt; báo cáo này %(status)s.")
                              % {"status": report.get_status_display().lower()})
    if not can_review(user, report):
        raise PermissionDenied(_("Báo cáo do lãnh đạo đơn vị cấp trên duyệt; bạn không có quyền duyệt báo cáo này."))
    version = latest_version(report)
    if version is None:
        raise ValidationError(_("Báo cáo chưa có lần nộp nào."))
    if not report.unit.parent_id and version.submitted_by_id == user.pk:
        raise PermissionDenied(_("Người nộp báo cáo không tự duyệt báo cáo của mình."))
    now = timezone.now()
    before = (report.status, report.approved_at, report.version)
    try:
        with transaction.atomic():
            if decision == ReviewDecision.APPROVED:
                report.status = ReportStatus.APPROVED
                report.approved_at = now
            else:
                report.status = ReportStatus.RETURNED
            save_versioned(report, expected_version=report.version, user=user)
            review = ReportReview.objects.create(report=report, version=version, decision=decision,
                                                 comment=comment or "", decided_at=now, decided_by=user)
    except BaseException:
        report.status, report.approved_at, report.version = before
        raise
    return review


def approve(report, user, comment: str = ""):
    """Approve the latest submitted version of `report`. Returns the ReportReview."""
    return _review(report, user, ReviewDecision.APPROVED, (comment or "").strip())


def return_report(report, user, comment: str):
    """Return `report` to its unit for correction, saying what to fix. Returns the ReportReview."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Hãy ghi ý kiến khi trả lại báo cáo: đơn vị cần sửa những gì.")})
    return _review(report, user, ReviewDecision.RETURNED, comment)


def _version(report, which):
    if isinstance(which, ReportVersion):
        if which.report_id != report.pk:
            raise ValueError("the version belongs to another report")
        return which
    return report.versions.get(number=which)


def _indicator_map(figures) -> dict:
    return {row.get("code"): row for row in (figures or {}).get("indicators", []) if row.get("code")}


def _parts(row):
    if row is None:
        return None
    return row.get("numerator"), row.get("denominator"), row.get("value")


def _lines(text) -> list[str]:
    return str(text or "").splitlines()


def versions_diff(report, a, b) -> list[dict]:
    """What changed from version `a` to version `b` of `report` (numbers or ReportVersion objects):

    {"kind": "figure", "code", "before", "after"} for each indicator whose value or parts changed (before/after are
    the values; None where the indicator is missing from a version), then {"kind": "section", "key", "title",
    "diff"} for each narrative section — and header field (title, signer, recipients…) — whose text changed, with
    the unified diff lines from difflib."""
    old, new = _version(report, a), _version(report, b)
    changes = []
    before, after = _indicator_map(old.figures), _indicator_map(new.figures)
    for code in dict.fromkeys([*after, *before]):
        if _parts(before.get(code)) != _parts(after.get(code)):
            changes.append({
                "kind": "figure", "code": code,
                "before": (before.get(code) or {}).get("value"), "after": (after.get(code) or {}).get("value"),
            })
    titles = {section["key"]: section["title"] for section in report.report_type.section_list()}
    keys = list(dict.fromkeys([*titles, *(old.narrative or {}), *(new.narrative or {})]))
    texts = [(key, titles.get(key, key), (old.narrative or {}).get(key), (new.narrative or {}).get(key))
             for key in keys]
    texts += [(name, str(ReportVersion._meta.get_field(name).verbose_name), getattr(old, name), getattr(new, name))
              for name in HEADER_FIELDS]
    for key, title, text_a, text_b in texts:
        if (text_a or "") == (text_b or ""):
            continue
        diff = list(difflib.unified_diff(_lines(text_a), _lines(text_b),
                                         fromfile=_("Lần nộp %(n)s") % {"n": old.number},
                                         tofile=_("Lần nộp %(n)s") % {"n": new.number}, lineterm=""))
        changes.append({"kind": "section", "key": key, "title": title, "diff": diff})
    return changes
