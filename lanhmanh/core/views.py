"""Generic pages every domain module gets by declaring an `ObjectViews` subclass:

    class AgencyViews(ObjectViews):
        model = Agency
        filterset = AgencyFilterSet
        table = AgencyTable
        form = AgencyForm
        importer = AgencyImporter      # optional: Excel import

and adding `*AgencyViews.urls()` to the app's urlpatterns. Scoping (`visible_to`), permissions, htmx
partial refresh, XLSX/CSV export, history, optimistic locking and imports come from here, once.
"""

from typing import ClassVar

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db.models import ProtectedError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import generic
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin, TableExport

from lanhmanh.core import imports
from lanhmanh.core.history import history_timeline
from lanhmanh.core.models import ImportJob
from lanhmanh.core.scoping import permission_name, scope_paths
from lanhmanh.core.services import ConcurrentEditError, log_access, log_reads, record_create, save_versioned
from lanhmanh.core.text import local_time


def url_name(model, page: str) -> str:
    return f"{model._meta.app_label}:{model._meta.model_name}_{page}"


def object_url(obj, page: str = "detail") -> str:
    return reverse(url_name(type(obj), page), args=[obj.pk])


class ScopedObjectMixin(LoginRequiredMixin):
    """The user needs the model permission for `action`, and only sees records `visible_to` them:
    a record outside their scope is a 404, never a 403 that would confirm it exists."""

    model = None
    action = "view"
    select_related: tuple[str, ...] = ()
    views = None  # the ObjectViews declaration, for templates

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(permission_name(self.model, self.action)):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user, self.action)
        return qs.select_related(*self.select_related) if self.select_related else qs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        opts = self.model._meta
        user = self.request.user
        pages = self.views.pages if self.views else ()

        def allowed(page, action):
            return page in pages and user.has_perm(permission_name(self.model, action))

        ctx.update(
            opts=opts,
            views=self.views,
            list_url=reverse(url_name(self.model, "list")),
            can_add=allowed("add", "add"),
            can_change=allowed("edit", "change"),
            can_delete=allowed("delete", "delete"),
            can_import=bool(self.views and self.views.importer) and user.has_perm(permission_name(self.model, "add")),
        )
        return ctx


class SpreadsheetExport(TableExport):
    """CSV with a byte-order mark: Excel otherwise misreads Vietnamese as Latin-1."""

    def export(self):
        data = super().export()
        if self.format == self.CSV:
            return "\ufeff" + (data.decode("utf-8") if isinstance(data, bytes) else data)
        return data


class ObjectListView(ScopedObjectMixin, ExportMixin, SingleTableMixin, FilterView):
    template_name = "core/object_list.html"
    # The part htmx swaps in; a module's page extending the list template keeps this one.
    results_template = "core/object_list.html#results"
    export_class = SpreadsheetExport
    export_formats = ("xlsx", "csv")
    export_trigger_param = "export"
    exclude_columns = ("actions",)
    paginate_by = 25

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get_export_filename(self, export_format):
        return f"{self.model._meta.model_name}.{export_format}"

    def get_template_names(self):
        # htmx refreshes only the table when a filter, sort or page link changes.
        if self.request.htmx and self.request.htmx.target == "results":
            return [self.results_template]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.views and self.views.log_reads:
            log_reads(user=self.request.user, objects=[row.record for row in ctx["table"].paginated_rows],
                      what=str(self.model._meta.verbose_name), endpoint=self.request.resolver_match.view_name)
        return ctx

    def create_export(self, export_format):
        if self.views and self.views.log_reads:
            log_reads(user=self.request.user, objects=self.get_table_data(),
                      what=str(self.model._meta.verbose_name), endpoint=f"{self.request.resolver_match.view_name} "
                      f"({export_format})")
        return super().create_export(export_format)

    def get_table_data(self):
        # An invalid filter shows no rows (and the form errors), never the unfiltered list.
        if not self.filterset.is_bound or self.filterset.is_valid():
            return self.filterset.qs
        return self.filterset.queryset.none()


class ObjectDetailView(ScopedObjectMixin, generic.DetailView):
    template_name = "core/object_detail.html"
    detail_fields: ClassVar[tuple[str, ...] | None] = None
    # Identified personal data: shown only to users holding `sensitive_permission` over the record,
    # and every showing is written to the access log.
    sensitive_fields: ClassVar[tuple[str, ...]] = ()
    sensitive_permission: ClassVar[str | None] = None

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["fields"] = list(detail_rows(self.object, self.detail_fields))
        ctx["history"] = history_timeline(self.object)
        ctx["sensitive_rows"] = self.sensitive_rows()
        if self.views and self.views.log_reads:
            log_access(user=self.request.user, obj=self.object, what=str(self.model._meta.verbose_name),
                       endpoint=self.request.resolver_match.view_name)
        return ctx

    def sensitive_rows(self):
        if not self.sensitive_fields or not self.sensitive_permission:
            return []
        paths = scope_paths(self.request.user, self.sensitive_permission)
        if not self.model.objects.filter(pk=self.object.pk).within(paths).exists():
            return []
        rows = [(self.model._meta.get_field(name).verbose_name, getattr(self.object, name))
                for name in self.sensitive_fields]
        log_access(
            user=self.request.user, obj=self.object, what=", ".join(str(label) for label, _v in rows),
            endpoint=self.request.resolver_match.view_name,
        )
        return rows


def detail_rows(obj, names=None):
    """(label, display value) for the fields of `obj` a reader cares about."""
    skip = {"id", "version", "path"}
    for field in obj._meta.concrete_fields:
        if (names is not None and field.name not in names) or (names is None and field.name in skip):
            continue
        if getattr(field, "sensitive", False):
            continue
        display = getattr(obj, f"get_{field.name}_display", None)
        value = display() if display else getattr(obj, field.name)
        yield field.verbose_name, value


class ObjectFormMixin(ScopedObjectMixin):
    template_name = "core/object_form.html"
    form_class = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_success_url(self):
        return object_url(self.object)


class ObjectCreateView(ObjectFormMixin, generic.CreateView):
    action = "add"

    def get_initial(self):
        # Links such as "add a membership for this user" pre-fill fields from the query string.
        return {**super().get_initial(), **self.request.GET.dict()}

    def form_valid(self, form):
        self.object = record_create(form.save(commit=False), user=self.request.user)
        form.save_m2m()
        messages.success(self.request, _("Đã thêm %(name)s.") % {"name": self.object})
        return redirect(self.get_success_url())


class ObjectUpdateView(ObjectFormMixin, generic.UpdateView):
    action = "change"

    def form_valid(self, form):
        instance = form.save(commit=False)
        expected = form.cleaned_data.get("expected_version") or instance.version
        try:
            self.object = save_versioned(instance, expected_version=expected, user=self.request.user)
        except ConcurrentEditError as conflict:
            return self.conflict(form, conflict.current)
        form.save_m2m()
        messages.success(self.request, _("Đã lưu %(name)s.") % {"name": self.object})
        return redirect(self.get_success_url())

    def conflict(self, form, current):
        """Refuse the save, show what the other person changed, and let the user decide again."""
        changes = []
        for name in form.changed_data:
            if name == "expected_version" or name not in form.fields:
                continue
            field = self.model._meta.get_field(name)
            display = getattr(current, f"get_{name}_display", None)
            value = display() if display else getattr(current, name)
            changes.append((form.fields[name].label or field.verbose_name, value))
        form.add_error(
            None,
            _("%(who)s đã cập nhật hồ sơ này lúc %(when)s, sau khi bạn mở nó. Thay đổi của bạn CHƯA được lưu. "
              "Hãy xem giá trị hiện tại bên dưới, sửa lại nếu cần rồi lưu lần nữa.")
            % {
                "who": getattr(current, "updated_by", None) or _("Người khác"),
                "when": local_time(getattr(current, "updated_at", None)),
            },
        )
        data = form.data.copy()
        data["expected_version"] = current.version
        form.data = data
        return self.render_to_response(self.get_context_data(form=form, conflict_values=changes, current=current))


class ObjectDeleteView(ScopedObjectMixin, generic.DeleteView):
    action = "delete"
    template_name = "core/object_confirm_delete.html"

    def form_valid(self, form):
        name = str(self.object)
        self.object._history_user = self.request.user
        try:
            self.object.delete()
        except ProtectedError:
            messages.error(self.request, _("Không thể xóa %(name)s vì còn dữ liệu khác gắn với nó.") % {"name": name})
            return redirect(object_url(self.object))
        messages.success(self.request, _("Đã xóa %(name)s.") % {"name": name})
        return redirect(reverse(url_name(self.model, "list")))


class ObjectImportView(ScopedObjectMixin, generic.FormView):
    """Upload a filled-in template; small files are imported at once, large ones by the task worker."""

    action = "add"
    template_name = "core/object_import.html"
    form_class = imports.ImportUploadForm
    importer = None

    def get(self, request, *args, **kwargs):
        if request.GET.get("template"):
            return self.importer(user=request.user).template_response()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["importer"] = self.importer(user=self.request.user)
        ctx["recent_jobs"] = ImportJob.objects.filter(user=self.request.user, target=self.importer.target())[:5]
        return ctx

    def form_valid(self, form):
        job = imports.start_import(self.importer, user=self.request.user, upload=form.cleaned_data["file"])
        if job.status == ImportJob.Status.MAPPING:
            return redirect("import_job_mapping", pk=job.pk)
        return redirect("import_job", pk=job.pk)

    def get_queryset(self):
        return self.model.objects.none()


class ObjectViews:
    """A model's declaration of its pages. Subclasses are registered, so the generic tests and the
    navigation find every module without being told."""

    model = None
    filterset = None
    table = None
    form = None
    importer = None
    detail_fields: tuple[str, ...] | None = None
    sensitive_fields: tuple[str, ...] = ()
    sensitive_permission: str | None = None
    # The whole record is sensitive (a suspicion, a case): every page or export that shows it is access-logged.
    log_reads = False
    select_related: tuple[str, ...] = ()
    # Which pages exist; a read-only register (the access log) drops add/edit/delete.
    pages: tuple[str, ...] = ("list", "detail", "add", "edit", "delete")
    list_view = ObjectListView
    detail_view = ObjectDetailView
    create_view = ObjectCreateView
    update_view = ObjectUpdateView
    delete_view = ObjectDeleteView
    import_view = ObjectImportView

    registry: ClassVar[list[type["ObjectViews"]]] = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            ObjectViews.registry.append(cls)

    @classmethod
    def _view(cls, base, **attrs):
        common = {"model": cls.model, "views": cls, "select_related": cls.select_related}
        return type(f"{cls.__name__}{base.__name__}", (base,), {**common, **attrs}).as_view()

    @classmethod
    def urls(cls):
        name = cls.model._meta.model_name
        patterns = [
            path(f"{name}/", cls._view(cls.list_view, filterset_class=cls.filterset, table_class=cls.table),
                 name=f"{name}_list"),
            path(f"{name}/<int:pk>/", cls._view(cls.detail_view, detail_fields=cls.detail_fields,
                                                sensitive_fields=cls.sensitive_fields,
                                                sensitive_permission=cls.sensitive_permission),
                 name=f"{name}_detail"),
            path(f"{name}/add/", cls._view(cls.create_view, form_class=cls.form), name=f"{name}_add"),
            path(f"{name}/<int:pk>/edit/", cls._view(cls.update_view, form_class=cls.form), name=f"{name}_edit"),
            path(f"{name}/<int:pk>/delete/", cls._view(cls.delete_view), name=f"{name}_delete"),
        ]
        patterns = [p for p in patterns if p.name.removeprefix(f"{name}_") in cls.pages]
        if cls.importer:
            patterns.append(path(f"{name}/import/", cls._view(cls.import_view, importer=cls.importer),
                                 name=f"{name}_import"))
        return patterns


def private_file_response(fieldfile, stem: str):
    """A private attachment (a scan of a signed form or minutes), named by `stem` rather than its stored
    name, never cached by a shared proxy."""
    extension = fieldfile.name.rsplit(".", 1)[-1]
    response = FileResponse(fieldfile.open("rb"), filename=f"{stem}.{extension}")
    response["Cache-Control"] = "private, no-store"
    return response


def import_job(request, pk):
    """Progress and result of one import; htmx polls it while the worker runs."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    template = "core/import_job.html#status" if request.htmx else "core/import_job.html"
    return render(request, template, {"job": job})


def import_job_mapping(request, pk):
    """Match an officer's own sheet to the fields: a column for each, or one value for every row."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    job = get_object_or_404(ImportJob, pk=pk, user=request.user, status=ImportJob.Status.MAPPING)
    importer = imports.Importer.registry[job.target](user=request.user)
    if job.layout:
        layout = imports.SheetLayout.from_json(job.layout)
    else:  # a job uploaded before the layout was kept
        with job.file.open("rb") as fh:
            layout = importer.analyse(fh)
    form = imports.ColumnMappingForm(request.POST or None, importer=importer, layout=layout)
    if request.method == "POST" and form.is_valid():
        imports.continue_import(job, mapping=form.mapping(), fixed=form.fixed(),
                                data_start_row=form.cleaned_data["data_start_row"])
        return redirect("import_job", pk=job.pk)
    return render(request, "core/import_mapping.html", {"job": job, "form": form, "layout": layout,
                                                        "opts": importer.model()._meta})


def import_job_errors(request, pk):
    """The uploaded workbook with an error column and the faulty cells highlighted."""
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?next={request.path}")
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    if not job.error_file:
        raise Http404
    return FileResponse(job.error_file.open("rb"), as_attachment=True, filename=f"loi-{job.original_name}")


def healthz(request):
    """For load balancers: no login, no data, just whether the process and the database answer."""
    from django.db import connection
    from django.http import JsonResponse

    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # any database failure means "not healthy"
        database = "error"
    status = 200 if database == "ok" else 503
    return JsonResponse({"status": "ok" if status == 200 else "error", "database": database}, status=status)


def home(request):
    if not request.user.is_authenticated:
        return redirect("login")
    memberships = request.user.memberships.filter(is_active=True).select_related("unit", "agency")
    return render(request, "core/home.html", {"memberships": memberships})


class AccessLogViews(ObjectViews):
    """Auditors review who read personal data in their subtree; nobody can add, change or delete it."""

    from lanhmanh.core.filters import AccessLogFilterSet as filterset
    from lanhmanh.core.models import AccessLog as model
    from lanhmanh.core.tables import AccessLogTable as table

    pages = ("list", "detail")
    select_related = ("user", "unit", "content_type")
