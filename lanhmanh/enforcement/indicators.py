"""Enforcement indicators (seed 004: criminal cases broken up, people arrested, prosecuted, fined)."""

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from lanhmanh.enforcement.models import CaseType, EnforcementCase
from lanhmanh.indicators.registry import COUNT, Indicator, Measure, Source, between, records, registry

registry.module("enforcement", _("Vụ việc, vụ án"))

CASES = Source("enforcement.case", lambda: EnforcementCase.objects.all(), prefilter=between("detected_on"))
_detected = between("detected_on")


def _people(field_name, label):
    return Measure(f"enforcement.{field_name}", label, CASES, condition=_detected, module="enforcement",
                   aggregate=lambda q: Sum(field_name, filter=q))


criminal = Measure("enforcement.criminal_cases", _("Số vụ án hình sự phát hiện"), CASES, module="enforcement",
                   condition=lambda s, e: _detected(s, e) & Q(case_type=CaseType.CRIMINAL))
arrested = _people("people_arrested", _("Số người bị bắt giữ"))
prosecuted = _people("people_prosecuted", _("Số bị can bị khởi tố"))
fined_admin = _people("people_fined_admin", _("Số người bị xử phạt hành chính"))

_list = records("enforcement:enforcementcase_list", "detected_on")
registry.indicator(Indicator("CASES_CRIMINAL", _("Số vụ án hình sự phát hiện"), "Criminal cases detected", COUNT,
                             criminal, module="enforcement", sort_order=40,
                             records_url=records("enforcement:enforcementcase_list", "detected_on",
                                                 case_type=CaseType.CRIMINAL)))
registry.indicator(Indicator("PEOPLE_ARRESTED", _("Số người bị bắt giữ"), "People arrested", COUNT, arrested,
                             module="enforcement", sort_order=41, records_url=_list))
registry.indicator(Indicator("PEOPLE_PROSECUTED", _("Số bị can bị khởi tố"), "People prosecuted", COUNT, prosecuted,
                             module="enforcement", sort_order=42, records_url=_list))
registry.indicator(Indicator("PEOPLE_FINED_ADMIN", _("Số người bị xử phạt hành chính"), "People fined (administrative)",
                             COUNT, fined_admin, module="enforcement", sort_order=43, records_url=_list))
