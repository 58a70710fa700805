"""Handling a tip in the browser: intake, the queue, verification, conclusion, transfer between communes,
merging duplicates, reopening, attachments — and that stale pages never overwrite someone else's step."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.geo.tests.factories import AgencyFactory
from lanhmanh.tips import services
from lanhmanh.tips.models import Tip, TipKind
from lanhmanh.tips.tests.factories import TipFactory


def test_officer_records_a_hotline_tip_through_the_form(client, people):
    business = BusinessFactory(unit=people.commune_a, name="Karaoke Hoa Sen")
    client.force_login(people.officer_a)
    response = client.post(reverse("tips:tip_add"), {
        "unit": people.commune_a.pk, "channel": "hotline", "received_at": "02/03/2026 08:15", "kind": "violation",
        "address": "Ngõ 5 đường Lê Lợi", "business": business.pk, "content": "Quán hát có dấu hiệu môi giới",
        "reporter_anonymous": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    tip = Tip.objects.get()
    assert tip.unit == people.commune_a and tip.status == Tip.Status.RECEIVED
    # 02/03/2026 + 30 days (Luật Tố cáo) = 01/04/2026.
    assert tip.deadline == datetime.date(2026, 4, 1)
    page = client.get(response["Location"]).content.decode()
    assert "01/04/2026" in page and "Điều 30" in page and "Karaoke Hoa Sen" in page


def test_a_named_reporter_needs_a_name_or_contact(client, people):
    client.force_login(people.officer_a)
    response = client.post(reverse("tips:tip_add"), {
        "unit": people.commune_a.pk, "channel": "in_person", "received_at": "02/03/2026 08:15", "kind": "crime",
        "content": "Tố giác", "reporter_anonymous": "",
    })
    assert response.status_code == 200
    assert "hãy ghi họ tên hoặc cách liên hệ" in response.content.decode()
    assert not Tip.objects.exists()


def test_business_of_another_commune_is_refused(client, people):
    other = BusinessFactory(unit=people.commune_b)
    tip = Tip(unit=people.commune_a, channel="hotline", kind="crime", content="x", business=other)
    with pytest.raises(ValidationError, match="không thuộc địa bàn"):
        tip.clean()


def test_queue_shows_overdue_in_red_and_due_soon_in_amber(client, people):
    today = timezone.localdate()
    overdue = TipFactory(unit=people.commune_a, received_at=timezone.now() - datetime.timedelta(days=40))
    soon = TipFactory(unit=people.commune_a, kind=TipKind.PETITION, received_at=timezone.now())
    soon.deadline_from = today - datetime.timedelta(days=18)
    soon.kind = TipKind.CRIME
    soon.save()  # now due within a few days
    client.force_login(people.officer_a)
    page = client.get(reverse("tips:tip_list")).content.decode()
    assert overdue.deadline < today
    row_overdue = page[page.index(overdue.number) - 400: page.index(overdue.number)]
    assert "table-danger" in row_overdue
    if 0 <= (soon.deadline - today).days <= 3:
        row_soon = page[page.index(soon.number) - 400: page.index(soon.number)]
        assert "table-warning" in row_soon
    overdue_only = client.get(reverse("tips:tip_list"), {"state": "overdue"}).content.decode()
    assert overdue.number in overdue_only and soon.number not in overdue_only


def test_my_queue_lists_tips_assigned_to_me(client, people):
    mine = TipFactory(unit=people.commune_a, assigned_officer=people.officer_a)
    other = TipFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    page = client.get(reverse("tips:tip_list"), {"mine": "true", "state": "open"}).content.decode()
    assert mine.number in page and other.number not in page


def test_verify_then_conclude_through_the_page(client, people):
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now())
    client.force_login(people.officer_a)
    client.post(reverse("tips:tip_verify", args=[tip.pk]), {"version": tip.version})
    tip.refresh_from_db()
    assert tip.status == Tip.Status.VERIFYING
    response = client.post(reverse("tips:tip_conclude", args=[tip.pk]), {
        "status": "handled", "concluded_on": timezone.localdate().strftime("%d/%m/%Y"),
        "note": "Đã kiểm tra, lập biên bản vi phạm", "version": tip.version}, follow=True)
    tip.refresh_from_db()
    assert tip.status == Tip.Status.HANDLED and tip.outcome == Tip.Outcome.CONFIRMED
    assert tip.handled_on_time is True
    assert "xử lý đúng hạn" in response.content.decode()
    assert [h.history_change_reason for h in tip.history.order_by("history_date")][-2:] == [
        "Bắt đầu xác minh", "Đã xử lý"]


def test_a_stale_page_does_not_overwrite_another_officers_step(client, people):
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now())
    stale_version = tip.version
    services.start_verifying(tip, user=people.province_officer)
    client.force_login(people.officer_a)
    response = client.post(reverse("tips:tip_conclude", args=[tip.pk]), {
        "status": "not_confirmed", "concluded_on": timezone.localdate().strftime("%d/%m/%Y"), "note": "",
        "version": stale_version}, follow=True)
    tip.refresh_from_db()
    assert tip.status == Tip.Status.VERIFYING
    assert "Thao tác CHƯA được thực hiện" in response.content.decode()
    with pytest.raises(ConcurrentEditError):
        services.conclude(tip, status=Tip.Status.NOT_CONFIRMED, user=people.officer_a, expected_version=stale_version)


def test_transfer_between_communes_moves_the_tip_to_the_other_queue(client, people, police_b):
    police_station_b = AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now() - datetime.timedelta(days=5))
    client.force_login(people.officer_a)
    today = timezone.localdate()
    response = client.post(reverse("tips:tip_transfer", args=[tip.pk]), {
        "to_unit": people.commune_b.pk, "to_agency": police_station_b.pk, "transferred_on": today.strftime("%d/%m/%Y"),
        "reason": "Sự việc xảy ra trên địa bàn phường Ngô Quyền", "version": tip.version})
    assert response.status_code == 302
    tip.refresh_from_db()
    assert tip.unit == people.commune_b and tip.status == Tip.Status.RECEIVED
    assert tip.assigned_agency == police_station_b
    # The receiving commune's period runs from the transfer day.
    assert tip.deadline_from == today and tip.deadline >= today + datetime.timedelta(days=20)
    assert client.get(tip.get_absolute_url()).status_code == 404  # no longer commune A's
    client.force_login(people.officer_b)
    queue = client.get(reverse("tips:tip_list"), {"state": "open"}).content.decode()
    assert tip.number in queue
    detail = client.get(tip.get_absolute_url()).content.decode()
    assert "Phường Hồng Bàng → Công an phường Ngô Quyền" in detail
    client.force_login(people.province_officer)
    assert client.get(tip.get_absolute_url()).status_code == 200


def test_transfer_out_of_the_system_ends_the_tip_here(people):
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now())
    services.transfer(tip, to_other="Viện kiểm sát nhân dân thành phố", reason="Thuộc thẩm quyền",
                      user=people.officer_a)
    tip.refresh_from_db()
    assert tip.status == Tip.Status.TRANSFERRED and tip.concluded_on == timezone.localdate()
    assert tip.handled_on_time is True
    assert tip.transfers.get().to_other == "Viện kiểm sát nhân dân thành phố"


def test_transfer_needs_a_destination(people):
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now())
    with pytest.raises(ValidationError, match="chọn đơn vị"):
        services.transfer(tip, user=people.officer_a)


def test_merging_a_duplicate_keeps_both_histories_and_counts_once(client, people):
    original = TipFactory(unit=people.commune_a, received_at=timezone.now())
    duplicate = TipFactory(unit=people.commune_a, channel=Tip.Channel.MAILBOX, received_at=timezone.now())
    services.start_verifying(duplicate, user=people.officer_a)
    client.force_login(people.officer_a)
    client.post(reverse("tips:tip_merge", args=[duplicate.pk]), {"into": original.pk, "version": duplicate.version})
    duplicate.refresh_from_db()
    assert duplicate.duplicate_of == original and duplicate.status == Tip.Status.CLOSED
    assert duplicate.content and duplicate.history.count() == 3  # created, verifying, merged
    assert original.history.count() == 1
    page = client.get(original.get_absolute_url()).content.decode()
    assert duplicate.number in page
    assert Tip.objects.counted().count() == 1
    with pytest.raises(ValidationError):
        services.merge_duplicate(original, into=duplicate, user=people.officer_a)


def test_reopen_needs_a_reason_and_keeps_the_first_conclusion_in_history(people):
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now())
    services.conclude(tip, status=Tip.Status.NOT_CONFIRMED, user=people.officer_a)
    with pytest.raises(ValidationError, match="lý do"):
        services.reopen(tip, reason="", user=people.officer_a)
    services.reopen(tip, reason="Có thêm người báo cùng nội dung", user=people.officer_a)
    assert tip.status == Tip.Status.VERIFYING and tip.concluded_on is None
    assert tip.history.filter(status=Tip.Status.NOT_CONFIRMED).exists()


def test_conclusion_rules(people):
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now())
    with pytest.raises(ValidationError, match="lý do đóng"):
        services.conclude(tip, status=Tip.Status.CLOSED, user=people.officer_a)
    with pytest.raises(ValidationError, match="sau hôm nay"):
        services.conclude(tip, status=Tip.Status.NOT_CONFIRMED, on=timezone.localdate() + datetime.timedelta(days=1),
                          user=people.officer_a)


def test_photo_attached_by_an_officer_loses_its_exif(client, people):
    tip = TipFactory(unit=people.commune_a, received_at=timezone.now())
    exif = Image.Exif()
    exif[0x010F] = "MayAnhThuNghiem"
    exif[0x0110] = "Model X"
    source = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(source, "JPEG", exif=exif)
    assert b"MayAnhThuNghiem" in source.getvalue()
    source.name = "anh-hien-truong.jpg"
    source.seek(0)
    client.force_login(people.officer_a)
    client.post(reverse("tips:tip_attach", args=[tip.pk]), {"file": source, "description": "Ảnh hiện trường"})
    attachment = tip.attachments.get()
    stored = attachment.file.read()
    assert b"MayAnhThuNghiem" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert "anh-hien-truong" not in attachment.file.name
    download = client.get(reverse("tips:tip_attachment", args=[tip.pk, attachment.pk]))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    client.force_login(people.officer_b)
    assert client.get(reverse("tips:tip_attachment", args=[tip.pk, attachment.pk])).status_code == 404


def test_roles_outside_tip_handling_cannot_see_tips(client, people):
    TipFactory(unit=people.commune_a)
    for role in (Role.VIEWER, Role.INSPECTOR, Role.APPROVER, Role.DATA_CLERK, Role.AUDITOR):
        user = UserFactory(username=f"u-{role}", roles=[(people.commune_a, role)])
        client.force_login(user)
        assert client.get(reverse("tips:tip_list")).status_code == 403, role
        assert client.get("/api/tips/").status_code == 403, role


def test_business_page_shows_its_tips_to_handlers_only(client, people):
    business = BusinessFactory(unit=people.commune_a)
    tip = TipFactory(unit=people.commune_a, business=business)
    client.force_login(people.officer_a)
    assert tip.number in client.get(business.get_absolute_url()).content.decode()
    viewer = UserFactory(username="xem.a", roles=[(people.commune_a, Role.VIEWER)])
    client.force_login(viewer)
    assert tip.number not in client.get(business.get_absolute_url()).content.decode()


def test_open_tip_raises_inspection_priority_and_risk(people):
    from lanhmanh.businesses.services import suggest_risk
    from lanhmanh.inspections.services import rank_businesses

    business = BusinessFactory(unit=people.commune_a)
    quiet = BusinessFactory(unit=people.commune_a)
    TipFactory(unit=people.commune_a, business=business, received_at=timezone.now())
    ranking = rank_businesses(people.commune_a)
    assert ranking[0].business == business
    assert any("tin báo đang chờ xác minh" in r for r in ranking[0].reasons)
    assert any("tin báo" in r for r in suggest_risk(business)[1])
    assert not any("tin báo" in r for r in suggest_risk(quiet)[1])
