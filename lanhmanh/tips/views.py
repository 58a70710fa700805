from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lanhmanh.businesses.views import business_panel
from lanhmanh.core.scoping import permission_name
from lanhmanh.core.services import ConcurrentEditError, log_access
from lanhmanh.core.views import ObjectCreateView, ObjectDetailView, ObjectListView, ObjectViews, private_file_response
from lanhmanh.inspections.models import InspectionVisit
from lanhmanh.tips import filters, forms, imports, services, tables
from lanhmanh.tips.filters import DUE_SOON_DAYS
from lanhmanh.tips.models import Tip, TipAttachment

# Functions (request, tip) -> dict | None: a panel another module adds to a tip's page (the cases it led to),
# as {"template": ..., **context}; None shows nothing.
TIP_PANELS = []


def tip_panel(func):
    TIP_PANELS.append(func)
    return func


class TipListView(ObjectListView):
    template_name = "tips/tip_list.html"

    def get_queryset(self):
        # The queue: open tips first, the nearest deadline on top; then the concluded ones, newest first.
        return _queue_order(super().get_queryset())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        base = reverse("tips:tip_list")
        ctx["queue_links"] = [
            (_("Tin báo được giao cho tôi"), f"{base}?mine=true&state=open"),
            (_("Quá hạn"), f"{base}?state=overdue"),
            (_("Sắp đến hạn"), f"{base}?state=due_soon"),
            (_("Đang xử lý"), f"{base}?state=open"),
        ]
        return ctx


def _queue_order(queryset):
    from django.db.models import Case, IntegerField, Value, When

    return queryset.annotate(concluded=Case(When(status__in=Tip.OPEN_STATUSES, then=Value(0)), default=Value(1),
                                            output_field=IntegerField())).order_by("concluded", "deadline",
                                                                                   "-received_at")


class TipCreateView(ObjectCreateView):
    def get_initial(self):
        # Never take the reporter's details from a query string: it would put them in a URL.
        initial = super().get_initial()
        for name in forms.REPORTER_FIELDS:
            initial.pop(name, None)
        return initial


class TipDetailView(ObjectDetailView):
    template_name = "tips/tip_detail.html"

    def sensitive_rows(self):
        # Shown only when asked for: the officer clicks "show the reporter", and that read is logged.
        if self.request.GET.get("reveal") != "reporter":
            return []
        return super().sensitive_rows()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        tip, user = self.object, self.request.user
        can_change = user.has_perm(permission_name(Tip, "change"))
        ctx["today"] = timezone.localdate()
        ctx["can_see_reporter"] = forms.may_see_reporter(user, tip) and not tip.reporter_anonymous
        ctx["revealed"] = bool(ctx["sensitive_rows"])
        ctx["can_act"] = can_change
        ctx["extensions"] = tip.extensions.select_related("recorded_by")
        ctx["transfers"] = tip.transfers.select_related("from_unit", "to_unit", "to_agency", "recorded_by")
        ctx["attachments"] = tip.attachments.all()
        ctx["duplicates"] = tip.duplicates.visible_to(user)
        ctx["due_soon_days"] = DUE_SOON_DAYS
        ctx["panels"] = [panel for func in TIP_PANELS if (panel := func(self.request, tip))]
        if can_change:
            ctx.update(action_forms(tip, user))
        return ctx


def action_forms(tip, user):
    initial = {"version": tip.version}
    visits = InspectionVisit.objects.visible_to(user).filter(business__unit__path__startswith=tip.unit.path,
                                                             visited_on__gte=tip.received_on)
    if tip.business_id:
        visits = visits.filter(business=tip.business)
    candidates = Tip.objects.visible_to(user, "change").filter(duplicate_of__isnull=True).exclude(pk=tip.pk) \
        .filter(unit__path__startswith=tip.unit.path[: tip.unit.path.rstrip("/").rfind("/") + 1])
    return {
        # Several forms on one page: distinct element ids, the same field names as their views read.
        "conclude_form": forms.ConcludeForm(initial=initial, visits=visits.select_related("business"),
                                            auto_id="conclude_%s"),
        "extend_form": forms.ExtendForm(initial=initial, auto_id="extend_%s"),
        "transfer_form": forms.TransferForm(initial=initial, tip=tip, auto_id="transfer_%s"),
        "merge_form": forms.MergeForm(initial=initial, candidates=candidates[:200], auto_id="merge_%s"),
        "reopen_form": forms.ReopenForm(initial=initial, auto_id="reopen_%s"),
        "attachment_form": forms.AttachmentForm(auto_id="attach_%s"),
    }


class TipViews(ObjectViews):
    model = Tip
    filterset = filters.TipFilterSet
    table = tables.TipTable
    form = forms.TipForm
    importer = imports.TipImporter
    list_view = TipListView
    create_view = TipCreateView
    detail_view = TipDetailView
    log_reads = True
    pages = ("list", "detail", "add", "edit")
    select_related = ("unit", "subject", "business", "residential_group", "assigned_agency", "assigned_officer",
                      "deadline_rule", "duplicate_of", "resulting_visit")
    detail_fields = (
        "unit", "channel", "received_at", "kind", "subject", "residential_group", "address", "business",
        "business_name_given", "content", "reporter_anonymous", "assigned_agency", "assigned_officer", "status",
        "outcome", "outcome_note", "concluded_on", "resulting_visit", "deadline_from", "deadline", "deadline_rule",
        "duplicate_of", "note",
    )
    sensitive_fields = ("reporter_name", "reporter_contact")
    sensitive_permission = "tips.see_reporter_tip"


# -- handling actions ---------------------------------------------------------------------------------


def _tip_for(user, pk):
    if not user.has_perm(permission_name(Tip, "change")):
        raise PermissionDenied
    return get_object_or_404(Tip.objects.visible_to(user, "change").select_related("unit", "deadline_rule"), pk=pk)


def _run(request, tip, form, func, success):
    """Apply a handling step from a posted form; a refused rule or a stale page is explained, nothing is lost."""
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(tip)
    try:
        func(form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except ConcurrentEditError:
        messages.error(request, _("Tin báo đã được người khác cập nhật sau khi bạn mở trang. Thao tác CHƯA được "
                                  "thực hiện; hãy xem lại rồi làm lại."))
    else:
        messages.success(request, success)
    return redirect(tip)


@require_POST
@login_required
def tip_verify(request, pk):
    tip = _tip_for(request.user, pk)
    form = forms.ReopenForm(request.POST)
    form.fields["reason"].required = False
    return _run(request, tip, form, lambda d: services.start_verifying(
        tip, user=request.user, expected_version=d["version"]), _("Đã chuyển sang xác minh."))


@require_POST
@login_required
def tip_conclude(request, pk):
    tip = _tip_for(request.user, pk)
    form = forms.ConcludeForm(request.POST, visits=InspectionVisit.objects.visible_to(request.user))
    return _run(request, tip, form, lambda d: services.conclude(
        tip, status=d["status"], outcome=Tip.Outcome.CONFIRMED if d["status"] == Tip.Status.HANDLED else "",
        note=d["note"], on=d["concluded_on"], visit=d["resulting_visit"], user=request.user,
        expected_version=d["version"]), _("Đã ghi kết quả xử lý tin báo."))


@require_POST
@login_required
def tip_extend(request, pk):
    tip = _tip_for(request.user, pk)
    return _run(request, tip, forms.ExtendForm(request.POST), lambda d: services.extend(
        tip, days=d["days"], reason=d["reason"], decided_by=d["decided_by"], user=request.user,
        expected_version=d["version"]), _("Đã gia hạn giải quyết tin báo."))


@require_POST
@login_required
def tip_transfer(request, pk):
    tip = _tip_for(request.user, pk)
    return _run(request, tip, forms.TransferForm(request.POST, tip=tip), lambda d: services.transfer(
        tip, to_unit=d["to_unit"], to_agency=d["to_agency"], to_other=d["to_other"], reason=d["reason"],
        on=d["transferred_on"], user=request.user, expected_version=d["version"]), _("Đã chuyển tin báo."))


@require_POST
@login_required
def tip_merge(request, pk):
    tip = _tip_for(request.user, pk)
    form = forms.MergeForm(request.POST, candidates=Tip.objects.visible_to(request.user, "change"))
    return _run(request, tip, form, lambda d: services.merge_duplicate(
        tip, into=d["into"], user=request.user, expected_version=d["version"]), _("Đã gộp tin báo trùng."))


@require_POST
@login_required
def tip_reopen(request, pk):
    tip = _tip_for(request.user, pk)
    return _run(request, tip, forms.ReopenForm(request.POST), lambda d: services.reopen(
        tip, reason=d["reason"], user=request.user, expected_version=d["version"]), _("Đã mở lại tin báo."))


@require_POST
@login_required
def tip_attach(request, pk):
    tip = _tip_for(request.user, pk)
    form = forms.AttachmentForm(request.POST, request.FILES)

    def attach(data):
        TipAttachment.objects.create(tip=tip, file=form.stored, content_type=form.content_type,
                                     size=form.stored.size, description=data["description"],
                                     uploaded_by=request.user)

    return _run(request, tip, form, attach, _("Đã đính kèm tệp."))


@login_required
def tip_attachment(request, pk, attachment_pk):
    """An attachment, only to users who may see the tip; never through a public URL."""
    if not request.user.has_perm(permission_name(Tip, "view")):
        raise PermissionDenied
    tip = get_object_or_404(Tip.objects.visible_to(request.user), pk=pk)
    attachment = get_object_or_404(tip.attachments, pk=attachment_pk)
    log_access(user=request.user, obj=tip, what=str(TipAttachment._meta.verbose_name),
               endpoint=request.resolver_match.view_name)
    return private_file_response(attachment.file, f"tin-bao-{tip.pk}-{attachment.pk}")


@business_panel
def tips_panel(request, business):
    """Tips about a business, on the business's page, for the roles that handle tips."""
    user = request.user
    if not user.has_perm(permission_name(Tip, "view")):
        return None
    tips = list(Tip.objects.visible_to(user).filter(business=business).select_related("subject")[:10])
    if not tips:
        return None
    return {"template": "tips/_business_panel.html", "tips": tips, "today": timezone.localdate(),
            "list_url": f"{reverse('tips:tip_list')}?business={business.pk}"}

