"""Business rules of the registry: the suggested risk level, the yearly review, and duplicate detection."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from lanhmanh.businesses.models import Business, RiskLevel, normalise_key


@dataclass(frozen=True)
class RiskSignal:
    points: int
    reason: str


# Functions (business) -> list[RiskSignal]. The registry adds type and size; the inspections and tips
# modules register theirs (violations found, substantiated tips) with `risk_signal` when they land.
RISK_SIGNALS: list[Callable[[Business], list[RiskSignal]]] = []

# Points → level: 0–1 low, 2–3 medium, 4 and more high.
HIGH_FROM = 4
MEDIUM_FROM = 2


# Functions () -> Prefetch: the related rows a module's signal reads, fetched once for a whole list
# (`with_risk_data`), so showing the suggestion on a list page or API page costs no query per row.
RISK_PREFETCHES: list[Callable[[], object]] = []


def risk_signal(func=None, *, prefetch=None):
    """Register a risk signal; `prefetch` returns the Prefetch its function reads from, if any."""
    if prefetch is not None:
        RISK_PREFETCHES.append(prefetch)
    if func is None:
        return lambda f: risk_signal(f)
    RISK_SIGNALS.append(func)
    return func


def with_risk_data(queryset):
    """`queryset` with what every registered risk signal reads, in a fixed number of queries."""
    return queryset.select_related("business_type").prefetch_related(*(p() for p in RISK_PREFETCHES))


@risk_signal
def _type_signal(business):
    points = business.business_type.risk_points
    if not points:
        return []
    return [RiskSignal(points, _("Loại hình %(type)s (%(points)s điểm)")
                       % {"type": business.business_type.name, "points": points})]


@risk_signal
def _size_signal(business):
    signals = []
    if (business.workers_female or 0) >= 10:
        signals.append(RiskSignal(1, _("Có từ 10 lao động nữ trở lên")))
    total, other = business.workers_total or 0, business.workers_other_province or 0
    if total >= 4 and other * 2 >= total:
        signals.append(RiskSignal(1, _("Từ một nửa số lao động là người ngoại tỉnh")))
    return signals


def suggest_risk(business) -> tuple[str, list[str]]:
    """The risk level the rules suggest, and why. The officer's own `risk_level` always wins; this only
    helps them set it. Suspicions are deliberately not counted: the suggestion is shown to roles that
    must not learn of them."""
    if business.status == Business.Status.CLOSED:
        return RiskLevel.LOW, [_("Cơ sở đã ngừng hoạt động")]
    signals = [signal for func in RISK_SIGNALS for signal in func(business)]
    points = sum(s.points for s in signals)
    level = RiskLevel.HIGH if points >= HIGH_FROM else RiskLevel.MEDIUM if points >= MEDIUM_FROM else RiskLevel.LOW
    return level, [s.reason for s in signals]


def mark_reviewed(businesses, *, user, on=None) -> int:
    """Record the yearly review (rà soát) of each business, as one history entry each."""
    on = on or timezone.localdate()
    items = list(businesses)
    with transaction.atomic():
        Business.objects.filter(pk__in=[b.pk for b in items]).update(version=F("version") + 1)
        for business in items:
            business.last_reviewed_on = on
            business.last_reviewed_by = user
            business.updated_by = user
            business.updated_at = timezone.now()
            business.version += 1
        bulk_update_with_history(
            items, Business, ["last_reviewed_on", "last_reviewed_by", "updated_by", "updated_at"],
            default_user=user, default_change_reason=_("Rà soát định kỳ"),
        )
    return len(items)


def find_duplicates(*, name, address, licence_number="", exclude_pk=None):
    """Businesses that are probably the same one: same licence number, or same name and address once case,
    diacritics and punctuation are ignored. Checked across the whole country, not only the user's scope,
    so a business cannot be registered twice by two communes after a boundary change."""
    q = Q(match_key=normalise_key(name, address))
    if licence_number.strip():
        q |= Q(licence_number__iexact=licence_number.strip())
    qs = Business.objects.filter(q)
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs
