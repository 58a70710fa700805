"""API permission, kept apart from core.api because DRF imports it while loading its own views."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions
from rest_framework.authentication import SessionAuthentication

from lanhmanh.core.scoping import permission_name

ACTIONS = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "POST": "add", "PUT": "change",
           "PATCH": "change", "DELETE": "delete"}


class RolePermission(permissions.BasePermission):
    """The model permission for the HTTP method, from the user's roles; and, for roles that may see
    personal data, a session that has passed the second factor (tokens are issued only from one)."""

    message = _("Bạn không có quyền thực hiện thao tác này.")

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if (
            isinstance(request.successful_authenticator, SessionAuthentication)
            and user.needs_second_factor
            and not user.is_verified()
        ):
            self.message = _("Vai trò của bạn cần xác thực hai lớp. Hãy đăng nhập lại trên trình duyệt.")
            return False
        queryset = getattr(view, "queryset", None)
        if queryset is None:
            return True
        # A viewset's extra action may need another permission than its HTTP method's ("approve").
        action = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        return user.has_perm(permission_name(queryset.model, action or ACTIONS.get(request.method, "view")))
