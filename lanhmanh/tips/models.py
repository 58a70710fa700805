"""Tips (tin báo, tố giác, phản ánh, kiến nghị) about prostitution: how they came in, who handles them, their
legal deadline and how they ended.

A tip belongs to the unit whose queue it is in (the commune where it happened, or the unit it was
transferred to). The deadline is computed from a rule kept as data (`DeadlineRule`), never typed in, and
"handled on time" is computed from the date the tip was concluded. The reporter's name and contact are
encrypted, shown only to roles with `tips.see_reporter_tip`, and every showing is access-logged.
"""

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core import workdays
from lanhmanh.core.fields import EncryptedTextField
from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet


class TipKind(models.TextChoices):
    CRIME = "crime", _("Tố giác, tin báo về tội phạm")
    VIOLATION = "violation", _("Phản ánh, tố cáo hành vi vi phạm")
    COMPLAINT = "complaint", _("Khiếu nại")
    PETITION = "petition", _("Kiến nghị")


class DeadlineRuleQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class DeadlineRule(models.Model):
    """How long the law gives to settle a tip of one kind, kept as data (migration 0002) with its legal
    reference, so a province's legal staff can correct it and a change in the law does not need code."""

    class Counting(models.TextChoices):
        CALENDAR = "calendar", _("Ngày theo lịch")
        WORKING = "working", _("Ngày làm việc")

    kind = models.CharField(_("loại tin"), max_length=20, choices=TipKind.choices)
    days = models.PositiveSmallIntegerField(_("thời hạn (ngày)"))
    counting = models.CharField(_("cách tính ngày"), max_length=10, choices=Counting.choices,
                                default=Counting.CALENDAR)
    # BLTTHS 2015 Điều 330: a period ending on a day off ends on the next working day.
    roll_forward = models.BooleanField(_("hết hạn vào ngày nghỉ thì lùi sang ngày làm việc tiếp theo"), default=True)
    max_extension_days = models.PositiveSmallIntegerField(_("gia hạn tối đa (ngày)"), default=0)
    legal_reference = models.CharField(_("căn cứ pháp lý"), max_length=300)
    extension_reference = models.CharField(_("căn cứ gia hạn"), max_length=300, blank=True)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_until = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)

    objects = DeadlineRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy định thời hạn giải quyết")
        verbose_name_plural = _("quy định thời hạn giải quyết")
        ordering = ["kind", "-valid_from"]

    def __str__(self):
        return _("%(kind)s: %(days)s %(counting)s (%(reference)s)") % {
            "kind": self.get_kind_display(), "days": self.days, "counting": self.get_counting_display().lower(),
            "reference": self.legal_reference}

    def deadline(self, start: datetime.date, extra_days: int = 0) -> datetime.date:
        """The last day to settle a tip whose period runs from `start` (the day after it is counted)."""
        days = self.days + extra_days
        if self.counting == self.Counting.WORKING:
            return workdays.add_working_days(start, days)
        return workdays.add_calendar_days(start, days, roll_forward=self.roll_forward)

    @classmethod
    def for_tip(cls, kind: str, day: datetime.date):
        return cls.objects.valid_on(day).filter(kind=kind).order_by("-valid_from").first()


class TipSubject(models.Model):
    """What a tip is about (a business letting rooms for prostitution, brokering online…), kept as data."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("nội dung"), max_length=300)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("nội dung tin báo")
        verbose_name_plural = _("danh mục nội dung tin báo")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class TipQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status__in=Tip.OPEN_STATUSES)

    def counted(self):
        """Tips as the indicators count them: a tip merged into another is counted once, as the other."""
        return self.filter(duplicate_of__isnull=True)

    def overdue(self, today=None):
        return self.open().filter(deadline__lt=today or timezone.localdate())

    def due_within(self, days: int, today=None):
        today = today or timezone.localdate()
        return self.open().filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days))

    def with_extension_total(self):
        return self.annotate(extension_total=Coalesce(Sum("extensions__days"), 0))

    def received_between(self, start: datetime.date, end: datetime.date):
        return self.filter(received_on__gte=start, received_on__lte=end)


class Tip(UnitScoped):
    """Tin báo, tố giác, phản ánh, kiến nghị about prostitution, from any channel."""

    class Channel(models.TextChoices):
        HOTLINE = "hotline", _("Đường dây nóng")
        MAILBOX = "mailbox", _("Hòm thư tố giác")
        IN_PERSON = "in_person", _("Trực tiếp tại trụ sở")
        LETTER = "letter", _("Đơn, thư")
        WEB = "web", _("Cổng tiếp nhận trực tuyến")
        AGENCY = "agency", _("Cơ quan khác chuyển đến")
        MEDIA = "media", _("Báo chí, mạng xã hội")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Mới tiếp nhận")
        VERIFYING = "verifying", _("Đang xác minh")
        HANDLED = "handled", _("Đã xử lý")
        TRANSFERRED = "transferred", _("Đã chuyển cơ quan khác")
        NOT_CONFIRMED = "not_confirmed", _("Không có căn cứ")
        CLOSED = "closed", _("Đã đóng")

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Có căn cứ, đã xử lý")
        NOT_CONFIRMED = "not_confirmed", _("Không có căn cứ")

    OPEN_STATUSES = (Status.RECEIVED, Status.VERIFYING)
    CONCLUDED_STATUSES = (Status.HANDLED, Status.TRANSFERRED, Status.NOT_CONFIRMED, Status.CLOSED)

    channel = models.CharField(_("kênh tiếp nhận"), max_length=20, choices=Channel.choices)
    received_at = models.DateTimeField(_("thời điểm tiếp nhận"), default=timezone.now)
    # The local date of received_at, kept for counting by period without time-zone arithmetic in SQL.
    received_on = models.DateField(_("ngày tiếp nhận"), editable=False, db_index=True)
    kind = models.CharField(_("loại tin"), max_length=20, choices=TipKind.choices)
    subject = models.ForeignKey(TipSubject, models.PROTECT, null=True, blank=True, related_name="tips",
                                verbose_name=_("nội dung tin báo"))
    residential_group = models.ForeignKey(
        "geo.AdminUnit", models.SET_NULL, null=True, blank=True, related_name="+",
        limit_choices_to={"level": 4}, verbose_name=_("tổ dân phố, thôn"),
    )
    address = models.CharField(_("địa điểm"), max_length=255, blank=True)
    business = models.ForeignKey("businesses.Business", models.SET_NULL, null=True, blank=True,
                                 related_name="tips", verbose_name=_("cơ sở kinh doanh liên quan"))
    business_name_given = models.CharField(
        _("tên cơ sở người báo nêu"), max_length=255, blank=True,
        help_text=_("Tên cơ sở như người báo tin ghi, khi chưa xác định được trong danh sách."),
    )
    content = models.TextField(_("nội dung"))
    reporter_anonymous = models.BooleanField(_("người báo tin giấu tên"), default=True)
    reporter_name = EncryptedTextField(_("họ tên người báo tin"), blank=True)
    reporter_contact = EncryptedTextField(
        _("liên hệ của người báo tin"), blank=True, help_text=_("Số điện thoại, thư điện tử hoặc địa chỉ."))

    assigned_agency = models.ForeignKey("geo.Agency", models.SET_NULL, null=True, blank=True, related_name="+",
                                        verbose_name=_("cơ quan được giao xử lý"))
    assigned_officer = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                         related_name="+", verbose_name=_("cán bộ được giao xử lý"))
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.RECEIVED,
                              editable=False)
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices, blank=True, editable=False)
    outcome_note = models.TextField(_("kết quả xử lý"), blank=True, editable=False)
    concluded_on = models.DateField(_("ngày kết thúc xử lý"), null=True, blank=True, editable=False)
    resulting_visit = models.ForeignKey(
        "inspections.InspectionVisit", models.SET_NULL, null=True, blank=True, related_name="tips", editable=False,
        verbose_name=_("lượt kiểm tra đã tiến hành"),
    )

    deadline_rule = models.ForeignKey(DeadlineRule, models.PROTECT, null=True, blank=True, related_name="+",
                                      editable=False, verbose_name=_("quy định thời hạn áp dụng"))
    # The day the period starts from: the day of receipt, or the day a transfer reached this unit.
    deadline_from = models.DateField(_("thời hạn tính từ ngày"), null=True, editable=False)
    deadline = models.DateField(_("hạn giải quyết"), null=True, editable=False, db_index=True)

    duplicate_of = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="duplicates",
                                     editable=False, verbose_name=_("trùng với tin báo"))
    # For the person who used the public form: a code to quote and a secret only they hold (stored hashed).
    tracking_code = models.CharField(_("mã tra cứu"), max_length=20, unique=True, null=True, blank=True,
                                     editable=False)
    tracking_secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = TipQuerySet.as_manager()

    class Meta:
        verbose_name = _("tin báo, tố giác")
        verbose_name_plural = _("tin báo, tố giác")
        ordering = ["-received_at"]
        permissions = [("see_reporter_tip", _("Xem thông tin người báo tin"))]
        indexes = [models.Index(fields=["status", "deadline"], name="tips_tip_status_deadline")]

    def __str__(self):
        return _("Tin báo số %(number)s") % {"number": self.number}

    @property
    def number(self) -> str:
        return f"TB-{self.pk:06d}" if self.pk else "TB-…"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def extension_days(self) -> int:
        # Lists annotate the total (TipQuerySet.with_extension_total) rather than asking per row.
        cached = getattr(self, "extension_total", None)
        if cached is not None:
            return cached
        if not self.pk:
            return 0
        return self.extensions.aggregate(total=Sum("days"))["total"] or 0

    def compute_deadline(self):
        """Set the rule, start and deadline from the kind and the day the period runs from."""
        if self.deadline_from is None:
            self.deadline_from = timezone.localtime(self.received_at).date()
        rule = DeadlineRule.for_tip(self.kind, self.deadline_from)
        self.deadline_rule = rule
        self.deadline = rule.deadline(self.deadline_from, self.extension_days) if rule else None

    def save(self, *args, **kwargs):
        self.received_on = timezone.localtime(self.received_at).date()
        self.compute_deadline()
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.residential_group_id and self.unit_id and self.residential_group.parent_id != self.unit_id:
            errors["residential_group"] = _("Tổ dân phố, thôn này không thuộc %(unit)s.") % {"unit": self.unit}
        if self.business_id and self.unit_id and not self.business.unit.path.startswith(self.unit.path):
            errors["business"] = _("Cơ sở này không thuộc địa bàn của đơn vị tiếp nhận.")
        if self.received_at and self.received_at > timezone.now() + datetime.timedelta(minutes=5):
            errors["received_at"] = _("Thời điểm tiếp nhận không thể sau hiện tại.")
        if not self.reporter_anonymous and not (self.reporter_name or self.reporter_contact):
            errors["reporter_name"] = _("Người báo tin không giấu tên: hãy ghi họ tên hoặc cách liên hệ.")
        if self.assigned_agency_id and self.unit_id and not self.unit.path.startswith(self.assigned_agency.unit.path):
            errors["assigned_agency"] = _("Cơ quan được giao phải thuộc đơn vị tiếp nhận hoặc cấp trên.")
        if self.kind and self.received_at and not DeadlineRule.for_tip(
                self.kind, timezone.localtime(self.received_at).date()):
            errors["kind"] = _("Chưa có quy định thời hạn giải quyết cho loại tin này; hãy báo quản trị hệ thống.")
        if errors:
            raise ValidationError(errors)

    @property
    def handled_on_time(self) -> bool | None:
        """True/False once concluded; None while open (see `is_overdue`)."""
        if self.concluded_on is None or self.deadline is None:
            return None
        return self.concluded_on <= self.deadline

    def is_overdue(self, today=None) -> bool:
        return self.is_open and self.deadline is not None and self.deadline < (today or timezone.localdate())

    @property
    def public_status(self) -> str:
        """What the public status page may say: never more than this."""
        if self.status == self.Status.RECEIVED:
            return _("Đã tiếp nhận")
        if self.status == self.Status.VERIFYING:
            return _("Đang xử lý")
        return _("Đã xử lý xong")

    @staticmethod
    def new_tracking_code() -> str:
        # No 0/O or 1/I: people read it out over the phone.
        alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
        return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(3))


class TipExtension(models.Model):
    """Gia hạn: more time to settle a tip, with the reason and who decided it."""

    tip = models.ForeignKey(Tip, models.CASCADE, related_name="extensions", verbose_name=_("tin báo"))
    days = models.PositiveSmallIntegerField(_("số ngày gia hạn"))
    reason = models.TextField(_("lý do gia hạn"))
    decided_by = models.CharField(_("người, cơ quan quyết định gia hạn"), max_length=255, blank=True)
    decided_on = models.DateField(_("ngày gia hạn"), default=timezone.localdate)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                                    verbose_name=_("người ghi"))
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("gia hạn giải quyết")
        verbose_name_plural = _("các lần gia hạn")
        ordering = ["decided_on", "pk"]

    def __str__(self):
        return _("Gia hạn %(days)s ngày") % {"days": self.days}


class TipTransfer(models.Model):
    """A tip sent on: to another unit's queue in this system, or out to an agency that is not in it."""

    tip = models.ForeignKey(Tip, models.CASCADE, related_name="transfers", verbose_name=_("tin báo"))
    from_unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("từ đơn vị"))
    to_unit = models.ForeignKey("geo.AdminUnit", models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("đến đơn vị"))
    to_agency = models.ForeignKey("geo.Agency", models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("đến cơ quan"))
    to_other = models.CharField(_("cơ quan nhận (ngoài hệ thống)"), max_length=255, blank=True)
    transferred_on = models.DateField(_("ngày chuyển"), default=timezone.localdate)
    reason = models.TextField(_("lý do chuyển"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+",
                                    verbose_name=_("người chuyển"))
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lần chuyển tin báo")
        verbose_name_plural = _("các lần chuyển tin báo")
        ordering = ["transferred_on", "pk"]

    def __str__(self):
        return str(self.to_agency or self.to_unit or self.to_other)


def attachment_upload_to(instance, filename):
    # A random name: neither the reporter's file name nor anything about the tip appears in a path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/tips/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class TipAttachment(models.Model):
    """A photo or document sent with a tip. Photos are re-encoded without their EXIF metadata (where and
    with what phone they were taken) before they are stored."""

    tip = models.ForeignKey(Tip, models.CASCADE, related_name="attachments", verbose_name=_("tin báo"))
    file = models.FileField(_("tệp"), upload_to=attachment_upload_to)
    content_type = models.CharField(_("loại tệp"), max_length=50)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người tải lên"))
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.description or _("Tệp đính kèm %(number)s") % {"number": self.pk}


@receiver(post_delete, sender=TipAttachment)
def _delete_attachment_file(sender, instance, **kwargs):
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))
