"""Communication activities (hoạt động tuyên truyền) and the sizes of the target groups they try to reach
(quy mô nhóm đối tượng).

The programme's reach targets ("100% of communes run at least one form of communication", "reach 20% of workers
at at-risk businesses, 20% of industrial-zone workers and 30% of students" — seed 002; "100% of residential
groups communicate, 2–4 sessions a year" — seed 003) are computed from these tables by `services`: every figure
is a plain column that one aggregate grouped by `unit__path` prefix can sum or count.

Only counts of people: an activity that reached people who sell sex records how many, never who.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class ActivityKind(models.TextChoices):
    GROUP_SESSION = "group_session", _("Sinh hoạt tổ dân phố, thôn")
    COMMUNITY_MEETING = "community_meeting", _("Họp dân, hội nghị tuyên truyền")
    LOUDSPEAKER = "loudspeaker", _("Phát thanh trên loa truyền thanh")
    LEAFLETS = "leaflets", _("Phát tờ rơi, tài liệu")
    BANNER = "banner", _("Băng rôn, áp phích, khẩu hiệu")
    CONTEST = "contest", _("Cuộc thi tìm hiểu")
    PRESS = "press", _("Tin, bài trên báo chí")
    BROADCAST = "broadcast", _("Chương trình phát thanh, truyền hình")
    SOCIAL_MEDIA = "social_media", _("Bài đăng trên mạng xã hội, cổng thông tin")
    SCHOOL_WORKPLACE = "school_workplace", _("Nói chuyện tại trường học, nơi làm việc")
    OTHER = "other", _("Hình thức khác")


class TargetGroup(models.TextChoices):
    RESIDENTS = "residents", _("Nhân dân")
    STUDENTS = "students", _("Học sinh, sinh viên")
    RISK_WORKERS = "risk_workers", _("Người lao động tại cơ sở kinh doanh dịch vụ")
    IZ_WORKERS = "iz_workers", _("Công nhân khu công nghiệp")
    BUSINESS_OWNERS = "business_owners", _("Chủ cơ sở kinh doanh dịch vụ")
    SELLERS = "sellers", _("Người bán dâm")
    OFFICIALS = "officials", _("Cán bộ, công chức")


# The target groups the programme sets a reach target for (seed 002), with a population to divide by.
REACH_GROUPS = (TargetGroup.STUDENTS, TargetGroup.RISK_WORKERS, TargetGroup.IZ_WORKERS)


class CommunicationActivityQuerySet(ScopedQuerySet):
    def held_between(self, start, end):
        return self.filter(held_on__gte=start, held_on__lte=end)


class CommunicationActivity(UnitScoped):
    """One communication activity of a commune (or of a province, for province-level campaigns): a session in a
    residential group, a loudspeaker broadcast, leaflets handed out, a contest, a press article…"""

    kind = models.CharField(_("hình thức tuyên truyền"), max_length=30, choices=ActivityKind.choices)
    held_on = models.DateField(_("ngày thực hiện"), db_index=True)
    residential_group = models.ForeignKey(
        "geo.AdminUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 4},
        verbose_name=_("tổ dân phố, thôn"),
        help_text=_("Nơi tổ chức, nếu hoạt động diễn ra ở một tổ dân phố, thôn."),
    )
    title = models.CharField(_("nội dung, chủ đề"), max_length=255)
    organiser = models.ForeignKey(
        "geo.Agency",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan chủ trì"),
        help_text=_("Cơ quan của đơn vị này hoặc cấp trên."),
    )
    cooperating_agencies = models.ManyToManyField(
        "geo.Agency", blank=True, related_name="+", verbose_name=_("cơ quan phối hợp")
    )
    materials_count = models.PositiveIntegerField(
        _("số tài liệu, tờ rơi, áp phích"),
        default=0,
        help_text=_("Số tờ rơi, tài liệu, áp phích, băng rôn đã in hoặc phát ra trong hoạt động."),
    )
    # Sum of the audiences' counted participants, kept by services.save_activity (never typed in), so lists and
    # totals read one column. Editable only so that the change history shows it.
    participants_total = models.PositiveIntegerField(_("tổng số người tham dự"), default=0)
    description = models.TextField(
        _("mô tả"),
        blank=True,
        help_text=_("Diễn biến, kết quả. Không ghi họ tên hay đặc điểm nhận dạng của người bán dâm."),
    )

    objects = CommunicationActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động tuyên truyền")
        verbose_name_plural = _("các hoạt động tuyên truyền")
        ordering = ["-held_on", "-pk"]
        # For the indicators: a residential group's activity in a period is one index probe; a year's activities
        # by unit (and their audiences) are read from the index alone.
        indexes = [
            models.Index(fields=["residential_group", "held_on"], name="outreach_activity_group_day"),
            models.Index(fields=["held_on", "unit", "participants_total", "id"], name="outreach_activity_figures"),
        ]

    def __str__(self):
        return f"{self.title} ({_dmy(self.held_on)})"

    def clean(self):
        """The rules of an activity record, for the web form, the API and imports alike."""
        from lanhmanh.geo.models import AdminUnit

        errors = {}
        if self.held_on and self.held_on > timezone.localdate():
            errors["held_on"] = _("Ngày thực hiện không thể sau hôm nay.")
        if self.unit_id:
            if self.unit.level not in (AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE):
                errors["unit"] = _("Hoạt động tuyên truyền thuộc một xã, phường hoặc một tỉnh, thành phố.")
            if self.residential_group_id and self.residential_group.parent_id != self.unit_id:
                errors["residential_group"] = _("Tổ dân phố, thôn này không thuộc %(unit)s.") % {"unit": self.unit}
            if self.organiser_id and not self.unit.path.startswith(self.organiser.unit.path):
                errors["organiser"] = _("Cơ quan chủ trì phải thuộc đơn vị này hoặc cấp trên.")
        if errors:
            raise ValidationError(errors)


class ActivityAudience(models.Model):
    """How many people of one target group an activity reached. `participants` is empty when the group was
    reached but not counted (a loudspeaker broadcast reaches residents nobody counts)."""

    activity = models.ForeignKey(
        CommunicationActivity, models.CASCADE, related_name="audiences", verbose_name=_("hoạt động tuyên truyền")
    )
    target_group = models.CharField(_("nhóm đối tượng"), max_length=20, choices=TargetGroup.choices)
    participants = models.PositiveIntegerField(
        _("số người tham dự"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu không đếm được (ví dụ phát thanh trên loa)."),
    )

    class Meta:
        verbose_name = _("nhóm đối tượng được tuyên truyền")
        verbose_name_plural = _("các nhóm đối tượng được tuyên truyền")
        ordering = ["activity", "target_group"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "target_group"], name="outreach_audience_unique_group"),
        ]

    def __str__(self):
        if self.participants is None:
            return str(self.get_target_group_display())
        return f"{self.get_target_group_display()}: {self.participants}"


def attachment_upload_to(instance, filename):
    # A random name: nothing about the activity or the uploader's file name appears in a path.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/outreach/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class ActivityAttachment(models.Model):
    """A photo or PDF of an activity (the session, the banner, the leaflet). Photos are re-encoded without
    EXIF metadata; files are served only through a permission-checked view."""

    activity = models.ForeignKey(
        CommunicationActivity, models.CASCADE, related_name="attachments", verbose_name=_("hoạt động tuyên truyền")
    )
    file = models.FileField(_("tệp"), upload_to=attachment_upload_to)
    content_type = models.CharField(_("loại tệp"), max_length=50)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    description = models.CharField(_("mô tả"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.description or _("Tệp đính kèm %(number)s") % {"number": self.pk}


@receiver(post_delete, sender=ActivityAttachment)
def _delete_attachment_file(sender, instance, **kwargs):
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        transaction.on_commit(lambda: storage.delete(name))


class TargetPopulation(UnitScoped):
    """How many people of each target group a unit has in a year: the denominators of the reach targets.

    `risk_workers` and `residential_groups` may be left empty: the figure then comes from the registry (workers
    of businesses subject to management) or the administrative tree (residential groups) — see services."""

    year = models.PositiveSmallIntegerField(_("năm"), validators=[MinValueValidator(2000)])
    students = models.PositiveIntegerField(_("số học sinh, sinh viên"), null=True, blank=True)
    risk_workers = models.PositiveIntegerField(
        _("số người lao động tại cơ sở kinh doanh dịch vụ"),
        null=True,
        blank=True,
        help_text=_("Để trống để dùng tổng số lao động của các cơ sở thuộc diện quản lý trong danh sách cơ sở."),
    )
    iz_workers = models.PositiveIntegerField(_("số công nhân khu công nghiệp"), null=True, blank=True)
    residential_groups = models.PositiveIntegerField(
        _("số tổ dân phố, thôn"),
        null=True,
        blank=True,
        help_text=_("Để trống để dùng số tổ dân phố, thôn trong danh mục đơn vị hành chính."),
    )
    source = models.CharField(
        _("nguồn số liệu"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Phòng Văn hóa – Xã hội, Ban quản lý khu công nghiệp."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("quy mô nhóm đối tượng")
        verbose_name_plural = _("quy mô các nhóm đối tượng")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="outreach_population_unique_year")]

    def __str__(self):
        return _("Quy mô nhóm đối tượng %(unit)s năm %(year)s") % {"unit": self.unit, "year": self.year}

    def clean(self):
        from lanhmanh.geo.models import AdminUnit

        errors = {}
        if self.unit_id and self.unit.level not in (AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE):
            errors["unit"] = _("Quy mô nhóm đối tượng được ghi cho một xã, phường hoặc một tỉnh, thành phố.")
        if self.year and self.year > timezone.localdate().year + 1:
            errors["year"] = _("Năm không thể quá năm sau.")
        if self.unit_id and self.year:
            same = TargetPopulation.objects.filter(unit_id=self.unit_id, year=self.year).exclude(pk=self.pk)
            if same.exists():
                errors["year"] = _("Đã có số liệu năm %(year)s của %(unit)s.") % {"year": self.year, "unit": self.unit}
        if errors:
            raise ValidationError(errors)
