from django.test import override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from lanhmanh.core.testing import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.5")


def test_login_works_and_lands_on_home(client, people):
    response = _login(client, "canbo.a", PASSWORD)
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Phường Hồng Bàng" in page


def test_wrong_password_shows_a_vietnamese_error(client, people):
    page = _login(client, "canbo.a", "sai-mat-khau").content.decode()
    assert "mật khẩu chính xác" in page  # Django's own Vietnamese message


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_out(client, people):
    for _ in range(3):
        _login(client, "canbo.a", "sai-mat-khau")
    response = _login(client, "canbo.a", PASSWORD)  # even the right password is refused now
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_deactivated_user_cannot_log_in(client, people):
    people.officer_a.is_active = False
    people.officer_a.save()
    response = _login(client, "canbo.a", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def _totp_now(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@override_settings(OTP_TOTP_THROTTLE_FACTOR=0)  # no wait after the deliberate wrong code
def test_personal_data_role_must_set_up_a_second_factor(client, people):
    _login(client, "hotro.a", PASSWORD)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("second_factor"))

    setup = client.get(reverse("second_factor"))
    assert "data:image/svg+xml;base64," in setup.content.decode()  # the QR code, inline (no external service)
    device = TOTPDevice.objects.get(user=people.support_worker, confirmed=False)

    wrong = client.post(reverse("second_factor"), {"token": "000000"})
    assert "Mã không đúng" in wrong.content.decode()

    ok = client.post(reverse("second_factor"), {"token": _totp_now(device), "next": "/"})
    assert ok.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_second_login_asks_for_the_code_again(client, people):
    device = TOTPDevice.objects.create(user=people.support_worker, name="app", confirmed=True)
    _login(client, "hotro.a", PASSWORD)
    assert client.get("/").status_code == 302
    page = client.get(reverse("second_factor")).content.decode()
    assert "data:image/svg" not in page  # no new QR: the device exists
    client.post(reverse("second_factor"), {"token": _totp_now(device)})
    assert client.get("/").status_code == 200


def test_session_api_use_needs_the_second_factor_too(client, people):
    _login(client, "hotro.a", PASSWORD)
    response = client.get("/api/residential-groups/")
    assert response.status_code == 403
    assert "xác thực hai lớp" in response.json()["detail"]


def test_roles_without_personal_data_do_not_need_it(client, people):
    _login(client, "canbo.a", PASSWORD)
    assert client.get("/").status_code == 200
