"""The public tip portal, as a person without an account uses it, and what the officers then see."""

import io
import logging
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.portal.models import PortalThrottle
from lanhmanh.tips import services
from lanhmanh.tips.models import Tip, TipAttachment

TIP_URL = "/portal/tip/"
STATUS_URL = "/portal/status/"
CODE_RE = re.compile(r"^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$")
PHONE = "0912 345 678"
PHONE_FRAGMENTS = ("0912", "345 678", "0912345678")
CLIENT_IP = "127.0.0.1"  # the Django test client's REMOTE_ADDR


def tip_data(people, **overrides):
    data = {"province": people.province.pk, "commune": people.commune_a.pk,
            "description": "Nhà nghỉ đầu hẻm có người môi giới khách vào ban đêm.", "place": "", "business_name": "",
            "contact": "", "website": ""}
    data.update(overrides)
    return data


def submit(client, people, **overrides):
    return client.post(TIP_URL, tip_data(people, **overrides))


def submit_from(client, people, forwarded_for):
    return client.post(TIP_URL, tip_data(people), HTTP_X_FORWARDED_FOR=forwarded_for)


def text_of(html: str, testid: str) -> str:
    match = re.search(rf'data-testid="{testid}">([^<]*)<', html)
    assert match, f"no element with data-testid={testid}"
    return match.group(1).strip()


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    exif[0x0132] = "2026:01:02 03:04:05"  # DateTime
    exif[0x8825] = {1: "N", 2: (20.0, 51.0, 30.0), 3: "E", 4: (106.0, 41.0, 2.0)}  # GPS position
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def hanoi(people):
    return AdminUnitFactory(code="01", name="Thành phố Hà Nội", level=AdminUnit.Level.PROVINCE, parent=people.nation)


# -- the form --------------------------------------------------------------------------------------


def test_form_is_public_vietnamese_and_asks_for_the_province(client, people):
    response = client.get(TIP_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="vi">' in html
    assert "Gửi tin báo" in html and "Tỉnh, thành phố" in html
    assert 'name="province"' in html and f'<option value="{people.province.pk}">Thành phố Hải Phòng</option>' in html


def test_communes_of_the_chosen_province_only(client, people, hanoi):
    AdminUnitFactory(code="00004", name="Phường Ba Đình", level=AdminUnit.Level.COMMUNE, parent=hanoi)

    response = client.get(reverse("portal:communes"), {"province": people.province.pk})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Phường Hồng Bàng" in html and "Phường Ngô Quyền" in html
    assert "Phường Ba Đình" not in html
    assert "Thành phố Hải Phòng" not in html  # communes, not the province itself


def test_communes_of_a_bad_province_parameter_are_empty(client, people):
    for value in ("", "abc", "31 OR 1=1", str(people.commune_a.pk)):
        response = client.get(reverse("portal:communes"), {"province": value})
        assert response.status_code == 200
        assert "Phường" not in response.content.decode()


def test_choosing_the_province_without_javascript_reloads_the_form(client, people):
    response = client.post(TIP_URL, tip_data(people, commune="", choose_province="1", contact=PHONE))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<option value="{people.commune_a.pk}">Phường Hồng Bàng</option>' in html
    assert "Nhà nghỉ đầu hẻm có người môi giới" in html  # what was typed is kept
    assert "0912" not in html  # but not the contact, which is typed again
    assert not Tip.objects.exists() and not PortalThrottle.objects.exists()


def test_commune_outside_the_chosen_province_is_refused(client, people, hanoi):
    response = submit(client, people, province=hanoi.pk)

    assert response.status_code == 400
    assert not Tip.objects.exists()


def test_commune_outside_the_chosen_province_is_explained(client, people, hanoi):
    response = submit(client, people, province=hanoi.pk)

    assert "Xã, phường này không thuộc tỉnh, thành phố đã chọn." in response.content.decode()


# -- a submission ----------------------------------------------------------------------------------


def test_submission_creates_a_web_tip_in_the_commune_queue(client, people):
    response = submit(client, people, place="Số 12 ngõ 5 đường Lạch Tray", business_name="Nhà nghỉ Hoa Hồng")

    assert response.status_code == 200
    html = response.content.decode()
    tip = Tip.objects.get()
    assert tip.unit == people.commune_a
    assert tip.channel == Tip.Channel.WEB and tip.status == Tip.Status.RECEIVED
    assert tip.deadline is not None
    assert tip.address == "Số 12 ngõ 5 đường Lạch Tray" and tip.business_name_given == "Nhà nghỉ Hoa Hồng"
    assert tip.reporter_anonymous is True and tip.reporter_contact == ""
    assert CODE_RE.match(tip.tracking_code)

    code, secret = text_of(html, "tracking-code"), text_of(html, "tracking-secret")
    assert code == tip.tracking_code
    assert "no-store" in response["Cache-Control"]  # the page with the secret is never cached
    assert len(secret) >= 8
    # The secret is not kept in clear on the row (nor in its history): only a keyed hash of it.
    assert secret not in tip.tracking_secret_hash
    assert services.check_tracking_secret(tip, secret)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM tips_tip WHERE id = %s", [tip.pk])
        row = cursor.fetchone()
        cursor.execute("SELECT * FROM tips_historicaltip WHERE id = %s", [tip.pk])
        history = cursor.fetchall()
    assert history
    for values in (row, *history):
        assert not any(secret in str(value) for value in values)


def test_form_is_protected_against_cross_site_posting(people):
    browser = Client(enforce_csrf_checks=True)
    form = browser.get(TIP_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)

    forged = browser.post(TIP_URL, tip_data(people), HTTP_ORIGIN="https://evil.example")
    assert forged.status_code == 403
    sent = browser.post(TIP_URL, {**tip_data(people), "csrfmiddlewaretoken": token}, HTTP_ORIGIN="http://testserver")
    assert sent.status_code == 200 and 'data-testid="tracking-code"' in sent.content.decode()
    assert Tip.objects.count() == 1


def test_submitted_tip_reaches_the_commune_officer_only(client, people):
    submit(client, people)
    tip = Tip.objects.get()

    client.force_login(people.officer_a)
    response = client.get("/tips/tip/")
    assert response.status_code == 200
    assert tip.number in response.content.decode()

    client.force_login(people.officer_b)
    response = client.get("/tips/tip/")
    assert response.status_code == 200
    assert tip.number not in response.content.decode()


def test_honeypot_filled_shows_thanks_but_stores_nothing(client, people):
    response = submit(client, people, website="http://spam.example")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Cảm ơn bạn đã báo tin" in html
    assert 'data-testid="tracking-code"' not in html
    assert not Tip.objects.exists()


def test_script_in_description_is_stored_as_text_and_shown_escaped(client, people):
    description = "Có người lạ <script>alert(1)</script> đứng trước cửa"
    submit(client, people, description=description)
    tip = Tip.objects.get()
    assert tip.content == description

    client.force_login(people.officer_a)
    response = client.get(tip.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)</script>" not in html


# -- the status page -------------------------------------------------------------------------------


def test_status_page_follows_the_tip_and_never_shows_its_content(client, people):
    description = "Quán karaoke Ánh Trăng có gái bán dâm sau 23 giờ"
    html = submit(client, people, description=description, place="Số 7 đường Tô Hiệu").content.decode()
    code, secret = text_of(html, "tracking-code"), text_of(html, "tracking-secret")
    tip = Tip.objects.get()

    def status_page(lookup_code=code):
        page = client.post(STATUS_URL, {"code": lookup_code, "secret": secret})
        assert page.status_code == 200
        text = page.content.decode()
        for private in ("Ánh Trăng", "karaoke", "Tô Hiệu", "Phường Hồng Bàng", tip.number):
            assert private not in text
        return text

    assert client.get(STATUS_URL).status_code == 200
    page = status_page()
    assert 'data-testid="public-status"' in page and "Đã tiếp nhận" in page
    assert "Đã tiếp nhận" in status_page(code.lower())  # the code may be typed in lower case

    services.start_verifying(tip, user=people.officer_a)
    page = status_page()
    assert "Đang xử lý" in page and "Đã tiếp nhận" not in page

    tip.refresh_from_db()
    services.conclude(tip, status=Tip.Status.NOT_CONFIRMED, user=people.officer_a)
    page = status_page()
    assert "Đã xử lý xong" in page
    assert "Không có căn cứ" not in page  # the outcome itself stays with the officers


def test_status_with_wrong_secret_shows_an_error_and_no_status(client, people):
    html = submit(client, people).content.decode()
    code = text_of(html, "tracking-code")

    response = client.post(STATUS_URL, {"code": code, "secret": "doan-mo-sai"})

    page = response.content.decode()
    assert "Mã tra cứu hoặc mã bí mật không đúng." in page
    assert 'data-testid="public-status"' not in page
    assert "Đã tiếp nhận" not in page


def test_status_with_unknown_code_gives_the_same_error(client, people):
    response = client.post(STATUS_URL, {"code": "AAAA-BBBB-CCCC", "secret": "bat-ky"})

    page = response.content.decode()
    assert "Mã tra cứu hoặc mã bí mật không đúng." in page
    assert 'data-testid="public-status"' not in page


# -- abuse protection ------------------------------------------------------------------------------


def test_sixth_submission_in_a_minute_is_refused(client, people):
    for _i in range(5):
        assert submit(client, people).status_code == 200

    response = submit(client, people)

    assert response.status_code == 429
    assert "Bạn đã gửi quá nhiều tin trong thời gian ngắn" in response.content.decode()
    assert Tip.objects.count() == 5


def test_forged_forwarded_for_header_does_not_escape_the_limit(client, people):
    for i in range(5):
        assert submit_from(client, people, f"203.0.113.{i}").status_code == 200

    assert submit_from(client, people, "198.51.100.7").status_code == 429
    assert Tip.objects.count() == 5


def test_daily_limit_of_twenty_submissions(client, people):
    for _batch in range(4):
        for _i in range(5):
            assert submit(client, people).status_code == 200
        # A quarter of an hour later: the per-minute limit is free again, the day still counts them.
        PortalThrottle.objects.update(at=timezone.now() - timezone.timedelta(minutes=15))

    response = submit(client, people)

    assert response.status_code == 429
    assert Tip.objects.count() == 20


def test_throttle_never_stores_the_sender_address(client, people):
    submit(client, people)
    client.post(STATUS_URL, {"code": "AAAA-BBBB-CCCC", "secret": "x"})

    rows = list(PortalThrottle.objects.all())
    assert {row.scope for row in rows} == {"submit", "status"}
    for row in rows:
        assert re.fullmatch(r"[0-9a-f]{64}", row.key)
        assert CLIENT_IP not in row.key and CLIENT_IP not in str(row)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM portal_portalthrottle")
        for values in cursor.fetchall():
            assert not any(CLIENT_IP in str(value) for value in values)


def test_old_throttle_rows_are_deleted_on_the_next_submission(client, people, settings):
    old = PortalThrottle.objects.create(scope="submit", key="a" * 64,
                                        at=timezone.now() - settings.TIP_PORTAL_THROTTLE_RETENTION
                                        - timezone.timedelta(minutes=5))
    recent = PortalThrottle.objects.create(scope="submit", key="b" * 64,
                                           at=timezone.now() - timezone.timedelta(hours=1))

    submit(client, people)

    assert not PortalThrottle.objects.filter(pk=old.pk).exists()
    assert PortalThrottle.objects.filter(pk=recent.pk).exists()


def test_eleventh_status_lookup_in_a_minute_is_refused(client, people):
    html = submit(client, people).content.decode()
    code, secret = text_of(html, "tracking-code"), text_of(html, "tracking-secret")
    for i in range(10):
        assert client.post(STATUS_URL, {"code": code, "secret": f"doan-{i}"}).status_code == 200

    response = client.post(STATUS_URL, {"code": code, "secret": secret})  # even the right secret now

    assert response.status_code == 429
    page = response.content.decode()
    assert "Bạn đã tra cứu quá nhiều lần" in page
    assert "Đã tiếp nhận" not in page


# -- the photo -------------------------------------------------------------------------------------


def test_photo_is_stored_without_its_exif(client, people):
    original = jpeg_with_exif()
    with Image.open(io.BytesIO(original)) as source:  # the test photo really carries the metadata
        assert source.getexif().get(0x010F) == "CameraMaker" and "exif" in source.info
        assert source.getexif().get_ifd(0x8825)

    response = submit(client, people, photo=SimpleUploadedFile("IMG_20260102.jpg", original, "image/jpeg"))

    assert response.status_code == 200
    attachment = TipAttachment.objects.get()
    assert attachment.tip == Tip.objects.get()
    assert attachment.content_type == "image/jpeg"
    assert "IMG_20260102" not in attachment.file.name
    with attachment.file.open("rb") as stored:
        data = stored.read()
    assert attachment.size == len(data)
    assert b"CameraMaker" not in data and b"PhoneModel" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG" and image.size == (64, 48)
        assert not image.getexif()
        assert "exif" not in image.info


def test_png_is_stored_without_its_text_chunks(client, people):
    from PIL import PngImagePlugin

    meta = PngImagePlugin.PngInfo()
    meta.add_text("Comment", "CameraMaker GPS 20.85,106.68")
    out = io.BytesIO()
    Image.new("RGBA", (20, 10), (0, 128, 0, 255)).save(out, "PNG", pnginfo=meta)
    assert b"CameraMaker" in out.getvalue()

    submit(client, people, photo=SimpleUploadedFile("screenshot.png", out.getvalue(), "image/png"))

    attachment = TipAttachment.objects.get()
    assert attachment.content_type == "image/png"
    with attachment.file.open("rb") as stored:
        data = stored.read()
    assert b"CameraMaker" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (20, 10) and "Comment" not in image.info


def test_file_that_is_not_an_image_is_refused(client, people, settings):
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is not a picture", "image/jpeg")

    response = submit(client, people, photo=fake)

    assert response.status_code == 400
    assert "Chỉ nhận ảnh JPG hoặc PNG." in response.content.decode()
    assert not Tip.objects.exists() and not TipAttachment.objects.exists()
    assert not any(settings.MEDIA_ROOT.rglob("*.*"))


def test_photo_over_the_size_limit_is_refused(client, people, settings):
    settings.TIP_PORTAL_PHOTO_MAX_BYTES = 1000
    big = Image.effect_noise((200, 200), 100).convert("RGB")
    out = io.BytesIO()
    big.save(out, "JPEG", quality=95)
    assert len(out.getvalue()) > 1000

    response = submit(client, people, photo=SimpleUploadedFile("photo.jpg", out.getvalue(), "image/jpeg"))

    assert response.status_code == 400
    assert "Tệp quá lớn." in response.content.decode()
    assert not Tip.objects.exists() and not TipAttachment.objects.exists()
    assert not any(settings.MEDIA_ROOT.rglob("*.*"))


# -- the reporter's contact ------------------------------------------------------------------------


def assert_no_phone(text: str, where: str):
    for fragment in PHONE_FRAGMENTS:
        assert fragment not in text, f"the reporter's number appears in {where}"


def test_contact_is_encrypted_and_shown_nowhere(client, people, caplog):
    caplog.set_level(logging.DEBUG)
    with CaptureQueriesContext(connection) as queries:  # also makes Django log every SQL statement at DEBUG
        html = submit(client, people, contact=PHONE).content.decode()
    code, secret = text_of(html, "tracking-code"), text_of(html, "tracking-secret")
    tip = Tip.objects.get()
    assert tip.reporter_contact == PHONE and tip.reporter_anonymous is False

    for record in caplog.records:
        assert_no_phone(record.getMessage() + str(record.args), f"the log ({record.name})")
    assert_no_phone(" ".join(q["sql"] for q in queries.captured_queries), "the SQL sent to the database")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter_contact FROM tips_tip WHERE id = %s", [tip.pk])
        (stored,) = cursor.fetchone()
        cursor.execute("SELECT reporter_contact FROM tips_historicaltip WHERE id = %s", [tip.pk])
        history = [value for (value,) in cursor.fetchall()]
    assert stored and stored != PHONE
    assert_no_phone(stored, "tips_tip.reporter_contact")
    assert_no_phone(" ".join(history), "tips_historicaltip.reporter_contact")

    status_page = client.post(STATUS_URL, {"code": code, "secret": secret}).content.decode()
    assert "Đã tiếp nhận" in status_page
    assert_no_phone(status_page, "the status page")

    client.force_login(people.officer_a)
    list_page = client.get("/tips/tip/")
    assert tip.number in list_page.content.decode()
    assert_no_phone(list_page.content.decode(), "the list page")

    csv = client.get("/tips/tip/", {"export": "csv"})
    assert csv.status_code == 200 and tip.number in csv.content.decode("utf-8-sig")
    assert_no_phone(csv.content.decode("utf-8-sig"), "the CSV export")

    xlsx = client.get("/tips/tip/", {"export": "xlsx"})
    assert xlsx.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = " ".join(str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row
                     if cell.value is not None)
    assert tip.number in cells
    assert_no_phone(cells, "the XLSX export")

    api_list = client.get("/api/tips/")
    assert api_list.status_code == 200 and str(tip.tracking_code) not in api_list.content.decode()
    assert str(tip.pk) in api_list.content.decode()
    assert_no_phone(api_list.content.decode(), "the API list")
    api_detail = client.get(f"/api/tips/{tip.pk}/")
    assert api_detail.status_code == 200 and api_detail.json()["content"] == tip.content
    assert_no_phone(api_detail.content.decode(), "the API detail")

    detail = client.get(tip.get_absolute_url())
    assert detail.status_code == 200
    assert_no_phone(detail.content.decode(), "the detail page before the officer asks to see the reporter")


@pytest.mark.parametrize("contact", ["", "   "])
def test_blank_contact_means_an_anonymous_tip(client, people, contact):
    submit(client, people, contact=contact)

    tip = Tip.objects.get()
    assert tip.reporter_anonymous is True and tip.reporter_contact == ""
