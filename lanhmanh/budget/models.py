"""The programme's budget (kinh phí): what each province or commune was allocated for a year, from which source and
for which purpose (dự toán được giao), and what it spent (khoản chi), optionally linked to the activity, training,
inspection session or prevention model the money paid for.

Sources and purposes are fixed choices, not per-province catalogues: the sources are the categories of the State
Budget Law that every plan names (seed 002 §IV: the state budget of each level, programmes, "nguồn tài trợ, huy động
… và các nguồn vốn hợp pháp khác"), and the purposes are the programme's task groups (seed 003: "kinh phí thực hiện
các mô hình …; kinh phí các cuộc hội thảo, tập huấn, văn phòng phẩm, xăng xe, công tác phí"). Stable codes let the
indicator engine (issue 9) sum the same lines in every province; a province's own detail goes in the description.

Amounts are whole đồng in plain integer columns, so a unit's figures are one SUM grouped by purpose or by
`unit__path` prefix (see services.py). Percentages are computed, never stored.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet

FIRST_YEAR = 2000


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def vnd(amount) -> str:
    """1500000 → "1.500.000" (Vietnamese grouping, whatever the active language)."""
    return f"{amount:,}".replace(",", ".") if amount is not None else ""


class Source(models.TextChoices):
    # The unit's level says which budget: a province's allocation is the provincial budget, a commune's the
    # commune budget (Luật Ngân sách nhà nước 2015, phân cấp ngân sách), so one choice is enough.
    STATE_BUDGET = "state_budget", _("Ngân sách nhà nước của cấp")
    NATIONAL_PROGRAMME = "national_programme", _("Chương trình mục tiêu quốc gia")
    SOCIALISED = "socialised", _("Xã hội hóa, nguồn hợp pháp khác")


class Purpose(models.TextChoices):
    COMMUNICATION = "communication", _("Thông tin, tuyên truyền")
    TRAINING = "training", _("Hội thảo, tập huấn")
    MODELS = "models", _("Xây dựng, duy trì mô hình")
    INSPECTION = "inspection", _("Kiểm tra liên ngành")
    SUPPORT = "support", _("Hỗ trợ, giảm hại, hòa nhập cộng đồng")
    OFFICE = "office", _("Văn phòng phẩm, xăng xe, công tác phí")
    REWARDS = "rewards", _("Khen thưởng")


# The records an expenditure may say it paid for, each with the purpose it must then be recorded under. Only the
# fields the model has are used.
LINKS: tuple[tuple[str, str], ...] = (
    ("activity", Purpose.COMMUNICATION),
    ("training", Purpose.TRAINING),
    ("inspection_session", Purpose.INSPECTION),
    ("prevention_model", Purpose.MODELS),
)
RECORD_LEVELS = (1, 3)  # AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE (geo imports budget-free)


def _check_unit_level(unit, errors, message):
    if unit is not None and unit.level not in RECORD_LEVELS:
        errors["unit"] = message


class BudgetAllocationQuerySet(ScopedQuerySet):
    def of_years(self, first: int, last: int):
        return self.filter(year__gte=first, year__lte=last)


class BudgetAllocation(UnitScoped):
    """Dự toán kinh phí được giao: the amount a province or commune was given for the programme in a budget year,
    from one source for one purpose. A supplementary allocation changes the amount (the history keeps both)."""

    year = models.PositiveSmallIntegerField(_("năm ngân sách"), db_index=True)
    source = models.CharField(_("nguồn kinh phí"), max_length=30, choices=Source.choices)
    purpose = models.CharField(
        _("mục chi"),
        max_length=30,
        choices=Purpose.choices,
        help_text=_("Nhóm nhiệm vụ được giao kinh phí: tuyên truyền, tập huấn, mô hình, kiểm tra…"),
    )
    amount = models.PositiveBigIntegerField(_("số tiền được giao (đồng)"))
    decision_number = models.CharField(
        _("số quyết định giao dự toán"), max_length=50, blank=True, help_text=_("Ví dụ: 125/QĐ-UBND.")
    )
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = BudgetAllocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("dự toán kinh phí được giao")
        verbose_name_plural = _("dự toán kinh phí được giao")
        ordering = ["-year", "unit__path", "purpose", "source"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "source", "purpose"], name="budget_allocation_unique_line"),
        ]

    def __str__(self):
        return _("Dự toán %(year)s · %(purpose)s · %(source)s") % {
            "year": self.year,
            "purpose": self.get_purpose_display(),
            "source": self.get_source_display(),
        }

    def clean(self):
        """The rules of an allocation, for the web form, the API and imports alike."""
        errors = {}
        if self.unit_id:
            _check_unit_level(
                self.unit, errors, _("Dự toán kinh phí được giao cho một tỉnh, thành phố hoặc một xã, phường.")
            )
        today = timezone.localdate()
        if self.year is not None and not FIRST_YEAR <= self.year <= today.year + 1:
            # Next year's budget is allocated in December, so next year is accepted.
            errors["year"] = _("Năm ngân sách phải từ %(first)s đến %(last)s.") % {
                "first": FIRST_YEAR,
                "last": today.year + 1,
            }
        if self.amount is not None and self.amount < 0:
            errors["amount"] = _("Số tiền không thể âm.")
        if self.decision_date and self.decision_date > today:
            errors["decision_date"] = _("Ngày quyết định không thể sau hôm nay.")
        elif self.decision_date and self.year and self.decision_date.year > self.year:
            errors["decision_date"] = _("Quyết định giao dự toán năm %(year)s không thể ban hành sau năm đó.") % {
                "year": self.year
            }
        self._check_unique(errors)
        if errors:
            raise ValidationError(errors)

    def _check_unique(self, errors):
        if not (self.unit_id and self.year and self.source and self.purpose) or "year" in errors:
            return
        same = BudgetAllocation.objects.filter(
            unit_id=self.unit_id, year=self.year, source=self.source, purpose=self.purpose
        ).exclude(pk=self.pk)
        if same.exists():
            errors["purpose"] = _(
                "%(unit)s đã có dự toán năm %(year)s từ nguồn “%(source)s” cho mục chi “%(purpose)s”. Nếu được giao "
                "bổ sung, hãy sửa số tiền của dự toán đó."
            ) % {
                "unit": self.unit,
                "year": self.year,
                "source": self.get_source_display(),
                "purpose": self.get_purpose_display(),
            }

    def validate_constraints(self, exclude=None):
        # clean() already reports a duplicate line, with a message that names it; Django's generic message for the
        # unique constraint would say the same thing a second time.
        super().validate_constraints(exclude={*(exclude or ()), "purpose"})


class ExpenditureQuerySet(ScopedQuerySet):
    def spent_between(self, start: datetime.date, end: datetime.date):
        return self.filter(spent_on__gte=start, spent_on__lte=end)

    def of_year(self, year: int):
        return self.spent_between(datetime.date(year, 1, 1), datetime.date(year, 12, 31))


class Expenditure(UnitScoped):
    """Khoản chi: money a province or commune spent on the programme, from one source for one purpose, and, when
    it paid for one recorded activity, training, inspection session or prevention model, a link to it.

    A link must match the purpose (a training is paid under "Hội thảo, tập huấn"): fuel for a training trip is
    office costs and is recorded without the link. Links are PROTECT: the record of what the money paid for cannot be
    deleted while a payment points at it (delete or relink the payment first)."""

    spent_on = models.DateField(_("ngày chi"), db_index=True)
    source = models.CharField(_("nguồn kinh phí"), max_length=30, choices=Source.choices)
    purpose = models.CharField(_("mục chi"), max_length=30, choices=Purpose.choices)
    amount = models.PositiveBigIntegerField(_("số tiền chi (đồng)"))
    description = models.CharField(
        _("nội dung chi"),
        max_length=500,
        help_text=_("Ví dụ: In 2.000 tờ rơi tuyên truyền; xăng xe đi kiểm tra liên ngành tháng 3."),
    )
    voucher_number = models.CharField(_("số chứng từ"), max_length=50, blank=True)
    activity = models.ForeignKey(
        "outreach.CommunicationActivity",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="expenditures",
        verbose_name=_("hoạt động tuyên truyền"),
    )
    training = models.ForeignKey(
        "training.Training",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="expenditures",
        verbose_name=_("lớp tập huấn"),
    )
    inspection_session = models.ForeignKey(
        "inspections.InspectionSession",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="expenditures",
        verbose_name=_("buổi kiểm tra"),
    )
    prevention_model = models.ForeignKey(
        "community.PreventionModel",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="expenditures",
        verbose_name=_("mô hình, câu lạc bộ"),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    objects = ExpenditureQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản chi")
        verbose_name_plural = _("các khoản chi")
        ordering = ["-spent_on", "-pk"]

    def __str__(self):
        return _("%(description)s (%(date)s)") % {"description": self.description, "date": _dmy(self.spent_on)}

    @classmethod
    def link_fields(cls) -> list[tuple[str, str]]:
        """(field, purpose) of the links this model has."""
        names = {f.name for f in cls._meta.get_fields()}
        return [(name, purpose) for name, purpose in LINKS if name in names]

    @property
    def linked(self):
        """(field, record) of what this expenditure paid for, or None."""
        for name, _purpose in self.link_fields():
            if getattr(self, f"{name}_id", None):
                return name, getattr(self, name)
        return None

    def clean(self):
        """The rules of an expenditure, for the web form, the API and imports alike."""
        errors = {}
        if self.unit_id:
            _check_unit_level(self.unit, errors, _("Khoản chi thuộc một tỉnh, thành phố hoặc một xã, phường."))
        if self.spent_on and self.spent_on > timezone.localdate():
            errors["spent_on"] = _("Ngày chi không thể sau hôm nay.")
        elif self.spent_on and self.spent_on.year < FIRST_YEAR:
            errors["spent_on"] = _("Ngày chi phải từ năm %(first)s.") % {"first": FIRST_YEAR}
        if self.amount is not None and self.amount <= 0:
            errors["amount"] = _("Số tiền chi phải lớn hơn 0.")
        self._check_link(errors)
        self._check_recorded_twice(errors)
        if errors:
            raise ValidationError(errors)

    def _check_recorded_twice(self, errors):
        """The same voucher, day and amount in the same unit is the same payment entered again (a sheet imported
        twice). One voucher may still pay for several lines of different amounts."""
        voucher = (self.voucher_number or "").strip()
        if not (voucher and self.unit_id and self.spent_on and self.amount) or errors:
            return
        same = Expenditure.objects.filter(
            unit_id=self.unit_id, voucher_number__iexact=voucher, spent_on=self.spent_on, amount=self.amount
        ).exclude(pk=self.pk)
        if same.exists():
            errors["voucher_number"] = _(
                "Khoản chi theo chứng từ số %(voucher)s ngày %(date)s, số tiền %(amount)s đồng đã được ghi."
            ) % {"voucher": voucher, "date": _dmy(self.spent_on), "amount": vnd(self.amount)}

    def _check_link(self, errors):
        chosen = [(name, purpose) for name, purpose in self.link_fields() if getattr(self, f"{name}_id", None)]
        if len(chosen) > 1:
            labels = ", ".join(str(self._meta.get_field(name).verbose_name) for name, _p in chosen)
            errors[NON_FIELD_ERRORS] = _("Một khoản chi chỉ gắn với một việc; đã chọn: %(links)s.") % {"links": labels}
            return
        if not chosen:
            return
        name, purpose = chosen[0]
        record = getattr(self, name)
        if self.unit_id and not record.unit.path.startswith(self.unit.path):
            errors[name] = _("%(record)s không thuộc địa bàn của %(unit)s.") % {"record": record, "unit": self.unit}
        elif self.purpose and self.purpose != purpose:
            errors["purpose"] = _("Khoản chi cho %(what)s phải ghi vào mục chi “%(purpose)s”.") % {
                "what": self._meta.get_field(name).verbose_name,
                "purpose": Purpose(purpose).label,
            }
