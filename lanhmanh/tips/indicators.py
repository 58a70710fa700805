"""Tip indicators (seed 003: 100% of tips handled on time). Tips merged into another count once, as the other."""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.indicators.registry import COUNT, PERCENT, Indicator, Measure, Source, between, records, registry
from lanhmanh.tips.models import Tip

registry.module("tips", _("Tin báo, tố giác"))

TIPS = Source("tips.tip", lambda: Tip.objects.counted(), prefilter=between("received_on"))
_received = between("received_on")

received = Measure("tips.received", _("Số tin báo, tố giác tiếp nhận"), TIPS, condition=_received, module="tips")
# Judged at the period end: concluded by then, or past the deadline by then. A tip still open within its deadline is
# not yet judged; one without a deadline (a kind with no deadline rule) is never judged.
due = Measure(
    "tips.due", _("Số tin báo đến hạn đánh giá (đã kết thúc hoặc đã quá hạn vào cuối kỳ)"), TIPS, module="tips",
    condition=lambda s, e: _received(s, e) & Q(deadline__isnull=False)
    & (Q(concluded_on__isnull=False, concluded_on__lte=e) | Q(deadline__lt=e)),
)
on_time = Measure(
    "tips.on_time", _("Số tin báo giải quyết đúng hạn"), TIPS, module="tips",
    condition=lambda s, e: _received(s, e) & Q(concluded_on__isnull=False, concluded_on__lte=e)
    & Q(concluded_on__lte=F("deadline")),
)

registry.indicator(Indicator("TIPS_RECEIVED", _("Số tin báo, tố giác tiếp nhận"), "Tips received", COUNT, received,
                             module="tips", sort_order=30, records_url=records("tips:tip_list", "received_on")))
registry.indicator(Indicator(
    "TIPS_ON_TIME_PCT", _("Tỷ lệ tin báo giải quyết đúng hạn"), "Tips handled on time (%)", PERCENT, on_time, due,
    module="tips", sort_order=31, records_url=records("tips:tip_list", "received_on"),
    description=_("Trong số tin báo tiếp nhận trong kỳ đã kết thúc hoặc đã quá hạn vào cuối kỳ: tỷ lệ kết thúc "
                  "đúng hạn."),
))
