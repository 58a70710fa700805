from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lanhmanh.core.scoping import ScopedQuerySet


class Linked:
    """Records with a generic detail page link to it (tables, history, breadcrumbs)."""

    def get_absolute_url(self):
        from lanhmanh.core.views import object_url

        return object_url(self)


class UnitScoped(Linked, models.Model):
    """Base of every domain record: it belongs to an administrative unit, keeps its change history
    (django-simple-history) and a `version` that makes concurrent edits fail loudly instead of
    overwriting each other (see core.services.save_versioned)."""

    unit = models.ForeignKey(
        "geo.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("người tạo"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name=_("người cập nhật"),
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)

    objects = ScopedQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)
    # The field holding the owning unit, checked against the user's scope on every write.
    scope_field = "unit"
    # For records that live under another record (a commitment under its business): the field naming that
    # record, whose unit this one takes. Forms and the API then check the user's scope on that unit.
    unit_from: str | None = None

    class Meta:
        abstract = True


class AccessLogQuerySet(ScopedQuerySet):
    def visible_to(self, user, action: str = "view"):
        """Reads of support records (their reasons may speak of a person's health or situation) are reviewed only by
        those who hold support.review_access over them, not by every auditor of the subtree."""
        from django.db.models import Q

        from lanhmanh.core.scoping import path_q, scope_paths

        rows = super().visible_to(user, action)
        support_paths = scope_paths(user, "support.review_access")
        if support_paths is None:
            return rows
        return rows.filter(~Q(content_type__app_label="support") | path_q("unit__path", support_paths))


class AccessLog(Linked, models.Model):
    """Who read which identified personal data, when, through which page or endpoint, and why.

    Append-only: nothing in the application edits or deletes these rows."""

    at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("người truy cập")
    )
    unit = models.ForeignKey(
        "geo.AdminUnit", models.PROTECT, related_name="+", verbose_name=_("đơn vị của hồ sơ")
    )
    content_type = models.ForeignKey(ContentType, models.PROTECT, verbose_name=_("loại hồ sơ"))
    object_id = models.CharField(_("mã hồ sơ"), max_length=64)
    what = models.CharField(_("dữ liệu được xem"), max_length=200)
    endpoint = models.CharField(_("trang hoặc API"), max_length=200)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)

    objects = AccessLogQuerySet.as_manager()
    scope_field = "unit"

    class Meta:
        verbose_name = _("nhật ký truy cập dữ liệu cá nhân")
        verbose_name_plural = _("nhật ký truy cập dữ liệu cá nhân")
        ordering = ["-at"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="core_accesslog_object")]

    def __str__(self):
        return f"{self.user} · {self.what} · {self.at:%d/%m/%Y %H:%M}"


class ImportJob(models.Model):
    """One spreadsheet import: the uploaded file, its state, progress and row-by-row result."""

    class Status(models.TextChoices):
        MAPPING = "mapping", _("Chờ ghép cột")
        PENDING = "pending", _("Đang chờ")
        RUNNING = "running", _("Đang xử lý")
        DONE = "done", _("Đã nhập xong")
        FAILED = "failed", _("Có lỗi, không nhập dòng nào")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    target = models.CharField(_("danh mục"), max_length=100)
    file = models.FileField(_("tệp tải lên"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("số dòng"), default=0)
    processed_rows = models.PositiveIntegerField(_("đã kiểm tra"), default=0)
    created_rows = models.PositiveIntegerField(_("đã nhập"), default=0)
    errors = models.JSONField(_("lỗi"), default=list, blank=True)
    # For a sheet that is not our template: its header as found on upload (core.imports.SheetLayout, kept so
    # the mapping page need not read a large workbook again), {field: column index}, the first data row, and
    # values that apply to every row ({field: value}) when the sheet has no such column.
    layout = models.JSONField(_("bố cục tệp"), default=dict, blank=True)
    mapping = models.JSONField(_("ghép cột"), default=dict, blank=True)
    data_start_row = models.PositiveIntegerField(_("dòng dữ liệu đầu tiên"), default=2)
    fixed = models.JSONField(_("giá trị chung"), default=dict, blank=True)
    error_file = models.FileField(_("tệp báo lỗi"), upload_to="imports/errors/%Y/%m/", blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    finished_at = models.DateTimeField(_("xong lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập dữ liệu")
        verbose_name_plural = _("lượt nhập dữ liệu")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0 if self.status in (self.Status.PENDING, self.Status.RUNNING) else 100
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class SeedRun(models.Model):
    """Marks that demo data was loaded, so script/setup loads it once and re-runs change nothing."""

    scale = models.CharField(max_length=20)
    seed = models.IntegerField()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lần nạp dữ liệu mẫu")
        verbose_name_plural = _("lần nạp dữ liệu mẫu")

    def __str__(self):
        return f"{self.scale} ({self.seed})"
