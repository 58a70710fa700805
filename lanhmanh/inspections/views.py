import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lanhmanh.businesses.models import Business
from lanhmanh.businesses.views import business_panel
from lanhmanh.core.context_processors import register_page
from lanhmanh.core.forms import DateInput, StyledForm
from lanhmanh.core.scoping import permission_name, scope_paths
from lanhmanh.core.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    ObjectViews,
    private_file_response,
)
from lanhmanh.geo.models import AdminUnit
from lanhmanh.inspections import filters, imports, services, tables
from lanhmanh.inspections import forms as inspection_forms
from lanhmanh.inspections.models import (
    InspectionPlan,
    InspectionSession,
    InspectionVisit,
    Team,
    TeamMember,
)


class TeamDetailView(ObjectDetailView):
    template_name = "inspections/team_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["members"] = self.object.members.select_related("agency")
        ctx["sessions"] = self.object.sessions.annotate(visit_count=Count("visits")).order_by("-date", "-pk")[:10]
        ctx["today"] = timezone.localdate()
        ctx["can_add_member"] = user.has_perm(permission_name(TeamMember, "add"))
        ctx["can_add_session"] = user.has_perm(permission_name(InspectionSession, "add"))
        return ctx


class TeamViews(ObjectViews):
    model = Team
    filterset = filters.TeamFilterSet
    table = tables.TeamTable
    form = inspection_forms.TeamForm
    detail_view = TeamDetailView
    select_related = ("unit",)
    detail_fields = ("name", "unit", "decision_number", "decision_date", "decision_signer", "dissolved_on", "note")


class TeamMemberViews(ObjectViews):
    model = TeamMember
    filterset = filters.TeamMemberFilterSet
    table = tables.TeamMemberTable
    form = inspection_forms.TeamMemberForm
    select_related = ("unit", "team", "agency")
    in_menu = False
    detail_fields = ("team", "full_name", "agency", "position", "role_in_team", "valid_from", "valid_until")


# -- plans ----------------------------------------------------------------------------------------


class PlanListView(ObjectListView):
    def get_queryset(self):
        # Grouped queries drop the model's default ordering: give it again, for stable pages.
        return super().get_queryset().annotate(item_count=Count("items")).order_by(*InspectionPlan._meta.ordering)


class AddBusinessForm(StyledForm):
    business = forms.ModelChoiceField(queryset=Business.objects.none(), label=gettext_lazy("Thêm cơ sở"))


class PlanDetailView(ObjectDetailView):
    template_name = "inspections/plan_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan, user = self.object, self.request.user
        start, end = plan.period
        ctx["progress"] = services.plan_progress(plan)
        visits = InspectionVisit.objects.filter(visited_on__gte=start, visited_on__lte=end).order_by("visited_on")
        ctx["items"] = plan.items.select_related("business__unit", "business__business_type").prefetch_related(
            Prefetch("business__inspection_visits", queryset=visits, to_attr="visits_in_plan"))
        ctx["can_change"] = ctx["can_change"] and not plan.is_approved  # return it to draft first
        ctx["can_edit_items"] = not plan.is_approved and user.has_perm(permission_name(InspectionPlan, "change"))
        ctx["can_approve"] = user.has_perm(permission_name(InspectionPlan, "approve"))
        if ctx["can_edit_items"]:
            form = AddBusinessForm()
            form.fields["business"].queryset = services.managed_in(plan.unit).visible_to(user).exclude(
                pk__in=plan.items.values("business_id")).select_related("unit")
            ctx["add_form"] = form
        return ctx


class InspectionPlanViews(ObjectViews):
    model = InspectionPlan
    filterset = filters.InspectionPlanFilterSet
    table = tables.InspectionPlanTable
    form = inspection_forms.InspectionPlanForm
    list_view = PlanListView
    detail_view = PlanDetailView
    select_related = ("unit", "team", "approved_by")
    detail_fields = ("title", "unit", "team", "coverage_target", "status", "approved_by", "approved_on", "note")


def _plan_for(user, pk, action="change"):
    if not user.has_perm(permission_name(InspectionPlan, action)):
        raise PermissionDenied
    return get_object_or_404(InspectionPlan.objects.visible_to(user, action).select_related("unit"), pk=pk)


def _apply(request, plan, func, success):
    try:
        func()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(plan)


@require_POST
@login_required
def plan_propose(request, pk):
    plan = _plan_for(request.user, pk)
    return _apply(request, plan, lambda: services.propose_plan(plan),
                  _("Đã lập danh sách đề xuất theo mức độ ưu tiên."))


@require_POST
@login_required
def plan_adjust(request, pk):
    """Add one business by hand, or remove the ticked items."""
    plan = _plan_for(request.user, pk)
    add = []
    wanted = request.POST.get("business", "")
    if wanted:
        business = (services.managed_in(plan.unit).visible_to(request.user).filter(pk=wanted).first()
                    if wanted.isdigit() else None)
        if business is None:
            messages.error(request, _("Chỉ thêm được cơ sở thuộc diện quản lý trên địa bàn của kế hoạch."))
            return redirect(plan)
        add.append(business)
    remove = [int(pk) for pk in request.POST.getlist("remove") if pk.isdigit()]
    return _apply(request, plan, lambda: services.adjust_plan(plan, add=add, remove=remove),
                  _("Đã cập nhật danh sách cơ sở của kế hoạch."))


@require_POST
@login_required
def plan_approve(request, pk):
    plan = _plan_for(request.user, pk, "approve")
    return _apply(request, plan, lambda: services.approve_plan(plan, user=request.user),
                  _("Đã phê duyệt kế hoạch."))


@require_POST
@login_required
def plan_reopen(request, pk):
    plan = _plan_for(request.user, pk, "approve")
    return _apply(request, plan, lambda: services.reopen_plan(plan, user=request.user),
                  _("Kế hoạch đã trở lại dự thảo."))


# -- sessions and visits --------------------------------------------------------------------------


class SessionListView(ObjectListView):
    template_name = "inspections/inspection_list.html"
    def get_queryset(self):
        return super().get_queryset().annotate(visit_count=Count("visits")).order_by(
            *InspectionSession._meta.ordering)


class SessionDetailView(ObjectDetailView):
    template_name = "inspections/session_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        # A province team's session: a commune officer sees only the visits to their own businesses.
        ctx["visits"] = InspectionVisit.objects.visible_to(user).filter(session=self.object).select_related(
            "business").prefetch_related("violations").order_by("time", "pk")
        ctx["can_add_visit"] = user.has_perm(permission_name(InspectionVisit, "add"))
        return ctx


class VisitListView(ObjectListView):
    template_name = "inspections/inspection_list.html"


class VisitCreateView(ObjectCreateView):
    template_name = "inspections/visit_form.html"

    def get_success_url(self):
        # Back to the session, to record the next business of the round.
        return self.object.session.get_absolute_url()


class VisitUpdateView(ObjectUpdateView):
    template_name = "inspections/visit_form.html"


class VisitDetailView(ObjectDetailView):
    template_name = "inspections/visit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        visit = self.object
        ctx["violations"] = visit.violations.all()
        ctx["follow_ups"] = visit.follow_ups.visible_to(self.request.user).select_related("session")
        ctx["today"] = timezone.localdate()
        ctx["can_add_visit"] = self.request.user.has_perm(permission_name(InspectionVisit, "add"))
        return ctx


class InspectionSessionViews(ObjectViews):
    model = InspectionSession
    filterset = filters.InspectionSessionFilterSet
    table = tables.InspectionSessionTable
    form = inspection_forms.InspectionSessionForm
    list_view = SessionListView
    detail_view = SessionDetailView
    select_related = ("unit", "team", "plan")
    detail_fields = ("team", "date", "kind", "plan", "decision_number", "decision_date", "note")


class InspectionVisitViews(ObjectViews):
    model = InspectionVisit
    filterset = filters.InspectionVisitFilterSet
    table = tables.InspectionVisitTable
    form = inspection_forms.InspectionVisitForm
    importer = imports.VisitImporter
    list_view = VisitListView
    create_view = VisitCreateView
    update_view = VisitUpdateView
    detail_view = VisitDetailView
    select_related = ("unit", "business", "session__team", "follow_up_of__business")
    detail_fields = (
        "session", "business", "time", "attendees", "outcome", "findings", "fine_amount", "sanction_stage",
        "sanction_authority", "sanction_decision_number", "sanction_decision_date", "suspended_from",
        "suspended_until", "suspension_reason", "licence_withdrawn", "follow_up_due", "follow_up_of", "note",
    )


@login_required
def minutes_scan(request, pk):
    """The scanned minutes, only to users who may see the visit; never through a public URL."""
    if not request.user.has_perm(permission_name(InspectionVisit, "view")):
        raise PermissionDenied
    visit = get_object_or_404(InspectionVisit.objects.visible_to(request.user), pk=pk)
    if not visit.minutes_scan:
        raise Http404
    return private_file_response(visit.minutes_scan, f"bien-ban-{visit.pk}")


# -- coverage -------------------------------------------------------------------------------------


class CoverageForm(StyledForm):
    unit = forms.ModelChoiceField(queryset=AdminUnit.objects.none(), label=gettext_lazy("Đơn vị (gồm cấp dưới)"))
    start = forms.DateField(label=gettext_lazy("Từ ngày"), widget=DateInput())
    end = forms.DateField(label=gettext_lazy("Đến ngày"), widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Units where the user may see inspections, not merely the units themselves.
        self.fields["unit"].queryset = AdminUnit.objects.filter(level__lte=AdminUnit.Level.COMMUNE).within(
            scope_paths(user, permission_name(InspectionVisit, "view"))).order_by("path")
        for name in ("start", "end"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned


def coverage_form(data, user):
    """The form with its defaults: the user's own unit, from 1 January to today."""
    today = timezone.localdate()
    form = CoverageForm(user=user)
    default_unit = form.fields["unit"].queryset.order_by("level", "path").first()
    values = {"unit": default_unit.pk if default_unit else None, "start": datetime.date(today.year, 1, 1)
              .strftime("%d/%m/%Y"), "end": today.strftime("%d/%m/%Y")}
    values.update({k: v for k, v in data.items() if k in values and v})
    return CoverageForm(values, user=user)


@login_required
def coverage_page(request):
    if not request.user.has_perm(permission_name(InspectionVisit, "view")):
        raise PermissionDenied
    form = coverage_form(request.GET, request.user)
    ctx = {"form": form}
    if form.is_valid():
        unit, start, end = form.cleaned_data["unit"], form.cleaned_data["start"], form.cleaned_data["end"]
        ctx.update(unit=unit, figures=services.coverage(unit, start, end),
                   children=services.coverage_by_child(unit, start, end))
    return render(request, "inspections/coverage.html", ctx)


@business_panel
def inspection_panel(request, business):
    """A business's inspection history and its open follow-ups, on the business's page."""
    user = request.user
    if not user.has_perm(permission_name(InspectionVisit, "view")):
        return None
    visits = list(InspectionVisit.objects.visible_to(user).filter(business=business)
                  .select_related("session__team").prefetch_related("violations", "follow_ups")[:20])
    today = timezone.localdate()
    open_follow_ups = [v for v in visits if v.follow_up_due and not v.follow_ups.all()]
    return {"template": "inspections/_business_panel.html", "visits": visits, "open_follow_ups": open_follow_ups,
            "today": today, "visit_list_url": f"{reverse('inspections:inspectionvisit_list')}?business={business.pk}"}


register_page("inspections", "inspections:coverage", gettext_lazy("Kết quả kiểm tra theo địa bàn"),
              "inspections.view_inspectionvisit")
