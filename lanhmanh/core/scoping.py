"""The one door to data: which units' records a user may see or change.

A user's memberships (unit + role) grant permissions over the subtree of each unit. A record is visible
to a user for an action when the record's unit lies in the subtree of a membership whose role grants that
action on the record's model. Superusers see everything. Nothing else in the code decides this.
"""

from django.db import models
from django.db.models import Q


def permission_name(model, action: str) -> str:
    """'view' on Business → 'businesses.view_business' (Django's permission naming)."""
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def scope_paths(user, perm: str) -> list[str] | None:
    """Subtree paths where `user` holds `perm`; None means everywhere (superuser); [] means nowhere."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return None
    from lanhmanh.accounts.roles import role_grants

    paths = sorted({path for role, path in user.scope_memberships() if role_grants(role, perm)})
    # Drop paths inside another granted path: "VN/31/" already covers "VN/31/11473/".
    return [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]


def path_q(field: str, paths: list[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


class ScopedQuerySet(models.QuerySet):
    """Subclasses name the lookup that reaches the owning unit's materialised path."""

    unit_path_lookup = "unit__path"

    def visible_to(self, user, action: str = "view"):
        return self.within(scope_paths(user, permission_name(self.model, action)))

    def within(self, paths: list[str] | None):
        """Records under any of `paths` (None = no restriction)."""
        if paths is None:
            return self
        if not paths:
            return self.none()
        return self.filter(path_q(self.unit_path_lookup, paths))


def can_use_unit(user, model, action: str, unit) -> bool:
    """May `user` put a `model` record for `action` on `unit`? Used by forms, API and imports."""
    return unit_within(unit, scope_paths(user, permission_name(model, action)))


def unit_within(unit, paths: list[str] | None) -> bool:
    """Does `unit` lie under one of `paths` (None: everywhere)?"""
    return paths is None or any(unit.path.startswith(p) for p in paths)
