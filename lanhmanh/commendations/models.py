"""Commendations (khen thưởng) proposed and granted for the programme: to a collective (an agency, a residential
group, a team) or an individual official or citizen, with the proposal and the decision that granted it (seed 003:
"đề xuất khen thưởng tập thể, cá nhân có thành tích xuất sắc")."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet


def _dmy(day: datetime.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class RecipientKind(models.TextChoices):
    COLLECTIVE = "collective", _("Tập thể")
    INDIVIDUAL = "individual", _("Cá nhân")


class AwardForm(models.TextChoices):
    """The forms of the Law on Emulation and Commendation 2022 that the programme's commendations use."""

    CERTIFICATE_PM = "certificate_pm", _("Bằng khen của Thủ tướng Chính phủ")
    CERTIFICATE_MINISTER = "certificate_minister", _("Bằng khen của Bộ trưởng")
    CERTIFICATE_PROVINCE = "certificate_province", _("Bằng khen của Chủ tịch UBND tỉnh, thành phố")
    MERIT_COMMUNE = "merit_commune", _("Giấy khen của Chủ tịch UBND xã, phường")
    MERIT_AGENCY = "merit_agency", _("Giấy khen của thủ trưởng cơ quan, đơn vị")
    OTHER = "other", _("Hình thức khác")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Đã đề nghị")
    GRANTED = "granted", _("Đã khen thưởng")
    DECLINED = "declined", _("Không được khen thưởng")


class CommendationQuerySet(ScopedQuerySet):
    def granted_between(self, start: datetime.date, end: datetime.date):
        return self.filter(status=Status.GRANTED, decided_on__gte=start, decided_on__lte=end)

    def proposed_between(self, start: datetime.date, end: datetime.date):
        return self.filter(proposed_on__gte=start, proposed_on__lte=end)


class Commendation(UnitScoped):
    """One proposal for a commendation and, once decided, its decision. The unit is the one that proposes it (the
    commune or province whose programme the recipient served)."""

    year = models.PositiveSmallIntegerField(_("năm thành tích"), db_index=True)
    recipient_kind = models.CharField(_("đối tượng khen thưởng"), max_length=20, choices=RecipientKind.choices)
    recipient_name = models.CharField(
        _("tên tập thể, cá nhân"),
        max_length=255,
        help_text=_("Tên tập thể (ví dụ: Công an phường Hồng Bàng) hoặc họ tên cá nhân được đề nghị khen thưởng."),
    )
    recipient_position = models.CharField(
        _("chức vụ, đơn vị công tác"), max_length=255, blank=True, help_text=_("Với cá nhân.")
    )
    agency = models.ForeignKey(
        "geo.Agency",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan, đơn vị của người, tập thể được khen"),
    )
    award_form = models.CharField(_("hình thức khen thưởng"), max_length=30, choices=AwardForm.choices)
    achievement = models.TextField(
        _("thành tích"), help_text=_("Tóm tắt thành tích trong công tác phòng, chống mại dâm.")
    )
    proposal_number = models.CharField(_("số tờ trình, văn bản đề nghị"), max_length=50, blank=True)
    proposed_on = models.DateField(_("ngày đề nghị"))
    status = models.CharField(_("tình trạng"), max_length=20, choices=Status.choices, default=Status.PROPOSED)
    decision_number = models.CharField(_("số quyết định khen thưởng"), max_length=50, blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.CharField(
        _("cấp quyết định"), max_length=200, blank=True, help_text=_("Ví dụ: Chủ tịch UBND thành phố.")
    )
    reward_amount = models.PositiveBigIntegerField(
        _("tiền thưởng (đồng)"),
        null=True,
        blank=True,
        help_text=_("Khoản chi từ kinh phí của chương trình ghi ở mục Kinh phí, mục đích khen thưởng."),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = CommendationQuerySet.as_manager()

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="granted") | (Q(decided_on__isnull=False) & ~Q(decision_number="")),
                name="commendation_granted_has_decision",
            ),
        ]

    def __str__(self):
        return f"{self.get_award_form_display()} — {self.recipient_name} ({self.year})"

    def clean(self):
        errors = {}
        today = timezone.localdate()
        if self.unit_id:
            from lanhmanh.geo.models import AdminUnit

            if self.unit.level not in (AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE):
                errors["unit"] = _("Đề nghị khen thưởng thuộc một tỉnh, thành phố hoặc một xã, phường.")
            elif self.agency_id and not (
                self.agency.unit.path.startswith(self.unit.path) or self.unit.path.startswith(self.agency.unit.path)
            ):
                errors["agency"] = _("Cơ quan này không thuộc %(unit)s, cấp dưới hay cấp trên của đơn vị.") % {
                    "unit": self.unit
                }
        if self.year and not 2000 <= self.year <= today.year:
            errors["year"] = _("Năm thành tích phải từ 2000 đến năm nay.")
        if self.proposed_on:
            if self.proposed_on > today:
                errors["proposed_on"] = _("Ngày đề nghị không thể sau hôm nay.")
            elif self.year and self.proposed_on.year < self.year:
                errors["proposed_on"] = _("Ngày đề nghị không thể trước năm thành tích %(year)s.") % {"year": self.year}
        if not self.recipient_name.strip():
            errors["recipient_name"] = _("Hãy ghi tên tập thể hoặc cá nhân.")
        self._check_decision(errors, today)
        if errors:
            raise ValidationError(errors)

    def _check_decision(self, errors, today):
        if self.status == Status.GRANTED:
            if not self.decision_number.strip():
                errors["decision_number"] = _("Đã khen thưởng thì phải ghi số quyết định.")
            if not self.decided_on:
                errors["decided_on"] = _("Đã khen thưởng thì phải ghi ngày quyết định.")
        elif self.status == Status.PROPOSED:
            if self.decision_number.strip() or self.decided_on:
                errors["status"] = _(
                    "Đã có quyết định thì hãy chọn tình trạng “Đã khen thưởng” hoặc “Không được khen thưởng”."
                )
        if self.decided_on:
            if self.decided_on > today:
                errors["decided_on"] = _("Ngày quyết định không thể sau hôm nay.")
            elif self.proposed_on and self.decided_on < self.proposed_on:
                errors["decided_on"] = _("Ngày quyết định không thể trước ngày đề nghị (%(date)s).") % {
                    "date": _dmy(self.proposed_on)
                }
        if self.reward_amount and self.status != Status.GRANTED:
            errors["reward_amount"] = _("Chỉ ghi tiền thưởng khi đã có quyết định khen thưởng.")
