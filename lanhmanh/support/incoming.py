"""Forms, filters and tables of the receiving agency's pages and of the access review (views_incoming).

The receiving agency sees a referral by its number, never the client's code: a code would let it link referrals of
one person together, or to other records. Nothing here reads an identifying field of the client.
"""

import django_filters
import django_tables2 as tables
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, F, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Cast
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_filters.widgets import DateRangeWidget

from lanhmanh.accounts.models import User
from lanhmanh.core.filters import StyledFilterSet
from lanhmanh.core.forms import DateInput, StyledForm
from lanhmanh.core.models import AccessLog
from lanhmanh.support.models import (
    Consent,
    NeedsAssessment,
    Referral,
    ReferralStatus,
    ServiceDelivery,
    ServiceOutcome,
    ServiceType,
    SupportClient,
)

# The permission of the access review, held by support supervisors over their subtree.
REVIEW_PERMISSION = "support.review_access"
# Records of the support module whose reads are logged (core.services.log_access): the access review covers these.
LOGGED_MODELS = (SupportClient, Consent, NeedsAssessment, ServiceDelivery, Referral)

STATUS_BADGE = {
    ReferralStatus.SENT: "text-bg-primary",
    ReferralStatus.ACCEPTED: "text-bg-info",
    ReferralStatus.DECLINED: "text-bg-warning",
    ReferralStatus.COMPLETED: "text-bg-success",
    ReferralStatus.CANCELLED: "text-bg-secondary",
}


class MinorFlag:
    """What the minor badge (support/_minor_flag.html) needs of a client, and nothing else: the receiving agency's
    pages pass this rather than the client record, so no other field of the client can reach them."""

    def __init__(self, is_minor: bool):
        self.is_minor = bool(is_minor)


def minor_badge(is_minor: bool) -> str:
    return render_to_string("support/_minor_flag.html", {"client": MinorFlag(is_minor)})


def status_badge(referral) -> str:
    return format_html('<span class="badge {}">{}</span>', STATUS_BADGE.get(referral.status, "text-bg-secondary"),
                       referral.get_status_display())


def incoming_queryset(user):
    """The referrals `user`'s agency receives, with what their pages show; the client's minor flag is read as a
    column, so the client record itself is never loaded."""
    return (
        Referral.objects.incoming_for(user)
        .select_related("unit", "to_agency", "to_agency__unit", "responded_by")
        .annotate(client_is_minor=F("client__is_minor"))
    )


# Two dd/mm/yyyy boxes, as every date is typed in this system.
DATE_RANGE = DateRangeWidget(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


# -- the inbox -------------------------------------------------------------------------------------------


class IncomingReferralFilterSet(StyledFilterSet):
    status = django_filters.ChoiceFilter(choices=ReferralStatus.choices, label=_("Tình trạng"))
    sent_on = django_filters.DateFromToRangeFilter(label=_("Ngày gửi (từ – đến)"), widget=DATE_RANGE)

    class Meta:
        model = Referral
        fields = ["status", "sent_on"]


class IncomingReferralTable(tables.Table):
    number = tables.Column(verbose_name=_("Số"), accessor="pk", order_by=("pk",),
                           linkify=lambda record: reverse("support:incoming_detail", args=[record.pk]))
    sent_on = tables.DateColumn(verbose_name=_("Ngày gửi"), format="d/m/Y")
    unit = tables.Column(verbose_name=_("Đơn vị gửi"), order_by=("unit__name",))
    to_agency = tables.Column(verbose_name=_("Cơ quan nhận"), order_by=("to_agency__name",))
    is_child_protection = tables.Column(verbose_name=_("Bảo vệ trẻ em"), empty_values=())
    minor = tables.Column(verbose_name=_("Trẻ em"), accessor="client_is_minor", empty_values=(), orderable=False)
    status = tables.Column(verbose_name=_("Tình trạng"))
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False, exclude_from_export=True)

    class Meta:
        model = Referral
        fields = ("number", "sent_on", "unit", "to_agency", "is_child_protection", "minor", "status")

    def render_number(self, record):
        return f"#{record.pk}"

    def render_is_child_protection(self, value):
        if value:
            return format_html('<span class="badge text-bg-danger">{}</span>', _("Chuyển gửi bảo vệ trẻ em"))
        return "—"

    def value_is_child_protection(self, value):
        return _("Có") if value else ""

    def render_minor(self, record):
        return minor_badge(record.client_is_minor) or "—"

    def value_minor(self, record):
        return _("Trẻ em") if record.client_is_minor else ""

    def render_status(self, record):
        return status_badge(record)

    def value_status(self, record):
        return record.get_status_display()

    def render_actions(self, record):
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}">{}</a>',
                           reverse("support:incoming_detail", args=[record.pk]), _("Xem, trả lời"))


# -- the receiving agency's actions ------------------------------------------------------------------------


class RevealSharedForm(StyledForm):
    # The service asks for the reason (and says so in Vietnamese); the browser asks first.
    reason = forms.CharField(
        label=_("Lý do xem thông tin nhận dạng"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
        help_text=_("Ví dụ: liên hệ để hẹn lịch tư vấn pháp lý. Lần xem được ghi vào nhật ký truy cập."),
    )


class RespondForm(StyledForm):
    DECISIONS = (("accept", _("Tiếp nhận")), ("decline", _("Từ chối tiếp nhận")))

    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    note = forms.CharField(label=_("Ý kiến của cơ quan nhận"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, decision="accept", **kwargs):
        kwargs["initial"] = {**kwargs.get("initial", {}), "decision": decision}
        super().__init__(*args, **kwargs)
        if decision == "decline":
            self.fields["note"].label = _("Lý do từ chối")
            self.fields["note"].help_text = _("Bắt buộc: đơn vị gửi cần biết để tìm nơi hỗ trợ khác.")
        else:
            self.fields["note"].label = _("Ghi chú (không bắt buộc)")


class CompleteForm(StyledForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    completed_on = forms.DateField(label=_("Ngày hoàn thành"), required=False, widget=DateInput(),
                                   help_text=_("Để trống nếu là hôm nay."))
    feedback = forms.CharField(
        label=_("Phản hồi kết quả cho đơn vị gửi"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Không ghi họ tên hay thông tin nhận dạng người được hỗ trợ."),
    )
    service_type = forms.ModelChoiceField(
        label=_("Dịch vụ đã cung cấp"), queryset=ServiceType.objects.none(), required=False,
        empty_label=_("— Không ghi dịch vụ —"),
        help_text=_("Nếu chọn, dịch vụ được ghi vào hồ sơ của người được hỗ trợ ở đơn vị gửi."),
    )
    outcome = forms.ChoiceField(label=_("Kết quả dịch vụ"), choices=ServiceOutcome.choices,
                                initial=ServiceOutcome.RECEIVED, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the catalogue in use: a retired service is not offered for new records.
        self.fields["service_type"].queryset = ServiceType.objects.filter(is_active=True)
        self.fields["feedback"].error_messages["required"] = _("Hãy ghi kết quả hỗ trợ để phản hồi đơn vị gửi.")


# -- the access review -------------------------------------------------------------------------------------


def logged_content_types() -> dict:
    """{model: ContentType} of LOGGED_MODELS (cached by Django after the first request)."""
    return ContentType.objects.get_for_models(*LOGGED_MODELS, for_concrete_models=False)


def _id_of(field="object_id"):
    return Cast(OuterRef(field), IntegerField())


def access_review_queryset(paths):
    """Access-log rows of support records under `paths` (None = everywhere), each with the code of the client the
    record belongs to, resolved in the same query (`record_code`)."""
    types = logged_content_types()
    # Every logged support model has an integer key, so object_id casts safely for these rows.
    code_of = {
        SupportClient: SupportClient.objects.filter(pk=_id_of()).order_by().values("code")[:1],
        **{model: model.objects.filter(pk=_id_of()).order_by().values("client__code")[:1]
           for model in LOGGED_MODELS if model is not SupportClient},
    }
    return (
        AccessLog.objects.within(paths)
        .filter(content_type__in=types.values())
        .select_related("user", "unit", "content_type")
        .annotate(record_code=Case(
            *(When(content_type=types[model], then=Subquery(query)) for model, query in code_of.items()),
            default=None, output_field=CharField(),
        ))
        .order_by("-at", "-pk")
    )


def user_label(user) -> str:
    if user.full_name:
        return f"{user.full_name} ({user.username})"
    return user.username


class ReaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return user_label(obj)


class ReaderFilter(django_filters.ModelChoiceFilter):
    field_class = ReaderChoiceField


class AccessReviewFilterSet(StyledFilterSet):
    code = django_filters.CharFilter(method="filter_code", label=_("Mã số người được hỗ trợ"))
    user = ReaderFilter(queryset=User.objects.none(), label=_("Người truy cập"))
    at = django_filters.DateFromToRangeFilter(label=_("Thời điểm (từ – đến)"), widget=DATE_RANGE)

    class Meta:
        model = AccessLog
        fields = ["code", "user", "at"]

    def __init__(self, data=None, queryset=None, *, request=None, paths=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        self.paths = paths
        # Everyone who read a record in scope, wherever their own unit is (a provincial partner reads a commune's
        # referral), and nobody else.
        readers = self.queryset.order_by().values("user_id") if self.queryset is not None else []
        self.filters["user"].queryset = User.objects.filter(pk__in=readers).order_by("full_name", "username")

    def filter_code(self, queryset, name, value):
        """The rows about one client: its record and the records under it. The code is looked up only among the
        clients in the reviewer's scope."""
        value = (value or "").strip()
        if not value:
            return queryset
        client_ids = list(SupportClient.objects.within(self.paths).filter(code__iexact=value)
                          .values_list("pk", flat=True)[:1])
        if not client_ids:
            return queryset.none()
        types = logged_content_types()
        q = Q(content_type=types[SupportClient], object_id=str(client_ids[0]))
        for model in LOGGED_MODELS:
            if model is SupportClient:
                continue
            ids = model.objects.filter(client_id=client_ids[0]).annotate(
                key=Cast("pk", CharField())).values("key")
            q |= Q(content_type=types[model], object_id__in=ids)
        return queryset.filter(q)


class AccessReviewTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name=_("Thời điểm"), format="d/m/Y H:i")
    user = tables.Column(verbose_name=_("Người truy cập"), order_by=("user__full_name", "user__username"))
    record = tables.Column(verbose_name=_("Hồ sơ"), accessor="record_code", empty_values=(), orderable=False)
    unit = tables.Column(verbose_name=_("Đơn vị của hồ sơ"), order_by=("unit__name",))
    what = tables.Column(verbose_name=_("Dữ liệu được xem"))
    endpoint = tables.Column(verbose_name=_("Trang hoặc API"))
    reason = tables.Column(verbose_name=_("Lý do"))

    class Meta:
        model = AccessLog
        fields = ("at", "user", "record", "unit", "what", "endpoint", "reason")

    def value_at(self, value):
        return date_format(timezone.localtime(value), "d/m/Y H:i")

    def render_user(self, record):
        return user_label(record.user)

    def value_user(self, record):
        return user_label(record.user)

    def render_record(self, record):
        return record_label(record)

    def value_record(self, record):
        return record_label(record)


def record_label(log) -> str:
    """The client's code for a client record; "Chuyển gửi #12 · HT-…" for a record under a client."""
    model = log.content_type.model_class()
    code = log.record_code or _("hồ sơ đã xóa")
    if model is SupportClient:
        return code
    if model is Referral:
        name = _("Chuyển gửi")
    else:
        name = capfirst(model._meta.verbose_name) if model else _("Hồ sơ")
    return f"{name} #{log.object_id} · {code}"
