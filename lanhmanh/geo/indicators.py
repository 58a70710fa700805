"""Measures of the administrative tree itself, the denominators of "% of communes" indicators."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lanhmanh.geo.models import AdminUnit
from lanhmanh.indicators.registry import STOCK, Measure, Source, registry


def valid_at(end) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (Q(valid_to__isnull=True) | Q(valid_to__gt=end))


COMMUNES = Source("geo.commune", lambda: AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE), path="path")
communes = registry.measure(Measure("geo.communes", _("Số xã, phường, đặc khu"), COMMUNES, kind=STOCK,
                                    condition=lambda s, e: valid_at(e)))
