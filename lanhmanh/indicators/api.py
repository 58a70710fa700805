"""The indicator catalogue and the engine's values over the API.

GET /api/indicators/ lists every registered indicator; GET /api/indicator-values/ computes some of them for a unit's
subtree and a period, optionally by child unit, by commune or by month, within the caller's scope."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from lanhmanh.indicators import engine, entry_api, periods  # noqa: F401 (entry_api registers its viewsets)
from lanhmanh.indicators.registry import registry

# A breakdown by month over more than a few years is not a dashboard but an export: keep answers small.
MAX_DAYS = 366 * 5
FIRST_YEAR = 2000


def _measure(measure):
    if measure is None:
        return None
    return {"key": measure.key, "label": str(measure.label), "aggregation": measure.kind, "module": measure.module}


def indicator_definition(indicator) -> dict:
    return {
        "code": indicator.code,
        "name": str(indicator.name),
        "name_en": indicator.name_en,
        "unit_of_measure": indicator.measure,
        "aggregation": indicator.aggregation,
        "numerator": _measure(indicator.numerator),
        "denominator": _measure(indicator.denominator),
        "module": indicator.module,
        "description": str(indicator.description),
        "lower_is_better": indicator.lower_is_better,
    }


class IndicatorListView(APIView):
    """Every indicator the engine computes: code, Vietnamese and English names, unit of measure (count, percent,
    vnd), how it aggregates over time (flow: summed over the period; stock: taken at its end), numerator and
    denominator measures. Ratios are Σ numerators ÷ Σ denominators over a subtree."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response([indicator_definition(i) for i in registry.all()])


class ValuesForm(forms.Form):
    unit = forms.CharField(label=gettext_lazy("đơn vị"), max_length=20)
    start = forms.DateField(label=gettext_lazy("từ ngày"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    end = forms.DateField(label=gettext_lazy("đến ngày"), required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])
    by = forms.ChoiceField(label=gettext_lazy("chia theo"), required=False,
                           choices=[("", "")] + [(b, b) for b in engine.BY_CHOICES])

    def __init__(self, data, codes, user):
        super().__init__(data)
        self.codes, self.user = codes, user

    def clean_unit(self):
        unit = engine.unit_in_scope(self.user, self.cleaned_data["unit"])
        if unit is None:
            # Not confirmed to exist when it lies outside the caller's scope.
            raise exceptions.NotFound(_("Không tìm thấy đơn vị này trong phạm vi của bạn."))
        return unit

    def clean(self):
        data = super().clean()
        if not self.codes:
            self.add_error(None, _("Hãy chọn ít nhất một chỉ số (tham số indicator)."))
        unknown = [code for code in self.codes if code not in registry.indicators]
        if unknown:
            self.add_error(None, _("Chỉ số không có trong danh mục: %(codes)s.") % {"codes": ", ".join(unknown)})
        today = timezone.localdate()
        start = data.get("start") or datetime.date(today.year, 1, 1)
        end = data.get("end") or datetime.date(start.year, 12, 31)
        if not (FIRST_YEAR <= start.year and end.year <= today.year + 1):
            self.add_error("start", _("Chỉ tính được số liệu từ năm %(first)s đến năm %(last)s.") % {
                "first": FIRST_YEAR, "last": today.year + 1})
        elif end < start:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        elif (end - start).days > MAX_DAYS:
            self.add_error("end", _("Khoảng thời gian không quá 5 năm."))
        else:
            data["period"] = periods.custom(start, end)
        return data


class IndicatorValuesView(APIView):
    """Values of `indicator` (repeat it for several) for the subtree of `unit` (its code) over `start`–`end`
    (YYYY-MM-DD, inclusive; default this calendar year), optionally `by` children, communes or month. One row per
    indicator (and child unit or month): {indicator, unit, unit_name, own, start, end, numerator, denominator,
    value}. `value` is null ("no data") when a ratio has no denominator; percentages are 0–100. Only the units the
    caller may see count."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("indicator", str, many=True, required=True),
            OpenApiParameter("unit", str, required=True),
            OpenApiParameter("start", datetime.date),
            OpenApiParameter("end", datetime.date),
            OpenApiParameter("by", str, enum=list(engine.BY_CHOICES)),
        ],
        responses=inline_serializer("IndicatorValue", {
            "indicator": serializers.CharField(), "unit": serializers.CharField(),
            "unit_name": serializers.CharField(), "own": serializers.BooleanField(),
            "start": serializers.DateField(), "end": serializers.DateField(),
            "numerator": serializers.IntegerField(allow_null=True),
            "denominator": serializers.IntegerField(allow_null=True),
            "value": serializers.FloatField(allow_null=True),
        }, many=True),
    )
    def get(self, request):
        codes = list(dict.fromkeys(request.query_params.getlist("indicator")))
        form = ValuesForm(request.query_params, codes, request.user)
        if not form.is_valid():
            raise serializers.ValidationError(form.errors)
        data = form.cleaned_data
        result = engine.compute(codes, data["unit"], data["period"], by=data["by"] or None, user=request.user)
        return Response([value.as_dict() for value in result])
