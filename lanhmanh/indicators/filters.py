import django_filters
from django.utils.translation import gettext_lazy as _

from lanhmanh.core.filters import ScopedFilterSet
from lanhmanh.indicators.models import AggregateDeclaration


def _module_choices():
    from lanhmanh.indicators.entry import modules_with_entry

    return [(key, str(label)) for key, label in modules_with_entry().items()]


class AggregateDeclarationFilterSet(ScopedFilterSet):
    module = django_filters.ChoiceFilter(choices=_module_choices, label=_("Lĩnh vực"))
    year = django_filters.NumberFilter(label=_("Năm"))

    class Meta:
        model = AggregateDeclaration
        fields = ["unit", "module", "year"]
