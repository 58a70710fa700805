from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lanhmanh.businesses import filters, forms, imports, tables
from lanhmanh.businesses.models import Business, Commitment, Suspicion
from lanhmanh.businesses.services import mark_reviewed, suggest_risk
from lanhmanh.core.scoping import permission_name
from lanhmanh.core.services import log_reads
from lanhmanh.core.views import ObjectDetailView, ObjectListView, ObjectViews, private_file_response

# Functions (request, business) -> dict | None: a panel another module adds to a business's page (its
# inspection history, its tips), as {"template": ..., **context}; None shows nothing. Registration order.
BUSINESS_PANELS = []


def business_panel(func):
    BUSINESS_PANELS.append(func)
    return func


class BusinessListView(ObjectListView):
    template_name = "businesses/business_list.html"

    def get_queryset(self):
        return super().get_queryset().with_commitment_state()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_review"] = self.request.user.has_perm(permission_name(Business, "change"))
        return ctx


class BusinessDetailView(ObjectDetailView):
    template_name = "businesses/business_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        business, user = self.object, self.request.user
        ctx["suggested_risk"], ctx["risk_reasons"] = suggest_risk(business)
        ctx["commitments"] = business.commitments.all()
        ctx["today"] = timezone.localdate()
        ctx["can_add_commitment"] = user.has_perm(permission_name(Commitment, "add"))
        ctx["can_review"] = user.has_perm(permission_name(Business, "change"))
        ctx["reviewed_this_year"] = business.reviewed_in(ctx["today"].year)
        suspicions = Suspicion.objects.visible_to(user).filter(business=business)
        ctx["suspicions"] = list(suspicions)
        ctx["can_see_suspicions"] = user.has_perm(permission_name(Suspicion, "view"))
        ctx["can_add_suspicion"] = user.has_perm(permission_name(Suspicion, "add"))
        ctx["panels"] = [panel for func in BUSINESS_PANELS if (panel := func(self.request, business))]
        if ctx["suspicions"]:
            log_reads(user=user, objects=ctx["suspicions"], what=str(Suspicion._meta.verbose_name),
                      endpoint=self.request.resolver_match.view_name)
        return ctx


class BusinessViews(ObjectViews):
    model = Business
    filterset = filters.BusinessFilterSet
    table = tables.BusinessTable
    form = forms.BusinessForm
    importer = imports.BusinessImporter
    list_view = BusinessListView
    detail_view = BusinessDetailView
    select_related = ("unit", "business_type", "residential_group", "last_reviewed_by")
    detail_fields = (
        "name", "business_type", "address", "unit", "residential_group", "owner_name", "owner_phone", "tax_code",
        "licence_number", "licence_date", "licence_issuer", "security_cert_number", "security_cert_date",
        "security_cert_issuer", "opened_on", "status", "status_since", "subject_to_management", "workers_total",
        "workers_female", "workers_other_province", "workforce_as_of", "risk_level", "risk_reasons",
        "last_reviewed_on", "last_reviewed_by", "note",
    )


class CommitmentDetailView(ObjectDetailView):
    template_name = "businesses/commitment_detail.html"


class CommitmentViews(ObjectViews):
    model = Commitment
    filterset = filters.CommitmentFilterSet
    table = tables.CommitmentTable
    form = forms.CommitmentForm
    select_related = ("unit", "business")
    detail_fields = ("business", "signed_on", "signer_name", "signer_position", "valid_until", "note")
    detail_view = CommitmentDetailView


class SuspicionViews(ObjectViews):
    model = Suspicion
    filterset = filters.SuspicionFilterSet
    table = tables.SuspicionTable
    form = forms.SuspicionForm
    select_related = ("unit", "business")
    log_reads = True
    detail_fields = ("business", "kind", "noted_on", "source", "details", "cleared_on")


def _business_for(user, pk, action):
    if not user.has_perm(permission_name(Business, action)):
        raise PermissionDenied
    return get_object_or_404(Business.objects.visible_to(user, action), pk=pk)


@require_POST
@login_required
def review(request, pk):
    """One click: this business was reviewed (rà soát) today by this user."""
    business = _business_for(request.user, pk, "change")
    mark_reviewed([business], user=request.user)
    messages.success(request, _("Đã ghi nhận rà soát %(name)s ngày %(date)s.")
                     % {"name": business, "date": timezone.localdate().strftime("%d/%m/%Y")})
    return redirect(business)


@require_POST
@login_required
def review_filtered(request):
    """Mark every business of the filtered list (the list page's current filters) as reviewed today."""
    if not request.user.has_perm(permission_name(Business, "change")):
        raise PermissionDenied
    queryset = Business.objects.visible_to(request.user, "change").with_commitment_state()
    filterset = filters.BusinessFilterSet(request.POST, queryset=queryset, request=request)
    if not filterset.is_valid():
        messages.error(request, _("Bộ lọc không hợp lệ; chưa ghi nhận rà soát."))
        return redirect("businesses:business_list")
    count = mark_reviewed(filterset.qs, user=request.user)
    messages.success(request, _("Đã ghi nhận rà soát %(count)s cơ sở ngày %(date)s.")
                     % {"count": count, "date": timezone.localdate().strftime("%d/%m/%Y")})
    query = request.POST.copy()
    query.pop("csrfmiddlewaretoken", None)
    return redirect(f"{reverse('businesses:business_list')}?{query.urlencode()}")


@login_required
def commitment_scan(request, pk):
    """The scanned commitment, only to users who may see the commitment; never through a public URL."""
    if not request.user.has_perm(permission_name(Commitment, "view")):
        raise PermissionDenied
    commitment = get_object_or_404(Commitment.objects.visible_to(request.user, "view"), pk=pk)
    if not commitment.scan:
        raise Http404
    return scan_response(commitment)


def scan_response(commitment):
    return private_file_response(commitment.scan, f"cam-ket-{commitment.pk}")
