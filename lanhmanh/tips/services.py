"""The handling of a tip: each step is one function that checks its rule, writes the tip with optimistic
locking (so two officers acting on the same tip cannot silently overwrite each other) and leaves a history
entry. Views, the API and tests call these; nothing else changes a tip's status."""

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lanhmanh.businesses.services import RiskSignal, risk_signal
from lanhmanh.core.services import save_versioned
from lanhmanh.inspections.services import priority_signal
from lanhmanh.tips.models import Tip, TipExtension, TipTransfer

Status = Tip.Status


def _save(tip, *, user, expected_version=None, reason=""):
    if reason:
        tip._change_reason = reason
    return save_versioned(tip, expected_version=expected_version or tip.version, user=user)


def _require_open(tip):
    if not tip.is_open:
        raise ValidationError(_("Tin báo đã kết thúc xử lý; hãy mở lại trước khi thao tác."))


def start_verifying(tip, *, user, expected_version=None):
    """Received → verifying: someone is checking the facts."""
    if tip.status != Status.RECEIVED:
        raise ValidationError(_("Chỉ tin báo mới tiếp nhận mới chuyển sang xác minh."))
    tip.status = Status.VERIFYING
    return _save(tip, user=user, expected_version=expected_version, reason=_("Bắt đầu xác minh"))


def conclude(tip, *, status, user, outcome="", note="", on=None, visit=None, expected_version=None):
    """End the handling: handled (with its outcome), not confirmed, or closed (withdrawn, not enough to act on)."""
    _require_open(tip)
    on = on or timezone.localdate()
    if status not in (Status.HANDLED, Status.NOT_CONFIRMED, Status.CLOSED):
        raise ValidationError(_("Trạng thái kết thúc không hợp lệ."))
    if on < tip.received_on:
        raise ValidationError(_("Ngày kết thúc không thể trước ngày tiếp nhận."))
    if on > timezone.localdate():
        raise ValidationError(_("Ngày kết thúc không thể sau hôm nay."))
    if status == Status.HANDLED and outcome != Tip.Outcome.CONFIRMED:
        raise ValidationError(_("Tin báo đã xử lý phải có kết quả “có căn cứ”; nếu không, chọn “không có căn cứ”."))
    if status == Status.NOT_CONFIRMED:
        outcome = Tip.Outcome.NOT_CONFIRMED
    if status == Status.CLOSED and not note.strip():
        raise ValidationError(_("Hãy ghi lý do đóng tin báo."))
    if visit is not None and visit.business.unit.path[: len(tip.unit.path)] != tip.unit.path:
        raise ValidationError(_("Lượt kiểm tra phải ở địa bàn của tin báo."))
    tip.status, tip.outcome, tip.outcome_note, tip.concluded_on = status, outcome, note.strip(), on
    tip.resulting_visit = visit
    return _save(tip, user=user, expected_version=expected_version, reason=Status(status).label)


def reopen(tip, *, user, reason, expected_version=None):
    """A conclusion recorded by mistake, or new facts: back to verifying. The first conclusion stays in the history."""
    if tip.is_open:
        raise ValidationError(_("Tin báo đang được xử lý."))
    if tip.duplicate_of_id:
        raise ValidationError(_("Tin báo đã gộp vào tin báo khác; không mở lại được."))
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do mở lại."))
    tip.status, tip.outcome, tip.concluded_on, tip.resulting_visit = Status.VERIFYING, "", None, None
    tip.outcome_note = reason.strip()
    return _save(tip, user=user, expected_version=expected_version, reason=_("Mở lại: %(reason)s") % {
        "reason": reason.strip()[:80]})


def extend(tip, *, days, reason, user, decided_by="", on=None, expected_version=None):
    """More time, within what the rule allows in total, always with a reason."""
    _require_open(tip)
    rule = tip.deadline_rule
    if days <= 0:
        raise ValidationError(_("Số ngày gia hạn phải lớn hơn 0."))
    if not reason.strip():
        raise ValidationError(_("Hãy ghi lý do gia hạn."))
    allowed = rule.max_extension_days if rule else 0
    if tip.extension_days + days > allowed:
        if not allowed:
            raise ValidationError(_("Loại tin này không được gia hạn (%(reference)s).") % {
                "reference": rule.legal_reference if rule else "—"})
        raise ValidationError(_("Tổng thời gian gia hạn không được quá %(max)s ngày (%(reference)s); đã gia hạn "
                                "%(used)s ngày.") % {"max": allowed, "used": tip.extension_days,
                                                      "reference": rule.extension_reference or rule.legal_reference})
    with transaction.atomic():
        TipExtension.objects.create(tip=tip, days=days, reason=reason.strip(), decided_by=decided_by.strip(),
                                    decided_on=on or timezone.localdate(), recorded_by=user)
        tip.extension_total = None  # recount on save
        return _save(tip, user=user, expected_version=expected_version,
                     reason=_("Gia hạn %(days)s ngày") % {"days": days})


def transfer(tip, *, user, to_unit=None, to_agency=None, to_other="", reason="", on=None, expected_version=None):
    """Send the tip on. To another unit of this system (another commune, the province): it moves to that unit's
    queue as newly received and its deadline runs again from the transfer day, as it does for the receiving
    agency in law. Out of the system (the procuracy, another province's police): the tip ends here as
    transferred."""
    _require_open(tip)
    on = on or timezone.localdate()
    to_other = to_other.strip()
    if to_agency is not None and to_unit is None:
        to_unit = to_agency.unit
    if to_unit is None and not to_other:
        raise ValidationError(_("Hãy chọn đơn vị hoặc ghi tên cơ quan nhận."))
    if to_unit is not None and to_unit.pk == tip.unit_id and to_agency is None:
        raise ValidationError(_("Tin báo đang ở đơn vị này; hãy chọn đơn vị khác hoặc giao cơ quan xử lý."))
    if to_agency is not None and to_agency.unit_id != to_unit.pk:
        raise ValidationError(_("Cơ quan nhận không thuộc đơn vị nhận."))
    if on < tip.received_on or on > timezone.localdate():
        raise ValidationError(_("Ngày chuyển phải từ ngày tiếp nhận đến hôm nay."))
    with transaction.atomic():
        TipTransfer.objects.create(tip=tip, from_unit=tip.unit, to_unit=to_unit, to_agency=to_agency,
                                   to_other=to_other, transferred_on=on, reason=reason.strip(), recorded_by=user)
        if to_unit is not None:
            moved = to_unit.pk != tip.unit_id
            tip.unit = to_unit
            tip.assigned_agency, tip.assigned_officer = to_agency, None
            if moved:
                tip.residential_group = None
                if tip.business_id and not tip.business.unit.path.startswith(to_unit.path):
                    tip.business = None
                tip.status, tip.deadline_from = Status.RECEIVED, on
            label = _("Chuyển đến %(target)s") % {"target": to_agency or to_unit}
        else:
            tip.status, tip.concluded_on = Status.TRANSFERRED, on
            label = _("Chuyển đến %(target)s") % {"target": to_other}
        return _save(tip, user=user, expected_version=expected_version, reason=label)


def merge_duplicate(tip, *, into, user, expected_version=None):
    """`tip` reports the same facts as `into`: it is closed as a duplicate and points at `into`. Both keep their
    content and history; indicators count the facts once."""
    if into.pk == tip.pk:
        raise ValidationError(_("Không thể gộp tin báo vào chính nó."))
    if into.duplicate_of_id:
        raise ValidationError(_("Tin báo %(other)s đã được gộp vào tin báo khác; hãy gộp vào tin báo gốc.") % {
            "other": into.number})
    if tip.duplicates.exists():
        raise ValidationError(_("Tin báo này đang có tin báo khác gộp vào; hãy gộp chúng vào tin báo gốc trước."))
    _require_open(tip)
    tip.duplicate_of = into
    tip.status, tip.concluded_on = Status.CLOSED, timezone.localdate()
    tip.outcome_note = _("Trùng nội dung với %(other)s") % {"other": into.number}
    return _save(tip, user=user, expected_version=expected_version, reason=tip.outcome_note)


# -- figures --------------------------------------------------------------------------------------


@dataclass
class OnTime:
    received: int
    due: int  # concluded, or past their deadline, by the end of the period
    on_time: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.on_time / self.due, 1) if self.due else None


def on_time_figures(queryset, start: datetime.date, end: datetime.date) -> OnTime:
    """Of the tips received in [start, end] that were concluded, or already past their deadline, by `end`: how
    many were concluded by their deadline. A tip still open within its deadline is not yet judged."""
    tips = queryset.counted().received_between(start, end)
    concluded = Q(concluded_on__isnull=False, concluded_on__lte=end)
    figures = tips.aggregate(
        received=Count("pk"),
        due=Count("pk", filter=concluded | Q(deadline__lt=end)),
        on_time=Count("pk", filter=concluded & Q(concluded_on__lte=F("deadline"))),
    )
    return OnTime(**figures)


def tracking_secret_hash(secret: str) -> str:
    """Keyed hash of the secret a reporter holds; compared in constant time (`check_tracking_secret`)."""
    from django.conf import settings

    return hmac.new(settings.SECRET_KEY.encode(), f"tip-secret:{secret}".encode(), hashlib.sha256).hexdigest()


def check_tracking_secret(tip, secret: str) -> bool:
    return bool(tip.tracking_secret_hash) and hmac.compare_digest(tip.tracking_secret_hash,
                                                                  tracking_secret_hash(secret.strip()))


# -- tips in the business registry and the inspection plan -----------------------------------------

TIP_LOOKBACK_DAYS = 365


def _recent_tips_prefetch():
    since = timezone.localdate() - datetime.timedelta(days=TIP_LOOKBACK_DAYS)
    return Prefetch("tips", queryset=Tip.objects.counted().filter(received_on__gte=since).exclude(
        outcome=Tip.Outcome.NOT_CONFIRMED).only("pk", "business_id", "received_on", "outcome"),
        to_attr="recent_tips")


@risk_signal(prefetch=_recent_tips_prefetch)
def _tip_risk_signal(business):
    """Tips about the business in the last year that were not found groundless: 2 points if one was confirmed,
    else 1."""
    tips = getattr(business, "recent_tips", None)
    if tips is None:
        tips = list(_recent_tips_prefetch().queryset.filter(business=business))
    if not tips:
        return []
    if any(t.outcome == Tip.Outcome.CONFIRMED for t in tips):
        return [RiskSignal(2, _("Có tin báo được xác minh là có căn cứ trong 12 tháng qua"))]
    return [RiskSignal(1, _("Có %(n)s tin báo trong 12 tháng qua") % {"n": len(tips)})]


@priority_signal
def _tip_priority(businesses, on):
    """An open tip about a business puts it higher in the inspection plan: +3."""
    counts = dict(Tip.objects.open().counted().filter(business__in=[b.pk for b in businesses])
                  .values_list("business").annotate(n=Count("pk")))
    return {pk: [RiskSignal(3, _("%(n)s tin báo đang chờ xác minh") % {"n": n})] for pk, n in counts.items()}
