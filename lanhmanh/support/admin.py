"""Only the service catalogue is edited in the admin. Clients, consents, needs, services, referrals and erasure
records are personal data: they are read and changed only through the support pages, where scope, consent and the
access log apply."""

from django.contrib import admin

from lanhmanh.support.models import ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "area", "is_active", "sort_order")
    list_filter = ("area", "is_active")
    search_fields = ("name", "code")
