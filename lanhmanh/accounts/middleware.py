from django.shortcuts import redirect
from django.urls import reverse

# Pages a user who still owes a second factor may reach.
_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/accounts/login/", "/accounts/logout/", "/accounts/2fa/", "/api/")


class RequireSecondFactorMiddleware:
    """Users whose roles may see identified personal data must set up and pass TOTP before anything
    else. The API is left to its own check (core.api.RolePermission refuses such users unless verified
    in the session, and tokens are issued only from a verified session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and user.needs_second_factor
            and not user.is_verified()
        ):
            return redirect(reverse("second_factor") + "?next=" + request.path)
        return self.get_response(request)
