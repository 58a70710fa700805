"""Production mode refuses unsafe configuration; checked in a fresh interpreter, as a deployment would start."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def _start(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "DEBUG"}}
    # An empty .env stand-in: point the settings at a directory without one by overriding every value.
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "lanhmanh.settings", **env},
        capture_output=True, text=True, cwd=settings.BASE_DIR,
    )


def test_production_refuses_the_default_secret():
    result = _start(DEBUG="0", SECRET_KEY="dev-only-insecure-secret-key-change-me", FIELD_ENCRYPTION_KEYS="x" * 44)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_run_without_encryption_keys():
    result = _start(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), FIELD_ENCRYPTION_KEYS="")
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS must be set" in result.stderr


def test_deploy_check_is_clean_in_production_mode():
    # The browser tests allow async-unsafe calls in their process; a deployment never does.
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**env, "DEBUG": "0", "LANHMANH_HTTPS": "1", "SECRET_KEY": secrets.token_urlsafe(50),
             "FIELD_ENCRYPTION_KEYS": "ZGV2LW9ubHkta2V5LWRvLW5vdC11c2UtaW4tcHJvZCE="},
        capture_output=True, text=True, cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_healthz_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_error_pages_are_vietnamese_and_leak_nothing(client, people):
    client.force_login(people.officer_a)
    response = client.get("/geo/agency/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Không tìm thấy" in body and "Traceback" not in body


def test_security_headers(client, db):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
