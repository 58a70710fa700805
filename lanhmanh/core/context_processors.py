from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from lanhmanh.core.scoping import permission_name


@dataclass(frozen=True)
class Page:
    """A page that is not a register (a summary, a comparison) shown in its module's menu."""

    app_label: str
    url_name: str
    label: str
    permission: str


PAGES: list[Page] = []


def register_page(app_label: str, url_name: str, label, permission: str) -> None:
    """Add a module's page to the menu for users holding `permission` (called from the module's views.py)."""
    if not any(p.url_name == url_name for p in PAGES):
        PAGES.append(Page(app_label, url_name, label, permission))


def navigation(request):
    """Menu entries for every registered module the user may view, grouped by module."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from lanhmanh.core.views import ObjectViews, url_name

    entries = [
        (views.model._meta.app_label, views.model._meta.verbose_name_plural, reverse(url_name(views.model, "list")))
        for views in ObjectViews.registry
        if getattr(views, "in_menu", True) and user.has_perm(permission_name(views.model, "view"))
    ]
    entries += [(page.app_label, page.label, reverse(page.url_name)) for page in PAGES
                if user.has_perm(page.permission)]
    groups: dict[str, dict] = {}
    for app_label, label, url in entries:
        group = groups.setdefault(app_label, {"label": apps.get_app_config(app_label).verbose_name, "items": []})
        group["items"].append({"label": label, "url": url, "app": group["label"]})
    items = [item for group in groups.values() for item in group["items"]]
    return {"nav_items": items, "nav_groups": list(groups.values())}
