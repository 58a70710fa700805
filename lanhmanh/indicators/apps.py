from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "lanhmanh.indicators"
    label = "indicators"
    verbose_name = _("Chỉ số")

    def ready(self):
        # Each domain app declares its measures and indicators in its own indicators.py: a new module joins the
        # engine, the API, dashboards and reports by that file alone.
        autodiscover_modules("indicators")
