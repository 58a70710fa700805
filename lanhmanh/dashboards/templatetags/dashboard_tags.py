from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lanhmanh.indicators.registry import PERCENT
from lanhmanh.plans.models import TargetKind

register = template.Library()


def _number(value, decimals=None) -> str:
    """12 → "12"; 1500000 → "1.500.000"; 10.93 → "10,9" (Vietnamese grouping and decimal comma)."""
    rounded = round(float(value), 1)
    digits = 0 if rounded.is_integer() else 1 if decimals is None else decimals
    return number_format(rounded, decimal_pos=digits, use_l10n=True, force_grouping=True)


@register.filter
def figure(value, measure=""):
    """A figure as users read it: "12,5%" for a percentage, "1.500.000" for a count or VND; "Chưa có số liệu"
    when there is no data (the engine gives None, never 0)."""
    if value is None:
        return _("Chưa có số liệu")
    text = _number(value)
    return f"{text}%" if measure == PERCENT else text


@register.filter
def change(value):
    """A change against last year: "+12,5%", "−3%"; "—" when last year had no figure to compare with."""
    if value is None:
        return "—"
    text = _number(abs(value))
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return f"{sign}{text}%"


@register.filter
def raw(value):
    """A number for data-sort attributes: "12.5", or "" for no data (sorted last by dashboard.js)."""
    return "" if value is None else f"{float(value):.4f}"


@register.simple_tag
def target_goal(target, goal=None):
    """ "≥ 12", "≥ 20%", "≥ +3% so với cùng kỳ năm trước" (goal: a child's localised value)."""
    value = target.value if goal is None else goal
    if value is None:
        return ""
    definition = target.indicator_def
    if target.kind == TargetKind.CHANGE:
        sign = "+" if value > 0 else ""
        return _("%(cmp)s %(sign)s%(value)s%% so với cùng kỳ năm trước") % {
            "cmp": target.get_comparison_display(), "sign": sign, "value": _number(value)}
    measure = definition.measure if definition else ""
    return f"{target.get_comparison_display()} {figure(value, measure)}"


@register.filter
def measure_of(progress):
    """The measure in which a target's actual value is shown: a change target is in %."""
    target = progress.target
    if target.kind == TargetKind.CHANGE:
        return PERCENT
    definition = target.indicator_def
    return definition.measure if definition else ""


@register.filter
def progress_figure(progress, attribute):
    """A target progress's `actual` or `expected` value, as `figure` shows it in the target's measure."""
    return figure(getattr(progress, attribute), measure_of(progress))
