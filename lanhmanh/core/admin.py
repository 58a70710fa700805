from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from lanhmanh.core.models import AccessLog, ImportJob


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "what", "endpoint", "unit")
    list_filter = ("at",)
    date_hierarchy = "at"
    list_select_related = ("user", "unit")

    # The access log is evidence: nobody edits or deletes it, not even administrators.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "target", "original_name", "status", "created_rows")
    list_filter = ("status", "target")
    readonly_fields = [f.name for f in ImportJob._meta.fields]


class ScopedAdmin(SimpleHistoryAdmin):
    """Admin for unit-scoped models: staff see only their scope, and every change lands in history."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user, "view")
