"""Criminal and administrative case records kept by the police (vụ án hình sự, vụ việc vi phạm hành chính):
which unit and agency, what offence, the procedural dates, the business and the tip or inspection it came from,
and how many people each outcome concerned.

The programme keeps statistics and links only: **no names** of suspects, victims or witnesses. The police's own
case systems hold identities; here a case is counts (arrested, accused prosecuted, fined, people who sell sex
identified and referred to support) so the figures of a unit and period are one aggregate query.
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


class CaseType(models.TextChoices):
    CRIMINAL = "criminal", _("Vụ án hình sự")
    ADMINISTRATIVE = "administrative", _("Vụ việc vi phạm hành chính")


class OffenceQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class Offence(models.Model):
    """Catalogue of offences a case is about, kept as data (migration 0002): the crimes of the Penal Code
    (Bộ luật Hình sự 2015 since 1/1/2018, 1999 before) and the administrative violations of the sanctions decree
    in force (Nghị định 144/2021 since 31/12/2021, 167/2013 before). The law changes, so each entry carries its
    legal reference and the dates it applies; an expired entry cannot be chosen for a case detected after it ended,
    and cases that recorded it keep showing it."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tội danh, hành vi vi phạm"), max_length=300)
    case_type = models.CharField(_("loại"), max_length=20, choices=CaseType.choices)
    legal_reference = models.CharField(_("căn cứ pháp lý"), max_length=300)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_until = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = OffenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("tội danh, hành vi vi phạm")
        verbose_name_plural = _("danh mục tội danh, hành vi vi phạm")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return f"{self.name} ({self.legal_reference})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class EnforcementCaseQuerySet(ScopedQuerySet):
    def detected_between(self, start: datetime.date, end: datetime.date):
        return self.filter(detected_on__gte=start, detected_on__lte=end)

    def criminal(self):
        return self.filter(case_type=CaseType.CRIMINAL)

    def administrative(self):
        return self.filter(case_type=CaseType.ADMINISTRATIVE)


# The procedural dates of a criminal case, in the order they happen.
CRIMINAL_DATES = ("instituted_on", "indicted_on", "tried_on")
COUNT_FIELDS = ("people_arrested", "people_prosecuted", "people_fined_admin", "fines_total", "sellers_identified",
                "sellers_referred", "minors_identified")


class EnforcementCase(UnitScoped):
    """A criminal case or an administrative violation case about prostitution, owned by the commune or province
    whose police handle it."""

    agency = models.ForeignKey(
        "geo.Agency", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("cơ quan thụ lý"),
        help_text=_("Cơ quan công an của đơn vị hoặc cấp trên."),
    )
    case_type = models.CharField(_("loại vụ việc"), max_length=20, choices=CaseType.choices)
    offences = models.ManyToManyField(Offence, related_name="cases", verbose_name=_("tội danh, hành vi vi phạm"))
    reference_number = models.CharField(
        _("số hồ sơ"), max_length=50, blank=True,
        help_text=_("Số hồ sơ vụ án, vụ việc trong hệ thống của cơ quan công an, nếu có."),
    )
    detected_on = models.DateField(_("ngày phát hiện"), db_index=True)
    instituted_on = models.DateField(_("ngày khởi tố vụ án"), null=True, blank=True)
    indicted_on = models.DateField(_("ngày truy tố"), null=True, blank=True)
    tried_on = models.DateField(_("ngày xét xử sơ thẩm"), null=True, blank=True)
    business = models.ForeignKey(
        "businesses.Business", models.PROTECT, null=True, blank=True, related_name="enforcement_cases",
        verbose_name=_("cơ sở kinh doanh liên quan"),
    )
    origin_tip = models.ForeignKey(
        "tips.Tip", models.SET_NULL, null=True, blank=True, related_name="cases",
        verbose_name=_("phát hiện từ tin báo"),
    )
    origin_visit = models.ForeignKey(
        "inspections.InspectionVisit", models.SET_NULL, null=True, blank=True, related_name="cases",
        verbose_name=_("phát hiện qua lượt kiểm tra"),
    )
    people_arrested = models.PositiveIntegerField(_("số người bị bắt giữ"), default=0)
    people_prosecuted = models.PositiveIntegerField(
        _("số bị can bị khởi tố"), default=0, help_text=_("Chỉ với vụ án hình sự."))
    people_fined_admin = models.PositiveIntegerField(_("số người bị xử phạt hành chính"), default=0)
    fines_total = models.PositiveBigIntegerField(_("tổng số tiền phạt (đồng)"), default=0)
    sellers_identified = models.PositiveIntegerField(_("số người bán dâm được phát hiện"), default=0)
    sellers_referred = models.PositiveIntegerField(
        _("số người bán dâm được chuyển hỗ trợ"), default=0,
        help_text=_("Được giới thiệu đến dịch vụ hỗ trợ, giảm hại, hòa nhập cộng đồng."),
    )
    minors_identified = models.PositiveIntegerField(
        _("trong đó, người dưới 18 tuổi"), default=0,
        help_text=_("Số người dưới 18 tuổi trong số người bán dâm được phát hiện."),
    )
    summary = models.TextField(
        _("tóm tắt"), blank=True,
        help_text=_("Tóm tắt vụ việc và kết quả xử lý. KHÔNG ghi họ tên, địa chỉ hay đặc điểm nhận dạng của người bị "
                    "tình nghi, người bị hại hay người làm chứng: hồ sơ nhân thân do cơ quan công an quản lý."),
    )

    objects = EnforcementCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("vụ việc, vụ án")
        verbose_name_plural = _("các vụ việc, vụ án")
        ordering = ["-detected_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(sellers_referred__lte=models.F("sellers_identified")),
                                   name="enforcement_referred_within_identified"),
            models.CheckConstraint(condition=Q(minors_identified__lte=models.F("sellers_identified")),
                                   name="enforcement_minors_within_identified"),
        ]

    def __str__(self):
        values = {"type": self.get_case_type_display(), "date": _dmy(self.detected_on),
                  "number": self.reference_number}
        if self.reference_number:
            return _("%(type)s số %(number)s (phát hiện ngày %(date)s)") % values
        return _("%(type)s phát hiện ngày %(date)s") % values

    @property
    def is_criminal(self) -> bool:
        return self.case_type == CaseType.CRIMINAL

    def clean(self):
        """The rules of a case record, for the web form, the API and imports alike (the offences, a
        many-to-many, are checked by services.offence_errors)."""
        errors = {}
        self._check_unit(errors)
        self._check_dates(errors)
        self._check_counts(errors)
        self._check_links(errors)
        if errors:
            raise ValidationError(errors)

    def _check_unit(self, errors):
        from lanhmanh.geo.models import AdminUnit

        if not self.unit_id:
            return
        if self.unit.level not in (AdminUnit.Level.PROVINCE, AdminUnit.Level.COMMUNE):
            errors["unit"] = _("Vụ việc, vụ án thuộc một tỉnh, thành phố hoặc một xã, phường.")
        if self.agency_id and not self.unit.path.startswith(self.agency.unit.path):
            errors["agency"] = _("Cơ quan thụ lý phải thuộc đơn vị này hoặc cấp trên.")
        if self.reference_number.strip():
            same = EnforcementCase.objects.filter(unit_id=self.unit_id,
                                                  reference_number__iexact=self.reference_number.strip())
            if same.exclude(pk=self.pk).exists():
                errors["reference_number"] = _("Đã có vụ việc, vụ án số %(number)s của %(unit)s.") % {
                    "number": self.reference_number.strip(), "unit": self.unit}

    def _check_dates(self, errors):
        today = timezone.localdate()
        if self.detected_on and self.detected_on > today:
            errors["detected_on"] = _("Ngày phát hiện không thể sau hôm nay.")
        if not self.is_criminal:
            for name in CRIMINAL_DATES:
                if getattr(self, name):
                    errors[name] = _("Chỉ ghi với vụ án hình sự.")
            return
        previous_name, previous = "detected_on", self.detected_on
        labels = {"detected_on": _("ngày phát hiện"), "instituted_on": _("ngày khởi tố vụ án"),
                  "indicted_on": _("ngày truy tố")}
        for name in CRIMINAL_DATES:
            day = getattr(self, name)
            if day is None:
                previous_name, previous = name, None
                continue
            if day > today:
                errors[name] = _("Ngày không thể sau hôm nay.")
            elif previous_name != "detected_on" and previous is None:
                errors[name] = _("Hãy ghi %(earlier)s trước.") % {"earlier": labels[previous_name]}
            elif previous and day < previous:
                errors[name] = _("Không thể trước %(earlier)s (%(date)s).") % {
                    "earlier": labels[previous_name], "date": _dmy(previous)}
            previous_name, previous = name, day

    def _check_counts(self, errors):
        if not self.is_criminal and self.people_prosecuted:
            errors["people_prosecuted"] = _("Chỉ vụ án hình sự mới có bị can bị khởi tố.")
        elif self.people_prosecuted and not self.instituted_on and "instituted_on" not in errors:
            errors["people_prosecuted"] = _("Có bị can bị khởi tố thì phải ghi ngày khởi tố vụ án.")
        identified = self.sellers_identified or 0
        if (self.sellers_referred or 0) > identified:
            errors["sellers_referred"] = _("Số người được chuyển hỗ trợ không thể lớn hơn số người bán dâm được "
                                           "phát hiện.")
        if (self.minors_identified or 0) > identified:
            errors["minors_identified"] = _("Số người dưới 18 tuổi không thể lớn hơn số người bán dâm được phát "
                                            "hiện.")

    def _check_links(self, errors):
        if not self.unit_id:
            return
        path = self.unit.path
        if self.business_id and not self.business.unit.path.startswith(path):
            errors["business"] = _("Cơ sở này không thuộc địa bàn của %(unit)s.") % {"unit": self.unit}
        if self.origin_tip_id:
            tip = self.origin_tip
            if not tip.unit.path.startswith(path):
                errors["origin_tip"] = _("Tin báo này không thuộc địa bàn của %(unit)s.") % {"unit": self.unit}
            elif self.detected_on and tip.received_on and self.detected_on < tip.received_on:
                errors["origin_tip"] = _("Tin báo được tiếp nhận ngày %(date)s, sau ngày phát hiện vụ việc.") % {
                    "date": _dmy(tip.received_on)}
        if self.origin_visit_id:
            visit = self.origin_visit
            if not visit.unit.path.startswith(path):
                errors["origin_visit"] = _("Lượt kiểm tra này không thuộc địa bàn của %(unit)s.") % {"unit": self.unit}
            elif self.business_id and visit.business_id != self.business_id:
                errors["origin_visit"] = _("Lượt kiểm tra này là ở cơ sở khác với cơ sở liên quan đã chọn.")
            elif self.detected_on and self.detected_on < visit.visited_on:
                errors["origin_visit"] = _("Lượt kiểm tra ngày %(date)s, sau ngày phát hiện vụ việc.") % {
                    "date": _dmy(visit.visited_on)}
