"""Pages of plans: the register of plans with each plan's page (targets against the indicator engine, tasks by
group), targets, tasks with their progress reports and evidence, the issue and start-from actions, and the tasks of
the user's own agency."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lanhmanh.core.context_processors import register_page
from lanhmanh.core.documents import DocumentError, file_response, office_binary
from lanhmanh.core.scoping import permission_name
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.core.text import local_time
from lanhmanh.core.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    ObjectViews,
    private_file_response,
)
from lanhmanh.geo.models import Agency
from lanhmanh.plans import documents, filters, forms, progress, services, tables
from lanhmanh.plans.models import Plan, PlanSection, Target, Task, TaskGroup, TaskUpdate, format_number

# -- plans ------------------------------------------------------------------------------------------


def _figure(value, percent: bool) -> str:
    if value is None:
        return ""
    text = format_number(round(value, 1))
    return f"{text}%" if percent else text


FIGURES_OUT_OF_SCOPE = gettext_lazy("Số liệu thực hiện của đơn vị cấp trên không thuộc phạm vi của bạn.")


def figures_visible(user, unit) -> bool:
    """May `user` see the figures of `unit`'s subtree? An upper unit's plan read by a lower unit is not: the engine
    would narrow the upper unit's figures to the reader's own and show those as the plan's progress."""
    from lanhmanh.indicators.engine import unit_in_scope

    return unit_in_scope(user, unit.code) is not None


def target_rows(targets, unit, user, today, *, measured: bool = True):
    """(target, progress, actual, expected) for a plan's page: the engine's value so far and what is expected by
    today, as text. Not `measured` (figures outside the user's scope): the targets with their goals only."""
    from lanhmanh.indicators.registry import PERCENT

    if not measured:
        return [{"target": target, "progress": None, "indicator": target.indicator_def, "actual": "",
                 "expected": "", "period": target.period()} for target in targets]
    rows = []
    for item in progress.evaluate(targets, unit, today, user=user):
        target = item.target
        definition = target.indicator_def
        percent = target.kind == "change" or (definition is not None and definition.measure == PERCENT)
        rows.append({"target": target, "progress": item, "indicator": definition,
                     "actual": _figure(item.actual, percent), "expected": _figure(item.expected, percent),
                     "period": item.period})
    return rows


def task_groups(tasks, today):
    """[(group label, [task])] in the order of the seeds' task groups, each task flagged `overdue`."""
    tasks = list(tasks)
    flags = services.task_overdue_flags(tasks, today)
    by_group: dict = {}
    for task in tasks:
        task.overdue = flags[task.pk]
        by_group.setdefault(task.group, []).append(task)
    return [(label, by_group[value]) for value, label in TaskGroup.choices if value in by_group]


def _tasks_of(plan):
    return plan.tasks.select_related("lead_agency", "plan").prefetch_related(
        Prefetch("cooperating_agencies", queryset=Agency.objects.order_by("name")))


class PlanDetailView(ObjectDetailView):
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan, user, today = self.object, self.request.user, timezone.localdate()
        own = Plan.objects.visible_to(user, "change").filter(pk=plan.pk).exists()
        ctx["own_plan"] = own
        ctx["pdf_available"] = office_binary() is not None
        # An upper unit's plan read by a lower unit: it may not change it.
        ctx["can_change"] = ctx["can_change"] and own
        ctx["can_delete"] = ctx["can_delete"] and own
        measured = figures_visible(user, plan.unit)
        ctx["figures_note"] = "" if measured else FIGURES_OUT_OF_SCOPE
        ctx["targets"] = target_rows(plan.targets.all(), plan.unit, user, today, measured=measured)
        ctx["task_groups"] = task_groups(_tasks_of(plan), today)
        ctx["sections"] = plan.sections.all()
        ctx["parents"] = plan.parent_plans.select_related("unit")
        ctx["children"] = plan.child_plans.visible_to(user).select_related("unit").order_by("unit__path")
        ctx["can_add_target"] = own and user.has_perm(permission_name(Target, "add"))
        ctx["can_add_task"] = own and user.has_perm(permission_name(Task, "add"))
        ctx["can_add_section"] = own and user.has_perm(permission_name(PlanSection, "add"))
        if plan.is_draft and services.can_issue(plan, user):
            ctx.setdefault("issue_form", forms.IssueForm(plan=plan, auto_id="issue_%s"))
        if not plan.is_draft and user.has_perm(permission_name(Plan, "add")):
            units = services.lower_units_for(plan, user)
            if units.exists():
                ctx.setdefault("start_form", forms.StartFromForm(units=units, auto_id="start_%s"))
        return ctx


class PlanViews(ObjectViews):
    model = Plan
    filterset = filters.PlanFilterSet
    table = tables.PlanTable
    form = forms.PlanForm
    detail_view = PlanDetailView
    select_related = ("unit",)
    detail_fields = ("unit", "year", "number", "symbol", "issued_on", "title", "issuing_body", "signer_name",
                     "signer_title", "status")


def _detail_page(request, plan, *, status, **context):
    """The plan's page rendered in answer to a refused action, with the form and its errors kept."""
    view_class = type("PlanDetailPage", (PlanDetailView,), {
        "model": Plan, "views": PlanViews, "select_related": PlanViews.select_related,
        "detail_fields": PlanViews.detail_fields})
    view = view_class()
    view.setup(request, pk=plan.pk)
    view.object = plan
    return view.render_to_response(view.get_context_data(object=plan, **context), status=status)


def _plan_for(user, pk):
    return get_object_or_404(Plan.objects.visible_to(user).select_related("unit"), pk=pk)


@require_POST
@login_required
def plan_issue(request, pk):
    """Ban hành: an approver gives the draft its number and date."""
    if not request.user.has_perm(permission_name(Plan, "approve")):
        raise PermissionDenied
    plan = _plan_for(request.user, pk)
    form = forms.IssueForm(request.POST, auto_id="issue_%s")
    if not form.is_valid():
        return _detail_page(request, plan, status=400, issue_form=form)
    data = form.cleaned_data
    try:
        services.issue_plan(plan, request.user, data["number"], data["issued_on"], signer_name=data["signer_name"],
                            signer_title=data["signer_title"], expected_version=data["expected_version"])
    except ConcurrentEditError as conflict:
        messages.error(request, _("%(who)s đã cập nhật kế hoạch lúc %(when)s, sau khi bạn mở trang. Kế hoạch CHƯA "
                                  "được ban hành; hãy xem lại rồi làm lại.") % {
            "who": conflict.current.updated_by or _("Người khác"),
            "when": local_time(conflict.current.updated_at)})
        return _detail_page(request, _plan_for(request.user, pk), status=409)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        plan.refresh_from_db()
        return _detail_page(request, plan, status=400, issue_form=form)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("Đã ban hành kế hoạch số %(reference)s.") % {"reference": plan.reference})
    return redirect(plan)


@require_POST
@login_required
def plan_start_from(request, pk):
    """A lower unit's draft plan from this (upper, issued) plan: targets and tasks copied for it to localise."""
    if not request.user.has_perm(permission_name(Plan, "add")):
        raise PermissionDenied
    upper = _plan_for(request.user, pk)
    form = forms.StartFromForm(request.POST, units=services.lower_units_for(upper, request.user), auto_id="start_%s")
    if not form.is_valid():
        return _detail_page(request, upper, status=400, start_form=form)
    try:
        plan = services.start_plan_from(upper, form.cleaned_data["unit"], request.user)
    except ValidationError as exc:
        for error in exc.messages:
            form.add_error(None, error)
        return _detail_page(request, upper, status=400, start_form=form)
    messages.success(request, _("Đã lập dự thảo kế hoạch của %(unit)s từ kế hoạch cấp trên: hãy điều chỉnh chỉ tiêu, "
                                "nhiệm vụ cho phù hợp với địa phương.") % {"unit": plan.unit})
    return redirect(plan)


@login_required
def plan_document(request, pk, extension):
    """The plan as its official document (Kế hoạch, Nghị định 30/2020), DOCX or PDF, to whoever may read the plan.
    PDF needs LibreOffice on the server: without it, back to the plan with a message saying to take the DOCX."""
    if not request.user.has_perm(permission_name(Plan, "view")):
        raise PermissionDenied
    plan = _plan_for(request.user, pk)
    try:
        content = documents.render(plan, extension)
    except DocumentError as exc:
        messages.error(request, str(exc))
        return redirect(plan)
    return file_response(content, documents.filename(plan, extension), extension)


# -- sections, targets ------------------------------------------------------------------------------


class ToPlanMixin:
    """After adding or editing a part of a plan, back to the plan's page where it is read."""

    anchor = ""

    def get_success_url(self):
        return f"{self.object.plan.get_absolute_url()}#{self.anchor}"


class SectionCreateView(ToPlanMixin, ObjectCreateView):
    anchor = "sections"


class SectionUpdateView(ToPlanMixin, ObjectUpdateView):
    anchor = "sections"


class PlanSectionViews(ObjectViews):
    model = PlanSection
    filterset = filters.PlanSectionFilterSet
    table = tables.PlanSectionTable
    form = forms.PlanSectionForm
    create_view = SectionCreateView
    update_view = SectionUpdateView
    in_menu = False
    select_related = ("unit", "plan")
    detail_fields = ("plan", "order", "heading", "body")


class TargetCreateView(ToPlanMixin, ObjectCreateView):
    anchor = "targets"


class TargetUpdateView(ToPlanMixin, ObjectUpdateView):
    anchor = "targets"


class TargetViews(ObjectViews):
    model = Target
    filterset = filters.TargetFilterSet
    table = tables.TargetTable
    form = forms.TargetForm
    create_view = TargetCreateView
    update_view = TargetUpdateView
    in_menu = False
    select_related = ("unit", "plan")
    detail_fields = ("plan", "order", "text", "indicator", "comparison", "kind", "value", "period_start",
                     "period_end", "upper_target", "assessment")


# -- tasks ------------------------------------------------------------------------------------------


def with_last_update(tasks):
    """Each task's latest progress report (a subquery, no grouping), for the overdue flag of recurring tasks."""
    latest = TaskUpdate.objects.filter(task=OuterRef("pk")).order_by("-on").values("on")[:1]
    return tasks.annotate(last_update=Subquery(latest))


class TaskListView(ObjectListView):
    def get_queryset(self):
        return with_last_update(super().get_queryset()).order_by("-plan__year", "plan__unit__path", "plan", "group",
                                                                 "order", "pk")


class TaskDetailView(ObjectDetailView):
    template_name = "plans/task_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        task, user, today = self.object, self.request.user, timezone.localdate()
        updates = list(task.updates.select_related("created_by"))
        ctx["updates"] = updates
        ctx["cooperating"] = task.cooperating_agencies.order_by("name")
        ctx["overdue"] = task.is_overdue(today, updates[0].on if updates else None)
        ctx["next_due"] = task.next_due(today)
        # A task of an upper unit's plan assigned to the user's agency is read here, not changed; its lead agency
        # reports progress on it (TaskQuerySet.reportable_by).
        own = Task.objects.visible_to(user, "change").filter(pk=task.pk).exists()
        ctx["can_change"] = ctx["can_change"] and own
        ctx["can_delete"] = ctx["can_delete"] and own
        ctx["can_report"] = user.has_perm(permission_name(TaskUpdate, "add")) and (
            own or Task.objects.reportable_by(user).filter(pk=task.pk).exists())
        if ctx["can_report"] and "update_form" not in kwargs:
            form = forms.TaskUpdateForm(user=user, initial={"task": task}, auto_id="update_%s")
            form.fields["task"].widget = form.fields["task"].hidden_widget()
            form.initial["task"] = task.pk
            ctx["update_form"] = form
        return ctx


class TaskViews(ObjectViews):
    model = Task
    filterset = filters.TaskFilterSet
    table = tables.TaskTable
    form = forms.TaskForm
    list_view = TaskListView
    detail_view = TaskDetailView
    create_view = type("TaskCreateView", (ToPlanMixin, ObjectCreateView), {"anchor": "tasks"})
    update_view = type("TaskUpdateView", (ToPlanMixin, ObjectUpdateView), {"anchor": "tasks"})
    select_related = ("unit", "plan", "lead_agency")
    detail_fields = ("plan", "group", "order", "title", "description", "lead_agency", "deadline", "recurrence",
                     "status", "progress", "upper_task")


class TaskUpdateCreateView(ObjectCreateView):
    """A progress report: saved through services.record_task_update, so the task takes its progress and status."""

    def form_valid(self, form):
        data = form.cleaned_data
        task = data["task"]
        try:
            self.object = services.record_task_update(
                task, self.request.user, data["progress"], data["status"], data["note"], data.get("evidence"),
                on=data["on"], expected_version=data.get("expected_version"))
        except ConcurrentEditError as conflict:
            form.add_error(None, _("%(who)s đã cập nhật nhiệm vụ này lúc %(when)s, sau khi bạn mở trang. Báo cáo CHƯA "
                                   "được lưu; tiến độ hiện tại là %(progress)s%%. Hãy xem lại rồi lưu lần nữa.") % {
                "who": conflict.current.updated_by or _("Người khác"),
                "when": local_time(conflict.current.updated_at),
                "progress": conflict.current.progress})
            form.data = form.data.copy()
            form.data["expected_version"] = conflict.current.version
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, _("Đã ghi tiến độ nhiệm vụ."))
        return redirect(f"{task.get_absolute_url()}#updates")


class TaskUpdateViews(ObjectViews):
    model = TaskUpdate
    filterset = filters.TaskUpdateFilterSet
    table = tables.TaskUpdateTable
    form = forms.TaskUpdateForm
    create_view = TaskUpdateCreateView
    # A report is a record of what was said on a day: it is added, not rewritten (the task's page keeps the log).
    pages = ("list", "detail", "add")
    in_menu = False
    select_related = ("unit", "task")
    detail_fields = ("task", "on", "progress", "status", "note")


@login_required
def taskupdate_evidence(request, pk):
    """A report's evidence, only to users who may see the task; never through a public URL."""
    if not request.user.has_perm(permission_name(TaskUpdate, "view")):
        raise PermissionDenied
    update = get_object_or_404(TaskUpdate.objects.visible_to(request.user), pk=pk)
    if not update.evidence:
        raise Http404
    return private_file_response(update.evidence, f"minh-chung-{update.task_id}-{update.pk}")


# -- my agency's tasks ------------------------------------------------------------------------------


class MyTasksView(ObjectListView):
    """Tasks that an agency the user works for (their memberships' agencies) leads or cooperates in, with those an
    upper unit's issued plan assigns to it (Task.objects.visible_to: read-only; its lead agency reports progress);
    officers may pick any agency with the filter."""

    template_name = "plans/my_tasks.html"

    def user_agencies(self):
        if not hasattr(self, "_agencies"):
            self._agencies = list(Agency.objects.filter(
                pk__in=self.request.user.memberships.filter(is_active=True, agency__isnull=False).values("agency_id")))
        return self._agencies

    def get_queryset(self):
        tasks = with_last_update(super().get_queryset())
        if not self.request.GET.get("agency"):
            tasks = tasks.assigned_to(self.user_agencies())
        return tasks.order_by("-plan__year", "plan__unit__path", "plan", "group", "order", "pk")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["my_agencies"] = self.user_agencies()
        ctx["can_add"] = False
        ctx["page_title"] = _("Nhiệm vụ của cơ quan tôi")
        return ctx


def my_tasks_view():
    return type("MyTasksPage", (MyTasksView,), {
        "model": Task, "views": TaskViews, "select_related": TaskViews.select_related,
        "filterset_class": filters.TaskFilterSet, "table_class": tables.TaskTable}).as_view()


register_page("plans", "plans:my_tasks", gettext_lazy("Nhiệm vụ của cơ quan tôi"), permission_name(Task, "view"))
