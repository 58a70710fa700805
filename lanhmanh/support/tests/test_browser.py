"""A support worker registers a client with consent, records a service and a referral; the receiving agency accepts
it — in Chromium, both with their second factor."""

import os

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.testing import CHROMIUM, PASSWORD
from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory
from lanhmanh.support.models import Referral, ReferralStatus, ServiceDelivery, SupportClient
from lanhmanh.support.tests.factories import ServiceTypeFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def _login_with_totp(page, live_server, user):
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="browser", defaults={"confirmed": True})
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/accounts/2fa/**")
    page.fill("input[name=token]", f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=6):06d}")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def test_register_serve_refer_and_accept(page, live_server, people):
    legal_aid = AgencyTypeFactory(code="legal_aid", name="Trung tâm Trợ giúp pháp lý nhà nước")
    centre = AgencyFactory(unit=people.province, agency_type=legal_aid,
                           name="Trung tâm Trợ giúp pháp lý nhà nước thành phố")
    ServiceTypeFactory(code="legal_counselling", name="Tư vấn pháp luật", area="legal")
    partner = UserFactory(username="tgpl.tinh", roles=[(people.province, Role.REFERRAL_PARTNER)])
    partner.memberships.update(agency=centre)

    _login_with_totp(page, live_server, people.support_worker)
    page.goto(f"{live_server.url}/support/supportclient/register/")
    page.select_option("#id_unit", label=people.commune_a.name)
    page.fill("#id_registered_on", "02/03/2026")
    page.select_option("#id_age_group", value="25_34")
    page.check("#id_for_referral")
    page.get_by_label(legal_aid.name, exact=True).check()
    page.fill("#id_full_name", "Người Thử Nghiệm Trình Duyệt")
    page.click("[data-testid=register]")
    page.wait_for_selector("[data-testid=identity]")
    client = SupportClient.objects.get()
    assert client.code in page.content()
    assert "Người Thử Nghiệm Trình Duyệt" not in page.content()  # identity only when asked for, with a reason

    page.click("[data-testid=add-service]")
    page.select_option("#service_service_type", label="Tư vấn pháp luật")
    page.fill("#service_delivered_on", "03/03/2026")
    page.click("#services form button[type=submit]")
    page.wait_for_selector("[data-testid=services] >> text=Tư vấn pháp luật")

    page.click("[data-testid=send-referral]")
    page.select_option("#referral_to_agency", label=centre.name)
    page.fill("#referral_reason", "Cần tư vấn pháp luật về giấy tờ tùy thân.")
    page.fill("#referral_sent_on", "03/03/2026")
    page.locator("#referrals").get_by_label("Nhóm tuổi", exact=True).check()
    page.click("#referrals form button[type=submit]")
    page.wait_for_selector("[data-testid=referrals] >> text=Đã gửi")

    _login_with_totp(page, live_server, partner)
    page.goto(f"{live_server.url}/support/incoming/")
    page.click("text=Xem, trả lời")
    page.wait_for_selector("[data-testid=shared-statistics] >> text=Từ 25 đến 34 tuổi")
    assert client.code not in page.content()  # the receiver sees the referral, not the client's file
    page.click("[data-testid=accept]")
    page.wait_for_selector("[data-testid=status] >> text=Đã tiếp nhận")

    referral = Referral.objects.get()
    assert (referral.status, referral.responded_by) == (ReferralStatus.ACCEPTED, partner)
    assert ServiceDelivery.objects.get(client=client).service_type.name == "Tư vấn pháp luật"
