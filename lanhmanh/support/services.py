"""The only write paths of the support module, and its figures. Forms, pages, the API and the scheduled purge call
these; each checks consent, scope and version itself, so no caller can skip a rule.

Figures ("in need" and "reached", for the plan target "90% of people who sell sex and are in need can access
support services"), per unit subtree and period [start, end]:
- in need: clients whose case was open at some time in the period and who had an open need in it, that is an
  assessment with at least one need dated in the period, or, as their latest assessment before the period, one with
  at least one need;
- reached: of those, the clients who received (or are receiving) at least one service dated in the period.
Erasure keeps every row these count, so the figures do not change when a person's data is erased.
"""

import datetime
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext as _

from lanhmanh.core.fields import fernet
from lanhmanh.core.scoping import can_use_unit, permission_name
from lanhmanh.core.services import ConcurrentEditError, log_access, record_create, save_versioned
from lanhmanh.support.models import (
    CHILD_PROTECTION_TYPES,
    FREE_TEXT_FIELDS,
    IDENTIFYING_SHARED_ITEMS,
    IDENTITY_FIELDS,
    REACHED_OUTCOMES,
    ClientStatus,
    Consent,
    ErasureKind,
    ErasureRecord,
    NeedsAssessment,
    Purpose,
    Referral,
    ReferralStatus,
    ServiceDelivery,
    ServiceOutcome,
    SharedItem,
    SupportClient,
    dmy,
    new_client_code,
)

__all__ = ["ConcurrentEditError"]

PURPOSE_FIELD = {Purpose.SERVICES: "for_services", Purpose.REFERRAL: "for_referral", Purpose.PHONE: "for_phone_contact"}


def parse_dmy(text: str) -> datetime.date | None:
    try:
        return datetime.datetime.strptime((text or "").strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _today():
    return timezone.localdate()


def _check_version(instance, expected_version):
    if expected_version is not None and expected_version != instance.version:
        raise ConcurrentEditError(type(instance)._base_manager.get(pk=instance.pk))


def _require_scope(user, model, action, unit):
    if not user.has_perm(permission_name(model, action)) or not can_use_unit(user, model, action, unit):
        raise PermissionDenied(_("Bạn không có quyền ghi dữ liệu cho đơn vị này."))


# -- consent ----------------------------------------------------------------------------------------------


def valid_consent(client, purpose: str, *, on: datetime.date | None = None, agency_type=None) -> Consent | None:
    """The newest consent of `client` valid on `on` for `purpose` (and, for a referral, for that kind of agency)."""
    on = on or _today()
    consents = client.consents.valid_on(on).filter(**{PURPOSE_FIELD[purpose]: True})
    if purpose == Purpose.REFERRAL and agency_type is not None:
        consents = consents.filter(referral_agency_types=agency_type)
    return consents.order_by("-given_on", "-pk").first()


def require_consent(client, purpose: str, *, on: datetime.date | None = None, agency_type=None) -> Consent:
    consent = valid_consent(client, purpose, on=on, agency_type=agency_type)
    if consent is not None:
        return consent
    day = dmy(on or _today())
    if purpose == Purpose.SERVICES:
        message = _("Người được hỗ trợ chưa đồng ý (hoặc đã rút lại sự đồng ý) nhận dịch vụ hỗ trợ vào ngày %(date)s. "
                    "Hãy ghi nhận sự đồng ý trước.") % {"date": day}
    elif purpose == Purpose.REFERRAL and agency_type is not None:
        message = _("Người được hỗ trợ chưa đồng ý được chuyển gửi đến %(kind)s vào ngày %(date)s. Không thể chuyển "
                    "gửi khi chưa có sự đồng ý.") % {"kind": agency_type, "date": day}
    elif purpose == Purpose.REFERRAL:
        message = _("Người được hỗ trợ chưa đồng ý được chuyển gửi vào ngày %(date)s.") % {"date": day}
    else:
        message = _("Người được hỗ trợ chưa đồng ý được liên hệ qua điện thoại: không lưu số điện thoại.")
    raise ValidationError(message)


def store_signed_form(consent: Consent, upload):
    """Check the scan (photo or PDF, metadata stripped) and keep it encrypted."""
    from lanhmanh.core.uploads import UploadError, clean_upload

    try:
        cleaned, content_type = clean_upload(upload)
    except UploadError as exc:
        raise ValidationError({"signed_form": str(exc)}) from exc
    token = fernet().encrypt(cleaned.read())
    consent.signed_form.save("form.bin", ContentFile(token), save=False)
    consent.signed_form_type = content_type


def read_signed_form(consent: Consent) -> tuple[bytes, str]:
    with consent.signed_form.open("rb") as fh:
        return fernet().decrypt(fh.read()), consent.signed_form_type


def _apply(instance, fields: dict):
    for name, value in fields.items():
        setattr(instance, name, value)


@transaction.atomic
def record_consent(client, *, user, fields: dict, agency_types=(), signed_form=None) -> Consent:
    _require_scope(user, Consent, "add", client.unit)
    consent = Consent(client=client, unit=client.unit)
    _apply(consent, fields)
    consent.full_clean(exclude=["signed_form"])
    if signed_form is not None:
        store_signed_form(consent, signed_form)
    record_create(consent, user=user)
    consent.referral_agency_types.set(agency_types)
    return consent


@transaction.atomic
def withdraw_consent(consent: Consent, *, user, on: datetime.date, note: str = "", expected_version=None) -> Consent:
    """Withdrawal from `on`. A phone number no remaining consent allows is deleted at once."""
    _require_scope(user, Consent, "change", consent.unit)
    if consent.withdrawn_on is not None:
        raise ValidationError(_("Sự đồng ý này đã được rút lại từ ngày %(date)s.") % {
            "date": dmy(consent.withdrawn_on)})
    consent.withdrawn_on = on
    consent.withdrawal_note = note
    consent.full_clean(exclude=["signed_form"])
    save_versioned(consent, expected_version=consent.version if expected_version is None else expected_version,
                   user=user)
    client = consent.client
    if client.phone and valid_consent(client, Purpose.PHONE, on=max(on, _today())) is None:
        client.phone = ""
        save_versioned(client, expected_version=client.version, user=user)
        _scrub_history(SupportClient, [client.pk], {"phone": ""})
    return consent


# -- clients ----------------------------------------------------------------------------------------------


def _check_identity_consent(client, identity: dict, on):
    if identity.get("phone") and valid_consent(client, Purpose.PHONE, on=on) is None:
        raise ValidationError({"phone": _("Người được hỗ trợ chưa đồng ý được liên hệ qua điện thoại: không lưu số "
                                          "điện thoại.")})


@transaction.atomic
def register_client(*, user, unit, fields: dict, consent_fields: dict, agency_types=(), identity: dict | None = None,
                    signed_form=None, child_protection_agency=None, child_protection_reason: str = "") -> SupportClient:
    """A new client, with the consent given at the first contact, in one step: nothing is kept without consent.

    A minor goes straight into the child-protection path: the referral to the chosen child-protection agency is
    sent with the registration (Luật Trẻ em 2016; no consent to referral is needed for it)."""
    _require_scope(user, SupportClient, "add", unit)
    identity = {k: (v or "").strip() for k, v in (identity or {}).items() if k in IDENTITY_FIELDS}
    client = SupportClient(unit=unit)
    _apply(client, fields)
    _apply(client, identity)
    client.full_clean(exclude=["code"])
    client.code = _unique_code(unit)
    record_create(client, user=user)
    given_on = consent_fields.get("given_on") or client.registered_on
    record_consent(client, user=user, fields={**consent_fields, "given_on": given_on}, agency_types=agency_types,
                   signed_form=signed_form)
    _check_identity_consent(client, identity, given_on)
    if client.is_minor:
        if child_protection_agency is None:
            raise ValidationError({"child_protection_agency": _(
                "Người được hỗ trợ là trẻ em: hãy chọn cơ quan bảo vệ trẻ em nhận chuyển gửi.")})
        send_referral(client, user=user, to_agency=child_protection_agency, sent_on=client.registered_on,
                      reason=child_protection_reason or _("Trẻ em có nguy cơ, cần can thiệp bảo vệ trẻ em."),
                      shared_items=[SharedItem.AGE_GROUP, SharedItem.GENDER], child_protection=True)
    return client


def _unique_code(unit) -> str:
    for _attempt in range(20):
        code = new_client_code(unit)
        if not SupportClient.objects.filter(code=code).exists():
            return code
    raise RuntimeError("Could not generate a unique client code.")


@transaction.atomic
def update_client(client, *, user, fields: dict, expected_version: int) -> SupportClient:
    """Statistical fields and case status (never the identity: see update_identity)."""
    _require_scope(user, SupportClient, "change", client.unit)
    fields = {k: v for k, v in fields.items() if k not in IDENTITY_FIELDS and k != "code"}
    _apply(client, fields)
    client.full_clean(exclude=["code"])
    return save_versioned(client, expected_version=expected_version, user=user)


@transaction.atomic
def update_identity(client, *, user, identity: dict, expected_version: int) -> SupportClient:
    """Correct the identifying details (the person's right to correction). Only for those who may see them."""
    if not may_see_identity(user, client):
        raise PermissionDenied(_("Chỉ cán bộ hỗ trợ của đơn vị quản lý hồ sơ mới được sửa thông tin nhận dạng."))
    if client.is_anonymised:
        raise ValidationError(_("Hồ sơ đã được ẩn danh hóa: không thể ghi lại thông tin nhận dạng."))
    identity = {k: (v or "").strip() for k, v in identity.items() if k in IDENTITY_FIELDS}
    _check_identity_consent(client, identity, _today())
    _apply(client, identity)
    client.full_clean(exclude=["code"])
    if client.has_identity:
        client.identity_purged_at = None
    return save_versioned(client, expected_version=expected_version, user=user)


def close_case(client, *, user, on, reason, expected_version):
    return update_client(client, user=user, fields={"status": ClientStatus.CLOSED, "closed_on": on,
                                                    "close_reason": reason}, expected_version=expected_version)


def reopen_case(client, *, user, expected_version):
    return update_client(client, user=user, fields={"status": ClientStatus.OPEN, "closed_on": None,
                                                    "close_reason": ""}, expected_version=expected_version)


def needs_child_protection_referral(client) -> bool:
    """A minor without a child-protection referral that is under way or done: every page says so."""
    if not client.is_minor:
        return False
    return not client.referrals.filter(is_child_protection=True).exclude(
        status__in=(ReferralStatus.DECLINED, ReferralStatus.CANCELLED)).exists()


# -- identity: who may see it, and the logged showing ------------------------------------------------------


def may_see_identity(user, client) -> bool:
    """Support workers of the owning unit itself (not of the units above it) see identifying details."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    from lanhmanh.accounts.roles import role_grants

    return any(path == client.unit.path and role_grants(role, "support.see_identity")
               for role, path in user.scope_memberships())


def reveal_identity(client, *, user, reason: str, endpoint: str) -> dict:
    """The identifying details, for one showing: writes exactly one access-log entry with the reason."""
    if not may_see_identity(user, client):
        raise PermissionDenied(_("Bạn không được xem thông tin nhận dạng của hồ sơ này."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Hãy ghi lý do xem thông tin nhận dạng.")})
    labels = {name: str(SupportClient._meta.get_field(name).verbose_name) for name in IDENTITY_FIELDS}
    log_access(user=user, obj=client, what=_("Thông tin nhận dạng: %(fields)s") % {
        "fields": ", ".join(labels.values())}, endpoint=endpoint, reason=reason)
    return {name: getattr(client, name) for name in IDENTITY_FIELDS}


# -- needs and services ------------------------------------------------------------------------------------


@transaction.atomic
def assess_needs(client, *, user, assessed_on, needs, note: str = "") -> NeedsAssessment:
    _require_scope(user, NeedsAssessment, "add", client.unit)
    require_consent(client, Purpose.SERVICES, on=assessed_on)
    assessment = NeedsAssessment(client=client, unit=client.unit, assessed_on=assessed_on, needs=list(needs),
                                 note=note)
    assessment.full_clean()
    return record_create(assessment, user=user)


@transaction.atomic
def update_assessment(assessment, *, user, assessed_on, needs, note, expected_version) -> NeedsAssessment:
    _require_scope(user, NeedsAssessment, "change", assessment.unit)
    require_consent(assessment.client, Purpose.SERVICES, on=assessed_on)
    _apply(assessment, {"assessed_on": assessed_on, "needs": list(needs), "note": note})
    assessment.full_clean()
    return save_versioned(assessment, expected_version=expected_version, user=user)


def _delivery(client, fields, *, user) -> ServiceDelivery:
    service = ServiceDelivery(client=client, unit=client.unit)
    _apply(service, fields)
    service.full_clean()
    require_consent(client, Purpose.SERVICES, on=service.delivered_on)
    return record_create(service, user=user)


@transaction.atomic
def deliver_service(client, *, user, fields: dict) -> ServiceDelivery:
    """fields: service_type, delivered_on, provider_agency, provider_name, outcome, note, referral."""
    _require_scope(user, ServiceDelivery, "add", client.unit)
    return _delivery(client, fields, user=user)


@transaction.atomic
def update_service(service, *, user, fields: dict, expected_version) -> ServiceDelivery:
    _require_scope(user, ServiceDelivery, "change", service.unit)
    _apply(service, fields)
    service.full_clean()
    require_consent(service.client, Purpose.SERVICES, on=service.delivered_on)
    return save_versioned(service, expected_version=expected_version, user=user)


# -- referrals ---------------------------------------------------------------------------------------------


def _snapshot(client, items) -> dict:
    values = {}
    for item in items:
        if item == SharedItem.AGE_GROUP:
            values[item] = client.get_age_group_display()
        elif item == SharedItem.GENDER:
            values[item] = client.get_gender_display()
        elif item == SharedItem.ORIGIN_PROVINCE:
            values[item] = str(client.origin_province or "")
        elif item == SharedItem.NEEDS:
            latest = client.assessments.order_by("-assessed_on", "-pk").first()
            values[item] = ", ".join(latest.need_labels()) if latest else ""
        else:
            values[item] = getattr(client, item)
    return {k: str(v) for k, v in values.items()}


@transaction.atomic
def send_referral(client, *, user, to_agency, reason: str, shared_items, sent_on=None,
                  child_protection: bool = False) -> Referral:
    """Refer `client` to `to_agency`, sharing exactly `shared_items` (as they are now). Refused without a consent
    to referral to that kind of agency, except the child-protection referral of a minor. Identifying items can
    only be shared by someone who may see them."""
    _require_scope(user, Referral, "add", client.unit)
    sent_on = sent_on or _today()
    items = [i for i in SharedItem.values if i in set(shared_items or ())]
    unknown = set(shared_items or ()) - set(items)
    if unknown:
        raise ValidationError({"shared_items": _("Mục chia sẻ không hợp lệ: %(v)s.") % {
            "v": ", ".join(sorted(unknown))}})
    if child_protection and not client.is_minor:
        raise ValidationError(_("Chỉ chuyển gửi bảo vệ trẻ em với người được hỗ trợ là trẻ em."))
    if child_protection and to_agency.agency_type.code not in CHILD_PROTECTION_TYPES:
        # The exemption from consent is for child protection only, not for any agency a minor is sent to.
        raise ValidationError({"to_agency": _("Chuyển gửi bảo vệ trẻ em phải gửi đến cơ quan làm công tác bảo vệ trẻ "
                                              "em, Phòng Văn hóa - Xã hội hoặc Trung tâm Công tác xã hội.")})
    if client.is_anonymised:
        raise ValidationError(_("Hồ sơ đã được ẩn danh hóa: không thể chuyển gửi."))
    if not child_protection:
        # The data is shared now: a referral dated back to before a withdrawal needs a consent valid today too.
        for day in sorted({sent_on, _today()}):
            require_consent(client, Purpose.REFERRAL, on=day, agency_type=to_agency.agency_type)
    identifying = [i for i in items if i in IDENTIFYING_SHARED_ITEMS]
    if identifying and not may_see_identity(user, client):
        raise PermissionDenied(_("Chỉ cán bộ hỗ trợ của đơn vị quản lý hồ sơ mới được chia sẻ thông tin nhận dạng."))
    empty = [dict(SharedItem.choices)[i] for i in identifying if not getattr(client, i)]
    if empty:
        raise ValidationError({"shared_items": _("Hồ sơ không có: %(items)s.") % {
            "items": ", ".join(str(e) for e in empty)}})
    referral = Referral(client=client, unit=client.unit, to_agency=to_agency, reason=(reason or "").strip(),
                        sent_on=sent_on, shared_items=items, is_child_protection=child_protection)
    referral.shared_data = json.dumps(_snapshot(client, items), ensure_ascii=False)
    referral.full_clean()
    return record_create(referral, user=user)


def may_receive(user, referral) -> bool:
    return Referral.objects.incoming_for(user).filter(pk=referral.pk).exists()


def _require_receiver(user, referral):
    if not may_receive(user, referral):
        raise PermissionDenied(_("Chỉ cơ quan nhận chuyển gửi mới được trả lời."))


@transaction.atomic
def respond_referral(referral, *, user, accept: bool, note: str = "", on=None, expected_version=None) -> Referral:
    _require_receiver(user, referral)
    _check_version(referral, expected_version)
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(_("Chỉ trả lời được chuyển gửi đang ở tình trạng “Đã gửi”."))
    on = on or _today()
    if on < referral.sent_on or on > _today():
        raise ValidationError({"on": _("Ngày trả lời phải từ ngày gửi (%(date)s) đến hôm nay.") % {
            "date": dmy(referral.sent_on)}})
    if not accept and not (note or "").strip():
        raise ValidationError({"note": _("Hãy ghi lý do từ chối để đơn vị gửi tìm nơi khác.")})
    referral.status = ReferralStatus.ACCEPTED if accept else ReferralStatus.DECLINED
    referral.responded_on, referral.response_note, referral.responded_by = on, (note or "").strip(), user
    return save_versioned(referral, expected_version=referral.version, user=user)


@transaction.atomic
def complete_referral(referral, *, user, on=None, feedback: str = "", service_type=None,
                      outcome: str = ServiceOutcome.RECEIVED, expected_version=None) -> Referral:
    """The receiving agency reports the result; with a service type, the service is recorded on the client's file
    (the receiver still never sees that file)."""
    _require_receiver(user, referral)
    _check_version(referral, expected_version)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Chỉ hoàn thành được chuyển gửi đã tiếp nhận."))
    on = on or _today()
    if on < (referral.responded_on or referral.sent_on) or on > _today():
        raise ValidationError({"on": _("Ngày hoàn thành phải từ ngày tiếp nhận đến hôm nay.")})
    referral.status, referral.completed_on, referral.feedback = ReferralStatus.COMPLETED, on, (feedback or "").strip()
    save_versioned(referral, expected_version=referral.version, user=user)
    if service_type is not None:
        _delivery(referral.client, {"service_type": service_type, "delivered_on": on,
                                    "provider_agency": referral.to_agency, "outcome": outcome,
                                    "referral": referral}, user=user)
    return referral


@transaction.atomic
def cancel_referral(referral, *, user, note: str = "", expected_version=None) -> Referral:
    _require_scope(user, Referral, "change", referral.unit)
    _check_version(referral, expected_version)
    if not referral.is_open:
        raise ValidationError(_("Chuyển gửi đã kết thúc, không thể hủy."))
    referral.status, referral.response_note = ReferralStatus.CANCELLED, (note or "").strip()
    return save_versioned(referral, expected_version=referral.version, user=user)


def shared_values(referral) -> dict:
    """What was shared, as {item: value}. Identifying values are shown only through reveal_shared."""
    return json.loads(referral.shared_data) if referral.shared_data else {}


def shared_statistics(referral) -> list[tuple[str, str]]:
    labels = dict(SharedItem.choices)
    values = shared_values(referral)
    return [(str(labels[i]), values.get(i, "")) for i in referral.shared_items
            if i in labels and i not in IDENTIFYING_SHARED_ITEMS]


def reveal_shared(referral, *, user, reason: str, endpoint: str) -> list[tuple[str, str]]:
    """The identifying items the sender shared, for the receiving agency (or the sender): one logged showing."""
    if not (may_receive(user, referral) or may_see_identity(user, referral.client)):
        raise PermissionDenied(_("Bạn không được xem thông tin được chia sẻ của chuyển gửi này."))
    if not referral.is_open and not may_see_identity(user, referral.client):
        # A declined, cancelled or completed referral no longer gives the receiver a reason to see who it was.
        raise PermissionDenied(_("Chuyển gửi đã kết thúc: thông tin nhận dạng được chia sẻ không còn hiển thị."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Hãy ghi lý do xem thông tin nhận dạng.")})
    labels = dict(SharedItem.choices)
    values = shared_values(referral)
    rows = [(str(labels[i]), values.get(i, "")) for i in referral.shared_items if i in IDENTIFYING_SHARED_ITEMS]
    log_access(user=user, obj=referral, what=_("Thông tin nhận dạng được chia sẻ: %(fields)s") % {
        "fields": ", ".join(label for label, _v in rows)}, endpoint=endpoint, reason=reason.strip())
    return rows


# -- erasure and retention ---------------------------------------------------------------------------------


def _scrub_history(model, ids, fields: dict):
    model.history.model.objects.filter(id__in=list(ids)).update(**fields)


def _blank_access_reasons(client):
    """A reason typed when reading the record may name the person: keep who read what and when, not the words."""
    from django.contrib.contenttypes.models import ContentType

    from lanhmanh.core.models import AccessLog

    q = Q(pk__in=[])
    for model, ids in ((SupportClient, [client.pk]), (Consent, client.consents.values_list("pk", flat=True)),
                       (Referral, client.referrals.values_list("pk", flat=True))):
        q |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=[str(i) for i in ids])
    AccessLog.objects.filter(q).exclude(reason="").update(reason=_("(đã xóa theo yêu cầu)"))


def _purge_identity(client):
    """Blank the identifying data of `client` everywhere it is kept: the record, its history, the signed forms
    and what its referrals shared."""
    blank = dict.fromkeys(IDENTITY_FIELDS, "")
    SupportClient.objects.filter(pk=client.pk).update(**blank, identity_purged_at=timezone.now())
    _scrub_history(SupportClient, [client.pk], blank)
    for consent in client.consents.exclude(signed_form=""):
        consent.signed_form.delete(save=False)
    client.consents.update(signed_form="", signed_form_type="")
    _scrub_history(Consent, client.consents.values_list("pk", flat=True), {"signed_form": ""})
    referrals = list(client.referrals.all())
    for referral in referrals:
        values = shared_values(referral)
        kept = {k: v for k, v in values.items() if k not in IDENTIFYING_SHARED_ITEMS}
        Referral.objects.filter(pk=referral.pk).update(shared_data=json.dumps(kept, ensure_ascii=False))
    _scrub_history(Referral, [r.pk for r in referrals], {"shared_data": ""})


def _anonymise(client):
    """Also blank every free text, forget the year of birth and give the record a new code, so nothing left links
    it to the person. Dates, kinds, outcomes and the statistical fields stay: the counts do not change."""
    _purge_identity(client)
    code = _unique_code(client.unit)
    SupportClient.objects.filter(pk=client.pk).update(code=code, birth_year=None, anonymised_at=timezone.now())
    _scrub_history(SupportClient, [client.pk], {"code": code, "birth_year": None})
    related = {Consent: client.consents, NeedsAssessment: client.assessments, ServiceDelivery: client.services,
               Referral: client.referrals}
    for model, manager in related.items():
        blank = dict.fromkeys(FREE_TEXT_FIELDS[model], "")
        ids = list(manager.values_list("pk", flat=True))
        model.objects.filter(pk__in=ids).update(**blank)
        _scrub_history(model, ids, blank)


@transaction.atomic
def erase_client(client, *, user, kind: str, request_reference: str = "", expected_version=None) -> ErasureRecord:
    """Erase on a lawful request: only the identifying details, or the whole record made anonymous."""
    if not user.has_perm("support.erase_supportclient") or not can_use_unit(user, SupportClient, "erase",
                                                                             client.unit):
        raise PermissionDenied(_("Bạn không có quyền xóa dữ liệu của hồ sơ này."))
    _check_version(client, expected_version)
    if kind not in (ErasureKind.REQUEST_IDENTITY, ErasureKind.REQUEST_ANONYMISE):
        raise ValidationError({"kind": _("Hãy chọn cách xóa dữ liệu.")})
    if client.is_anonymised:
        raise ValidationError(_("Hồ sơ đã được ẩn danh hóa trước đây."))
    if kind == ErasureKind.REQUEST_ANONYMISE:
        _anonymise(client)
    else:
        _purge_identity(client)
    _blank_access_reasons(client)
    SupportClient.objects.filter(pk=client.pk).update(version=F("version") + 1)
    client.refresh_from_db()
    return ErasureRecord.objects.create(unit=client.unit, client=client, kind=kind, performed_by=user,
                                        request_reference=(request_reference or "").strip()[:255])


def retention_cutoff(today=None) -> datetime.date:
    return (today or _today()) - datetime.timedelta(days=settings.SUPPORT_RETENTION_DAYS)


def expired_clients(today=None):
    """Clients whose last contact (registration, assessment, service, referral, consent, closing) is older than the
    retention period and whose identifying data has not been purged yet."""
    cutoff = retention_cutoff(today)
    recent = (
        Exists(ServiceDelivery.objects.filter(client=OuterRef("pk"), delivered_on__gte=cutoff))
        | Exists(NeedsAssessment.objects.filter(client=OuterRef("pk"), assessed_on__gte=cutoff))
        | Exists(Referral.objects.filter(Q(sent_on__gte=cutoff) | Q(completed_on__gte=cutoff), client=OuterRef("pk")))
        | Exists(Consent.objects.filter(client=OuterRef("pk"), given_on__gte=cutoff))
    )
    return (
        SupportClient.objects.filter(identity_purged_at__isnull=True, anonymised_at__isnull=True,
                                     registered_on__lt=cutoff)
        .exclude(closed_on__gte=cutoff)
        .exclude(recent)
    )


def purge_expired_identities(today=None) -> int:
    """The scheduled purge: identifying data of clients past the retention period. Returns how many."""
    count = 0
    for client in expired_clients(today).select_related("unit").iterator():
        with transaction.atomic():
            _purge_identity(client)
            ErasureRecord.objects.create(unit=client.unit, client=client, kind=ErasureKind.RETENTION)
        count += 1
    return count


# -- figures -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SupportFigures:
    in_need: int
    reached: int

    @property
    def percent(self) -> float | None:
        # No one in need: no rate ("no data"), never 0% or a division error.
        return round(100 * self.reached / self.in_need, 1) if self.in_need else None


def in_need_q(start, end) -> Q:
    """The condition on a client row of being in need in [start, end] (see the module docstring): open at some time
    in the period, and assessed with needs in it, or with needs at the latest assessment before it. A condition
    rather than a subquery of ids, so the figures read each client once with a few index probes."""
    assessed_in_period = NeedsAssessment.objects.filter(client=OuterRef("pk"), has_needs=True,
                                                        assessed_on__gte=start, assessed_on__lte=end)
    latest_before = NeedsAssessment.objects.filter(client=OuterRef("pk"), assessed_on__lt=start).order_by(
        "-assessed_on", "-pk").values("has_needs")[:1]
    open_in_period = Q(registered_on__lte=end) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start))
    return open_in_period & (Q(Exists(assessed_in_period)) | Q(Exact(Subquery(latest_before), True)))


def reached_q(start, end) -> Q:
    """In need in [start, end] and served in it (a service received or ongoing)."""
    served = ServiceDelivery.objects.filter(client=OuterRef("pk"), outcome__in=REACHED_OUTCOMES,
                                            delivered_on__gte=start, delivered_on__lte=end)
    return in_need_q(start, end) & Q(Exists(served))


def in_need_clients(start, end, queryset=None):
    """Clients (of `queryset`, default all) in need in [start, end]."""
    queryset = SupportClient.objects.all() if queryset is None else queryset
    return queryset.filter(in_need_q(start, end))


def reached_clients(start, end, queryset=None):
    queryset = SupportClient.objects.all() if queryset is None else queryset
    return queryset.filter(reached_q(start, end))


def figures(unit, start, end) -> SupportFigures:
    """In need and reached in `unit`'s subtree over [start, end], in two queries."""
    clients = SupportClient.objects.filter(unit__path__startswith=unit.path)
    return SupportFigures(in_need=in_need_clients(start, end, clients).count(),
                          reached=reached_clients(start, end, clients).count())
