"""Aggregate data sets: the data-entry grid of a unit that reports a module's figures as monthly aggregates
(DHIS2-style: the module's enterable measures × the twelve months of the declared year).

The grid is saved whole or not at all: every cell is checked first, then the declaration's `version` is checked and
bumped (core.services.save_versioned: who and when go on the declaration and its history) and the cells are written in
the same transaction. Plausibility rules (`RULES`) only warn: a commune may really have prosecuted someone arrested
the month before."""

import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.core.services import save_versioned
from lanhmanh.indicators.models import AggregateValue
from lanhmanh.indicators.registry import FLOW, STOCK, Measure, registry

MONTHS = tuple(range(1, 13))
# AggregateValue.value is a PositiveBigIntegerField.
MAX_VALUE = 9_223_372_036_854_775_807
# Whole numbers as officers type them: "1500000", "1.500.000" or "1 500 000".
_NUMBER = re.compile(r"^\d+$|^\d{1,3}(?:[. ]\d{3})+$")
LE, GE = "<=", ">="


def number(value) -> str:
    """1500000 → "1.500.000" (Vietnamese grouping); None → ""."""
    return "" if value is None else f"{value:,}".replace(",", ".")


def modules_with_entry() -> dict[str, str]:
    """{module: label} of the modules that have measures a unit can enter."""
    return {key: label for key, label in registry.modules.items() if registry.entry_measures(key)}


def open_months(year: int, today: datetime.date | None = None) -> list[int]:
    """The months of `year` that can hold figures today: a month not yet begun has nothing to report."""
    today = today or timezone.localdate()
    if year < today.year:
        return list(MONTHS)
    if year > today.year:
        return []
    return list(range(1, today.month + 1))


# -- plausibility rules ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """`left` `op` `right` in each month where both have a value. A cumulative rule compares `left` summed from
    January to the month (a flow) with `right` as it stands at the month (a stock), in the months `left` has a value.
    A rule naming a measure the module does not have is skipped."""

    left: str
    op: str
    right: str
    reason: str
    cumulative: bool = False

    @property
    def key(self) -> str:
        return f"{self.left}{self.op}{self.right}"


RULES: tuple[Rule, ...] = (
    Rule("enforcement.people_prosecuted", LE, "enforcement.people_arrested",
         gettext_lazy("Người bị khởi tố thường là người đã bị bắt giữ.")),
    Rule("inspections.visits", GE, "inspections.sessions",
         gettext_lazy("Mỗi buổi kiểm tra có ít nhất một lượt cơ sở được kiểm tra.")),
    Rule("inspections.reminders", LE, "inspections.visits",
         gettext_lazy("Mỗi biên bản nhắc nhở được lập trong một lượt kiểm tra.")),
    Rule("inspections.suspensions", LE, "inspections.visits",
         gettext_lazy("Mỗi quyết định đình chỉ gắn với một lượt kiểm tra.")),
    Rule("inspections.businesses_visited", LE, "inspections.visits",
         gettext_lazy("Số cơ sở được kiểm tra (không tính trùng) không vượt số lượt kiểm tra.")),
    Rule("businesses.with_commitment", LE, "businesses.managed",
         gettext_lazy("Cơ sở ký cam kết là cơ sở thuộc diện quản lý.")),
    Rule("businesses.reviewed", LE, "businesses.managed",
         gettext_lazy("Cơ sở được rà soát là cơ sở thuộc diện quản lý.")),
    Rule("tips.on_time", LE, "tips.due",
         gettext_lazy("Tin báo giải quyết đúng hạn là một phần của tin báo đến hạn.")),
    Rule("support.reached", LE, "support.in_need",
         gettext_lazy("Người được tiếp cận dịch vụ là người có nhu cầu hỗ trợ.")),
    Rule("budget.spent_vnd", LE, "budget.allocated_vnd",
         gettext_lazy("Kinh phí chi lũy kế từ đầu năm thường không vượt kinh phí được giao."), cumulative=True),
)


def rules_for(module: str) -> list[Rule]:
    keys = {m.key for m in registry.entry_measures(module)}
    return [rule for rule in RULES if rule.left in keys and rule.right in keys]


def _standing(row: dict, month: int):
    """A stock as it stands at `month`: its latest value up to then."""
    found = [m for m in row if m <= month]
    return row[max(found)] if found else None


def check_rules(module: str, values: dict[str, dict[int, int]]) -> list[dict]:
    """Warnings for `values` ({measure: {month: value}}), month by month, in rule order."""
    warnings = []
    for rule in rules_for(module):
        left_row, right_row = values.get(rule.left, {}), values.get(rule.right, {})
        for month in MONTHS:
            left = left_row.get(month)
            if left is None:
                continue
            if rule.cumulative:
                left = sum(v for m, v in left_row.items() if m <= month)
                right = _standing(right_row, month)
            else:
                right = right_row.get(month)
            if right is None:
                continue
            if (rule.op == LE and left <= right) or (rule.op == GE and left >= right):
                continue
            measures = registry.measures
            template = (_("Tháng %(month)s: %(left)s (%(left_value)s) lớn hơn %(right)s (%(right_value)s).")
                        if rule.op == LE else
                        _("Tháng %(month)s: %(left)s (%(left_value)s) nhỏ hơn %(right)s (%(right_value)s)."))
            if rule.cumulative:
                template = _("Tháng %(month)s: %(left)s lũy kế từ đầu năm (%(left_value)s) lớn hơn %(right)s "
                             "(%(right_value)s).")
            message = template % {
                "month": month, "left": measures[rule.left].label, "right": measures[rule.right].label,
                "left_value": number(left), "right_value": number(right),
            }
            warnings.append({
                "rule": rule.key, "month": month, "measures": [rule.left, rule.right],
                "message": f"{message} {rule.reason}",
            })
    return warnings


# -- reading the grid -------------------------------------------------------------------------------------------------


def stored_values(declaration) -> dict[str, dict[int, int]]:
    """{measure: {month: value}} of the declaration's cells for its module's measures. One query."""
    keys = [m.key for m in registry.entry_measures(declaration.module)]
    values: dict[str, dict[int, int]] = {}
    for measure, month, value in AggregateValue.objects.filter(declaration=declaration, measure__in=keys).values_list(
            "measure", "month", "value"):
        values.setdefault(measure, {})[month] = value
    return values


def total(measure: Measure, row: dict[int, int]):
    """The year's figure of a row: a flow summed over the months, a stock at its last month with a value."""
    if not row:
        return None
    if measure.kind == STOCK:
        return row[max(row)]
    return sum(row.values())


def kind_label(measure: Measure) -> str:
    return _("cộng dồn các tháng") if measure.kind == FLOW else _("số cuối kỳ (tháng gần nhất)")


def grid_data(declaration, values=None, *, today=None) -> dict:
    """What the grid page and the API show of a declaration: its measures, cells, totals and warnings."""
    values = stored_values(declaration) if values is None else values
    measures = registry.entry_measures(declaration.module)
    return {
        "measures": measures,
        "values": values,
        "totals": {m.key: total(m, values.get(m.key, {})) for m in measures},
        "warnings": check_rules(declaration.module, values),
        "open_months": open_months(declaration.year, today),
    }


# -- saving the grid --------------------------------------------------------------------------------------------------


class GridError(Exception):
    """The grid was refused: nothing was saved. `cells` = {measure: {month: message}}, `rows` = {measure: message},
    `general` = [message]."""

    def __init__(self, *, cells=None, rows=None, general=None):
        self.cells = cells or {}
        self.rows = rows or {}
        self.general = general or []
        super().__init__(self.summary())

    @property
    def count(self) -> int:
        return sum(len(row) for row in self.cells.values()) + len(self.rows) + len(self.general)

    def summary(self) -> str:
        return _("Chưa lưu số liệu nào: có %(count)s lỗi, hãy sửa các ô được đánh dấu rồi lưu lại.") % {
            "count": self.count}

    def as_dict(self) -> dict:
        return {
            "detail": self.summary(),
            "cells": {key: {str(m): msg for m, msg in row.items()} for key, row in self.cells.items()},
            "rows": self.rows,
            "general": self.general,
        }


def parse_cell(raw) -> int | None:
    """A cell as typed (or sent by the API) → its value; empty means no value (0 is a value). Raises ValueError
    with the Vietnamese reason."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(_("Hãy nhập một số nguyên không âm."))
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float):
        if not raw.is_integer():
            raise ValueError(_("Chỉ nhập số nguyên (không có phần thập phân)."))
        value = int(raw)
    else:
        text = str(raw).strip()
        if not text:
            return None
        if text.startswith("-"):
            raise ValueError(_("Số liệu không được âm."))
        if not _NUMBER.match(text):
            if re.match(r"^\d+(?:[.,]\d+)+$", text):
                raise ValueError(_("Chỉ nhập số nguyên; dấu chấm chỉ để ngăn cách hàng nghìn (ví dụ 1.500.000)."))
            raise ValueError(_("“%(text)s” không phải là số. Hãy nhập một số nguyên không âm, ví dụ 12 hoặc 1.500.000.")
                             % {"text": text[:30]})
        value = int(re.sub(r"[. ]", "", text))
    if value < 0:
        raise ValueError(_("Số liệu không được âm."))
    if value > MAX_VALUE:
        raise ValueError(_("Số quá lớn."))
    return value


def clean_grid(declaration, raw_values: dict, *, today=None) -> dict[str, dict[int, int]]:
    """Check every cell of a submitted grid ({measure: {month: raw}}); the cleaned {measure: {month: value}} of the
    non-empty cells, or GridError with every fault."""
    measures = {m.key: m for m in registry.entry_measures(declaration.module)}
    allowed_months = set(open_months(declaration.year, today))
    cells, rows, cleaned = {}, {}, {}
    if not isinstance(raw_values, dict):
        raise GridError(general=[_("Số liệu phải là một bảng {chỉ tiêu: {tháng: giá trị}}.")])
    for key, row in raw_values.items():
        if key not in measures:
            rows[key] = _("Chỉ tiêu “%(key)s” không thuộc lĩnh vực %(module)s.") % {
                "key": key, "module": declaration.module_label}
            continue
        if row is None:
            continue
        if not isinstance(row, dict):
            rows[key] = _("Số liệu của một chỉ tiêu phải là một bảng {tháng: giá trị}.")
            continue
        for month_key, raw in row.items():
            try:
                month = int(month_key)
            except (TypeError, ValueError):
                month = None
            if month not in MONTHS:
                cells.setdefault(key, {})[month_key] = _("Tháng phải từ 1 đến 12.")
                continue
            try:
                value = parse_cell(raw)
            except ValueError as exc:
                cells.setdefault(key, {})[month] = str(exc)
                continue
            if value is None:
                continue
            if month not in allowed_months:
                cells.setdefault(key, {})[month] = _("Tháng %(month)s/%(year)s chưa đến, chưa nhập được số liệu.") % {
                    "month": month, "year": declaration.year}
                continue
            cleaned.setdefault(key, {})[month] = value
    if cells or rows:
        raise GridError(cells=cells, rows=rows)
    return cleaned


def grid_save(*, declaration, values: dict, expected_version: int, user, today=None):
    """Save a whole grid: every measure of the module, every month that has begun. A cell left out or empty has no
    value (its row is deleted); 0 is a value. Raises GridError (bad cells) or core.services.ConcurrentEditError
    (someone saved since `expected_version` was read), and then writes nothing. Returns the cleaned
    {measure: {month: value}}."""
    cleaned = clean_grid(declaration, values, today=today)
    keys = [m.key for m in registry.entry_measures(declaration.module)]
    with transaction.atomic():
        save_versioned(declaration, expected_version=expected_version, user=user)
        existing = {(v.measure, v.month): v for v in
                    AggregateValue.objects.select_for_update().filter(declaration=declaration, measure__in=keys)}
        wanted = {(key, month): value for key, row in cleaned.items() for month, value in row.items()}
        # A month not yet begun was not on the form: what it holds (nothing, normally) is left alone.
        open_ = set(open_months(declaration.year, today))
        stale = [v.pk for cell, v in existing.items() if cell not in wanted and cell[1] in open_]
        if stale:
            AggregateValue.objects.filter(pk__in=stale).delete()
        changed = []
        for cell, value in wanted.items():
            current = existing.get(cell)
            if current is not None and current.value != value:
                current.value = value
                changed.append(current)
        if changed:
            AggregateValue.objects.bulk_update(changed, ["value"])
        AggregateValue.objects.bulk_create(
            AggregateValue(declaration=declaration, measure=key, month=month, value=value)
            for (key, month), value in wanted.items() if (key, month) not in existing
        )
    return cleaned
