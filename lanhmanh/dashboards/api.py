"""The dashboard as JSON: GET /api/dashboard/<code>/?year= — the plan's targets with their marks, the children
table, and the tasks due and overdue. The same selector as the page, so the same numbers and query budget."""

import re

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from lanhmanh.core.permissions import RolePermission
from lanhmanh.dashboards import selectors
from lanhmanh.dashboards.forms import year_range
from lanhmanh.indicators.models import AggregateDeclaration


def _round(value):
    return round(value, 2) if isinstance(value, float) else value


class DashboardProgressSerializer(serializers.Serializer):
    target = serializers.IntegerField()
    text = serializers.CharField()
    indicator = serializers.CharField(allow_blank=True)
    comparison = serializers.CharField()
    kind = serializers.CharField()
    goal = serializers.FloatField(allow_null=True)
    actual = serializers.FloatField(allow_null=True, help_text=_("Null: chưa có số liệu."))
    expected = serializers.FloatField(allow_null=True, help_text=_("Giá trị yêu cầu đến ngày xem."))
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    mark = serializers.ChoiceField(choices=["on_track", "at_risk", "off_track", "achieved", "not_achieved",
                                            "no_data"])
    mark_label = serializers.CharField()
    final = serializers.BooleanField()
    records_url = serializers.CharField(allow_null=True)


class DashboardValueSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    records_url = serializers.CharField(allow_null=True)


class DashboardChildSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    targets = DashboardProgressSerializer(many=True, help_text=_("Khi đơn vị có kế hoạch."))
    values = DashboardValueSerializer(many=True, help_text=_("Khi đơn vị chưa có kế hoạch: các chỉ số chính."))


class DashboardTaskSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    group = serializers.CharField()
    lead_agency = serializers.CharField(allow_null=True)
    status = serializers.CharField()
    next_due = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()


class DashboardPlanSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)


class DashboardSerializer(serializers.Serializer):
    unit = serializers.CharField()
    unit_name = serializers.CharField()
    year = serializers.IntegerField()
    today = serializers.DateField()
    plan = DashboardPlanSerializer(allow_null=True)
    targets = DashboardProgressSerializer(many=True)
    values = DashboardValueSerializer(many=True)
    children = DashboardChildSerializer(many=True)
    tasks = DashboardTaskSerializer(many=True)


def _progress(p, records_url) -> dict:
    target = p.target
    return {
        "target": target.pk, "text": target.text, "indicator": target.indicator, "comparison": target.comparison,
        "kind": target.kind, "goal": _round(p.goal), "actual": _round(p.actual), "expected": _round(p.expected),
        "numerator": p.numerator, "denominator": p.denominator, "mark": p.mark, "mark_label": str(p.mark_label),
        "final": p.final, "records_url": records_url,
    }


def _value(v, records_url) -> dict:
    return {"indicator": v.indicator.code, "numerator": v.numerator, "denominator": v.denominator,
            "value": _round(v.value), "records_url": records_url}


def dashboard_data(board) -> dict:
    plan = board.plan
    children = []
    for child in board.children:
        row = {"unit": child.unit.code, "unit_name": child.unit.name, "targets": [], "values": []}
        key = "targets" if board.has_plan else "values"
        row[key] = [(_progress if board.has_plan else _value)(cell, url) for cell, url in child.cells]
        children.append(row)
    return {
        "unit": board.unit.code,
        "unit_name": board.unit.name,
        "year": board.year,
        "today": board.today,
        "plan": plan and {"id": plan.pk, "reference": plan.reference, "title": plan.title, "status": plan.status,
                          "issued_on": plan.issued_on},
        "targets": [_progress(row.progress, row.records_url) for row in board.targets],
        "values": [_value(v, url) for v, url in board.key_values],
        "children": children,
        "tasks": [{"id": r.task.pk, "title": r.task.title, "group": r.task.group,
                   "lead_agency": str(r.task.lead_agency) if r.task.lead_agency else None,
                   "status": r.task.status, "next_due": r.next_due, "overdue": r.overdue} for r in board.tasks],
    }


class DashboardView(APIView):
    """A unit's dashboard for a year (`year`, default this year): its plan's targets with the actual value so far,
    the value expected by today and the mark; each child unit's values and marks; the plan's tasks due within 30
    days or overdue. A unit without a plan gets the key indicators (`values`) instead of `targets`. Values are null
    when there is no data (no denominator), never 0. A unit outside the caller's scope is a 404."""

    permission_classes = [RolePermission]
    queryset = AggregateDeclaration.objects.none()  # RolePermission: the figures permission

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=DashboardSerializer)
    def get(self, request, code):
        try:
            unit = selectors.visible_unit(request.user, code)
        except Http404 as exc:
            raise exceptions.NotFound(_("Không tìm thấy đơn vị này trong phạm vi của bạn.")) from exc
        today = selectors.today()
        year = request.query_params.get("year", "")
        first, last = year_range(today.year)
        # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
        if year and not (re.fullmatch(r"[0-9]{1,4}", year) and first <= int(year) <= last):
            raise serializers.ValidationError({"year": _("Năm không hợp lệ: hãy chọn năm từ %(first)s đến %(last)s.")
                                               % {"first": first, "last": last}})
        board = selectors.unit_dashboard(unit, int(year) if year else today.year, request.user, on=today)
        return Response(DashboardSerializer(dashboard_data(board)).data)


@extend_schema_view(get=extend_schema(exclude=True))
class AppDashboardView(DashboardView):
    """The same view under /dashboard/api/<code>/, kept out of the OpenAPI document: its home is
    /api/dashboard/<code>/."""
