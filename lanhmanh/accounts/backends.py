from django.contrib.auth.backends import ModelBackend

from lanhmanh.accounts.roles import role_grants


class RoleBackend(ModelBackend):
    """Grants a permission when any of the user's active memberships has a role that grants it.

    This answers "may this user ever do X?" (menus, view entry); *where* they may do it is decided by
    the scoping door, `Model.objects.visible_to(user, action)`."""

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active:
            return False
        if user_obj.is_superuser:
            return True
        if any(role_grants(role, perm) for role, _path in user_obj.scope_memberships()):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if user_obj.is_active and user_obj.is_superuser:
            return True
        return super().has_module_perms(user_obj, app_label)
