from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def percent(value):
    """ "12,5%", "30%"; "Chưa có số liệu" when there is no denominator (services return None, never 0%)."""
    if value is None:
        return _("Chưa có số liệu")
    rounded = round(float(value), 1)
    digits = 0 if rounded.is_integer() else 1
    return f"{number_format(rounded, decimal_pos=digits, use_l10n=True)}%"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
