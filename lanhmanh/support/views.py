"""Support pages: the clients (by code), registration with consent, and the client's page where consent, needs,
services, referrals, the identity, the case status and the person's rights are handled.

Every write goes through lanhmanh.support.services. A refusal there comes back as the client's page with the form
and its message (400), a page opened before someone else's change as the page as it now is (409), and an action the
user may not take as 403; a record outside the user's scope is a 404. Identifying details are shown only in answer
to a POST with a reason (services.reveal_identity, logged), never through a URL."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from lanhmanh.core.context_processors import register_page
from lanhmanh.core.models import AccessLog
from lanhmanh.core.scoping import can_use_unit, permission_name, scope_paths
from lanhmanh.core.services import ConcurrentEditError, log_access
from lanhmanh.core.text import local_time
from lanhmanh.core.views import ObjectDetailView, ObjectListView, ObjectViews
from lanhmanh.support import filters, forms, services, tables
from lanhmanh.support.models import (
    IDENTITY_FIELDS,
    ClientStatus,
    Consent,
    ConsentGiver,
    ErasureKind,
    NeedsAssessment,
    Referral,
    ServiceDelivery,
    SupportClient,
    dmy,
)

ACCESS_HISTORY_LIMIT = 20
NO_STORE = "private, no-store"


def _perm(model, action: str) -> str:
    return permission_name(model, action)


def may_review_access(user, client) -> bool:
    paths = scope_paths(user, "support.review_access")
    return paths is None or any(client.unit.path.startswith(p) for p in paths)


def may_erase(user, client) -> bool:
    return user.has_perm("support.erase_supportclient") and can_use_unit(user, SupportClient, "erase", client.unit)


class SupportClientListView(ObjectListView):
    template_name = "support/supportclient_list.html"


class SupportClientDetailView(ObjectDetailView):
    template_name = "support/supportclient_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(client_context(self.request.user, self.object, kwargs))
        return ctx


def client_context(user, client, given: dict) -> dict:
    """Everything the client's page shows besides its fields, in a number of queries that does not grow with the
    number of consents, services or referrals. `given` holds forms being shown again with their errors."""
    identity_allowed = services.may_see_identity(user, client)
    can = {
        "add_consent": user.has_perm(_perm(Consent, "add")),
        "change_consent": user.has_perm(_perm(Consent, "change")),
        "add_assessment": user.has_perm(_perm(NeedsAssessment, "add")),
        "change_assessment": user.has_perm(_perm(NeedsAssessment, "change")),
        "add_service": user.has_perm(_perm(ServiceDelivery, "add")),
        "add_referral": user.has_perm(_perm(Referral, "add")),
        "change_referral": user.has_perm(_perm(Referral, "change")),
        "change_client": user.has_perm(_perm(SupportClient, "change")),
        "export": user.has_perm("support.export_supportclient") and identity_allowed,
        "erase": may_erase(user, client),
        "review_access": may_review_access(user, client),
    }
    withdraw_forms = given.get("withdraw_forms", {})
    consent_rows = []
    for consent in client.consents.prefetch_related("referral_agency_types"):
        form = None
        if can["change_consent"] and consent.withdrawn_on is None:
            form = withdraw_forms.get(consent.pk) or forms.WithdrawConsentForm(
                initial={"version": consent.version}, auto_id=f"withdraw{consent.pk}_%s")
        consent_rows.append((consent, form))
    cancel_forms = given.get("cancel_forms", {})
    referral_rows = []
    for referral in client.referrals.select_related("to_agency__unit", "to_agency__agency_type"):
        form = None
        if can["change_referral"] and referral.is_open:
            form = cancel_forms.get(referral.pk) or forms.CancelReferralForm(
                initial={"version": referral.version}, auto_id=f"cancel{referral.pk}_%s")
        referral_rows.append((referral, form))
    ctx = {
        "can": can,
        "identity_allowed": identity_allowed,
        "reveal_reasons": forms.RevealReason.choices,
        "needs_child_protection": services.needs_child_protection_referral(client),
        "consent_rows": consent_rows,
        "assessments": list(client.assessments.all()),
        "services": list(client.services.select_related("service_type", "provider_agency__unit")),
        "referral_rows": referral_rows,
        "erasures": list(client.erasures.select_related("performed_by")),
        "open_action": given.get("open_action", ""),
    }
    version = {"version": client.version}

    def form(name, factory, allowed=True):
        if allowed:
            ctx[name] = given[name] if given.get(name) is not None else factory()

    # A child's consent involves a parent, a guardian or the child-protection agency (Consent.clean).
    consent_initial = {"given_by": ConsentGiver.SELF_AND_GUARDIAN} if client.is_minor else None
    form("consent_form", lambda: forms.ConsentForm(initial=consent_initial, auto_id="consent_%s"),
         can["add_consent"])
    form("assessment_form", lambda: forms.AssessmentForm(auto_id="assessment_%s"), can["add_assessment"])
    form("service_form", lambda: forms.ServiceForm(user=user, auto_id="service_%s"), can["add_service"])
    form("referral_form", lambda: forms.ReferralForm(client=client, identity_allowed=identity_allowed,
                                                     auto_id="referral_%s"), can["add_referral"])
    form("close_form", lambda: forms.CloseCaseForm(initial=version, auto_id="close_%s"),
         can["change_client"] and client.status == ClientStatus.OPEN)
    form("reveal_form", lambda: forms.RevealForm(auto_id="reveal_%s"),
         identity_allowed and not client.is_anonymised)
    form("export_form", lambda: forms.ExportForm(auto_id="export_%s"), can["export"])
    form("erase_form", lambda: forms.ErasureForm(initial=version, auto_id="erase_%s"),
         can["erase"] and not client.is_anonymised)
    # The correction form exists only after a logged reveal (or when the user's own correction is shown again).
    if identity_allowed and given.get("identity_form") is not None:
        ctx["identity_form"] = given["identity_form"]
    ctx["identity"] = given.get("identity")
    if can["review_access"]:
        content_type = ContentType.objects.get_for_model(SupportClient)
        ctx["access_history"] = list(AccessLog.objects.filter(content_type=content_type, object_id=str(client.pk))
                                     .select_related("user").order_by("-at")[:ACCESS_HISTORY_LIMIT])
    return ctx


class SupportClientViews(ObjectViews):
    model = SupportClient
    filterset = filters.SupportClientFilterSet
    table = tables.SupportClientTable
    list_view = SupportClientListView
    detail_view = SupportClientDetailView
    # Registration and every change go through services, on pages of their own.
    pages = ("list", "detail")
    select_related = ("unit", "origin_province")
    detail_fields = ("code", "unit", "registered_on", "birth_year", "age_group", "gender", "origin_province",
                     "is_minor", "status", "closed_on", "close_reason")


# The page class used to show the client's page again in answer to a refused action.
SupportClientDetailPage = type("SupportClientDetailPage", (SupportClientDetailView,), {
    "model": SupportClient, "views": SupportClientViews, "select_related": SupportClientViews.select_related,
    "detail_fields": SupportClientViews.detail_fields,
})


def _detail_page(request, client, *, status, no_store=False, **context):
    view = SupportClientDetailPage()
    view.setup(request, pk=client.pk)
    view.object = client
    response = view.render_to_response(view.get_context_data(object=client, **context), status=status)
    if no_store:
        response["Cache-Control"] = NO_STORE
    return response


def _client_for(user, pk, perm: str, scope_action: str = "view"):
    """The client, if the user holds `perm` and the client lies in their scope for `scope_action` (else 404)."""
    if not user.has_perm(perm):
        raise PermissionDenied
    queryset = SupportClient.objects.visible_to(user, scope_action).select_related(*SupportClientViews.select_related)
    return get_object_or_404(queryset, pk=pk)


def _part_for(user, model, pk):
    """A consent, assessment or referral the user may change, with its client read through the same checks."""
    perm = _perm(model, "change")
    if not user.has_perm(perm):
        raise PermissionDenied
    part = get_object_or_404(model.objects.visible_to(user, "change"), pk=pk)
    part.client = _client_for(user, part.client_id, perm)
    return part, part.client


def _reload(client):
    return SupportClient.objects.select_related(*SupportClientViews.select_related).get(pk=client.pk)


def _conflict_message(conflict) -> str:
    current = conflict.current
    who = getattr(current, "updated_by", None) or _("Người khác")
    when = local_time(getattr(current, "updated_at", None))
    return _("%(who)s đã cập nhật hồ sơ này lúc %(when)s, sau khi bạn mở trang. Thao tác CHƯA được thực hiện; hãy "
             "xem lại tình trạng hiện tại rồi làm lại nếu cần.") % {"who": who, "when": when}


def _act(request, client, form, func, *, context, success=None):
    """Run `func(cleaned_data)` from a form of the client's page. It may return the success message."""
    if not form.is_valid():
        return _detail_page(request, client, status=400, **context)
    try:
        result = func(form.cleaned_data)
    except ConcurrentEditError as conflict:
        messages.error(request, _conflict_message(conflict))
        return _detail_page(request, _reload(client), status=409)
    except ValidationError as exc:
        forms.add_service_errors(form, exc)
        return _detail_page(request, _reload(client), status=400, **context)
    messages.success(request, result if isinstance(result, str) else success)
    return redirect(client)


# -- registration ------------------------------------------------------------------------------------------


@sensitive_post_parameters(*IDENTITY_FIELDS)
@login_required
def client_register(request):
    """Registration at the first contact: the statistical fields, the consent, the optional identity and, for a
    minor, the child-protection referral, in one step."""
    user = request.user
    if not user.has_perm(_perm(SupportClient, "add")):
        raise PermissionDenied
    form = forms.RegisterForm(request.POST or None, request.FILES or None, user=user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                client = services.register_client(
                    user=user, unit=data["unit"], fields=form.client_fields(), consent_fields=form.consent_fields(),
                    agency_types=form.agency_types(), identity=form.identity(), signed_form=data.get("signed_form"),
                    child_protection_agency=data.get("child_protection_agency"),
                    child_protection_reason=data.get("child_protection_reason", ""),
                )
            except ValidationError as exc:
                forms.add_service_errors(form, exc)
            else:
                # The code only: a message may be shown on a shared screen.
                messages.success(request, _("Đã tiếp nhận người được hỗ trợ, mã số %(code)s.") % {"code": client.code})
                return redirect(client)
    response = render(request, "support/supportclient_register.html", {
        "form": form, "opts": SupportClient._meta, "list_url": reverse("support:supportclient_list"),
    }, status=status)
    # The form may carry identifying details the user typed: never keep it in a cache.
    response["Cache-Control"] = NO_STORE
    return response


# -- identity ----------------------------------------------------------------------------------------------


@require_POST
@login_required
def client_reveal(request, pk):
    """Show the identifying details once, for the reason given; the showing is access-logged."""
    user = request.user
    client = _client_for(user, pk, _perm(SupportClient, "view"))
    if not services.may_see_identity(user, client) or client.is_anonymised:
        raise PermissionDenied
    form = forms.RevealForm(request.POST, auto_id="reveal_%s")
    if not form.is_valid():
        return _detail_page(request, client, status=400, reveal_form=form, open_action="reveal")
    try:
        identity = services.reveal_identity(client, user=user, reason=form.reason_text(),
                                            endpoint=request.resolver_match.view_name)
    except ValidationError as exc:
        forms.add_service_errors(form, exc)
        return _detail_page(request, client, status=400, reveal_form=form, open_action="reveal")
    rows = [(SupportClient._meta.get_field(name).verbose_name, identity[name]) for name in IDENTITY_FIELDS]
    correction = forms.IdentityForm(initial={**identity, "version": client.version}, auto_id="identity_%s")
    return _detail_page(request, client, status=200, no_store=True, identity=rows, identity_form=correction)


@require_POST
@sensitive_post_parameters(*IDENTITY_FIELDS)
@login_required
def client_identity(request, pk):
    """Correct the identifying details; afterwards the page is shown again without them."""
    user = request.user
    client = _client_for(user, pk, _perm(SupportClient, "change"), "change")
    if not services.may_see_identity(user, client):
        raise PermissionDenied
    form = forms.IdentityForm(request.POST, auto_id="identity_%s")
    context = {"identity_form": form, "no_store": True}
    if not form.is_valid():
        return _detail_page(request, client, status=400, **context)
    try:
        services.update_identity(client, user=user, identity=form.identity(),
                                 expected_version=form.cleaned_data["version"])
    except ConcurrentEditError as conflict:
        messages.error(request, _conflict_message(conflict))
        return _detail_page(request, _reload(client), status=409)
    except ValidationError as exc:
        forms.add_service_errors(form, exc)
        return _detail_page(request, _reload(client), status=400, **context)
    messages.success(request, _("Đã sửa thông tin nhận dạng của hồ sơ %(code)s.") % {"code": client.code})
    return redirect(client)


# -- statistical fields and case status --------------------------------------------------------------------


@login_required
def client_edit(request, pk):
    """Correct the statistical fields (services.update_client); the identity is corrected after a reveal."""
    user = request.user
    client = _client_for(user, pk, _perm(SupportClient, "change"), "change")
    status = 200
    if request.method == "POST":
        form = forms.ClientEditForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.update_client(client, user=user, fields=form.client_fields(),
                                       expected_version=form.cleaned_data["version"])
            except ConcurrentEditError as conflict:
                form.add_error(None, _conflict_message(conflict))
                form.data = form.data.copy()
                form.data["version"] = conflict.current.version
                status = 409
            except ValidationError as exc:
                forms.add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu hồ sơ %(code)s.") % {"code": client.code})
                return redirect(client)
        client = _reload(client)  # the failed attempt changed the instance in memory
    else:
        form = forms.ClientEditForm(initial=forms.ClientEditForm.initial_for(client))
    return render(request, "support/supportclient_form.html", {
        "form": form, "client": client, "opts": SupportClient._meta,
        "list_url": reverse("support:supportclient_list"),
    }, status=status)




@require_POST
@login_required
def client_close(request, pk):
    user = request.user
    client = _client_for(user, pk, _perm(SupportClient, "change"), "change")
    form = forms.CloseCaseForm(request.POST, auto_id="close_%s")
    return _act(request, client, form, lambda d: services.close_case(
        client, user=user, on=d["closed_on"], reason=d["close_reason"], expected_version=d["version"]),
        context={"close_form": form, "open_action": "close"}, success=_("Đã ghi kết thúc hỗ trợ."))


@require_POST
@login_required
def client_reopen(request, pk):
    user = request.user
    client = _client_for(user, pk, _perm(SupportClient, "change"), "change")
    form = forms.VersionForm(request.POST)
    return _act(request, client, form, lambda d: services.reopen_case(client, user=user,
                                                                      expected_version=d["version"]),
                context={}, success=_("Đã mở lại hồ sơ hỗ trợ."))


# -- consent -----------------------------------------------------------------------------------------------


@require_POST
@login_required
def consent_add(request, pk):
    user = request.user
    client = _client_for(user, pk, _perm(Consent, "add"))
    form = forms.ConsentForm(request.POST, request.FILES, auto_id="consent_%s")
    return _act(request, client, form, lambda d: services.record_consent(
        client, user=user, fields=form.consent_fields(), agency_types=form.agency_types(),
        signed_form=d.get("signed_form")),
        context={"consent_form": form, "open_action": "consent"}, success=_("Đã ghi nhận sự đồng ý."))


@require_POST
@login_required
def consent_withdraw(request, pk):
    user = request.user
    consent, client = _part_for(user, Consent, pk)
    form = forms.WithdrawConsentForm(request.POST, auto_id=f"withdraw{consent.pk}_%s")
    return _act(request, client, form, lambda d: services.withdraw_consent(
        consent, user=user, on=d["withdrawn_on"], note=d["withdrawal_note"], expected_version=d["version"]),
        context={"withdraw_forms": {consent.pk: form}, "open_action": f"withdraw{consent.pk}"},
        success=_("Đã ghi việc rút lại sự đồng ý."))


@require_POST
@login_required
def consent_signed_form(request, pk):
    """The scan of a signed consent form: only for those who may see the identity (it carries a name and a
    signature), asked for with a reason, logged, never cached."""
    user = request.user
    if not user.has_perm(_perm(Consent, "view")):
        raise PermissionDenied
    consent = get_object_or_404(Consent.objects.visible_to(user).select_related("client__unit"), pk=pk)
    if not services.may_see_identity(user, consent.client):
        raise PermissionDenied
    if not consent.signed_form:
        raise Http404
    form = forms.RevealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Hãy chọn lý do xem phiếu đồng ý đã ký."))
        return redirect(consent.client)
    data, content_type = services.read_signed_form(consent)
    log_access(user=user, obj=consent.client, what=_("Phiếu đồng ý đã ký (ngày %(date)s)") % {
        "date": dmy(consent.given_on)}, endpoint=request.resolver_match.view_name, reason=form.reason_text())
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(content_type, "bin")
    response = HttpResponse(data, content_type=content_type or "application/octet-stream")
    response["Content-Disposition"] = (f'attachment; filename="phieu-dong-y-{consent.client.code}-{consent.pk}.'
                                       f'{extension}"')
    response["Cache-Control"] = NO_STORE
    return response


# -- needs and services ------------------------------------------------------------------------------------


@require_POST
@login_required
def assessment_add(request, pk):
    user = request.user
    client = _client_for(user, pk, _perm(NeedsAssessment, "add"))
    form = forms.AssessmentForm(request.POST, auto_id="assessment_%s")
    return _act(request, client, form, lambda d: services.assess_needs(
        client, user=user, assessed_on=d["assessed_on"], needs=d["needs"], note=d["note"]),
        context={"assessment_form": form, "open_action": "assessment"}, success=_("Đã ghi đánh giá nhu cầu."))


@login_required
def assessment_edit(request, pk):
    user = request.user
    assessment, client = _part_for(user, NeedsAssessment, pk)
    status = 200
    if request.method == "POST":
        form = forms.AssessmentEditForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.update_assessment(assessment, user=user, assessed_on=data["assessed_on"],
                                           needs=data["needs"], note=data["note"],
                                           expected_version=data["version"])
            except ConcurrentEditError as conflict:
                form.add_error(None, _conflict_message(conflict))
                form.data = form.data.copy()
                form.data["version"] = conflict.current.version
                status = 409
            except ValidationError as exc:
                forms.add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã lưu đánh giá nhu cầu."))
                return redirect(f"{client.get_absolute_url()}#assessments")
    else:
        form = forms.AssessmentEditForm(initial={"assessed_on": assessment.assessed_on, "needs": assessment.needs,
                                                 "note": assessment.note, "version": assessment.version})
    return render(request, "support/needsassessment_form.html", {
        "form": form, "client": client, "assessment": assessment, "opts": SupportClient._meta,
        "list_url": reverse("support:supportclient_list"),
    }, status=status)


@require_POST
@login_required
def service_add(request, pk):
    user = request.user
    client = _client_for(user, pk, _perm(ServiceDelivery, "add"))
    form = forms.ServiceForm(request.POST, user=user, auto_id="service_%s")
    return _act(request, client, form, lambda d: services.deliver_service(client, user=user,
                                                                          fields=form.service_fields()),
                context={"service_form": form, "open_action": "service"}, success=_("Đã ghi dịch vụ đã cung cấp."))


# -- referrals ---------------------------------------------------------------------------------------------


@require_POST
@login_required
def referral_send(request, pk):
    user = request.user
    client = _client_for(user, pk, _perm(Referral, "add"))
    form = forms.ReferralForm(request.POST, client=client, identity_allowed=services.may_see_identity(user, client),
                              auto_id="referral_%s")
    return _act(request, client, form, lambda d: services.send_referral(
        client, user=user, to_agency=d["to_agency"], reason=d["reason"], shared_items=d["shared_items"],
        sent_on=d["sent_on"], child_protection=d.get("child_protection", False)),
        context={"referral_form": form, "open_action": "referral"}, success=_("Đã gửi chuyển gửi."))


@require_POST
@login_required
def referral_cancel(request, pk):
    user = request.user
    referral, client = _part_for(user, Referral, pk)
    form = forms.CancelReferralForm(request.POST, auto_id=f"cancel{referral.pk}_%s")
    return _act(request, client, form, lambda d: services.cancel_referral(
        referral, user=user, note=d["note"], expected_version=d["version"]),
        context={"cancel_forms": {referral.pk: form}, "open_action": f"cancel{referral.pk}"},
        success=_("Đã hủy chuyển gửi."))


# -- rights of the person ----------------------------------------------------------------------------------

EXPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json; charset=utf-8",
}


@require_POST
@login_required
def client_export(request, pk):
    """Everything held about the person, as a readable document or machine-readable JSON (their right of access
    and portability). rights.py checks the role and writes the access-log entry."""
    user = request.user
    client = _client_for(user, pk, "support.export_supportclient")
    if not services.may_see_identity(user, client):
        raise PermissionDenied
    form = forms.ExportForm(request.POST, auto_id="export_%s")
    extension = request.POST.get("format")
    if extension not in EXPORT_TYPES:
        form.add_error(None, _("Hãy chọn định dạng xuất."))
    if not form.is_valid():
        return _detail_page(request, client, status=400, export_form=form, open_action="export")
    from lanhmanh.support import rights

    export = rights.export_docx if extension == "docx" else rights.export_json
    try:
        content = export(client, user=user, reason=form.cleaned_data["reason"],
                         endpoint=request.resolver_match.view_name)
    except ValidationError as exc:
        forms.add_service_errors(form, exc)
        return _detail_page(request, client, status=400, export_form=form, open_action="export")
    pattern = getattr(rights, "EXPORT_FILENAME", "ho-so-{code}.{ext}")
    response = HttpResponse(content, content_type=EXPORT_TYPES[extension])
    response["Content-Disposition"] = f'attachment; filename="{pattern.format(code=client.code, ext=extension)}"'
    response["Cache-Control"] = NO_STORE
    return response


@require_POST
@login_required
def client_erase(request, pk):
    """Erasure on a lawful request: the identity only, or the whole record made anonymous. The counts stay."""
    user = request.user
    client = _client_for(user, pk, "support.erase_supportclient", "erase")
    form = forms.ErasureForm(request.POST, auto_id="erase_%s")

    def erase(data):
        services.erase_client(client, user=user, kind=data["kind"], request_reference=data["request_reference"],
                              expected_version=data["version"])
        if data["kind"] == ErasureKind.REQUEST_ANONYMISE:
            return _("Đã xóa thông tin nhận dạng và ẩn danh hóa hồ sơ; mã số mới là %(code)s.") % {"code": client.code}
        return _("Đã xóa thông tin nhận dạng của hồ sơ %(code)s.") % {"code": client.code}

    return _act(request, client, form, erase, context={"erase_form": form, "open_action": "erase"})


urlpatterns = [
    *SupportClientViews.urls(),
    path("supportclient/register/", client_register, name="supportclient_register"),
    path("supportclient/<int:pk>/reveal/", client_reveal, name="supportclient_reveal"),
    path("supportclient/<int:pk>/identity/", client_identity, name="supportclient_identity"),
    path("supportclient/<int:pk>/edit/", client_edit, name="supportclient_edit"),
    path("supportclient/<int:pk>/close/", client_close, name="supportclient_close"),
    path("supportclient/<int:pk>/reopen/", client_reopen, name="supportclient_reopen"),
    path("supportclient/<int:pk>/export/", client_export, name="supportclient_export"),
    path("supportclient/<int:pk>/erase/", client_erase, name="supportclient_erase"),
    path("supportclient/<int:pk>/consent/", consent_add, name="consent_add"),
    path("consent/<int:pk>/withdraw/", consent_withdraw, name="consent_withdraw"),
    path("consent/<int:pk>/signed-form/", consent_signed_form, name="consent_signed_form"),
    path("supportclient/<int:pk>/assessment/", assessment_add, name="needsassessment_add"),
    path("needsassessment/<int:pk>/edit/", assessment_edit, name="needsassessment_edit"),
    path("supportclient/<int:pk>/service/", service_add, name="servicedelivery_add"),
    path("supportclient/<int:pk>/referral/", referral_send, name="referral_send"),
    path("referral/<int:pk>/cancel/", referral_cancel, name="referral_cancel"),
]

register_page("support", "support:supportclient_register", gettext_lazy("Tiếp nhận người được hỗ trợ"),
              "support.add_supportclient")
