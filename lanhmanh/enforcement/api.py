from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from lanhmanh.core.api import ScopedSerializer, ScopedViewSet, register
from lanhmanh.core.permissions import RolePermission
from lanhmanh.enforcement import services
from lanhmanh.enforcement.filters import EnforcementCaseFilterSet
from lanhmanh.enforcement.forms import CASE_LEVELS, agency_choices, comparison_form
from lanhmanh.enforcement.models import EnforcementCase, Offence
from lanhmanh.geo.models import AdminUnit


class OffenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Offence
        fields = ["code", "name", "case_type", "legal_reference", "valid_from", "valid_until"]


class OffenceViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of offences (Penal Code articles and administrative violations), with each entry's legal
    reference and validity dates."""

    queryset = Offence.objects.all()
    serializer_class = OffenceSerializer
    lookup_field = "code"
    filterset_fields = ["case_type"]


class EnforcementCaseSerializer(ScopedSerializer):
    """A case record: counts and links only, never a person's name. Offences by code; the business, tip and
    inspection visit by id, among those the caller may see."""

    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=CASE_LEVELS))
    offences = serializers.SlugRelatedField(slug_field="code", many=True, queryset=Offence.objects.all())

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and "agency" in fields:
            fields["agency"].queryset = agency_choices(request.user)
        return fields

    class Meta:
        model = EnforcementCase
        fields = [
            "id", "unit", "agency", "case_type", "offences", "reference_number", "detected_on", "instituted_on",
            "indicted_on", "tried_on", "business", "origin_tip", "origin_visit", "people_arrested",
            "people_prosecuted", "people_fined_admin", "fines_total", "sellers_identified", "sellers_referred",
            "minors_identified", "summary", "version",
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance
        case_type = attrs.get("case_type", instance.case_type if instance else None)
        detected_on = attrs.get("detected_on", instance.detected_on if instance else None)
        previous = list(instance.offences.all()) if instance else []
        offences = attrs["offences"] if "offences" in attrs else previous
        errors = services.offence_errors(case_type, offences, detected_on, previous)
        if errors:
            raise serializers.ValidationError({"offences": errors})
        return attrs

    def update(self, instance, validated_data):
        offences = validated_data.pop("offences", None)
        instance = super().update(instance, validated_data)
        if offences is not None:
            instance.offences.set(offences)
        return instance


class EnforcementCaseViewSet(ScopedViewSet):
    queryset = EnforcementCase.objects.select_related("unit").prefetch_related("offences")
    serializer_class = EnforcementCaseSerializer
    filterset_class = EnforcementCaseFilterSet
    ordering_fields = ["detected_on", "updated_at"]
    # A case is police information: every record an API read returns is access-logged.
    log_reads = True


class ComparisonRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    current = serializers.IntegerField()
    previous = serializers.IntegerField()
    change_percent = serializers.FloatField(allow_null=True)


class ComparisonSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    start = serializers.DateField()
    end = serializers.DateField()
    previous_start = serializers.DateField()
    previous_end = serializers.DateField()
    rows = ComparisonRowSerializer(many=True)


class ComparisonView(APIView):
    """Case figures of a unit's subtree over a period beside the same period a year earlier: `unit` (id; default
    the caller's unit), `start` and `end` (dd/mm/yyyy or yyyy-mm-dd; default 1 January to today)."""

    permission_classes = [RolePermission]
    queryset = EnforcementCase.objects.none()  # RolePermission: needs view_enforcementcase

    @extend_schema(parameters=[OpenApiParameter("unit", int), OpenApiParameter("start", str),
                               OpenApiParameter("end", str)], responses=ComparisonSerializer)
    def get(self, request):
        form = comparison_form(request.query_params, request.user)
        unit = request.query_params.get("unit", "")
        if unit.isdigit() and not form.fields["unit"].queryset.filter(pk=int(unit)).exists():
            # A unit outside the caller's scope is not confirmed to exist.
            raise exceptions.NotFound(_("Không tìm thấy đơn vị này trong phạm vi của bạn."))
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        data = form.cleaned_data
        comparison = services.year_on_year(data["unit"], data["start"], data["end"], user=request.user)
        return Response(ComparisonSerializer(comparison).data)


register("offences", OffenceViewSet)
register("enforcement-cases", EnforcementCaseViewSet)
