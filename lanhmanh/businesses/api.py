from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from lanhmanh.businesses.filters import BusinessFilterSet, CommitmentFilterSet, SuspicionFilterSet
from lanhmanh.businesses.forms import scan_error
from lanhmanh.businesses.models import Business, BusinessType, Commitment, Suspicion
from lanhmanh.businesses.services import mark_reviewed, suggest_risk, with_risk_data
from lanhmanh.businesses.views import scan_response
from lanhmanh.core.api import ScopedSerializer, ScopedViewSet, register
from lanhmanh.geo.models import AdminUnit


class BusinessSerializer(ScopedSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(
        level=AdminUnit.Level.COMMUNE))
    business_type = serializers.SlugRelatedField(slug_field="code", queryset=BusinessType.objects.all())
    residential_group = serializers.SlugRelatedField(
        slug_field="code", queryset=AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP),
        required=False, allow_null=True,
    )
    has_valid_commitment = serializers.SerializerMethodField()
    suggested_risk = serializers.SerializerMethodField()

    class Meta:
        model = Business
        fields = [
            "id", "unit", "name", "business_type", "address", "residential_group", "owner_name", "owner_phone",
            "tax_code", "licence_number", "licence_date", "licence_issuer", "security_cert_number",
            "security_cert_date", "security_cert_issuer", "opened_on", "status", "status_since",
            "subject_to_management", "workers_total", "workers_female", "workers_other_province",
            "workforce_as_of", "risk_level", "risk_reasons", "suggested_risk", "last_reviewed_on", "note",
            "has_valid_commitment", "version",
        ]
        read_only_fields = ["last_reviewed_on"]

    def get_has_valid_commitment(self, obj) -> bool:
        annotated = getattr(obj, "has_valid_commitment", None)  # set by the list queryset
        if annotated is not None:
            return annotated
        return obj.commitments.valid_on(timezone.localdate()).exists()

    @extend_schema_field(serializers.ChoiceField(choices=["low", "medium", "high"]))
    def get_suggested_risk(self, obj):
        return suggest_risk(obj)[0]


class BusinessViewSet(ScopedViewSet):
    queryset = Business.objects.select_related("unit", "business_type", "residential_group")
    serializer_class = BusinessSerializer
    filterset_class = BusinessFilterSet
    ordering_fields = ["name", "risk_level", "last_reviewed_on", "updated_at"]

    def get_queryset(self):
        return with_risk_data(super().get_queryset().with_commitment_state())

    @extend_schema(request=None, responses=BusinessSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Record today's review (rà soát) of this business by the caller."""
        business = self.get_object()
        mark_reviewed([business], user=request.user)
        business = self.get_queryset().get(pk=business.pk)
        return Response(self.get_serializer(business).data)


class CommitmentSerializer(ScopedSerializer):
    business = serializers.PrimaryKeyRelatedField(queryset=Business.objects.all())
    scan = serializers.FileField(required=False, allow_null=True, write_only=True)
    has_scan = serializers.SerializerMethodField()
    is_valid = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = ["id", "business", "signed_on", "signer_name", "signer_position", "valid_until", "note", "scan",
                  "has_scan", "is_valid", "version"]

    def get_has_scan(self, obj) -> bool:
        return bool(obj.scan)

    def get_is_valid(self, obj) -> bool:
        return obj.is_valid_on(timezone.localdate())

    def validate_scan(self, scan):
        error = scan_error(scan) if scan is not None else None
        if error:
            raise serializers.ValidationError(error)
        return scan

    def validate_business(self, business):
        if self.instance is not None and business != self.instance.business:
            raise serializers.ValidationError(_("Không thể chuyển bản cam kết sang cơ sở khác."))
        return business


class CommitmentViewSet(ScopedViewSet):
    queryset = Commitment.objects.select_related("unit", "business")
    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilterSet

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def scan(self, request, pk=None):
        """The scanned commitment form (PDF, JPG or PNG)."""
        commitment = self.get_object()
        if not commitment.scan:
            raise Http404
        return scan_response(commitment)


class SuspicionSerializer(ScopedSerializer):
    business = serializers.PrimaryKeyRelatedField(queryset=Business.objects.all())

    class Meta:
        model = Suspicion
        fields = ["id", "business", "kind", "noted_on", "source", "details", "cleared_on", "version"]


class SuspicionViewSet(ScopedViewSet):
    queryset = Suspicion.objects.select_related("unit", "business")
    serializer_class = SuspicionSerializer
    filterset_class = SuspicionFilterSet
    log_reads = True


register("businesses", BusinessViewSet)
register("commitments", CommitmentViewSet)
register("suspicions", SuspicionViewSet)
