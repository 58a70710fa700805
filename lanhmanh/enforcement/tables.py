import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from lanhmanh.enforcement.models import EnforcementCase


class EnforcementCaseTable(tables.Table):
    detected_on = tables.DateColumn(format="d/m/Y", linkify=True)
    offences = tables.Column(verbose_name=_("Tội danh, hành vi vi phạm"), empty_values=(), orderable=False)
    business = tables.Column(linkify=True)

    class Meta:
        model = EnforcementCase
        fields = ("detected_on", "case_type", "reference_number", "offences", "unit", "business", "people_arrested",
                  "people_prosecuted", "people_fined_admin", "fines_total", "sellers_identified", "sellers_referred")

    def render_offences(self, record):
        # The list view prefetches the offences: no query per row.
        return "; ".join(offence.name for offence in record.offences.all())

    def value_offences(self, record):
        return "; ".join(f"{offence.name} ({offence.legal_reference})" for offence in record.offences.all())
