import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lanhmanh.plans.models import Plan, PlanSection, Target, Task, TaskUpdate


class PlanTable(tables.Table):
    title = tables.Column(linkify=True)
    reference = tables.Column(verbose_name=_("Số, ký hiệu"), accessor="reference", orderable=False)
    issued_on = tables.DateColumn(format="d/m/Y")

    class Meta:
        model = Plan
        fields = ("year", "reference", "issued_on", "title", "unit", "status")


class PlanSectionTable(tables.Table):
    heading = tables.Column(linkify=True)
    plan = tables.Column(linkify=True)

    class Meta:
        model = PlanSection
        fields = ("plan", "order", "heading", "unit")


class TargetTable(tables.Table):
    text = tables.Column(linkify=True)
    plan = tables.Column(linkify=True)
    goal = tables.Column(verbose_name=_("Chỉ tiêu"), accessor="goal_display", orderable=False)

    class Meta:
        model = Target
        fields = ("plan", "order", "text", "indicator", "goal", "unit")


class TaskTable(tables.Table):
    title = tables.Column(linkify=True)
    plan = tables.Column(linkify=True)
    schedule = tables.Column(verbose_name=_("Thời hạn"), accessor="schedule_display", orderable=False)
    progress = tables.Column()
    # The list views annotate each task's latest update (`last_update`), so this costs no query per row.
    overdue = tables.Column(verbose_name=_("Quá hạn"), accessor="pk", orderable=False)

    class Meta:
        model = Task
        fields = ("plan", "group", "title", "lead_agency", "schedule", "status", "progress", "overdue", "unit")

    def render_progress(self, value):
        return f"{value}%"

    def render_overdue(self, record):
        if _overdue(record):
            return format_html('<span class="badge text-bg-danger" data-testid="overdue">{}</span>', _("Quá hạn"))
        return ""

    def value_overdue(self, record):
        return str(_("Quá hạn")) if _overdue(record) else ""


def _overdue(task) -> bool:
    return task.is_overdue(timezone.localdate(), getattr(task, "last_update", None))


class TaskUpdateTable(tables.Table):
    on = tables.DateColumn(format="d/m/Y", linkify=True)
    task = tables.Column(linkify=True)

    class Meta:
        model = TaskUpdate
        fields = ("on", "task", "progress", "status", "note", "unit")
