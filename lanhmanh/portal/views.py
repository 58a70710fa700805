"""The public tip form and status page: no login, Vietnamese, usable on a phone.

Abuse protection without a third-party CAPTCHA: a per-sender rate limit counted on a keyed hash of the
address (the address itself is never stored, and the hashes are deleted after a day), a honeypot field,
size and type limits on the photo (re-encoded without its metadata), and Django's escaping everywhere.
Nothing about the sender goes into a URL or a log line; the tracking secret is shown once and stored hashed."""

import hashlib
import hmac
import secrets

from django.conf import settings
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lanhmanh.geo.models import AdminUnit
from lanhmanh.portal.forms import PortalTipForm, StatusForm
from lanhmanh.portal.models import PortalThrottle
from lanhmanh.tips.models import Tip, TipAttachment, TipKind
from lanhmanh.tips.services import check_tracking_secret, tracking_secret_hash

STATUS_PER_MINUTE = 10


def _sender_key(request, scope: str) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    if settings.TIP_PORTAL_TRUST_FORWARDED_FOR:
        address = request.META.get("HTTP_X_FORWARDED_FOR", address).split(",")[0].strip()
    return hmac.new(settings.SECRET_KEY.encode(), f"portal:{scope}:{address}".encode(), hashlib.sha256).hexdigest()


def throttled(request, scope: str, *, per_minute: int, per_day: int | None = None) -> bool:
    """Count this attempt; True if the sender already made `per_minute` in the last minute (or `per_day`)."""
    now = timezone.now()
    PortalThrottle.objects.filter(at__lt=now - settings.TIP_PORTAL_THROTTLE_RETENTION).delete()
    key = _sender_key(request, scope)
    recent = PortalThrottle.objects.filter(scope=scope, key=key)
    if recent.filter(at__gte=now - timezone.timedelta(minutes=1)).count() >= per_minute:
        return True
    if per_day is not None and recent.filter(at__gte=now - timezone.timedelta(days=1)).count() >= per_day:
        return True
    PortalThrottle.objects.create(scope=scope, key=key, at=now)
    return False


@never_cache
def tip_form(request):
    if request.method != "POST":
        return render(request, "portal/tip_form.html", {"form": PortalTipForm()})
    if request.POST.get("choose_province"):
        # Without JavaScript, choosing the province reloads the form with that province's communes.
        province = request.POST.get("province", "")
        province = int(province) if province.isdigit() else None
        form = PortalTipForm(initial={k: request.POST.get(k, "") for k in ("province", "description", "place",
                                                                           "business_name")}, province=province)
        return render(request, "portal/tip_form.html", {"form": form})
    if throttled(request, "submit", per_minute=settings.TIP_PORTAL_PER_MINUTE, per_day=settings.TIP_PORTAL_PER_DAY):
        return render(request, "portal/refused.html", {"message": _(
            "Bạn đã gửi quá nhiều tin trong thời gian ngắn. Vui lòng thử lại sau ít phút, hoặc gọi đường dây "
            "nóng của Công an xã, phường.")}, status=429)
    form = PortalTipForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "portal/tip_form.html", {"form": form}, status=400)
    if form.cleaned_data.get("website"):
        # The honeypot was filled: a robot. Answer as if accepted, store nothing.
        return render(request, "portal/thanks.html", {"code": None})
    code, secret = _submit(form)
    return render(request, "portal/thanks.html", {"code": code, "secret": secret})


def _submit(form):
    data = form.cleaned_data
    secret = secrets.token_urlsafe(9)
    with transaction.atomic():
        code = Tip.new_tracking_code()
        while Tip.objects.filter(tracking_code=code).exists():
            code = Tip.new_tracking_code()
        contact = data["contact"].strip()
        tip = Tip(unit=data["commune"], channel=Tip.Channel.WEB, kind=TipKind.VIOLATION,
                  received_at=timezone.now(), content=data["description"].strip(), address=data["place"].strip(),
                  business_name_given=data["business_name"].strip(), reporter_anonymous=not contact,
                  reporter_contact=contact, tracking_code=code, tracking_secret_hash=tracking_secret_hash(secret))
        tip._change_reason = _("Gửi qua cổng tiếp nhận trực tuyến")
        tip.save()
        if form.photo_file is not None:
            stored, content_type = form.photo_file
            TipAttachment.objects.create(tip=tip, file=stored, content_type=content_type, size=stored.size,
                                         description=_("Ảnh người báo tin gửi"))
    return code, secret


@require_GET
def communes(request):
    """The commune choices of one province, for the form's second drop-down (htmx, or a plain reload)."""
    province = request.GET.get("province", "")
    units = AdminUnit.objects.none()
    if province.isdigit():
        units = AdminUnit.objects.current().filter(level=AdminUnit.Level.COMMUNE, parent_id=int(province))
    return render(request, "portal/_communes.html", {"communes": units.order_by("name")})


@never_cache
def status(request):
    form = StatusForm(request.POST or None)
    result = None
    if request.method == "POST":
        if throttled(request, "status", per_minute=STATUS_PER_MINUTE):
            return render(request, "portal/refused.html", {"message": _(
                "Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")}, status=429)
        if form.is_valid():
            tip = Tip.objects.filter(tracking_code=form.cleaned_data["code"]).first()
            if tip is not None and check_tracking_secret(tip, form.cleaned_data["secret"]):
                # The status only: never the content, the unit's handling or anything about other people.
                result = tip.public_status
            else:
                form.add_error(None, _("Mã tra cứu hoặc mã bí mật không đúng."))
    return render(request, "portal/status.html", {"form": form, "result": result})
