import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from lanhmanh.core.forms import style_fields


@extend_schema_field(OpenApiTypes.INT)
class UnitSubtreeFilter(django_filters.ModelChoiceFilter):
    """By a unit's id; matches records of that unit and of every unit below it."""


class StyledFilterSet(django_filters.FilterSet):
    """Filters whose form fields carry the Bootstrap classes of every other form."""

    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            style_fields(form)
            form._styled = True
        return form


class ScopedFilterSet(StyledFilterSet):
    """Base of every module's filters, shared by the list page, its export and the API.

    Adds "unit (with its subtree)", offering only units the user can see."""

    unit = UnitSubtreeFilter(
        label=_("Đơn vị (gồm cấp dưới)"), queryset=None, method="filter_unit_subtree"
    )

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        from lanhmanh.geo.models import AdminUnit

        user = getattr(request, "user", None)
        self.filters["unit"].queryset = AdminUnit.objects.filter(
            level__lt=AdminUnit.Level.RESIDENTIAL_GROUP
        ).visible_to(user)

    def filter_unit_subtree(self, queryset, name, value):
        return queryset.within([value.path]) if value else queryset


class AccessLogFilterSet(ScopedFilterSet):
    at = django_filters.DateFromToRangeFilter(label=_("Thời điểm (từ – đến)"))

    class Meta:
        from lanhmanh.core.models import AccessLog

        model = AccessLog
        fields = ["unit", "user", "at"]
