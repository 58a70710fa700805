from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "lanhmanh.inspections"
    label = "inspections"
    verbose_name = _("Kiểm tra liên ngành")

    def ready(self):
        # The inspection history feeds the registry's suggested risk level.
        from lanhmanh.inspections import services  # noqa: F401
