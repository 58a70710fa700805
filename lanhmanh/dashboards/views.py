"""A unit's dashboard (its plan's targets against actual values, tasks due, charts, children), the indicator
explorer (any indicator and period, last year's value, ranking of the children) and their XLSX exports. Plain
function views (STYLE.md: special pages); the figures come from selectors.py."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lanhmanh.core.context_processors import register_page
from lanhmanh.dashboards import selectors
from lanhmanh.dashboards.exports import Number, Sheet, workbook_response
from lanhmanh.dashboards.forms import FIRST_YEAR, ExplorerForm, YearForm
from lanhmanh.dashboards.templatetags.dashboard_tags import measure_of, target_goal
from lanhmanh.indicators.engine import FIGURES_PERMISSION, sees_unit
from lanhmanh.indicators.registry import PERCENT


def dashboard_url(unit, year=None) -> str:
    url = reverse("dashboards:unit", args=[unit.code])
    return f"{url}?{urlencode({'year': year})}" if year else url


def _optional_url(name, *args):
    """A page of a module that may not be installed yet (the plans pages are built alongside)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@login_required
def mine(request):
    """The dashboard a user starts from: their unit's, or a choice when they see figures of several units."""
    units = selectors.home_units(request.user)
    if len(units) == 1:
        return redirect("dashboards:unit", code=units[0].code)
    return render(request, "dashboards/choose.html", {"units": units})


@login_required
def unit(request, code):
    unit = selectors.visible_unit(request.user, code)
    today = selectors.today()
    form = YearForm(request.GET or None, this_year=today.year)
    year = form.year()
    board = selectors.unit_dashboard(unit, year, request.user, on=today)
    if request.GET.get("format") == "xlsx":
        return _dashboard_xlsx(board)
    ctx = {
        "board": board,
        "form": form,
        "parent_url": dashboard_url(unit.parent, year) if unit.parent_id and _sees(request.user, unit.parent) else None,
        "parent": unit.parent if unit.parent_id else None,
        "previous_year_url": dashboard_url(unit, year - 1) if year > FIRST_YEAR else None,
        "next_year_url": dashboard_url(unit, year + 1) if year <= today.year else None,
        "children": [(row, dashboard_url(row.unit, year)) for row in board.children],
        "plan_url": _optional_url("plans:plan_detail", board.plan.pk) if board.plan else None,
        "explorer_url": reverse("dashboards:explorer", args=[unit.code]),
        "xlsx_url": f"?{urlencode({'year': year, 'format': 'xlsx'})}",
        "charts": board.charts,
        "chart_labels": {"monthly": _("Trong tháng"), "cumulative": _("Lũy kế"), "goal": _("Chỉ tiêu (theo tiến độ)"),
                         "goal_flat": _("Chỉ tiêu")},
    }
    return render(request, "dashboards/unit.html", ctx)


def _sees(user, unit) -> bool:
    return sees_unit(user, unit)


@login_required
def explorer(request, code):
    unit = selectors.visible_unit(request.user, code)
    today = selectors.today()
    form = ExplorerForm(request.GET or None, this_year=today.year, default_codes=selectors.key_indicators())
    period = form.period()
    rows = selectors.explore(form.codes(), unit, period, request.user)
    if request.GET.get("format") == "xlsx":
        return _explorer_xlsx(unit, period, rows)
    query = request.GET.copy()
    query["format"] = "xlsx"
    ctx = {
        "unit": unit,
        "form": form,
        "period": period,
        "previous_period": period.year_earlier(),
        "rows": rows,
        "dashboard_url": dashboard_url(unit, period.year),
        "xlsx_url": f"?{query.urlencode()}",
        "child_query": request.GET.urlencode(),
    }
    return render(request, "dashboards/explorer.html", ctx)


# -- XLSX ------------------------------------------------------------------------------------------


def _dashboard_xlsx(board):
    unit, year = board.unit, board.year
    heading = _("%(unit)s — năm %(year)s (số liệu đến ngày %(date)s)") % {
        "unit": unit.name, "year": year, "date": min(board.today, board.period.end).strftime("%d/%m/%Y")}
    sheets = []
    if board.has_plan:
        targets = Sheet(_("Chỉ tiêu"), heading, [
            _("Chỉ tiêu"), _("Chỉ số"), _("Chỉ tiêu đề ra"), _("Giá trị chỉ tiêu"), _("Thực hiện"),
            _("Yêu cầu đến nay"), _("Tử số"), _("Mẫu số"), _("Đánh giá")])
        for row in board.targets:
            p = row.progress
            measure = measure_of(p)
            targets.add(p.target.text, p.target.indicator, target_goal(p.target), Number(p.goal, measure),
                        Number(p.actual, measure), Number(p.expected, measure), p.numerator, p.denominator,
                        str(p.mark_label))
        sheets.append(targets)
        headers = [_("Đơn vị")]
        for target in board.columns:
            headers += [f"{target.text} — {_('Thực hiện')}", f"{target.text} — {_('Đánh giá')}"]
        children = Sheet(_("Đơn vị cấp dưới"), heading, headers)
        for child in board.children:
            cells = [child.unit.name]
            for p, _url in child.cells:
                cells += [Number(p.actual, measure_of(p)), str(p.mark_label)]
            children.add(*cells)
        sheets.append(children)
        tasks = Sheet(_("Nhiệm vụ"), heading, [
            _("Nhiệm vụ"), _("Nhóm nhiệm vụ"), _("Cơ quan chủ trì"), _("Hạn"), _("Tình trạng"), _("Quá hạn")])
        for row in board.tasks:
            task = row.task
            tasks.add(task.title, task.get_group_display(), task.lead_agency or "",
                      row.next_due.strftime("%d/%m/%Y") if row.next_due else "", task.get_status_display(),
                      _("Quá hạn") if row.overdue else "")
        sheets.append(tasks)
    else:
        figures = Sheet(_("Chỉ số"), heading, [_("Chỉ số"), _("Mã"), _("Giá trị"), _("Tử số"), _("Mẫu số")])
        for value, _url in board.key_values:
            figures.add(value.indicator.name, value.indicator.code, Number(value.value, value.indicator.measure),
                        value.numerator, value.denominator)
        sheets.append(figures)
        children = Sheet(_("Đơn vị cấp dưới"), heading, [_("Đơn vị")] + [str(i.name) for i in board.columns])
        for child in board.children:
            children.add(child.unit.name, *[Number(v.value, v.indicator.measure) for v, _url in child.cells])
        sheets.append(children)
    return workbook_response(sheets, f"bang-dieu-khien-{unit.code}-{year}.xlsx")


def _explorer_xlsx(unit, period, rows):
    label = period.label or f"{period.start:%d/%m/%Y}–{period.end:%d/%m/%Y}"
    heading = _("%(unit)s — %(period)s (từ %(start)s đến %(end)s)") % {
        "unit": unit.name, "period": label, "start": period.start.strftime("%d/%m/%Y"),
        "end": period.end.strftime("%d/%m/%Y")}
    values = Sheet(_("Chỉ số"), heading, [
        _("Chỉ số"), _("Mã"), _("Giá trị"), _("Tử số"), _("Mẫu số"), _("Cùng kỳ năm trước"), _("Thay đổi (%)")])
    sheets = [values]
    for row in rows:
        measure = row.indicator.measure
        values.add(row.indicator.name, row.indicator.code, Number(row.current.value, measure),
                   row.current.numerator, row.current.denominator, Number(row.previous.value, measure),
                   Number(row.change, PERCENT))
        ranking = Sheet(row.indicator.code, f"{heading} — {row.indicator.name}", [
            _("Hạng"), _("Đơn vị"), _("Giá trị"), _("Tử số"), _("Mẫu số"), _("Cùng kỳ năm trước")])
        for rank, value, before, _url in row.ranking:
            ranking.add(rank, value.unit.name, Number(value.value, measure), value.numerator, value.denominator,
                        Number(before.value if before else None, measure))
        sheets.append(ranking)
    return workbook_response(sheets, f"chi-so-{unit.code}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx")


register_page("dashboards", "dashboards:mine", gettext_lazy("Bảng điều khiển"), FIGURES_PERMISSION)
