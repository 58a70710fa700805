"""A report that writes itself from the data (issue 10, "Writing a report").

`compute_figures` takes a snapshot of everything a report states: each indicator of the report type for the unit's
subtree and period with last year's value beside it, the same broken down by child unit (the appendix tables), the
plan's targets achieved or not, and the documents the unit issued in the period. Last year's value is what the
unit reported then, when its report of the same type for that period was approved (and, for an upper unit, was
complete), else the records (last year's reports may predate the system; figures["previous_report"] says which).
An upper unit whose lower units submit the same report consolidates instead: its own records plus its children's
approved reports' frozen figures (consolidation.consolidate), with the completeness and timeliness lines; while
some children are not counted the consolidation is incomplete and no change against last year is stated
(change_percent None, and figures["consolidation"]["incomplete"] True), never a false drop. The snapshot also
keeps the report type's sections and the unit's and its parent's names as they were (figures["sections"],
["unit_name"], ["parent_name"]), so a submitted document does not change when they do later. `refresh` stores
it on the report until submission (then the figures are frozen). `draft_sentences` states the snapshot in the
reports' style from the administrator's sentence templates (SentenceTemplate) — a sentence is left out when a
number it needs is missing, never invented — and `start_narrative` puts them into the sections the officer has not
written yet.

Queries: a fixed number whatever the number of units or records — three engine runs (the period, the same period
a year earlier, the breakdown by child unit — or for an upper unit, consolidate's few queries), the plan and its
targets with their own engine runs (one per distinct target period, see plans.progress.evaluate), and one query
per kind of document."""

import datetime
import re
import string
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lanhmanh.core.services import save_versioned
from lanhmanh.indicators import engine
from lanhmanh.indicators.registry import PERCENT, VND, registry
from lanhmanh.plans.models import TargetKind, format_number
from lanhmanh.reporting.models import ReportStatus

# Where the statements that are not templates go: the issued documents and the targets (DOMAIN.md §2.3: "results
# per task group", which opens with the direction and planning documents issued).
RESULTS_SECTION = "results"
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)


# -- the snapshot ---------------------------------------------------------------------------------------------------


def _number(value):
    """A JSON number: Decimal sums become int or float, floats keep two decimals (as IndicatorValue.as_dict)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else round(float(value), 2)
    if isinstance(value, float):
        return round(value, 2)
    return value


def _date(day) -> str | None:
    return day.isoformat() if day else None


def _period_dict(period) -> dict:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": str(period.label)}


def compute_figures(report, user=None, *, today: datetime.date | None = None, now=None) -> dict:
    """The JSON-serialisable snapshot of what `report` states (see the module's docstring). With a `user`, only the
    units whose figures they may see count (engine.compute); a report's stored figures are computed without one."""
    from lanhmanh.geo.models import AdminUnit

    unit = report.unit
    period = report.period()
    previous_period = period.year_earlier()
    today = min(period.end, today or timezone.localdate())
    codes = [code for code in dict.fromkeys(report.report_type.indicators or []) if code in registry.indicators]

    indicators, children = [], {"indicators": codes, "rows": []}
    if codes:
        current, previous = engine.compare(codes, unit, period, user=user)
        now_values = {value.indicator.code: value for value in current}
        before_values = {value.indicator.code: value for value in previous}
        for code in codes:
            definition = registry.get(code)
            value, before = now_values[code], before_values[code]
            indicators.append({
                "code": code,
                "name": str(definition.name),
                "measure": definition.measure,
                "numerator": _number(value.numerator),
                "denominator": _number(value.denominator),
                "value": _number(value.value),
                "numerator_previous": _number(before.numerator),
                "denominator_previous": _number(before.denominator),
                "value_previous": _number(before.value),
                "change_percent": _number(engine.change_percent(value.value, before.value)),
            })
        previous_report = _previous_values_from_report(report, indicators) if user is None else None
        consolidated = _consolidated(report, indicators, today) if user is None else None
        if consolidated is not None:
            children["rows"] = consolidated.pop("rows")
        elif unit.level < AdminUnit.Level.COMMUNE:  # a commune's breakdown would be itself: none
            breakdown = engine.compute(codes, unit, period, by="children", user=user)
            for child, values in breakdown.by_unit().items():
                children["rows"].append({
                    "unit": child.code,
                    "unit_name": child.name,
                    "own": any(v.own for v in values.values()),
                    "values": {code: _number(values[code].value) for code in codes if code in values},
                })
    else:
        consolidated = previous_report = None

    plan, targets = _targets(unit, report.year, today, user)
    return {
        "consolidation": consolidated,
        "unit": {"code": unit.code, "name": unit.name, "level": unit.level},
        "unit_name": unit.name,
        "parent_name": unit.parent.name if unit.parent_id else "",
        "sections": [{"key": str(section["key"]), "title": str(section["title"])}
                     for section in report.report_type.section_list()],
        "period": _period_dict(period),
        "previous_period": _period_dict(previous_period),
        # Where last year's values come from: the unit's approved report of the same kind for that period (what was
        # reported then), else the records as they are now.
        "previous_report": previous_report,
        "indicators": indicators,
        "children": children,
        "plan": plan,
        "targets": targets,
        "documents": _documents(unit, period),
        "computed_at": (now or timezone.now()).isoformat(),
    }


def _previous_values_from_report(report, indicators: list[dict]) -> dict | None:
    """Last year's values as the unit reported them: when its report of the same type for the same period a year
    earlier was approved, each indicator's "previous" numbers are that report's frozen figures (and the change is
    computed against them); an indicator that report did not have keeps the records' value. Returns the report's
    reference, or None when there is no such report."""
    from lanhmanh.reporting.models import Report

    previous = report.period().year_earlier()
    found = (Report.objects.filter(unit_id=report.unit_id, report_type_id=report.report_type_id,
                                   period_start=previous.start, period_end=previous.end,
                                   status=ReportStatus.APPROVED)
             .exclude(pk=report.pk).order_by("-pk").first())
    if found is None or ((found.figures or {}).get("consolidation") or {}).get("incomplete"):
        # A consolidation that lacked some lower units' reports is no base for a change: the records are.
        return None
    frozen = {row.get("code"): row for row in (found.figures or {}).get("indicators", [])}
    used = []
    for row in indicators:
        before = frozen.get(row["code"])
        if before is None:
            continue
        row.update(numerator_previous=before.get("numerator"), denominator_previous=before.get("denominator"),
                   value_previous=before.get("value"),
                   change_percent=_number(engine.change_percent(row["value"], before.get("value"))))
        used.append(row["code"])
    if not used:
        return None
    return {"id": found.pk, "title": found.title or str(found.report_type), "period_label": found.period_label,
            "number": found.number, "indicators": used}


def _consolidated(report, indicators: list[dict], today: datetime.date) -> dict | None:
    """For an upper unit whose lower units submit the same report: its figures become its own records plus the
    frozen figures of its children's approved reports (consolidation.consolidate), written over `indicators`; the
    breakdown rows are the children's frozen figures (none for a child not counted). Returns the completeness and
    timeliness lines, the children not counted and the figures changed since approval, or None for a unit with
    nothing below it that submits.

    While a child is not counted (no report, not submitted or not yet approved), the consolidated value (own records
    plus the approved children only) is not comparable with last year's value (the whole subtree's records): every
    indicator's change_percent is then None and "incomplete" is True. The consolidated values with their own and
    children's parts, and the children not counted with their status, are kept too ("indicators",
    "not_counted_rows"), so a submitted report shows its consolidation as frozen."""
    from lanhmanh.reporting import consolidation

    if consolidation.child_level(report.report_type, report.unit) is None:
        return None
    result = consolidation.consolidate(report, today=today)
    incomplete = bool(result["not_counted"])
    by_code = {row["code"]: row for row in result["indicators"]}
    for row in indicators:
        merged = by_code.get(row["code"])
        if merged is not None:
            row.update(numerator=_number(merged["numerator"]), denominator=_number(merged["denominator"]),
                       value=_number(merged["value"]),
                       change_percent=_number(engine.change_percent(merged["value"], row["value_previous"])))
        if incomplete:
            row["change_percent"] = None
    rows = [{
        "unit": child["unit"].code, "unit_name": child["unit_name"], "own": False, "counted": child["counted"],
        "values": {code: _number(values["value"]) for code, values in child["indicators"].items()},
    } for child in result["children"]]
    return {
        "rows": rows,
        "incomplete": incomplete,
        "completeness_line": result["completeness_line"],
        "approved_line": str((result.get("completeness") or {}).get("approved_line") or ""),
        "timeliness_line": result["timeliness_line"],
        "not_counted": [child["unit_name"] for child in result["not_counted"]],
        "not_counted_rows": [{"unit": child["unit"].code, "unit_name": child["unit_name"],
                              "status": str(child["status"]), "status_display": str(child["status_display"])}
                             for child in result["not_counted"]],
        "indicators": [{"code": row["code"], "name": str(row["name"]), "measure": row["measure"],
                        "value": _number(row["value"]), "own_numerator": _number(row["own_numerator"]),
                        "children_numerator": _number(row["children_numerator"])}
                       for row in result["indicators"]],
        "changed_since_approval": [
            {"unit": row["unit"].code, "unit_name": row["unit_name"], "code": row["code"],
             "frozen": _number(row["frozen"]), "current": _number(row["current"])}
            for row in result["changed_since_approval"]],
    }


def _targets(unit, year: int, today: datetime.date, user) -> tuple[dict | None, list[dict]]:
    from lanhmanh.plans import progress

    plan = progress.current_plan(unit, year)
    if plan is None:
        return None, []
    targets = list(plan.targets.all())
    rows = []
    for item in progress.evaluate(targets, unit, today=today, user=user) if targets else []:
        target, definition = item.target, item.target.indicator_def
        rows.append({
            "text": target.text,
            "indicator": target.indicator or None,
            "measure": definition.measure if definition is not None else None,
            "kind": target.kind,
            "comparison": target.comparison,
            "goal": _number(item.goal),
            "goal_display": str(target.goal_display),
            "expected": _number(item.expected),
            "actual": _number(item.actual),
            "achieved": item.achieved,
            "mark": item.mark,
            "mark_label": str(item.mark_label),
            "final": item.final,
        })
    info = {"id": plan.pk, "reference": plan.reference, "number": plan.number, "symbol": plan.symbol,
            "issued_on": _date(plan.issued_on), "title": plan.title, "status": plan.status}
    return info, rows


def _documents(unit, period) -> list[dict]:
    """The documents `unit` itself issued in `period`: issued plans (with number, symbol and date), approved
    inspection plans (they carry an approval date but no number) and decisions establishing inspection teams."""
    from lanhmanh.inspections.models import InspectionPlan, Team
    from lanhmanh.plans.models import Plan
    from lanhmanh.plans.services import citation

    within = {"gte": period.start, "lte": period.end}
    documents = []
    for plan in Plan.objects.filter(unit=unit, status=Plan.Status.ISSUED, issued_on__gte=within["gte"],
                                    issued_on__lte=within["lte"]).select_related("unit").order_by("issued_on", "pk"):
        documents.append({"kind": "plan", "number": plan.number, "symbol": plan.symbol, "reference": plan.reference,
                          "date": _date(plan.issued_on), "title": plan.title, "citation": citation(plan)})
    for plan in InspectionPlan.objects.filter(unit=unit, status=InspectionPlan.Status.APPROVED,
                                              approved_on__gte=within["gte"], approved_on__lte=within["lte"]
                                              ).order_by("approved_on", "pk"):
        documents.append({"kind": "inspection_plan", "number": "", "symbol": "", "reference": "",
                          "date": _date(plan.approved_on), "title": plan.title, "citation": ""})
    for team in Team.objects.filter(unit=unit, decision_date__gte=within["gte"], decision_date__lte=within["lte"]
                                    ).order_by("decision_date", "pk"):
        documents.append({"kind": "team_decision", "number": team.decision_number, "symbol": "",
                          "reference": team.decision_number, "date": _date(team.decision_date),
                          "title": team.name, "citation": ""})
    documents.sort(key=lambda d: d["date"] or "")
    return documents


# -- storing it -----------------------------------------------------------------------------------------------------


def _check_open(report, message: str):
    if report.status not in EDITABLE_STATUSES:
        raise ValidationError(message)


def refresh(report, user, *, expected_version: int | None = None, today: datetime.date | None = None):
    """Recomputes the report's figures and saves them (with the version check: ConcurrentEditError when someone
    saved the report meanwhile). Only while the report is being written or was returned: a submitted report's
    figures are frozen."""
    _check_open(report, _("Báo cáo đã nộp: số liệu đã được chốt."))
    now = timezone.now()
    report.figures = compute_figures(report, today=today, now=now)
    report.figures_at = now
    expected = report.version if expected_version is None else expected_version
    return save_versioned(report, expected_version=expected, user=user)


def prepare(report, user, *, expected_version: int | None = None, today: datetime.date | None = None):
    """A new report pre-filled: the figures computed and the empty sections drafted, saved once."""
    _check_open(report, _("Báo cáo đã nộp: số liệu đã được chốt."))
    now = timezone.now()
    report.figures = compute_figures(report, today=today, now=now)
    report.figures_at = now
    start_narrative(report)
    expected = report.version if expected_version is None else expected_version
    return save_versioned(report, expected_version=expected, user=user)


# -- sentences ------------------------------------------------------------------------------------------------------

FIELD = re.compile(r"[A-Z][A-Z0-9_]*\Z")
# {CODE} the value; {CODE:previous} last year's; {CODE:change} "tăng 12,5%" / "giảm 3%" against last year;
# {CODE:numerator} / {CODE:denominator} the counts behind a ratio ("36/41 cơ sở").
SPECS = ("", "previous", "change", "numerator", "denominator")


class MissingFigure(KeyError):
    """A number the sentence needs is not there (unknown indicator, not in the report, or no value)."""


def round_half_up(value, places: int = 1) -> Decimal:
    """Half up, as people round (87,75 → 87,8), through str so a float's binary noise stays out."""
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_value(value, measure: str | None) -> str:
    """1234 → "1.234"; a percentage 87.8 → "87,8%" (one decimal); an amount 35000000 → "35.000.000 đồng"."""
    if measure == PERCENT:
        return f"{format_number(round_half_up(value))}%"
    if measure == VND:
        return f"{format_number(round_half_up(value, 0))} {_('đồng')}"
    if isinstance(value, float):
        value = round_half_up(value)
    return format_number(value)


def format_change(change) -> str:
    """+12.5 → "tăng 12,5%", -3 → "giảm 3%", 0 → "không thay đổi"."""
    rounded = round_half_up(change)
    if rounded > 0:
        return _("tăng %(p)s%%") % {"p": format_number(rounded)}
    if rounded < 0:
        return _("giảm %(p)s%%") % {"p": format_number(-rounded)}
    return _("không thay đổi")


class _Figure:
    def __init__(self, row: dict):
        self.row = row

    def number(self, spec: str):
        key = {"": "value", "previous": "value_previous", "change": "change_percent"}.get(spec, spec)
        value = self.row.get(key)
        if value is None:
            raise MissingFigure(f"{self.row['code']}:{spec}")
        return value

    def __format__(self, spec: str) -> str:
        value = self.number(spec)
        if spec == "change":
            return format_change(value)
        return format_value(value, None if spec in ("numerator", "denominator") else self.row.get("measure"))


class _Figures:
    """The mapping str.format_map reads: {CODE} → the figure, raising MissingFigure for anything not there."""

    def __init__(self, figures: dict):
        self.rows = {row["code"]: row for row in figures.get("indicators", [])}

    def __getitem__(self, code):
        row = self.rows.get(code)
        if row is None:
            raise MissingFigure(code)
        return _Figure(row)


def template_fields(text: str) -> list[tuple[str, str]]:
    """(code, spec) of each placeholder of a template. Raises ValueError for anything but plain indicator codes with
    one of SPECS (no attribute or item access, no conversion): what an administrator writes can't reach further."""
    fields = []
    for _literal, name, spec, conversion in string.Formatter().parse(text):
        if name is None:
            continue
        if not FIELD.match(name) or conversion is not None or (spec or "") not in SPECS:
            raise ValueError(text)
        fields.append((name, spec or ""))
    return fields


def template_errors(text: str) -> list[str]:
    """What is wrong with a template's text, in Vietnamese (for SentenceTemplate.clean and the admin)."""
    try:
        fields = template_fields(text)
    except ValueError:
        return [_("Câu mẫu chỉ được ghi mã chỉ số trong ngoặc nhọn, ví dụ {INSP_SESSIONS}, {INSP_SESSIONS:previous}, "
                  "{TIPS_ON_TIME_PCT:numerator}, {CASES_CRIMINAL:change}.")]
    unknown = sorted({code for code, _spec in fields if code not in registry.indicators})
    if unknown:
        return [_("Chỉ số không có trong danh mục: %(codes)s.") % {"codes": ", ".join(unknown)}]
    return []


def fill(text: str, figures: dict) -> str | None:
    """The template `text` stated with `figures`, or None when it can't be: a number it needs is missing, or it
    states only counts and amounts and all are zero (a sentence that nothing happened is the officer's to write; a
    rate of 0% or a change is still stated)."""
    try:
        fields = template_fields(text)
        mapping = _Figures(figures)
        rates, counts = False, []
        for code, spec in fields:
            figure = mapping[code]
            counts.append(figure.number(spec))
            rates |= spec == "change" or (spec in ("", "previous") and figure.row.get("measure") == PERCENT)
        if counts and not rates and all(n == 0 for n in counts):
            return None
        return text.format_map(mapping)
    except (ValueError, MissingFigure):
        return None


def _dmy(iso: str | None) -> str:
    return datetime.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def document_sentence(document: dict) -> str:
    if document["kind"] == "plan":
        return f"{document['citation']}."
    if document["kind"] == "inspection_plan":
        return _("Kế hoạch kiểm tra “%(title)s” được phê duyệt ngày %(date)s.") % {
            "title": document["title"], "date": _dmy(document["date"])}
    return _("Quyết định số %(number)s ngày %(date)s thành lập %(team)s.") % {
        "number": document["number"], "date": _dmy(document["date"]),
        "team": document["title"][:1].lower() + document["title"][1:]}


def target_sentence(target: dict) -> str | None:
    """"Chỉ tiêu “…”: đạt (thực hiện 65,2%, chỉ tiêu ≥ 60%)." — or "chưa đạt"; None when it can't be judged."""
    if target["achieved"] is None:
        return None
    verdict = _("đạt") if target["achieved"] else _("chưa đạt")
    if target["indicator"] is None or target["actual"] is None:
        return _("Chỉ tiêu “%(text)s”: %(verdict)s.") % {"text": target["text"], "verdict": verdict}
    if target["kind"] == TargetKind.CHANGE:
        actual = format_number(round_half_up(target["actual"])) + "%"
        actual = actual if actual.startswith("-") else f"+{actual}"
    else:
        actual = format_value(target["actual"], target["measure"])
    goal = target["goal_display"]
    if (not target["final"] and target["expected"] is not None and target["goal"] is not None
            and target["expected"] != target["goal"]):
        # A flow counted pro-rata: by mid-year 30 of 60 sessions are expected.
        goal = _("%(goal)s, theo tiến độ đến nay %(expected)s") % {
            "goal": goal, "expected": format_value(target["expected"], target["measure"])}
    return _("Chỉ tiêu “%(text)s”: %(verdict)s (thực hiện %(actual)s, chỉ tiêu %(goal)s).") % {
        "text": target["text"], "verdict": verdict, "actual": actual, "goal": goal}


def draft_sentences(figures: dict, templates) -> dict[str, list[str]]:
    """{section key: [sentences]}: the results section opens with the documents issued in the period, then each
    template in its section (in order) that the figures can state, then one sentence per target."""
    sections: dict[str, list[str]] = {}
    documents = [document_sentence(d) for d in figures.get("documents", [])]
    if documents:
        sections.setdefault(RESULTS_SECTION, []).extend(documents)
    for template in sorted((t for t in templates if getattr(t, "is_active", True)),
                           key=lambda t: (t.order, t.code)):
        sentence = fill(template.text, figures)
        if sentence:
            sections.setdefault(template.section, []).append(sentence)
    targets = [s for s in (target_sentence(t) for t in figures.get("targets", [])) if s]
    if targets:
        sections.setdefault(RESULTS_SECTION, []).extend(targets)
    return sections


def start_narrative(report, templates=None) -> list[str]:
    """Fills the report's sections that are still empty with the drafted sentences, one per line (the officer edits
    them later); never overwrites what the officer wrote. Computes the figures first when the report has none.
    Changes the report in memory only (`prepare` saves); returns the keys of the sections filled."""
    from lanhmanh.reporting.models import SentenceTemplate

    _check_open(report, _("Báo cáo đã nộp: nội dung đã được chốt."))
    if not report.figures:
        now = timezone.now()
        report.figures, report.figures_at = compute_figures(report, now=now), now
    if templates is None:
        templates = SentenceTemplate.objects.filter(is_active=True)
    drafted = draft_sentences(report.figures, templates)
    narrative = dict(report.narrative or {})
    filled = []
    for section in report.report_type.section_list():
        key = section["key"]
        sentences = drafted.get(key)
        if sentences and not (narrative.get(key) or "").strip():
            narrative[key] = "\n".join(sentences)
            filled.append(key)
    report.narrative = narrative
    return filled
