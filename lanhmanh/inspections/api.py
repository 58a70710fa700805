from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from lanhmanh.businesses.forms import scan_error
from lanhmanh.businesses.models import Business
from lanhmanh.core.api import ScopedSerializer, ScopedViewSet, register
from lanhmanh.core.permissions import RolePermission
from lanhmanh.core.scoping import can_use_unit
from lanhmanh.core.views import private_file_response
from lanhmanh.geo.models import AdminUnit
from lanhmanh.inspections import services
from lanhmanh.inspections.filters import (
    InspectionPlanFilterSet,
    InspectionSessionFilterSet,
    InspectionVisitFilterSet,
    TeamFilterSet,
    TeamMemberFilterSet,
)
from lanhmanh.inspections.models import (
    InspectionPlan,
    InspectionSession,
    InspectionVisit,
    Team,
    TeamMember,
    ViolationType,
)
from lanhmanh.inspections.views import coverage_form


class ViolationTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ViolationType
        fields = ["code", "name", "legal_reference", "valid_from", "valid_until", "prostitution_related"]


class ViolationTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The violation catalogue, with each entry's legal reference and validity dates."""

    queryset = ViolationType.objects.all()
    serializer_class = ViolationTypeSerializer
    lookup_field = "code"


class TeamSerializer(ScopedSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=(1, 2, 3)))

    class Meta:
        model = Team
        fields = ["id", "unit", "name", "decision_number", "decision_date", "decision_signer", "dissolved_on",
                  "note", "version"]


class TeamViewSet(ScopedViewSet):
    queryset = Team.objects.select_related("unit")
    serializer_class = TeamSerializer
    filterset_class = TeamFilterSet


class TeamMemberSerializer(ScopedSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())

    class Meta:
        model = TeamMember
        fields = ["id", "team", "full_name", "agency", "position", "role_in_team", "valid_from", "valid_until",
                  "version"]


class TeamMemberViewSet(ScopedViewSet):
    queryset = TeamMember.objects.select_related("unit", "team", "agency")
    serializer_class = TeamMemberSerializer
    filterset_class = TeamMemberFilterSet


class InspectionPlanSerializer(ScopedSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=(1, 3)))

    class Meta:
        model = InspectionPlan
        fields = ["id", "unit", "title", "year", "quarter", "team", "coverage_target", "status", "approved_by",
                  "approved_on", "note", "version"]
        read_only_fields = ["status", "approved_by", "approved_on"]

    def validate(self, attrs):
        if self.instance is not None and self.instance.is_approved:
            raise serializers.ValidationError(_("Kế hoạch đã được phê duyệt, không thể sửa. Hãy trả lại dự thảo "
                                                  "trước."))
        return super().validate(attrs)


class PlannedBusinessSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    business = serializers.IntegerField(source="business_id")
    business_name = serializers.CharField(source="business.name")
    rank = serializers.IntegerField()
    score = serializers.IntegerField()
    reasons = serializers.ListField(child=serializers.CharField(), source="reason_list")
    added_by_hand = serializers.BooleanField()


class PlanProgressSerializer(serializers.Serializer):
    managed = serializers.IntegerField()
    needed = serializers.IntegerField()
    planned = serializers.IntegerField()
    reach_percent = serializers.FloatField()
    planned_visited = serializers.IntegerField()
    progress_percent = serializers.FloatField()
    managed_visited = serializers.IntegerField()
    coverage_percent = serializers.FloatField()


class AdjustSerializer(serializers.Serializer):
    add = serializers.ListField(child=serializers.IntegerField(), required=False,
                                help_text=_("Mã các cơ sở thêm vào kế hoạch."))
    remove = serializers.ListField(child=serializers.IntegerField(), required=False,
                                   help_text=_("Mã các dòng (id) bỏ khỏi kế hoạch."))


def _django_errors(func):
    try:
        return func()
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages) from exc


class InspectionPlanViewSet(ScopedViewSet):
    """Inspection plans; `propose` fills a draft by risk, `adjust` adds or removes businesses, `approve` and
    `reopen` change its state, `items` and `progress` read it."""

    queryset = InspectionPlan.objects.select_related("unit", "team")
    serializer_class = InspectionPlanSerializer
    filterset_class = InspectionPlanFilterSet

    def get_queryset(self):
        if self.action in ("approve", "reopen"):
            return self.queryset.all().visible_to(self.request.user, "approve")
        if self.action in ("propose", "adjust"):
            return self.queryset.all().visible_to(self.request.user, "change")
        return super().get_queryset()

    action_permissions = {"approve": "approve", "reopen": "approve", "propose": "change", "adjust": "change"}

    def _items(self, plan):
        items = list(plan.items.select_related("business"))
        for item in items:
            item.reason_list = [r for r in item.reasons.split("\n") if r]
        return PlannedBusinessSerializer(items, many=True).data

    @extend_schema(request=None, responses=PlannedBusinessSerializer(many=True))
    @action(detail=True, methods=["get"])
    def items(self, request, pk=None):
        return Response(self._items(self.get_object()))

    @extend_schema(request=None, responses=PlanProgressSerializer)
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        return Response(PlanProgressSerializer(services.plan_progress(self.get_object())).data)

    @extend_schema(request=None, responses=PlannedBusinessSerializer(many=True))
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        plan = self.get_object()
        _django_errors(lambda: services.propose_plan(plan))
        return Response(self._items(plan))

    @extend_schema(request=AdjustSerializer, responses=PlannedBusinessSerializer(many=True))
    @action(detail=True, methods=["post"])
    def adjust(self, request, pk=None):
        plan = self.get_object()
        data = AdjustSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        wanted = set(data.validated_data.get("add", []))
        add = list(services.managed_in(plan.unit).visible_to(request.user).filter(pk__in=wanted).select_related("unit"))
        if len(add) != len(wanted):
            raise serializers.ValidationError({"add": [_("Chỉ thêm được cơ sở thuộc diện quản lý trên địa bàn "
                                                         "của kế hoạch.")]})
        _django_errors(lambda: services.adjust_plan(plan, add=add, remove=data.validated_data.get("remove", [])))
        return Response(self._items(plan))

    @extend_schema(request=None, responses=InspectionPlanSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        plan = _django_errors(lambda: services.approve_plan(self.get_object(), user=request.user))
        return Response(self.get_serializer(plan).data)

    @extend_schema(request=None, responses=InspectionPlanSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        plan = services.reopen_plan(self.get_object(), user=request.user)
        return Response(self.get_serializer(plan).data)


class InspectionSessionSerializer(ScopedSerializer):
    team = serializers.PrimaryKeyRelatedField(queryset=Team.objects.all())

    class Meta:
        model = InspectionSession
        fields = ["id", "team", "date", "kind", "plan", "decision_number", "decision_date", "note", "version"]


class InspectionSessionViewSet(ScopedViewSet):
    queryset = InspectionSession.objects.select_related("unit", "team")
    serializer_class = InspectionSessionSerializer
    filterset_class = InspectionSessionFilterSet


class InspectionVisitSerializer(ScopedSerializer):
    session = serializers.PrimaryKeyRelatedField(queryset=InspectionSession.objects.all())
    business = serializers.PrimaryKeyRelatedField(queryset=Business.objects.all())
    violations = serializers.SlugRelatedField(slug_field="code", many=True, required=False,
                                              queryset=ViolationType.objects.all())
    minutes_scan = serializers.FileField(required=False, allow_null=True, write_only=True)
    has_minutes_scan = serializers.SerializerMethodField()

    class Meta:
        model = InspectionVisit
        fields = [
            "id", "session", "business", "visited_on", "time", "attendees", "outcome", "violations", "findings",
            "fine_amount", "sanction_stage", "sanction_authority", "sanction_decision_number",
            "sanction_decision_date", "suspended_from", "suspended_until", "suspension_reason", "licence_withdrawn",
            "follow_up_due", "follow_up_of", "minutes_scan", "has_minutes_scan", "note", "version",
        ]
        read_only_fields = ["visited_on"]

    def get_has_minutes_scan(self, obj) -> bool:
        return bool(obj.minutes_scan)

    def validate_minutes_scan(self, scan):
        error = scan_error(scan) if scan is not None else None
        if error:
            raise serializers.ValidationError(error)
        return scan

    def validate(self, attrs):
        instance = self.instance
        for name in ("session", "business"):
            if instance is not None and name in attrs and attrs[name] != getattr(instance, name):
                raise serializers.ValidationError(
                    {name: _("Không thể chuyển lượt kiểm tra sang buổi hoặc cơ sở khác.")})
        attrs = super().validate(attrs)
        session = attrs.get("session") or (instance.session if instance else None)
        if instance is None and session is not None and not can_use_unit(
                self.context["request"].user, InspectionVisit, "add", session.unit):
            raise serializers.ValidationError({"session": _("Bạn không có quyền ghi lượt kiểm tra cho buổi này.")})
        outcome = attrs.get("outcome", instance.outcome if instance else InspectionVisit.Outcome.NO_VIOLATION)
        previous = list(instance.violations.all()) if instance else []
        violations = attrs["violations"] if "violations" in attrs else previous
        errors = services.violation_errors(outcome, violations, session.date if session else None, previous)
        if errors:
            raise serializers.ValidationError({"violations": errors})
        return attrs

    def update(self, instance, validated_data):
        violations = validated_data.pop("violations", None)
        instance = super().update(instance, validated_data)
        if violations is not None:
            instance.violations.set(violations)
        return instance


class InspectionVisitViewSet(ScopedViewSet):
    queryset = InspectionVisit.objects.select_related("unit", "business", "session").prefetch_related("violations")
    serializer_class = InspectionVisitSerializer
    filterset_class = InspectionVisitFilterSet

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path="minutes-scan")
    def minutes_scan(self, request, pk=None):
        """The scanned minutes (PDF, JPG or PNG)."""
        visit = self.get_object()
        if not visit.minutes_scan:
            raise Http404
        return private_file_response(visit.minutes_scan, f"bien-ban-{visit.pk}")


class CoverageSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    start = serializers.DateField()
    end = serializers.DateField()
    sessions = serializers.IntegerField()
    visits = serializers.IntegerField()
    businesses_visited = serializers.IntegerField()
    managed = serializers.IntegerField()
    managed_visited = serializers.IntegerField()
    coverage_percent = serializers.FloatField()
    reminders = serializers.IntegerField()
    violation_visits = serializers.IntegerField()
    violations_by_type = serializers.SerializerMethodField()
    fines = serializers.IntegerField()
    fines_total = serializers.IntegerField()
    fines_proposed = serializers.IntegerField()
    suspensions = serializers.IntegerField()
    licence_withdrawals = serializers.IntegerField()
    open_follow_ups = serializers.IntegerField()
    overdue_follow_ups = serializers.IntegerField()

    def get_violations_by_type(self, obj) -> list[dict]:
        return [{"code": t.code, "name": t.name, "count": n} for t, n in obj.violations_by_type]


class CoverageView(APIView):
    """Inspection figures of a unit's subtree over a period: `unit` (id; default the caller's unit),
    `start` and `end` (dd/mm/yyyy or yyyy-mm-dd; default 1 January to today)."""

    permission_classes = [RolePermission]
    queryset = InspectionVisit.objects.none()  # RolePermission: needs view_inspectionvisit

    @extend_schema(parameters=[OpenApiParameter("unit", int), OpenApiParameter("start", str),
                               OpenApiParameter("end", str)], responses=CoverageSerializer)
    def get(self, request):
        form = coverage_form(request.query_params, request.user)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        unit, start, end = form.cleaned_data["unit"], form.cleaned_data["start"], form.cleaned_data["end"]
        figures = services.coverage(unit, start, end)
        figures.unit = unit
        return Response(CoverageSerializer(figures).data)


register("violation-types", ViolationTypeViewSet)
register("inspection-teams", TeamViewSet)
register("inspection-team-members", TeamMemberViewSet)
register("inspection-plans", InspectionPlanViewSet)
register("inspection-sessions", InspectionSessionViewSet)
register("inspection-visits", InspectionVisitViewSet)
