"""Submission and review of reports: a unit submits, the upper unit approves or returns.

- `submit` freezes the report: a new ReportVersion keeps its figures, text, title, signer and recipients as they
  are now, so no later change to the records alters what was submitted. It is allowed from "draft" or "returned",
  only to a member of the report's OWN unit (`can_write`: an active membership at exactly the report's unit whose
  role grants reporting.change_report — an upper unit's officer, whose role reaches the unit through the subtree,
  neither writes nor submits a lower unit's report, and neither does a superuser without such a membership), and
  only with fresh figures (`check_figures_fresh`: computed after the period ended and within FIGURES_MAX_AGE, else a
  ValidationError asks to refresh them). It checks the version the editor loaded (a stale one raises
  ConcurrentEditError and nothing is written). A submission after the deadline (local date) is late.
- `approve` / `return_report` decide on the latest submitted version; a return needs a comment. The reviewer must
  hold reporting.approve_report over the report's PARENT unit — the upper level reviews, so a unit never approves
  its own report (a province's approver reviews its communes; the nation's approvers the provinces). A unit with no
  parent (the nation) has nobody above it: its report is reviewed by an approver of the unit itself. At every
  level the reviewer must not be the person who submitted the version being reviewed (four eyes). The reviewer
  decides on the report as they loaded it: if it changed since (resubmitted in between), ConcurrentEditError.
- `versions_diff` compares two versions: changed figures and changed sections (unified diff lines).

Permission failures raise PermissionDenied; a report in the wrong state or a missing comment raise ValidationError
with a Vietnamese message."""

import copy
import datetime
import difflib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lanhmanh.core.scoping import can_use_unit, permission_name
from lanhmanh.core.services import save_versioned
from lanhmanh.reporting.models import Report, ReportReview, ReportStatus, ReportVersion, ReviewDecision

SUBMITTABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
# The report's header fields copied into each version (and compared by versions_diff, after the sections).
HEADER_FIELDS = ("title", "document_number", "signer_name", "signer_title", "recipients")
CHANGE_PERMISSION = permission_name(Report, "change")
# Figures older than this at submission are refused: the officer refreshes them and checks them again.
FIGURES_MAX_AGE = datetime.timedelta(hours=24)


def can_write(user, report) -> bool:
    """Is `user` a member of the report's own unit whose role may write reports (whatever the report's status)?
    Only the unit writes its report: a role held higher up reaches the unit through the subtree but does not count."""
    from lanhmanh.accounts.roles import role_grants

    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    path = report.unit.path
    return any(unit_path == path and role_grants(role, CHANGE_PERMISSION)
               for role, unit_path in user.scope_memberships())


def can_submit(user, report) -> bool:
    """May `user` write and submit `report` now (drafted or returned, and a writer of its own unit)?"""
    return report.status in SUBMITTABLE and can_write(user, report)


def figures_valid_from(report) -> datetime.datetime:
    """The earliest moment figures of `report` may be computed to be submitted: the start (local time) of the day
    after the period's end, when the period's records are complete."""
    day = report.period_end + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def check_figures_fresh(report, now=None):
    """Raises ValidationError unless the report's figures were computed after its period ended and at most
    FIGURES_MAX_AGE ago: a submission must not freeze numbers that the records have since changed."""
    now = now or timezone.now()
    computed = report.figures_at
    valid_from = figures_valid_from(report)
    if now < valid_from:
        # Refreshing would not help: the period's records are not complete yet.
        raise ValidationError(_("Kỳ báo cáo đến hết ngày %(end)s: số liệu chỉ được chốt và nộp từ ngày %(day)s.") % {
            "end": report.period_end.strftime("%d/%m/%Y"), "day": timezone.localtime(valid_from).strftime("%d/%m/%Y")})
    if computed is None:
        raise ValidationError(_("Số liệu chưa được tính: hãy bấm “Làm mới số liệu”, kiểm tra lại rồi nộp."))
    if computed < valid_from or computed < now - FIGURES_MAX_AGE:
        raise ValidationError(
            _("Số liệu được tính lúc %(when)s: hãy bấm “Làm mới số liệu”, kiểm tra lại rồi nộp.")
            % {"when": timezone.localtime(computed).strftime("%d/%m/%Y %H:%M")})


def reviewer_unit(report):
    """The unit whose approvers review `report`: its parent, or the unit itself at the top of the hierarchy."""
    return report.unit.parent if report.unit.parent_id else report.unit


def can_review(user, report) -> bool:
    """May `user` approve or return `report` (whatever its status)?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return can_use_unit(user, Report, "approve", reviewer_unit(report))


def submitted_latest(user, report) -> bool:
    """Did `user` submit the report's latest version (so may not review it)?"""
    version = latest_version(report)
    return version is not None and version.submitted_by_id is not None and version.submitted_by_id == user.pk


def submit(report, user, expected_version: int):
    """Freeze `report` as a new version and mark it submitted. Returns the ReportVersion."""
    if report.status not in SUBMITTABLE:
        raise ValidationError(_("Chỉ nộp được báo cáo đang soạn hoặc bị trả lại; báo cáo này %(status)s.")
                              % {"status": report.get_status_display().lower()})
    if not can_write(user, report):
        raise PermissionDenied(_("Bạn không có quyền nộp báo cáo của đơn vị này."))
    now = timezone.now()
    check_figures_fresh(report, now)
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
            version.attachments.set(report.attachments.filter(removed_at__isnull=True))
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
    if version.submitted_by_id is not None and version.submitted_by_id == user.pk:
        # Four eyes at every level: whoever submitted this version (a member of the unit who is also an approver
        # above it) does not decide on it.
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


def _pk(obj):
    return obj.pk


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
    the unified diff lines from difflib; then {"kind": "attachments", "added", "removed"} (the files' names) when
    the versions had different attachments."""
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
    files_a, files_b = set(old.attachments.all()), set(new.attachments.all())
    if files_a != files_b:
        changes.append({"kind": "attachments", "added": [str(f) for f in sorted(files_b - files_a, key=_pk)],
                        "removed": [str(f) for f in sorted(files_a - files_b, key=_pk)]})
    for key, title, text_a, text_b in texts:
        if (text_a or "") == (text_b or ""):
            continue
        diff = list(difflib.unified_diff(_lines(text_a), _lines(text_b),
                                         fromfile=_("Lần nộp %(n)s") % {"n": old.number},
                                         tofile=_("Lần nộp %(n)s") % {"n": new.number}, lineterm=""))
        changes.append({"kind": "section", "key": key, "title": title, "diff": diff})
    return changes
