from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EnforcementConfig(AppConfig):
    name = "lanhmanh.enforcement"
    label = "enforcement"
    verbose_name = _("Vụ việc, vụ án")
