from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from lanhmanh.community import services
from lanhmanh.community.filters import ModelActivityFilterSet, PreventionModelFilterSet
from lanhmanh.community.forms import agency_choices
from lanhmanh.community.models import MODEL_LEVELS, ModelActivity, PreventionModel
from lanhmanh.core.api import Conflict, ScopedSerializer, ScopedViewSet, register
from lanhmanh.core.scoping import permission_name, scope_paths
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.geo.models import AdminUnit, Agency


class PreventionModelSerializer(ScopedSerializer):
    """A prevention model or club. The unit and residential group by code, the lead agency by id. The status and
    its dates are read-only here: change them with the `pause`, `resume` and `dissolve` actions."""

    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=MODEL_LEVELS))
    residential_group = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP),
        required=False,
        allow_null=True,
    )
    lead_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    active_today = serializers.SerializerMethodField()

    class Meta:
        model = PreventionModel
        fields = [
            "id",
            "unit",
            "name",
            "kind",
            "residential_group",
            "decision_number",
            "decision_date",
            "established_on",
            "status",
            "paused_on",
            "resumed_on",
            "dissolved_on",
            "status_note",
            "active_today",
            "members_count",
            "lead_agency",
            "funding_source",
            "annual_funding",
            "description",
            "version",
        ]
        read_only_fields = ["status", "paused_on", "resumed_on", "dissolved_on", "status_note"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "lead_agency" in fields:
            fields["lead_agency"].queryset = agency_choices(request.user)
        return fields

    def get_active_today(self, obj) -> bool:
        return obj.is_active_on(timezone.localdate())


class StatusChangeSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("Phiên bản đã đọc."))
    on = serializers.DateField(required=False, help_text=_("Ngày có hiệu lực; mặc định hôm nay."))
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


class ModelFiguresSerializer(serializers.Serializer):
    unit = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    figures = serializers.DictField(child=serializers.IntegerField())
    active_by_kind = serializers.DictField(child=serializers.IntegerField())


class PreventionModelViewSet(ScopedViewSet):
    """Prevention models and clubs. Status changes are actions — `pause`, `resume`, `dissolve` — each with the
    `version` read, the day (`on`, default today) and the `reason` (required to pause or dissolve); a stale version
    gets 409. `figures` gives the figures of a unit's subtree over a period."""

    queryset = PreventionModel.objects.select_related("unit", "residential_group")
    serializer_class = PreventionModelSerializer
    filterset_class = PreventionModelFilterSet
    ordering_fields = ["established_on", "name", "updated_at"]
    action_permissions = {"pause": "change", "resume": "change", "dissolve": "change", "figures": "view"}

    def get_queryset(self):
        if self.action in self.action_permissions:
            return self.queryset.all().visible_to(self.request.user, self.action_permissions[self.action])
        return super().get_queryset().order_by(*PreventionModel._meta.ordering, "pk")

    def _status_change(self, request, func):
        model = self.get_object()
        data = StatusChangeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            model = func(
                model,
                on=values.get("on"),
                reason=values["reason"],
                user=request.user,
                expected_version=values["version"],
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc
        except ConcurrentEditError as exc:
            raise Conflict() from exc
        return Response(self.get_serializer(model).data)

    @extend_schema(request=StatusChangeSerializer, responses=PreventionModelSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._status_change(request, services.pause_model)

    @extend_schema(request=StatusChangeSerializer, responses=PreventionModelSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._status_change(request, services.resume_model)

    @extend_schema(request=StatusChangeSerializer, responses=PreventionModelSerializer)
    @action(detail=True, methods=["post"])
    def dissolve(self, request, pk=None):
        return self._status_change(request, services.dissolve_model)

    @extend_schema(
        parameters=[
            OpenApiParameter("unit", int, required=True),
            OpenApiParameter("start", str),
            OpenApiParameter("end", str),
        ],
        responses=ModelFiguresSerializer,
    )
    @action(detail=False, methods=["get"], filterset_class=None)
    def figures(self, request):
        """`unit` (id), `start` and `end` (yyyy-mm-dd; default 1 January to today): models active at the end of the
        period (in total and by kind), new and dissolved models, activities, meetings and their participants."""
        params = request.query_params
        today = timezone.localdate()
        unit_id = params.get("unit", "")
        units = AdminUnit.objects.filter(level__lt=AdminUnit.Level.RESIDENTIAL_GROUP).within(
            scope_paths(request.user, permission_name(PreventionModel, "view"))
        )
        unit = units.filter(pk=int(unit_id)).first() if unit_id.isdigit() else None
        if unit is None:
            raise exceptions.NotFound(_("Không tìm thấy đơn vị này trong phạm vi của bạn."))
        dates = serializers.DateField()
        try:
            start = dates.to_internal_value(params["start"]) if params.get("start") else today.replace(month=1, day=1)
            end = dates.to_internal_value(params["end"]) if params.get("end") else today
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"date": exc.detail}) from exc
        if end < start:
            raise serializers.ValidationError({"end": _("Ngày kết thúc phải sau ngày bắt đầu.")})
        figures = services.model_figures(unit, start, end, user=request.user)
        active = services.active_models(unit, end, user=request.user)
        return Response(
            {"unit": unit.code, "start": start, "end": end, "figures": figures, "active_by_kind": active["by_kind"]}
        )


class ModelActivitySerializer(ScopedSerializer):
    """A meeting or activity of a model: counts only, never names. It takes its model's unit."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    prevention_model = serializers.PrimaryKeyRelatedField(queryset=PreventionModel.objects.all())

    class Meta:
        model = ModelActivity
        fields = ["id", "prevention_model", "unit", "date", "kind", "participants_count", "description", "version"]

    def validate(self, attrs):
        if (
            self.instance is not None
            and "prevention_model" in attrs
            and attrs["prevention_model"] != self.instance.prevention_model
        ):
            raise serializers.ValidationError(
                {"prevention_model": _("Không chuyển hoạt động sang mô hình khác; hãy xóa và ghi lại.")}
            )
        return super().validate(attrs)


class ModelActivityViewSet(ScopedViewSet):
    queryset = ModelActivity.objects.select_related("unit")
    serializer_class = ModelActivitySerializer
    filterset_class = ModelActivityFilterSet
    ordering_fields = ["date", "updated_at"]

    def get_queryset(self):
        return super().get_queryset().order_by(*ModelActivity._meta.ordering)


register("prevention-models", PreventionModelViewSet)
register("prevention-model-activities", ModelActivityViewSet)
