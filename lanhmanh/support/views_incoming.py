"""Pages of the receiving agency (incoming referrals) and the access review of the support module.

The receiving agency (a legal aid centre, an HIV clinic…) sees the referrals sent to it: the referral itself, what the
sender chose to share (identifying items only on a reasoned, logged request) and answers it. It never sees the
client record, the client's code or the client's other referrals: every page here starts from
`Referral.objects.incoming_for(user)` and shows a referral by its number.

The access review lets a supervisor see who read which support record, when and why, and export it for an audit.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from lanhmanh.core.context_processors import register_page
from lanhmanh.core.models import AccessLog
from lanhmanh.core.scoping import scope_paths
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.core.text import local_time
from lanhmanh.core.views import ObjectListView, ScopedObjectMixin
from lanhmanh.support import services
from lanhmanh.support.incoming import (
    REVIEW_PERMISSION,
    AccessReviewFilterSet,
    AccessReviewTable,
    CompleteForm,
    IncomingReferralFilterSet,
    IncomingReferralTable,
    MinorFlag,
    RespondForm,
    RevealSharedForm,
    access_review_queryset,
    incoming_queryset,
    status_badge,
)
from lanhmanh.support.models import IDENTIFYING_SHARED_ITEMS, ServiceOutcome, SharedItem

RECEIVE_PERMISSION = "support.receive_referral"

register_page("support", "support:incoming_list", gettext_lazy("Chuyển gửi đến cơ quan tôi"), RECEIVE_PERMISSION)
register_page("support", "support:access_review", gettext_lazy("Nhật ký truy cập hồ sơ hỗ trợ"), REVIEW_PERMISSION)


# -- the inbox -------------------------------------------------------------------------------------------


class IncomingListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    template_name = "support/incoming_list.html"
    results_template = "support/incoming_list.html#results"
    table_class = IncomingReferralTable
    filterset_class = IncomingReferralFilterSet
    paginate_by = 25

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(RECEIVE_PERMISSION):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        # The list shows no free text: leave the encrypted and free-text columns unread.
        return (incoming_queryset(self.request.user).defer("reason", "shared_data", "response_note", "feedback")
                .order_by("-sent_on", "-pk"))

    def get_template_names(self):
        # htmx refreshes only the table when a filter, sort or page link changes.
        if self.request.htmx and self.request.htmx.target == "results":
            return [self.results_template]
        return [self.template_name]


# -- one incoming referral -------------------------------------------------------------------------------


def _incoming_referral(user, pk):
    """A referral sent to the user's agency; any other is a 404, never a 403 that would confirm it exists."""
    if not user.has_perm(RECEIVE_PERMISSION):
        raise PermissionDenied
    return get_object_or_404(incoming_queryset(user), pk=pk)


def _detail_page(request, referral, *, status=200, **overrides):
    labels = dict(SharedItem.choices)
    initial = {"version": referral.version}
    context = {
        "referral": referral,
        # Only the minor flag of the client reaches the page, never the client record.
        "minor": MinorFlag(referral.client_is_minor),
        "status_badge": status_badge(referral),
        "statistics": services.shared_statistics(referral),
        "identity_labels": [str(labels[i]) for i in referral.shared_items if i in IDENTIFYING_SHARED_ITEMS],
        "reveal_form": RevealSharedForm(auto_id="reveal_%s"),
        "accept_form": RespondForm(initial=initial, decision="accept", auto_id="accept_%s"),
        "decline_form": RespondForm(initial=initial, decision="decline", auto_id="decline_%s"),
        "complete_form": CompleteForm(initial=initial, auto_id="complete_%s"),
        **overrides,
    }
    response = render(request, "support/incoming_detail.html", context, status=status)
    # The reason, the feedback and, once revealed, the shared identity must not stay in any cache.
    add_never_cache_headers(response)
    return response


# Service fields that a form names differently.
_FORM_FIELD = {"on": "completed_on", "delivered_on": "completed_on"}


def _add_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            field = _FORM_FIELD.get(field, field)
            form.add_error(field if field in form.fields and field != NON_FIELD_ERRORS else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@login_required
def incoming_detail(request, pk):
    return _detail_page(request, _incoming_referral(request.user, pk))


@require_POST
@login_required
def incoming_reveal(request, pk):
    """The identifying items the sender shared, shown once in answer to a reason: one access-log entry per showing.
    A POST, so the reason and the showing never go into a URL or a browser history."""
    referral = _incoming_referral(request.user, pk)
    form = RevealSharedForm(request.POST, auto_id="reveal_%s")
    if not referral.shares_identity:
        form.add_error(None, _("Chuyển gửi này không chia sẻ thông tin nhận dạng."))
    if not form.is_valid():
        return _detail_page(request, referral, status=400, reveal_form=form)
    try:
        rows = services.reveal_shared(referral, user=request.user, reason=form.cleaned_data["reason"],
                                      endpoint=request.resolver_match.view_name)
    except ValidationError as exc:
        _add_errors(form, exc)
        return _detail_page(request, referral, status=400, reveal_form=form)
    return _detail_page(request, referral, revealed=rows)


def _act(request, referral, form, form_name, func, success):
    """Answer a referral from its page. A refused rule shows the page again with the reason (400); a page opened
    before someone else answered shows the referral as it now is and changes nothing (409)."""
    if not form.is_valid():
        return _detail_page(request, referral, status=400, open_action=form_name, **{form_name: form})
    try:
        func(form.cleaned_data)
    except ConcurrentEditError as conflict:
        current = _incoming_referral(request.user, referral.pk)
        messages.error(request, _(
            "%(who)s đã cập nhật chuyển gửi này lúc %(when)s, sau khi bạn mở trang. Thao tác CHƯA được thực hiện; "
            "tình trạng hiện tại là “%(status)s”. Hãy xem lại rồi làm lại nếu cần.") % {
            "who": conflict.current.updated_by or _("Người khác"),
            "when": local_time(conflict.current.updated_at),
            "status": current.get_status_display(),
        })
        return _detail_page(request, current, status=409)
    except ValidationError as exc:
        _add_errors(form, exc)
        # The service may have changed the instance before refusing (nothing was saved): show the stored state.
        current = _incoming_referral(request.user, referral.pk)
        return _detail_page(request, current, status=400, open_action=form_name, **{form_name: form})
    messages.success(request, success)
    return redirect("support:incoming_detail", pk=referral.pk)


@require_POST
@login_required
def incoming_respond(request, pk):
    referral = _incoming_referral(request.user, pk)
    decision = "decline" if request.POST.get("decision") == "decline" else "accept"
    form = RespondForm(request.POST, decision=decision, auto_id=f"{decision}_%s")

    def respond(data):
        services.respond_referral(referral, user=request.user, accept=data["decision"] == "accept",
                                  note=data["note"], expected_version=data["version"])

    success = _("Đã tiếp nhận chuyển gửi.") if decision == "accept" else _("Đã ghi từ chối tiếp nhận chuyển gửi.")
    return _act(request, referral, form, f"{decision}_form", respond, success)


@require_POST
@login_required
def incoming_complete(request, pk):
    referral = _incoming_referral(request.user, pk)
    form = CompleteForm(request.POST, auto_id="complete_%s")

    def complete(data):
        services.complete_referral(referral, user=request.user, on=data["completed_on"], feedback=data["feedback"],
                                   service_type=data["service_type"],
                                   outcome=data["outcome"] or ServiceOutcome.RECEIVED,
                                   expected_version=data["version"])

    return _act(request, referral, form, "complete_form", complete, _("Đã ghi hoàn thành chuyển gửi."))


# -- the access review -----------------------------------------------------------------------------------


class AccessReviewView(ObjectListView):
    """Who read which support record in the reviewer's subtree; filtered by client code, reader and dates, exported
    as XLSX or CSV (core.views.ObjectListView)."""

    model = AccessLog
    template_name = "support/access_review.html"
    results_template = "support/access_review.html#results"
    filterset_class = AccessReviewFilterSet
    table_class = AccessReviewTable
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        # support.review_access, not core.view_accesslog (ScopedObjectMixin): a support supervisor reviews the
        # support records of their subtree, and nothing else of the access log.
        if request.user.is_authenticated and not request.user.has_perm(REVIEW_PERMISSION):
            raise PermissionDenied
        return super(ScopedObjectMixin, self).dispatch(request, *args, **kwargs)

    def review_paths(self):
        return scope_paths(self.request.user, REVIEW_PERMISSION)

    def get_queryset(self):
        return access_review_queryset(self.review_paths())

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "paths": self.review_paths()}

    def get_export_filename(self, export_format):
        return f"nhat-ky-truy-cap-ho-so-ho-tro-{timezone.localdate():%Y%m%d}.{export_format}"


urlpatterns = [
    path("incoming/", IncomingListView.as_view(), name="incoming_list"),
    path("incoming/<int:pk>/", incoming_detail, name="incoming_detail"),
    path("incoming/<int:pk>/reveal/", incoming_reveal, name="incoming_reveal"),
    path("incoming/<int:pk>/respond/", incoming_respond, name="incoming_respond"),
    path("incoming/<int:pk>/complete/", incoming_complete, name="incoming_complete"),
    path("access-review/", AccessReviewView.as_view(), name="access_review"),
]
