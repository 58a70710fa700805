from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from lanhmanh.businesses.models import Business
from lanhmanh.businesses.views import business_panel
from lanhmanh.core.context_processors import register_page
from lanhmanh.core.scoping import permission_name
from lanhmanh.core.services import log_reads
from lanhmanh.core.views import ObjectDetailView, ObjectListView, ObjectViews
from lanhmanh.enforcement import filters, forms, imports, services, tables
from lanhmanh.enforcement.models import COUNT_FIELDS, EnforcementCase
from lanhmanh.inspections.models import InspectionVisit
from lanhmanh.tips.models import Tip
from lanhmanh.tips.views import tip_panel


class CaseListView(ObjectListView):
    template_name = "enforcement/enforcementcase_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("offences")


def _linked(user, model, pk):
    """The related record if `user` may see it (for a link), else None (its name is shown without a link)."""
    if pk is None or not user.has_perm(permission_name(model, "view")):
        return None
    return model.objects.visible_to(user).filter(pk=pk).first()


class CaseDetailView(ObjectDetailView):
    template_name = "enforcement/enforcementcase_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        case, user = self.object, self.request.user
        ctx["offences"] = case.offences.all()
        ctx["counts"] = [(name, EnforcementCase._meta.get_field(name).verbose_name, getattr(case, name))
                         for name in COUNT_FIELDS]
        links = []
        for field, model in (("business", Business), ("origin_tip", Tip), ("origin_visit", InspectionVisit)):
            if getattr(case, f"{field}_id"):
                links.append((EnforcementCase._meta.get_field(field).verbose_name, getattr(case, field),
                              _linked(user, model, getattr(case, f"{field}_id"))))
        ctx["links"] = links
        return ctx


class EnforcementCaseViews(ObjectViews):
    model = EnforcementCase
    filterset = filters.EnforcementCaseFilterSet
    table = tables.EnforcementCaseTable
    form = forms.EnforcementCaseForm
    importer = imports.CaseImporter
    list_view = CaseListView
    detail_view = CaseDetailView
    # A case is police information: every page or export that shows one is access-logged.
    log_reads = True
    select_related = ("unit", "agency", "business")
    detail_fields = ("case_type", "reference_number", "unit", "agency", "detected_on", "instituted_on", "indicted_on",
                     "tried_on", "summary")


@login_required
def comparison_page(request):
    """A unit's case figures over a period beside the same period a year earlier."""
    if not request.user.has_perm(permission_name(EnforcementCase, "view")):
        raise PermissionDenied
    form = forms.comparison_form(request.GET, request.user)
    ctx = {"form": form}
    if form.is_valid():
        unit, start, end = form.cleaned_data["unit"], form.cleaned_data["start"], form.cleaned_data["end"]
        ctx["comparison"] = services.year_on_year(unit, start, end, user=request.user)
    return render(request, "enforcement/comparison.html", ctx)


@business_panel
def case_panel(request, business):
    """The cases about a business, on the business's page, for the roles that may see cases."""
    user = request.user
    if not user.has_perm(permission_name(EnforcementCase, "view")):
        return None
    cases = list(EnforcementCase.objects.visible_to(user).filter(business=business).prefetch_related("offences")[:20])
    if cases:
        log_reads(user=user, objects=cases, what=str(EnforcementCase._meta.verbose_name),
                  endpoint=request.resolver_match.view_name if request.resolver_match else "")
    return {"template": "enforcement/_business_panel.html", "cases": cases,
            "case_list_url": f"{reverse('enforcement:enforcementcase_list')}?business={business.pk}"}


@tip_panel
def tip_case_panel(request, tip):
    """The cases a tip led to, on the tip's page (the outcome's link to the case)."""
    user = request.user
    if not user.has_perm(permission_name(EnforcementCase, "view")):
        return None
    cases = list(EnforcementCase.objects.visible_to(user).filter(origin_tip=tip).prefetch_related("offences")[:20])
    if not cases:
        return None
    log_reads(user=user, objects=cases, what=str(EnforcementCase._meta.verbose_name),
              endpoint=request.resolver_match.view_name if request.resolver_match else "")
    return {"template": "enforcement/_business_panel.html", "cases": cases,
            "case_list_url": f"{reverse('enforcement:enforcementcase_list')}?origin_tip={tip.pk}"}


register_page("enforcement", "enforcement:comparison", gettext_lazy("So sánh với cùng kỳ năm trước"),
              permission_name(EnforcementCase, "view"))
