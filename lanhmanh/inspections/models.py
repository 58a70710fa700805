"""Inter-agency inspections (Đội kiểm tra liên ngành 178): teams and their members, yearly or quarterly
inspection plans, sessions (buổi kiểm tra) and the business visits (lượt cơ sở) made in them, with what was
found, the sanction and suspension that followed, and the follow-up visit.

A visit belongs to the commune of the business visited, so the commune sees every visit to its businesses,
whichever team made it; a session and a team belong to the team's own unit (province or commune).
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import ScopedQuerySet


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class ViolationTypeQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(Q(valid_from__lte=day), Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class ViolationType(models.Model):
    """Catalogue of violations found at inspections, kept as data (migration 0002): the sanctions decree in
    force changes (Nghị định 167/2013 was replaced by 144/2021), so each entry carries its legal reference and
    the dates it applies. An entry that is no longer valid cannot be chosen for a new visit, but visits that
    recorded it keep showing it."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("hành vi vi phạm"), max_length=300)
    legal_reference = models.CharField(_("căn cứ pháp lý"), max_length=300)
    valid_from = models.DateField(_("áp dụng từ ngày"))
    valid_until = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    # Directly about prostitution (harbouring, brokering), as opposed to a licensing or residence breach:
    # weighs more in the suggested risk level.
    prostitution_related = models.BooleanField(_("liên quan trực tiếp đến mại dâm"), default=False)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    objects = ViolationTypeQuerySet.as_manager()

    class Meta:
        verbose_name = _("hành vi vi phạm")
        verbose_name_plural = _("danh mục hành vi vi phạm")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return f"{self.name} ({self.legal_reference})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


class TeamLevel(models.IntegerChoices):
    PROVINCE = 1, _("Cấp tỉnh")
    DISTRICT = 2, _("Cấp huyện (trước 1/7/2025)")
    COMMUNE = 3, _("Cấp xã")


class Team(UnitScoped):
    """Đội kiểm tra liên ngành: established by a decision of the unit's People's Committee; inspects the
    businesses of its unit's area (the whole province for a province team)."""

    name = models.CharField(_("tên đội"), max_length=255)
    decision_number = models.CharField(_("số quyết định thành lập"), max_length=50)
    decision_date = models.DateField(_("ngày quyết định"))
    decision_signer = models.CharField(_("người ký quyết định"), max_length=200, blank=True)
    dissolved_on = models.DateField(_("giải thể, hết nhiệm vụ từ ngày"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("đội kiểm tra liên ngành")
        verbose_name_plural = _("các đội kiểm tra liên ngành")
        ordering = ["unit__path", "name"]

    def __str__(self):
        return self.name

    def is_active_on(self, day) -> bool:
        return self.decision_date <= day and (self.dissolved_on is None or day < self.dissolved_on)

    def covers(self, unit) -> bool:
        """Is `unit` in this team's area?"""
        return unit.path.startswith(self.unit.path)

    def clean(self):
        errors = {}
        if self.unit_id and self.unit.level not in TeamLevel.values:
            errors["unit"] = _("Đội kiểm tra liên ngành được thành lập ở cấp tỉnh hoặc cấp xã.")
        today = timezone.localdate()
        if self.decision_date and self.decision_date > today:
            errors["decision_date"] = _("Ngày không thể sau hôm nay.")
        if self.decision_date and self.dissolved_on and self.dissolved_on <= self.decision_date:
            errors["dissolved_on"] = _("Ngày giải thể phải sau ngày quyết định thành lập.")
        if errors:
            raise ValidationError(errors)


class TeamMember(UnitScoped):
    """A member of a team: officials named in the establishing decision, by agency and role in the team.
    Officials' names and positions are public (they sign the minutes), so they are plain text."""

    class RoleInTeam(models.TextChoices):
        HEAD = "head", _("Đội trưởng")
        DEPUTY = "deputy", _("Đội phó")
        MEMBER = "member", _("Thành viên")

    team = models.ForeignKey(Team, models.CASCADE, related_name="members", verbose_name=_("đội"))
    full_name = models.CharField(_("họ và tên"), max_length=200)
    agency = models.ForeignKey(
        "geo.Agency", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("cơ quan")
    )
    position = models.CharField(_("chức vụ"), max_length=200, blank=True)
    role_in_team = models.CharField(_("vai trò trong đội"), max_length=10, choices=RoleInTeam.choices,
                                    default=RoleInTeam.MEMBER)
    valid_from = models.DateField(_("tham gia từ ngày"))
    valid_until = models.DateField(_("tham gia đến ngày"), null=True, blank=True)

    unit_from = "team"

    class Meta:
        verbose_name = _("thành viên đội kiểm tra")
        verbose_name_plural = _("thành viên các đội kiểm tra")
        ordering = ["team", "role_in_team", "full_name"]

    def __str__(self):
        return f"{self.full_name} ({self.get_role_in_team_display()})"

    def save(self, *args, **kwargs):
        self.unit_id = self.team.unit_id
        super().save(*args, **kwargs)

    def clean(self):
        if self.team_id:
            self.unit_id = self.team.unit_id
        errors = {}
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            errors["valid_until"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
        if self.agency_id and self.team_id and not self.team.covers(self.agency.unit):
            errors["agency"] = _("Cơ quan này không thuộc địa bàn của đội.")
        if errors:
            raise ValidationError(errors)


class InspectionPlan(UnitScoped):
    """Kế hoạch kiểm tra: which businesses a unit plans to inspect in a year or quarter, proposed by risk
    (services.propose_plan) to reach a coverage target, adjusted by the officer and approved."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã phê duyệt")

    title = models.CharField(_("tên kế hoạch"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(
        _("quý"), null=True, blank=True, choices=[(q, _("Quý %(q)s") % {"q": q}) for q in range(1, 5)],
        help_text=_("Để trống nếu là kế hoạch cả năm."),
    )
    team = models.ForeignKey(Team, models.SET_NULL, null=True, blank=True, related_name="plans",
                             verbose_name=_("đội thực hiện"))
    coverage_target = models.PositiveSmallIntegerField(
        _("chỉ tiêu tỷ lệ cơ sở được kiểm tra (%)"), default=60,
        help_text=_("Ví dụ 60: kiểm tra ít nhất 60% số cơ sở thuộc diện quản lý."),
    )
    # Changed only by services.approve_plan / reopen_plan (forms and the API leave them out), but kept
    # editable so the change history shows the approval.
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("người phê duyệt"))
    approved_on = models.DateField(_("ngày phê duyệt"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("kế hoạch kiểm tra")
        verbose_name_plural = _("các kế hoạch kiểm tra")
        ordering = ["-year", "-quarter", "unit__path"]
        permissions = [("approve_inspectionplan", _("Phê duyệt kế hoạch kiểm tra"))]
        constraints = [
            models.CheckConstraint(condition=Q(coverage_target__gte=1, coverage_target__lte=100),
                                   name="inspections_plan_target_percent"),
        ]

    def __str__(self):
        return self.title

    @property
    def period(self) -> tuple[datetime.date, datetime.date]:
        if self.quarter:
            start = datetime.date(self.year, 3 * self.quarter - 2, 1)
            end_month = 3 * self.quarter
            end = (datetime.date(self.year + (end_month == 12), end_month % 12 + 1, 1) - datetime.timedelta(days=1))
            return start, end
        return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)

    @property
    def period_label(self) -> str:
        start, end = self.period
        return f"{_dmy(start)} – {_dmy(end)}"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    def clean(self):
        errors = {}
        if self.coverage_target is not None and not 1 <= self.coverage_target <= 100:
            errors["coverage_target"] = _("Chỉ tiêu phải từ 1 đến 100%.")
        if self.year and not 2000 <= self.year <= timezone.localdate().year + 1:
            errors["year"] = _("Năm kế hoạch không hợp lệ.")
        if self.pk and self.unit_id and self.items.exclude(business__unit__path__startswith=self.unit.path).exists():
            errors["unit"] = _("Kế hoạch đã có cơ sở ngoài địa bàn này. Hãy bỏ các cơ sở đó trước khi đổi đơn vị.")
        if self.team_id and self.unit_id and not (self.team.covers(self.unit) or self.unit.path.startswith(
                self.team.unit.path) or self.team.unit.path.startswith(self.unit.path)):
            errors["team"] = _("Đội này không kiểm tra trên địa bàn của kế hoạch.")
        if errors:
            raise ValidationError(errors)


class PlannedBusiness(models.Model):
    """A business on an inspection plan, with the rank and reasons the proposal gave it."""

    plan = models.ForeignKey(InspectionPlan, models.CASCADE, related_name="items", verbose_name=_("kế hoạch"))
    business = models.ForeignKey("businesses.Business", models.CASCADE, related_name="+",
                                 verbose_name=_("cơ sở kinh doanh"))
    rank = models.PositiveIntegerField(_("thứ tự ưu tiên"), default=0)
    score = models.PositiveSmallIntegerField(_("điểm ưu tiên"), default=0)
    reasons = models.TextField(_("lý do"), blank=True)
    added_by_hand = models.BooleanField(_("do cán bộ thêm"), default=False)

    class Meta:
        verbose_name = _("cơ sở trong kế hoạch kiểm tra")
        verbose_name_plural = _("cơ sở trong kế hoạch kiểm tra")
        ordering = ["plan", "rank"]
        constraints = [models.UniqueConstraint(fields=["plan", "business"], name="inspections_plan_business_once")]

    def __str__(self):
        return f"{self.plan} · {self.business}"


class SessionKind(models.TextChoices):
    PLANNED = "planned", _("Theo kế hoạch")
    SURPRISE = "surprise", _("Đột xuất")
    JOINT_POLICE = "joint_police", _("Phối hợp với công an")
    FOLLOW_UP = "follow_up", _("Kiểm tra lại")


class InspectionSession(UnitScoped):
    """Buổi kiểm tra: one outing of a team, on one day, visiting one or more businesses."""

    team = models.ForeignKey(Team, models.PROTECT, related_name="sessions", verbose_name=_("đội kiểm tra"))
    date = models.DateField(_("ngày kiểm tra"), default=timezone.localdate)
    kind = models.CharField(_("hình thức"), max_length=20, choices=SessionKind.choices, default=SessionKind.PLANNED)
    plan = models.ForeignKey(InspectionPlan, models.SET_NULL, null=True, blank=True, related_name="sessions",
                             verbose_name=_("thực hiện kế hoạch"))
    decision_number = models.CharField(_("số quyết định, kế hoạch kiểm tra"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    unit_from = "team"

    class Meta:
        verbose_name = _("buổi kiểm tra")
        verbose_name_plural = _("các buổi kiểm tra")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["date"], name="inspections_session_date")]

    def __str__(self):
        return _("Buổi kiểm tra ngày %(date)s · %(team)s") % {"date": _dmy(self.date), "team": self.team}

    def _check_visits_on_new_date(self, errors):
        stored = InspectionSession.objects.filter(pk=self.pk).values_list("date", flat=True).first()
        if stored is None or stored == self.date:
            return
        problems = _visit_date_problems(self)
        if problems:
            errors["date"] = [_("Đổi ngày thì các lượt kiểm tra không còn hợp lệ:")] + problems

    def save(self, *args, **kwargs):
        self.unit_id = self.team.unit_id
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Visits keep the session's date, so period figures need no join.
            self.visits.exclude(visited_on=self.date).update(visited_on=self.date)

    def clean(self):
        if self.team_id:
            self.unit_id = self.team.unit_id
        errors = {}
        today = timezone.localdate()
        if self.date and self.date > today:
            errors["date"] = _("Ngày kiểm tra không thể sau hôm nay.")
        elif self.date and self.team_id and not self.team.is_active_on(self.date):
            errors["team"] = _("Ngày %(date)s đội chưa được thành lập hoặc đã giải thể.") % {"date": _dmy(self.date)}
        if self.pk and self.team_id and "team" not in errors:
            outside = self.visits.exclude(unit__path__startswith=self.team.unit.path)
            if outside.exists():
                errors["team"] = _("Buổi kiểm tra đã có lượt kiểm tra cơ sở nằm ngoài địa bàn của đội này.")
        if self.pk and self.date and "date" not in errors:
            self._check_visits_on_new_date(errors)
        if self.plan_id and self.team_id and not (self.plan.unit.path.startswith(self.team.unit.path)
                                                  or self.team.unit.path.startswith(self.plan.unit.path)):
            errors["plan"] = _("Kế hoạch này không thuộc địa bàn của đội.")
        if self.decision_date and self.date and self.decision_date > self.date:
            errors["decision_date"] = _("Ngày quyết định phải trước hoặc bằng ngày kiểm tra.")
        if self.plan_id:
            start, end = self.plan.period
            if not self.plan.is_approved:
                errors["plan"] = _("Kế hoạch này chưa được phê duyệt.")
            elif self.date and not start <= self.date <= end:
                errors["plan"] = _("Ngày kiểm tra nằm ngoài kỳ của kế hoạch (%(period)s).") % {
                    "period": self.plan.period_label}
        if errors:
            raise ValidationError(errors)


def _visit_date_problems(session) -> list[str]:
    """What the session's visits would break if they took `session.date` (a changed date): the same rules
    as recording each visit on that day."""
    from lanhmanh.inspections.services import violation_errors

    problems = []
    visits = session.visits.select_related("business__unit", "follow_up_of").prefetch_related("violations")
    for visit in visits:
        visit.session = session
        messages = []
        try:
            visit.clean()
        except ValidationError as exc:
            messages += exc.messages
        messages += violation_errors(visit.outcome, visit.violations.all(), session.date)
        if visit.follow_ups.filter(visited_on__lte=session.date).exists():
            messages.append(_("Lượt kiểm tra lại phải sau lượt kiểm tra trước."))
        problems += [f"{visit.business}: {message}" for message in messages]
    return problems


def minutes_upload_to(instance, filename):
    # A random name: a business's name must never appear in a path or a log line.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"private/minutes/{timezone.now():%Y}/{uuid.uuid4().hex}.{extension}"


class VisitQuerySet(ScopedQuerySet):
    def between(self, start, end):
        return self.filter(visited_on__gte=start, visited_on__lte=end)

    def visited_between(self, start, end, business=None):
        """For Exists(): visits in [start, end] to the business of the outer query's row (its pk by default)."""
        return self.filter(business=business or models.OuterRef("pk"), visited_on__gte=start, visited_on__lte=end)

    def with_follow_up_state(self):
        """Annotates `followed_up`: a later visit names this one as the visit it follows up."""
        later = InspectionVisit.objects.filter(follow_up_of=models.OuterRef("pk"))
        return self.annotate(followed_up=models.Exists(later))

    def open_follow_ups(self):
        """Visits that asked for a follow-up not yet made."""
        return self.with_follow_up_state().filter(follow_up_due__isnull=False, followed_up=False)

    def overdue_follow_ups(self, today=None):
        return self.open_follow_ups().filter(follow_up_due__lt=today or timezone.localdate())


class InspectionVisit(UnitScoped):
    """Lượt cơ sở: the visit of one business in a session, and what came of it."""

    class Outcome(models.TextChoices):
        NO_VIOLATION = "no_violation", _("Không phát hiện vi phạm")
        REMINDER = "reminder", _("Lập biên bản nhắc nhở")
        VIOLATION = "violation", _("Phát hiện vi phạm")

    class SanctionStage(models.TextChoices):
        PROPOSED = "proposed", _("Đề nghị xử phạt")
        APPLIED = "applied", _("Đã ra quyết định xử phạt")

    class SuspensionReason(models.TextChoices):
        PROSTITUTION = "prostitution", _("Vi phạm về phòng, chống mại dâm")
        CONDITIONS = "conditions", _("Không bảo đảm điều kiện kinh doanh, an ninh trật tự")
        EPIDEMIC = "epidemic", _("Phòng, chống dịch bệnh")
        FIRE_SAFETY = "fire_safety", _("Phòng cháy, chữa cháy")
        OTHER = "other", _("Lý do khác")

    session = models.ForeignKey(InspectionSession, models.CASCADE, related_name="visits",
                                verbose_name=_("buổi kiểm tra"))
    business = models.ForeignKey("businesses.Business", models.PROTECT, related_name="inspection_visits",
                                 verbose_name=_("cơ sở kinh doanh"))
    visited_on = models.DateField(_("ngày kiểm tra"), editable=False, db_index=True)
    time = models.TimeField(_("giờ kiểm tra"), null=True, blank=True)
    attendees = models.CharField(_("thành phần làm việc"), max_length=500, blank=True,
                                 help_text=_("Thành viên đoàn và người đại diện cơ sở có mặt."))
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices, default=Outcome.NO_VIOLATION)
    violations = models.ManyToManyField(ViolationType, blank=True, related_name="visits",
                                        verbose_name=_("hành vi vi phạm"))
    findings = models.TextField(_("nội dung ghi nhận"), blank=True)
    fine_amount = models.PositiveBigIntegerField(_("số tiền phạt (đồng)"), null=True, blank=True)
    sanction_stage = models.CharField(_("xử phạt"), max_length=10, choices=SanctionStage.choices, blank=True)
    sanction_authority = models.CharField(_("người, cơ quan quyết định xử phạt"), max_length=200, blank=True)
    sanction_decision_number = models.CharField(_("số quyết định xử phạt"), max_length=50, blank=True)
    sanction_decision_date = models.DateField(_("ngày quyết định xử phạt"), null=True, blank=True)
    suspended_from = models.DateField(_("đình chỉ hoạt động từ ngày"), null=True, blank=True)
    suspended_until = models.DateField(_("đình chỉ đến ngày"), null=True, blank=True)
    suspension_reason = models.CharField(_("lý do đình chỉ"), max_length=20, choices=SuspensionReason.choices,
                                         blank=True)
    licence_withdrawn = models.BooleanField(_("tước, thu hồi giấy phép"), default=False)
    minutes_scan = models.FileField(_("bản chụp biên bản"), upload_to=minutes_upload_to, blank=True)
    follow_up_due = models.DateField(_("hạn kiểm tra lại"), null=True, blank=True)
    follow_up_of = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="follow_ups",
                                     verbose_name=_("kiểm tra lại cho lượt"))
    note = models.TextField(_("ghi chú"), blank=True)

    objects = VisitQuerySet.as_manager()
    unit_from = "business"

    class Meta:
        verbose_name = _("lượt kiểm tra cơ sở")
        verbose_name_plural = _("các lượt kiểm tra cơ sở")
        ordering = ["-visited_on", "-pk"]
        # For the indicators: "was this business visited in the period" is one index probe per business; a year's
        # visits by unit are read from the index alone.
        indexes = [
            models.Index(fields=["business", "visited_on"], name="inspections_visit_business_day"),
            models.Index(fields=["visited_on", "unit", "outcome", "sanction_stage", "fine_amount", "suspended_from"],
                         name="inspections_visit_figures"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(suspended_until__isnull=True) | Q(suspended_from__isnull=True)
                | Q(suspended_until__gte=models.F("suspended_from")),
                name="inspections_suspension_ends_after_start",
            ),
        ]

    def __str__(self):
        return _("%(business)s ngày %(date)s") % {"business": self.business, "date": _dmy(self.visited_on)}

    def save(self, *args, **kwargs):
        # The business's commune owns the visit; the session gives its date.
        self.unit_id = self.business.unit_id
        self.visited_on = self.session.date
        super().save(*args, **kwargs)

    def clean(self):
        if self.business_id:
            self.unit_id = self.business.unit_id
        errors = {}
        session = self.session if _has_session(self) else None
        day = session.date if session else None
        today = timezone.localdate()
        if session and self.business_id:
            team = session.team
            if not team.covers(self.business.unit):
                errors["business"] = _("Cơ sở %(business)s (%(unit)s) nằm ngoài địa bàn của %(team)s.") % {
                    "business": self.business, "unit": self.business.unit, "team": team}
            elif day and self.business.opened_on and day < self.business.opened_on:
                errors["business"] = _("Ngày kiểm tra %(date)s trước ngày cơ sở bắt đầu hoạt động (%(opened)s).") % {
                    "date": _dmy(day), "opened": _dmy(self.business.opened_on)}
        if day and day > today:
            errors["session"] = _("Ngày kiểm tra không thể sau hôm nay.")
        self._check_sanction(errors, day)
        self._check_follow_up(errors, day)
        if errors:
            raise ValidationError(errors)

    def _check_sanction(self, errors, day):
        if self.fine_amount is not None and self.fine_amount <= 0:
            errors["fine_amount"] = _("Số tiền phạt phải lớn hơn 0.")
        if self.fine_amount and not self.sanction_authority.strip():
            errors["sanction_authority"] = _("Có số tiền phạt thì phải ghi người, cơ quan quyết định xử phạt.")
        if (self.fine_amount or self.licence_withdrawn) and not self.sanction_stage:
            errors["sanction_stage"] = _("Hãy cho biết xử phạt mới được đề nghị hay đã có quyết định.")
        if self.sanction_stage == self.SanctionStage.APPLIED:
            if not self.sanction_decision_number.strip():
                errors["sanction_decision_number"] = _("Đã ra quyết định xử phạt thì phải ghi số quyết định.")
            if not self.sanction_decision_date:
                errors["sanction_decision_date"] = _("Đã ra quyết định xử phạt thì phải ghi ngày quyết định.")
        if self.sanction_decision_date and day and self.sanction_decision_date < day:
            errors["sanction_decision_date"] = _("Ngày quyết định xử phạt không thể trước ngày kiểm tra.")
        if self.sanction_decision_date and self.sanction_decision_date > timezone.localdate():
            errors["sanction_decision_date"] = _("Ngày không thể sau hôm nay.")
        if (self.fine_amount or self.licence_withdrawn) and self.outcome != self.Outcome.VIOLATION:
            errors["outcome"] = _("Có xử phạt thì kết quả kiểm tra phải là “Phát hiện vi phạm”.")
        if self.suspended_until and not self.suspended_from:
            errors["suspended_from"] = _("Hãy ghi ngày bắt đầu đình chỉ.")
        if self.suspended_from and self.suspended_until and self.suspended_until < self.suspended_from:
            errors["suspended_until"] = _("Ngày kết thúc đình chỉ không thể trước ngày bắt đầu.")
        if self.suspended_from and not self.suspension_reason:
            errors["suspension_reason"] = _("Hãy chọn lý do đình chỉ.")

    def _check_follow_up(self, errors, day):
        if self.follow_up_due and day and self.follow_up_due < day:
            errors["follow_up_due"] = _("Hạn kiểm tra lại phải sau ngày kiểm tra.")
        if self.follow_up_of_id:
            earlier = self.follow_up_of
            if self.business_id and earlier.business_id != self.business_id:
                errors["follow_up_of"] = _("Lượt kiểm tra lại phải là của cùng cơ sở.")
            elif day and earlier.visited_on >= day:
                errors["follow_up_of"] = _("Lượt kiểm tra lại phải sau lượt kiểm tra trước.")
            elif self.pk and earlier.pk == self.pk:
                errors["follow_up_of"] = _("Lượt kiểm tra không thể là kiểm tra lại của chính nó.")


def _has_session(visit) -> bool:
    try:
        return visit.session is not None
    except InspectionSession.DoesNotExist:
        return False


@receiver(post_delete, sender=InspectionVisit)
def _delete_minutes_file(sender, instance, **kwargs):
    # Data minimisation: a deleted visit leaves no scan behind on disk.
    if instance.minutes_scan:
        name, storage = instance.minutes_scan.name, instance.minutes_scan.storage
        transaction.on_commit(lambda: storage.delete(name))
