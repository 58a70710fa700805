"""REST API of the support module, with the same rules as the pages: every write goes through
`lanhmanh.support.services`, which checks consent, scope and version itself.

Privacy: no response here carries an identifying field of a client. They leave the server only through
- `POST support-clients/{id}/identity/` (with a reason; one access-log row per call),
- `POST support-clients/{id}/export/` (the data-subject export; one access-log row, written by `rights`),
- `POST incoming-referrals/{id}/shared-identity/` (what the sender chose to share; one access-log row).
The receiving agency's view (`incoming-referrals`) never shows the client's id or code.
"""

from types import SimpleNamespace

import django_filters
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Case, CharField, Exists, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from lanhmanh.core.api import Conflict, ScopedSerializer, ScopedViewSet, register, router
from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.core.models import AccessLog
from lanhmanh.core.permissions import ACTIONS, RolePermission
from lanhmanh.core.scoping import can_use_unit, scope_paths
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.geo.models import AdminUnit, Agency, AgencyType
from lanhmanh.support import services
from lanhmanh.support.filters import SupportClientFilterSet
from lanhmanh.support.models import (
    CLIENT_LEVELS,
    IDENTIFYING_SHARED_ITEMS,
    IDENTITY_FIELDS,
    AgeGroup,
    CloseReason,
    Consent,
    ConsentGiver,
    ConsentMethod,
    ErasureKind,
    ErasureRecord,
    Gender,
    NeedArea,
    NeedsAssessment,
    Referral,
    ReferralStatus,
    ServiceDelivery,
    ServiceOutcome,
    ServiceType,
    SharedItem,
    SupportClient,
)

# Consent fields that register_client may refuse: their errors belong under "consent" in the answer.
CONSENT_FIELDS = ("given_on", "method", "given_by", "for_services", "for_referral", "referral_agency_types",
                  "for_phone_contact", "signed_form")


def _messages(exc: DjangoValidationError):
    return exc.message_dict if hasattr(exc, "error_dict") else exc.messages


def _run(func):
    """Call a service; its refusals become 400 (with its Vietnamese messages) and 409. A Django PermissionDenied
    becomes 403 by DRF itself."""
    try:
        return func()
    except DjangoValidationError as exc:
        raise serializers.ValidationError(_messages(exc)) from exc
    except ConcurrentEditError as exc:
        raise Conflict() from exc


def _private(response):
    # Identifying details must not stay in a shared cache or the browser's.
    response["Cache-Control"] = "private, no-store"
    return response


class AnyPermission(RolePermission):
    """RolePermission's login and second-factor checks, then any one of `view.required_permissions`: for the views
    whose permission is not "the model permission of the HTTP method" (the receiving agency, the catalogue, the
    access review)."""

    _NO_MODEL = SimpleNamespace(queryset=None)

    def has_permission(self, request, view):
        if not super().has_permission(request, self._NO_MODEL):
            return False
        return any(request.user.has_perm(perm) for perm in view.required_permissions)


class VisibleRelatedField(serializers.PrimaryKeyRelatedField):
    """A record the user may see; any other is "not found" for them, as on the pages."""

    def get_queryset(self):
        request = self.context.get("request")
        return super().get_queryset().visible_to(getattr(request, "user", None), "view")


class SupportVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=gettext_lazy("Phiên bản đã đọc."))


class RevealReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text=gettext_lazy("Lý do xem; được ghi vào nhật ký truy cập."))


class ReferralSharedValueSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=SharedItem.choices)
    label = serializers.CharField()
    value = serializers.CharField()


def _shared_statistics(referral) -> list[dict]:
    """The statistical items the sender shared (services.shared_statistics), with their codes."""
    items = [i for i in referral.shared_items if i in SharedItem.values and i not in IDENTIFYING_SHARED_ITEMS]
    return [{"item": item, "label": label, "value": value}
            for item, (label, value) in zip(items, services.shared_statistics(referral), strict=True)]


# -- filters ------------------------------------------------------------------------------------------------------


def _client_part_filters(model, date_field, extra=()):
    """unit (subtree), client (id) and a date range on `date_field`, plus `extra` model fields."""
    attrs = {
        "client": django_filters.NumberFilter(field_name="client_id", label=gettext_lazy("Người được hỗ trợ (id)")),
        date_field: django_filters.DateFromToRangeFilter(label=gettext_lazy("Ngày (từ – đến)")),
        "Meta": type("Meta", (), {"model": model, "fields": ["unit", "client", date_field, *extra]}),
    }
    return type(f"{model.__name__}ApiFilterSet", (ScopedFilterSet,), attrs)


ConsentApiFilterSet = _client_part_filters(Consent, "given_on")
NeedsAssessmentApiFilterSet = _client_part_filters(NeedsAssessment, "assessed_on", ["has_needs"])
ServiceDeliveryApiFilterSet = _client_part_filters(ServiceDelivery, "delivered_on", ["outcome"])
ReferralApiFilterSet = _client_part_filters(Referral, "sent_on", ["status", "is_child_protection"])


# -- clients ------------------------------------------------------------------------------------------------------


class SupportClientSerializer(ScopedSerializer):
    """A client as the API shows it: code and statistical fields, never an identifying one."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    origin_province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    needs_child_protection_referral = serializers.SerializerMethodField()

    class Meta:
        model = SupportClient
        fields = ["id", "code", "unit", "registered_on", "birth_year", "age_group", "gender", "origin_province",
                  "is_minor", "status", "closed_on", "close_reason", "identity_purged_at", "anonymised_at",
                  "needs_child_protection_referral", "version"]
        read_only_fields = fields

    def get_needs_child_protection_referral(self, obj) -> bool:
        if hasattr(obj, "has_child_protection_referral"):
            return obj.is_minor and not obj.has_child_protection_referral
        return services.needs_child_protection_referral(obj)


class ClientIdentitySerializer(serializers.Serializer):
    """Identifying details: write-only on registration and correction, returned only by the logged `identity`
    action."""

    full_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    date_of_birth = serializers.CharField(required=False, allow_blank=True, max_length=10,
                                          help_text=gettext_lazy("dd/mm/yyyy"))
    phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=20)
    address = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ConsentFieldsSerializer(serializers.Serializer):
    given_on = serializers.DateField(required=False, help_text=gettext_lazy("Mặc định: ngày tiếp nhận."))
    method = serializers.ChoiceField(choices=ConsentMethod.choices, default=ConsentMethod.WRITTEN)
    given_by = serializers.ChoiceField(choices=ConsentGiver.choices, default=ConsentGiver.SELF)
    for_services = serializers.BooleanField(default=True)
    for_referral = serializers.BooleanField(default=False)
    referral_agency_types = serializers.SlugRelatedField(
        slug_field="code", queryset=AgencyType.objects.all(), many=True, required=False,
        help_text=gettext_lazy("Mã các loại cơ quan được chuyển gửi đến."),
    )
    for_phone_contact = serializers.BooleanField(default=False)


class StatisticalFieldsSerializer(serializers.Serializer):
    registered_on = serializers.DateField()
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    age_group = serializers.ChoiceField(choices=AgeGroup.choices, required=False)
    gender = serializers.ChoiceField(choices=Gender.choices, required=False)
    origin_province = serializers.SlugRelatedField(
        slug_field="code", queryset=AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE), required=False,
        allow_null=True,
    )
    is_minor = serializers.BooleanField(required=False)


class SupportClientCreateSerializer(StatisticalFieldsSerializer):
    """Registration: the statistical fields, the consent given at the first contact and, optionally, the identifying
    details. A minor needs the child-protection agency the referral goes to."""

    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=CLIENT_LEVELS))
    consent = ConsentFieldsSerializer()
    identity = ClientIdentitySerializer(required=False, write_only=True)
    child_protection_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True,
    )
    child_protection_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    def validate_unit(self, unit):
        if not can_use_unit(self.context["request"].user, SupportClient, "add", unit):
            raise serializers.ValidationError(_("Bạn không có quyền ghi dữ liệu cho đơn vị này."))
        return unit


class SupportClientUpdateSerializer(StatisticalFieldsSerializer):
    """The statistical fields (identifying details: `correct-identity`; status: `close` and `reopen`)."""

    version = serializers.IntegerField(help_text=gettext_lazy("Phiên bản đã đọc."))


class ClientIdentityCorrectionSerializer(ClientIdentitySerializer):
    version = serializers.IntegerField(help_text=gettext_lazy("Phiên bản đã đọc."))


class CloseCaseSerializer(SupportVersionSerializer):
    on = serializers.DateField(required=False, help_text=gettext_lazy("Mặc định hôm nay."))
    reason = serializers.ChoiceField(choices=CloseReason.choices)


class ClientExportSerializer(RevealReasonSerializer):
    format = serializers.ChoiceField(choices=[("json", "JSON"), ("docx", "DOCX")], default="json")


class ClientErasureSerializer(SupportVersionSerializer):
    kind = serializers.ChoiceField(choices=ErasureKind.choices)
    request_reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)

    def validate_kind(self, kind):
        # The retention purge is the scheduled task's, not a request's.
        if kind == ErasureKind.RETENTION:
            raise serializers.ValidationError(_("Hãy chọn cách xóa dữ liệu."))
        return kind


class ErasureRecordSerializer(serializers.ModelSerializer):
    class Meta:
        model = ErasureRecord
        fields = ["kind", "performed_at", "request_reference"]


def _statistical_fields(values: dict) -> dict:
    return {k: v for k, v in values.items() if k in StatisticalFieldsSerializer._declared_fields}


def _nest_errors(messages):
    """Errors of the consent or the identity go under "consent" and "identity", as the request sent them."""
    if not isinstance(messages, dict):
        return messages
    nested, consent, identity = {}, {}, {}
    for key, value in messages.items():
        if key in CONSENT_FIELDS:
            consent[key] = value
        elif key in IDENTITY_FIELDS:
            identity[key] = value
        else:
            nested[key] = value
    if consent:
        nested["consent"] = consent
    if identity:
        nested["identity"] = identity
    return nested


class ScopedActionsMixin:
    """Actions take the scope of the permission they need (`action_permissions`), not the HTTP method's; lists are
    built from `base_queryset()` so every row is read in a constant number of queries."""

    action_permissions: dict = {}

    def initial(self, request, *args, **kwargs):
        # "Never deleted, never edited" is the answer for everyone (405), before "you may not" (403).
        if request.method.lower() not in self.http_method_names:
            raise exceptions.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def base_queryset(self):
        return self.queryset.all()

    def get_queryset(self):
        needed = self.action_permissions.get(self.action) or ACTIONS.get(self.request.method, "view")
        return self.base_queryset().visible_to(self.request.user, needed)

    def fresh(self, instance):
        """The record as the list shows it (annotations included), after a write."""
        return self.base_queryset().get(pk=instance.pk)

    def respond(self, instance, code=status.HTTP_200_OK):
        return Response(self.get_serializer(self.fresh(instance)).data, status=code)

    def input(self, serializer_class, **kwargs):
        data = serializer_class(data=self.request.data, context=self.get_serializer_context(), **kwargs)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)


def _part_schema(read, create, update=None):
    views = {"create": extend_schema(request=create, responses={201: read})}
    if update is not None:
        views["update"] = extend_schema(request=update, responses=read)
        views["partial_update"] = extend_schema(request=update, responses=read)
    return extend_schema_view(**views)


def _hide_identity_from_error_reports(request):
    # What sensitive_post_parameters does for a Django view (it refuses DRF's Request wrapper): a 500 report then
    # shows these form fields as stars. A JSON body is never in those reports.
    request._request.sensitive_post_parameters = IDENTITY_FIELDS


@_part_schema(SupportClientSerializer, SupportClientCreateSerializer, SupportClientUpdateSerializer)
class SupportClientViewSet(ScopedActionsMixin, ScopedViewSet):
    """Clients, by code. Registration (POST) takes the consent and, optionally, the identifying details (write-only).
    Identifying details are read only with the `identity` action (a reason; logged). Case steps are actions with the
    `version` read: `close`, `reopen`, `correct-identity`, `erase`; `export` gives everything held about the client."""

    queryset = SupportClient.objects.all()
    serializer_class = SupportClientSerializer
    filterset_class = SupportClientFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["registered_on", "code", "status"]
    action_permissions = {"identity": "view", "correct_identity": "change", "close": "change", "reopen": "change",
                          "export": "export", "erase": "erase"}

    def base_queryset(self):
        # The rule of services.needs_child_protection_referral, as one subquery for a whole list.
        under_way = Referral.objects.filter(client=OuterRef("pk"), is_child_protection=True).exclude(
            status__in=(ReferralStatus.DECLINED, ReferralStatus.CANCELLED))
        return SupportClient.objects.select_related("unit", "origin_province").annotate(
            has_child_protection_referral=Exists(under_way)).order_by(*SupportClient._meta.ordering)

    def create(self, request, *args, **kwargs):
        _hide_identity_from_error_reports(request)
        values = self.input(SupportClientCreateSerializer)
        consent = values.pop("consent")
        agency_types = consent.pop("referral_agency_types", [])
        identity = values.pop("identity", None)
        try:
            client = services.register_client(
                user=request.user, unit=values.pop("unit"), fields=_statistical_fields(values),
                consent_fields=consent, agency_types=agency_types, identity=identity,
                child_protection_agency=values.get("child_protection_agency"),
                child_protection_reason=values.get("child_protection_reason", ""),
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(_nest_errors(_messages(exc))) from exc
        return self.respond(client, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        client = self.get_object()
        values = self.input(SupportClientUpdateSerializer, partial=partial)
        version = values.pop("version", None)
        if version is None:
            raise serializers.ValidationError({"version": _("Cần gửi kèm phiên bản (version) đã đọc.")})
        client = _run(lambda: services.update_client(client, user=request.user, fields=_statistical_fields(values),
                                                     expected_version=version))
        return self.respond(client)

    @extend_schema(request=RevealReasonSerializer, responses=ClientIdentitySerializer)
    @action(detail=True, methods=["post"])
    def identity(self, request, pk=None):
        """The identifying details, for support workers of the client's own unit: one access-log row per call."""
        client = self.get_object()
        reason = self.input(RevealReasonSerializer)["reason"]
        details = _run(lambda: services.reveal_identity(client, user=request.user, reason=reason,
                                                        endpoint="api:supportclient-identity"))
        return _private(Response(details))

    @extend_schema(request=ClientIdentityCorrectionSerializer, responses=SupportClientSerializer)
    @action(detail=True, methods=["post"], url_path="correct-identity")
    def correct_identity(self, request, pk=None):
        """Correct the identifying details (only the fields sent). The answer does not repeat them."""
        _hide_identity_from_error_reports(request)
        client = self.get_object()
        values = self.input(ClientIdentityCorrectionSerializer)
        version = values.pop("version")
        client = _run(lambda: services.update_identity(client, user=request.user, identity=values,
                                                       expected_version=version))
        return self.respond(client)

    @extend_schema(request=CloseCaseSerializer, responses=SupportClientSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        client = self.get_object()
        values = self.input(CloseCaseSerializer)
        on = values.get("on") or timezone.localdate()
        client = _run(lambda: services.close_case(client, user=request.user, on=on, reason=values["reason"],
                                                  expected_version=values["version"]))
        return self.respond(client)

    @extend_schema(request=SupportVersionSerializer, responses=SupportClientSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        client = self.get_object()
        version = self.input(SupportVersionSerializer)["version"]
        client = _run(lambda: services.reopen_case(client, user=request.user, expected_version=version))
        return self.respond(client)

    @extend_schema(request=ClientExportSerializer, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["post"])
    def export(self, request, pk=None):
        """Everything held about the client (the person's right of access), as JSON or DOCX: logged."""
        from lanhmanh.support import rights  # written alongside; imported here so the API loads without it

        client = self.get_object()
        values = self.input(ClientExportSerializer)
        ext = values["format"]
        exporter = rights.export_docx if ext == "docx" else rights.export_json
        content = _run(lambda: exporter(client, user=request.user, reason=values["reason"],
                                        endpoint="api:supportclient-export"))
        response = HttpResponse(content, content_type=rights.DOCX_CONTENT_TYPE if ext == "docx"
                                else rights.JSON_CONTENT_TYPE)
        # The code only: a file name must not carry the person's name.
        response["Content-Disposition"] = f'attachment; filename="{rights.export_filename(client, ext)}"'
        return _private(response)

    @extend_schema(request=ClientErasureSerializer, responses=ErasureRecordSerializer)
    @action(detail=True, methods=["post"])
    def erase(self, request, pk=None):
        """Erase the identifying details, or anonymise the whole record, on a lawful request. The counts stay."""
        client = self.get_object()
        values = self.input(ClientErasureSerializer)
        record = _run(lambda: services.erase_client(client, user=request.user, kind=values["kind"],
                                                    request_reference=values["request_reference"],
                                                    expected_version=values["version"]))
        return Response(ErasureRecordSerializer(record).data)


# -- consents -----------------------------------------------------------------------------------------------------


class ClientPartSerializer(ScopedSerializer):
    """A record about a client: the client by id and code, and the minor flag shown with every such record."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    client_code = serializers.CharField(source="client.code", read_only=True)
    is_minor = serializers.BooleanField(source="client.is_minor", read_only=True)


class ConsentSerializer(ClientPartSerializer):
    referral_agency_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    has_signed_form = serializers.SerializerMethodField()

    class Meta:
        model = Consent
        fields = ["id", "client", "client_code", "is_minor", "unit", "given_on", "method", "given_by", "for_services",
                  "for_referral", "referral_agency_types", "for_phone_contact", "has_signed_form", "withdrawn_on",
                  "withdrawal_note", "version"]
        read_only_fields = fields

    def get_has_signed_form(self, obj) -> bool:
        return bool(obj.signed_form)


class ConsentCreateSerializer(ConsentFieldsSerializer):
    client = VisibleRelatedField(queryset=SupportClient.objects.all())
    given_on = serializers.DateField()
    signed_form = serializers.FileField(required=False, help_text=gettext_lazy("Ảnh hoặc PDF phiếu đồng ý đã ký."))


class ConsentWithdrawalSerializer(SupportVersionSerializer):
    on = serializers.DateField(required=False, help_text=gettext_lazy("Mặc định hôm nay."))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


@_part_schema(ConsentSerializer, ConsentCreateSerializer)
class ConsentViewSet(ScopedActionsMixin, ScopedViewSet):
    """Consents. A consent is never edited or deleted: it is withdrawn (`withdraw`) and a new one recorded."""

    queryset = Consent.objects.all()
    serializer_class = ConsentSerializer
    filterset_class = ConsentApiFilterSet
    http_method_names = ["get", "post", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    ordering_fields = ["given_on"]
    action_permissions = {"withdraw": "change"}

    def base_queryset(self):
        return Consent.objects.select_related("unit", "client").prefetch_related("referral_agency_types").order_by(
            *Consent._meta.ordering)

    def create(self, request, *args, **kwargs):
        values = self.input(ConsentCreateSerializer)
        client = values.pop("client")
        agency_types = values.pop("referral_agency_types", [])
        signed_form = values.pop("signed_form", None)
        consent = _run(lambda: services.record_consent(client, user=request.user, fields=values,
                                                       agency_types=agency_types, signed_form=signed_form))
        return self.respond(consent, status.HTTP_201_CREATED)

    @extend_schema(request=ConsentWithdrawalSerializer, responses=ConsentSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        consent = self.get_object()
        values = self.input(ConsentWithdrawalSerializer)
        consent = _run(lambda: services.withdraw_consent(consent, user=request.user,
                                                         on=values.get("on") or timezone.localdate(),
                                                         note=values["note"], expected_version=values["version"]))
        return self.respond(consent)


# -- needs assessments ----------------------------------------------------------------------------------------------


class NeedsAssessmentSerializer(ClientPartSerializer):
    needs = serializers.ListField(child=serializers.ChoiceField(choices=NeedArea.choices), read_only=True)

    class Meta:
        model = NeedsAssessment
        fields = ["id", "client", "client_code", "is_minor", "unit", "assessed_on", "needs", "has_needs", "note",
                  "version"]
        read_only_fields = fields


class NeedsAssessmentUpdateSerializer(serializers.Serializer):
    assessed_on = serializers.DateField()
    needs = serializers.ListField(child=serializers.ChoiceField(choices=NeedArea.choices), allow_empty=True,
                                  help_text=gettext_lazy("Không có nhu cầu nào: các nhu cầu đã được đáp ứng."))
    note = serializers.CharField(required=False, allow_blank=True, default="")
    version = serializers.IntegerField(help_text=gettext_lazy("Phiên bản đã đọc."))


class NeedsAssessmentCreateSerializer(NeedsAssessmentUpdateSerializer):
    client = VisibleRelatedField(queryset=SupportClient.objects.all())
    version = None


@_part_schema(NeedsAssessmentSerializer, NeedsAssessmentCreateSerializer, NeedsAssessmentUpdateSerializer)
class NeedsAssessmentViewSet(ScopedActionsMixin, ScopedViewSet):
    queryset = NeedsAssessment.objects.all()
    serializer_class = NeedsAssessmentSerializer
    filterset_class = NeedsAssessmentApiFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["assessed_on"]

    def base_queryset(self):
        return NeedsAssessment.objects.select_related("unit", "client").order_by(*NeedsAssessment._meta.ordering)

    def create(self, request, *args, **kwargs):
        values = self.input(NeedsAssessmentCreateSerializer)
        assessment = _run(lambda: services.assess_needs(values["client"], user=request.user,
                                                        assessed_on=values["assessed_on"], needs=values["needs"],
                                                        note=values["note"]))
        return self.respond(assessment, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        assessment = self.get_object()
        values = self.input(NeedsAssessmentUpdateSerializer, partial=partial)
        if "version" not in values:
            raise serializers.ValidationError({"version": _("Cần gửi kèm phiên bản (version) đã đọc.")})
        assessment = _run(lambda: services.update_assessment(
            assessment, user=request.user, assessed_on=values.get("assessed_on", assessment.assessed_on),
            needs=values.get("needs", assessment.needs), note=values.get("note", assessment.note),
            expected_version=values["version"]))
        return self.respond(assessment)


# -- services delivered ---------------------------------------------------------------------------------------------


class ServiceDeliverySerializer(ClientPartSerializer):
    service_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    service_name = serializers.CharField(source="service_type.name", read_only=True)

    class Meta:
        model = ServiceDelivery
        fields = ["id", "client", "client_code", "is_minor", "unit", "service_type", "service_name", "delivered_on",
                  "provider_agency", "provider_name", "outcome", "referral", "note", "version"]
        read_only_fields = fields


class ServiceDeliveryUpdateSerializer(serializers.Serializer):
    service_type = serializers.SlugRelatedField(slug_field="code", queryset=ServiceType.objects.all())
    delivered_on = serializers.DateField()
    provider_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False,
                                                         allow_null=True)
    provider_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    outcome = serializers.ChoiceField(choices=ServiceOutcome.choices, required=False)
    referral = VisibleRelatedField(queryset=Referral.objects.all(), required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)
    version = serializers.IntegerField(help_text=gettext_lazy("Phiên bản đã đọc."))


class ServiceDeliveryCreateSerializer(ServiceDeliveryUpdateSerializer):
    client = VisibleRelatedField(queryset=SupportClient.objects.all())
    version = None


@_part_schema(ServiceDeliverySerializer, ServiceDeliveryCreateSerializer, ServiceDeliveryUpdateSerializer)
class ServiceDeliveryViewSet(ScopedActionsMixin, ScopedViewSet):
    queryset = ServiceDelivery.objects.all()
    serializer_class = ServiceDeliverySerializer
    filterset_class = ServiceDeliveryApiFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["delivered_on"]

    def base_queryset(self):
        return ServiceDelivery.objects.select_related("unit", "client", "service_type").order_by(
            *ServiceDelivery._meta.ordering)

    def create(self, request, *args, **kwargs):
        values = self.input(ServiceDeliveryCreateSerializer)
        client = values.pop("client")
        service = _run(lambda: services.deliver_service(client, user=request.user, fields=values))
        return self.respond(service, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        service = self.get_object()
        values = self.input(ServiceDeliveryUpdateSerializer, partial=partial)
        version = values.pop("version", None)
        if version is None:
            raise serializers.ValidationError({"version": _("Cần gửi kèm phiên bản (version) đã đọc.")})
        service = _run(lambda: services.update_service(service, user=request.user, fields=values,
                                                       expected_version=version))
        return self.respond(service)


# -- referrals: the sending side --------------------------------------------------------------------------------


class ReferralSerializer(ClientPartSerializer):
    """A referral as its sender sees it: the codes of what was shared and the statistical values, never the
    identifying values shared."""

    to_agency_name = serializers.CharField(source="to_agency.name", read_only=True)
    shared_items = serializers.ListField(child=serializers.ChoiceField(choices=SharedItem.choices), read_only=True)
    shared_statistics = serializers.SerializerMethodField()
    shares_identity = serializers.BooleanField(read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "client", "client_code", "is_minor", "unit", "to_agency", "to_agency_name",
                  "is_child_protection", "reason", "shared_items", "shared_statistics", "shares_identity", "status",
                  "sent_on", "responded_on", "response_note", "completed_on", "feedback", "version"]
        read_only_fields = fields

    @extend_schema_field(ReferralSharedValueSerializer(many=True))
    def get_shared_statistics(self, obj):
        return _shared_statistics(obj)


class ReferralCreateSerializer(serializers.Serializer):
    client = VisibleRelatedField(queryset=SupportClient.objects.all())
    to_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.filter(is_active=True))
    reason = serializers.CharField(max_length=5000)
    shared_items = serializers.ListField(
        child=serializers.ChoiceField(choices=SharedItem.choices), required=False, default=list,
        help_text=gettext_lazy("Chỉ những gì cơ quan nhận cần; không mục nào được chia sẻ nếu không chọn."),
    )
    sent_on = serializers.DateField(required=False, help_text=gettext_lazy("Mặc định hôm nay."))


class ReferralCancelSerializer(SupportVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


@_part_schema(ReferralSerializer, ReferralCreateSerializer)
class ReferralViewSet(ScopedActionsMixin, ScopedViewSet):
    """Referrals sent by the user's units. Refused without the client's consent to referral to that kind of agency
    (except the child-protection referral of a minor). `cancel` withdraws an open one."""

    queryset = Referral.objects.all()
    serializer_class = ReferralSerializer
    filterset_class = ReferralApiFilterSet
    http_method_names = ["get", "post", "head", "options"]
    ordering_fields = ["sent_on", "status"]
    action_permissions = {"cancel": "change"}

    def base_queryset(self):
        return Referral.objects.select_related("unit", "client", "to_agency").order_by(*Referral._meta.ordering)

    def create(self, request, *args, **kwargs):
        values = self.input(ReferralCreateSerializer)
        referral = _run(lambda: services.send_referral(values["client"], user=request.user,
                                                       to_agency=values["to_agency"], reason=values["reason"],
                                                       shared_items=values["shared_items"],
                                                       sent_on=values.get("sent_on")))
        return self.respond(referral, status.HTTP_201_CREATED)

    @extend_schema(request=ReferralCancelSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        referral = self.get_object()
        values = self.input(ReferralCancelSerializer)
        referral = _run(lambda: services.cancel_referral(referral, user=request.user, note=values["note"],
                                                         expected_version=values["version"]))
        return self.respond(referral)


# -- referrals: the receiving agency ------------------------------------------------------------------------------


class IncomingReferralSerializer(serializers.ModelSerializer):
    """A referral as the receiving agency sees it: no client id or code, only what the sender chose to share (the
    identifying items by code; their values through `shared-identity`)."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                        help_text=gettext_lazy("Mã đơn vị gửi."))
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    to_agency_name = serializers.CharField(source="to_agency.name", read_only=True)
    is_minor = serializers.BooleanField(source="client_is_minor", read_only=True)
    shared_items = serializers.ListField(child=serializers.ChoiceField(choices=SharedItem.choices), read_only=True)
    shared_statistics = serializers.SerializerMethodField()
    shares_identity = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Referral
        fields = ["id", "unit", "unit_name", "to_agency", "to_agency_name", "sent_on", "status", "is_child_protection",
                  "is_minor", "reason", "shared_items", "shared_statistics", "shares_identity", "responded_on",
                  "response_note", "completed_on", "feedback", "version"]
        read_only_fields = fields

    @extend_schema_field(ReferralSharedValueSerializer(many=True))
    def get_shared_statistics(self, obj):
        return _shared_statistics(obj)


class ReferralResponseSerializer(SupportVersionSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)
    on = serializers.DateField(required=False, help_text=gettext_lazy("Mặc định hôm nay."))


class ReferralCompletionSerializer(SupportVersionSerializer):
    feedback = serializers.CharField(required=False, allow_blank=True, default="")
    on = serializers.DateField(required=False, help_text=gettext_lazy("Mặc định hôm nay."))
    service_type = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceType.objects.all(), required=False, allow_null=True,
        help_text=gettext_lazy("Dịch vụ đã cung cấp: được ghi vào hồ sơ của người được hỗ trợ."),
    )
    outcome = serializers.ChoiceField(choices=ServiceOutcome.choices, default=ServiceOutcome.RECEIVED)


class IncomingReferralFilterSet(django_filters.FilterSet):
    sent_on = django_filters.DateFromToRangeFilter(label=gettext_lazy("Ngày gửi (từ – đến)"))

    class Meta:
        model = Referral
        fields = ["status", "is_child_protection", "to_agency", "sent_on"]


class IncomingReferralViewSet(viewsets.ReadOnlyModelViewSet):
    """Referrals to the user's agency (for a membership without an agency: to the agencies of its unit). The
    receiving agency answers with `accept`, `decline` (with a note) and `complete` (with feedback), each with the
    `version` read; `shared-identity` shows the identifying items the sender shared (a reason; logged)."""

    queryset = Referral.objects.all()
    serializer_class = IncomingReferralSerializer
    filterset_class = IncomingReferralFilterSet
    permission_classes = [AnyPermission]
    required_permissions = ("support.receive_referral",)
    ordering_fields = ["sent_on", "status"]

    def get_queryset(self):
        # The client's minor flag, without loading the client record.
        return Referral.objects.incoming_for(self.request.user).select_related("unit", "to_agency").annotate(
            client_is_minor=F("client__is_minor")).order_by(*Referral._meta.ordering)

    def _respond(self, referral):
        return Response(self.get_serializer(self.get_queryset().get(pk=referral.pk)).data)

    def _input(self, serializer_class):
        data = serializer_class(data=self.request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)

    @extend_schema(request=ReferralResponseSerializer, responses=IncomingReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        referral = self.get_object()
        values = self._input(ReferralResponseSerializer)
        referral = _run(lambda: services.respond_referral(referral, user=request.user, accept=True,
                                                          note=values["note"], on=values.get("on"),
                                                          expected_version=values["version"]))
        return self._respond(referral)

    @extend_schema(request=ReferralResponseSerializer, responses=IncomingReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        referral = self.get_object()
        values = self._input(ReferralResponseSerializer)
        referral = _run(lambda: services.respond_referral(referral, user=request.user, accept=False,
                                                          note=values["note"], on=values.get("on"),
                                                          expected_version=values["version"]))
        return self._respond(referral)

    @extend_schema(request=ReferralCompletionSerializer, responses=IncomingReferralSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        referral = self.get_object()
        values = self._input(ReferralCompletionSerializer)
        referral = _run(lambda: services.complete_referral(
            referral, user=request.user, on=values.get("on"), feedback=values["feedback"],
            service_type=values.get("service_type"), outcome=values["outcome"], expected_version=values["version"]))
        return self._respond(referral)

    @extend_schema(request=RevealReasonSerializer, responses=ReferralSharedValueSerializer(many=True))
    @action(detail=True, methods=["post"], url_path="shared-identity", pagination_class=None,
            filter_backends=[])
    def shared_identity(self, request, pk=None):
        """The identifying items the sender shared: one access-log row per call."""
        referral = self.get_object()
        reason = self._input(RevealReasonSerializer)["reason"]
        if not referral.shares_identity:
            raise serializers.ValidationError(_("Chuyển gửi này không chia sẻ thông tin nhận dạng."))
        rows = _run(lambda: services.reveal_shared(referral, user=request.user, reason=reason,
                                                   endpoint="api:incomingreferral-shared-identity"))
        items = [i for i in referral.shared_items if i in IDENTIFYING_SHARED_ITEMS]
        return _private(Response([{"item": item, "label": label, "value": value}
                                  for item, (label, value) in zip(items, rows, strict=True)]))


# -- catalogue and access review ------------------------------------------------------------------------------------


class ServiceTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceType
        fields = ["id", "code", "name", "area", "is_active", "sort_order"]


class ServiceTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of support services, for those who record services or complete referrals."""

    queryset = ServiceType.objects.all()
    serializer_class = ServiceTypeSerializer
    permission_classes = [AnyPermission]
    required_permissions = ("support.view_servicetype", "support.receive_referral")
    filterset_fields = ["area", "is_active"]
    lookup_field = "code"
    ordering_fields = ["sort_order", "name"]


class SupportAccessLogFilterSet(django_filters.FilterSet):
    client = django_filters.CharFilter(method="filter_client", label=gettext_lazy("Mã số người được hỗ trợ"))
    user = django_filters.NumberFilter(field_name="user_id", label=gettext_lazy("Người truy cập (id)"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=gettext_lazy("Từ ngày"))
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=gettext_lazy("Đến ngày"))

    class Meta:
        model = AccessLog
        fields = ["client", "user", "since", "until"]

    def filter_client(self, queryset, name, value):
        """Reads of the client's record and of its consents, assessments, services and referrals."""
        ids = list(SupportClient.objects.filter(code__iexact=value.strip()).values_list("pk", flat=True))
        parts = {SupportClient: ids}
        for model in (Consent, NeedsAssessment, ServiceDelivery, Referral):
            parts[model] = list(model.objects.filter(client_id__in=ids).values_list("pk", flat=True))
        q = Q(pk__in=[])
        for model, pks in parts.items():
            if pks:
                q |= Q(content_type=ContentType.objects.get_for_model(model),
                       object_id__in=[str(pk) for pk in pks])
        return queryset.filter(q)


class SupportAccessLogSerializer(serializers.ModelSerializer):
    user_name = serializers.CharField(source="user.__str__", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    record_type = serializers.CharField(source="content_type.model", read_only=True)
    client_code = serializers.CharField(read_only=True, allow_null=True,
                                        help_text=gettext_lazy("Mã số người được hỗ trợ của hồ sơ được xem."))

    class Meta:
        model = AccessLog
        fields = ["id", "at", "user", "user_name", "unit", "record_type", "object_id", "client_code", "what",
                  "endpoint", "reason"]
        read_only_fields = fields


class SupportAccessLogViewSet(viewsets.ReadOnlyModelViewSet):
    """Who was shown which support record, when and why: for supervisors (`support.review_access`), within their
    scope."""

    queryset = AccessLog.objects.filter(content_type__app_label="support")
    serializer_class = SupportAccessLogSerializer
    filterset_class = SupportAccessLogFilterSet
    permission_classes = [AnyPermission]
    required_permissions = ("support.review_access",)
    ordering_fields = ["at"]

    def get_queryset(self):
        def code_of(model, lookup):
            rows = model.objects.annotate(pk_text=Cast("pk", CharField())).filter(pk_text=OuterRef("object_id"))
            return Subquery(rows.values(lookup)[:1])

        # The client's code for the reads of a client and of a referral (the receiving agency's reads).
        code = Case(When(content_type=ContentType.objects.get_for_model(SupportClient),
                         then=code_of(SupportClient, "code")),
                    When(content_type=ContentType.objects.get_for_model(Referral),
                         then=code_of(Referral, "client__code")),
                    default=None, output_field=CharField())
        return (self.queryset.within(scope_paths(self.request.user, "support.review_access"))
                .select_related("user", "unit", "content_type").annotate(client_code=code).order_by("-at", "-pk"))


register("support-clients", SupportClientViewSet)
register("consents", ConsentViewSet)
register("needs-assessments", NeedsAssessmentViewSet)
register("service-deliveries", ServiceDeliveryViewSet)
register("referrals", ReferralViewSet)
# Another view of Referral and of AccessLog than their model's: their own route names.
router.register("incoming-referrals", IncomingReferralViewSet, basename="incomingreferral")
register("service-types", ServiceTypeViewSet)
router.register("support-access-log", SupportAccessLogViewSet, basename="supportaccesslog")
