from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lanhmanh.core.context_processors import register_page
from lanhmanh.core.scoping import permission_name
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.core.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    ObjectViews,
    private_file_response,
)
from lanhmanh.outreach import filters, forms, imports, services, tables
from lanhmanh.outreach.models import ActivityAttachment, CommunicationActivity, TargetGroup, TargetPopulation

# -- communication activities ---------------------------------------------------------------------


class ActivityListView(ObjectListView):
    template_name = "outreach/communicationactivity_list.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("audiences")


class ActivityDetailView(ObjectDetailView):
    template_name = "outreach/communicationactivity_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        activity = self.object
        ctx["audiences"] = activity.audiences.all()
        ctx["cooperating_agencies"] = activity.cooperating_agencies.select_related("unit")
        ctx["attachments"] = activity.attachments.all()
        if self.request.user.has_perm(permission_name(CommunicationActivity, "change")):
            ctx["attachment_form"] = forms.AttachmentForm(auto_id="attach_%s")
        return ctx


class ActivityFormMixin:
    """The full form with the audiences' inline formset; writes go through services.save_activity."""

    template_name = "outreach/communicationactivity_form.html"
    formset = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["formset"] = self.formset or forms.audience_formset(instance=self.object)
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object() if kwargs.get("pk") else None
        form = self.get_form()
        self.formset = forms.audience_formset(request.POST, instance=self.object)
        if not (form.is_valid() and self.formset.is_valid()):
            return self.render_to_response(self.get_context_data(form=form))
        activity = form.save(commit=False)
        expected = (form.cleaned_data.get("expected_version") or activity.version) if activity.pk else None
        try:
            self.object = services.save_activity(
                activity,
                user=request.user,
                audiences=self.formset.audiences(),
                cooperating_agencies=form.cleaned_data.get("cooperating_agencies"),
                expected_version=expected,
            )
        except ConcurrentEditError as conflict:
            return self.conflict(form, conflict.current)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, _("Đã lưu %(name)s.") % {"name": self.object})
        return redirect(self.object)


class ActivityCreateView(ActivityFormMixin, ObjectCreateView):
    pass


class ActivityUpdateView(ActivityFormMixin, ObjectUpdateView):
    pass


class ActivityQuickView(ObjectCreateView):
    """Ghi nhanh: the common case in one short form that fits a phone."""

    template_name = "outreach/communicationactivity_quick.html"

    def form_valid(self, form):
        activity = form.save(commit=False)
        try:
            self.object = services.save_activity(activity, user=self.request.user, audiences=form.audiences())
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã ghi %(name)s.") % {"name": self.object})
        return redirect(self.object)


class CommunicationActivityViews(ObjectViews):
    model = CommunicationActivity
    filterset = filters.CommunicationActivityFilterSet
    table = tables.CommunicationActivityTable
    form = forms.CommunicationActivityForm
    importer = imports.ActivityImporter
    list_view = ActivityListView
    detail_view = ActivityDetailView
    create_view = ActivityCreateView
    update_view = ActivityUpdateView
    select_related = ("unit", "residential_group", "organiser")
    detail_fields = (
        "kind",
        "held_on",
        "unit",
        "residential_group",
        "title",
        "organiser",
        "materials_count",
        "participants_total",
        "description",
    )

    @classmethod
    def urls(cls):
        from django.urls import path

        return [
            *super().urls(),
            path(
                "communicationactivity/quick/",
                cls._view(ActivityQuickView, form_class=forms.QuickActivityForm),
                name="communicationactivity_quick",
            ),
        ]


def _activity_for(user, pk, action):
    if not user.has_perm(permission_name(CommunicationActivity, action)):
        raise PermissionDenied
    return get_object_or_404(CommunicationActivity.objects.visible_to(user, action).select_related("unit"), pk=pk)


@require_POST
@login_required
def activity_attach(request, pk):
    activity = _activity_for(request.user, pk, "change")
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        ActivityAttachment.objects.create(
            activity=activity,
            file=form.stored,
            content_type=form.content_type,
            size=form.stored.size,
            description=form.cleaned_data["description"],
            uploaded_by=request.user,
        )
        messages.success(request, _("Đã đính kèm tệp."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(activity)


@login_required
def activity_attachment(request, pk, attachment_pk):
    """An attachment, only to users who may see the activity; never through a public URL."""
    activity = _activity_for(request.user, pk, "view")
    attachment = get_object_or_404(activity.attachments, pk=attachment_pk)
    return private_file_response(attachment.file, f"tuyen-truyen-{activity.pk}-{attachment.pk}")


# -- target populations -----------------------------------------------------------------------------


class PopulationListView(ObjectListView):
    def get_queryset(self):
        return services.with_population_defaults(super().get_queryset()).order_by(*TargetPopulation._meta.ordering)


class PopulationDetailView(ObjectDetailView):
    template_name = "outreach/targetpopulation_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        population = self.object
        registry_workers, geo_groups = services.population_defaults(population.unit)
        ctx["defaults"] = [
            (
                TargetPopulation._meta.get_field("risk_workers").verbose_name,
                population.risk_workers,
                registry_workers,
                _("tổng số lao động của các cơ sở thuộc diện quản lý, chưa ngừng hoạt động"),
            ),
            (
                TargetPopulation._meta.get_field("residential_groups").verbose_name,
                population.residential_groups,
                geo_groups,
                _("số tổ dân phố, thôn trong danh mục đơn vị hành chính"),
            ),
        ]
        query = urlencode({"unit": population.unit_id, "year": population.year})
        ctx["summary_url"] = f"{reverse('outreach:summary')}?{query}"
        return ctx


class TargetPopulationViews(ObjectViews):
    model = TargetPopulation
    filterset = filters.TargetPopulationFilterSet
    table = tables.TargetPopulationTable
    form = forms.TargetPopulationForm
    importer = imports.TargetPopulationImporter
    list_view = PopulationListView
    detail_view = PopulationDetailView
    select_related = ("unit",)
    detail_fields = ("unit", "year", "students", "risk_workers", "iz_workers", "residential_groups", "source", "note")


# -- the unit summary -------------------------------------------------------------------------------


def list_link(unit, start, end, **extra) -> str:
    """The activity list filtered to a unit's subtree and a period (and, say, a target group)."""
    query = {
        "unit": unit.pk,
        "held_on_after": start.strftime("%d/%m/%Y"),
        "held_on_before": end.strftime("%d/%m/%Y"),
        **extra,
    }
    return f"{reverse('outreach:communicationactivity_list')}?{urlencode(query)}"


@login_required
def summary_page(request):
    """A unit's communication figures for a year: activities, participants, reach of the target groups, communes
    and residential groups with activity — for the unit and for each unit directly below it."""
    if not request.user.has_perm(permission_name(CommunicationActivity, "view")):
        raise PermissionDenied
    form = forms.summary_form(request.GET, request.user)
    ctx = {"form": form}
    if form.is_valid():
        unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
        summary = services.outreach_summary(unit, year, user=request.user)
        start, end = summary.start, summary.end
        ctx.update(
            summary=summary,
            list_url=list_link(unit, start, end),
            group_urls={g: list_link(unit, start, end, target_group=g) for g in TargetGroup.values},
            children=[
                (row, list_link(row.unit, start, end), f"?{urlencode({'unit': row.unit.pk, 'year': year})}")
                for row in summary.children
            ],
            population_url=f"{reverse('outreach:targetpopulation_list')}?{urlencode({'unit': unit.pk, 'year': year})}",
        )
    return render(request, "outreach/summary.html", ctx)


register_page("outreach", "outreach:communicationactivity_quick", gettext_lazy("Ghi nhanh hoạt động tuyên truyền"),
              permission_name(CommunicationActivity, "add"))
register_page("outreach", "outreach:summary", gettext_lazy("Tổng hợp tuyên truyền theo địa bàn"),
              permission_name(CommunicationActivity, "view"))
