"""Reports over the API: the list and each report (figures, narrative, versions); PATCH the text, title, signer and
recipients with the `version` read (409 when stale; only while drafted or returned); actions `refresh/`, `draft/`,
`submit/` (members of the report's own unit only; submit refuses figures not refreshed since the period ended or
older than a day, 400), `approve/`, `return/` (the upper unit's approvers, never the submitter of the version),
`diff/?a=&b=` and `consolidation/`; attachments: POST multipart `attachments/`, DELETE `attachments/{id}/` (only
while drafted or returned: frozen once submitted) and GET `attachments/{id}/file/`; and
/api/report-completeness/?type=&year=&number=&unit= for an upper unit's children (an ad-hoc type: &start=&end= of
a request, or without them the year's requests).

Reports are opened by the system for every unit that must submit (services.open_reports): none is created or deleted
here, except the ad-hoc reports an upper unit asks its lower units for: POST `ad-hoc/` {report_type, unit, start,
end, deadline, title} → 201 {opened: n} (services.open_ad_hoc)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from lanhmanh.core.api import Conflict, ScopedSerializer, ScopedViewSet, register, router
from lanhmanh.core.services import ConcurrentEditError, save_versioned
from lanhmanh.core.text import local_time
from lanhmanh.core.uploads import UploadError, clean_upload
from lanhmanh.core.views import private_file_response
from lanhmanh.geo.models import AdminUnit
from lanhmanh.reporting import attachments as report_attachments
from lanhmanh.reporting import consolidation, drafting, richtext, services, views, workflow
from lanhmanh.reporting.filters import ReportFilterSet
from lanhmanh.reporting.models import Report, ReportAttachment, ReportType


def _validation_error(exc: DjangoValidationError):
    return serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)


def _conflict(current) -> Conflict:
    """409 saying who changed the report when (local time): nothing was written."""
    return Conflict(_("%(who)s đã cập nhật báo cáo lúc %(when)s, sau khi bạn đọc nó; chưa có gì được ghi. Hãy đọc "
                      "lại (phiên bản %(version)s) rồi làm lại.") % {
        "who": current.updated_by or _("Người khác"), "when": local_time(current.updated_at),
        "version": current.version})


class ReportSerializer(ScopedSerializer):
    """A unit's report of a type for a period, with its deadline and where it stands."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    report_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    # Plain text in the schema: set only by the submit, approve and return actions.
    status = serializers.CharField(read_only=True, help_text=gettext_lazy(
        "draft: đang soạn; submitted: đã nộp, chờ duyệt; returned: bị trả lại; approved: đã duyệt."))

    class Meta:
        model = Report
        fields = ["id", "unit", "unit_name", "report_type", "year", "number", "period_start", "period_end",
                  "period_label", "deadline", "status", "submitted_at", "approved_at", "is_late", "title", "version"]
        read_only_fields = fields


class ReportAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ReportAttachment
        fields = ["id", "description", "content_type", "size", "uploaded_at"]
        read_only_fields = fields


class ReportDetailSerializer(ReportSerializer):
    """One report: its header, `narrative` ({section key: HTML}, the sections in `sections`), `figures` (the
    snapshot: indicators with last year's values, targets, documents; frozen once submitted), its `attachments`,
    its submitted `versions` and the upper unit's `reviews`, and what the caller may do (`can_edit`,
    `can_review`)."""

    sections = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()
    reviews = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()
    can_review = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "document_number", "signer_name", "signer_title", "recipients",
                  "sections", "narrative", "figures", "figures_at", "attachments", "versions", "reviews", "can_edit",
                  "can_review"]
        read_only_fields = fields

    def get_sections(self, obj) -> list[dict]:
        return [{"key": s["key"], "title": s["title"]} for s in obj.report_type.section_list()]

    @extend_schema_field(ReportAttachmentSerializer(many=True))
    def get_attachments(self, obj) -> list[dict]:
        """The report's current attachments (one removed after a return is listed only with its version)."""
        return ReportAttachmentSerializer(obj.attachments.filter(removed_at__isnull=True), many=True).data

    def get_versions(self, obj) -> list[dict]:
        return [{"number": v.number, "submitted_at": v.submitted_at, "submitted_by": str(v.submitted_by or ""),
                 "is_late": v.is_late, "attachments": [a.pk for a in v.attachments.all()]}
                for v in obj.versions.select_related("submitted_by").prefetch_related("attachments")
                .order_by("number")]

    def get_reviews(self, obj) -> list[dict]:
        return [{"version": r.version.number, "decision": r.decision, "comment": r.comment,
                 "decided_at": r.decided_at, "decided_by": str(r.decided_by or "")}
                for r in obj.reviews.select_related("version", "decided_by").order_by("decided_at")]

    def get_can_edit(self, obj) -> bool:
        return workflow.can_submit(self.context["request"].user, obj)

    def get_can_review(self, obj) -> bool:
        user = self.context["request"].user
        return (obj.status == "submitted" and workflow.can_review(user, obj)
                and not workflow.submitted_latest(user, obj))


class ReportEditSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=gettext_lazy("Phiên bản đã đọc."))
    title = serializers.CharField(max_length=500, required=False, allow_blank=True)
    document_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    signer_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    signer_title = serializers.CharField(max_length=150, required=False, allow_blank=True)
    recipients = serializers.CharField(required=False, allow_blank=True,
                                       help_text=gettext_lazy("Mỗi nơi nhận một dòng."))
    narrative = serializers.DictField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False), required=False,
        help_text=gettext_lazy("{mã phần: nội dung HTML}; chỉ giữ các thẻ p, br, strong, b, em, i, ul, ol, li, div, "
                               "không thuộc tính. Các phần không gửi giữ nguyên."))

    def validate_narrative(self, value):
        keys = {s["key"] for s in self.context["report"].report_type.section_list()}
        unknown = sorted(set(value) - keys)
        if unknown:
            raise serializers.ValidationError(_("Báo cáo không có phần: %(keys)s.") % {"keys": ", ".join(unknown)})
        return {key: richtext.sanitize(text) for key, text in value.items()}


class ReportVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=gettext_lazy("Phiên bản đã đọc."))


class ReportReviewSerializer(ReportVersionSerializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="",
                                    help_text=gettext_lazy("Bắt buộc khi trả lại."))


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class AdHocRequestSerializer(serializers.Serializer):
    """Báo cáo đột xuất: the upper unit (a province, or the nation) asks every lower unit that submits the type."""

    report_type = serializers.SlugRelatedField(slug_field="code", queryset=ReportType.objects.all(),
                                               help_text=gettext_lazy("Mã loại báo cáo đột xuất, ví dụ ad-hoc."))
    unit = serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.current(),
                                        help_text=gettext_lazy("Mã đơn vị yêu cầu: tỉnh, thành phố hoặc quốc gia."))
    start = serializers.DateField(input_formats=DATE_FORMATS)
    end = serializers.DateField(input_formats=DATE_FORMATS)
    deadline = serializers.DateField(input_formats=DATE_FORMATS)
    title = serializers.CharField(max_length=500)


class AdHocResultSerializer(serializers.Serializer):
    opened = serializers.IntegerField(help_text=gettext_lazy("Số báo cáo mới được mở."))


class ReportViewSet(ScopedViewSet):
    """Reports. PATCH the text and header with `version` (409 if stale). `refresh`, `draft`, `submit`: the unit,
    while drafted or returned. `approve`, `return` (with `comment`): approvers of the upper unit."""

    queryset = Report.objects.select_related("unit", "report_type", "updated_by")
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet
    http_method_names = ["get", "head", "options", "patch", "post", "delete"]
    action_permissions = {"refresh": "change", "draft": "change", "submit": "change", "approve": "approve",
                          "return_": "approve", "attachments": "change", "attachment": "change",
                          "attachment_file": "view"}

    def get_queryset(self):
        if self.action in self.action_permissions or self.action in ("diff", "consolidation"):
            # Read access; the workflow checks the right to write, submit or review.
            return self.queryset.all().visible_to(self.request.user, "view")
        return super().get_queryset()

    def get_serializer_class(self):
        return ReportSerializer if self.action == "list" else ReportDetailSerializer

    def create(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed(request.method)

    def destroy(self, request, *args, **kwargs):
        raise exceptions.MethodNotAllowed(request.method)

    def _detail(self, report):
        report.refresh_from_db()
        return Response(ReportDetailSerializer(report, context=self.get_serializer_context()).data)

    def _editable(self, report):
        if report.status not in workflow.SUBMITTABLE:
            raise serializers.ValidationError(_("Báo cáo %(status)s: không sửa được nữa.") % {
                "status": report.get_status_display().lower()})
        if not workflow.can_submit(self.request.user, report):
            raise exceptions.PermissionDenied()

    def _run(self, func):
        try:
            return func()
        except ConcurrentEditError as exc:
            raise _conflict(exc.current) from exc
        except DjangoPermissionDenied as exc:
            raise exceptions.PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise _validation_error(exc) from exc

    @extend_schema(request=ReportEditSerializer, responses=ReportDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        self._editable(report)
        data = ReportEditSerializer(data=request.data, context={"report": report, "request": request})
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        expected = values.pop("version")
        narrative = values.pop("narrative", None)
        for name, value in values.items():
            setattr(report, name, value)
        if narrative is not None:
            report.narrative = {**(report.narrative or {}), **narrative}
        self._run(lambda: save_versioned(report, expected_version=expected, user=request.user))
        return self._detail(report)

    def _version(self, request):
        data = ReportVersionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data["version"]

    @extend_schema(request=AdHocRequestSerializer, responses={201: AdHocResultSerializer})
    @action(detail=False, methods=["post"], url_path="ad-hoc")
    def ad_hoc(self, request):
        """Opens an ad-hoc report for every lower unit of `unit` that submits `report_type`, for `start`–`end`
        (YYYY-MM-DD or dd/mm/yyyy), due `deadline`; never twice for the same unit and period. 403 when the caller
        may not add reports at `unit`."""
        data = AdHocRequestSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        opened = self._run(lambda: services.open_ad_hoc(
            values["report_type"], values["unit"], values["start"], values["end"], values["deadline"],
            values["title"], request.user))
        return Response({"opened": opened}, status=201)

    @extend_schema(request=ReportVersionSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def refresh(self, request, pk=None):
        """The figures computed again from the records (until submission)."""
        report = self.get_object()
        self._editable(report)
        expected = self._version(request)
        self._run(lambda: drafting.refresh(report, request.user, expected_version=expected))
        return self._detail(report)

    @extend_schema(request=ReportVersionSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def draft(self, request, pk=None):
        """The drafted sentences put into the sections still empty (never over written text)."""
        report = self.get_object()
        self._editable(report)
        expected = self._version(request)

        def perform():
            drafting.start_narrative(report)
            save_versioned(report, expected_version=expected, user=request.user)

        self._run(perform)
        return self._detail(report)

    @extend_schema(request=ReportVersionSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Freezes the report's figures and text as a new version and sends it to the upper unit."""
        report = self.get_object()
        self._editable(report)
        expected = self._version(request)
        self._run(lambda: workflow.submit(report, request.user, expected_version=expected))
        return self._detail(report)

    @extend_schema(
        request={"multipart/form-data": {"type": "object", "required": ["file"], "properties": {
            "file": {"type": "string", "format": "binary"}, "description": {"type": "string"}}}},
        responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def attachments(self, request, pk=None):
        """Attach a JPG, PNG or PDF (`file`, with a `description`) while the report is drafted or returned."""
        report = self.get_object()
        self._run(lambda: report_attachments.check_editable(request.user, report))
        upload = request.FILES.get("file")
        if upload is None:
            raise serializers.ValidationError({"file": [_("Hãy chọn tệp.")]})
        try:
            stored, content_type = clean_upload(upload, max_bytes=settings.ATTACHMENT_MAX_BYTES)
        except UploadError as exc:
            raise serializers.ValidationError({"file": [str(exc)]}) from exc
        self._run(lambda: report_attachments.add(report, request.user, stored, content_type,
                                               str(request.data.get("description") or "")))
        return self._detail(report)

    @extend_schema(request=None, responses=ReportDetailSerializer)
    @action(detail=True, methods=["delete"], url_path=r"attachments/(?P<attachment_pk>[0-9]+)")
    def attachment(self, request, pk=None, attachment_pk=None):
        """Remove an attachment while the report is drafted or returned."""
        report = self.get_object()
        try:
            self._run(lambda: report_attachments.remove(report, request.user, attachment_pk))
        except Http404:
            raise exceptions.NotFound() from None
        return self._detail(report)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_pk>[0-9]+)/file")
    def attachment_file(self, request, pk=None, attachment_pk=None):
        """The attached file, under a neutral name, not cached."""
        report = self.get_object()
        attachment = report.attachments.filter(pk=attachment_pk).first()
        if attachment is None:
            raise exceptions.NotFound()
        return private_file_response(attachment.file, views.attachment_filename(report, attachment))

    def _review(self, request, decide):
        report = self.get_object()
        if not workflow.can_review(request.user, report):
            raise exceptions.PermissionDenied(_("Báo cáo do lãnh đạo đơn vị cấp trên duyệt; bạn không có quyền "
                                                "duyệt báo cáo này."))
        data = ReportReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["version"] != report.version:
            raise _conflict(report)
        self._run(lambda: decide(report, request.user, data.validated_data["comment"]))
        return self._detail(report)

    @extend_schema(request=ReportReviewSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._review(request, workflow.approve)

    @extend_schema(request=ReportReviewSerializer, responses=ReportDetailSerializer)
    @action(detail=True, methods=["post"], url_path="return", url_name="return")
    def return_(self, request, pk=None):
        """Back to the unit for correction; `comment` says what to fix."""
        return self._review(request, workflow.return_report)

    @extend_schema(parameters=[OpenApiParameter("a", int, description=gettext_lazy("Lần nộp thứ nhất.")),
                               OpenApiParameter("b", int, description=gettext_lazy("Lần nộp thứ hai."))],
                   responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def diff(self, request, pk=None):
        """What changed between two submitted versions (default: the last two): figures, then sections and header
        fields with their unified diff lines (the text read as one paragraph or list item a line)."""
        report = self.get_object()
        try:
            a, b = views.version_numbers(report, request.query_params)
        except Http404:
            raise exceptions.NotFound(_("Báo cáo không có các lần nộp này.")) from None
        changes = [{key: value for key, value in change.items() if key != "lines"}
                   for change in views.readable_diff(report, a, b)]
        return Response({"a": a, "b": b, "changes": changes})

    @extend_schema(responses=OpenApiTypes.OBJECT)
    @action(detail=True, methods=["get"])
    def consolidation(self, request, pk=None):
        """An upper unit's report consolidated: its own records plus its children's approved frozen figures, with
        completeness, timeliness and the figures changed since approval."""
        report = self.get_object()
        if consolidation.child_level(report.report_type, report.unit) is None:
            raise exceptions.NotFound(_("Không có đơn vị cấp dưới nào nộp loại báo cáo này cho đơn vị này."))
        found = consolidation.consolidate(report)
        return Response({
            "indicators": found["indicators"],
            "children": [{**{k: v for k, v in row.items() if k != "unit"}, "unit": row["unit"].code}
                         for row in found["children"]],
            "not_counted": [{**{k: v for k, v in row.items() if k != "unit"}, "unit": row["unit"].code}
                            for row in found["not_counted"]],
            "completeness": found["completeness"],
            "completeness_line": found["completeness_line"],
            "timeliness_line": found["timeliness_line"],
            "changed_since_approval": [{**{k: v for k, v in row.items() if k != "unit"}, "unit": row["unit"].code}
                                       for row in found["changed_since_approval"]],
        })


register("reports", ReportViewSet)


class ReportCompletenessViewSet(viewsets.ViewSet):
    """Which children of an upper unit submitted a report type for a period, when, and on time or not."""

    @extend_schema(
        parameters=[
            OpenApiParameter("type", str, required=True, description=gettext_lazy("Mã loại báo cáo.")),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("number", int, description=gettext_lazy("Kỳ số: tháng, quý; 1 cho 6 tháng, năm.")),
            OpenApiParameter("unit", str, description=gettext_lazy("Mã đơn vị cấp trên; mặc định đơn vị của bạn.")),
            OpenApiParameter("start", OpenApiTypes.DATE, description=gettext_lazy(
                "Báo cáo đột xuất: ngày đầu kỳ được yêu cầu (cùng với end). Không có: danh sách các yêu cầu trong "
                "năm.")),
            OpenApiParameter("end", OpenApiTypes.DATE),
        ],
        responses=OpenApiTypes.OBJECT)
    def list(self, request):
        if not request.user.has_perm(views.VIEW_PERMISSION):
            raise exceptions.PermissionDenied()
        params = {"number": "1", **request.query_params.dict()}
        try:
            ctx = views.completeness_context(request.user, params)
        except Http404:
            raise exceptions.NotFound(_("Không tìm thấy đơn vị trong phạm vi của bạn.")) from None
        form = ctx["form"]
        if form.errors:
            raise serializers.ValidationError(form.errors.get_json_data())
        if "rows" not in ctx and "requests" in ctx and not (params.get("start") or params.get("end")):
            # An ad-hoc type without a period: the year's requests, each to be asked for with start and end.
            return Response({"type": ctx["report_type"].code, "unit": ctx["parent"].code, "year": ctx["year"],
                             "requests": ctx["requests"]})
        if "rows" not in ctx and "requests" in ctx:
            raise serializers.ValidationError({"start": [_("Không có yêu cầu báo cáo đột xuất nào cho kỳ này.")]})
        if "rows" not in ctx:
            raise serializers.ValidationError({"unit": [_("Hãy chọn đơn vị cấp trên.")]})
        period = ctx["period"]
        return Response({
            "type": ctx["report_type"].code,
            "unit": ctx["parent"].code,
            "period": {"start": period.start, "end": period.end, "label": str(period.label)},
            "summary": ctx["summary"],
            "rows": [{"unit": row["unit"].code, "unit_name": row["unit"].name, "report": row["report_id"],
                      "status": row["status"], "status_display": str(row["status_display"]),
                      "submitted_at": row["submitted_at"], "is_late": row["is_late"], "deadline": row["deadline"],
                      "overdue": row["overdue"]} for row in ctx["rows"]],
        })


router.register("report-completeness", ReportCompletenessViewSet, basename="report-completeness")
