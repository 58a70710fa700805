"""The daily e-mail to officers: their open tips that are overdue or come due within a few days.

The message holds numbers, dates, kinds and links only — never a tip's content or anything about its reporter:
e-mail leaves the system's protection."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lanhmanh.tips.models import Tip


def tips_for(user, today: datetime.date, days_ahead: int):
    """Open tips assigned to `user`, and unassigned ones in their scope, overdue or due within `days_ahead`."""
    horizon = today + datetime.timedelta(days=days_ahead)
    scoped = Tip.objects.visible_to(user, "change").counted().open().filter(deadline__lte=horizon)
    return list(scoped.filter(Q(assigned_officer=user) | Q(assigned_officer__isnull=True)).order_by("deadline"))


def digest_text(user, tips, today) -> str:
    base = settings.LANHMANH_BASE_URL.rstrip("/")
    lines = [_("Kính gửi %(name)s,") % {"name": user}, "",
             _("Các tin báo cần giải quyết (đến ngày %(date)s):") % {"date": today.strftime("%d/%m/%Y")}, ""]
    for tip in tips:
        due = tip.deadline.strftime("%d/%m/%Y")
        state = _("QUÁ HẠN") if tip.deadline < today else _("hạn %(date)s") % {"date": due}
        assigned = "" if tip.assigned_officer_id else _(" (chưa giao cán bộ)")
        lines.append(f"- {tip.number} · {tip.get_kind_display()} · {state}{assigned}: "
                     f"{base}{reverse('tips:tip_detail', args=[tip.pk])}")
    lines += ["", _("Thư tự động từ hệ thống Lành Mạnh. Nội dung tin báo chỉ xem được trong hệ thống.")]
    return "\n".join(lines)


def send_digests(today=None, days_ahead=None) -> int:
    """One e-mail per active user with an address and something due; returns how many were sent."""
    today = today or timezone.localdate()
    days_ahead = settings.TIP_DIGEST_DAYS_AHEAD if days_ahead is None else days_ahead
    sent = 0
    users = get_user_model().objects.filter(is_active=True, memberships__is_active=True).exclude(email="").distinct()
    for user in users:
        if not user.has_perm("tips.change_tip"):
            continue
        tips = tips_for(user, today, days_ahead)
        if not tips:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            overdue = sum(1 for t in tips if t.deadline < today)
            subject = _("[Lành Mạnh] %(n)s tin báo sắp đến hạn, %(overdue)s quá hạn") % {
                "n": len(tips) - overdue, "overdue": overdue}
            send_mail(subject, digest_text(user, tips, today), settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent
