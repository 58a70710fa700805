from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "lanhmanh.core"
    label = "core"
    verbose_name = _("Hệ thống")

    def ready(self):
        # Each module's api.py registers its viewsets on core.api.router.
        for config in apps.get_app_configs():
            if config.name.startswith("lanhmanh."):
                try:
                    import_module(f"{config.name}.api")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.api":
                        raise
