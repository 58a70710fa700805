from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lanhmanh.core.models import Linked, UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet


class AdminUnitQuerySet(ScopedQuerySet):
    unit_path_lookup = "path"

    def current(self):
        return self.filter(valid_to__isnull=True)


# Kept by name so the ResidentialGroup proxy can be wired to the same history (see below).
ADMIN_UNIT_HISTORY = HistoricalRecords()


class AdminUnit(models.Model):
    """A node of Vietnam's administrative hierarchy, from the nation down to residential groups.

    `path` is the chain of codes from the root with a trailing slash ("VN/31/11473/"), so a subtree is one
    indexed prefix match and "VN/31/1" can never match "VN/31/11473/" by accident.
    """

    class Level(models.IntegerChoices):
        NATION = 0, _("Quốc gia")
        PROVINCE = 1, _("Tỉnh, thành phố")
        DISTRICT = 2, _("Huyện, quận (trước 1/7/2025)")
        COMMUNE = 3, _("Xã, phường, đặc khu")
        RESIDENTIAL_GROUP = 4, _("Tổ dân phố, thôn")

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=Level.choices)
    kind = models.CharField(_("loại"), max_length=40, blank=True, help_text=_("Ví dụ: phường, xã, thôn."))
    parent = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("đơn vị cấp trên")
    )
    path = models.CharField(_("đường dẫn"), max_length=255, unique=True, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hết hiệu lực"), null=True, blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    successors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="predecessors", verbose_name=_("đơn vị kế thừa")
    )

    objects = AdminUnitQuerySet.as_manager()
    history = ADMIN_UNIT_HISTORY

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["path"]
        indexes = [
            # PostgreSQL needs the pattern operator class for LIKE 'prefix%' to use the index.
            models.Index(fields=["path"], name="geo_adminunit_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["level", "parent"], name="geo_adminunit_level_parent"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path if self.parent_id else ''}{self.code}/"
        super().save(*args, **kwargs)

    def is_within(self, other: "AdminUnit") -> bool:
        return self.path.startswith(other.path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class ResidentialGroupManager(models.Manager.from_queryset(AdminUnitQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(level=AdminUnit.Level.RESIDENTIAL_GROUP)


class ResidentialGroup(Linked, AdminUnit):
    """Tổ dân phố (in wards) and thôn (in communes), created by commune users; below them nothing."""

    objects = ResidentialGroupManager()
    # The owning commune is the parent; forms and the API check the user may act there.
    scope_field = "parent"

    class Meta:
        proxy = True
        verbose_name = _("tổ dân phố, thôn")
        verbose_name_plural = _("tổ dân phố, thôn")

    def save(self, *args, **kwargs):
        self.level = AdminUnit.Level.RESIDENTIAL_GROUP
        if not self.code:
            self.code = next_residential_group_code(self.parent)
        super().save(*args, **kwargs)

    @property
    def unit(self):
        # The commune that owns the group, so generic views treat it like any unit-scoped record.
        return self.parent


# Django sends a proxy's signals with the proxy as sender, which simple-history does not listen to.
for _signal, _handler in (
    (models.signals.post_save, ADMIN_UNIT_HISTORY.post_save),
    (models.signals.pre_delete, ADMIN_UNIT_HISTORY.pre_delete),
    (models.signals.post_delete, ADMIN_UNIT_HISTORY.post_delete),
):
    _signal.connect(_handler, sender=ResidentialGroup, weak=False)


def next_residential_group_code(commune: AdminUnit) -> str:
    """Codes like "11473-007": the commune's code and a running number, stable once given."""
    prefix = f"{commune.code}-"
    taken = AdminUnit.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(c[len(prefix) :]) for c in taken if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(numbers, default=0) + 1:03d}"


class AgencyType(models.Model):
    """Catalogue of agency kinds (police, culture-society office, health station, …), kept as data."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=200)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("loại cơ quan")
        verbose_name_plural = _("loại cơ quan")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Agency(UnitScoped):
    """An agency of a unit: the commune police, the health station, the women's union, a school…"""

    name = models.CharField(_("tên cơ quan, đơn vị"), max_length=255)
    agency_type = models.ForeignKey(AgencyType, models.PROTECT, verbose_name=_("loại cơ quan"))
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan, đơn vị")
        verbose_name_plural = _("cơ quan, đơn vị")
        ordering = ["unit__path", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="geo_agency_unique_name_per_unit")]

    def __str__(self):
        return self.name
