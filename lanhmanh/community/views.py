from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lanhmanh.community import filters, forms, imports, services, tables
from lanhmanh.community.models import ModelActivity, PreventionModel
from lanhmanh.core.scoping import permission_name
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.core.text import local_time
from lanhmanh.core.views import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    ObjectViews,
    url_name,
)

ACTIVITY_LOG_LIMIT = 100


class ModelListView(ObjectListView):
    def get_queryset(self):
        # Grouped queries drop the model's default ordering: give it again, for stable pages.
        return (
            super()
            .get_queryset()
            .annotate(
                activity_count=Count("activities"),
                last_activity=Max("activities__date"),
            )
            .order_by(*PreventionModel._meta.ordering, "pk")
        )


class ModelDetailView(ObjectDetailView):
    template_name = "community/preventionmodel_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        model, user = self.object, self.request.user
        activities = ModelActivity.objects.visible_to(user).filter(prevention_model=model)
        ctx["activities"] = activities[:ACTIVITY_LOG_LIMIT]
        ctx["activity_totals"] = activities.aggregate(count=Count("pk"), participants=Sum("participants_count"))
        ctx["activity_list_url"] = f"{reverse(url_name(ModelActivity, 'list'))}?prevention_model={model.pk}"
        ctx["can_add_activity"] = user.has_perm(permission_name(ModelActivity, "add"))
        if ctx["can_add_activity"] and "activity_form" not in kwargs:
            form = forms.ModelActivityForm(user=user, initial={"prevention_model": model.pk}, auto_id="activity_%s")
            form.fields["prevention_model"].widget = form.fields["prevention_model"].hidden_widget()
            ctx["activity_form"] = form
        ctx["can_act"] = user.has_perm(permission_name(PreventionModel, "change"))
        if ctx["can_act"]:
            initial = {"version": model.version}
            ctx.setdefault("pause_form", forms.StatusChangeForm(initial=initial, auto_id="pause_%s"))
            ctx.setdefault(
                "resume_form", forms.StatusChangeForm(initial=initial, reason_required=False, auto_id="resume_%s")
            )
            ctx.setdefault("dissolve_form", forms.StatusChangeForm(initial=initial, auto_id="dissolve_%s"))
        return ctx


class PreventionModelViews(ObjectViews):
    model = PreventionModel
    filterset = filters.PreventionModelFilterSet
    table = tables.PreventionModelTable
    form = forms.PreventionModelForm
    importer = imports.PreventionModelImporter
    list_view = ModelListView
    detail_view = ModelDetailView
    select_related = ("unit", "residential_group", "lead_agency")
    detail_fields = (
        "name",
        "kind",
        "unit",
        "residential_group",
        "decision_number",
        "decision_date",
        "established_on",
        "status",
        "paused_on",
        "resumed_on",
        "dissolved_on",
        "status_note",
        "members_count",
        "lead_agency",
        "funding_source",
        "annual_funding",
        "description",
    )


# -- the activity log -----------------------------------------------------------------------------


class ActivityCreateView(ObjectCreateView):
    def get_success_url(self):
        # Back to the model's page, where the log is read.
        return f"{self.object.prevention_model.get_absolute_url()}#activities"


class ActivityUpdateView(ObjectUpdateView):
    def get_success_url(self):
        return f"{self.object.prevention_model.get_absolute_url()}#activities"


class ActivityDeleteView(ObjectDeleteView):
    def form_valid(self, form):
        target = f"{self.object.prevention_model.get_absolute_url()}#activities"
        super().form_valid(form)
        return redirect(target)


class ModelActivityViews(ObjectViews):
    model = ModelActivity
    filterset = filters.ModelActivityFilterSet
    table = tables.ModelActivityTable
    form = forms.ModelActivityForm
    create_view = ActivityCreateView
    update_view = ActivityUpdateView
    delete_view = ActivityDeleteView
    # Read and added on the model's page; the list is reached from there.
    in_menu = False
    select_related = ("unit", "prevention_model")
    detail_fields = ("prevention_model", "unit", "date", "kind", "participants_count", "description")


# -- status changes -------------------------------------------------------------------------------


def _model_for(user, pk):
    if not user.has_perm(permission_name(PreventionModel, "change")):
        raise PermissionDenied
    queryset = PreventionModel.objects.visible_to(user, "change").select_related(*PreventionModelViews.select_related)
    return get_object_or_404(queryset, pk=pk)


def _detail_page(request, model, *, status, **context):
    """The model's page rendered in answer to a refused action, with the form and its errors kept."""
    view_class = type(
        "ModelDetailPage",
        (ModelDetailView,),
        {
            "model": PreventionModel,
            "views": PreventionModelViews,
            "select_related": PreventionModelViews.select_related,
            "detail_fields": PreventionModelViews.detail_fields,
        },
    )
    view = view_class()
    view.setup(request, pk=model.pk)
    view.object = model
    return view.render_to_response(view.get_context_data(object=model, **context), status=status)


def _change_status(request, pk, *, name, func, success, reason_required=True):
    """Apply a status change from the model's page. A refused rule shows the page again with the reason (400); a
    page opened before someone else changed the model shows the model as it now is and changes nothing (409)."""
    model = _model_for(request.user, pk)
    form = forms.StatusChangeForm(request.POST, reason_required=reason_required, auto_id=f"{name}_%s")
    context = {f"{name}_form": form, "open_action": name}
    if not form.is_valid():
        return _detail_page(request, model, status=400, **context)
    data = form.cleaned_data
    try:
        func(model, on=data["on"], reason=data["reason"], user=request.user, expected_version=data["version"])
    except ConcurrentEditError as conflict:
        current = PreventionModel.objects.select_related(*PreventionModelViews.select_related).get(pk=model.pk)
        messages.error(
            request,
            _(
                "%(who)s đã cập nhật mô hình này lúc %(when)s, sau khi bạn mở trang. Thao tác CHƯA được thực hiện; "
                "tình trạng hiện tại là “%(status)s”. Hãy xem lại rồi làm lại nếu cần."
            )
            % {
                "who": conflict.current.updated_by or _("Người khác"),
                "when": local_time(conflict.current.updated_at),
                "status": current.get_status_display(),
            },
        )
        return _detail_page(request, current, status=409)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        model.refresh_from_db()
        return _detail_page(request, model, status=400, **context)
    messages.success(request, success)
    return redirect(model)


@require_POST
@login_required
def model_pause(request, pk):
    return _change_status(
        request, pk, name="pause", func=services.pause_model, success=_("Đã ghi tạm dừng hoạt động của mô hình.")
    )


@require_POST
@login_required
def model_resume(request, pk):
    return _change_status(
        request,
        pk,
        name="resume",
        func=services.resume_model,
        reason_required=False,
        success=_("Đã ghi mô hình hoạt động trở lại."),
    )


@require_POST
@login_required
def model_dissolve(request, pk):
    return _change_status(
        request, pk, name="dissolve", func=services.dissolve_model, success=_("Đã ghi giải thể mô hình.")
    )
