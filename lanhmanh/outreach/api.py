from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from lanhmanh.core.api import Conflict, ScopedSerializer, ScopedViewSet, register
from lanhmanh.core.permissions import RolePermission
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.core.uploads import UploadError, clean_upload
from lanhmanh.core.views import private_file_response
from lanhmanh.geo.models import AdminUnit
from lanhmanh.outreach import services
from lanhmanh.outreach.filters import CommunicationActivityFilterSet, TargetPopulationFilterSet
from lanhmanh.outreach.forms import OWNER_LEVELS, agency_choices, summary_form
from lanhmanh.outreach.models import (
    ActivityAttachment,
    ActivityAudience,
    CommunicationActivity,
    TargetGroup,
    TargetPopulation,
)


class AudienceSerializer(serializers.ModelSerializer):
    participants = serializers.IntegerField(min_value=0, allow_null=True, required=False, default=None)

    class Meta:
        model = ActivityAudience
        fields = ["target_group", "participants"]
        validators = []  # the activity's serializer checks repeated groups, in Vietnamese


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityAttachment
        fields = ["id", "description", "content_type", "size", "uploaded_at"]


class CommunicationActivitySerializer(ScopedSerializer):
    """An activity with its audiences, written as a list `[{"target_group": "students", "participants": 120}]`
    (`participants` null: reached but not counted). Sending `audiences` replaces them all; a PATCH without it keeps
    them. `participants_total` is their sum, kept by the server. Updates carry the `version` read (409 if stale)."""

    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=OWNER_LEVELS))
    residential_group = serializers.SlugRelatedField(
        slug_field="code",
        required=False,
        allow_null=True,
        queryset=AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP),
    )
    audiences = AudienceSerializer(many=True)
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = CommunicationActivity
        fields = [
            "id",
            "unit",
            "kind",
            "held_on",
            "residential_group",
            "title",
            "organiser",
            "cooperating_agencies",
            "materials_count",
            "audiences",
            "participants_total",
            "description",
            "attachments",
            "version",
        ]
        read_only_fields = ["participants_total"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            agencies = agency_choices(request.user)
            fields["organiser"].queryset = agencies
            fields["cooperating_agencies"].child_relation.queryset = agencies
        return fields

    def validate(self, attrs):
        audiences = attrs.pop("audiences", None)
        if audiences is None and self.instance is None:
            raise serializers.ValidationError({"audiences": _("Hãy ghi ít nhất một nhóm đối tượng.")})
        attrs = super().validate(attrs)
        if audiences is not None:
            errors = services.audience_errors(audiences)
            if errors:
                raise serializers.ValidationError({"audiences": errors})
            attrs["audiences"] = audiences
        return attrs

    def _save(self, instance, validated_data):
        audiences = validated_data.pop("audiences", None)
        agencies = validated_data.pop("cooperating_agencies", None)
        expected = validated_data.pop("version", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            return services.save_activity(
                instance,
                user=self.context["request"].user,
                audiences=audiences,
                cooperating_agencies=agencies,
                expected_version=expected,
            )
        except ConcurrentEditError as exc:
            raise Conflict() from exc
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"audiences": exc.messages}) from exc

    def create(self, validated_data):
        return self._save(CommunicationActivity(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)


class CommunicationActivityViewSet(ScopedViewSet):
    """Communication activities. `attachments` (POST, multipart) attaches a JPG, PNG or PDF (photos lose their
    metadata); `attachments/<id>` (GET) downloads one."""

    queryset = CommunicationActivity.objects.select_related("unit", "residential_group").prefetch_related(
        "audiences", "cooperating_agencies", "attachments"
    )
    serializer_class = CommunicationActivitySerializer
    filterset_class = CommunicationActivityFilterSet
    ordering_fields = ["held_on", "updated_at", "participants_total"]
    action_permissions = {"attachments": "change", "attachment": "view"}

    def get_queryset(self):
        if self.action in self.action_permissions:
            return self.queryset.all().visible_to(self.request.user, self.action_permissions[self.action])
        return super().get_queryset()

    def perform_create(self, serializer):
        serializer.save()
        serializer.instance = self._fresh(serializer.instance)

    def perform_update(self, serializer):
        serializer.save()
        serializer.instance = self._fresh(serializer.instance)

    def _fresh(self, activity):
        return self.queryset.get(pk=activity.pk)

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}, "description": {"type": "string"}},
            }
        },
        responses=CommunicationActivitySerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def attachments(self, request, pk=None):
        """Attach a JPG, PNG or PDF to the activity."""
        activity = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": _("Hãy chọn tệp.")})
        try:
            stored, content_type = clean_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        except UploadError as exc:
            raise serializers.ValidationError({"file": str(exc)}) from exc
        ActivityAttachment.objects.create(
            activity=activity,
            file=stored,
            content_type=content_type,
            size=stored.size,
            description=str(request.data.get("description") or "")[:255],
            uploaded_by=request.user,
        )
        return Response(self.get_serializer(self._fresh(activity)).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>\d+)")
    def attachment(self, request, pk=None, attachment_pk=None):
        activity = self.get_object()
        attachment = activity.attachments.filter(pk=attachment_pk).first()
        if attachment is None:
            raise exceptions.NotFound()
        return private_file_response(attachment.file, f"tuyen-truyen-{activity.pk}-{attachment.pk}")


class TargetPopulationSerializer(ScopedSerializer):
    """A unit's target-group populations for a year. `risk_workers` and `residential_groups` may be null: the
    figures then come from the registry (`registry_risk_workers`) and the administrative tree
    (`geo_residential_groups`), both read-only."""

    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=OWNER_LEVELS))
    registry_risk_workers = serializers.IntegerField(read_only=True, allow_null=True)
    geo_residential_groups = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = TargetPopulation
        fields = [
            "id",
            "unit",
            "year",
            "students",
            "risk_workers",
            "registry_risk_workers",
            "iz_workers",
            "residential_groups",
            "geo_residential_groups",
            "source",
            "note",
            "version",
        ]
        validators = []  # TargetPopulation.clean() says "already recorded" in Vietnamese


class TargetPopulationViewSet(ScopedViewSet):
    queryset = TargetPopulation.objects.select_related("unit")
    serializer_class = TargetPopulationSerializer
    filterset_class = TargetPopulationFilterSet
    ordering_fields = ["year", "updated_at"]

    def get_queryset(self):
        return services.with_population_defaults(super().get_queryset()).order_by(
            *TargetPopulation._meta.ordering, "pk"
        )

    def perform_create(self, serializer):
        serializer.save()
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_update(self, serializer):
        serializer.save()
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)


# -- the unit summary -------------------------------------------------------------------------------


class ShareSerializer(serializers.Serializer):
    with_activity = serializers.IntegerField()
    total = serializers.IntegerField(allow_null=True, help_text=_("Null: chưa có số liệu."))
    percent = serializers.FloatField(allow_null=True, help_text=_("Null: chưa có số liệu (không có mẫu số)."))


def _share(share) -> dict:
    return {"with_activity": share.with_activity, "total": share.total, "percent": _round(share.percent)}


def _round(value):
    return None if value is None else round(value, 2)


class ActivityFiguresSerializer(serializers.Serializer):
    activities = serializers.IntegerField()
    participants = serializers.IntegerField()
    materials = serializers.IntegerField()
    participants_by_group = serializers.DictField(child=serializers.IntegerField())
    activities_by_group = serializers.DictField(child=serializers.IntegerField())
    by_kind = serializers.DictField(child=serializers.IntegerField())


class ReachSerializer(serializers.Serializer):
    target_group = serializers.ChoiceField(choices=TargetGroup.choices)
    label = serializers.CharField()
    participants = serializers.IntegerField()
    participants_covered = serializers.IntegerField()
    population = serializers.IntegerField(allow_null=True)
    from_registry = serializers.IntegerField(allow_null=True)
    units_recorded = serializers.IntegerField()
    communes_covered = serializers.IntegerField()
    communes_total = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)


class ChildSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    figures = ActivityFiguresSerializer()
    reach = ReachSerializer(many=True)
    communes = ShareSerializer()
    residential_groups = ShareSerializer()


class SummarySerializer(ChildSerializer):
    year = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    children = ChildSerializer(many=True)


def _node(unit, figures, reach, communes, groups) -> dict:
    return {
        "unit": unit.code,
        "unit_name": unit.name,
        "figures": {
            "activities": figures.activities,
            "participants": figures.participants,
            "materials": figures.materials,
            "participants_by_group": figures.participants_by_group,
            "activities_by_group": figures.activities_by_group,
            "by_kind": figures.by_kind,
        },
        "reach": [{**vars(row), "percent": _round(row.percent)} for row in reach.values()],
        "communes": _share(communes),
        "residential_groups": _share(groups),
    }


class OutreachSummaryView(APIView):
    """Communication figures of a unit's subtree for a year, and of each unit directly below it: `unit` (id;
    default the caller's highest unit), `year` (default this year). Percentages are null ("no data") when no
    population is recorded, never 0."""

    permission_classes = [RolePermission]
    queryset = CommunicationActivity.objects.none()  # RolePermission: needs view_communicationactivity

    @extend_schema(
        parameters=[OpenApiParameter("unit", int), OpenApiParameter("year", int)], responses=SummarySerializer
    )
    def get(self, request):
        form = summary_form(request.query_params, request.user)
        unit = request.query_params.get("unit", "")
        if unit.isdigit() and not form.fields["unit"].queryset.filter(pk=int(unit)).exists():
            # A unit outside the caller's scope is not confirmed to exist.
            raise exceptions.NotFound(_("Không tìm thấy đơn vị này trong phạm vi của bạn."))
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        summary = services.outreach_summary(form.cleaned_data["unit"], form.cleaned_data["year"], user=request.user)
        data = _node(summary.unit, summary.figures, summary.reach, summary.communes, summary.residential_groups)
        data.update(
            year=summary.year,
            start=summary.start,
            end=summary.end,
            children=[_node(c.unit, c.figures, c.reach, c.communes, c.residential_groups) for c in summary.children],
        )
        return Response(SummarySerializer(data).data)


register("communication-activities", CommunicationActivityViewSet)
register("target-populations", TargetPopulationViewSet)
