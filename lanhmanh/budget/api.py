"""The budget API: allocations and expenditures (amounts as whole đồng, integers), and the execution figures of a unit
and year (`BudgetExecutionView`, wired at /api/budget-execution/)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lanhmanh.budget import services
from lanhmanh.budget.filters import BudgetAllocationFilterSet, ExpenditureFilterSet
from lanhmanh.budget.forms import execution_form
from lanhmanh.budget.models import RECORD_LEVELS, BudgetAllocation, Expenditure
from lanhmanh.core.api import ScopedSerializer, ScopedViewSet, register
from lanhmanh.core.permissions import RolePermission
from lanhmanh.geo.models import AdminUnit


def _unit_field():
    return serializers.SlugRelatedField(slug_field="code", queryset=AdminUnit.objects.filter(level__in=RECORD_LEVELS))


class BudgetAllocationSerializer(ScopedSerializer):
    """An allocation: unit by code, amount in đồng."""

    unit = _unit_field()
    amount = serializers.IntegerField(min_value=0)

    class Meta:
        model = BudgetAllocation
        fields = [
            "id",
            "unit",
            "year",
            "source",
            "purpose",
            "amount",
            "decision_number",
            "decision_date",
            "note",
            "version",
        ]
        # The model's clean() reports a duplicate line with a message naming it.
        validators = []


class ExpenditureSerializer(ScopedSerializer):
    """An expenditure: unit by code, amount in đồng, and what it paid for by id (at most one, among the records the
    caller may see)."""

    unit = _unit_field()
    amount = serializers.IntegerField(min_value=1)

    class Meta:
        model = Expenditure
        fields = [
            "id",
            "unit",
            "spent_on",
            "source",
            "purpose",
            "amount",
            "description",
            "voucher_number",
            *(name for name, _purpose in Expenditure.link_fields()),
            "note",
            "version",
        ]


class BudgetAllocationViewSet(ScopedViewSet):
    queryset = BudgetAllocation.objects.select_related("unit")
    serializer_class = BudgetAllocationSerializer
    filterset_class = BudgetAllocationFilterSet
    ordering_fields = ["year", "amount", "updated_at"]


class ExpenditureViewSet(ScopedViewSet):
    queryset = Expenditure.objects.select_related("unit")
    serializer_class = ExpenditureSerializer
    filterset_class = ExpenditureFilterSet
    ordering_fields = ["spent_on", "amount", "updated_at"]


class ExecutionRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    allocated = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("null: chưa ghi dự toán được giao"))
    spent = serializers.IntegerField()
    percent = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("null: chưa có số liệu (chưa giao dự toán)")
    )


class ChildExecutionSerializer(ExecutionRowSerializer):
    unit = serializers.CharField(source="unit.code")
    own = serializers.BooleanField()


class ExecutionSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    year = serializers.IntegerField()
    by_purpose = ExecutionRowSerializer(many=True)
    by_source = ExecutionRowSerializer(many=True)
    total = ExecutionRowSerializer()
    children = ChildExecutionSerializer(many=True)


class BudgetExecutionView(APIView):
    """Allocated, spent and the execution rate of a unit's subtree in a budget year, per purpose, per source, in
    total and per child unit: `unit` (id; default the caller's unit) and `year` (default this year). `allocated`
    and `percent` are null when nothing was allocated ("no data", not 0%); over-spending shows above 100."""

    permission_classes = [RolePermission]
    queryset = BudgetAllocation.objects.none()  # RolePermission: needs view_budgetallocation

    @extend_schema(
        parameters=[OpenApiParameter("unit", int), OpenApiParameter("year", int)], responses=ExecutionSerializer
    )
    def get(self, request):
        form = execution_form(request.query_params, request.user)
        unit = request.query_params.get("unit", "")
        if unit.isdigit() and not form.fields["unit"].queryset.filter(pk=int(unit)).exists():
            # A unit outside the caller's scope is not confirmed to exist.
            raise exceptions.NotFound(_("Không tìm thấy đơn vị này trong phạm vi của bạn."))
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
        figures = services.execution(unit, year, user=request.user)
        data = {
            "unit": unit,
            "year": year,
            "by_purpose": figures.by_purpose,
            "by_source": figures.by_source,
            "total": figures.total,
            "children": services.execution_by_child(unit, year, user=request.user),
        }
        return Response(ExecutionSerializer(data).data)


register("budget-allocations", BudgetAllocationViewSet)
register("expenditures", ExpenditureViewSet)
