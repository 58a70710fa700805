"""Kế hoạch: a unit's yearly plan with its targets (chỉ tiêu), each bound to an indicator, and its tasks (nhiệm vụ)
with lead and cooperating agencies, deadlines or a recurrence, and progress updates."""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet, path_q, permission_name, scope_paths


class PlanQuerySet(ScopedQuerySet):
    def issued(self):
        return self.filter(status=Plan.Status.ISSUED)

    def visible_to(self, user, action: str = "view"):
        """Besides the plans of their subtree, a user reads the issued plans of the units above: a commune starts
        its plan from the province's (seed 003 cites the city's documents). Drafts above stay private."""
        own = super().visible_to(user, action)
        if action != "view":
            return own
        paths = scope_paths(user, permission_name(self.model, "view"))
        if not paths:
            return own
        above = {path[: i + 1] for path in paths for i, char in enumerate(path[:-1]) if char == "/"}
        if not above:
            return own
        return self.filter(path_q("unit__path", paths) | models.Q(status=Plan.Status.ISSUED, unit__path__in=above))


class TakesParentUnit:
    """A record that lives under another (a target under its plan, an update under its task) belongs to that
    record's unit, whoever writes it: the unit is never typed."""

    def _take_parent_unit(self):
        if getattr(self, f"{self.unit_from}_id", None):
            self.unit_id = getattr(self, self.unit_from).unit_id

    def clean_fields(self, exclude=None):
        self._take_parent_unit()
        super().clean_fields(exclude=exclude)

    def save(self, *args, **kwargs):
        self._take_parent_unit()
        super().save(*args, **kwargs)


class Plan(UnitScoped):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    year = models.PositiveSmallIntegerField(_("năm kế hoạch"))
    number = models.CharField(_("số"), max_length=20, blank=True)
    symbol = models.CharField(_("ký hiệu"), max_length=40, default="KH-UBND", help_text=_("Ví dụ: KH-UBND."))
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    issuing_body = models.CharField(_("cơ quan ban hành"), max_length=200, blank=True,
                                    help_text=_("Ví dụ: Ủy ban nhân dân phường Thanh Xá."))
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True,
                                    help_text=_("Ví dụ: KT. CHỦ TỊCH / PHÓ CHỦ TỊCH."))
    legal_bases = models.TextField(_("căn cứ"), blank=True, help_text=_("Mỗi căn cứ một dòng."))
    parent_plans = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="child_plans",
                                          verbose_name=_("kế hoạch cấp trên"))
    objectives = models.TextField(_("mục đích, yêu cầu"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.DRAFT)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["-year", "unit__path", "-issued_on", "pk"]
        permissions = [("approve_plan", _("Ban hành kế hoạch"))]

    def __str__(self):
        return f"{self.reference} · {self.title}" if self.number else self.title

    @property
    def reference(self) -> str:
        """"35/KH-UBND" as the plan is cited."""
        return f"{self.number}/{self.symbol}" if self.number else self.symbol

    @property
    def legal_basis_list(self) -> list[str]:
        return [line.strip() for line in self.legal_bases.splitlines() if line.strip()]

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    def period(self):
        from lanhmanh.indicators import periods

        return periods.year(self.year)

    def clean(self):
        errors = {}
        if self.year and not 2000 <= self.year <= timezone.localdate().year + 1:
            errors["year"] = _("Năm kế hoạch không hợp lệ.")
        if self.issued_on and self.issued_on > timezone.localdate():
            errors["issued_on"] = _("Ngày ban hành không thể sau hôm nay.")
        if self.status == self.Status.ISSUED and not (self.number and self.issued_on):
            errors["number"] = _("Kế hoạch đã ban hành phải có số và ngày ban hành.")
        if errors:
            raise ValidationError(errors)


class PlanSection(TakesParentUnit, UnitScoped):
    """A section of free text (e.g. "Tổ chức thực hiện", "Kinh phí")."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="sections", verbose_name=_("kế hoạch"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    heading = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)

    unit_from = "plan"

    class Meta:
        verbose_name = _("mục của kế hoạch")
        verbose_name_plural = _("mục của kế hoạch")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.heading


def format_number(value) -> str:
    """20 → "20", 1500000 → "1.500.000", 2.5 → "2,5": numbers as Vietnamese documents write them."""
    if value is None:
        return ""
    # Through str: Decimal(87.8) is the binary float 87.799999999999997157…, str(87.8) is "87.8".
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    whole = int(value)
    text = f"{abs(whole):,}".replace(",", ".")
    fraction = abs(value - whole)
    if fraction:
        text += "," + f"{fraction:f}".split(".")[1].rstrip("0")
    return f"-{text}" if value < 0 else text


class Comparison(models.TextChoices):
    GTE = "gte", "≥"
    LTE = "lte", "≤"
    EQ = "eq", "="


class TargetKind(models.TextChoices):
    VALUE = "value", _("Giá trị (tỷ lệ % hoặc số lượng)")
    CHANGE = "change", _("Tăng, giảm so với cùng kỳ năm trước (%)")


class Target(TakesParentUnit, UnitScoped):
    """Chỉ tiêu. With an indicator, it is measured by the engine; without one (e.g. "no prolonged hotspots"), it is
    a qualitative target the unit assesses itself."""

    class Assessment(models.TextChoices):
        NONE = "", _("Chưa đánh giá")
        ACHIEVED = "achieved", _("Đạt")
        NOT_ACHIEVED = "not_achieved", _("Không đạt")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="targets", verbose_name=_("kế hoạch"))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    text = models.CharField(_("nội dung chỉ tiêu"), max_length=500,
                            help_text=_("Như trong văn bản, ví dụ: “Kiểm tra ít nhất 60% cơ sở kinh doanh dịch vụ”."))
    indicator = models.CharField(_("chỉ số đo lường"), max_length=40, blank=True)
    comparison = models.CharField(_("so sánh"), max_length=3, choices=Comparison.choices, default=Comparison.GTE)
    kind = models.CharField(_("loại chỉ tiêu"), max_length=10, choices=TargetKind.choices, default=TargetKind.VALUE)
    value = models.DecimalField(_("giá trị chỉ tiêu"), max_digits=16, decimal_places=2, null=True, blank=True)
    period_start = models.DateField(_("từ ngày"), null=True, blank=True)
    period_end = models.DateField(_("đến ngày"), null=True, blank=True)
    upper_target = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="localised",
                                     verbose_name=_("chỉ tiêu cấp trên"))
    assessment = models.CharField(_("tự đánh giá"), max_length=15, choices=Assessment.choices, blank=True)

    unit_from = "plan"

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["plan", "order", "pk"]

    def __str__(self):
        return self.text

    @property
    def indicator_def(self):
        from lanhmanh.indicators.registry import registry

        return registry.indicators.get(self.indicator) if self.indicator else None

    @property
    def goal_display(self) -> str:
        """"≥ 60%", "= 100%", "≥ +3% so với cùng kỳ năm trước", "≥ 12": the value the target asks for."""
        from lanhmanh.indicators.registry import PERCENT, VND

        if self.value is None:
            return ""
        number = format_number(self.value)
        if self.kind == TargetKind.CHANGE:
            sign = "+" if self.value > 0 else ""
            return _("%(comparison)s %(sign)s%(value)s%% so với cùng kỳ năm trước") % {
                "comparison": self.get_comparison_display(), "sign": sign, "value": number}
        definition = self.indicator_def
        suffix = "%" if definition is not None and definition.measure == PERCENT else ""
        if definition is not None and definition.measure == VND:
            suffix = " " + str(_("đồng"))
        return f"{self.get_comparison_display()} {number}{suffix}"

    def period(self):
        from lanhmanh.indicators import periods

        year = periods.year(self.plan.year)
        return periods.Period(self.period_start or year.start, self.period_end or year.end, year.label)

    def clean(self):
        from lanhmanh.indicators.registry import PERCENT, registry

        errors = {}
        if self.indicator:
            definition = registry.indicators.get(self.indicator)
            if definition is None:
                errors["indicator"] = _("Chỉ số không có trong danh mục.")
            elif self.value is None:
                errors["value"] = _("Chỉ tiêu đo bằng chỉ số phải có giá trị.")
            elif (self.kind == TargetKind.VALUE and definition.measure == PERCENT
                  and not 0 <= self.value <= 100):
                errors["value"] = _("Tỷ lệ phải từ 0 đến 100%.")
            elif self.kind == TargetKind.VALUE and self.value < 0:
                errors["value"] = _("Giá trị không được âm.")
        elif self.kind == TargetKind.CHANGE:
            errors["kind"] = _("Chỉ tiêu so với cùng kỳ phải gắn với một chỉ số.")
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
        if self.assessment and self.indicator:
            errors["assessment"] = _("Chỉ tiêu đo bằng chỉ số được đánh giá tự động.")
        if errors:
            raise ValidationError(errors)


class TaskGroup(models.TextChoices):
    DIRECTION = "direction", _("Lãnh đạo, chỉ đạo, xây dựng kế hoạch")
    COMMUNICATION = "communication", _("Tuyên truyền, giáo dục")
    INTEGRATED = "integrated", _("Lồng ghép phòng ngừa trong các chương trình")
    INSPECTION = "inspection", _("Kiểm tra, xử lý vi phạm")
    SUPPRESSION = "suppression", _("Đấu tranh, triệt phá tội phạm")
    SUPPORT = "support", _("Hỗ trợ, giảm hại, xây dựng mô hình")
    BUDGET = "budget", _("Kinh phí thực hiện")


class Recurrence(models.TextChoices):
    NONE = "", _("Không lặp lại")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã hoàn thành")
    CANCELLED = "cancelled", _("Không thực hiện")


class TaskQuerySet(ScopedQuerySet):
    def open(self):
        return self.exclude(status__in=(TaskStatus.DONE, TaskStatus.CANCELLED))

    def assigned_to(self, agencies):
        """Tasks an agency leads or cooperates in (without duplicates, and without DISTINCT)."""
        cooperating = Task.cooperating_agencies.through.objects.filter(agency__in=agencies).values("task_id")
        return self.filter(models.Q(lead_agency__in=agencies) | models.Q(pk__in=cooperating))

    def visible_to(self, user, action: str = "view"):
        """Besides the tasks of their subtree, a user who works for an agency reads the tasks of an upper unit's
        issued plan that the agency leads or cooperates in (a city task assigned to a ward's police): in the lists,
        on the task's page and in the API, read-only — changing the task stays with the plan's unit. Whether the
        lead agency may report progress on it is `reportable_by`."""
        if action != "view":
            return super().visible_to(user, action)
        return self._own_or(user, permission_name(self.model, "view"), lead_only=False)

    def reportable_by(self, user):
        """Tasks `user` may report progress on: those of their subtree (the task update's add permission), and the
        tasks of an upper unit's issued plan led by an agency the user works for with that permission in their
        own unit. A report sets the task's progress and status, which the lead agency answers for; cooperating
        agencies read the task and send their results to the lead agency, they do not report on it."""
        return self._own_or(user, permission_name(TaskUpdate, "add"), lead_only=True)

    def _own_or(self, user, perm: str, *, lead_only: bool):
        paths = scope_paths(user, perm)
        agencies = agencies_of(user, perm)
        if paths is None or agencies is None:
            return self.within(paths)
        tasks = Task.objects.filter(plan__status=Plan.Status.ISSUED)
        tasks = tasks.filter(lead_agency__in=agencies) if lead_only else tasks.assigned_to(agencies)
        return self.filter(path_q(self.unit_path_lookup, paths) | models.Q(pk__in=tasks.values("pk")))


def agencies_of(user, perm: str):
    """A subquery of the agencies `user` works for through an active membership whose role grants `perm`; None
    when there are none (no query: the memberships are those cached for scoping)."""
    from lanhmanh.accounts.models import Membership
    from lanhmanh.accounts.roles import role_grants

    if user is None or not user.is_authenticated or not user.is_active or user.is_superuser:
        return None
    roles = sorted({role for role, _path in user.scope_memberships() if role_grants(role, perm)})
    if not roles:
        return None
    return Membership.objects.filter(user=user, is_active=True, role__in=roles,
                                     agency__isnull=False).values("agency_id")


class Task(TakesParentUnit, UnitScoped):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="tasks", verbose_name=_("kế hoạch"))
    group = models.CharField(_("nhóm nhiệm vụ"), max_length=20, choices=TaskGroup.choices)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    title = models.CharField(_("nhiệm vụ"), max_length=500)
    description = models.TextField(_("nội dung"), blank=True)
    lead_agency = models.ForeignKey("geo.Agency", models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("cơ quan chủ trì"))
    cooperating_agencies = models.ManyToManyField("geo.Agency", blank=True, related_name="+",
                                                  verbose_name=_("cơ quan phối hợp"))
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    recurrence = models.CharField(_("định kỳ"), max_length=10, choices=Recurrence.choices, blank=True)
    status = models.CharField(_("tình trạng"), max_length=15, choices=TaskStatus.choices,
                              default=TaskStatus.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    upper_task = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="localised",
                                   verbose_name=_("nhiệm vụ cấp trên"))

    objects = TaskQuerySet.as_manager()
    unit_from = "plan"

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "group", "order", "pk"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status not in (TaskStatus.DONE, TaskStatus.CANCELLED)

    @property
    def schedule_display(self) -> str:
        """"30/06/2026", "Hằng quý" or "" (throughout the year)."""
        if self.recurrence:
            return str(self.get_recurrence_display())
        return self.deadline.strftime("%d/%m/%Y") if self.deadline else ""

    def next_due(self, today: datetime.date) -> datetime.date | None:
        """The deadline, or for a recurring task the end of the current month or quarter (within the plan year)."""
        if not self.recurrence:
            return self.deadline
        from lanhmanh.indicators import periods

        if self.recurrence == Recurrence.MONTHLY:
            return periods.month(today.year, today.month).end
        return periods.quarter(today.year, (today.month - 1) // 3 + 1).end

    def is_overdue(self, today: datetime.date, last_update: datetime.date | None = None) -> bool:
        """A task past its deadline and not finished; a recurring one with no update in the previous month or
        quarter (after the plan year began)."""
        if not self.is_open:
            return False
        if not self.recurrence:
            return self.deadline is not None and self.deadline < today
        from lanhmanh.indicators import periods

        if self.recurrence == Recurrence.MONTHLY:
            index = today.year * 12 + today.month - 2  # the month before today's
            previous = periods.month(index // 12, index % 12 + 1)
        else:
            number = (today.month - 1) // 3 + 1
            previous = periods.quarter(today.year - (number == 1), 4 if number == 1 else number - 1)
        if previous.start.year != self.plan.year:
            return False
        return last_update is None or last_update < previous.start

    def clean(self):
        errors = {}
        if self.progress is not None and self.progress > 100:
            errors["progress"] = _("Tiến độ không quá 100%.")
        if self.deadline and self.recurrence:
            errors["recurrence"] = _("Nhiệm vụ định kỳ không có thời hạn cố định; hãy bỏ thời hạn hoặc định kỳ.")
        if self.lead_agency_id and self.plan_id and not related_units(self.lead_agency.unit, self.plan.unit):
            errors["lead_agency"] = _("Cơ quan chủ trì phải thuộc đơn vị của kế hoạch, cấp trên hoặc cấp dưới của đơn "
                                      "vị đó.")
        if errors:
            raise ValidationError(errors)


def related_units(unit, other) -> bool:
    """One unit lies in the other's subtree (or they are the same)."""
    return unit.path.startswith(other.path) or other.path.startswith(unit.path)


def evidence_upload_to(instance, filename):
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/plans/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class TaskUpdateQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = "view"):
        """The reports on the tasks a user reads (Task.visible_to: with those assigned to their agency by an upper
        unit, whose reports and evidence the task's page shows)."""
        if action != "view":
            return super().visible_to(user, action)
        paths = scope_paths(user, permission_name(self.model, "view"))
        if paths is None or agencies_of(user, permission_name(self.model, "view")) is None:
            return self.within(paths)
        tasks = Task.objects.visible_to(user).values("pk")
        return self.filter(path_q(self.unit_path_lookup, paths) | models.Q(task__in=tasks))


class TaskUpdate(TakesParentUnit, UnitScoped):
    """Báo cáo tiến độ: what was done, with evidence (minutes, photos, a document)."""

    task = models.ForeignKey(Task, models.CASCADE, related_name="updates", verbose_name=_("nhiệm vụ"))
    on = models.DateField(_("ngày"), default=timezone.localdate)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"))
    status = models.CharField(_("tình trạng"), max_length=15, choices=TaskStatus.choices)
    note = models.TextField(_("kết quả thực hiện"))
    evidence = models.FileField(_("minh chứng"), upload_to=evidence_upload_to, blank=True)

    objects = TaskUpdateQuerySet.as_manager()
    unit_from = "task"

    class Meta:
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")
        ordering = ["-on", "-pk"]

    def __str__(self):
        return _("Cập nhật ngày %(date)s") % {"date": self.on.strftime("%d/%m/%Y")}

    def clean(self):
        errors = {}
        if self.on and self.on > timezone.localdate():
            errors["on"] = _("Ngày không thể sau hôm nay.")
        if self.progress is not None and self.progress > 100:
            errors["progress"] = _("Tiến độ không quá 100%.")
        if errors:
            raise ValidationError(errors)
