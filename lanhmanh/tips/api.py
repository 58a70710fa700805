from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from lanhmanh.businesses.models import Business
from lanhmanh.core.api import Conflict, ScopedSerializer, ScopedViewSet, register
from lanhmanh.core.scoping import scope_paths
from lanhmanh.core.services import ConcurrentEditError, log_access
from lanhmanh.core.uploads import UploadError, clean_upload
from lanhmanh.core.views import private_file_response
from lanhmanh.geo.models import AdminUnit, Agency
from lanhmanh.inspections.models import InspectionVisit
from lanhmanh.tips import services
from lanhmanh.tips.filters import TipFilterSet
from lanhmanh.tips.models import DeadlineRule, Tip, TipAttachment, TipSubject


class DeadlineRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeadlineRule
        fields = [
            "id",
            "kind",
            "days",
            "counting",
            "roll_forward",
            "max_extension_days",
            "legal_reference",
            "extension_reference",
            "valid_from",
            "valid_until",
        ]


class DeadlineRuleViewSet(viewsets.ReadOnlyModelViewSet):
    """The legal deadlines for settling tips, by kind, with their references."""

    queryset = DeadlineRule.objects.all()
    serializer_class = DeadlineRuleSerializer


class TipSubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = TipSubject
        fields = ["code", "name"]


class TipSubjectViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = TipSubject.objects.all()
    serializer_class = TipSubjectSerializer
    lookup_field = "code"


class TipSerializer(ScopedSerializer):
    """A tip. The reporter's name and contact can be written but are never read here: the `reporter` action
    returns them to roles allowed to see them, and logs the read."""

    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=(1, 3)))
    subject = serializers.SlugRelatedField(
        slug_field="code", queryset=TipSubject.objects.all(), required=False, allow_null=True
    )
    residential_group = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AdminUnit.objects.filter(level=AdminUnit.Level.RESIDENTIAL_GROUP),
        required=False,
        allow_null=True,
    )
    business = serializers.PrimaryKeyRelatedField(queryset=Business.objects.all(), required=False, allow_null=True)
    assigned_agency = serializers.PrimaryKeyRelatedField(queryset=Agency.objects.all(), required=False, allow_null=True)
    reporter_name = serializers.CharField(write_only=True, required=False, allow_blank=True)
    reporter_contact = serializers.CharField(write_only=True, required=False, allow_blank=True)
    number = serializers.CharField(read_only=True)
    extension_days = serializers.IntegerField(read_only=True)
    handled_on_time = serializers.BooleanField(read_only=True, allow_null=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = Tip
        fields = [
            "id",
            "number",
            "unit",
            "channel",
            "received_at",
            "received_on",
            "kind",
            "subject",
            "residential_group",
            "address",
            "business",
            "business_name_given",
            "content",
            "reporter_anonymous",
            "reporter_name",
            "reporter_contact",
            "assigned_agency",
            "assigned_officer",
            "status",
            "outcome",
            "outcome_note",
            "concluded_on",
            "resulting_visit",
            "deadline_from",
            "deadline",
            "extension_days",
            "handled_on_time",
            "duplicate_of",
            "note",
            "attachments",
            "version",
        ]
        read_only_fields = [
            "received_on",
            "status",
            "outcome",
            "outcome_note",
            "concluded_on",
            "resulting_visit",
            "deadline_from",
            "deadline",
            "duplicate_of",
        ]

    def get_attachments(self, obj) -> list[int]:
        return [a.pk for a in obj.attachments.all()]

    def validate(self, attrs):
        if self.instance is not None and "unit" in attrs and attrs["unit"] != self.instance.unit:
            raise serializers.ValidationError(
                {"unit": _("Muốn chuyển tin báo sang đơn vị khác, hãy dùng thao tác chuyển (transfer).")}
            )
        if attrs.get("reporter_anonymous"):
            attrs["reporter_name"] = attrs["reporter_contact"] = ""
        return super().validate(attrs)


def _apply(func):
    try:
        return func()
    except DjangoValidationError as exc:
        raise serializers.ValidationError(exc.messages) from exc
    except ConcurrentEditError as exc:
        raise Conflict() from exc


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=_("Phiên bản đã đọc."))


class ConcludeSerializer(VersionSerializer):
    status = serializers.ChoiceField(choices=[Tip.Status.HANDLED, Tip.Status.NOT_CONFIRMED, Tip.Status.CLOSED])
    concluded_on = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    resulting_visit = serializers.IntegerField(required=False, allow_null=True)


class ExtendSerializer(VersionSerializer):
    days = serializers.IntegerField(min_value=1, max_value=365)
    reason = serializers.CharField()
    decided_by = serializers.CharField(required=False, allow_blank=True, default="")


class TransferSerializer(VersionSerializer):
    to_unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=AdminUnit.objects.current().filter(level__in=(1, 3)),
        required=False,
        allow_null=True,
    )
    to_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.filter(is_active=True), required=False, allow_null=True
    )
    to_other = serializers.CharField(required=False, allow_blank=True, default="")
    transferred_on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class MergeSerializer(VersionSerializer):
    into = serializers.IntegerField()


class ReopenSerializer(VersionSerializer):
    reason = serializers.CharField()


class ReporterSerializer(serializers.Serializer):
    reporter_anonymous = serializers.BooleanField()
    reporter_name = serializers.CharField()
    reporter_contact = serializers.CharField()


class TipViewSet(ScopedViewSet):
    """Tips. Handling steps are actions — `verify`, `conclude`, `extend`, `transfer`, `merge`, `reopen` — each
    carrying the `version` read; `attachments` uploads a photo or PDF (photos lose their metadata)."""

    queryset = Tip.objects.select_related("unit", "subject", "residential_group").prefetch_related("attachments")
    serializer_class = TipSerializer
    filterset_class = TipFilterSet
    log_reads = True
    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    ordering_fields = ["received_at", "deadline", "status"]
    action_permissions = {
        "verify": "change",
        "conclude": "change",
        "extend": "change",
        "transfer": "change",
        "merge": "change",
        "reopen": "change",
        "attachments": "change",
        "reporter": "view",
        "attachment": "view",
    }

    def get_queryset(self):
        if self.action in self.action_permissions:
            return self.queryset.all().visible_to(self.request.user, self.action_permissions[self.action])
        return super().get_queryset().with_extension_total().order_by(*Tip._meta.ordering, "pk")

    def _step(self, serializer_class, func):
        tip = self.get_object()
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        tip = _apply(lambda: func(tip, values, values.pop("version")))
        return Response(self.get_serializer(tip).data)

    @extend_schema(request=VersionSerializer, responses=TipSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        return self._step(
            VersionSerializer,
            lambda tip, v, version: services.start_verifying(tip, user=request.user, expected_version=version),
        )

    @extend_schema(request=ConcludeSerializer, responses=TipSerializer)
    @action(detail=True, methods=["post"])
    def conclude(self, request, pk=None):
        def run(tip, values, version):
            visit = None
            if values.get("resulting_visit"):
                visit = InspectionVisit.objects.visible_to(request.user).filter(pk=values["resulting_visit"]).first()
                if visit is None:
                    raise DjangoValidationError(_("Không tìm thấy lượt kiểm tra này."))
            status = values["status"]
            return services.conclude(
                tip,
                status=status,
                outcome=Tip.Outcome.CONFIRMED if status == Tip.Status.HANDLED else "",
                note=values["note"],
                on=values.get("concluded_on"),
                visit=visit,
                user=request.user,
                expected_version=version,
            )

        return self._step(ConcludeSerializer, run)

    @extend_schema(request=ExtendSerializer, responses=TipSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        return self._step(
            ExtendSerializer,
            lambda tip, v, version: services.extend(
                tip,
                days=v["days"],
                reason=v["reason"],
                decided_by=v["decided_by"],
                user=request.user,
                expected_version=version,
            ),
        )

    @extend_schema(request=TransferSerializer, responses=TipSerializer)
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        return self._step(
            TransferSerializer,
            lambda tip, v, version: services.transfer(
                tip,
                to_unit=v.get("to_unit"),
                to_agency=v.get("to_agency"),
                to_other=v["to_other"],
                reason=v["reason"],
                on=v.get("transferred_on"),
                user=request.user,
                expected_version=version,
            ),
        )

    @extend_schema(request=MergeSerializer, responses=TipSerializer)
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        def run(tip, values, version):
            into = Tip.objects.visible_to(request.user, "change").filter(pk=values["into"]).first()
            if into is None:
                raise DjangoValidationError(_("Không tìm thấy tin báo cần gộp vào."))
            return services.merge_duplicate(tip, into=into, user=request.user, expected_version=version)

        return self._step(MergeSerializer, run)

    @extend_schema(request=ReopenSerializer, responses=TipSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self._step(
            ReopenSerializer,
            lambda tip, v, version: services.reopen(
                tip, reason=v["reason"], user=request.user, expected_version=version
            ),
        )

    @extend_schema(responses=ReporterSerializer)
    @action(detail=True, methods=["get"])
    def reporter(self, request, pk=None):
        """The reporter's name and contact: only for roles that handle tips with the second factor; logged."""
        tip = self.get_object()
        paths = scope_paths(request.user, "tips.see_reporter_tip")
        if not Tip.objects.filter(pk=tip.pk).within(paths).exists():
            raise exceptions.PermissionDenied(_("Bạn không có quyền xem thông tin người báo tin."))
        log_access(user=request.user, obj=tip, what=_("Thông tin người báo tin"), endpoint="api:tip-reporter")
        return Response(
            {
                "reporter_anonymous": tip.reporter_anonymous,
                "reporter_name": tip.reporter_name,
                "reporter_contact": tip.reporter_contact,
            }
        )

    @extend_schema(
        request={
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}, "description": {"type": "string"}},
            }
        },
        responses=TipSerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def attachments(self, request, pk=None):
        """Attach a JPG, PNG or PDF to the tip."""
        tip = self.get_object()
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": _("Hãy chọn tệp.")})
        try:
            stored, content_type = clean_upload(upload, max_bytes=settings.TIP_ATTACHMENT_MAX_BYTES)
        except UploadError as exc:
            raise serializers.ValidationError({"file": str(exc)}) from exc
        TipAttachment.objects.create(
            tip=tip,
            file=stored,
            content_type=content_type,
            size=stored.size,
            description=request.data.get("description", "")[:255],
            uploaded_by=request.user,
        )
        return Response(self.get_serializer(Tip.objects.prefetch_related("attachments").get(pk=tip.pk)).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>\d+)")
    def attachment(self, request, pk=None, attachment_pk=None):
        tip = self.get_object()
        attachment = tip.attachments.filter(pk=attachment_pk).first()
        if attachment is None:
            raise exceptions.NotFound()
        return private_file_response(attachment.file, f"tin-bao-{tip.pk}-{attachment.pk}")


register("tips", TipViewSet)
register("tip-deadline-rules", DeadlineRuleViewSet)
register("tip-subjects", TipSubjectViewSet)
