"""The support API: the same rules as the pages. No identifying field in any read; the `identity` action shows them
to support workers of the client's own unit with a second factor and logs each showing; consent first; the
receiving agency sees the referral, never the client; erasure keeps the counts."""

import datetime
import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from lanhmanh.accounts.models import Membership
from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.models import AccessLog
from lanhmanh.core.testing import count_queries, login_verified
from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory
from lanhmanh.support import services
from lanhmanh.support.models import IDENTITY_FIELDS, Referral, ServiceDelivery, SupportClient
from lanhmanh.support.tests.factories import (
    ConsentFactory,
    NeedsAssessmentFactory,
    ReferralFactory,
    ServiceDeliveryFactory,
    SupportClientFactory,
)

D = datetime.date
JSON = "application/json"
CLIENTS = "/api/support-clients/"
# Invented values, distinctive enough that a match anywhere can only come from them.
IDENTITY = {
    "full_name": "Lê Thị Giảđịnh Qx",
    "date_of_birth": "05/06/2001",
    "phone": "0977000333",
    "id_number": "031201000333",
    "address": "Số 3 ngõ Giảđịnh Qx",
}
MARKERS = ["Giảđịnh", "0977000333", "031201000333", "05/06/2001"]


def _no_identity(response):
    body = response.content.decode()
    assert not any(marker in body for marker in MARKERS), body
    return body


def _keys(data) -> set:
    """Every key at any depth of a JSON document."""
    if isinstance(data, dict):
        return set(data) | {k for value in data.values() for k in _keys(value)}
    if isinstance(data, list):
        return {k for value in data for k in _keys(value)}
    return set()


@pytest.fixture
def hiv_clinic(people):
    kind = AgencyTypeFactory(code="hiv_clinic", name="Cơ sở điều trị HIV, phòng khám ngoại trú")
    return AgencyFactory(unit=people.province, agency_type=kind, name="Phòng khám ngoại trú HIV thành phố")


@pytest.fixture
def child_protection(people):
    kind = AgencyTypeFactory(code="child_protection", name="Cơ quan, người làm công tác bảo vệ trẻ em")
    return AgencyFactory(unit=people.commune_a, agency_type=kind, name="Cán bộ bảo vệ trẻ em phường Hồng Bàng")


@pytest.fixture
def partner(people, hiv_clinic):
    """A member of staff of the HIV clinic, who receives referrals sent to it."""
    user = UserFactory(username="tiepnhan.hiv")
    Membership.objects.create(user=user, unit=people.province, role=Role.REFERRAL_PARTNER, agency=hiv_clinic)
    return user


@pytest.fixture
def province_worker(people):
    return UserFactory(username="hotro.tinh", roles=[(people.province, Role.SUPPORT_WORKER)])


@pytest.fixture
def supervisor_a(people):
    return UserFactory(username="phutrach.a", roles=[(people.commune_a, Role.SUPPORT_SUPERVISOR)])


@pytest.fixture
def named_client(people):
    """A client of commune A with identifying details and consent to services and phone contact."""
    return services.register_client(
        user=people.support_worker, unit=people.commune_a,
        fields={"registered_on": D(2026, 1, 10), "age_group": "25_34", "gender": "female"},
        consent_fields={"for_services": True, "for_phone_contact": True}, identity=IDENTITY,
    )


def registration(**values):
    return {
        "unit": "11311",
        "registered_on": "2026-01-10",
        "age_group": "18_24",
        "gender": "female",
        "origin_province": "31",
        "consent": {"method": "written", "for_services": True, "for_referral": True,
                    "referral_agency_types": ["hiv_clinic"], "for_phone_contact": True},
        "identity": IDENTITY,
        **values,
    }


# -- clients and identity -------------------------------------------------------------------------------------


def test_registration_keeps_the_identity_out_of_every_read(client, people):
    login_verified(client, people.support_worker)
    response = client.post(CLIENTS, registration(), content_type=JSON)
    assert response.status_code == 201, response.content
    created = response.json()
    _no_identity(response)
    assert not _keys(created) & set(IDENTITY_FIELDS)
    assert created["code"].startswith("HT-11311-") and created["unit"] == "11311"
    assert (created["origin_province"], created["status"], created["version"]) == ("31", "open", 1)
    stored = SupportClient.objects.get(pk=created["id"])
    assert stored.full_name == IDENTITY["full_name"] and stored.created_by == people.support_worker
    consent = stored.consents.get()
    assert consent.given_on == D(2026, 1, 10) and consent.for_phone_contact
    assert [t.code for t in consent.referral_agency_types.all()] == ["hiv_clinic"]
    reads = [client.get(CLIENTS), client.get(f"{CLIENTS}{stored.pk}/"), client.get("/api/consents/"),
             client.get(CLIENTS, {"code": stored.code})]
    for read in reads:
        assert read.status_code == 200
        _no_identity(read)
        assert not _keys(read.json()) & set(IDENTITY_FIELDS)
    assert [row["id"] for row in reads[3].json()["results"]] == [stored.pk]
    assert not AccessLog.objects.exists()


def test_identity_is_shown_on_request_and_each_showing_is_logged_once(client, people, named_client):
    login_verified(client, people.support_worker)
    url = f"{CLIENTS}{named_client.pk}/identity/"
    response = client.post(url, {"reason": "Gọi điện hẹn lịch khám"}, content_type=JSON)
    assert response.status_code == 200
    assert response.json() == IDENTITY
    assert response["Cache-Control"] == "private, no-store"
    log = AccessLog.objects.get()
    assert (log.user, log.object_id, log.reason, log.endpoint) == (
        people.support_worker, str(named_client.pk), "Gọi điện hẹn lịch khám", "api:supportclient-identity")
    assert log.content_type == ContentType.objects.get_for_model(SupportClient)
    client.post(url, {"reason": "Lần nữa"}, content_type=JSON)
    assert AccessLog.objects.count() == 2
    # No reason, no showing and no log.
    refused = client.post(url, {"reason": ""}, content_type=JSON)
    assert refused.status_code == 400
    _no_identity(refused)
    assert AccessLog.objects.count() == 2
    # Never a GET.
    assert client.get(url).status_code == 405


def test_identity_is_refused_outside_the_owning_units_support_workers(client, people, named_client,
                                                                        province_worker):
    url = f"{CLIENTS}{named_client.pk}/identity/"
    payload = {"reason": "Kiểm tra"}
    # A support worker of the province sees the client's statistics, not who the person is.
    login_verified(client, province_worker)
    assert client.get(f"{CLIENTS}{named_client.pk}/").status_code == 200
    response = client.post(url, payload, content_type=JSON)
    assert response.status_code == 403
    _no_identity(response)
    # A programme officer has no access to the support module at all.
    login_verified(client, people.officer_a)
    assert client.get(f"{CLIENTS}{named_client.pk}/").status_code == 403
    assert client.post(url, payload, content_type=JSON).status_code == 403
    # The support worker of another commune does not find the record.
    login_verified(client, UserFactory(username="hotro.b", roles=[(people.commune_b, Role.SUPPORT_WORKER)]))
    assert client.post(url, payload, content_type=JSON).status_code == 404
    assert not AccessLog.objects.exists()


def test_a_session_without_the_second_factor_gets_nothing(client, people, named_client):
    client.force_login(people.support_worker)
    listing = client.get(CLIENTS)
    assert listing.status_code == 403 and "xác thực hai lớp" in listing.json()["detail"]
    response = client.post(f"{CLIENTS}{named_client.pk}/identity/", {"reason": "x"}, content_type=JSON)
    assert response.status_code == 403
    _no_identity(response)
    assert client.post(CLIENTS, registration(), content_type=JSON).status_code == 403
    assert not AccessLog.objects.exists()


def test_registration_errors_name_the_part_of_the_request(client, people, child_protection):
    login_verified(client, people.support_worker)
    # A phone number needs a consent to phone contact.
    no_phone_consent = registration(consent={"for_services": True})
    response = client.post(CLIENTS, no_phone_consent, content_type=JSON)
    assert response.status_code == 400
    assert "điện thoại" in response.json()["identity"]["phone"][0]
    _no_identity(response)
    # A minor: the consent of a guardian and a child-protection agency are needed; the referral goes with it.
    minor = registration(age_group="16_17", identity={}, consent={"for_services": True, "given_by": "self"})
    response = client.post(CLIENTS, minor, content_type=JSON)
    assert response.status_code == 400 and "given_by" in response.json()["consent"]
    minor["consent"]["given_by"] = "self_and_guardian"
    response = client.post(CLIENTS, minor, content_type=JSON)
    assert response.status_code == 400 and "child_protection_agency" in response.json()
    response = client.post(CLIENTS, {**minor, "child_protection_agency": child_protection.pk}, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["is_minor"] is True and body["needs_child_protection_referral"] is False
    referral = Referral.objects.get()
    assert referral.is_child_protection and referral.to_agency == child_protection
    # Only units of the user's scope.
    response = client.post(CLIENTS, registration(unit="11329"), content_type=JSON)
    assert response.status_code == 400 and "unit" in response.json()
    assert SupportClient.objects.count() == 1


def test_statistics_edit_close_and_reopen_need_the_version_read(client, people, named_client):
    login_verified(client, people.support_worker)
    url = f"{CLIENTS}{named_client.pk}/"
    assert client.patch(url, {"gender": "trans_woman"}, content_type=JSON).status_code == 400
    response = client.patch(url, {"gender": "trans_woman", "version": 1}, content_type=JSON)
    assert response.status_code == 200 and response.json()["gender"] == "trans_woman"
    assert client.patch(url, {"gender": "female", "version": 1}, content_type=JSON).status_code == 409
    # Identifying fields are not changed by an edit of the statistics.
    client.patch(url, {"full_name": "Khác", "version": 2}, content_type=JSON)
    named_client.refresh_from_db()
    assert named_client.full_name == IDENTITY["full_name"]
    version = named_client.version
    stale = client.post(f"{url}close/", {"reason": "goals_met", "on": "2026-02-01", "version": version - 1},
                        content_type=JSON)
    assert stale.status_code == 409
    closed = client.post(f"{url}close/", {"reason": "goals_met", "on": "2026-02-01", "version": version},
                         content_type=JSON)
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["closed_on"]) == ("closed", "2026-02-01")
    reopened = client.post(f"{url}reopen/", {"version": closed.json()["version"]}, content_type=JSON)
    assert reopened.json()["status"] == "open" and reopened.json()["closed_on"] is None
    # No deletion: a record is erased or anonymised on request.
    assert client.delete(url).status_code == 405


def test_identity_is_corrected_without_being_echoed(client, people, named_client):
    login_verified(client, people.support_worker)
    url = f"{CLIENTS}{named_client.pk}/"
    response = client.post(f"{url}correct-identity/", {"address": "Số 7 ngõ Giảđịnh Qx", "version": 1},
                           content_type=JSON)
    assert response.status_code == 200
    _no_identity(response)
    assert client.post(f"{url}correct-identity/", {"address": "x", "version": 1},
                       content_type=JSON).status_code == 409
    shown = client.post(f"{url}identity/", {"reason": "Kiểm tra sau khi sửa"}, content_type=JSON).json()
    assert shown["address"] == "Số 7 ngõ Giảđịnh Qx" and shown["full_name"] == IDENTITY["full_name"]
    bad = client.post(f"{url}correct-identity/", {"date_of_birth": "2001-06-05", "version": 2}, content_type=JSON)
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.json()["date_of_birth"][0]


def test_export_is_a_logged_attachment_named_by_code(client, people, named_client, province_worker):
    login_verified(client, people.support_worker)
    url = f"{CLIENTS}{named_client.pk}/export/"
    response = client.post(url, {"reason": "Yêu cầu của người được hỗ trợ", "format": "json"}, content_type=JSON)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="ho-so-{named_client.code}.json"'
    assert IDENTITY["full_name"] in json.dumps(json.loads(response.content), ensure_ascii=False)
    assert AccessLog.objects.filter(endpoint="api:supportclient-export").count() == 1
    docx = client.post(url, {"reason": "Bản đọc được", "format": "docx"}, content_type=JSON)
    assert docx.status_code == 200 and docx["Content-Disposition"].endswith('.docx"')
    assert docx.content[:2] == b"PK"
    assert AccessLog.objects.count() == 2
    login_verified(client, province_worker)
    assert client.post(url, {"reason": "x"}, content_type=JSON).status_code == 403
    assert AccessLog.objects.count() == 2


def test_erasure_removes_the_identity_and_keeps_the_counts(client, people, named_client, supervisor_a):
    NeedsAssessmentFactory(client=named_client, assessed_on=D(2026, 1, 15))
    ServiceDeliveryFactory(client=named_client, delivered_on=D(2026, 1, 20))
    year = (D(2026, 1, 1), D(2026, 12, 31))
    before = services.figures(people.commune_a, *year)
    assert (before.in_need, before.reached) == (1, 1)
    url = f"{CLIENTS}{named_client.pk}/erase/"
    payload = {"kind": "request_identity", "request_reference": "Đơn yêu cầu ngày 02/03/2026",
               "version": named_client.version}
    # Support workers do not erase; their supervisor does.
    login_verified(client, people.support_worker)
    assert client.post(url, payload, content_type=JSON).status_code == 403
    login_verified(client, supervisor_a)
    assert client.post(url, {**payload, "kind": "retention"}, content_type=JSON).status_code == 400
    assert client.post(url, {**payload, "version": 99}, content_type=JSON).status_code == 409
    response = client.post(url, payload, content_type=JSON)
    assert response.status_code == 200, response.content
    assert response.json()["kind"] == "request_identity"
    assert response.json()["request_reference"] == "Đơn yêu cầu ngày 02/03/2026"
    named_client.refresh_from_db()
    assert not named_client.has_identity and named_client.identity_purged_at is not None
    assert services.figures(people.commune_a, *year) == before
    shown = client.post(f"{CLIENTS}{named_client.pk}/identity/", {"reason": "Kiểm tra"}, content_type=JSON)
    assert shown.json() == dict.fromkeys(IDENTITY_FIELDS, "")


# -- consent, needs and services --------------------------------------------------------------------------------


def test_a_withdrawn_consent_stops_the_services_recorded_after_it(client, people):
    record = SupportClientFactory(unit=people.commune_a)
    consent = record.consents.get()
    login_verified(client, people.support_worker)
    service = {"client": record.pk, "service_type": "hiv_testing", "delivered_on": "2026-01-12"}
    response = client.post("/api/service-deliveries/", service, content_type=JSON)
    assert response.status_code == 201, response.content
    assert response.json()["client_code"] == record.code and response.json()["service_name"]
    withdrawn = client.post(f"/api/consents/{consent.pk}/withdraw/",
                            {"on": "2026-01-15", "note": "Không muốn tiếp tục", "version": consent.version},
                            content_type=JSON)
    assert withdrawn.status_code == 200 and withdrawn.json()["withdrawn_on"] == "2026-01-15"
    response = client.post("/api/service-deliveries/", {**service, "delivered_on": "2026-01-20"}, content_type=JSON)
    assert response.status_code == 400
    assert "chưa đồng ý (hoặc đã rút lại sự đồng ý) nhận dịch vụ hỗ trợ" in response.json()[0]
    assert ServiceDelivery.objects.count() == 1
    # A consent is not edited or deleted: it is withdrawn and a new one recorded.
    assert client.patch(f"/api/consents/{consent.pk}/", {"for_referral": True}, content_type=JSON).status_code == 405
    assert client.delete(f"/api/consents/{consent.pk}/").status_code == 405
    again = client.post("/api/consents/", {"client": record.pk, "given_on": "2026-01-25", "for_services": True},
                        content_type=JSON)
    assert again.status_code == 201, again.content
    response = client.post("/api/service-deliveries/", {**service, "delivered_on": "2026-01-26"}, content_type=JSON)
    assert response.status_code == 201


def test_a_consent_can_come_with_the_scan_of_the_signed_form(client, people):
    record = SupportClientFactory(unit=people.commune_a, consent=False)
    login_verified(client, people.support_worker)
    scan = SimpleUploadedFile("phieu.pdf", b"%PDF-1.4\n% phieu dong y\n%%EOF\n", content_type="application/pdf")
    response = client.post("/api/consents/", {"client": record.pk, "given_on": "2026-01-10", "for_services": "true",
                                              "signed_form": scan})
    assert response.status_code == 201, response.content
    assert response.json()["has_signed_form"] is True and "signed_form" not in response.json()
    consent = record.consents.get()
    assert services.read_signed_form(consent)[0].startswith(b"%PDF")


def test_needs_assessment_and_service_edits(client, people):
    record = SupportClientFactory(unit=people.commune_a)
    login_verified(client, people.support_worker)
    response = client.post("/api/needs-assessments/", {"client": record.pk, "assessed_on": "2026-01-15",
                                                      "needs": ["vocational", "health"]}, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["needs"] == ["health", "vocational"] and body["has_needs"] is True
    url = f"/api/needs-assessments/{body['id']}/"
    response = client.patch(url, {"needs": [], "version": 1}, content_type=JSON)
    assert response.status_code == 200 and response.json()["has_needs"] is False
    assert client.patch(url, {"needs": ["legal"], "version": 1}, content_type=JSON).status_code == 409
    bad = client.post("/api/needs-assessments/", {"client": record.pk, "assessed_on": "2099-01-01", "needs": []},
                      content_type=JSON)
    assert bad.status_code == 400 and bad.json()["assessed_on"] == ["Ngày không thể sau hôm nay."]
    service = ServiceDeliveryFactory(client=record)
    response = client.patch(f"/api/service-deliveries/{service.pk}/", {"outcome": "ongoing", "version": 1},
                            content_type=JSON)
    assert response.status_code == 200 and response.json()["outcome"] == "ongoing"
    # A client of another commune does not exist for this user.
    other = SupportClientFactory(unit=people.commune_b)
    response = client.post("/api/needs-assessments/", {"client": other.pk, "assessed_on": "2026-01-15", "needs": []},
                           content_type=JSON)
    assert response.status_code == 400 and "client" in response.json()


# -- referrals ------------------------------------------------------------------------------------------------


def test_a_referral_needs_consent_to_that_kind_of_agency(client, people, hiv_clinic):
    record = SupportClientFactory(unit=people.commune_a)  # consent to services only
    login_verified(client, people.support_worker)
    payload = {"client": record.pk, "to_agency": hiv_clinic.pk, "reason": "Cần điều trị ARV",
               "shared_items": ["age_group", "gender"], "sent_on": "2026-01-20"}
    response = client.post("/api/referrals/", payload, content_type=JSON)
    assert response.status_code == 400
    assert "chưa đồng ý được chuyển gửi đến Cơ sở điều trị HIV" in response.json()[0]
    assert not Referral.objects.exists()
    consent = client.post("/api/consents/", {"client": record.pk, "given_on": "2026-01-18", "for_services": True,
                                             "for_referral": True, "referral_agency_types": ["hiv_clinic"]},
                          content_type=JSON)
    assert consent.status_code == 201 and consent.json()["referral_agency_types"] == ["hiv_clinic"]
    response = client.post("/api/referrals/", payload, content_type=JSON)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["shared_items"], body["shares_identity"]) == ("sent", ["age_group", "gender"], False)
    assert body["shared_statistics"][0] == {"item": "age_group", "label": "Nhóm tuổi", "value": "Từ 25 đến 34 tuổi"}
    cancelled = client.post(f"/api/referrals/{body['id']}/cancel/", {"note": "Nhầm cơ quan", "version": 1},
                            content_type=JSON)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"


def test_the_receiving_agency_sees_the_referral_and_never_the_client(client, people, named_client, hiv_clinic,
                                                                        partner):
    ConsentFactory(client=named_client, given_on=D(2026, 1, 12), for_referral=True).referral_agency_types.add(
        hiv_clinic.agency_type)
    referral = services.send_referral(named_client, user=people.support_worker, to_agency=hiv_clinic,
                                      reason="Cần điều trị ARV", shared_items=["age_group", "full_name", "phone"],
                                      sent_on=D(2026, 1, 20))
    # The sender's view shows what was shared by kind, not the identifying values.
    login_verified(client, people.support_worker)
    sent = client.get(f"/api/referrals/{referral.pk}/")
    _no_identity(sent)
    assert sent.json()["shared_items"] == ["age_group", "full_name", "phone"] and sent.json()["shares_identity"]
    assert client.get("/api/incoming-referrals/").json()["results"] == []  # not sent to the worker's agency

    login_verified(client, partner)
    listing = client.get("/api/incoming-referrals/")
    assert listing.status_code == 200
    body = _no_identity(listing)
    assert named_client.code not in body
    (row,) = listing.json()["results"]
    assert row["id"] == referral.pk and not {"client", "client_code"} & set(row)
    assert (row["unit"], row["to_agency"], row["status"], row["is_minor"]) == ("11311", hiv_clinic.pk, "sent", False)
    assert row["shared_statistics"] == [{"item": "age_group", "label": "Nhóm tuổi", "value": "Từ 25 đến 34 tuổi"}]
    # Nothing else of the module is open to the receiving agency.
    for url in (CLIENTS, f"{CLIENTS}{named_client.pk}/", "/api/referrals/", "/api/consents/",
                "/api/service-deliveries/"):
        assert client.get(url).status_code == 403, url
    assert client.get("/api/service-types/").status_code == 200

    url = f"/api/incoming-referrals/{referral.pk}/"
    shown = client.post(f"{url}shared-identity/", {"reason": "Đặt lịch khám"}, content_type=JSON)
    assert shown.status_code == 200
    assert {r["item"]: r["value"] for r in shown.json()} == {"full_name": IDENTITY["full_name"],
                                                             "phone": IDENTITY["phone"]}
    log = AccessLog.objects.get()
    assert (log.user, log.reason, log.endpoint) == (partner, "Đặt lịch khám", "api:incomingreferral-shared-identity")

    accepted = client.post(f"{url}accept/", {"version": referral.version, "on": "2026-01-21"}, content_type=JSON)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    stale = client.post(f"{url}complete/", {"version": referral.version, "feedback": "x"}, content_type=JSON)
    assert stale.status_code == 409
    completed = client.post(f"{url}complete/", {"version": accepted.json()["version"], "on": "2026-01-25",
                                                "feedback": "Đã bắt đầu điều trị", "service_type": "arv"},
                            content_type=JSON)
    assert completed.status_code == 200, completed.content
    assert (completed.json()["status"], completed.json()["feedback"]) == ("completed", "Đã bắt đầu điều trị")
    _no_identity(completed)
    service = ServiceDelivery.objects.get()
    assert (service.client, service.referral, service.provider_agency) == (named_client, referral, hiv_clinic)
    assert client.post(f"{url}decline/", {"version": completed.json()["version"], "note": "x"},
                       content_type=JSON).status_code == 400


def test_a_decline_needs_a_reason_and_others_cannot_answer(client, people, hiv_clinic, partner):
    referral = ReferralFactory(client=SupportClientFactory(unit=people.commune_a), to_agency=hiv_clinic)
    login_verified(client, partner)
    url = f"/api/incoming-referrals/{referral.pk}/"
    response = client.post(f"{url}decline/", {"version": 1}, content_type=JSON)
    assert response.status_code == 400 and "lý do từ chối" in response.json()["note"][0]
    assert client.post(f"{url}decline/", {"version": 1, "note": "Hết chỗ"}, content_type=JSON).json()["status"] == (
        "declined")
    # Another agency's partner, and a partner without the second factor, see nothing.
    other = UserFactory(username="tiepnhan.khac")
    Membership.objects.create(user=other, unit=people.province, role=Role.REFERRAL_PARTNER,
                              agency=AgencyFactory(unit=people.province))
    login_verified(client, other)
    assert client.get("/api/incoming-referrals/").json()["results"] == []
    assert client.get(url).status_code == 404
    client.force_login(partner)
    assert client.get("/api/incoming-referrals/").status_code == 403
    # A programme officer has no receiving role.
    login_verified(client, people.officer_a)
    assert client.get("/api/incoming-referrals/").status_code == 403


# -- access review --------------------------------------------------------------------------------------------


def test_the_supervisor_reviews_who_was_shown_what(client, people, named_client, supervisor_a):
    other = SupportClientFactory(unit=people.commune_a)
    for record in (named_client, other):
        services.reveal_identity(record, user=people.support_worker, reason="Liên hệ", endpoint="test")
    login_verified(client, people.support_worker)
    assert client.get("/api/support-access-log/").status_code == 403
    login_verified(client, supervisor_a)
    response = client.get("/api/support-access-log/", {"client": named_client.code})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["client_code"], row["user"], row["reason"], row["record_type"]) == (
        named_client.code, people.support_worker.pk, "Liên hệ", "supportclient")
    assert len(client.get("/api/support-access-log/").json()["results"]) == 2
    assert client.get("/api/support-access-log/", {"since": "2099-01-01"}).json()["results"] == []
    # Another commune's supervisor does not see commune A's log.
    login_verified(client, UserFactory(username="phutrach.b", roles=[(people.commune_b, Role.SUPPORT_SUPERVISOR)]))
    assert client.get("/api/support-access-log/").json()["results"] == []


# -- lists --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["support-clients", "consents", "needs-assessments", "service-deliveries",
                                    "referrals", "incoming-referrals", "support-access-log"])
def test_list_query_count_does_not_grow_with_rows(client, people, hiv_clinic, partner, prefix):
    province_supervisor = UserFactory(username="phutrach.tinh", roles=[(people.province, Role.SUPPORT_SUPERVISOR)])
    user = partner if prefix == "incoming-referrals" else province_supervisor
    ct = ContentType.objects.get_for_model(SupportClient)

    def add(unit):
        record = SupportClientFactory(unit=unit, is_minor=True, age_group="unknown")
        NeedsAssessmentFactory(client=record)
        ServiceDeliveryFactory(client=record)
        ReferralFactory(client=record, to_agency=hiv_clinic)
        AccessLog.objects.create(user=people.support_worker, unit=unit, content_type=ct, object_id=str(record.pk),
                                 what="Thông tin nhận dạng", endpoint="test", reason="x")

    add(people.commune_a)
    login_verified(client, user)
    url = f"/api/{prefix}/"
    assert len(client.get(url).json()["results"]) == 1
    few = count_queries(lambda: client.get(url))
    for _ in range(6):
        add(people.commune_b)
    assert len(client.get(url).json()["results"]) == 7
    assert count_queries(lambda: client.get(url)) == few
