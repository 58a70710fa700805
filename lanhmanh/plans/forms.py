"""Forms of plans, their targets and tasks, a task's progress report, and the issue and start-from actions. The rules
live in the models' clean() and in services, shared with the API."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.forms import DateInput, ScopedModelForm, StyledForm, choose_only_choice
from lanhmanh.geo.forms import agency_choices
from lanhmanh.geo.models import AdminUnit
from lanhmanh.plans.models import Plan, PlanSection, Target, Task, TaskStatus, TaskUpdate

TEXTAREA = {"rows": 3}


def indicator_choices():
    """The registry's indicators by their Vietnamese names, and "none" for a qualitative target."""
    from lanhmanh.indicators.registry import registry

    return [("", _("— Không gắn chỉ số (chỉ tiêu định tính, đơn vị tự đánh giá) —"))] + [
        (indicator.code, f"{indicator.name} ({indicator.code})") for indicator in registry.all()
    ]


class PlanChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.unit.name} · {obj.year} · {obj}"


def _own_plans(field, user):
    """Targets, tasks and sections are written into the plans of the user's own subtree, never into an upper
    unit's plan they can only read."""
    field.queryset = Plan.objects.visible_to(user, "change").select_related("unit").order_by("-year", "unit__path")


class PlanForm(ScopedModelForm):
    class Meta:
        model = Plan
        fields = ["unit", "year", "number", "symbol", "title", "issuing_body", "signer_name", "signer_title",
                  "legal_bases", "parent_plans", "objectives"]
        widgets = {"legal_bases": forms.Textarea(attrs=TEXTAREA), "objectives": forms.Textarea(attrs={"rows": 5}),
                   "title": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        units = self.fields["unit"].queryset.filter(level__lte=AdminUnit.Level.COMMUNE).order_by("path")
        self.fields["unit"].queryset = units.visible_to(self.user, "view")
        choose_only_choice(self)
        if not self.instance.pk and not self.initial.get("year"):
            self.initial["year"] = timezone.localdate().year
        parents = self.fields["parent_plans"]
        parents.queryset = Plan.objects.visible_to(self.user).issued().select_related("unit").order_by("-year")
        if self.instance.pk:
            parents.queryset = parents.queryset.exclude(pk=self.instance.pk)
        parents.required = False
        # The number and date are given when the plan is issued (the "Ban hành" action), not typed here.
        if self.instance.pk and self.instance.status == Plan.Status.ISSUED:
            self.fields["unit"].disabled = True
            self.fields["year"].disabled = True


class PlanSectionForm(ScopedModelForm):
    class Meta:
        model = PlanSection
        fields = ["plan", "order", "heading", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        field_classes = {"plan": PlanChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _own_plans(self.fields["plan"], self.user)
        if self.instance.pk:
            self.fields["plan"].disabled = True


class TargetForm(ScopedModelForm):
    indicator = forms.ChoiceField(label=_("Chỉ số đo lường"), required=False, choices=indicator_choices)

    class Meta:
        model = Target
        fields = ["plan", "order", "text", "indicator", "comparison", "kind", "value", "period_start", "period_end",
                  "assessment"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"plan": PlanChoiceField}
        help_texts = {
            "value": _("Tỷ lệ ghi số phần trăm (60 nghĩa là 60%); chỉ tiêu tăng, giảm so với cùng kỳ ghi số phần trăm "
                       "thay đổi (3 nghĩa là tăng 3%)."),
            "period_start": _("Để trống: cả năm kế hoạch."),
            "assessment": _("Chỉ dùng cho chỉ tiêu định tính, không gắn chỉ số."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _own_plans(self.fields["plan"], self.user)
        if self.instance.pk:
            self.fields["plan"].disabled = True


class TaskForm(ScopedModelForm):
    class Meta:
        model = Task
        fields = ["plan", "group", "order", "title", "description", "lead_agency", "cooperating_agencies", "deadline",
                  "recurrence"]
        widgets = {"title": forms.Textarea(attrs={"rows": 2}), "description": forms.Textarea(attrs=TEXTAREA),
                   "cooperating_agencies": forms.SelectMultiple(attrs={"size": 6})}
        field_classes = {"plan": PlanChoiceField}
        help_texts = {"deadline": _("Để trống nếu nhiệm vụ thực hiện thường xuyên hoặc định kỳ.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _own_plans(self.fields["plan"], self.user)
        if self.instance.pk:
            self.fields["plan"].disabled = True
        # Agencies of the units the user works on, of the units above (a province department) and below.
        choices = agency_choices(self.user, Task)
        self.fields["lead_agency"].queryset = choices
        self.fields["cooperating_agencies"].queryset = choices
        self.fields["cooperating_agencies"].required = False

    def clean(self):
        cleaned = super().clean()
        lead, cooperating = cleaned.get("lead_agency"), cleaned.get("cooperating_agencies")
        if lead is not None and cooperating and lead in cooperating:
            self.add_error("cooperating_agencies", _("Cơ quan chủ trì không đồng thời là cơ quan phối hợp."))
        return cleaned


class TaskUpdateForm(ScopedModelForm):
    """A progress report on a task: the day, progress and status reached, what was done, and evidence. Saved by
    services.record_task_update (the task takes the progress and status); `expected_version` is the task's."""

    evidence = forms.FileField(
        label=_("Minh chứng (ảnh hoặc PDF)"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        help_text=_("Biên bản, ảnh hoạt động, văn bản. Ảnh được lưu lại không kèm thông tin vị trí, thiết bị chụp."),
    )

    class Meta:
        model = TaskUpdate
        fields = ["task", "on", "progress", "status", "note", "evidence"]
        widgets = {"note": forms.Textarea(attrs=TEXTAREA)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # With the tasks of an upper unit's plan that the user's agency leads (TaskQuerySet.reportable_by).
        tasks = Task.objects.reportable_by(self.user).select_related("plan")
        self.fields["task"].queryset = tasks.order_by("-plan__year", "plan", "group", "order", "pk")
        task = self.initial.get("task")
        if not self.is_bound and task:
            task = task if isinstance(task, Task) else tasks.filter(pk=task).first()
            if task is not None:
                self.initial.update(progress=task.progress, expected_version=task.version,
                                    status=TaskStatus.IN_PROGRESS if task.status == TaskStatus.NOT_STARTED
                                    else task.status)
        if not self.is_bound and not self.initial.get("on"):
            self.initial["on"] = timezone.localdate()

    def clean(self):
        # The task's choices are the tasks the user may report on (Task.objects.reportable_by, with an upper unit's
        # task that their agency leads): that is this form's scope check, in place of the owning unit's (the task's
        # unit, the upper unit's for such a task). The service checks it again.
        return super(ScopedModelForm, self).clean()

    def _post_clean(self):
        # The evidence is checked and stored by the service (content, not name; no metadata): keep the model's
        # own FileField out of the instance here.
        evidence = self.cleaned_data.pop("evidence", None)
        super()._post_clean()
        self.cleaned_data["evidence"] = evidence


class IssueForm(StyledForm):
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    number = forms.CharField(label=_("Số"), max_length=20, help_text=_("Ví dụ: 35 (ký hiệu giữ như kế hoạch)."))
    issued_on = forms.DateField(label=_("Ngày ban hành"), widget=DateInput())
    signer_name = forms.CharField(label=_("Người ký"), max_length=150, required=False)
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=150, required=False)

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None and not self.is_bound:
            self.initial.update(expected_version=plan.version, number=plan.number, signer_name=plan.signer_name,
                                signer_title=plan.signer_title, issued_on=timezone.localdate())


class StartFromForm(StyledForm):
    unit = forms.ModelChoiceField(label=_("Đơn vị lập kế hoạch"), queryset=AdminUnit.objects.none())

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units
            if len(units[:2]) == 1:
                self.initial["unit"] = units[0].pk
