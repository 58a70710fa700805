"""REST API building blocks: every module's viewset inherits `ScopedViewSet` and is registered on the
one router, so it gets the same scoping, permissions, filters, history stamping and 409 on stale edits.

    class AgencyViewSet(ScopedViewSet):
        queryset = Agency.objects.select_related("unit", "agency_type")
        serializer_class = AgencySerializer
        filterset_class = AgencyFilterSet

    register("agencies", AgencyViewSet)
"""

import copy

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.routers import DefaultRouter

from lanhmanh.core.forms import owning_unit
from lanhmanh.core.permissions import ACTIONS
from lanhmanh.core.scoping import can_use_unit
from lanhmanh.core.services import ConcurrentEditError, log_access, log_reads, record_create, save_versioned

router = DefaultRouter()

def register(prefix: str, viewset):
    router.register(prefix, viewset, basename=viewset.queryset.model._meta.model_name)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Hồ sơ đã được người khác cập nhật sau khi bạn đọc nó. Hãy đọc lại rồi sửa.")
    default_code = "conflict"


class ScopedSerializer(serializers.ModelSerializer):
    """Writes must name a unit inside the user's scope; updates must carry the `version` they read."""

    version = serializers.IntegerField(
        required=False, help_text=_("Phiên bản đã đọc; bắt buộc khi sửa để tránh ghi đè thay đổi của người khác.")
    )

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        for field in fields.values():
            queryset = getattr(field, "queryset", None)
            if user is not None and queryset is not None and hasattr(queryset, "visible_to"):
                field.queryset = queryset.visible_to(user, "view")
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        field, unit = owning_unit(model, attrs, self.instance)
        action = "change" if self.instance is not None else "add"
        if unit is not None and not can_use_unit(self.context["request"].user, model, action, unit):
            raise serializers.ValidationError({field: _("Bạn không có quyền ghi dữ liệu cho đơn vị này.")})
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError({"version": _("Cần gửi kèm phiên bản (version) đã đọc.")})
        self.run_model_clean(attrs)
        return attrs

    def run_model_clean(self, attrs):
        """The model's own clean(): the same business rules as the web form and imports."""
        model = self.Meta.model
        if self.instance is not None:
            instance = copy.copy(self.instance)
        else:
            instance = model()
        for name, value in attrs.items():
            if name != "version" and not model._meta.get_field(name).many_to_many:
                setattr(instance, name, value)
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc

    def create(self, validated_data):
        validated_data.pop("version", None)
        many_to_many = {k: validated_data.pop(k) for k in list(validated_data)
                        if self.Meta.model._meta.get_field(k).many_to_many}
        instance = record_create(self.Meta.model(**validated_data), user=self.context["request"].user)
        for name, value in many_to_many.items():
            getattr(instance, name).set(value)
        return instance

    def update(self, instance, validated_data):
        expected = validated_data.pop("version")
        for name, value in validated_data.items():
            setattr(instance, name, value)
        try:
            return save_versioned(instance, expected_version=expected, user=self.context["request"].user)
        except ConcurrentEditError as exc:
            raise Conflict() from exc


class ScopedViewSet(viewsets.ModelViewSet):
    """List, read, create, update, delete — only within `visible_to(user, action)`.

    With `log_reads = True`, every record a GET returns is written to the access log."""

    log_reads = False

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if self.log_reads and page is not None:
            log_reads(user=self.request.user, objects=page, what=str(queryset.model._meta.verbose_name),
                      endpoint=f"api:{self.basename}-list")
        return page

    def get_object(self):
        obj = super().get_object()
        if self.log_reads:
            log_access(user=self.request.user, obj=obj, what=str(obj._meta.verbose_name),
                       endpoint=f"api:{self.basename}-{self.action}")
        return obj

    def get_queryset(self):
        return self.queryset.all().visible_to(self.request.user, ACTIONS.get(self.request.method, "view"))

    def perform_destroy(self, instance):
        instance._history_user = self.request.user
        try:
            instance.delete()
        except ProtectedError as exc:
            raise Conflict(_("Không thể xóa vì còn dữ liệu khác gắn với hồ sơ này.")) from exc
