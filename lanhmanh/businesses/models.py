"""At-risk service businesses (cơ sở kinh doanh dịch vụ dễ bị lợi dụng để hoạt động mại dâm), their signed
commitments and the suspicion flags police and programme staff keep on them.

The registry is the denominator of most programme targets ("inspect ≥ 60% of at-risk businesses",
"100% sign a commitment", "100% reviewed and managed"), so what counts is kept as plain fields a query can
count: `subject_to_management`, `status`, `last_reviewed_on`, and commitments' `valid_until`.
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet


def normalise_key(*parts: str) -> str:
    """Name + address reduced to what a duplicate check should compare (no case, accents or punctuation)."""
    from lanhmanh.core.text import normalise_text

    return "|".join(normalise_text(p or "") for p in parts)


class RiskLevel(models.TextChoices):
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")


class BusinessType(models.Model):
    """Catalogue of service business types, kept as data (migration 0002) so provinces can extend it."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    group = models.CharField(_("nhóm ngành nghề"), max_length=100)
    # Points this type adds to the suggested risk level (see services.suggest_risk).
    risk_points = models.PositiveSmallIntegerField(_("điểm rủi ro của loại hình"), default=1)
    # Other names officers write in their own lists ("nhà trọ", "quán hát"), separated by ";".
    synonyms = models.CharField(_("tên gọi khác"), max_length=500, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại hình kinh doanh")
        verbose_name_plural = _("các loại hình kinh doanh")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class BusinessQuerySet(ScopedQuerySet):
    def with_commitment_state(self, today=None):
        today = today or timezone.localdate()
        valid = Commitment.objects.filter(business=OuterRef("pk"), valid_until__gte=today, signed_on__lte=today)
        return self.annotate(has_valid_commitment=Exists(valid))

    def managed(self):
        return self.filter(subject_to_management=True).exclude(status=Business.Status.CLOSED)


class Business(UnitScoped):
    """Cơ sở kinh doanh dịch vụ: a service business registered by its commune.

    The owner's name and phone are public business information (they are on the business licence), so they
    are stored as plain text. Workforce is kept as counts only: the programme never lists workers by name."""

    class Status(models.TextChoices):
        OPERATING = "operating", _("Đang hoạt động")
        SUSPENDED = "suspended", _("Tạm ngừng hoạt động")
        CLOSED = "closed", _("Đã ngừng hoạt động")

    name = models.CharField(_("tên cơ sở"), max_length=255)
    business_type = models.ForeignKey(BusinessType, models.PROTECT, verbose_name=_("loại hình"))
    address = models.CharField(_("địa chỉ"), max_length=255)
    residential_group = models.ForeignKey(
        "geo.AdminUnit", models.SET_NULL, null=True, blank=True, related_name="+",
        limit_choices_to={"level": 4}, verbose_name=_("tổ dân phố, thôn"),
    )
    owner_name = models.CharField(_("chủ cơ sở hoặc người quản lý"), max_length=200, blank=True)
    owner_phone = models.CharField(_("số điện thoại cơ sở"), max_length=30, blank=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=20, blank=True)
    licence_number = models.CharField(_("số giấy chứng nhận đăng ký kinh doanh"), max_length=50, blank=True)
    licence_date = models.DateField(_("ngày cấp giấy đăng ký kinh doanh"), null=True, blank=True)
    licence_issuer = models.CharField(_("nơi cấp giấy đăng ký kinh doanh"), max_length=200, blank=True)
    security_cert_number = models.CharField(_("số giấy chứng nhận đủ điều kiện về ANTT"), max_length=50, blank=True)
    security_cert_date = models.DateField(_("ngày cấp giấy chứng nhận ANTT"), null=True, blank=True)
    security_cert_issuer = models.CharField(_("nơi cấp giấy chứng nhận ANTT"), max_length=200, blank=True)
    opened_on = models.DateField(_("ngày bắt đầu hoạt động"), null=True, blank=True)
    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.OPERATING)
    status_since = models.DateField(_("tình trạng từ ngày"), null=True, blank=True)
    subject_to_management = models.BooleanField(
        _("thuộc diện quản lý"), default=True,
        help_text=_("Cơ sở kinh doanh dịch vụ dễ bị lợi dụng để hoạt động mại dâm."),
    )
    workers_total = models.PositiveIntegerField(_("tổng số lao động"), null=True, blank=True)
    workers_female = models.PositiveIntegerField(_("lao động nữ"), null=True, blank=True)
    workers_other_province = models.PositiveIntegerField(_("lao động ngoại tỉnh"), null=True, blank=True)
    workforce_as_of = models.DateField(_("số lao động tính đến ngày"), null=True, blank=True)
    risk_level = models.CharField(_("mức độ rủi ro"), max_length=10, choices=RiskLevel.choices, blank=True)
    risk_reasons = models.TextField(_("lý do đánh giá mức độ rủi ro"), blank=True)
    last_reviewed_on = models.DateField(_("ngày rà soát gần nhất"), null=True, blank=True)
    last_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("người rà soát"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    # Normalised name + address, for finding duplicates typed or imported differently.
    match_key = models.CharField(max_length=520, editable=False, db_index=True)

    objects = BusinessQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ sở kinh doanh dịch vụ")
        verbose_name_plural = _("các cơ sở kinh doanh dịch vụ")
        ordering = ["unit__path", "name"]
        indexes = [models.Index(fields=["licence_number"], name="businesses_licence_number")]
        constraints = [
            models.CheckConstraint(
                condition=Q(workers_female__isnull=True) | Q(workers_total__isnull=True)
                | Q(workers_female__lte=models.F("workers_total")),
                name="businesses_female_within_total",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.match_key = normalise_key(self.name, self.address)
        super().save(*args, **kwargs)

    def clean(self):
        """The registry's rules, for the web form, the API and imports alike."""
        errors = {}
        if self.residential_group_id and self.unit_id and self.residential_group.parent_id != self.unit_id:
            errors["residential_group"] = _("Tổ dân phố, thôn này không thuộc %(unit)s.") % {"unit": self.unit}
        total, female, other = self.workers_total, self.workers_female, self.workers_other_province
        if total is not None and female is not None and female > total:
            errors["workers_female"] = _("Số lao động nữ không thể lớn hơn tổng số lao động.")
        if total is not None and other is not None and other > total:
            errors["workers_other_province"] = _("Số lao động ngoại tỉnh không thể lớn hơn tổng số lao động.")
        if any(v is not None for v in (total, female, other)) and not self.workforce_as_of:
            errors["workforce_as_of"] = _("Hãy cho biết số lao động tính đến ngày nào.")
        if self.status != self.Status.OPERATING and not self.status_since:
            errors["status_since"] = _("Hãy cho biết cơ sở tạm ngừng hoặc ngừng hoạt động từ ngày nào.")
        today = timezone.localdate()
        for field in ("licence_date", "security_cert_date", "opened_on", "workforce_as_of", "status_since"):
            day = getattr(self, field)
            if day and day > today:
                errors[field] = _("Ngày không thể sau hôm nay.")
        if self.name and self.address:
            self._check_duplicates(errors)
        if errors:
            raise ValidationError(errors)

    def _check_duplicates(self, errors):
        from lanhmanh.businesses.services import find_duplicates

        other = find_duplicates(name=self.name, address=self.address, licence_number=self.licence_number,
                                exclude_pk=self.pk).select_related("unit").first()
        if other is None:
            return
        licence = self.licence_number.strip().lower()
        if licence and other.licence_number.strip().lower() == licence:
            errors["licence_number"] = _("Đã có cơ sở “%(name)s” cùng số giấy đăng ký kinh doanh tại %(unit)s.") % {
                "name": other.name, "unit": other.unit}
        else:
            errors["name"] = _("Đã có cơ sở “%(name)s” cùng tên và địa chỉ tại %(unit)s.") % {
                "name": other.name, "unit": other.unit}

    def reviewed_in(self, year: int) -> bool:
        return bool(self.last_reviewed_on and self.last_reviewed_on.year == year)


def commitment_upload_to(instance, filename):
    # A random name: the signer's name or the business's must never appear in a path or a log line.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/commitments/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class CommitmentQuerySet(ScopedQuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(signed_on__lte=day, valid_until__gte=day)


class Commitment(UnitScoped):
    """Bản cam kết chấp hành pháp luật: a business's signed commitment not to allow prostitution."""

    business = models.ForeignKey(
        Business, models.CASCADE, related_name="commitments", verbose_name=_("cơ sở kinh doanh")
    )
    signed_on = models.DateField(_("ngày ký"))
    signer_name = models.CharField(_("người ký"), max_length=200)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    valid_until = models.DateField(_("có hiệu lực đến"))
    scan = models.FileField(_("bản chụp cam kết"), upload_to=commitment_upload_to, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = CommitmentQuerySet.as_manager()
    unit_from = "business"

    class Meta:
        verbose_name = _("bản cam kết")
        verbose_name_plural = _("các bản cam kết")
        ordering = ["-signed_on"]
        # "A commitment valid on day D" for every business in one index-only read (the indicators).
        indexes = [models.Index(fields=["business", "valid_until", "signed_on"], name="businesses_commitment_valid")]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("signed_on")),
                                   name="businesses_commitment_valid_after_signed"),
        ]

    def __str__(self):
        return _("Cam kết của %(business)s ngày %(date)s") % {
            "business": self.business, "date": self.signed_on.strftime("%d/%m/%Y")}

    def save(self, *args, **kwargs):
        # A commitment belongs to its business's commune, whoever records it.
        self.unit_id = self.business.unit_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.business_id:
            self.unit_id = self.business.unit_id
        errors = {}
        if self.signed_on and self.valid_until and self.valid_until < self.signed_on:
            errors["valid_until"] = _("Ngày hết hiệu lực phải sau ngày ký.")
        if self.signed_on and self.signed_on > timezone.localdate():
            errors["signed_on"] = _("Ngày ký không thể sau hôm nay.")
        if errors:
            raise ValidationError(errors)

    def is_valid_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.signed_on <= day <= self.valid_until


class Suspicion(UnitScoped):
    """A business suspected of harbouring or brokering prostitution, noted by police or programme staff.

    Only roles granted `businesses.view_suspicion` see these, and every showing is access-logged."""

    class Kind(models.TextChoices):
        HARBOURING = "harbouring", _("Nghi chứa mại dâm")
        BROKERING = "brokering", _("Nghi môi giới mại dâm")

    class Source(models.TextChoices):
        TIP = "tip", _("Tin báo, phản ánh")
        INSPECTION = "inspection", _("Kết quả kiểm tra")
        POLICE = "police", _("Nắm tình hình của công an")
        OTHER = "other", _("Nguồn khác")

    business = models.ForeignKey(
        Business, models.CASCADE, related_name="suspicions", verbose_name=_("cơ sở kinh doanh")
    )
    kind = models.CharField(_("nội dung nghi vấn"), max_length=20, choices=Kind.choices)
    noted_on = models.DateField(_("ngày ghi nhận"), default=timezone.localdate)
    source = models.CharField(_("nguồn"), max_length=20, choices=Source.choices)
    details = models.TextField(_("diễn giải"), blank=True)
    cleared_on = models.DateField(_("ngày kết thúc nghi vấn"), null=True, blank=True)

    unit_from = "business"

    class Meta:
        verbose_name = _("nghi vấn về cơ sở")
        verbose_name_plural = _("các nghi vấn về cơ sở")
        ordering = ["-noted_on"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.business}"

    def save(self, *args, **kwargs):
        self.unit_id = self.business.unit_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.business_id:
            self.unit_id = self.business.unit_id
        if self.noted_on and self.cleared_on and self.cleared_on < self.noted_on:
            raise ValidationError({"cleared_on": _("Ngày kết thúc phải sau ngày ghi nhận.")})

    @property
    def is_open(self) -> bool:
        return self.cleared_on is None


@receiver(post_delete, sender=Commitment)
def _delete_scan_file(sender, instance, **kwargs):
    # Data minimisation: a deleted commitment (or a deleted business's) leaves no scan behind on disk.
    if instance.scan:
        name, storage = instance.scan.name, instance.scan.storage
        transaction.on_commit(lambda: storage.delete(name))
