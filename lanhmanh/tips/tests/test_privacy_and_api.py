"""The reporter's contact: encrypted at rest, shown only to handling roles that passed the second factor and only
when asked for, every showing logged, and never in a list, export, API listing, log line or URL. And the API."""

import datetime
import logging

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from lanhmanh.core.models import AccessLog
from lanhmanh.core.testing import login_with_second_factor
from lanhmanh.tips.models import Tip
from lanhmanh.tips.tests.factories import TipFactory

PHONE = "0912 345 678"


@pytest.fixture
def named_tip(people):
    return TipFactory(unit=people.commune_a, reporter_anonymous=False, reporter_name="Người Báo Tin Thử",
                      reporter_contact=PHONE, received_at=timezone.now())


def test_contact_is_encrypted_in_the_database(named_tip):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_name, reporter_contact FROM tips_tip WHERE id = %s", [named_tip.pk])
        name, contact = cursor.fetchone()
    assert "0912" not in contact and "Thử" not in name
    assert Tip.objects.get(pk=named_tip.pk).reporter_contact == PHONE


def test_contact_appears_in_no_list_export_api_or_log(client, people, named_tip, caplog):
    client.force_login(people.officer_a)
    with caplog.at_level(logging.DEBUG):
        pages = [
            client.get(reverse("tips:tip_list")),
            client.get(reverse("tips:tip_list"), {"export": "xlsx"}),
            client.get(reverse("tips:tip_list"), {"export": "csv"}),
            client.get(named_tip.get_absolute_url()),
            client.get(reverse("tips:tip_edit", args=[named_tip.pk])),
            client.get("/api/tips/"),
            client.get(f"/api/tips/{named_tip.pk}/"),
        ]
    for response in pages:
        assert response.status_code == 200
        body = response.content
        assert PHONE.encode() not in body and "Người Báo Tin Thử".encode() not in body
    assert not any("0912" in record.getMessage() for record in caplog.records)
    assert "reporter_contact" not in client.get("/api/tips/").json()["results"][0]


def test_programme_officer_cannot_reveal_the_reporter(client, people, named_tip):
    client.force_login(people.officer_a)
    page = client.get(named_tip.get_absolute_url(), {"reveal": "reporter"}).content.decode()
    assert PHONE not in page
    assert "chỉ hiển thị với cán bộ được phân công" in page
    assert client.get(f"/api/tips/{named_tip.pk}/reporter/").status_code == 403


def test_police_with_second_factor_reveals_and_the_read_is_logged(client, people, named_tip, police_a):
    login_with_second_factor(client, police_a)
    page = client.get(named_tip.get_absolute_url()).content.decode()
    assert PHONE not in page and "reveal=reporter" in page  # shown only when asked for
    before = AccessLog.objects.filter(what__icontains="người báo tin").count()
    page = client.get(named_tip.get_absolute_url(), {"reveal": "reporter"}).content.decode()
    assert PHONE in page
    assert AccessLog.objects.filter(what__icontains="người báo tin").count() == before + 1
    data = client.get(f"/api/tips/{named_tip.pk}/reporter/").json()
    assert data["reporter_contact"] == PHONE
    log = AccessLog.objects.filter(endpoint="api:tip-reporter", what="Thông tin người báo tin").get()
    assert log.user == police_a and log.object_id == str(named_tip.pk)
    # The edit form shows the details to this role only.
    assert PHONE in client.get(reverse("tips:tip_edit", args=[named_tip.pk])).content.decode()


def test_police_without_second_factor_is_stopped(client, people, named_tip, police_a):
    client.force_login(police_a)
    response = client.get(named_tip.get_absolute_url(), {"reveal": "reporter"})
    assert PHONE.encode() not in response.content


def test_edit_by_a_role_that_cannot_see_keeps_the_contact(client, people, named_tip):
    client.force_login(people.officer_a)
    response = client.post(reverse("tips:tip_edit", args=[named_tip.pk]), {
        "channel": "hotline", "received_at": "02/03/2026 09:00", "kind": "violation", "content": "Nội dung đã sửa",
        "expected_version": named_tip.version})
    assert response.status_code == 302, response.content.decode()[:1500]
    named_tip.refresh_from_db()
    assert named_tip.content == "Nội dung đã sửa" and named_tip.reporter_contact == PHONE


def test_anonymous_drops_anything_typed_about_the_reporter(client, people):
    client.force_login(people.officer_a)
    client.post(reverse("tips:tip_add"), {
        "unit": people.commune_a.pk, "channel": "hotline", "received_at": "02/03/2026 08:15", "kind": "crime",
        "content": "Tố giác", "reporter_anonymous": "on", "reporter_contact": PHONE})
    assert Tip.objects.get().reporter_contact == ""


def test_query_string_cannot_prefill_the_reporter(client, people):
    client.force_login(people.officer_a)
    page = client.get(reverse("tips:tip_add"), {"reporter_contact": PHONE}).content.decode()
    assert PHONE not in page


# -- API ----------------------------------------------------------------------------------------------


def test_api_intake_and_handling_steps(client, people):
    client.force_login(people.officer_a)
    response = client.post("/api/tips/", {
        "unit": people.commune_a.code, "channel": "hotline", "received_at": "2026-03-03T09:00:00+07:00",
        "kind": "crime", "subject": "harbouring", "content": "Nghi chứa mại dâm tại nhà nghỉ",
        "reporter_anonymous": False, "reporter_contact": PHONE}, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["deadline"] == "2026-03-23" and "reporter_contact" not in data
    pk = data["id"]
    step = client.post(f"/api/tips/{pk}/verify/", {"version": data["version"]}, content_type="application/json")
    assert step.json()["status"] == "verifying"
    extended = client.post(f"/api/tips/{pk}/extend/", {"version": step.json()["version"], "days": 10,
                                                        "reason": "Cần xác minh thêm"}, content_type="application/json")
    assert extended.json()["deadline"] == "2026-04-02" and extended.json()["extension_days"] == 10
    stale = client.post(f"/api/tips/{pk}/conclude/", {"version": step.json()["version"], "status": "not_confirmed"},
                        content_type="application/json")
    assert stale.status_code == 409
    done = client.post(f"/api/tips/{pk}/conclude/", {"version": extended.json()["version"], "status": "not_confirmed",
                                                      "concluded_on": "2026-03-20"}, content_type="application/json")
    assert done.status_code == 200 and done.json()["handled_on_time"] is True


def test_api_refuses_a_bad_step_with_a_vietnamese_message(client, people):
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now())
    client.force_login(people.officer_a)
    response = client.post(f"/api/tips/{tip.pk}/extend/", {"version": tip.version, "days": 500, "reason": "x"},
                           content_type="application/json")
    assert response.status_code == 400
    response = client.post(f"/api/tips/{tip.pk}/transfer/", {"version": tip.version},
                           content_type="application/json")
    assert response.status_code == 400 and "Hãy chọn đơn vị" in response.content.decode()


def test_api_transfer_to_another_commune(client, people):
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now())
    client.force_login(people.officer_a)
    payload = {"version": tip.version, "to_unit": people.commune_b.code, "reason": "Đúng địa bàn"}
    response = client.post(f"/api/tips/{tip.pk}/transfer/", payload, content_type="application/json")
    assert response.status_code == 200
    assert client.get(f"/api/tips/{tip.pk}/").status_code == 404
    client.force_login(people.officer_b)
    assert client.get(f"/api/tips/{tip.pk}/").json()["status"] == "received"


def test_api_unit_change_must_be_a_transfer(client, people):
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now())
    client.force_login(people.province_officer)
    response = client.patch(f"/api/tips/{tip.pk}/", {"unit": people.commune_b.code, "version": tip.version},
                            content_type="application/json")
    assert response.status_code == 400 and "transfer" in response.content.decode()


def test_deadline_rules_are_published(client, people):
    client.force_login(people.officer_a)
    rules = client.get("/api/tip-deadline-rules/").json()["results"]
    assert {r["kind"] for r in rules} == {"crime", "violation", "complaint", "petition"}


def test_digest_email_lists_due_tips_without_their_content(people, police_a, mailoutbox):
    from lanhmanh.tips.digest import send_digests

    today = timezone.localdate()
    overdue = TipFactory(unit=people.commune_a, assigned_officer=police_a, reporter_anonymous=False,
                         reporter_contact=PHONE, received_at=timezone.now() - datetime.timedelta(days=40))
    later = TipFactory(unit=people.commune_a, assigned_officer=police_a, received_at=timezone.now())
    assert send_digests(today=today, days_ahead=3) == 1
    message = mailoutbox[0]
    assert message.to == ["congan.a@example.vn"]
    assert overdue.number in message.body and "QUÁ HẠN" in message.body
    assert later.number not in message.body
    assert overdue.content not in message.body and "0912" not in message.body
