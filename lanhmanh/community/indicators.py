from django.utils.translation import gettext_lazy as _

from lanhmanh.community.models import PreventionModel, active_q
from lanhmanh.indicators.registry import COUNT, STOCK, Indicator, Measure, Source, records, registry

registry.module("community", _("Mô hình, câu lạc bộ"))

MODELS = Source("community.model", lambda: PreventionModel.objects.all())
active = Measure("community.models_active", _("Số mô hình, câu lạc bộ đang hoạt động (cuối kỳ)"), MODELS,
                 kind=STOCK, condition=lambda s, e: active_q(e), module="community")

registry.indicator(Indicator(
    "MODELS_ACTIVE", _("Số mô hình, câu lạc bộ đang hoạt động"), "Prevention models and clubs active", COUNT, active,
    module="community", sort_order=70, records_url=lambda unit, period: records(
        "community:preventionmodel_list", active_on=period.end.isoformat())(unit, period),
))
