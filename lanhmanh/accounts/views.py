import base64
import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from lanhmanh.accounts import filters, forms, services, tables
from lanhmanh.accounts.models import Membership, User
from lanhmanh.core.views import ObjectCreateView, ObjectDetailView, ObjectViews, object_url


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True


class UserCreateView(ObjectCreateView):
    def form_valid(self, form):
        data = form.cleaned_data
        self.object = services.user_create(
            by=self.request.user,
            username=data["username"], password=data["password"],
            unit=data["unit"], role=data["role"], agency=data["agency"],
            full_name=data["full_name"], position=data["position"], email=data["email"], phone=data["phone"],
        )
        messages.success(self.request, _("Đã tạo tài khoản %(name)s.") % {"name": self.object})
        return redirect(object_url(self.object))


class UserDetailView(ObjectDetailView):
    template_name = "accounts/user_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["memberships"] = (
            Membership.objects.visible_to(self.request.user).filter(user=self.object).select_related("unit", "agency")
        )
        return ctx


class UserViews(ObjectViews):
    model = User
    filterset = filters.UserFilterSet
    table = tables.UserTable
    form = forms.UserUpdateForm
    create_view = UserCreateView
    detail_view = UserDetailView
    detail_fields = ("username", "full_name", "position", "email", "is_active", "last_login", "date_joined")
    sensitive_fields = ("phone",)
    sensitive_permission = "accounts.change_user"

    @classmethod
    def _view(cls, base, **attrs):
        if base is UserCreateView:
            attrs["form_class"] = forms.UserCreateForm
        return super()._view(base, **attrs)


class MembershipViews(ObjectViews):
    model = Membership
    filterset = filters.MembershipFilterSet
    table = tables.MembershipTable
    form = forms.MembershipForm
    select_related = ("user", "unit", "agency")
    in_menu = False


def _safe_next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@login_required
def second_factor(request):
    """Set up (first time) or pass the TOTP second factor; required for roles that see personal data."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    setting_up = device is None
    if setting_up:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first() or TOTPDevice.objects.create(
            user=request.user, name=_("Ứng dụng xác thực"), confirmed=False
        )
    form = forms.TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Đã xác thực hai lớp."))
            return redirect(_safe_next(request))
        form.add_error("token", _("Mã không đúng hoặc đã hết hạn. Hãy nhập mã mới trên ứng dụng."))
    context = {"form": form, "setting_up": setting_up, "next": _safe_next(request, "")}
    if setting_up:
        image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
        buffer = io.BytesIO()
        image.save(buffer)
        context["qr_data_uri"] = "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()
        context["secret"] = base64.b32encode(device.bin_key).decode()
    return render(request, "accounts/second_factor.html", context)


@login_required
def profile(request):
    memberships = request.user.memberships.filter(is_active=True).select_related("unit", "agency")
    token = Token.objects.filter(user=request.user).first()
    return render(request, "accounts/profile.html", {
        "memberships": memberships, "token": token, "new_token": request.session.pop("new_token", None)
    })


@login_required
@require_POST
def token_create(request):
    """A personal API token; shown once, replacing any earlier one."""
    Token.objects.filter(user=request.user).delete()
    token = Token.objects.create(user=request.user)
    request.session["new_token"] = token.key
    messages.success(request, _("Đã tạo token mới. Hãy sao chép ngay: token chỉ hiển thị một lần."))
    return redirect("profile")


@login_required
@require_POST
def token_revoke(request):
    Token.objects.filter(user=request.user).delete()
    messages.success(request, _("Đã thu hồi token."))
    return redirect("profile")
