from django.urls import reverse

from lanhmanh.core.scoping import permission_name


def navigation(request):
    """Menu entries for every registered module the user may view."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from lanhmanh.core.views import ObjectViews, url_name

    items = [
        {"label": views.model._meta.verbose_name_plural, "url": reverse(url_name(views.model, "list")),
         "app": views.model._meta.app_config.verbose_name}
        for views in ObjectViews.registry
        if getattr(views, "in_menu", True) and user.has_perm(permission_name(views.model, "view"))
    ]
    return {"nav_items": items}
