"""A report's attachments (photos and PDFs: a signed table, minutes, a picture of an activity): added and removed by
members of the report's unit only while it is drafted or returned (checked under a lock on the report's row, so a
submission cannot slip in between), frozen with it once submitted. A file that a submitted version had is kept for
that version when removed afterwards (ReportAttachment.removed_at)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from lanhmanh.reporting import workflow
from lanhmanh.reporting.models import Report, ReportAttachment


def check_editable(user, report):
    """Attachments change only while the report may be written: submitted, they are frozen with it."""
    if report.status not in workflow.SUBMITTABLE:
        raise ValidationError(_("Báo cáo %(status)s: tệp đính kèm đã được chốt, không thêm hoặc xóa được nữa.")
                              % {"status": report.get_status_display().lower()})
    if not workflow.can_submit(user, report):
        raise PermissionDenied(_("Bạn không có quyền sửa báo cáo của đơn vị này."))


def _locked(report):
    """The report read again and locked, so a submission cannot slip between the check and the write."""
    # Only the report's row is locked: its unit's parent is a nullable join, which PostgreSQL cannot lock.
    return (Report.objects.select_for_update(of=("self",)).select_related("unit", "unit__parent", "report_type")
            .get(pk=report.pk))


def add(report, user, stored, content_type: str, description: str = "") -> ReportAttachment:
    """Attach `stored` (a file from core.uploads.clean_upload) to `report`. Raises ValidationError when the report is
    no longer drafted or returned, PermissionDenied when `user` may not write it. The stored file is removed again
    when the database write fails."""
    attachment = ReportAttachment(report=report, content_type=content_type, size=stored.size,
                                  description=(description or "").strip()[:255],
                                  uploaded_by=user if getattr(user, "is_authenticated", False) else None)
    saved = None
    try:
        with transaction.atomic():
            check_editable(user, _locked(report))
            attachment.file.save(stored.name, stored, save=False)
            saved = attachment.file.name
            attachment.save()
    except BaseException:
        if saved:
            attachment.file.storage.delete(saved)
        raise
    return attachment


def remove(report, user, attachment_pk) -> None:
    """Remove one of `report`'s attachments (its file goes once the deletion is committed). Same rules as adding;
    Http404 for an attachment the report does not have. One that a submitted version had is kept for that version,
    marked removed."""
    with transaction.atomic():
        check_editable(user, _locked(report))
        attachment = get_object_or_404(report.attachments.filter(removed_at__isnull=True), pk=attachment_pk)
        if attachment.versions.exists():
            attachment.removed_at = timezone.now()
            attachment.save(update_fields=["removed_at"])
        else:
            attachment.delete()
