from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.core.context_processors import register_page
from lanhmanh.core.scoping import permission_name
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.core.views import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
    ObjectViews,
)
from lanhmanh.training import filters, forms, imports, services, tables
from lanhmanh.training.models import StaffCount, Training, TrainingParticipantGroup


class TrainingListView(ObjectListView):
    template_name = "training/training_list.html"


class StaffCountListView(ObjectListView):
    template_name = "training/staffcount_list.html"


class TrainingDetailView(ObjectDetailView):
    template_name = "training/training_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["groups"] = list(self.object.participant_groups.select_related("agency", "participant_unit"))
        # Changes of the participant groups, newest first (the course's own history shows its totals).
        ctx["group_history"] = list(
            TrainingParticipantGroup.history.filter(training_id=self.object.pk)
            .select_related("history_user", "agency")
            .order_by("-history_date", "-history_id")[:30]
        )
        return ctx


class StaffCountDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        # A year is not a quantity: no thousands separator ("2026", not "2.026").
        year_label = StaffCount._meta.get_field("year").verbose_name
        ctx["fields"] = [(label, str(value) if label == year_label else value) for label, value in ctx["fields"]]
        return ctx


class _WithGroups:
    """A course form with its participant groups below it, saved together by services.training_save."""

    template_name = "training/training_form.html"

    def get_formset(self, instance):
        data = self.request.POST if self.request.method == "POST" else None
        return forms.ParticipantGroupFormSet(data, instance=instance, user=self.request.user, prefix="groups")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["formset"] = getattr(self, "formset", None) or self.get_formset(self.object or Training())
        return ctx

    def post(self, request, *args, **kwargs):
        self.object = self.get_object() if getattr(self, "editing", False) else None
        form = self.get_form()
        form_ok = form.is_valid()  # sets the course's unit, which the groups' rules need
        self.formset = self.get_formset(form.instance)
        if form_ok and self.formset.is_valid():
            return self.form_valid(form)
        return self.render_to_response(self.get_context_data(form=form))

    def save(self, form):
        changed, deleted = self.formset.changed_and_deleted()
        training = form.save(commit=False)
        expected = (form.cleaned_data.get("expected_version") or training.version) if training.pk else None
        return services.training_save(
            training=training, groups=changed, deleted=deleted, user=self.request.user, expected_version=expected
        )


class TrainingCreateView(_WithGroups, ObjectCreateView):
    def form_valid(self, form):
        self.object = self.save(form)
        messages.success(self.request, _("Đã thêm %(name)s.") % {"name": self.object})
        return redirect(self.get_success_url())


class TrainingUpdateView(_WithGroups, ObjectUpdateView):
    editing = True

    def form_valid(self, form):
        try:
            self.object = self.save(form)
        except ConcurrentEditError as conflict:
            return self.conflict(form, conflict.current)
        messages.success(self.request, _("Đã lưu %(name)s.") % {"name": self.object})
        return redirect(self.get_success_url())


class TrainingViews(ObjectViews):
    model = Training
    filterset = filters.TrainingFilterSet
    table = tables.TrainingTable
    form = forms.TrainingForm
    importer = imports.TrainingImporter
    list_view = TrainingListView
    detail_view = TrainingDetailView
    create_view = TrainingCreateView
    update_view = TrainingUpdateView
    select_related = ("unit", "organiser")
    detail_fields = (
        "title",
        "level",
        "unit",
        "starts_on",
        "ends_on",
        "organiser",
        "venue",
        "summary",
        "materials_count",
        "participants_total",
        "programme_staff_total",
    )


class StaffCountViews(ObjectViews):
    model = StaffCount
    filterset = filters.StaffCountFilterSet
    table = tables.StaffCountTable
    form = forms.StaffCountForm
    importer = imports.StaffCountImporter
    list_view = StaffCountListView
    detail_view = StaffCountDetailView
    select_related = ("unit",)
    detail_fields = ("unit", "year", "staff", "note")


@login_required
def staff_trained_page(request):
    """Programme staff trained in a year against the staff recorded, by level and by child unit."""
    if not request.user.has_perm(permission_name(Training, "view")):
        raise PermissionDenied
    form = forms.staff_trained_form(request.GET, request.user)
    ctx = {"form": form}
    if form.is_valid():
        ctx["report"] = services.staff_trained_report(
            form.cleaned_data["unit"], form.cleaned_data["year"], user=request.user
        )
        ctx["courses"] = services.training_figures(
            form.cleaned_data["unit"], *services.year_bounds(form.cleaned_data["year"]), user=request.user
        )
    return render(request, "training/staff_trained.html", ctx)


register_page("training", "training:staff_trained", gettext_lazy("Tỷ lệ cán bộ được tập huấn"),
              permission_name(Training, "view"))
