"""Pages of reports: the list of the user's units' reports; a report's page, where the unit writes it (figures from
the engine, the narrative in a rich-text editor, signer and recipients), refreshes its figures, submits it, and the
upper unit approves or returns it; the versions' differences; the completeness and timeliness dashboard of an upper
unit's children for a report type and period.

Who may do what: reading is Report.objects.visible_to(user) (a report outside it is a 404); writing and submitting
is workflow.can_submit (members of the report's own unit, while it is drafted or returned: others, upper units
included, read it without writing anything, even on opening it); reviewing is workflow.can_review (the parent unit's
approvers, never the one who submitted the version). Attachments follow the same rules: read with the report,
added or removed only while it may be written (once submitted they stay as they were)."""


from urllib.parse import urlencode

from django import forms as django_forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lanhmanh.core.context_processors import register_page
from lanhmanh.core.forms import StyledForm
from lanhmanh.core.scoping import permission_name
from lanhmanh.core.services import ConcurrentEditError, save_versioned
from lanhmanh.core.text import local_time
from lanhmanh.core.uploads import UploadError, clean_upload
from lanhmanh.core.views import ObjectDetailView, ObjectViews, private_file_response
from lanhmanh.indicators import periods
from lanhmanh.reporting import (
    attachments,
    consolidation,
    drafting,
    filters,
    forms,
    richtext,
    rules,
    services,
    tables,
    workflow,
)
from lanhmanh.reporting.models import PeriodRule, Report, ReportStatus

VIEW_PERMISSION = permission_name(Report, "view")
ADD_PERMISSION = permission_name(Report, "add")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def figure(value, measure=None) -> str:
    """1234 → "1.234", a percentage → "87,8%"; nothing → "—"."""
    if value is None:
        return "—"
    return drafting.format_value(value, measure)


def change(value) -> str:
    """+12.5 → "+12,5%", -3 → "-3%"; nothing → "—"."""
    from lanhmanh.reporting.documents import format_change

    return "—" if value is None else f"{format_change(value)}%"


def downloads() -> dict:
    """Which downloads the page offers: PDF needs LibreOffice on the server."""
    from lanhmanh.core.documents import office_binary

    return {"document": True, "appendix": True, "pdf": office_binary() is not None}


# -- the report's page ----------------------------------------------------------------------------------------------


def figure_rows(figures: dict) -> list[dict]:
    rows = []
    for row in (figures or {}).get("indicators", []):
        measure = row.get("measure")
        parts = ""
        if row.get("denominator") is not None:
            parts = f"{figure(row.get('numerator'))}/{figure(row.get('denominator'))}"
        rows.append({"code": row.get("code"), "name": row.get("name"), "value": figure(row.get("value"), measure),
                     "previous": figure(row.get("value_previous"), measure), "parts": parts,
                     "change": change(row.get("change_percent"))})
    return rows


def target_rows(figures: dict) -> list[dict]:
    rows = []
    for target in (figures or {}).get("targets", []):
        if target.get("kind") == "change" and target.get("actual") is not None:
            actual = change(target["actual"])
        else:
            actual = figure(target.get("actual"), target.get("measure"))
        rows.append({**target, "actual_display": actual})
    return rows


def document_rows(figures: dict) -> list[dict]:
    return [{**document, "date_display": drafting._dmy(document.get("date")),
             "kind_display": {"plan": _("Kế hoạch"), "inspection_plan": _("Kế hoạch kiểm tra"),
                              "team_decision": _("Quyết định thành lập đội")}.get(document.get("kind"), "")}
            for document in (figures or {}).get("documents", [])]


def frozen_consolidation_context(report) -> dict | None:
    """The consolidation block of a submitted or approved report as it was frozen with its figures
    (figures["consolidation"], drafting._consolidated): the lines, the consolidated values and the children not
    counted then. None when the snapshot has none."""
    figures = report.figures or {}
    stored = figures.get("consolidation")
    if not stored:
        return None
    indicators = stored.get("indicators") or figures.get("indicators", [])
    by_code = {row.get("code"): row for row in indicators}
    return {
        "frozen": True,
        "completeness_line": stored.get("completeness_line", ""),
        "completeness": {"approved_line": stored.get("approved_line", "")},
        "timeliness_line": stored.get("timeliness_line", ""),
        "incomplete": stored.get("incomplete", False),
        "indicator_rows": [{**row, "value_display": figure(row.get("value"), row.get("measure")),
                            "own_display": figure(row.get("own_numerator")),
                            "children_display": figure(row.get("children_numerator"))}
                           for row in indicators],
        "not_counted": stored.get("not_counted_rows") or [{"unit_name": name}
                                                          for name in stored.get("not_counted", [])],
        "changed_rows": [{**row, "name": by_code.get(row.get("code"), {}).get("name") or row.get("code"),
                          "frozen_display": figure(row.get("frozen"), by_code.get(row.get("code"), {}).get("measure")),
                          "current_display": figure(row.get("current"),
                                                    by_code.get(row.get("code"), {}).get("measure"))}
                         for row in stored.get("changed_since_approval", [])],
    }


def consolidation_context(report) -> dict | None:
    """The consolidation block of an upper unit's report (None for a unit nothing below reports to): live while it
    is written, as frozen with its figures once submitted (no later approval below changes what was submitted)."""
    if consolidation.child_level(report.report_type, report.unit) is None:
        return None
    if report.status not in workflow.SUBMITTABLE:
        return frozen_consolidation_context(report)
    found = consolidation.consolidate(report)
    measures = {row["code"]: row["measure"] for row in found["indicators"]}
    names = {row["code"]: row["name"] for row in found["indicators"]}
    return {
        **found,
        "incomplete": bool(found["not_counted"]),
        "indicator_rows": [{**row, "value_display": figure(row["value"], row["measure"]),
                            "own_display": figure(row["own_numerator"]),
                            "children_display": figure(row["children_numerator"])} for row in found["indicators"]],
        "changed_rows": [{**row, "name": names.get(row["code"], row["code"]),
                          "frozen_display": figure(row["frozen"], measures.get(row["code"])),
                          "current_display": figure(row["current"], measures.get(row["code"]))}
                         for row in found["changed_since_approval"]],
    }


class ReportDetailView(ObjectDetailView):
    """The report's page. A report opened for the first time by a member of its own unit who may write it is drafted
    on the way: its figures computed and its empty sections filled with the drafted sentences (drafting.prepare).
    Anyone else reads it as it is: nothing is written on their GET."""

    template_name = "reporting/report_detail.html"

    def get_object(self, queryset=None):
        report = super().get_object(queryset)
        user = self.request.user
        if self.request.method == "GET" and not report.figures and workflow.can_submit(user, report):
            try:
                drafting.prepare(report, user)
            except ConcurrentEditError:
                report.refresh_from_db()
        return report

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(report_context(self.request, self.object, **kwargs))
        return ctx


def report_context(request, report, *, edit_form=None, review_form=None, **_kwargs) -> dict:
    user = request.user
    today = timezone.localdate()
    can_edit = workflow.can_submit(user, report)
    can_review = (report.status == ReportStatus.SUBMITTED and workflow.can_review(user, report)
                  and not workflow.submitted_latest(user, report))
    sections = report.report_type.section_list()
    if edit_form is None:
        edit_form = forms.ReportEditForm(instance=report, sections=sections, auto_id="report_%s")
    if can_review and review_form is None:
        review_form = forms.ReviewForm(initial={"expected_version": report.version}, auto_id="review_%s")
    figures = report.figures or {}
    versions = list(report.versions.select_related("submitted_by").prefetch_related("attachments").order_by("-number"))
    reviews = list(report.reviews.select_related("decided_by", "version").order_by("-decided_at"))
    return {
        "report": report,
        "today": today,
        "overdue": report.is_overdue(today),
        "can_edit": can_edit,
        "can_review": can_review,
        "edit_form": edit_form,
        "section_rows": edit_form.section_rows(),
        "review_form": review_form if can_review else None,
        "figure_rows": figure_rows(figures),
        "target_rows": target_rows(figures),
        "plan": figures.get("plan"),
        "previous_report": figures.get("previous_report"),
        "document_rows": document_rows(figures),
        "figures_at": local_time(report.figures_at),
        "consolidation": consolidation_context(report),
        "versions": versions,
        "reviews": reviews,
        "last_return": next((r for r in reviews if r.decision == "returned"), None),
        "downloads": downloads(),
        "attachments": list(report.attachments.filter(removed_at__isnull=True)),
        "attachment_form": AttachmentForm(auto_id="attachment_%s") if can_edit else None,
        "narrative_text": [{"title": s["title"], "text": richtext.to_html((report.narrative or {}).get(s["key"]))}
                           for s in sections],
    }


class ReportViews(ObjectViews):
    """The reports of the user's units by type and period, with their deadlines: the list filters those overdue
    or coming due. A report's page is where it is written, submitted and reviewed."""

    model = Report
    filterset = filters.ReportFilterSet
    table = tables.ReportTable
    detail_view = ReportDetailView
    pages = ("list", "detail")
    select_related = ("unit", "unit__parent", "report_type")
    detail_fields = ("report_type", "unit", "period_label", "period_start", "period_end", "deadline", "status",
                     "submitted_at", "approved_at", "is_late")


def _detail_page(request, report, *, status, **context):
    """The report's page rendered in answer to a refused action, with what the user wrote kept."""
    view_class = type("ReportDetailPage", (ReportDetailView,), {
        "model": Report, "views": ReportViews, "select_related": ReportViews.select_related,
        "detail_fields": ReportViews.detail_fields})
    view = view_class()
    view.setup(request, pk=report.pk)
    view.object = report
    return view.render_to_response(view.get_context_data(object=report, **context), status=status)


def _report_for(user, pk):
    if not user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    return get_object_or_404(Report.objects.visible_to(user).select_related("unit", "unit__parent", "report_type"),
                             pk=pk)


def _conflict_message(current, *, saved: str) -> str:
    return _("%(who)s đã cập nhật báo cáo lúc %(when)s, sau khi bạn mở trang. %(saved)s Nội dung bạn soạn vẫn còn "
             "trong ô soạn thảo bên dưới; hãy xem lại rồi làm lại.") % {
        "who": current.updated_by or _("Người khác"), "when": local_time(current.updated_at), "saved": saved}


def _errors(exc: ValidationError) -> list[str]:
    return [message for messages_ in (exc.message_dict.values() if hasattr(exc, "error_dict") else [exc.messages])
            for message in messages_]


def _edit_action(request, pk, perform, done: str):
    """The text and header as posted, put on the report, then `perform(report, expected_version)` (which saves it
    with the version check). A stale version saves nothing: the page comes back (409) with the user's text in the
    editor and who changed the report when; the next save goes over the current version, as the user decides."""
    report = _report_for(request.user, pk)
    if not workflow.can_submit(request.user, report):
        if report.status not in workflow.SUBMITTABLE:
            messages.error(request, _("Báo cáo %(status)s: không sửa được nữa.") % {
                "status": report.get_status_display().lower()})
            return redirect(report)
        raise PermissionDenied
    form = forms.ReportEditForm(request.POST, instance=report, sections=report.report_type.section_list(),
                                auto_id="report_%s")
    if not form.is_valid():
        return _detail_page(request, report, status=400, edit_form=form)
    expected = form.cleaned_data["expected_version"]
    form.apply(report)
    try:
        perform(report, expected)
    except ConcurrentEditError as conflict:
        current = conflict.current
        messages.error(request, _conflict_message(current, saved=_("Thay đổi của bạn CHƯA được lưu.")))
        fresh = _report_for(request.user, pk)
        data = request.POST.copy()
        data["expected_version"] = current.version
        form = forms.ReportEditForm(data, instance=fresh, sections=fresh.report_type.section_list(),
                                    auto_id="report_%s")
        form.is_valid()
        return _detail_page(request, fresh, status=409, edit_form=form)
    except ValidationError as exc:
        for error in _errors(exc):
            messages.error(request, error)
        return _detail_page(request, _report_for(request.user, pk), status=400, edit_form=form)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, done)
    return redirect(report)


@require_POST
@login_required
def report_save(request, pk):
    def perform(report, expected):
        save_versioned(report, expected_version=expected, user=request.user)

    return _edit_action(request, pk, perform, _("Đã lưu báo cáo."))


@require_POST
@login_required
def report_refresh(request, pk):
    """Làm mới số liệu: the figures computed again from the records (until submission)."""
    def perform(report, expected):
        drafting.refresh(report, request.user, expected_version=expected)

    return _edit_action(request, pk, perform, _("Đã làm mới số liệu và lưu báo cáo."))


@require_POST
@login_required
def report_draft(request, pk):
    """Soạn tự động: the drafted sentences put into the sections still empty (never over what was written)."""
    filled = []

    def perform(report, expected):
        filled.extend(drafting.start_narrative(report))
        save_versioned(report, expected_version=expected, user=request.user)

    response = _edit_action(request, pk, perform, _("Đã lưu báo cáo."))
    if response.status_code == 302 and not filled:
        messages.info(request, _("Không có phần nào còn trống có câu soạn sẵn từ số liệu."))
    elif response.status_code == 302:
        messages.info(request, _("Đã soạn tự động %(count)s phần còn trống từ số liệu; hãy đọc lại và sửa.") % {
            "count": len(filled)})
    return response


@require_POST
@login_required
def report_submit(request, pk):
    """Nộp: the text as posted saved and frozen with the figures as a new version."""
    def perform(report, expected):
        workflow.submit(report, request.user, expected_version=expected)

    return _edit_action(request, pk, perform, _("Đã nộp báo cáo lên cấp trên."))


def _review_action(request, pk, decide):
    report = _report_for(request.user, pk)
    if not workflow.can_review(request.user, report):
        raise PermissionDenied
    form = forms.ReviewForm(request.POST, auto_id="review_%s")
    if not form.is_valid():
        return _detail_page(request, report, status=400, review_form=form)
    try:
        if form.cleaned_data["expected_version"] != report.version:
            # The reviewer decides on the report as they read it: resubmitted or decided since, they read it again.
            raise ConcurrentEditError(report)
        review = decide(report, form.cleaned_data["comment"])
    except ConcurrentEditError as conflict:
        messages.error(request, _conflict_message(conflict.current, saved=_("Ý kiến của bạn CHƯA được ghi.")))
        fresh = _report_for(request.user, pk)
        data = request.POST.copy()
        data["expected_version"] = fresh.version
        return _detail_page(request, fresh, status=409, review_form=forms.ReviewForm(data, auto_id="review_%s"))
    except ValidationError as exc:
        for field, errors in exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]:
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
        return _detail_page(request, _report_for(request.user, pk), status=400, review_form=form)
    return review


@require_POST
@login_required
def report_approve(request, pk):
    result = _review_action(request, pk, lambda report, comment: workflow.approve(report, request.user, comment))
    if not hasattr(result, "decision"):
        return result
    messages.success(request, _("Đã duyệt báo cáo."))
    return redirect(result.report)


@require_POST
@login_required
def report_return(request, pk):
    result = _review_action(request, pk,
                            lambda report, comment: workflow.return_report(report, request.user, comment))
    if not hasattr(result, "decision"):
        return result
    messages.success(request, _("Đã trả lại báo cáo cho đơn vị chỉnh sửa."))
    return redirect(result.report)


# -- attachments ----------------------------------------------------------------------------------------------------


class AttachmentForm(StyledForm):
    file = django_forms.FileField(
        label=gettext_lazy("Ảnh hoặc tệp PDF"),
        widget=django_forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf"}),
        help_text=gettext_lazy("Ảnh được lưu lại không kèm thông tin vị trí, thiết bị chụp. Không đính kèm ảnh nhận "
                               "diện được người bán dâm."),
    )
    description = django_forms.CharField(label=gettext_lazy("Mô tả"), required=False, max_length=255)

    def clean_file(self):
        try:
            self.stored, self.content_type = clean_upload(self.cleaned_data["file"],
                                                          max_bytes=settings.ATTACHMENT_MAX_BYTES)
        except UploadError as exc:
            raise django_forms.ValidationError(str(exc)) from exc
        return self.cleaned_data["file"]


def attachment_filename(report, attachment) -> str:
    """The name a download gets: the report's and the attachment's numbers, nothing about the unit or people."""
    return f"bao-cao-{report.pk}-tep-dinh-kem-{attachment.pk}"


def _attachment_action(request, pk, perform, done: str):
    report = _report_for(request.user, pk)
    try:
        perform(report)
    except ValidationError as exc:
        for error in _errors(exc):
            messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(f"{report.get_absolute_url()}#attachments")


@require_POST
@login_required
def report_attach(request, pk):
    """Đính kèm: a JPG, PNG or PDF with its description, checked by core.uploads (nothing is stored when refused)."""
    def perform(report):
        form = AttachmentForm(request.POST, request.FILES)
        attachments.check_editable(request.user, report)
        if not form.is_valid():
            raise ValidationError([f"{form.fields[field].label}: {error}" if field in form.fields else error
                                   for field, errors in form.errors.items() for error in errors])
        attachments.add(report, request.user, form.stored, form.content_type, form.cleaned_data["description"])

    return _attachment_action(request, pk, perform, _("Đã đính kèm tệp."))


@require_POST
@login_required
def report_attachment_delete(request, pk, attachment_pk):
    return _attachment_action(request, pk, lambda report: attachments.remove(report, request.user, attachment_pk),
                              _("Đã xóa tệp đính kèm."))


@login_required
def report_attachment(request, pk, attachment_pk):
    """An attachment, only to users who may see the report; never through a public URL, never cached."""
    report = _report_for(request.user, pk)
    attachment = get_object_or_404(report.attachments.all(), pk=attachment_pk)
    return private_file_response(attachment.file, attachment_filename(report, attachment))


# -- differences between versions ----------------------------------------------------------------------------------


def readable_diff(report, a, b) -> list[dict]:
    """workflow.versions_diff with the sections compared as text (the editor's HTML read as one paragraph or list
    item a line), and figures formatted."""
    import difflib

    old, new = report.versions.get(number=a), report.versions.get(number=b)
    measures = {row.get("code"): (row.get("name"), row.get("measure"))
                for version in (old, new) for row in (version.figures or {}).get("indicators", [])}
    changes = []
    for entry in workflow.versions_diff(report, old, new):
        if entry["kind"] == "attachments":
            changes.append(entry)
            continue
        if entry["kind"] == "figure":
            name, measure = measures.get(entry["code"], (entry["code"], None))
            changes.append({**entry, "name": name, "before_display": figure(entry["before"], measure),
                            "after_display": figure(entry["after"], measure)})
            continue
        if entry["key"] in workflow.HEADER_FIELDS:
            text_a, text_b = getattr(old, entry["key"]), getattr(new, entry["key"])
        else:
            text_a = richtext.to_text((old.narrative or {}).get(entry["key"]))
            text_b = richtext.to_text((new.narrative or {}).get(entry["key"]))
        lines = list(difflib.unified_diff(str(text_a or "").splitlines(), str(text_b or "").splitlines(),
                                          lineterm="", n=2))[2:]
        if not lines:
            continue
        changes.append({**entry, "diff": lines, "lines": [
            {"text": line, "kind": {"+": "added", "-": "removed", "@": "hunk"}.get(line[:1], "same")}
            for line in lines]})
    return changes


def version_numbers(report, request_data) -> tuple[int, int]:
    """The two versions to compare: `a` and `b` from the query, else the last two. Raises Http404 for versions the
    report does not have."""
    numbers = list(report.versions.order_by("number").values_list("number", flat=True))
    if len(numbers) < 2 and not (request_data.get("a") and request_data.get("b")):
        raise Http404
    try:
        a = int(request_data.get("a") or numbers[-2])
        b = int(request_data.get("b") or numbers[-1])
    except (TypeError, ValueError):
        raise Http404 from None
    if a not in numbers or b not in numbers:
        raise Http404
    return a, b


@login_required
def report_diff(request, pk):
    report = _report_for(request.user, pk)
    a, b = version_numbers(report, request.GET)
    versions = {v.number: v for v in report.versions.select_related("submitted_by").filter(number__in=(a, b))}
    return render(request, "reporting/report_diff.html", {
        "report": report, "a": versions[a], "b": versions[b], "changes": readable_diff(report, a, b),
        "numbers": list(report.versions.order_by("number").values_list("number", flat=True)),
    })


# -- downloads ------------------------------------------------------------------------------------------------------


@login_required
def report_document(request, pk, extension):
    """The report as its official document (DOCX, or PDF through LibreOffice), or its appendix tables (XLSX)."""
    from lanhmanh.core.documents import DocumentError, file_response

    report = _report_for(request.user, pk)
    if extension == "xlsx":
        from lanhmanh.reporting import appendix

        response = HttpResponse(appendix.appendix_xlsx(report), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{appendix.appendix_filename(report)}"'
        response["Cache-Control"] = "private, no-store"
        return response
    from lanhmanh.reporting import documents

    try:
        content, filename = documents.render(report, extension)
    except DocumentError as exc:
        messages.error(request, str(exc))
        return redirect(report)
    return file_response(content, filename, extension)


# -- completeness ---------------------------------------------------------------------------------------------------


def _default_unit(user):
    """The user's highest unit (the one whose children they follow)."""
    memberships = user.memberships.filter(is_active=True).select_related("unit").order_by("unit__level", "unit__path")
    first = memberships.first()
    return first.unit if first else None


def completeness_context(user, data) -> dict:
    """The dashboard's form, and when it is valid, the period, the parent unit, the rows and their summary. Raises
    Http404 for a unit outside the user's scope."""
    from lanhmanh.geo.models import AdminUnit

    form = forms.CompletenessForm(data or None, auto_id="completeness_%s")
    ctx = {"form": form}
    if not data or not form.is_valid():
        return ctx
    report_type = form.cleaned_data["type"]
    year, number = form.cleaned_data["year"], form.cleaned_data["number"]
    code = form.cleaned_data["unit"]
    if code:
        parent = AdminUnit.objects.current().filter(code=code).first()
        if parent is None or not _unit_visible(user, parent):
            raise Http404
    else:
        parent = _default_unit(user)
        if parent is None:
            return ctx
    if report_type.period_rule == PeriodRule.AD_HOC:
        # Ad-hoc reports have the periods the upper unit asked for: the year's requests, then the one chosen.
        requests = services.ad_hoc_requests(report_type, parent, year)
        ctx.update(report_type=report_type, parent=parent, requests=requests, year=year)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        chosen = next((r for r in requests if (r["start"], r["end"]) == (start, end)), None)
        if chosen is None:
            return ctx
        period = periods.Period(start, end, chosen["title"])
    else:
        period = dict(rules.periods_of(report_type.period_rule, report_type.cutoff, year)).get(number)
    if period is None:
        form.add_error("number", _("Loại báo cáo này không có kỳ số %(number)s trong năm %(year)s.") % {
            "number": number, "year": year})
        return ctx
    level = consolidation.child_level(report_type, parent)
    rows = consolidation.completeness(report_type, period.start, period.end, parent)
    summary = consolidation.completeness_summary(rows, level)
    for row in rows:
        row["submitted_display"] = local_time(row["submitted_at"])
        row["deadline_display"] = row["deadline"].strftime("%d/%m/%Y")
    ctx.update(report_type=report_type, period=period, parent=parent, rows=rows, summary=summary,
               period_display=f"{period.start:%d/%m/%Y} – {period.end:%d/%m/%Y}",
               overdue_count=sum(1 for row in rows if row["overdue"]),
               nothing_below=level is None)
    return ctx


def _unit_visible(user, unit) -> bool:
    from lanhmanh.core.scoping import can_use_unit

    return can_use_unit(user, Report, "view", unit)


@login_required
def completeness_view(request):
    if not request.user.has_perm(VIEW_PERMISSION):
        raise PermissionDenied
    ctx = completeness_context(request.user, request.GET)
    ctx["can_ask_ad_hoc"] = request.user.has_perm(ADD_PERMISSION) and services.ad_hoc_units(request.user).exists()
    return render(request, "reporting/completeness.html", ctx)


# -- ad-hoc reports -------------------------------------------------------------------------------------------------


@login_required
def report_adhoc(request):
    """Báo cáo đột xuất: a province (or the nation) asks its lower units for a report on a period of its choosing
    (services.open_ad_hoc). Only for users who may add reports at a province or the nation."""
    units = services.ad_hoc_units(request.user)
    if not request.user.has_perm(ADD_PERMISSION) or not units.exists():
        raise PermissionDenied
    form = forms.AdHocReportForm(request.POST if request.method == "POST" else None, units=units,
                                 auto_id="adhoc_%s")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            count = services.open_ad_hoc(data["report_type"], data["unit"], data["start"], data["end"],
                                         data["deadline"], data["title"], request.user)
        except ValidationError as exc:
            form.add_error(None, exc)  # its keys are the form's fields
        else:
            if count:
                messages.success(request, _("Đã mở %(count)s báo cáo đột xuất cho các đơn vị cấp dưới của "
                                            "%(unit)s.") % {"count": count, "unit": data["unit"].name})
            else:
                messages.info(request, _("Không mở thêm báo cáo nào: các đơn vị cấp dưới của %(unit)s đã có báo "
                                         "cáo này cho kỳ đó.") % {"unit": data["unit"].name})
            query = urlencode({"type": data["report_type"].code, "year": data["start"].year, "unit": data["unit"].code,
                               "start": data["start"].isoformat(), "end": data["end"].isoformat()})
            return redirect(f"{reverse('reporting:completeness')}?{query}")
    return render(request, "reporting/adhoc_form.html", {"form": form})


register_page("reporting", "reporting:completeness", gettext_lazy("Tình hình nộp báo cáo"), VIEW_PERMISSION)

