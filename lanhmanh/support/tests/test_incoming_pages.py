"""The receiving agency's pages and the access review.

A legal aid centre's officer sees the referrals sent to the centre, by number, never the client's code or any
identifying detail the sender did not share; shared identity is shown only on a reasoned request, logged once per
showing; the centre accepts, declines (with a reason) and completes a referral, and a service it reports lands on the
client's file at the sending unit. A supervisor reviews who read which support record and exports it for an audit.
"""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from lanhmanh.accounts.models import Membership
from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.models import AccessLog
from lanhmanh.core.services import log_access
from lanhmanh.core.testing import count_queries, login_verified
from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory
from lanhmanh.support import services
from lanhmanh.support.models import (
    AgeGroup,
    ConsentGiver,
    NeedArea,
    Referral,
    ReferralStatus,
    ServiceDelivery,
    SharedItem,
)
from lanhmanh.support.tests.factories import ServiceTypeFactory, SupportClientFactory

D = datetime.date
INBOX = "/support/incoming/"
REVIEW = "/support/access-review/"
NAME = "Nguyễn Thị Thử Nghiệm"
PHONE = "0912345678"
ID_NUMBER = "031199000123"
ADDRESS = "Số 5 ngõ Thử Nghiệm"
BORN = "15/03/1998"
REASON = "Cần trợ giúp pháp lý để làm lại giấy tờ tùy thân."


def detail_url(referral):
    return reverse("support:incoming_detail", args=[referral.pk])


def action_url(referral, action):
    return reverse(f"support:incoming_{action}", args=[referral.pk])


@pytest.fixture
def legal_aid(people):
    kind = AgencyTypeFactory(code="legal_aid", name="Trung tâm Trợ giúp pháp lý nhà nước")
    return AgencyFactory(unit=people.province, name="Trung tâm Trợ giúp pháp lý nhà nước thành phố Hải Phòng",
                         agency_type=kind)


@pytest.fixture
def clinic(people):
    kind = AgencyTypeFactory(code="hiv_clinic", name="Cơ sở điều trị HIV, phòng khám ngoại trú")
    return AgencyFactory(unit=people.province, name="Phòng khám ngoại trú HIV thành phố", agency_type=kind)


def partner_of(agency, username, full_name=""):
    user = UserFactory(username=username, full_name=full_name, roles=[(agency.unit, Role.REFERRAL_PARTNER)])
    Membership.objects.filter(user=user).update(agency=agency)
    return user


@pytest.fixture
def partner(legal_aid):
    return partner_of(legal_aid, "trogiup.tinh", "Trần Văn Luật")


@pytest.fixture
def person(people, legal_aid, clinic):
    """An adult client of commune A with identifying details on file and a consent to be referred to legal aid and
    HIV clinics."""
    client = SupportClientFactory(unit=people.commune_a, consent__for_referral=True,
                                  consent__for_phone_contact=True, full_name=NAME, phone=PHONE,
                                  id_number=ID_NUMBER, address=ADDRESS, date_of_birth=BORN)
    client.consents.get().referral_agency_types.add(legal_aid.agency_type, clinic.agency_type)
    return client


def refer(people, person, agency, items=(SharedItem.AGE_GROUP, SharedItem.GENDER, SharedItem.FULL_NAME,
                                        SharedItem.PHONE), **kwargs):
    return services.send_referral(person, user=people.support_worker, to_agency=agency,
                                  reason=kwargs.pop("reason", REASON), shared_items=list(items),
                                  sent_on=kwargs.pop("sent_on", D(2026, 2, 2)), **kwargs)


@pytest.fixture
def referral(people, person, legal_aid):
    return refer(people, person, legal_aid)


@pytest.fixture
def supervisor(people):
    return UserFactory(username="giamsat.a", full_name="Lê Thị Giám Sát",
                       roles=[(people.commune_a, Role.SUPPORT_SUPERVISOR)])


def assert_no_identity(body: str, person, *, shared=()):
    """Neither the client's code nor any identifying detail that was not `shared`."""
    assert person.code not in body
    for value in (NAME, PHONE, ID_NUMBER, ADDRESS, BORN):
        if value not in shared:
            assert value not in body


# -- the inbox -------------------------------------------------------------------------------------------


def test_the_partner_sees_the_referrals_to_their_agency_only_by_number(client, people, person, referral, clinic):
    elsewhere = refer(people, person, clinic, reason="Cần điều trị ARV.")
    login_verified(client, partner_of(referral.to_agency, "trogiup.tinh"))
    response = client.get(INBOX)
    assert response.status_code == 200
    body = response.content.decode()
    assert detail_url(referral) in body and f"#{referral.pk}" in body
    assert detail_url(elsewhere) not in body
    assert "02/02/2026" in body and "Phường Hồng Bàng" in body and str(referral.to_agency) in body
    assert "Đã gửi" in body and 'data-testid="minor-flag"' not in body
    assert_no_identity(body, person)
    assert REASON not in body  # the reason is read on the referral's page, not in a list
    # The menu leads to the inbox.
    assert "Chuyển gửi đến cơ quan tôi" in body


def test_the_inbox_filters_by_status_and_sent_date(client, people, person, referral, legal_aid, partner):
    later = refer(people, person, legal_aid, sent_on=D(2026, 3, 15))
    services.respond_referral(later, user=partner, accept=True)
    login_verified(client, partner)
    accepted = client.get(INBOX, {"status": ReferralStatus.ACCEPTED}).content.decode()
    assert detail_url(later) in accepted and detail_url(referral) not in accepted
    march = client.get(INBOX, {"sent_on_after": "01/03/2026", "sent_on_before": "31/03/2026"}).content.decode()
    assert detail_url(later) in march and detail_url(referral) not in march


def test_a_minor_and_a_child_protection_referral_are_flagged(client, people):
    protection = AgencyFactory(unit=people.province, name="Trung tâm Công tác xã hội thành phố",
                               agency_type=AgencyTypeFactory(code="social_work", name="Trung tâm Công tác xã hội"))
    child = SupportClientFactory(unit=people.commune_a, age_group=AgeGroup.UNDER_16,
                                 consent__given_by=ConsentGiver.CHILD_PROTECTION)
    referral = services.send_referral(child, user=people.support_worker, to_agency=protection,
                                      reason="Trẻ em có nguy cơ.", shared_items=[SharedItem.AGE_GROUP],
                                      sent_on=D(2026, 2, 2), child_protection=True)
    login_verified(client, partner_of(protection, "ctxh.tinh"))
    with translation.override("vi"):
        inbox = client.get(INBOX).content.decode()
        page = client.get(detail_url(referral)).content.decode()
    for body in (inbox, page):
        assert 'data-testid="minor-flag"' in body and "Chuyển gửi bảo vệ trẻ em" in body
        assert child.code not in body
    assert "Dưới 16 tuổi" in page


def test_the_inbox_takes_the_same_queries_however_many_referrals(client, people, person, referral, legal_aid,
                                                                  partner):
    login_verified(client, partner)
    client.get(INBOX)
    few = count_queries(lambda: client.get(INBOX))
    for day in range(3, 9):
        refer(people, person, legal_aid, sent_on=D(2026, 2, day))
    assert count_queries(lambda: client.get(INBOX)) == few


# -- one referral ----------------------------------------------------------------------------------------


def test_the_referral_page_shows_what_was_shared_but_no_code_and_no_identity(client, person, referral, partner):
    login_verified(client, partner)
    with translation.override("vi"):
        response = client.get(detail_url(referral))
    assert response.status_code == 200
    body = response.content.decode()
    assert REASON in body and "Phường Hồng Bàng" in body and "02/02/2026" in body
    assert "Từ 25 đến 34 tuổi" in body and "Nữ" in body
    # The identifying items are named, not shown, until asked for with a reason.
    assert "Họ và tên, Số điện thoại" in body and 'data-testid="reveal-form"' in body
    assert_no_identity(body, person)
    assert "no-store" in response["Cache-Control"]
    assert not AccessLog.objects.exists()


def test_revealing_the_shared_identity_shows_it_once_and_logs_one_entry(client, person, referral, partner):
    login_verified(client, partner)
    response = client.post(action_url(referral, "reveal"), {"reason": "Liên hệ hẹn lịch tư vấn pháp lý"})
    assert response.status_code == 200
    body = response.content.decode()
    assert NAME in body and PHONE in body
    assert_no_identity(body, person, shared=(NAME, PHONE))
    assert "no-store" in response["Cache-Control"]
    log = AccessLog.objects.get()
    assert (log.user, log.object_id, log.content_type.model) == (partner, str(referral.pk), "referral")
    assert (log.reason, log.endpoint) == ("Liên hệ hẹn lịch tư vấn pháp lý", "support:incoming_reveal")
    assert "Họ và tên" in log.what and NAME not in log.what

    # Each showing is logged; a showing without a reason shows nothing and logs nothing.
    client.post(action_url(referral, "reveal"), {"reason": "Gọi lại lần hai"})
    assert AccessLog.objects.count() == 2
    with translation.override("vi"):
        refused = client.post(action_url(referral, "reveal"), {"reason": "  "})
    assert refused.status_code == 400
    assert "Hãy ghi lý do xem thông tin nhận dạng." in refused.content.decode()
    assert_no_identity(refused.content.decode(), person)
    assert AccessLog.objects.count() == 2
    # Never through a link or a query string.
    assert client.get(action_url(referral, "reveal"), {"reason": "x"}).status_code == 405


def test_a_referral_without_shared_identity_offers_no_reveal(client, people, person, legal_aid, partner):
    plain = refer(people, person, legal_aid, items=(SharedItem.GENDER,))
    login_verified(client, partner)
    assert 'data-testid="reveal-form"' not in client.get(detail_url(plain)).content.decode()
    assert client.post(action_url(plain, "reveal"), {"reason": "Thử"}).status_code == 400
    assert not AccessLog.objects.exists()


def test_accepting_then_completing_with_a_service_records_it_on_the_clients_file(client, person, referral, partner):
    service_type = ServiceTypeFactory(code="legal_aid_advice", name="Trợ giúp pháp lý", area=NeedArea.LEGAL)
    login_verified(client, partner)
    response = client.post(action_url(referral, "respond"), {"decision": "accept", "version": 1, "note": ""})
    assert response.status_code == 302 and response["Location"] == detail_url(referral)
    referral.refresh_from_db()
    assert (referral.status, referral.responded_by, referral.responded_on) == (
        ReferralStatus.ACCEPTED, partner, timezone.localdate())

    page = client.get(detail_url(referral)).content.decode()
    assert "Đã tiếp nhận chuyển gửi." in page and 'data-testid="complete"' in page
    assert service_type.name in page

    response = client.post(action_url(referral, "complete"), {
        "version": referral.version, "completed_on": "", "feedback": "Đã hỗ trợ làm lại căn cước công dân.",
        "service_type": service_type.pk, "outcome": "received"})
    assert response.status_code == 302 and response["Location"] == detail_url(referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED and referral.feedback.startswith("Đã hỗ trợ")
    service = ServiceDelivery.objects.get(referral=referral)
    assert (service.client, service.service_type, service.provider_agency, service.delivered_on) == (
        person, service_type, referral.to_agency, timezone.localdate())

    page = client.get(detail_url(referral)).content.decode()
    assert "Đã hoàn thành" in page and "Chuyển gửi đã kết thúc" in page
    assert_no_identity(page, person)


def test_a_completion_needs_feedback(client, referral, partner):
    services.respond_referral(referral, user=partner, accept=True)
    login_verified(client, partner)
    with translation.override("vi"):
        response = client.post(action_url(referral, "complete"), {"version": 2, "feedback": ""})
    assert response.status_code == 400
    assert "Hãy ghi kết quả hỗ trợ để phản hồi đơn vị gửi." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_a_decline_needs_a_reason(client, person, referral, partner):
    login_verified(client, partner)
    with translation.override("vi"):
        response = client.post(action_url(referral, "respond"), {"decision": "decline", "version": 1, "note": " "})
    assert response.status_code == 400
    body = response.content.decode()
    assert "Hãy ghi lý do từ chối để đơn vị gửi tìm nơi khác." in body
    assert_no_identity(body, person)
    referral.refresh_from_db()
    assert (referral.status, referral.version) == (ReferralStatus.SENT, 1)

    response = client.post(action_url(referral, "respond"), {
        "decision": "decline", "version": 1, "note": "Trung tâm chỉ nhận người cư trú trên địa bàn."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED
    assert referral.response_note == "Trung tâm chỉ nhận người cư trú trên địa bàn."


def test_an_answer_from_a_stale_page_changes_nothing(client, legal_aid, referral, partner):
    colleague = partner_of(legal_aid, "trogiup.tinh.2", "Phạm Thị Đồng Nghiệp")
    login_verified(client, partner)
    client.get(detail_url(referral))  # the page is opened at version 1
    services.respond_referral(referral, user=colleague, accept=True, expected_version=1)
    with translation.override("vi"):
        response = client.post(action_url(referral, "respond"), {"decision": "decline", "version": 1,
                                                                  "note": "Không đủ điều kiện."})
    assert response.status_code == 409
    body = response.content.decode()
    assert "Phạm Thị Đồng Nghiệp đã cập nhật chuyển gửi này" in body and "CHƯA được thực hiện" in body
    assert 'data-testid="complete"' in body  # the page as it now is: accepted
    referral.refresh_from_db()
    assert (referral.status, referral.version, referral.response_note) == (ReferralStatus.ACCEPTED, 2, "")


def test_other_users_get_404_or_403(client, people, referral):
    worker_b = UserFactory(username="hotro.b", roles=[(people.commune_b, Role.SUPPORT_WORKER)])
    login_verified(client, worker_b)
    assert client.get(detail_url(referral)).status_code == 404
    assert client.post(action_url(referral, "respond"), {"decision": "accept", "version": 1}).status_code == 404
    assert client.post(action_url(referral, "reveal"), {"reason": "Thử"}).status_code == 404
    assert detail_url(referral) not in client.get(INBOX).content.decode()
    # The sending worker works on the client's file, not in the receiving agency's inbox.
    login_verified(client, people.support_worker)
    assert client.get(detail_url(referral)).status_code == 404
    # Without the permission to receive referrals: no inbox at all.
    client.force_login(people.officer_a)
    assert client.get(INBOX).status_code == 403
    assert client.get(detail_url(referral)).status_code == 403
    client.logout()
    assert client.get(INBOX).status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT and not AccessLog.objects.exists()


def test_the_referral_page_takes_the_same_queries_however_much_was_shared(client, people, person, legal_aid, partner):
    few = refer(people, person, legal_aid, items=(SharedItem.GENDER,))
    many = refer(people, person, legal_aid, items=list(SharedItem.values))
    login_verified(client, partner)
    client.get(detail_url(few))
    assert count_queries(lambda: client.get(detail_url(many))) == count_queries(lambda: client.get(detail_url(few)))


# -- the access review -----------------------------------------------------------------------------------


@pytest.fixture
def logs(people, person, referral, partner):
    """A reveal by the receiving agency, a reveal of the client's identity at the unit, a read of a commune B client
    (outside the supervisor's scope) and a read of a record of another module in commune A."""
    services.reveal_shared(referral, user=partner, reason="Liên hệ hẹn lịch tư vấn pháp lý",
                           endpoint="support:incoming_reveal")
    services.reveal_identity(person, user=people.support_worker, reason="Gọi điện hẹn đi khám",
                             endpoint="support:supportclient_detail")
    other = SupportClientFactory(unit=people.commune_b)
    log_access(user=people.officer_b, obj=other, what="Thông tin nhận dạng", endpoint="thử", reason="Ngoài phạm vi")
    log_access(user=people.officer_a, obj=AgencyFactory(unit=people.commune_a), what="Cơ quan", endpoint="thử",
               reason="Không phải hồ sơ hỗ trợ")
    return other


def test_the_access_review_lists_who_read_what_and_why(client, people, person, referral, supervisor, logs):
    login_verified(client, supervisor)
    response = client.get(REVIEW)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Liên hệ hẹn lịch tư vấn pháp lý" in body and "Trần Văn Luật (trogiup.tinh)" in body
    assert f"Chuyển gửi #{referral.pk} · {person.code}" in body and "support:incoming_reveal" in body
    assert "Gọi điện hẹn đi khám" in body and "hotro.a" in body
    assert "Ngoài phạm vi" not in body and logs.code not in body and "Không phải hồ sơ hỗ trợ" not in body
    assert NAME not in body and PHONE not in body
    assert "Nhật ký truy cập hồ sơ hỗ trợ" in body  # in the menu and the title

    by_code = client.get(REVIEW, {"code": person.code.lower()}).content.decode()
    assert "Liên hệ hẹn lịch tư vấn pháp lý" in by_code and "Gọi điện hẹn đi khám" in by_code
    # A code outside the reviewer's scope finds nothing, not even that it exists.
    assert "Ngoài phạm vi" not in client.get(REVIEW, {"code": logs.code}).content.decode()
    by_user = client.get(REVIEW, {"user": AccessLog.objects.get(reason__startswith="Liên hệ").user_id}).content
    assert "Liên hệ hẹn lịch".encode() in by_user and "Gọi điện hẹn".encode() not in by_user
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert "Gọi điện hẹn".encode() in client.get(REVIEW, {"at_after": today, "at_before": today}).content
    assert "Gọi điện hẹn".encode() not in client.get(REVIEW, {"at_before": "01/01/2026"}).content


def test_the_access_review_exports_the_filtered_rows(client, people, person, referral, supervisor, logs):
    login_verified(client, supervisor)
    response = client.get(REVIEW, {"code": person.code, "export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[str(cell) if cell is not None else "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Thời điểm", "Người truy cập", "Hồ sơ", "Đơn vị của hồ sơ", "Dữ liệu được xem",
                       "Trang hoặc API", "Lý do"]
    reveal = next(row for row in rows if row[6] == "Liên hệ hẹn lịch tư vấn pháp lý")
    assert reveal[1] == "Trần Văn Luật (trogiup.tinh)" and reveal[2] == f"Chuyển gửi #{referral.pk} · {person.code}"
    assert reveal[0] == timezone.localtime(AccessLog.objects.get(reason=reveal[6]).at).strftime("%d/%m/%Y %H:%M")
    assert [row[2] for row in rows[1:]].count(person.code) == 1 and len(rows) == 3
    assert not any(NAME in cell or PHONE in cell for row in rows for cell in row)

    csv = client.get(REVIEW, {"export": "csv"})
    assert csv.content.decode("utf-8").startswith("\ufeff") and "Gọi điện hẹn đi khám" in csv.content.decode()


def test_only_reviewers_see_the_access_review(client, people, partner):
    login_verified(client, people.support_worker)
    assert client.get(REVIEW).status_code == 403
    assert client.get(REVIEW, {"export": "xlsx"}).status_code == 403
    login_verified(client, partner)
    assert client.get(REVIEW).status_code == 403
    client.force_login(people.officer_a)  # reviews the core access log, not the support records
    assert client.get(REVIEW).status_code == 403


def test_the_access_review_takes_the_same_queries_however_many_rows(client, people, person, referral, partner,
                                                                  supervisor, logs):
    login_verified(client, supervisor)
    client.get(REVIEW)
    few = count_queries(lambda: client.get(REVIEW))
    few_by_code = count_queries(lambda: client.get(REVIEW, {"code": person.code}))
    for n in range(5):
        services.reveal_shared(referral, user=partner, reason=f"Lần {n}", endpoint="support:incoming_reveal")
        services.reveal_identity(person, user=people.support_worker, reason=f"Lần {n}", endpoint="thử")
        log_access(user=people.support_worker, obj=person.consents.get(), what="Phiếu đồng ý", endpoint="thử")
    assert Referral.objects.count() == 1
    assert count_queries(lambda: client.get(REVIEW)) == few
    assert count_queries(lambda: client.get(REVIEW, {"code": person.code})) == few_by_code


def test_filters_refresh_only_the_table(client, people, person, referral, partner, supervisor, logs):
    htmx = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "results"}
    login_verified(client, partner)
    inbox = client.get(INBOX, {"status": ReferralStatus.SENT}, **htmx).content.decode()
    assert inbox.lstrip().startswith('<div id="results"') and detail_url(referral) in inbox
    login_verified(client, supervisor)
    review = client.get(REVIEW, {"code": person.code}, **htmx).content.decode()
    assert review.lstrip().startswith('<div id="results"') and "Liên hệ hẹn lịch tư vấn pháp lý" in review
