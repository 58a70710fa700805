"""The support pages as a support worker uses them: registration with consent, the client list (code and statistics
only), and the client's page, where consent, needs, services, referrals, the identity, the case status and the
person's rights are handled. Identifying details appear only after a POST with a reason, once, logged."""

import datetime
import io
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.models import AccessLog
from lanhmanh.core.testing import count_queries, login_verified
from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory
from lanhmanh.support import services
from lanhmanh.support.models import (
    AgeGroup,
    ClientStatus,
    Consent,
    ErasureKind,
    ErasureRecord,
    NeedsAssessment,
    Referral,
    ServiceDelivery,
    SupportClient,
)
from lanhmanh.support.tests.factories import (
    ConsentFactory,
    NeedsAssessmentFactory,
    ReferralFactory,
    ServiceDeliveryFactory,
    ServiceTypeFactory,
    SupportClientFactory,
)

D = datetime.date
LIST = reverse("support:supportclient_list")
REGISTER = reverse("support:supportclient_register")
# Invented values, distinctive enough that a match anywhere can only come from them.
IDENTITY = {
    "full_name": "Nguyễn Thị Bảomật Kx",
    "date_of_birth": "12/05/1998",
    "phone": "0987000555",
    "id_number": "031198000555",
    "address": "Số 4 hẻm Kínđáo Kx",
}
MARKERS = ["Bảomật", "0987000555", "031198000555", "Kínđáo", "12/05/1998"]


def url(name, obj):
    return reverse(f"support:{name}", args=[obj.pk])


def shows_identity(body) -> list[str]:
    text = body.decode() if isinstance(body, bytes) else body
    return [m for m in MARKERS if m in text]


@pytest.fixture
def worker(people, client):
    login_verified(client, people.support_worker)
    return people.support_worker


@pytest.fixture
def province_worker(people):
    return UserFactory(username="hotro.tinh", roles=[(people.province, Role.SUPPORT_WORKER)])


@pytest.fixture
def supervisor(people):
    return UserFactory(username="phutrach.a", roles=[(people.commune_a, Role.SUPPORT_SUPERVISOR)])


@pytest.fixture
def child_protection_a(people):
    kind = AgencyTypeFactory(code="child_protection", name="Cơ quan, người làm công tác bảo vệ trẻ em")
    return AgencyFactory(unit=people.commune_a, agency_type=kind, name="Tổ bảo vệ trẻ em phường Hồng Bàng")


@pytest.fixture
def legal_aid(people):
    kind = AgencyTypeFactory(code="legal_aid", name="Trung tâm Trợ giúp pháp lý nhà nước")
    return AgencyFactory(unit=people.province, agency_type=kind, name="Trung tâm Trợ giúp pháp lý thành phố")


@pytest.fixture
def hiv_clinic(people):
    kind = AgencyTypeFactory(code="hiv_clinic", name="Cơ sở điều trị HIV, phòng khám ngoại trú")
    return AgencyFactory(unit=people.commune_b, agency_type=kind, name="Phòng khám ngoại trú Ngô Quyền")


@pytest.fixture
def known(people):
    """A client of commune A whose identifying details are kept (with a consent to phone contact)."""
    person = SupportClientFactory(unit=people.commune_a, consent=False, **IDENTITY)
    ConsentFactory(client=person, for_phone_contact=True)
    return person


def _register_data(people, **overrides):
    data = {
        "unit": people.commune_a.pk, "registered_on": "02/03/2026", "birth_year": "", "age_group": AgeGroup.FROM_25,
        "gender": "female", "origin_province": "", "given_on": "", "method": "written", "given_by": "self",
        "for_services": "on",
        **{name: "" for name in IDENTITY},
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# -- registration -------------------------------------------------------------------------------------------------


def test_registration_keeps_the_consent_and_the_encrypted_identity_and_says_only_the_code(
        client, people, worker, legal_aid, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    form = client.get(REGISTER)
    assert form.status_code == 200 and form["Cache-Control"] == "private, no-store"
    assert 'name="full_name"' in form.content.decode() and 'autocomplete="off"' in form.content.decode()
    scan = SimpleUploadedFile("phieu.pdf", b"%PDF-1.4\n% phieu dong y\n%%EOF\n", content_type="application/pdf")
    response = client.post(REGISTER, _register_data(
        people, for_referral="on", referral_agency_types=[legal_aid.agency_type_id], for_phone_contact="on",
        signed_form=scan, **IDENTITY), follow=True)
    assert response.status_code == 200
    person = SupportClient.objects.get()
    assert person.code.startswith("HT-11311-") and person.full_name == IDENTITY["full_name"]
    consent = person.consents.get()
    assert consent.given_on == D(2026, 3, 2) and consent.for_referral and consent.for_phone_contact
    assert list(consent.referral_agency_types.all()) == [legal_aid.agency_type]
    assert consent.signed_form and consent.signed_form_type == "application/pdf"
    page = response.content.decode()
    with translation.override("vi"):
        assert f"Đã tiếp nhận người được hỗ trợ, mã số {person.code}." in page
    assert shows_identity(page) == []


def test_a_minor_is_referred_to_child_protection_at_registration(client, people, worker, child_protection_a):
    response = client.post(REGISTER, _register_data(
        people, age_group=AgeGroup.FROM_16, given_by="guardian", child_protection_agency=child_protection_a.pk,
        child_protection_reason="Trẻ em bị lôi kéo, cần can thiệp."))
    person = SupportClient.objects.get()
    assert response.status_code == 302 and person.is_minor
    referral = person.referrals.get()
    assert referral.is_child_protection and referral.to_agency == child_protection_a
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'data-testid="minor-flag"' in page and "Trẻ em" in page
    assert 'data-testid="child-protection-alert"' not in page


def test_a_minor_without_a_child_protection_agency_is_refused(client, people, worker):
    with translation.override("vi"):
        response = client.post(REGISTER, _register_data(people, age_group=AgeGroup.UNDER_16, given_by="guardian",
                                                        full_name=IDENTITY["full_name"]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Người được hỗ trợ là trẻ em: hãy chọn cơ quan bảo vệ trẻ em nhận chuyển gửi." in page
    # The form is shown again to the person filling it, with what they typed; nothing was kept.
    assert IDENTITY["full_name"] in page and response["Cache-Control"] == "private, no-store"
    assert not SupportClient.objects.exists() and not Consent.objects.exists()


def test_registration_is_for_support_roles_only(client, people):
    client.force_login(people.officer_a)
    assert client.get(REGISTER).status_code == 403


def test_the_menu_offers_registration(client, people, worker):
    page = client.get(LIST).content.decode()
    assert REGISTER in page and "Tiếp nhận người được hỗ trợ" in page


# -- the list -----------------------------------------------------------------------------------------------------


def test_the_list_filters_by_code_and_age_group(client, people, worker):
    young = SupportClientFactory(unit=people.commune_a, age_group=AgeGroup.FROM_18)
    older = SupportClientFactory(unit=people.commune_a, age_group=AgeGroup.FROM_35)
    minor = SupportClientFactory(unit=people.commune_a, age_group=AgeGroup.FROM_16)

    def codes(**params):
        page = client.get(LIST, params).content.decode()
        return {c.code for c in (young, older, minor) if c.code in page}

    assert codes() == {young.code, older.code, minor.code}
    assert codes(code=young.code) == {young.code}
    assert codes(code=young.code[-6:].lower()) == {young.code}
    assert codes(age_group=AgeGroup.FROM_35) == {older.code}
    assert codes(is_minor="true") == {minor.code}
    assert 'data-testid="minor-flag"' in client.get(LIST, {"is_minor": "true"}).content.decode()


def test_the_list_and_its_exports_never_hold_identifying_details(client, people, worker, known):
    responses = [client.get(LIST), client.get(LIST, {"export": "xlsx"}), client.get(LIST, {"export": "csv"})]
    assert all(r.status_code == 200 for r in responses)
    assert known.code in responses[0].content.decode()
    assert shows_identity(responses[0].content) == [] and shows_identity(responses[2].content) == []
    sheet = load_workbook(io.BytesIO(responses[1].content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert known.code in cells and shows_identity(cells) == []
    # Identifying fields are no filter: a name in the query string filters nothing.
    assert client.get(LIST, {"full_name": IDENTITY["full_name"]}).content.decode().count(known.code) >= 1


# -- identity -----------------------------------------------------------------------------------------------------


def test_the_page_shows_no_identity_until_revealed_with_a_reason_and_logs_each_showing(
        client, people, worker, known):
    page = client.get(known.get_absolute_url())
    assert page.status_code == 200 and shows_identity(page.content) == []
    assert 'data-testid="reveal"' in page.content.decode() and 'name="full_name"' not in page.content.decode()
    assert not AccessLog.objects.exists()

    missing = client.post(url("supportclient_reveal", known), {"reason": "other", "detail": ""})
    assert missing.status_code == 400 and shows_identity(missing.content) == []
    assert not AccessLog.objects.exists()

    shown = client.post(url("supportclient_reveal", known), {"reason": "contact", "detail": "hẹn tái khám"})
    assert shown.status_code == 200 and shown["Cache-Control"] == "private, no-store"
    assert set(shows_identity(shown.content)) == set(MARKERS)
    assert 'name="full_name"' in shown.content.decode()  # the correction form, pre-filled
    log = AccessLog.objects.get()
    assert (log.user, log.object_id, log.endpoint) == (worker, str(known.pk), "support:supportclient_reveal")
    assert log.reason == "Liên hệ với người được hỗ trợ: hẹn tái khám"
    assert log.content_type == ContentType.objects.get_for_model(SupportClient)
    # Shown once: the next visit of the page shows nothing again.
    assert shows_identity(client.get(known.get_absolute_url()).content) == []
    assert AccessLog.objects.count() == 1


def test_the_reveal_is_a_post(client, people, worker, known):
    assert client.get(url("supportclient_reveal", known), {"reason": "contact"}).status_code == 405
    assert not AccessLog.objects.exists()


def test_a_support_worker_of_the_province_cannot_reveal(client, people, known, province_worker):
    login_verified(client, province_worker)
    page = client.get(known.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200 and known.code in body
    assert 'data-testid="reveal"' not in body and 'data-testid="identity-restricted"' in body
    assert client.post(url("supportclient_reveal", known), {"reason": "contact"}).status_code == 403
    assert client.post(url("supportclient_identity", known), {"full_name": "X", "version": known.version}
                       ).status_code == 403
    assert shows_identity(body) == [] and not AccessLog.objects.exists()


def test_a_client_of_another_commune_is_not_found(client, people, worker):
    other = SupportClientFactory(unit=people.commune_b)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.post(url("supportclient_reveal", other), {"reason": "contact"}).status_code == 404


def test_identity_correction_then_the_page_hides_it_again(client, people, worker, known):
    client.post(url("supportclient_reveal", known), {"reason": "correction"})
    response = client.post(url("supportclient_identity", known), {
        **IDENTITY, "address": "Số 10 ngõ Mớichuyển Kx", "version": known.version})
    assert response.status_code == 302
    known.refresh_from_db()
    assert known.address == "Số 10 ngõ Mớichuyển Kx" and known.full_name == IDENTITY["full_name"]
    page = client.get(response["Location"]).content.decode()
    assert "Mớichuyển" not in page and shows_identity(page) == []
    assert "Đã sửa thông tin nhận dạng" in page
    # A page opened before that correction is refused, nothing is written.
    stale = client.post(url("supportclient_identity", known), {**IDENTITY, "version": known.version - 1})
    assert stale.status_code == 409
    known.refresh_from_db()
    assert known.address == "Số 10 ngõ Mớichuyển Kx"


def test_a_phone_number_without_consent_to_phone_contact_is_refused(client, people, worker):
    person = SupportClientFactory(unit=people.commune_a)
    with translation.override("vi"):
        response = client.post(url("supportclient_identity", person), {"phone": "0912111222",
                                                                       "version": person.version})
    assert response.status_code == 400
    assert "chưa đồng ý được liên hệ qua điện thoại" in response.content.decode()
    person.refresh_from_db()
    assert person.phone == ""


def test_the_signed_form_is_downloaded_by_the_owning_unit_only_and_logged(
        client, people, worker, province_worker, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    scan = SimpleUploadedFile("phieu.pdf", b"%PDF-1.4\n% phieu dong y\n%%EOF\n", content_type="application/pdf")
    person = services.register_client(user=worker, unit=people.commune_a,
                                       fields={"registered_on": D(2026, 3, 2), "age_group": AgeGroup.FROM_25},
                                       consent_fields={"for_services": True}, signed_form=scan)
    consent = person.consents.get()
    assert 'data-testid="signed-form"' in client.get(person.get_absolute_url()).content.decode()
    assert client.get(url("consent_signed_form", consent)).status_code == 405  # never a plain link
    response = client.post(url("consent_signed_form", consent), {"reason": "request"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Cache-Control"] == "private, no-store"
    assert f"phieu-dong-y-{person.code}-{consent.pk}.pdf" in response["Content-Disposition"]
    assert AccessLog.objects.filter(object_id=str(person.pk)).get().reason
    login_verified(client, province_worker)
    assert client.post(url("consent_signed_form", consent), {"reason": "request"}).status_code == 403
    assert AccessLog.objects.count() == 1


# -- consent, needs, services, referrals --------------------------------------------------------------------------


def test_consent_withdrawal_then_a_service_is_refused_with_the_reason(client, people, worker):
    person = SupportClientFactory(unit=people.commune_a)
    consent = person.consents.get()
    hiv = ServiceTypeFactory()
    response = client.post(url("consent_withdraw", consent), {"withdrawn_on": "01/02/2026",
                                                              "withdrawal_note": "Không muốn nhận nữa",
                                                              "version": consent.version})
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == D(2026, 2, 1)
    with translation.override("vi"):
        refused = client.post(url("servicedelivery_add", person), {
            "service_type": hiv.pk, "delivered_on": "10/02/2026", "outcome": "received"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert "chưa đồng ý (hoặc đã rút lại sự đồng ý) nhận dịch vụ hỗ trợ vào ngày 10/02/2026" in body
    assert 'data-testid="withdrawn"' in body
    assert not ServiceDelivery.objects.exists()


def test_a_new_consent_and_a_service_delivered(client, people, worker, hiv_clinic):
    person = SupportClientFactory(unit=people.commune_a, consent=False)
    hiv = ServiceTypeFactory()
    assert client.post(url("consent_add", person), {"given_on": "15/01/2026", "method": "verbal", "given_by": "self",
                                                     "for_services": "on"}).status_code == 302
    response = client.post(url("servicedelivery_add", person), {
        "service_type": hiv.pk, "delivered_on": "20/01/2026", "provider_agency": "", "provider_name": "Tổ tiếp cận",
        "outcome": "received", "note": ""}, follow=True)
    service = ServiceDelivery.objects.get()
    assert (service.client, service.delivered_on, service.provider_name) == (person, D(2026, 1, 20), "Tổ tiếp cận")
    page = response.content.decode()
    assert "20/01/2026" in page and hiv.name in page


def test_needs_are_assessed_and_the_assessment_edited(client, people, worker):
    person = SupportClientFactory(unit=people.commune_a)
    response = client.post(url("needsassessment_add", person), {"assessed_on": "15/01/2026",
                                                                "needs": ["health", "legal"], "note": ""})
    assert response.status_code == 302
    assessment = NeedsAssessment.objects.get()
    assert assessment.needs == ["health", "legal"] and assessment.has_needs
    edit = url("needsassessment_edit", assessment)
    form = client.get(edit)
    assert form.status_code == 200 and person.code in form.content.decode()
    saved = client.post(edit, {"assessed_on": "16/01/2026", "needs": ["vocational"], "note": "",
                               "version": assessment.version})
    assert saved.status_code == 302
    assessment.refresh_from_db()
    assert (assessment.assessed_on, assessment.needs) == (D(2026, 1, 16), ["vocational"])
    stale = client.post(edit, {"assessed_on": "17/01/2026", "needs": [], "note": "", "version": 1})
    assert stale.status_code == 409
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Học nghề" in page


def test_a_referral_needs_consent_to_that_kind_of_agency(client, people, worker, legal_aid, hiv_clinic):
    person = SupportClientFactory(unit=people.commune_a)
    data = {"to_agency": legal_aid.pk, "reason": "Cần trợ giúp pháp lý.", "shared_items": ["age_group", "gender"],
            "sent_on": "20/01/2026"}
    with translation.override("vi"):
        refused = client.post(url("referral_send", person), data)
    assert refused.status_code == 400
    assert "chưa đồng ý được chuyển gửi đến Trung tâm Trợ giúp pháp lý nhà nước" in refused.content.decode()
    assert not Referral.objects.exists()
    consent = ConsentFactory(client=person, for_referral=True, given_on=D(2026, 1, 15))
    consent.referral_agency_types.set([legal_aid.agency_type])
    # An agency of another commune of the province is offered as well.
    page = client.get(person.get_absolute_url()).content.decode()
    assert hiv_clinic.name in page and legal_aid.name in page
    assert client.post(url("referral_send", person), data).status_code == 302
    referral = Referral.objects.get()
    assert (referral.to_agency, referral.shared_items) == (legal_aid, ["age_group", "gender"])
    page = client.get(person.get_absolute_url()).content.decode()
    assert "Trung tâm Trợ giúp pháp lý thành phố" in page and "Nhóm tuổi, Giới tính" in page
    cancelled = client.post(url("referral_cancel", referral), {"note": "Nhầm cơ quan", "version": referral.version})
    assert cancelled.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "cancelled"


def test_identifying_items_are_offered_for_sharing_only_to_the_owning_unit(client, people, province_worker):
    person = SupportClientFactory(unit=people.commune_a)
    login_verified(client, people.support_worker)
    assert 'value="full_name"' in client.get(person.get_absolute_url()).content.decode()
    login_verified(client, province_worker)
    assert 'value="full_name"' not in client.get(person.get_absolute_url()).content.decode()


def test_a_minor_is_referred_for_child_protection_from_the_page_without_referral_consent(
        client, people, worker, child_protection_a):
    person = SupportClientFactory(unit=people.commune_a, consent=False, age_group=AgeGroup.UNDER_16)
    ConsentFactory(client=person, given_by="guardian")
    page = client.get(person.get_absolute_url()).content.decode()
    assert 'data-testid="child-protection-alert"' in page and 'name="child_protection"' in page
    response = client.post(url("referral_send", person), {
        "to_agency": child_protection_a.pk, "reason": "Cần can thiệp bảo vệ trẻ em.", "shared_items": ["age_group"],
        "sent_on": "20/01/2026", "child_protection": "on"})
    assert response.status_code == 302
    assert Referral.objects.get().is_child_protection
    assert 'data-testid="child-protection-alert"' not in client.get(person.get_absolute_url()).content.decode()


# -- statistical fields and case status ---------------------------------------------------------------------------


def test_the_statistical_fields_are_corrected_and_a_stale_page_is_refused(client, people, worker):
    person = SupportClientFactory(unit=people.commune_a, age_group=AgeGroup.FROM_25)
    edit = url("supportclient_edit", person)
    assert client.get(edit).status_code == 200
    data = {"registered_on": "10/01/2026", "birth_year": "", "age_group": AgeGroup.FROM_35, "gender": "female",
            "origin_province": people.province.pk, "version": person.version}
    assert client.post(edit, data).status_code == 302
    person.refresh_from_db()
    assert (person.age_group, person.origin_province) == (AgeGroup.FROM_35, people.province)
    assert client.post(edit, {**data, "age_group": AgeGroup.FROM_18}).status_code == 409
    with translation.override("vi"):
        future = client.post(edit, {**data, "registered_on": "01/01/2099", "version": person.version})
    assert future.status_code == 400 and "Ngày không thể sau hôm nay." in future.content.decode()
    person.refresh_from_db()
    assert person.age_group == AgeGroup.FROM_35 and person.registered_on == D(2026, 1, 10)




def test_close_and_reopen_and_a_stale_page_is_refused(client, people, worker):
    person = SupportClientFactory(unit=people.commune_a)
    version = person.version
    closed = client.post(url("supportclient_close", person), {"closed_on": "01/06/2026",
                                                              "close_reason": "goals_met", "version": version})
    assert closed.status_code == 302
    person.refresh_from_db()
    assert (person.status, person.closed_on) == (ClientStatus.CLOSED, D(2026, 6, 1))
    with translation.override("vi"):
        stale = client.post(url("supportclient_reopen", person), {"version": version})
    assert stale.status_code == 409 and "Thao tác CHƯA được thực hiện" in stale.content.decode()
    person.refresh_from_db()
    assert person.status == ClientStatus.CLOSED
    assert client.post(url("supportclient_reopen", person), {"version": person.version}).status_code == 302
    person.refresh_from_db()
    assert person.status == ClientStatus.OPEN and person.closed_on is None


def test_a_closing_before_registration_is_refused_on_the_form(client, people, worker):
    person = SupportClientFactory(unit=people.commune_a)
    response = client.post(url("supportclient_close", person), {"closed_on": "01/01/2026",
                                                                "close_reason": "moved", "version": person.version})
    assert response.status_code == 400 and "Không thể trước ngày tiếp nhận (10/01/2026)" in response.content.decode()
    person.refresh_from_db()
    assert person.status == ClientStatus.OPEN


# -- rights of the person -----------------------------------------------------------------------------------------


def test_the_data_subject_export_is_a_logged_attachment_named_by_code(client, people, worker, known):
    page = client.get(known.get_absolute_url()).content.decode()
    assert 'data-testid="export-json"' in page
    response = client.post(url("supportclient_export", known), {"format": "json", "reason": "Yêu cầu ngày 1/3"})
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert f'filename="ho-so-{known.code}.json"' in response["Content-Disposition"]
    assert IDENTITY["full_name"] in json.dumps(json.loads(response.content), ensure_ascii=False)
    assert AccessLog.objects.count() == 1
    assert client.post(url("supportclient_export", known), {"format": "json", "reason": ""}).status_code == 400
    assert AccessLog.objects.count() == 1


def test_erasure_by_the_supervisor_keeps_the_record_and_removes_the_identity(client, people, worker, known,
                                                                            supervisor):
    data = {"kind": ErasureKind.REQUEST_IDENTITY, "request_reference": "Đơn yêu cầu ngày 02/03/2026",
            "confirm": "on", "version": known.version}
    assert client.post(url("supportclient_erase", known), data).status_code == 403  # the worker may not
    login_verified(client, supervisor)
    assert 'data-testid="erase"' in client.get(known.get_absolute_url()).content.decode()
    unconfirmed = client.post(url("supportclient_erase", known), {**data, "confirm": ""})
    assert unconfirmed.status_code == 400 and not ErasureRecord.objects.exists()
    response = client.post(url("supportclient_erase", known), data, follow=True)
    assert response.status_code == 200
    known.refresh_from_db()
    assert SupportClient.objects.filter(pk=known.pk).exists() and not known.has_identity
    assert known.identity_purged_at is not None
    page = response.content.decode()
    assert "Đã xóa thông tin nhận dạng" in page and 'data-testid="erasures"' in page
    assert "Đơn yêu cầu ngày 02/03/2026" in page and shows_identity(page) == []
    record = ErasureRecord.objects.get()
    assert (record.client, record.kind, record.performed_by) == (known, ErasureKind.REQUEST_IDENTITY, supervisor)


def test_the_supervisor_sees_who_read_the_record(client, people, known, supervisor):
    services.reveal_identity(known, user=people.support_worker, reason="Liên hệ hẹn khám", endpoint="test")
    login_verified(client, people.support_worker)
    assert 'data-testid="access-history"' not in client.get(known.get_absolute_url()).content.decode()
    login_verified(client, supervisor)
    page = client.get(known.get_absolute_url()).content.decode()
    assert 'data-testid="access-history"' in page and "Liên hệ hẹn khám" in page


# -- performance --------------------------------------------------------------------------------------------------


def test_the_client_page_takes_the_same_queries_however_long_its_file(client, people, worker, hiv_clinic):
    person = SupportClientFactory(unit=people.commune_a)
    page_url = person.get_absolute_url()
    client.get(page_url)
    few = count_queries(lambda: client.get(page_url))
    for day in range(11, 16):
        ConsentFactory(client=person, given_on=D(2026, 1, day), for_referral=True)
        NeedsAssessmentFactory(client=person, assessed_on=D(2026, 1, day))
        ServiceDeliveryFactory(client=person, delivered_on=D(2026, 1, day), provider_agency=hiv_clinic)
        ReferralFactory(client=person, sent_on=D(2026, 1, day), to_agency=hiv_clinic)
    assert count_queries(lambda: client.get(page_url)) == few
