"""Indicators of the business registry (seed 003: 100% of at-risk businesses sign a commitment, are reviewed)."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lanhmanh.businesses.models import Business, Commitment
from lanhmanh.indicators.registry import COUNT, PERCENT, STOCK, Indicator, Measure, Source, records, registry

registry.module("businesses", _("Cơ sở kinh doanh dịch vụ"))

MANAGED_BUSINESSES = Source("businesses.business", lambda: Business.objects.filter(subject_to_management=True))


def managed_at(end: datetime.date, prefix: str = "") -> Q:
    """Under management on `end`: subject to management, opened (or registered) by then, not closed by then."""
    p = prefix
    next_day = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min))
    opened = Q(**{f"{p}opened_on__lte": end}) | Q(**{f"{p}opened_on__isnull": True, f"{p}created_at__lt": next_day})
    closed = Q(**{f"{p}status": Business.Status.CLOSED}) & (
        Q(**{f"{p}status_since__isnull": True}) | Q(**{f"{p}status_since__lte": end}))
    return Q(**{f"{p}subject_to_management": True}) & opened & ~closed


managed = Measure(
    "businesses.managed", _("Số cơ sở thuộc diện quản lý (cuối kỳ)"), MANAGED_BUSINESSES, kind=STOCK,
    condition=lambda start, end: managed_at(end), module="businesses",
)
with_commitment = Measure(
    "businesses.with_commitment", _("Số cơ sở có bản cam kết còn hiệu lực (cuối kỳ)"), MANAGED_BUSINESSES,
    kind=STOCK, module="businesses",
    condition=lambda start, end: managed_at(end) & Q(Exists(Commitment.objects.filter(
        business=OuterRef("pk"), signed_on__lte=end, valid_until__gte=end))),
)
reviewed = Measure(
    "businesses.reviewed", _("Số cơ sở được rà soát trong kỳ"), MANAGED_BUSINESSES, module="businesses",
    condition=lambda start, end: managed_at(end) & Q(last_reviewed_on__gte=start, last_reviewed_on__lte=end),
    aggregate=lambda q: Count("pk", filter=q),
)

_list = records("businesses:business_list", subject_to_management="true")

registry.indicator(Indicator(
    "BUS_MANAGED", _("Cơ sở kinh doanh dịch vụ thuộc diện quản lý"), "Businesses under programme management",
    COUNT, managed, module="businesses", sort_order=10, records_url=_list,
    description=_("Cơ sở thuộc diện quản lý, chưa ngừng hoạt động vào cuối kỳ."),
))
registry.indicator(Indicator(
    "BUS_COMMITMENT_PCT", _("Tỷ lệ cơ sở ký cam kết"), "Businesses with a valid commitment (%)",
    PERCENT, with_commitment, managed, module="businesses", sort_order=11, records_url=_list,
    description=_("Cơ sở có bản cam kết còn hiệu lực vào cuối kỳ ÷ cơ sở thuộc diện quản lý."),
))
registry.indicator(Indicator(
    "BUS_REVIEWED_PCT", _("Tỷ lệ cơ sở được rà soát"), "Businesses reviewed (%)",
    PERCENT, reviewed, managed, module="businesses", sort_order=12, records_url=_list,
    description=_("Cơ sở thuộc diện quản lý có lần rà soát gần nhất trong kỳ ÷ cơ sở thuộc diện quản lý."),
))
