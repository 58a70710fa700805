from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TipsConfig(AppConfig):
    name = "lanhmanh.tips"
    label = "tips"
    verbose_name = _("Tin báo, tố giác")

    def ready(self):
        # Open tips about a business raise its inspection priority.
        from lanhmanh.tips import services  # noqa: F401
