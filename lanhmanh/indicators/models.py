from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.models import UnitScoped

# Only a commune declares: a residential group's figures are part of its commune's, a province's or district's are
# the sum of their communes', so a declaration above or below the commune would count the same figures twice.
NOT_A_COMMUNE = _("Chỉ xã, phường, đặc khu đăng ký báo cáo số liệu tổng hợp.")


class AggregateDeclaration(UnitScoped):
    """A unit reports a module's figures for a year as monthly aggregates instead of individual records (a commune
    that keeps its inspections in a notebook). The engine then takes that unit's figures for the module from its
    `AggregateValue`s and ignores any record of the module under the unit, so the two sources never double count."""

    module = models.CharField(_("lĩnh vực"), max_length=40)
    year = models.PositiveSmallIntegerField(_("năm"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("đăng ký báo cáo số liệu tổng hợp")
        verbose_name_plural = _("đăng ký báo cáo số liệu tổng hợp")
        ordering = ["-year", "unit__path", "module"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "module", "year"], name="indicators_declaration_unique"),
        ]

    def __str__(self):
        return _("%(unit)s · %(module)s · năm %(year)s") % {
            "unit": self.unit, "module": self.module_label, "year": self.year}

    @property
    def module_label(self) -> str:
        from lanhmanh.indicators.registry import registry

        return str(registry.modules.get(self.module, self.module))

    def clean(self):
        from lanhmanh.geo.models import AdminUnit
        from lanhmanh.indicators.registry import registry

        if self.module and self.module not in registry.modules:
            raise ValidationError({"module": _("Lĩnh vực không hợp lệ.")})
        if self.unit_id and self.unit.level != AdminUnit.Level.COMMUNE:
            raise ValidationError({"unit": NOT_A_COMMUNE})
        if self.year and not 2000 <= self.year <= 2100:
            raise ValidationError({"year": _("Năm không hợp lệ.")})


class AggregateValue(models.Model):
    """One cell of the data-entry grid: a measure's value for a month of the declaration's year."""

    declaration = models.ForeignKey(
        AggregateDeclaration, models.CASCADE, related_name="values", verbose_name=_("đăng ký")
    )
    measure = models.CharField(_("chỉ tiêu thống kê"), max_length=80)
    month = models.PositiveSmallIntegerField(_("tháng"))
    value = models.PositiveBigIntegerField(_("giá trị"))

    class Meta:
        verbose_name = _("số liệu tổng hợp")
        verbose_name_plural = _("số liệu tổng hợp")
        ordering = ["declaration", "measure", "month"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "measure", "month"], name="indicators_value_unique"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="indicators_value_month"),
        ]

    def __str__(self):
        return f"{self.measure} {self.month:02d}/{self.declaration.year}: {self.value}"
