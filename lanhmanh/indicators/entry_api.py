"""API of aggregate data sets: declarations (scoped CRUD) and each declaration's data-entry grid.

    GET  /api/aggregate-declarations/{id}/grid/  → {declaration, version, measures, values, totals, warnings}
    PUT  /api/aggregate-declarations/{id}/grid/  ← {version, values: {measure: {month: value}}}

A PUT replaces the whole grid (a cell left out or null has no value; 0 is a value) or changes nothing: 400 with every
faulty cell and row explained, 409 when someone saved since `version` was read."""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from lanhmanh.core.api import Conflict, ScopedSerializer, ScopedViewSet, register
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.geo.models import AdminUnit
from lanhmanh.indicators import entry
from lanhmanh.indicators.filters import AggregateDeclarationFilterSet
from lanhmanh.indicators.models import NOT_A_COMMUNE, AggregateDeclaration
from lanhmanh.indicators.registry import registry


def _measures(module):
    return [{"key": m.key, "label": str(m.label), "kind": m.kind, "help_text": str(m.help_text)}
            for m in registry.entry_measures(module)]


class CommuneField(serializers.SlugRelatedField):
    """A commune by code, among the units the serializer lets the user see (its queryset). Another of those units (a
    province, a residential group) is refused with the rule's reason rather than as a code that does not exist."""

    def get_queryset(self):
        return super().get_queryset().filter(level=AdminUnit.Level.COMMUNE)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except serializers.ValidationError:
            if isinstance(data, str) and super().get_queryset().filter(code=data).exists():
                raise serializers.ValidationError(NOT_A_COMMUNE, code="not_a_commune") from None
            raise


class AggregateDeclarationSerializer(ScopedSerializer):
    """A unit's declaration that it reports a module's figures for a year as monthly aggregates. The unit by code.
    Unit, module and year are fixed once declared (delete and declare again); the note can change."""

    unit = CommuneField(slug_field="code", queryset=AdminUnit.objects.all())
    module_label = serializers.CharField(read_only=True)
    measures = serializers.SerializerMethodField()
    updated_by = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = AggregateDeclaration
        fields = ["id", "unit", "module", "module_label", "year", "note", "measures", "updated_at", "updated_by",
                  "version"]
        read_only_fields = ["updated_at"]

    def get_validators(self):
        # The uniqueness of (unit, module, year) is checked in validate(), with a message that says what it means.
        return []

    def get_measures(self, obj) -> list[dict]:
        return _measures(obj.module)

    def validate(self, attrs):
        from django.utils.translation import gettext as _

        from lanhmanh.indicators.forms import duplicate_message

        if self.instance is not None:
            fixed = [name for name in ("unit", "module", "year")
                     if name in attrs and attrs[name] != getattr(self.instance, name)]
            if fixed:
                raise serializers.ValidationError({name: _(
                    "Không đổi đơn vị, lĩnh vực hoặc năm của một đăng ký; hãy xóa rồi đăng ký lại.") for name in fixed})
        attrs = super().validate(attrs)
        if self.instance is None and AggregateDeclaration.objects.filter(
                unit=attrs["unit"], module=attrs["module"], year=attrs["year"]).exists():
            raise serializers.ValidationError({"year": duplicate_message(attrs["year"])})
        return attrs


class GridMeasureSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    kind = serializers.ChoiceField(choices=["flow", "stock"])
    help_text = serializers.CharField()


class GridWarningSerializer(serializers.Serializer):
    rule = serializers.CharField()
    month = serializers.IntegerField()
    measures = serializers.ListField(child=serializers.CharField())
    message = serializers.CharField()


class GridSerializer(serializers.Serializer):
    declaration = serializers.IntegerField()
    unit = serializers.CharField()
    module = serializers.CharField()
    year = serializers.IntegerField()
    version = serializers.IntegerField()
    measures = GridMeasureSerializer(many=True)
    values = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()),
                                   help_text="{measure: {month: value}}")
    totals = serializers.DictField(child=serializers.IntegerField(allow_null=True))
    open_months = serializers.ListField(child=serializers.IntegerField())
    warnings = GridWarningSerializer(many=True)


class GridInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text=gettext_lazy("Phiên bản đã đọc (từ GET)."))
    values = serializers.DictField(
        help_text=gettext_lazy("{measure: {month: value}}; ô bỏ trống hoặc null là không có số liệu."))


def grid_payload(declaration) -> dict:
    data = entry.grid_data(declaration)
    return {
        "declaration": declaration.pk,
        "unit": declaration.unit.code,
        "module": declaration.module,
        "year": declaration.year,
        "version": declaration.version,
        "measures": _measures(declaration.module),
        "values": {key: {str(month): value for month, value in sorted(row.items())}
                   for key, row in data["values"].items()},
        "totals": data["totals"],
        "open_months": data["open_months"],
        "warnings": data["warnings"],
    }


class AggregateDeclarationViewSet(ScopedViewSet):
    """Declarations of aggregate reporting, and (`grid`) the figures entered under each."""

    queryset = AggregateDeclaration.objects.select_related("unit", "updated_by")
    serializer_class = AggregateDeclarationSerializer
    filterset_class = AggregateDeclarationFilterSet
    ordering_fields = ["year", "updated_at"]

    def get_queryset(self):
        return super().get_queryset().order_by(*AggregateDeclaration._meta.ordering, "pk")

    @extend_schema(methods=["GET"], responses=GridSerializer)
    @extend_schema(methods=["PUT"], request=GridInputSerializer, responses=GridSerializer)
    @action(detail=True, methods=["get", "put"], filterset_class=None)
    def grid(self, request, pk=None):
        declaration = self.get_object()
        if request.method == "GET":
            return Response(grid_payload(declaration))
        data = GridInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            entry.grid_save(declaration=declaration, values=data.validated_data["values"],
                            expected_version=data.validated_data["version"], user=request.user)
        except entry.GridError as errors:
            return Response(errors.as_dict(), status=400)
        except ConcurrentEditError as exc:
            raise Conflict() from exc
        return Response(grid_payload(declaration))


register("aggregate-declarations", AggregateDeclarationViewSet)
