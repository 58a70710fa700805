from django import template

from lanhmanh.budget.models import vnd as _vnd

register = template.Library()


@register.filter
def vnd(amount):
    """1500000 → "1.500.000"; None → "" (the template says what an empty amount means)."""
    return _vnd(amount)
