"""Support indicators (seed 002: 90% of people who sell sex and are in need reach support services). Counts of
pseudonymous clients only: no figure ever names a person."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.indicators.registry import COUNT, PERCENT, Indicator, Measure, Source, registry
from lanhmanh.support.models import SupportClient
from lanhmanh.support.services import in_need_q, reached_q

registry.module("support", _("Hỗ trợ, giảm hại"))

CLIENTS = Source("support.client", lambda: SupportClient.objects.all(),
                 prefilter=lambda s, e: Q(registered_on__lte=e) & (Q(closed_on__isnull=True) | Q(closed_on__gte=s)))

in_need = Measure(
    "support.in_need", _("Số người có nhu cầu hỗ trợ"), CLIENTS, module="support",
    condition=in_need_q,
    help_text=_("Mỗi người tính một lần trong năm, vào tháng được ghi nhận có nhu cầu lần đầu."),
)
reached = Measure(
    "support.reached", _("Số người có nhu cầu được tiếp cận dịch vụ hỗ trợ"), CLIENTS, module="support",
    condition=reached_q,
    help_text=_("Mỗi người tính một lần trong năm, vào tháng được tiếp cận dịch vụ lần đầu."),
)

registry.indicator(Indicator("SUPPORT_IN_NEED", _("Số người bán dâm có nhu cầu hỗ trợ"), "People in need of support",
                             COUNT, in_need, module="support", sort_order=80))
registry.indicator(Indicator(
    "SUPPORT_REACHED_PCT", _("Tỷ lệ người có nhu cầu được tiếp cận dịch vụ hỗ trợ"),
    "People in need who reached support services (%)", PERCENT, reached, in_need, module="support", sort_order=81,
))
