"""Periodic reports (báo cáo định kỳ). Report types are data — the programme's 6-month and annual reports, the
police's monthly, quarterly and annual ones, ad-hoc reports — each with its period rule (calendar, or the
Nghị định 09/2019 cut-off window), its deadline (a day and month a province may change), the indicators and
sections it contains and the unit levels that submit it. Each period, every unit that must submit gets its report
opened (services.open_reports); a report is then drafted, submitted, approved or returned up the hierarchy."""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet

# The usual structure of a programme report (DOMAIN.md §2.3; seeds 001 and 004).
DEFAULT_SECTIONS = [
    {"key": "situation", "title": "Tình hình"},
    {"key": "results", "title": "Kết quả thực hiện"},
    {"key": "strengths", "title": "Ưu điểm"},
    {"key": "shortcomings", "title": "Tồn tại, hạn chế và nguyên nhân"},
    {"key": "direction", "title": "Phương hướng, nhiệm vụ kỳ tới"},
    {"key": "proposals", "title": "Đề xuất, kiến nghị"},
]


class PeriodRule(models.TextChoices):
    MONTH = "month", _("Hằng tháng")
    QUARTER = "quarter", _("Hằng quý")
    HALF = "half", _("6 tháng đầu năm")
    NINE_MONTHS = "nine_months", _("9 tháng")
    YEAR = "year", _("Hằng năm")
    AD_HOC = "ad_hoc", _("Đột xuất")


class ReportType(models.Model):
    """Loại báo cáo: a national catalogue row, kept by administrators."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại báo cáo"), max_length=200)
    period_rule = models.CharField(_("kỳ báo cáo"), max_length=15, choices=PeriodRule.choices)
    cutoff = models.BooleanField(
        _("theo thời gian chốt số liệu"), default=True,
        help_text=_("Kỳ báo cáo theo Nghị định 09/2019/NĐ-CP (từ ngày 15 tháng trước đến ngày 14); bỏ chọn để "
                    "báo cáo theo tháng, quý, năm dương lịch."),
    )
    deadline_day = models.PositiveSmallIntegerField(_("hạn nộp: ngày"), default=15)
    deadline_months_after_end = models.PositiveSmallIntegerField(
        _("hạn nộp: số tháng sau tháng cuối kỳ"), default=0,
        help_text=_("0: trong tháng cuối kỳ (báo cáo 6 tháng trước ngày 15/6); 1: tháng sau đó."),
    )
    submitting_levels = models.JSONField(
        _("cấp nộp báo cáo"), default=list,
        help_text=_("Cấp đơn vị phải nộp: 1 tỉnh, thành phố; 3 xã, phường, đặc khu."),
    )
    indicators = models.JSONField(_("chỉ số trong báo cáo"), default=list, blank=True)
    sections = models.JSONField(_("các phần của báo cáo"), default=list, blank=True)
    symbol = models.CharField(_("ký hiệu văn bản"), max_length=40, default="BC-UBND")
    with_charts = models.BooleanField(_("kèm biểu đồ"), default=False)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("loại báo cáo")
        verbose_name_plural = _("loại báo cáo")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(deadline_day__gte=1, deadline_day__lte=31),
                                   name="reporting_type_deadline_day"),
            models.CheckConstraint(condition=models.Q(deadline_months_after_end__lte=3),
                                   name="reporting_type_deadline_months"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        import re

        from lanhmanh.geo.models import AdminUnit
        from lanhmanh.indicators.registry import registry
        from lanhmanh.reporting.services import DEADLINE_TOO_EARLY, deadline_too_early

        errors = {}
        unknown = [code for code in self.indicators or [] if code not in registry.indicators]
        if unknown:
            errors["indicators"] = _("Chỉ số không có trong danh mục: %(codes)s.") % {"codes": ", ".join(unknown)}
        levels = {AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE}
        if not self.submitting_levels or any(level not in levels for level in self.submitting_levels):
            errors["submitting_levels"] = _("Hãy chọn cấp nộp báo cáo: tỉnh, thành phố và/hoặc xã, phường.")
        if self.deadline_day and not 1 <= self.deadline_day <= 31:
            errors["deadline_day"] = _("Ngày phải từ 1 đến 31.")
        if self.deadline_months_after_end is not None and self.deadline_months_after_end > 3:
            errors["deadline_months_after_end"] = _("Hạn nộp không quá 3 tháng sau kỳ báo cáo.")
        # The sections: a list of {"key": a slug, "title": a text}, each key once (every page of the type reads
        # them); none means the usual ones (DEFAULT_SECTIONS).
        section_errors = []
        if self.sections not in (None, "", []) and not isinstance(self.sections, list):
            section_errors.append(_("Các phần của báo cáo phải là một danh sách, mỗi phần có mã (key) và tiêu đề "
                                    "(title)."))
        seen = set()
        for index, section in enumerate(self.sections if isinstance(self.sections, list) else [], start=1):
            if not isinstance(section, dict):
                section_errors.append(_("Phần %(n)s phải có mã (key) và tiêu đề (title).") % {"n": index})
                continue
            key, section_title = section.get("key"), section.get("title")
            if not isinstance(key, str) or not re.fullmatch(r"[-a-zA-Z0-9_]+", key):
                section_errors.append(_("Phần %(n)s: mã (key) chỉ gồm chữ không dấu, chữ số, gạch ngang và gạch "
                                        "dưới.") % {"n": index})
            elif key in seen:
                section_errors.append(_("Phần %(n)s: mã “%(key)s” bị trùng.") % {"n": index, "key": key})
            else:
                seen.add(key)
            if not isinstance(section_title, str) or not section_title.strip():
                section_errors.append(_("Phần %(n)s: hãy nhập tiêu đề (title).") % {"n": index})
        if section_errors:
            errors["sections"] = section_errors
        if "deadline_day" not in errors and "deadline_months_after_end" not in errors and deadline_too_early(
                self.period_rule, self.cutoff, self.deadline_day, self.deadline_months_after_end):
            errors["deadline_day"] = DEADLINE_TOO_EARLY
        if errors:
            raise ValidationError(errors)

    def section_list(self) -> list[dict]:
        return self.sections or DEFAULT_SECTIONS


class ReportDeadline(models.Model):
    """A province's own deadline for a report type (its units then submit by it)."""

    report_type = models.ForeignKey(ReportType, models.CASCADE, related_name="deadlines",
                                    verbose_name=_("loại báo cáo"))
    province = models.ForeignKey("geo.AdminUnit", models.CASCADE, related_name="+", verbose_name=_("tỉnh, thành phố"))
    deadline_day = models.PositiveSmallIntegerField(_("hạn nộp: ngày"))
    deadline_months_after_end = models.PositiveSmallIntegerField(_("hạn nộp: số tháng sau tháng cuối kỳ"), default=0)

    class Meta:
        verbose_name = _("hạn nộp báo cáo của tỉnh")
        verbose_name_plural = _("hạn nộp báo cáo của tỉnh")
        constraints = [models.UniqueConstraint(fields=["report_type", "province"], name="reporting_deadline_unique")]

    def __str__(self):
        return f"{self.report_type} · {self.province}"

    def clean(self):
        from lanhmanh.geo.models import AdminUnit
        from lanhmanh.reporting.services import DEADLINE_TOO_EARLY, deadline_too_early

        errors = {}
        if self.province_id and self.province.level != AdminUnit.Level.PROVINCE:
            errors["province"] = _("Hạn nộp riêng do tỉnh, thành phố quy định.")
        if self.deadline_day and not 1 <= self.deadline_day <= 31:
            errors["deadline_day"] = _("Ngày phải từ 1 đến 31.")
        if self.deadline_months_after_end is not None and self.deadline_months_after_end > 3:
            errors["deadline_months_after_end"] = _("Hạn nộp không quá 3 tháng sau kỳ báo cáo.")
        # The type may be unsaved yet (added in the same admin page as its deadlines): read it where it is set.
        report_type = (self.report_type if self.report_type_id or ReportDeadline.report_type.is_cached(self)
                       else None)
        if ("deadline_day" not in errors and "deadline_months_after_end" not in errors and report_type is not None
                and deadline_too_early(report_type.period_rule, report_type.cutoff, self.deadline_day,
                                       self.deadline_months_after_end)):
            errors["deadline_day"] = DEADLINE_TOO_EARLY
        if errors:
            raise ValidationError(errors)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã duyệt")


class ReportQuerySet(ScopedQuerySet):
    def pending(self):
        """Not yet submitted: still being written, or returned for correction."""
        return self.filter(status__in=(ReportStatus.DRAFT, ReportStatus.RETURNED))

    def overdue(self, today: datetime.date):
        return self.pending().filter(deadline__lt=today)

    def upcoming(self, today: datetime.date, days: int = 14):
        return self.pending().filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days))


class Report(UnitScoped):
    """One unit's report of a type for one period."""

    report_type = models.ForeignKey(ReportType, models.PROTECT, related_name="reports", verbose_name=_("loại báo cáo"))
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveSmallIntegerField(_("kỳ số"), default=1, help_text=_("Tháng hoặc quý của kỳ báo cáo."))
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    period_label = models.CharField(_("kỳ báo cáo"), max_length=100)
    deadline = models.DateField(_("hạn nộp"), db_index=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.DRAFT, db_index=True)
    submitted_at = models.DateTimeField(_("nộp lúc"), null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True, editable=False)
    is_late = models.BooleanField(_("nộp muộn"), default=False, editable=False)
    document_number = models.CharField(_("số văn bản"), max_length=20, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True,
                                    help_text=_("Ví dụ: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH."))
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi nơi nhận một dòng."))
    # {section key: text} as the officer wrote it (see ReportType.section_list()).
    narrative = models.JSONField(_("nội dung"), default=dict, blank=True)
    # The figures as drafted (refreshed on demand until submission, then frozen): see reporting.drafting.
    figures = models.JSONField(_("số liệu"), default=dict, blank=True, editable=False)
    figures_at = models.DateTimeField(_("số liệu tính lúc"), null=True, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("báo cáo")
        verbose_name_plural = _("báo cáo")
        ordering = ["-period_end", "unit__path", "report_type__name"]
        permissions = [("approve_report", _("Duyệt, trả lại báo cáo"))]
        constraints = [
            models.UniqueConstraint(fields=["unit", "report_type", "period_start", "period_end"],
                                    name="reporting_report_unique"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="reporting_report_period"),
        ]
        indexes = [models.Index(fields=["report_type", "period_start", "period_end"], name="reporting_report_period_i")]

    def __str__(self):
        return f"{self.report_type} · {self.period_label} · {self.unit}"

    def period(self):
        from lanhmanh.indicators import periods

        return periods.Period(self.period_start, self.period_end, self.period_label)

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and self.deadline < today

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Ngày kết thúc phải sau ngày bắt đầu.")})


class ReportVersion(models.Model):
    """What was submitted, each time: the figures and text as they were, kept so no later change to records alters
    them and so versions can be compared after a return and resubmission."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="versions", verbose_name=_("báo cáo"))
    number = models.PositiveSmallIntegerField(_("lần nộp"))
    submitted_at = models.DateTimeField(_("nộp lúc"))
    submitted_by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("người nộp"))
    is_late = models.BooleanField(_("nộp muộn"), default=False)
    title = models.CharField(_("trích yếu"), max_length=500, blank=True)
    document_number = models.CharField(_("số văn bản"), max_length=20, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    narrative = models.JSONField(_("nội dung"), default=dict)
    figures = models.JSONField(_("số liệu"), default=dict)
    # The files attached when it was submitted: one removed after a return stays here (see ReportAttachment).
    attachments = models.ManyToManyField("ReportAttachment", blank=True, related_name="versions",
                                         verbose_name=_("tệp đính kèm"))

    class Meta:
        verbose_name = _("lần nộp báo cáo")
        verbose_name_plural = _("lần nộp báo cáo")
        ordering = ["report", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="reporting_version_unique")]

    def __str__(self):
        return _("Lần nộp %(n)s") % {"n": self.number}


class ReviewDecision(models.TextChoices):
    APPROVED = "approved", _("Duyệt")
    RETURNED = "returned", _("Trả lại để chỉnh sửa")


class ReportReview(models.Model):
    """The upper unit's decision on a submitted version."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="reviews", verbose_name=_("báo cáo"))
    version = models.ForeignKey(ReportVersion, models.CASCADE, related_name="reviews", verbose_name=_("lần nộp"))
    decision = models.CharField(_("quyết định"), max_length=10, choices=ReviewDecision.choices)
    comment = models.TextField(_("ý kiến"), blank=True)
    decided_at = models.DateTimeField(_("lúc"), default=timezone.now)
    decided_by = models.ForeignKey("accounts.User", models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("người duyệt"))

    class Meta:
        verbose_name = _("ý kiến duyệt báo cáo")
        verbose_name_plural = _("ý kiến duyệt báo cáo")
        ordering = ["report", "decided_at"]

    def __str__(self):
        return f"{self.get_decision_display()} · {self.version}"


class SentenceTemplate(models.Model):
    """A draft sentence that states figures in the reports' style, filled from the engine — never invented: it is
    left out when one of its indicators has no value. The text names indicators in braces, e.g. "Đội kiểm tra liên
    ngành đã tổ chức {INSP_SESSIONS} buổi kiểm tra, kiểm tra {INSP_VISITS} lượt cơ sở kinh doanh dịch vụ." """

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    section = models.CharField(_("phần của báo cáo"), max_length=40, default="results")
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    text = models.TextField(_("câu mẫu"))
    is_active = models.BooleanField(_("đang sử dụng"), default=True)

    class Meta:
        verbose_name = _("câu mẫu của báo cáo")
        verbose_name_plural = _("câu mẫu của báo cáo")
        ordering = ["section", "order", "code"]

    def __str__(self):
        return self.code

    def indicator_codes(self) -> list[str]:
        import re

        return list(dict.fromkeys(re.findall(r"\{([A-Z][A-Z0-9_]*)(?:[:!][^}]*)?\}", self.text)))

    def clean(self):
        from lanhmanh.reporting.drafting import template_errors

        errors = template_errors(self.text or "")
        if errors:
            raise ValidationError({"text": errors})


def attachment_upload_to(instance, filename):
    # A random name: nothing about the report, its unit or the uploader's file name appears in a path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/reports/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class ReportAttachment(models.Model):
    """A photo or PDF attached to a report (a signed table, minutes, a picture of an activity). Added and removed only
    while the report is drafted or returned: once submitted, its attachments stay as they were. Each submitted
    version records the files it had; one removed after a return that an earlier version had is only marked
    removed (`removed_at`) and kept for that version. Photos are re-encoded without EXIF metadata (core.uploads);
    files are served only through a permission-checked view."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="attachments", verbose_name=_("báo cáo"))
    file = models.FileField(_("tệp"), upload_to=attachment_upload_to)
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    content_type = models.CharField(_("loại tệp"), max_length=50)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người tải lên"))
    removed_at = models.DateTimeField(_("gỡ khỏi báo cáo lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp đính kèm báo cáo")
        verbose_name_plural = _("tệp đính kèm báo cáo")
        ordering = ["report", "uploaded_at", "pk"]

    def __str__(self):
        return self.description or _("Tệp đính kèm %(number)s") % {"number": self.pk}


@receiver(post_delete, sender=ReportAttachment)
def _delete_report_attachment_file(sender, instance, **kwargs):
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
