"""Prevention models and clubs (mô hình phòng, chống mại dâm; câu lạc bộ) and the log of their meetings and
activities.

Seed 004 keeps "Phòng ngừa mại dâm tại cộng đồng kết hợp thực hiện các biện pháp phòng ngừa, giảm tác hại về HIV"
models; seed 003 runs "mô hình hỗ trợ giảm tác hại, phòng, chống bạo lực trên cơ sở giới"; seed 000 counts 8 models
in named wards; seed 002 asks to maintain clubs, peer and self-help groups. A model belongs to the commune (or
province) that runs it, optionally to one residential group of that commune.

Status changes (pause, resume, dissolve) go through `services` so that they carry a date and a reason and use
optimistic locking; the last pause window and the dissolution date are plain columns, so "active on a day" is one
filter that a database aggregate can count (`PreventionModelQuerySet.active_on`). Earlier pause windows of a model
paused more than once are kept in its history only.

Counts only: a model's members and the participants of an activity are numbers, never names.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class ModelKind(models.TextChoices):
    COMMUNITY_HIV = (
        "community_hiv",
        _("Mô hình phòng, chống mại dâm dựa vào cộng đồng kết hợp giảm tác hại dự phòng lây nhiễm HIV"),
    )
    CLUB = "club", _("Câu lạc bộ")
    VOLUNTEER_TEAM = "volunteer_team", _("Đội công tác xã hội tình nguyện")
    HOTLINE = "hotline", _("Đường dây nóng, điểm tư vấn")
    LIVELIHOOD = "livelihood", _("Nhóm hỗ trợ sinh kế, hòa nhập cộng đồng")
    SUPPORT_GBV = "support_gbv", _("Mô hình hỗ trợ giảm tác hại, phòng, chống bạo lực trên cơ sở giới")
    OTHER = "other", _("Mô hình khác")


class ModelStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    PAUSED = "paused", _("Tạm dừng hoạt động")
    DISSOLVED = "dissolved", _("Đã giải thể")


# The levels that run models: the province (its department, mass organisations) and the commune or ward.
MODEL_LEVELS = (1, 3)  # geo.AdminUnit.Level.PROVINCE, COMMUNE


class PreventionModelQuerySet(ScopedQuerySet):
    def active_on(self, day: datetime.date):
        """Models running on `day`: established on or before it, not dissolved on or before it, and not in a
        pause that had begun on or before it and was not yet resumed (a model resumed on `day` runs that day)."""
        return self.filter(active_q(day))


def active_q(day: datetime.date, prefix: str = "") -> Q:
    """The condition of `PreventionModelQuerySet.active_on`, for use inside an aggregate (Count(filter=...))."""
    p = prefix
    not_paused = (
        Q(**{f"{p}paused_on__isnull": True}) | Q(**{f"{p}paused_on__gt": day}) | Q(**{f"{p}resumed_on__lte": day})
    )
    not_dissolved = Q(**{f"{p}dissolved_on__isnull": True}) | Q(**{f"{p}dissolved_on__gt": day})
    return Q(**{f"{p}established_on__lte": day}) & not_dissolved & not_paused


class PreventionModel(UnitScoped):
    """A prevention model, club, volunteer team, hotline or support group run by a commune or province."""

    name = models.CharField(_("tên mô hình, câu lạc bộ"), max_length=255)
    kind = models.CharField(_("loại mô hình"), max_length=20, choices=ModelKind.choices)
    residential_group = models.ForeignKey(
        "geo.AdminUnit",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": 4},
        verbose_name=_("tổ dân phố, thôn"),
        help_text=_("Nếu mô hình hoạt động ở một tổ dân phố, thôn của đơn vị."),
    )
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    established_on = models.DateField(
        _("ngày thành lập"), db_index=True, help_text=_("Ngày mô hình bắt đầu hoạt động.")
    )
    # Changed only by services.pause_model / resume_model / dissolve_model (the edit form and the API leave them
    # out), but kept editable so the change history shows each change of status.
    status = models.CharField(_("tình trạng"), max_length=10, choices=ModelStatus.choices, default=ModelStatus.ACTIVE)
    paused_on = models.DateField(_("tạm dừng từ ngày"), null=True, blank=True)
    resumed_on = models.DateField(_("hoạt động lại từ ngày"), null=True, blank=True)
    dissolved_on = models.DateField(_("giải thể từ ngày"), null=True, blank=True)
    status_note = models.CharField(_("lý do thay đổi tình trạng"), max_length=500, blank=True)
    members_count = models.PositiveIntegerField(_("số thành viên"), default=0)
    lead_agency = models.ForeignKey(
        "geo.Agency",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan chủ trì"),
        help_text=_("Cơ quan, đoàn thể của đơn vị hoặc cấp trên chủ trì mô hình."),
    )
    funding_source = models.CharField(
        _("nguồn kinh phí"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: ngân sách phường, Chương trình mục tiêu, xã hội hóa."),
    )
    annual_funding = models.PositiveBigIntegerField(_("kinh phí hằng năm (đồng)"), null=True, blank=True)
    description = models.TextField(
        _("mô tả"),
        blank=True,
        help_text=_("Mục tiêu, thành phần, cách hoạt động. KHÔNG ghi họ tên hay thông tin nhận dạng người bán dâm."),
    )

    objects = PreventionModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("mô hình, câu lạc bộ")
        verbose_name_plural = _("mô hình, câu lạc bộ")
        ordering = ["unit__path", "name"]
        indexes = [models.Index(fields=["status", "established_on"], name="community_model_status_est")]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True) | Q(dissolved_on__gte=models.F("established_on")),
                name="community_model_dissolved_after_established",
            ),
            models.CheckConstraint(
                condition=Q(resumed_on__isnull=True) | Q(paused_on__isnull=False),
                name="community_model_resumed_after_pause",
            ),
        ]

    def __str__(self):
        return self.name

    def is_active_on(self, day: datetime.date) -> bool:
        """The same rule as `PreventionModelQuerySet.active_on`, for one model in memory."""
        if self.established_on is None or self.established_on > day:
            return False
        if self.dissolved_on is not None and self.dissolved_on <= day:
            return False
        return not (
            self.paused_on is not None and self.paused_on <= day and (self.resumed_on is None or self.resumed_on > day)
        )

    @property
    def is_dissolved(self) -> bool:
        return self.status == ModelStatus.DISSOLVED

    def clean(self):
        """The rules of a model record, for the web form, the API, imports and the status services alike."""
        errors = {}
        self._check_unit(errors)
        self._check_dates(errors)
        self._check_status(errors)
        if errors:
            raise ValidationError(errors)

    def _check_unit(self, errors):
        if not self.unit_id:
            return
        unit = self.unit
        if unit.level not in MODEL_LEVELS:
            errors["unit"] = _("Mô hình, câu lạc bộ thuộc một tỉnh, thành phố hoặc một xã, phường.")
        if self.residential_group_id:
            group = self.residential_group
            if group.level != 4 or group.parent_id != self.unit_id:
                errors["residential_group"] = _("Tổ dân phố, thôn này không thuộc %(unit)s.") % {"unit": unit}
        if self.lead_agency_id and not unit.path.startswith(self.lead_agency.unit.path):
            errors["lead_agency"] = _("Cơ quan chủ trì phải thuộc đơn vị này hoặc cấp trên.")
        # Its activities carry the model's unit (for scoping and figures): a model with a log stays where it is.
        if self.pk and self.activities.exists():
            stored_unit = PreventionModel.objects.filter(pk=self.pk).values_list("unit_id", flat=True).first()
            if stored_unit is not None and stored_unit != self.unit_id:
                errors["unit"] = _("Mô hình đã có nhật ký hoạt động nên không thể chuyển sang đơn vị khác. Nếu mô "
                                   "hình được giao cho đơn vị khác, hãy ghi giải thể và lập mô hình mới ở đơn vị đó.")
        name = (self.name or "").strip()
        if name:
            same = PreventionModel.objects.filter(unit_id=self.unit_id, name__iexact=name).exclude(pk=self.pk)
            if same.exists():
                errors["name"] = _("%(unit)s đã có mô hình, câu lạc bộ “%(name)s”.") % {"unit": unit, "name": name}

    def _check_dates(self, errors):
        today = timezone.localdate()
        for name in ("decision_date", "established_on", "paused_on", "resumed_on", "dissolved_on"):
            day = getattr(self, name)
            if day and day > today:
                errors[name] = _("Ngày không thể sau hôm nay.")
        if not self.established_on or "established_on" in errors:
            return
        for name in ("paused_on", "dissolved_on"):
            day = getattr(self, name)
            if day and day < self.established_on and name not in errors:
                errors[name] = _("Không thể trước ngày thành lập (%(date)s).") % {"date": _dmy(self.established_on)}
        if self.paused_on and self.resumed_on and self.resumed_on < self.paused_on and "resumed_on" not in errors:
            errors["resumed_on"] = _("Không thể trước ngày tạm dừng (%(date)s).") % {"date": _dmy(self.paused_on)}
        if self.dissolved_on and self.paused_on and self.dissolved_on < self.paused_on and "dissolved_on" not in errors:
            errors["dissolved_on"] = _("Không thể trước ngày tạm dừng (%(date)s).") % {"date": _dmy(self.paused_on)}
        if self.pk:
            # Activities already recorded fix the earliest establishment and the latest dissolution.
            first, last = _activity_bounds(self)
            if first and first < self.established_on:
                errors["established_on"] = _("Mô hình đã có hoạt động ngày %(date)s, trước ngày thành lập này.") % {
                    "date": _dmy(first)
                }
            if self.dissolved_on and last and last > self.dissolved_on and "dissolved_on" not in errors:
                errors["dissolved_on"] = _("Mô hình đã có hoạt động ngày %(date)s, sau ngày giải thể này.") % {
                    "date": _dmy(last)
                }

    def _check_status(self, errors):
        status = self.status or ModelStatus.ACTIVE
        if status == ModelStatus.DISSOLVED:
            if not self.dissolved_on and "dissolved_on" not in errors:
                errors["dissolved_on"] = _("Mô hình đã giải thể phải có ngày giải thể.")
            return
        if self.dissolved_on and "dissolved_on" not in errors:
            errors["dissolved_on"] = _("Chỉ ghi ngày giải thể khi mô hình đã giải thể.")
        if status == ModelStatus.PAUSED:
            if not self.paused_on and "paused_on" not in errors:
                errors["paused_on"] = _("Mô hình tạm dừng phải có ngày tạm dừng.")
            if self.resumed_on and "resumed_on" not in errors:
                errors["resumed_on"] = _("Mô hình đang tạm dừng chưa có ngày hoạt động lại.")
        elif self.paused_on and not self.resumed_on and "paused_on" not in errors:
            errors["paused_on"] = _(
                "Mô hình đang hoạt động: hãy ghi ngày hoạt động lại, hoặc chọn tình trạng tạm dừng."
            )
        if self.resumed_on and not self.paused_on and "resumed_on" not in errors:
            errors["resumed_on"] = _("Chưa có ngày tạm dừng.")


def _activity_bounds(model) -> tuple[datetime.date | None, datetime.date | None]:
    values = ModelActivity.objects.filter(prevention_model_id=model.pk).aggregate(
        first=models.Min("date"), last=models.Max("date")
    )
    return values["first"], values["last"]


class ActivityKind(models.TextChoices):
    MEETING = "meeting", _("Sinh hoạt định kỳ")
    COMMUNICATION = "communication", _("Truyền thông, tuyên truyền")
    COUNSELLING = "counselling", _("Tư vấn")
    SUPPORT = "support", _("Hỗ trợ, giúp đỡ")
    OTHER = "other", _("Hoạt động khác")


class ModelActivityQuerySet(ScopedQuerySet):
    def between(self, start: datetime.date, end: datetime.date):
        return self.filter(date__gte=start, date__lte=end)


class ModelActivity(UnitScoped):
    """One meeting or activity of a model: when, what kind, how many took part. Counts only, no names."""

    prevention_model = models.ForeignKey(
        PreventionModel, models.CASCADE, related_name="activities", verbose_name=_("mô hình, câu lạc bộ")
    )
    date = models.DateField(_("ngày"), db_index=True)
    kind = models.CharField(
        _("loại hoạt động"), max_length=20, choices=ActivityKind.choices, default=ActivityKind.MEETING
    )
    participants_count = models.PositiveIntegerField(_("số người tham gia"), default=0)
    description = models.TextField(
        _("nội dung"),
        blank=True,
        help_text=_("Nội dung, kết quả. KHÔNG ghi họ tên hay thông tin nhận dạng người tham gia."),
    )

    objects = ModelActivityQuerySet.as_manager()
    unit_from = "prevention_model"

    class Meta:
        verbose_name = _("hoạt động của mô hình")
        verbose_name_plural = _("hoạt động của các mô hình")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return _("%(kind)s ngày %(date)s") % {"kind": self.get_kind_display(), "date": _dmy(self.date)}

    def save(self, *args, **kwargs):
        # An activity belongs to its model's unit, whoever records it.
        self.unit_id = self.prevention_model.unit_id
        super().save(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # The unit is never typed: it is the model's, so full_clean() does not fault it as missing.
        if self.prevention_model_id:
            self.unit_id = self.prevention_model.unit_id
        super().clean_fields(exclude=exclude)

    def clean(self):
        if not self.prevention_model_id:
            return
        model = self.prevention_model
        self.unit_id = model.unit_id
        errors = {}
        if self.date:
            if self.date > timezone.localdate():
                errors["date"] = _("Ngày không thể sau hôm nay.")
            elif model.established_on and self.date < model.established_on:
                errors["date"] = _("Mô hình thành lập ngày %(date)s; hoạt động không thể trước ngày đó.") % {
                    "date": _dmy(model.established_on)
                }
            elif model.dissolved_on and self.date > model.dissolved_on:
                errors["date"] = _("Mô hình đã giải thể từ ngày %(date)s; hoạt động không thể sau ngày đó.") % {
                    "date": _dmy(model.dissolved_on)
                }
        if errors:
            raise ValidationError(errors)
