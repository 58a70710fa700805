"""Pages of aggregate data sets: the declarations (generic register pages) and the data-entry grid of each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lanhmanh.core.scoping import permission_name
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.core.text import local_time
from lanhmanh.core.views import ObjectCreateView, ObjectDeleteView, ObjectDetailView, ObjectListView, ObjectViews
from lanhmanh.indicators import entry, filters, forms, tables
from lanhmanh.indicators import entry_api as _entry_api  # noqa: F401  (registers the API with the router)
from lanhmanh.indicators.models import AggregateDeclaration
from lanhmanh.indicators.registry import registry


def grid_url(declaration) -> str:
    return reverse("indicators:aggregatedeclaration_grid", args=[declaration.pk])


class DeclarationListView(ObjectListView):
    def get_queryset(self):
        # Grouped queries drop the model's default ordering: give it again, for stable pages.
        return (super().get_queryset().annotate(cell_count=Count("values"))
                .order_by(*AggregateDeclaration._meta.ordering, "pk"))


class DeclarationCreateView(ObjectCreateView):
    def get_success_url(self):
        # Declared to enter figures: straight to the grid.
        return grid_url(self.object)


class DeclarationDeleteView(ObjectDeleteView):
    template_name = "indicators/aggregatedeclaration_confirm_delete.html"

    def get_context_data(self, **kwargs):
        # Deleting takes the entered figures with it and gives the unit's records back to the engine: say so.
        return {**super().get_context_data(**kwargs), "cell_count": self.object.values.count()}


class DeclarationDetailView(ObjectDetailView):
    template_name = "indicators/aggregatedeclaration_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # A year is not a quantity: "2026", never "2.026".
        year_label = AggregateDeclaration._meta.get_field("year").verbose_name
        ctx["fields"] = [(label, str(value) if label is year_label else value) for label, value in ctx["fields"]]
        data = entry.grid_data(self.object)
        ctx["grid_url"] = grid_url(self.object)
        ctx["measures"] = [
            {"measure": m, "kind": entry.kind_label(m), "total": entry.number(data["totals"][m.key]),
             "months": len(data["values"].get(m.key, {}))}
            for m in data["measures"]
        ]
        ctx["warnings"] = data["warnings"]
        return ctx


class AggregateDeclarationViews(ObjectViews):
    model = AggregateDeclaration
    filterset = filters.AggregateDeclarationFilterSet
    table = tables.AggregateDeclarationTable
    form = forms.AggregateDeclarationForm
    list_view = DeclarationListView
    create_view = DeclarationCreateView
    detail_view = DeclarationDetailView
    delete_view = DeclarationDeleteView
    select_related = ("unit", "updated_by")
    detail_fields = ("unit", "year", "note", "updated_by", "updated_at")


# -- the data-entry grid ------------------------------------------------------------------------------------------


def cell_name(measure_key: str, month: int) -> str:
    return f"c-{measure_key}-{month}"


def _submitted(request, measures) -> dict[str, dict[int, str]]:
    """The grid as posted: {measure: {month: text}} of the cells the form carried (not the disabled months)."""
    raw: dict[str, dict[int, str]] = {}
    for measure in measures:
        for month in entry.MONTHS:
            name = cell_name(measure.key, month)
            if name in request.POST:
                raw.setdefault(measure.key, {})[month] = request.POST[name]
    return raw


def _parsed_or_none(text):
    try:
        return entry.parse_cell(text)
    except ValueError:
        return None


def _rows(declaration, data, *, typed=None, errors=None, current=None):
    """The grid's rows for the template. `typed`: the user's input to show again ({measure: {month: text}});
    `errors`: a GridError; `current`: the values someone else saved meanwhile, shown beside differing cells."""
    open_months = set(data["open_months"])
    rows = []
    for measure in data["measures"]:
        stored = data["values"].get(measure.key, {})
        cells = []
        shown_values = {}
        for month in entry.MONTHS:
            if typed is not None and month in typed.get(measure.key, {}):
                text = typed[measure.key][month]
            else:
                text = entry.number(stored.get(month)) if typed is None or month not in open_months else ""
            value = _parsed_or_none(text)
            if value is not None:
                shown_values[month] = value
            cell = {
                "month": month, "name": cell_name(measure.key, month), "text": text,
                "disabled": month not in open_months,
                "error": errors.cells.get(measure.key, {}).get(month) if errors else None,
                "current": None,
            }
            if current is not None:
                other = current.get(measure.key, {}).get(month)
                if other != value:
                    cell["current"] = entry.number(other) if other is not None else _("trống")
            cells.append(cell)
        rows.append({
            "measure": measure, "kind": measure.kind, "kind_label": entry.kind_label(measure),
            "cells": cells, "total": entry.number(entry.total(measure, shown_values)),
            "error": errors.rows.get(measure.key) if errors else None,
        })
    return rows


@login_required
def declaration_grid(request, pk):
    """The data-entry grid of a declaration: its module's measures × the months of its year. Anyone who may view
    the declaration reads it; who may change it saves it, whole or not at all."""
    user = request.user
    if not user.has_perm(permission_name(AggregateDeclaration, "view")):
        raise PermissionDenied
    declaration = get_object_or_404(
        AggregateDeclaration.objects.visible_to(user).select_related("unit", "updated_by"), pk=pk
    )
    can_edit = user.has_perm(permission_name(AggregateDeclaration, "change")) and (
        AggregateDeclaration.objects.visible_to(user, "change").filter(pk=pk).exists()
    )
    data = entry.grid_data(declaration)
    context = {"declaration": declaration, "can_edit": can_edit, "months": entry.MONTHS,
               "version": declaration.version, "list_url": reverse("indicators:aggregatedeclaration_list"),
               "rules": [(registry.measures[r.left].label, r.op, registry.measures[r.right].label, r.cumulative)
                         for r in entry.rules_for(declaration.module)]}
    status = 200
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        typed = _submitted(request, data["measures"])
        try:
            expected = int(request.POST.get("version", ""))
        except ValueError:
            expected = -1  # a form without its version cannot prove it saw the latest grid
        try:
            entry.grid_save(declaration=declaration, values=typed, expected_version=expected, user=user)
        except entry.GridError as errors:
            context.update(rows=_rows(declaration, data, typed=typed, errors=errors), error=errors.summary())
            status = 400
        except ConcurrentEditError as conflict:
            current = conflict.current
            data = entry.grid_data(current)
            context.update(
                rows=_rows(current, data, typed=typed, current=data["values"]),
                version=current.version,
                conflict=_(
                    "%(who)s đã lưu bảng số liệu này lúc %(when)s, sau khi bạn mở trang. Số liệu của bạn CHƯA được "
                    "lưu và vẫn còn trong bảng; các ô khác với số liệu hiện tại có ghi chú bên dưới. Hãy xem lại rồi "
                    "lưu lần nữa."
                ) % {"who": current.updated_by or _("Người khác"),
                     "when": local_time(current.updated_at)},
            )
            status = 409
        else:
            saved = entry.grid_data(declaration)
            count = len(saved["warnings"])
            message = _("Đã lưu bảng số liệu.")
            if count:
                message += " " + ngettext("Có %(count)s cảnh báo cần xem lại.", "Có %(count)s cảnh báo cần xem lại.",
                                          count) % {"count": count}
            messages.success(request, message)
            return redirect(grid_url(declaration))
    else:
        context["rows"] = _rows(declaration, data)
    context["warnings"] = data["warnings"]
    context["warned_cells"] = {(m, w["month"]) for w in data["warnings"] for m in w["measures"]}
    for row in context["rows"]:
        for cell in row["cells"]:
            cell["warned"] = (row["measure"].key, cell["month"]) in context["warned_cells"]
    return render(request, "indicators/aggregate_grid.html", context, status=status)
