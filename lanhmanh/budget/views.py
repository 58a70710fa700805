from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from lanhmanh.budget import filters, forms, imports, services, tables
from lanhmanh.budget.models import BudgetAllocation, Expenditure, vnd
from lanhmanh.core.context_processors import register_page
from lanhmanh.core.scoping import permission_name
from lanhmanh.core.views import ObjectDetailView, ObjectListView, ObjectViews


def _display_rows(obj, names):
    """(label, value) of `names` as a reader expects them: years without grouping, amounts as "1.500.000 đ"."""
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        value = getattr(obj, name)
        display = getattr(obj, f"get_{name}_display", None)
        if display is not None:
            value = display()
        elif name == "year":
            value = str(value)
        elif name == "amount":
            value = f"{vnd(value)} đ"
        rows.append((field.verbose_name, value))
    return rows


class BudgetListView(ObjectListView):
    """A list with a link to the execution page."""

    template_name = "budget/budget_list.html"


class AllocationDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["fields"] = _display_rows(self.object, self.detail_fields)
        return ctx


def _linked(user, record):
    """`record` if `user` may open it (for a link), else None (its name is shown without a link)."""
    model = type(record)
    if not user.has_perm(permission_name(model, "view")):
        return None
    return model.objects.visible_to(user).filter(pk=record.pk).first()


class ExpenditureDetailView(ObjectDetailView):
    template_name = "budget/expenditure_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["fields"] = _display_rows(self.object, self.detail_fields)
        linked = self.object.linked
        if linked:
            name, record = linked
            ctx["paid_for"] = (
                Expenditure._meta.get_field(name).verbose_name,
                record,
                _linked(self.request.user, record),
            )
        return ctx


class BudgetAllocationViews(ObjectViews):
    model = BudgetAllocation
    filterset = filters.BudgetAllocationFilterSet
    table = tables.BudgetAllocationTable
    form = forms.BudgetAllocationForm
    importer = imports.AllocationImporter
    list_view = BudgetListView
    detail_view = AllocationDetailView
    select_related = ("unit",)
    detail_fields = ("unit", "year", "source", "purpose", "amount", "decision_number", "decision_date", "note")


def _link_related() -> tuple[str, ...]:
    # What the table and the detail page print of each linked record (a session names its team).
    return tuple(
        f"{name}__team" if name == "inspection_session" else name for name, _purpose in Expenditure.link_fields()
    )


class ExpenditureViews(ObjectViews):
    model = Expenditure
    filterset = filters.ExpenditureFilterSet
    table = tables.ExpenditureTable
    form = forms.ExpenditureForm
    importer = imports.ExpenditureImporter
    list_view = BudgetListView
    detail_view = ExpenditureDetailView
    select_related = ("unit", *_link_related())
    detail_fields = ("unit", "spent_on", "source", "purpose", "amount", "description", "voucher_number", "note")


@login_required
def execution_page(request):
    """Allocated, spent and the execution rate of a unit's subtree in a budget year: per purpose, per source, and
    per child unit."""
    if not request.user.has_perm(permission_name(BudgetAllocation, "view")):
        raise PermissionDenied
    form = forms.execution_form(request.GET, request.user)
    ctx = {"form": form}
    if form.is_valid():
        unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
        ctx.update(
            unit=unit,
            year=year,
            execution=services.execution(unit, year, user=request.user),
            children=services.execution_by_child(unit, year, user=request.user),
        )
    return render(request, "budget/execution.html", ctx)


register_page("budget", "budget:execution", gettext_lazy("Tình hình thực hiện dự toán"),
              permission_name(BudgetAllocation, "view"))
