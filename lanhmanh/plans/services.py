"""Writes on plans that carry a rule: a lower unit's plan started from the upper unit's, issuing a plan, and a
progress update on a task. The web pages and the API call these, so each rule exists once.

A lower unit's plan inherits the upper plan's targets and tasks and then localises them (seed 003's ward inspects
at least 60% of its businesses where the province asked 20%, seed 002): each copied target keeps `upper_target`,
each copied task `upper_task`, so dashboards compare a child's own value with the province's."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lanhmanh.core.scoping import can_use_unit, permission_name, scope_paths
from lanhmanh.core.services import ConcurrentEditError, record_create, save_versioned
from lanhmanh.geo.models import AdminUnit, Agency
from lanhmanh.plans.models import Plan, PlanSection, Target, Task, TaskStatus, TaskUpdate, related_units


def _dmy(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def unit_in_sentence(unit) -> str:
    """ "phường Hồng Bàng", "thành phố Hải Phòng": the unit's name inside a sentence."""
    name = unit.name
    return name[:1].lower() + name[1:] if name else ""


def citation(plan) -> str:
    """How a lower plan cites the upper one among its legal bases: "Kế hoạch số 35/KH-UBND ngày 15/01/2026 của
    Ủy ban nhân dân thành phố Hải Phòng về …"."""
    text = _("Kế hoạch số %(reference)s") % {"reference": plan.reference}
    if plan.issued_on:
        text += " " + _("ngày %(date)s") % {"date": _dmy(plan.issued_on)}
    body = plan.issuing_body or _("Ủy ban nhân dân %(unit)s") % {"unit": unit_in_sentence(plan.unit)}
    text += " " + _("của %(body)s") % {"body": body}
    return f"{text} {_('về')} {plan.title[:1].lower()}{plan.title[1:]}" if plan.title else text


def lower_units_for(upper_plan, user):
    """Units below `upper_plan`'s that `user` may start a plan for, without one already started from it."""
    paths = scope_paths(user, permission_name(Plan, "add"))
    units = AdminUnit.objects.filter(path__startswith=upper_plan.unit.path, level__lte=AdminUnit.Level.COMMUNE).exclude(
        pk=upper_plan.unit_id).within(paths)
    started = Plan.objects.filter(parent_plans=upper_plan).values("unit_id")
    return units.exclude(pk__in=started).order_by("path")


def _agency_for(agency, unit, agencies_by_type):
    """The upper task's agency if it belongs to `unit`'s subtree; else the lower unit's own agency of the same
    type (the province police → the ward police) when it has exactly one; else none, for the unit to choose."""
    if agency is None:
        return None
    if agency.unit.path.startswith(unit.path):
        return agency
    same_type = agencies_by_type.get(agency.agency_type_id, [])
    return same_type[0] if len(same_type) == 1 else None


@transaction.atomic
def start_plan_from(upper_plan, unit, user) -> Plan:
    """`unit`'s draft plan for the upper plan's year, with its sections, targets and tasks copied (and linked), the
    upper plan as parent and cited among the legal bases. All or nothing. `user` None is the system itself (demo
    data); pages and the API always pass the requesting user."""
    if unit.pk == upper_plan.unit_id or not unit.path.startswith(upper_plan.unit.path):
        raise ValidationError(_("Chỉ đơn vị cấp dưới của %(unit)s mới xây dựng kế hoạch từ kế hoạch này.")
                              % {"unit": upper_plan.unit})
    if upper_plan.status != Plan.Status.ISSUED:
        raise ValidationError(_("Kế hoạch cấp trên chưa ban hành."))
    if user is not None and not can_use_unit(user, Plan, "add", unit):
        raise PermissionDenied(_("Bạn không có quyền lập kế hoạch cho đơn vị này."))
    if Plan.objects.filter(unit=unit, parent_plans=upper_plan).exists():
        raise ValidationError(_("%(unit)s đã xây dựng kế hoạch từ kế hoạch này.") % {"unit": unit})

    plan = Plan(
        unit=unit,
        year=upper_plan.year,
        symbol=upper_plan.symbol or "KH-UBND",
        title=_("Triển khai thực hiện công tác phòng, chống mại dâm trên địa bàn %(unit)s năm %(year)s")
        % {"unit": unit_in_sentence(unit), "year": upper_plan.year},
        issuing_body=_("Ủy ban nhân dân %(unit)s") % {"unit": unit_in_sentence(unit)},
        legal_bases="\n".join([*upper_plan.legal_basis_list, citation(upper_plan)]),
        objectives=upper_plan.objectives,
        status=Plan.Status.DRAFT,
    )
    plan.full_clean()
    record_create(plan, user=user)
    plan.parent_plans.add(upper_plan)

    for section in upper_plan.sections.all():
        record_create(PlanSection(plan=plan, order=section.order, heading=section.heading, body=section.body),
                      user=user)
    for target in upper_plan.targets.all():
        record_create(Target(
            plan=plan, order=target.order, text=target.text, indicator=target.indicator,
            comparison=target.comparison, kind=target.kind, value=target.value, period_start=target.period_start,
            period_end=target.period_end, upper_target=target,
        ), user=user)

    agencies_by_type: dict = {}
    for agency in Agency.objects.filter(unit=unit, is_active=True).order_by("pk"):
        agencies_by_type.setdefault(agency.agency_type_id, []).append(agency)
    tasks = upper_plan.tasks.select_related("lead_agency__unit").prefetch_related("cooperating_agencies__unit")
    for task in tasks:
        copy = record_create(Task(
            plan=plan, group=task.group, order=task.order, title=task.title, description=task.description,
            lead_agency=_agency_for(task.lead_agency, unit, agencies_by_type), deadline=task.deadline,
            recurrence=task.recurrence, upper_task=task,
        ), user=user)
        cooperating = {_agency_for(a, unit, agencies_by_type) for a in task.cooperating_agencies.all()}
        cooperating.discard(None)
        cooperating.discard(copy.lead_agency)
        if cooperating:
            copy.cooperating_agencies.set(cooperating)
    return plan


def can_issue(plan, user) -> bool:
    return Plan.objects.visible_to(user, "approve").filter(pk=plan.pk).exists()


def issue_plan(plan, user, number: str, issued_on: datetime.date, *, signer_name: str = "", signer_title: str = "",
               expected_version: int | None = None) -> Plan:
    """A draft becomes the issued plan, with its number and date. Only an approver of the plan's unit (or above)."""
    if not can_issue(plan, user):
        raise PermissionDenied(_("Bạn không có quyền ban hành kế hoạch của đơn vị này."))
    if expected_version is not None and expected_version != plan.version:
        raise ConcurrentEditError(Plan.objects.get(pk=plan.pk))
    if plan.status == Plan.Status.ISSUED:
        raise ValidationError(_("Kế hoạch đã được ban hành."))
    number = (number or "").strip()
    if not number:
        raise ValidationError({"number": _("Hãy ghi số kế hoạch.")})
    if not issued_on:
        raise ValidationError({"issued_on": _("Hãy ghi ngày ban hành.")})
    if issued_on.year not in (plan.year - 1, plan.year):
        raise ValidationError({"issued_on": _("Kế hoạch năm %(year)s được ban hành trong năm %(before)s hoặc năm "
                                              "%(year)s.") % {"year": plan.year, "before": plan.year - 1}})
    plan.number, plan.issued_on, plan.status = number, issued_on, Plan.Status.ISSUED
    if signer_name:
        plan.signer_name = signer_name.strip()
    if signer_title:
        plan.signer_title = signer_title.strip()
    plan.full_clean()
    plan._change_reason = _("Ban hành")
    return save_versioned(plan, expected_version=expected_version or plan.version, user=user)


def record_task_update(task, user, progress: int, status: str, note: str, evidence=None, *, on=None,
                       expected_version: int | None = None) -> TaskUpdate:
    """Report progress on a task: the update (with its evidence, a photo or PDF stripped of metadata) is kept and the
    task takes its progress and status. A task marked done is at 100%. A stale `expected_version` of the task
    (someone reported since the page was opened) raises ConcurrentEditError and writes nothing. `user` None is the
    system (demo data)."""
    from lanhmanh.core.uploads import UploadError, clean_upload

    if user is not None and not Task.objects.reportable_by(user).filter(pk=task.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền cập nhật nhiệm vụ của đơn vị này."))
    if expected_version is not None and expected_version != task.version:
        raise ConcurrentEditError(Task.objects.get(pk=task.pk))
    if status not in TaskStatus.values:
        raise ValidationError({"status": _("Tình trạng không hợp lệ.")})
    if status == TaskStatus.DONE:
        progress = 100
    if not (note or "").strip():
        raise ValidationError({"note": _("Hãy ghi kết quả thực hiện.")})
    update = TaskUpdate(task=task, on=on or timezone.localdate(), progress=progress, status=status, note=note.strip())
    update.full_clean()
    stored = None
    if evidence:
        try:
            stored, _content_type = clean_upload(evidence)
        except UploadError as exc:
            raise ValidationError({"evidence": str(exc)}) from exc
    # The file is written last, inside the transaction, once the task's version has been checked and bumped; if
    # anything fails after it is written, it is deleted, so a refused report leaves no file in private storage.
    before = task.progress, task.status, task.version
    saved = ""
    try:
        with transaction.atomic():
            task.progress, task.status = progress, status
            task.full_clean()
            task._change_reason = _("Cập nhật tiến độ")
            save_versioned(task, expected_version=expected_version or task.version, user=user)
            if stored is not None:
                update.evidence.save(stored.name, stored, save=False)
                saved = update.evidence.name
            record_create(update, user=user)
    except BaseException:
        task.progress, task.status, task.version = before
        if saved:
            update.evidence.storage.delete(saved)
        raise
    return update


def task_overdue_flags(tasks, today: datetime.date) -> dict:
    """{task pk: overdue?} for `tasks`, reading each recurring task's latest update in one query."""
    tasks = list(tasks)
    from django.db.models import Max

    recurring = [t.pk for t in tasks if t.recurrence]
    latest = dict(TaskUpdate.objects.filter(task_id__in=recurring).values("task_id").annotate(last=Max("on"))
                  .values_list("task_id", "last")) if recurring else {}
    return {t.pk: t.is_overdue(today, latest.get(t.pk)) for t in tasks}


def agency_fits_plan(agency, plan) -> bool:
    return related_units(agency.unit, plan.unit)
