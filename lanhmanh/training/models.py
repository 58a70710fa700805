"""Training courses for the programme's staff and partners (lớp tập huấn, bồi dưỡng) and the number of officials
responsible for social-evil prevention in each unit (the denominator of "30% of provincial and 20% of commune staff
trained", seed 002; "100% of staff trained", seed 003).

A course is counted in people-attendances ("lượt người"), never by name: its participant groups say how many
people came from which agency, and how many of them are programme staff. The course keeps the totals of its groups
(`participants_total`, `programme_staff_total`, written by services.training_save) so lists and aggregates need no
join.

Dates: a course may be recorded before it is held (a planned course, start date in the future); figures count
only courses whose start date is not after today (services.held_trainings).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class TrainingLevel(models.TextChoices):
    """The two tiers of local government since 1/7/2025. Pre-2025 district units count with the communes, as
    seed 002's target does ("20% cán bộ cấp huyện, cấp xã")."""

    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


def level_for(unit_level: int) -> str:
    """The programme level of an administrative level: the province (and, above it, the nation) or the commune
    (including pre-2025 districts and, below the commune, residential groups)."""
    from lanhmanh.geo.models import AdminUnit

    return TrainingLevel.PROVINCE if unit_level <= AdminUnit.Level.PROVINCE else TrainingLevel.COMMUNE


def level_of_unit(unit) -> str:
    return level_for(unit.level)


def _recordable_unit_levels():
    from lanhmanh.geo.models import AdminUnit

    return (AdminUnit.Level.PROVINCE, AdminUnit.Level.DISTRICT, AdminUnit.Level.COMMUNE)


class TrainingQuerySet(ScopedQuerySet):
    def held_by(self, day: datetime.date):
        """Courses that had started by `day` (a course with a future start date is only planned)."""
        return self.filter(starts_on__lte=day)

    def started_between(self, start: datetime.date, end: datetime.date):
        return self.filter(starts_on__gte=start, starts_on__lte=end)


class Training(UnitScoped):
    """A training or refresher course organised by a province or a commune for the programme."""

    title = models.CharField(_("tên lớp"), max_length=300)
    level = models.CharField(
        _("cấp tổ chức"),
        max_length=20,
        choices=TrainingLevel.choices,
        blank=True,
        help_text=_("Theo cấp của đơn vị tổ chức; để trống thì tự điền."),
    )
    starts_on = models.DateField(_("ngày bắt đầu"), db_index=True)
    ends_on = models.DateField(
        _("ngày kết thúc"), help_text=_("Lớp một ngày thì để trống hoặc ghi như ngày bắt đầu."), null=True, blank=True
    )
    organiser = models.ForeignKey(
        "geo.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan tổ chức"),
        help_text=_("Cơ quan của đơn vị hoặc cấp trên."),
    )
    venue = models.CharField(_("địa điểm"), max_length=300, blank=True)
    summary = models.TextField(_("nội dung"), blank=True)
    materials_count = models.PositiveIntegerField(
        _("số tài liệu phát"),
        null=True,
        blank=True,
        help_text=_("Số bộ tài liệu phát cho người tham dự, nếu có."),
    )
    # Totals of the participant groups, written by services.training_save with the groups (never typed in: no
    # form or serializer offers them). Editable in Django's sense so the change history shows them.
    participants_total = models.PositiveIntegerField(_("số lượt người tham dự"), default=0)
    programme_staff_total = models.PositiveIntegerField(
        _("trong đó, cán bộ làm công tác phòng, chống tệ nạn xã hội"),
        default=0,
    )

    objects = TrainingQuerySet.as_manager()

    class Meta:
        verbose_name = _("lớp tập huấn, bồi dưỡng")
        verbose_name_plural = _("các lớp tập huấn, bồi dưỡng")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")), name="training_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(programme_staff_total__lte=F("participants_total")),
                name="training_staff_within_participants",
            ),
        ]

    def __str__(self):
        return _("%(title)s (%(date)s)") % {"title": self.title, "date": _dmy(self.starts_on)}

    def save(self, *args, **kwargs):
        # clean() fills the level; records written without it (bulk demo data, scripts) get it here too.
        if not self.level and self.unit_id:
            self.level = level_of_unit(self.unit)
        super().save(*args, **kwargs)

    @property
    def is_held(self) -> bool:
        return bool(self.starts_on) and self.starts_on <= timezone.localdate()

    @property
    def last_day(self):
        return self.ends_on or self.starts_on

    def clean(self):
        errors = {}
        if self.unit_id:
            if self.unit.level not in _recordable_unit_levels():
                errors["unit"] = _("Lớp tập huấn thuộc một tỉnh, thành phố hoặc một xã, phường.")
            else:
                expected = level_of_unit(self.unit)
                if not self.level:
                    self.level = expected
                elif self.level != expected:
                    errors["level"] = _("%(unit)s là đơn vị %(level)s.") % {
                        "unit": self.unit,
                        "level": TrainingLevel(expected).label.lower(),
                    }
            if self.organiser_id and not self.unit.path.startswith(self.organiser.unit.path):
                errors["organiser"] = _("Cơ quan tổ chức phải thuộc đơn vị này hoặc cấp trên.")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("Ngày kết thúc không thể trước ngày bắt đầu (%(date)s).") % {
                "date": _dmy(self.starts_on)
            }
        if errors:
            raise ValidationError(errors)


class TrainingParticipantGroupQuerySet(ScopedQuerySet):
    # A group is seen with its course.
    unit_path_lookup = "training__unit__path"


class TrainingParticipantGroup(models.Model):
    """How many people from one agency attended a course, and how many of them are programme staff (officials
    responsible for social-evil prevention). The agency comes from the register; when it is not there, its name
    is typed. `participant_unit` is where the participants work (the agency's unit, or for a typed name the unit
    chosen, by default the course's): the staff-trained figures count people there, not where the course was held.
    """

    training = models.ForeignKey(
        Training,
        models.CASCADE,
        related_name="participant_groups",
        verbose_name=_("lớp tập huấn"),
    )
    agency = models.ForeignKey(
        "geo.Agency",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cơ quan, đơn vị"),
    )
    agency_name = models.CharField(
        _("tên cơ quan (nếu không có trong danh mục)"),
        max_length=255,
        blank=True,
        help_text=_("Để trống cả hai nếu không phân theo cơ quan."),
    )
    participant_unit = models.ForeignKey(
        "geo.AdminUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đơn vị của người tham dự"),
        help_text=_(
            "Tự lấy theo cơ quan; nếu ghi tên cơ quan ngoài danh mục thì chọn đơn vị (mặc định là đơn vị tổ chức lớp)."
        ),
    )
    participants = models.PositiveIntegerField(_("số lượt người tham dự"))
    programme_staff = models.PositiveIntegerField(
        _("trong đó, cán bộ làm công tác phòng, chống tệ nạn xã hội"),
        default=0,
    )

    objects = TrainingParticipantGroupQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhóm người tham dự")
        verbose_name_plural = _("người tham dự theo cơ quan")
        ordering = ["training", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(programme_staff__lte=F("participants")), name="training_group_staff_within_participants"
            ),
        ]
        indexes = [models.Index(fields=["participant_unit", "training"], name="training_group_unit")]

    def __str__(self):
        return _("%(agency)s: %(count)s lượt người") % {"agency": self.agency_label, "count": self.participants}

    @property
    def agency_label(self) -> str:
        if self.agency_id:
            return str(self.agency)
        return self.agency_name or str(_("Không phân theo cơ quan"))

    @property
    def level(self) -> str | None:
        return level_of_unit(self.participant_unit) if self.participant_unit_id else None

    def _training_unit(self):
        # The course may not be saved yet (a new course with its groups): read the related object, not its id.
        try:
            training = self.training
        except Training.DoesNotExist:
            return None
        return training.unit if training.unit_id else None

    def clean(self):
        """Fills `participant_unit` from the agency (or the course) and checks it lies in the course's unit."""
        errors = {}
        self.agency_name = (self.agency_name or "").strip()
        if self.agency_id:
            if self.agency_name:
                errors["agency_name"] = _("Đã chọn cơ quan trong danh mục thì không ghi tên khác.")
            self.participant_unit = self.agency.unit
        training_unit = self._training_unit()
        if not self.agency_id and not self.participant_unit_id and training_unit is not None:
            self.participant_unit = training_unit
        if training_unit is not None and self.participant_unit_id:
            if not self.participant_unit.path.startswith(training_unit.path):
                field = "agency" if self.agency_id else "participant_unit"
                errors[field] = _("Người tham dự phải thuộc %(unit)s hoặc đơn vị trực thuộc.") % {"unit": training_unit}
        if self.participants is not None and (self.programme_staff or 0) > self.participants:
            errors["programme_staff"] = _(
                "Số cán bộ làm công tác phòng, chống tệ nạn xã hội không thể lớn hơn số người tham dự."
            )
        if errors:
            raise ValidationError(errors)


class StaffCountQuerySet(ScopedQuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)


class StaffCount(UnitScoped):
    """How many officials are responsible for social-evil prevention in a unit in a year: the denominator of the
    staff-trained targets. A province records its provincial staff, a commune its own; a unit with no record is
    reported as "no data"."""

    year = models.PositiveSmallIntegerField(_("năm"))
    staff = models.PositiveIntegerField(
        _("số cán bộ"),
        help_text=_("Số cán bộ, công chức được giao làm công tác phòng, chống tệ nạn xã hội."),
    )
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)

    objects = StaffCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("số cán bộ làm công tác phòng, chống tệ nạn xã hội")
        verbose_name_plural = _("số cán bộ làm công tác phòng, chống tệ nạn xã hội")
        ordering = ["-year", "unit__path"]
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="training_staffcount_unit_year")]

    def __str__(self):
        return _("%(unit)s năm %(year)s: %(staff)s cán bộ") % {
            "unit": self.unit,
            "year": self.year,
            "staff": self.staff,
        }

    def clean(self):
        errors = {}
        if self.unit_id and self.unit.level not in _recordable_unit_levels():
            errors["unit"] = _("Số cán bộ được ghi cho một tỉnh, thành phố hoặc một xã, phường.")
        if self.year is not None and not 2000 <= self.year <= timezone.localdate().year + 1:
            errors["year"] = _("Năm phải từ 2000 đến %(max)s.") % {"max": timezone.localdate().year + 1}
        if self.unit_id and self.year and "year" not in errors:
            same = StaffCount.objects.filter(unit_id=self.unit_id, year=self.year).exclude(pk=self.pk)
            if same.exists():
                errors["year"] = _("Đã có số cán bộ của %(unit)s năm %(year)s.") % {
                    "unit": self.unit,
                    "year": self.year,
                }
        if errors:
            raise ValidationError(errors)
