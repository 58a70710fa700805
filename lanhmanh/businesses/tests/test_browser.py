"""A commune officer registers a business, attaches its signed commitment and finds it again, in Chromium."""

import os

import pytest
from django.utils import timezone

from lanhmanh.businesses.models import Business, Commitment
from lanhmanh.core.testing import CHROMIUM, browser_login

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]


def test_register_attach_commitment_and_find_it(page, live_server, people, types, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    scan = tmp_path / "cam-ket.pdf"
    scan.write_bytes(b"%PDF-1.4\n%%EOF\n")
    browser_login(page, live_server, "canbo.a")

    page.goto(f"{live_server.url}/businesses/business/")
    page.click("text=Thêm mới")
    page.fill("#id_name", "Karaoke Trình Duyệt")
    page.select_option("#id_business_type", str(types["karaoke"].pk))
    page.fill("#id_address", "Số 8 đường Lạch Tray")
    page.fill("#id_owner_name", "Hoàng Văn Nam")
    page.fill("#id_workers_total", "10")
    page.fill("#id_workers_female", "6")
    page.fill("#id_workforce_as_of", "01/11/2026")
    page.click("main button[type=submit]")
    page.wait_for_selector("h1:has-text('Karaoke Trình Duyệt')")
    business = Business.objects.get(name="Karaoke Trình Duyệt")
    assert business.unit == people.commune_a  # the officer's only commune, chosen for them
    assert "Chưa có bản cam kết nào" in page.content()

    page.click("text=Thêm bản cam kết")
    today = timezone.localdate().strftime("%d/%m/%Y")
    page.fill("#id_signed_on", today)
    page.fill("#id_signer_name", "Hoàng Văn Nam")
    page.fill("#id_valid_until", f"31/12/{timezone.localdate().year + 1}")
    page.set_input_files("#id_scan", str(scan))
    page.click("main button[type=submit]")
    page.wait_for_selector("[data-testid=scan]")
    assert Commitment.objects.get(business=business).scan

    page.goto(f"{live_server.url}/businesses/business/")
    page.select_option("#id_commitment", "valid")
    page.wait_for_url("**commitment=valid*")
    page.wait_for_selector("#results >> text=Karaoke Trình Duyệt")
    page.select_option("#id_business_type", str(types["guest_house"].pk))
    page.wait_for_url("**business_type=*")
    page.wait_for_selector("#results [data-testid=total]:has-text('0 bản ghi')")
    page.select_option("#id_business_type", str(types["karaoke"].pk))
    page.wait_for_selector("#results >> text=Karaoke Trình Duyệt")
