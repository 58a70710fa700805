"""A plan as the official document (Kế hoạch) it is issued as: header, legal bases, purposes, targets, tasks by group
with their agencies and schedule, the plan's own sections, recipients and signature, in the format of Nghị định
30/2020 (lanhmanh.core.documents does the layout)."""

import re

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.text import slugify

from lanhmanh.core import documents
from lanhmanh.core.documents import Bullet, Heading, OfficialDocument, Paragraph, Signature
from lanhmanh.geo.models import AdminUnit, Agency
from lanhmanh.plans.models import Plan, TaskGroup

COMMITTEE = "ỦY BAN NHÂN DÂN"
COMMITTEE_PREFIXES = ("ủy ban nhân dân", "uỷ ban nhân dân", "ubnd")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def roman(number: int) -> str:
    values = ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    text = ""
    for value, letters in values:
        while number >= value:
            text += letters
            number -= value
    return text


def is_committee(body: str) -> bool:
    return body.strip().lower().startswith(COMMITTEE_PREFIXES)


def issuing_body(plan: Plan) -> str:
    """As printed top-left, in two lines for a people's committee: "ỦY BAN NHÂN DÂN\\nPHƯỜNG HỒNG BÀNG"."""
    body = plan.issuing_body.strip()
    if not body:
        return f"{COMMITTEE}\n{plan.unit.name.upper()}"
    lowered = body.lower()
    for prefix in COMMITTEE_PREFIXES[:2]:
        if lowered.startswith(prefix + " "):
            return f"{COMMITTEE}\n{body[len(prefix) + 1:].strip().upper()}"
    return body.upper()


def issuer_name(plan: Plan) -> str:
    """The issuing body in a sentence: "Ủy ban nhân dân phường Hồng Bàng"."""
    return plan.issuing_body.strip() or f"Ủy ban nhân dân {_lower_first(plan.unit.name)}"


def superior_unit(plan: Plan) -> AdminUnit | None:
    parent = plan.unit.parent
    return parent if parent is not None and parent.level > AdminUnit.Level.NATION else None


def superior_body(plan: Plan) -> str:
    """The governing body printed above the issuing one: none for a people's committee, which Nghị định 30/2020
    names alone ("ỦY BAN NHÂN DÂN / PHƯỜNG HỒNG BÀNG"); for another body (a steering committee, a department),
    the committee of its unit ("UBND THÀNH PHỐ HẢI PHÒNG")."""
    if issuing_body(plan).startswith(COMMITTEE):
        return ""
    unit = plan.unit if plan.issuing_body.strip() else superior_unit(plan)
    return f"UBND {unit.name.upper()}" if unit is not None and unit.parent_id is not None else ""


def summary(plan: Plan) -> str:
    """The trích yếu under "KẾ HOẠCH": the title without a leading "Kế hoạch"."""
    title = " ".join(plan.title.split())
    if title.lower().startswith("kế hoạch "):
        title = title[len("kế hoạch "):]
    return _upper_first(title)


def text_blocks(text: str) -> list:
    """Free text as blocks: "1. Mục đích" lines as headings, "- …" and "+ …" lines as dash items, the rest as
    paragraphs."""
    blocks = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if re.match(r"^\d+(\.\d+)*\.\s+\S", line) and len(line) <= 80 and not line.endswith((".", ";", ":")):
            blocks.append(Heading(line, level=2))
        elif line[0] in "-+•–" and len(line) > 1:
            marker = "+" if line[0] == "+" else "-"
            blocks.append(Bullet(line[1:].strip(), marker=marker))
        else:
            blocks.append(Paragraph(line))
    return blocks


def _legal_basis(line: str) -> str:
    line = line.strip().rstrip(";.,")
    if not line.lower().startswith(("căn cứ", "thực hiện", "theo ", "triển khai")):
        line = f"Căn cứ {line}"
    return f"{line};"


def _schedule(task) -> str:
    return task.schedule_display or "Thường xuyên"


def _task_line(task) -> str:
    parts = []
    if task.lead_agency_id:
        parts.append(f"Cơ quan chủ trì: {task.lead_agency.name}")
    cooperating = [agency.name for agency in task.cooperating_agencies.all()]
    if cooperating:
        parts.append(f"cơ quan phối hợp: {', '.join(cooperating)}")
    parts.append(f"thời gian thực hiện: {_schedule(task)}")
    return _upper_first("; ".join(parts)) + "."


def _target_line(index: int, target, last: bool) -> str:
    text = target.text.strip().rstrip(";.")
    details = []
    goal = target.goal_display
    if goal:
        details.append(f"chỉ tiêu: {goal}")
    if target.period_start or target.period_end:
        period = target.period()
        details.append(f"từ {period.start:%d/%m/%Y} đến {period.end:%d/%m/%Y}")
    if details:
        text += f" ({'; '.join(details)})"
    return f"{index}. {text}{'.' if last else ';'}"


def _tasks(plan: Plan):
    return list(plan.tasks.select_related("lead_agency").prefetch_related(
        Prefetch("cooperating_agencies", queryset=Agency.objects.order_by("name"))).order_by("group", "order", "pk"))


def recipients(plan: Plan, tasks) -> list[str]:
    """The unit above's committee (to report to), the agencies leading the plan's tasks, and the archive."""
    found = []
    parent = superior_unit(plan)
    if parent is not None:
        found.append(f"UBND {_lower_first(parent.name)} (để báo cáo)")
    for task in tasks:
        if task.lead_agency_id and task.lead_agency.name not in found:
            found.append(task.lead_agency.name)
    found.append("Lưu: VT")
    return found


def signature(plan: Plan) -> Signature:
    """"TM. ỦY BAN NHÂN DÂN" over the signer's title ("CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH") for a people's
    committee; the title alone for another body."""
    title = plan.signer_title.strip() or "CHỦ TỊCH"
    collective = is_committee(plan.issuing_body or COMMITTEE) and not title.upper().startswith("TM.")
    return Signature(mode="TM." if collective else "", body=COMMITTEE if collective else "", title=title,
                     name=plan.signer_name.strip())


def plan_document(plan: Plan) -> OfficialDocument:
    """The plan as an official document; a draft has a blank number and date and "DỰ THẢO" on its first page.
    In Vietnamese whatever the reader's language (an official document is), model labels included."""
    with translation.override("vi"):
        return _plan_document(plan)


def _plan_document(plan: Plan) -> OfficialDocument:
    draft = plan.is_draft
    title = summary(plan)
    tasks = _tasks(plan)
    blocks: list = []
    for line in plan.legal_basis_list:
        blocks.append(Paragraph(_legal_basis(line)))
    blocks.append(Paragraph(f"{issuer_name(plan)} ban hành Kế hoạch {_lower_first(title)} như sau:"))

    numbering = iter(range(1, 100))
    if plan.objectives.strip():
        blocks.append(Heading(f"{roman(next(numbering))}. MỤC ĐÍCH, YÊU CẦU"))
        blocks.extend(text_blocks(plan.objectives))
    targets = list(plan.targets.all())
    if targets:
        blocks.append(Heading(f"{roman(next(numbering))}. CHỈ TIÊU"))
        blocks.extend(Paragraph(_target_line(index, target, index == len(targets)))
                      for index, target in enumerate(targets, start=1))
    if tasks:
        blocks.append(Heading(f"{roman(next(numbering))}. NHIỆM VỤ, GIẢI PHÁP"))
        by_group: dict = {}
        for task in tasks:
            by_group.setdefault(task.group, []).append(task)
        groups = [(label, by_group[value]) for value, label in TaskGroup.choices if value in by_group]
        for number, (label, group_tasks) in enumerate(groups, start=1):
            blocks.append(Heading(f"{number}. {label}", level=2))
            for task in group_tasks:
                blocks.append(Bullet(task.title.strip().rstrip(".;") + "."))
                blocks.extend(text_blocks(task.description))
                blocks.append(Paragraph(_task_line(task), italic=True))
    for section in plan.sections.all():
        heading = re.sub(r"^[IVXLC]+\.\s*", "", section.heading.strip())
        blocks.append(Heading(f"{roman(next(numbering))}. {heading.upper()}"))
        blocks.extend(text_blocks(section.body))
    last = blocks[-1]
    if not (isinstance(last, (Paragraph, Bullet)) and last.text.rstrip().endswith("./.")):
        blocks.append(Paragraph(
            f"Trên đây là Kế hoạch {_lower_first(title)} của {issuer_name(plan)}./."))

    return OfficialDocument(
        superior_body=superior_body(plan),
        issuing_body=issuing_body(plan),
        number="" if draft else plan.number,
        symbol=plan.symbol or "KH-UBND",
        place=documents.place_name(plan.unit.name),
        date=None if draft else plan.issued_on,
        year=timezone.localdate().year,
        kind_title="KẾ HOẠCH",
        title=title,
        blocks=blocks,
        recipients=recipients(plan, tasks),
        signature=signature(plan),
        draft=draft,
    )


def filename(plan: Plan, extension: str) -> str:
    """"KH-35-2026.docx" (kind, number, year of issue); a draft "KH-du-thao-<id>-2026.docx". No personal data."""
    kind = slugify((plan.symbol or "KH").split("-")[0]).upper() or "KH"
    year = plan.issued_on.year if plan.issued_on else plan.year
    number = slugify(plan.number) if plan.number and not plan.is_draft else ""
    stem = f"{kind}-{number}-{year}" if number else f"{kind}-du-thao-{plan.pk}-{year}"
    return f"{stem}.{extension}"


def render(plan: Plan, extension: str) -> bytes:
    """The plan as "docx" or "pdf" (documents.DocumentError when PDF cannot be made here)."""
    return documents.render(plan_document(plan), extension)
