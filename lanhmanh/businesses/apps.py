from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BusinessesConfig(AppConfig):
    name = "lanhmanh.businesses"
    label = "businesses"
    verbose_name = _("Cơ sở kinh doanh dịch vụ")
