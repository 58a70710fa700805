from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from lanhmanh.core import documents as official
from lanhmanh.core.api import Conflict, ScopedSerializer, ScopedViewSet, register
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.geo.forms import agency_choices
from lanhmanh.geo.models import AdminUnit, Agency
from lanhmanh.plans import documents, progress, services
from lanhmanh.plans.filters import PlanFilterSet, TargetFilterSet, TaskFilterSet, TaskUpdateFilterSet
from lanhmanh.plans.models import Plan, Target, Task, TaskUpdate
from lanhmanh.plans.views import FIGURES_OUT_OF_SCOPE, figures_visible, with_last_update

# A target whose plan's unit has figures outside the user's scope: no progress measured.
OUT_OF_SCOPE = object()


def _validation_error(exc: DjangoValidationError):
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


class PlanSerializer(ScopedSerializer):
    """A unit's yearly plan. The unit by code. Status, number and date of issue are set by the `issue` action."""

    unit = serializers.SlugRelatedField(slug_field="code",
                                        queryset=AdminUnit.objects.filter(level__lte=AdminUnit.Level.COMMUNE))
    reference = serializers.CharField(read_only=True)
    # Plain text in the schema ("draft" or "issued"): set only by the `issue` action.
    status = serializers.CharField(read_only=True, help_text=_("draft: dự thảo; issued: đã ban hành."))
    parent_plans = serializers.PrimaryKeyRelatedField(many=True, queryset=Plan.objects.all(), required=False)

    class Meta:
        model = Plan
        fields = ["id", "unit", "year", "number", "symbol", "reference", "issued_on", "title", "issuing_body",
                  "signer_name", "signer_title", "legal_bases", "parent_plans", "objectives", "status", "version"]
        read_only_fields = ["status", "issued_on"]


class IssueSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("Phiên bản đã đọc."))
    number = serializers.CharField(max_length=20)
    issued_on = serializers.DateField()
    signer_name = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)
    signer_title = serializers.CharField(max_length=150, required=False, default="", allow_blank=True)


class StartFromSerializer(serializers.Serializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.all(),
                                        help_text=_("Mã đơn vị cấp dưới lập kế hoạch."))


class _FileRenderer(renderers.BaseRenderer):
    """A document file chosen by `?format=docx|pdf` (or `document.docx`); an error on the way is JSON."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return renderers.JSONRenderer().render(data, "application/json", renderer_context)


class DocxRenderer(_FileRenderer):
    media_type = official.DOCX_CONTENT_TYPE
    format = "docx"


class PdfRenderer(_FileRenderer):
    media_type = official.PDF_CONTENT_TYPE
    format = "pdf"


class DocumentUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "document_unavailable"


class PlanViewSet(ScopedViewSet):
    """Plans. `issue` (approvers): number and date, with the `version` read (409 if stale). `start-from` on an upper
    unit's issued plan: the lower `unit`'s draft plan with the targets and tasks copied and linked."""

    queryset = Plan.objects.select_related("unit").prefetch_related("parent_plans")
    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    ordering_fields = ["year", "issued_on", "updated_at"]
    action_permissions = {"issue": "approve", "start_from": "add"}

    def get_queryset(self):
        if self.action in self.action_permissions:
            # Read access to the plan; the service checks the right to issue or to plan for the lower unit.
            return self.queryset.all().visible_to(self.request.user, "view")
        return super().get_queryset().order_by(*Plan._meta.ordering)

    @extend_schema(request=IssueSerializer, responses=PlanSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        plan = self.get_object()
        data = IssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            plan = services.issue_plan(plan, request.user, values["number"], values["issued_on"],
                                       signer_name=values["signer_name"], signer_title=values["signer_title"],
                                       expected_version=values["version"])
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise _validation_error(exc) from exc
        except ConcurrentEditError as exc:
            raise Conflict() from exc
        return Response(self.get_serializer(plan).data)

    @extend_schema(request=StartFromSerializer, responses={201: PlanSerializer})
    @action(detail=True, methods=["post"], url_path="start-from")
    def start_from(self, request, pk=None):
        upper = self.get_object()
        data = StartFromSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            plan = services.start_plan_from(upper, data.validated_data["unit"], request.user)
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise _validation_error(exc) from exc
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter(
            "format", str, enum=["docx", "pdf"], default="docx",
            description=gettext_lazy("docx (mặc định) hoặc pdf (khi máy chủ có LibreOffice)."))],
        responses={(200, official.DOCX_CONTENT_TYPE): OpenApiTypes.BINARY,
                   (200, official.PDF_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], renderer_classes=[DocxRenderer, PdfRenderer, renderers.JSONRenderer])
    def document(self, request, pk=None, format=None):  # noqa: A002 (DRF's name for the format suffix)
        """The plan as its official document (Nghị định 30/2020): DOCX, or PDF with `?format=pdf` (503 when the
        server has no LibreOffice)."""
        plan = self.get_object()
        extension = "pdf" if getattr(request.accepted_renderer, "format", "") == "pdf" else "docx"
        try:
            content = documents.render(plan, extension)
        except official.DocumentError as exc:
            raise DocumentUnavailable(str(exc)) from exc
        return official.file_response(content, documents.filename(plan, extension), extension)


class TargetSerializer(ScopedSerializer):
    """A target: `indicator` is a code of /api/indicators/ (blank for a qualitative target). `progress` (on a target,
    and in the list of one plan's targets, `?plan=ID`): its mark, actual and expected value today, measured on the
    plan's unit's subtree by the indicator engine."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    goal = serializers.CharField(source="goal_display", read_only=True)
    progress = serializers.SerializerMethodField()
    progress_note = serializers.SerializerMethodField()

    class Meta:
        model = Target
        fields = ["id", "plan", "unit", "order", "text", "indicator", "comparison", "kind", "value", "goal",
                  "period_start", "period_end", "upper_target", "assessment", "progress", "progress_note", "version"]
        read_only_fields = ["upper_target"]

    def get_progress(self, obj) -> dict | None:
        found = self.context.get("progress", {}).get(obj.pk)
        if found is None or found is OUT_OF_SCOPE:
            return None
        return {"mark": found.mark, "mark_label": str(found.mark_label), "actual": found.actual,
                "expected": found.expected, "goal": found.goal, "final": found.final}

    def get_progress_note(self, obj) -> str:
        """Why `progress` is null on a plan's target: the figures of an upper unit are outside the user's scope."""
        return str(FIGURES_OUT_OF_SCOPE) if self.context.get("progress", {}).get(obj.pk) is OUT_OF_SCOPE else ""

    def validate(self, attrs):
        if self.instance is not None and "plan" in attrs and attrs["plan"] != self.instance.plan:
            raise serializers.ValidationError({"plan": _("Không chuyển chỉ tiêu sang kế hoạch khác.")})
        return super().validate(attrs)


class TargetViewSet(ScopedViewSet):
    queryset = Target.objects.select_related("unit", "plan__unit")
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    ordering_fields = ["order", "updated_at"]

    def get_queryset(self):
        return super().get_queryset().order_by(*Target._meta.ordering)

    def _with_progress(self, targets):
        """The engine's reading of each target: one evaluation per unit on the page (its queries do not grow with
        the number of targets or plans of a unit; a page of one plan, `?plan=ID`, is one evaluation)."""
        today = timezone.localdate()
        by_unit: dict = {}
        for target in targets:
            by_unit.setdefault(target.plan.unit_id, []).append(target)
        found = {}
        for group in by_unit.values():
            if not figures_visible(self.request.user, group[0].plan.unit):
                # An upper unit's plan read by a lower unit: the engine would narrow the upper unit's figures to the
                # reader's own; `progress` stays null (and `progress_note` says why).
                found.update({target.pk: OUT_OF_SCOPE for target in group})
                continue
            for item in progress.evaluate(group, group[0].plan.unit, today, user=self.request.user):
                found[item.target.pk] = item
        return found

    def list(self, request, *args, **kwargs):
        """With `?plan=ID` (a plan's targets), each target carries its `progress`; a list across plans and units
        leaves it null, so its cost does not grow with the number of units on the page."""
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = page if page is not None else list(queryset)
        measured = rows if request.query_params.get("plan") else []
        context = {**self.get_serializer_context(), "progress": self._with_progress(measured)}
        data = TargetSerializer(rows, many=True, context=context).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        target = self.get_object()
        context = {**self.get_serializer_context(), "progress": self._with_progress([target])}
        return Response(TargetSerializer(target, context=context).data)


class TaskSerializer(ScopedSerializer):
    """A task with its lead and cooperating agencies (ids). Progress and status change through task updates."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    plan = serializers.PrimaryKeyRelatedField(queryset=Plan.objects.all())
    lead_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    cooperating_agencies = serializers.PrimaryKeyRelatedField(many=True, queryset=Agency.objects.all(),
                                                              required=False)
    overdue = serializers.SerializerMethodField()
    # Set by progress reports (plan-task-updates), whose `status` lists the values.
    status = serializers.CharField(read_only=True)

    class Meta:
        model = Task
        fields = ["id", "plan", "unit", "group", "order", "title", "description", "lead_agency",
                  "cooperating_agencies", "deadline", "recurrence", "status", "progress", "overdue", "upper_task",
                  "version"]
        read_only_fields = ["status", "progress", "upper_task"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["lead_agency"].queryset = agency_choices(request.user, Task)
            fields["cooperating_agencies"].child_relation.queryset = agency_choices(request.user, Task)
        return fields

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue(timezone.localdate(), getattr(obj, "last_update", None))

    def validate(self, attrs):
        if self.instance is not None and "plan" in attrs and attrs["plan"] != self.instance.plan:
            raise serializers.ValidationError({"plan": _("Không chuyển nhiệm vụ sang kế hoạch khác.")})
        return super().validate(attrs)


class TaskViewSet(ScopedViewSet):
    queryset = Task.objects.select_related("unit", "plan").prefetch_related("cooperating_agencies")
    serializer_class = TaskSerializer
    filterset_class = TaskFilterSet
    ordering_fields = ["deadline", "order", "updated_at"]

    def get_queryset(self):
        return with_last_update(super().get_queryset()).order_by(*Task._meta.ordering)


class TaskUpdateSerializer(ScopedSerializer):
    """A progress report on a task; creating one sets the task's progress and status. Send the task's `version`
    read as `task_version` (409 if someone reported since). Evidence (photo or PDF) as multipart `evidence`."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    task = serializers.PrimaryKeyRelatedField(queryset=Task.objects.all())
    task_version = serializers.IntegerField(write_only=True, required=False)
    evidence = serializers.FileField(write_only=True, required=False)
    has_evidence = serializers.SerializerMethodField()

    class Meta:
        model = TaskUpdate
        fields = ["id", "task", "unit", "on", "progress", "status", "note", "evidence", "has_evidence",
                  "task_version", "version"]

    def get_has_evidence(self, obj) -> bool:
        return bool(obj.evidence)

    def validate(self, attrs):
        self._extra = {k: attrs.pop(k) for k in ("task_version", "evidence") if k in attrs}
        # The scope check is the task's: one the user may report on (Task.objects.reportable_by), which includes an
        # upper unit's task that their agency leads, whose unit is not theirs. The service checks it again.
        task = attrs.get("task")
        if task is not None and not Task.objects.reportable_by(self.context["request"].user).filter(
                pk=task.pk).exists():
            raise serializers.ValidationError({"task": _("Bạn không có quyền ghi dữ liệu cho đơn vị này.")})
        self.run_model_clean(attrs)
        return attrs

    def create(self, validated_data):
        try:
            return services.record_task_update(
                validated_data["task"], self.context["request"].user, validated_data["progress"],
                validated_data["status"], validated_data["note"], self._extra.get("evidence"),
                on=validated_data.get("on"), expected_version=self._extra.get("task_version"))
        except DjangoValidationError as exc:
            raise _validation_error(exc) from exc
        except ConcurrentEditError as exc:
            raise Conflict() from exc


class TaskUpdateViewSet(ScopedViewSet):
    """Progress reports: listed, read and added (a report is not rewritten). `evidence` downloads the file."""

    queryset = TaskUpdate.objects.select_related("unit")
    serializer_class = TaskUpdateSerializer
    filterset_class = TaskUpdateFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):
        return super().get_queryset().order_by(*TaskUpdate._meta.ordering)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def evidence(self, request, pk=None):
        from lanhmanh.core.views import private_file_response

        update = self.get_object()
        if not update.evidence:
            raise exceptions.NotFound()
        return private_file_response(update.evidence, f"minh-chung-{update.task_id}-{update.pk}")


register("plans", PlanViewSet)
register("plan-targets", TargetViewSet)
register("plan-tasks", TaskViewSet)
register("plan-task-updates", TaskUpdateViewSet)
