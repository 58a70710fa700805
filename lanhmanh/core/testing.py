"""Test helpers every module uses: fixed units and people, factories found by model, query counting.

The fixed world (Healthchecks' alice/bob/charlie, in our terms):
    province P ── commune A ── (records of A)
               └─ commune B ── (records of B)
    officer_a, officer_b: programme officers of the sibling communes A and B
    province_officer:    programme officer of P (sees A and B)
    support_worker:      support worker of A (a role that must use a second factor)
    nobody:              an account with no membership yet
    admin:               superuser
"""

import shutil
from dataclasses import dataclass
from importlib import import_module

import factory
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

PASSWORD = "mat-khau-thu-nghiem-2026"
# Debian's Chromium, which the browser tests drive (CI installs it).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@dataclass
class People:
    nation: object
    province: object
    commune_a: object
    commune_b: object
    officer_a: object
    officer_b: object
    province_officer: object
    support_worker: object
    nobody: object
    admin: object


def build_people() -> People:
    from lanhmanh.accounts.roles import Role
    from lanhmanh.accounts.tests.factories import UserFactory
    from lanhmanh.geo.models import AdminUnit
    from lanhmanh.geo.tests.factories import AdminUnitFactory

    nation = AdminUnitFactory(code="VN", name="Việt Nam", level=AdminUnit.Level.NATION, parent=None)
    province = AdminUnitFactory(code="31", name="Thành phố Hải Phòng", level=AdminUnit.Level.PROVINCE, parent=nation)
    commune_a = AdminUnitFactory(code="11311", name="Phường Hồng Bàng", level=AdminUnit.Level.COMMUNE, parent=province)
    commune_b = AdminUnitFactory(code="11329", name="Phường Ngô Quyền", level=AdminUnit.Level.COMMUNE, parent=province)
    return People(
        nation=nation,
        province=province,
        commune_a=commune_a,
        commune_b=commune_b,
        officer_a=UserFactory(username="canbo.a", roles=[(commune_a, Role.PROGRAMME_OFFICER)]),
        officer_b=UserFactory(username="canbo.b", roles=[(commune_b, Role.PROGRAMME_OFFICER)]),
        province_officer=UserFactory(username="canbo.tinh", roles=[(province, Role.PROGRAMME_OFFICER)]),
        support_worker=UserFactory(username="hotro.a", roles=[(commune_a, Role.SUPPORT_WORKER)]),
        nobody=UserFactory(username="chua.phan.quyen"),
        admin=UserFactory(username="quantri", is_superuser=True, is_staff=True),
    )


def all_factories() -> dict:
    """{model: factory} from every app's tests/factories.py."""
    found = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("lanhmanh."):
            continue
        try:
            module = import_module(f"{config.name}.tests.factories")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, factory.django.DjangoModelFactory):
                model = value._meta.model
                if model is not None and value.__module__ == module.__name__:
                    found.setdefault(model, value)
    return found


def make_in_unit(model, unit, **kwargs):
    """A saved record of `model` owned by `unit`, from the model's factory."""
    model_factory = all_factories()[model]
    if hasattr(model_factory, "in_unit"):
        return model_factory.in_unit(unit, **kwargs)
    return model_factory(**{model.scope_field: unit}, **kwargs)


def count_queries(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def login_with_second_factor(client, user):
    """Log `user` in through the real password and TOTP pages, as a personal-data role must."""
    from django.urls import reverse
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
    client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    response = client.post(reverse("second_factor"), {"token": token})
    assert response.status_code == 302, "second factor refused"
    return client


def browser_login(page, live_server, username):
    """Log in through the real login page of the live server."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def proposed_mapping(client, job) -> dict:
    """The column-mapping page's proposal for an import `job`, as the form data a user accepting it would post."""
    import re

    from django.urls import reverse

    page = client.get(reverse("import_job_mapping", args=[job.pk])).content.decode()
    chosen = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        match = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        chosen[name] = match.group(1) if match else ""
    start = re.search(r'name="data_start_row" value="(\d+)"', page)
    chosen["data_start_row"] = start.group(1) if start else ""
    return chosen


def login_verified(client, user):
    """force_login, and for a role that must use a second factor, a session that has passed it (as after the TOTP
    page). For tests whose subject is not the login itself."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    if user.needs_second_factor:
        device, _created = TOTPDevice.objects.get_or_create(user=user, name="test", defaults={"confirmed": True})
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client
