from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from lanhmanh.accounts.models import Membership, User
from lanhmanh.accounts.roles import Role, role_grants
from lanhmanh.geo.tests.factories import AgencyFactory


def _new_user(**changes):
    data = {"username": "canbo.moi", "full_name": "Cán bộ mới", "position": "Công chức",
            "email": "", "phone": "0900000001", "password": "mot-mat-khau-dai-2026",
            "role": Role.DATA_CLERK}
    return {**data, **changes}


def test_officer_creates_a_user_with_a_membership_in_their_commune(client, people):
    client.force_login(people.officer_a)
    agency = AgencyFactory(unit=people.commune_a)
    response = client.post(reverse("accounts:user_add"),
                           _new_user(unit=people.commune_a.pk, agency=agency.pk))
    assert response.status_code == 302
    user = User.objects.get(username="canbo.moi")
    assert user.check_password("mot-mat-khau-dai-2026")
    membership = user.memberships.get()
    assert (membership.unit, membership.role, membership.agency) == (people.commune_a, Role.DATA_CLERK, agency)


def test_officer_cannot_give_a_membership_outside_their_subtree(client, people):
    client.force_login(people.officer_a)
    response = client.post(reverse("accounts:user_add"), _new_user(unit=people.commune_b.pk))
    assert response.status_code == 200
    assert not User.objects.filter(username="canbo.moi").exists()
    # Commune B is not even offered: only units in the officer's subtree are valid choices.
    assert "lựa chọn hợp lệ" in response.content.decode()


def test_weak_password_is_refused_with_a_reason(client, people):
    client.force_login(people.officer_a)
    response = client.post(reverse("accounts:user_add"), _new_user(unit=people.commune_a.pk, password="123"))
    assert response.status_code == 200
    assert not User.objects.filter(username="canbo.moi").exists()


def test_officer_sees_only_users_of_their_subtree(client, people):
    client.force_login(people.officer_a)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "canbo.a" in page and "canbo.b" not in page
    client.force_login(people.province_officer)
    page = client.get(reverse("accounts:user_list")).content.decode()
    assert "canbo.a" in page and "canbo.b" in page


def test_officer_deactivates_a_user(client, people):
    client.force_login(people.province_officer)
    user = people.officer_b
    response = client.post(reverse("accounts:user_edit", args=[user.pk]), {
        "full_name": user.full_name, "position": "", "email": "", "phone": "", "expected_version": user.version,
    })
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.is_active is False


def test_officer_adds_a_second_membership(client, people):
    client.force_login(people.province_officer)
    response = client.post(reverse("accounts:membership_add"), {
        "user": people.officer_a.pk, "unit": people.commune_b.pk, "role": Role.VIEWER, "is_active": "on",
    })
    assert response.status_code == 302
    assert Membership.objects.filter(user=people.officer_a, unit=people.commune_b, role=Role.VIEWER).exists()


def test_roles_table():
    assert role_grants(Role.PROGRAMME_OFFICER, "geo.add_residentialgroup")
    assert not role_grants(Role.PROGRAMME_OFFICER, "support.view_supportclient")
    assert not role_grants(Role.PROGRAMME_OFFICER, "accounts.delete_user")
    assert role_grants(Role.SUPPORT_WORKER, "support.see_identity")
    assert not role_grants(Role.VIEWER, "tips.see_reporter_contact")
    assert not role_grants(Role.VIEWER, "geo.add_agency")
    assert role_grants(Role.AUDITOR, "core.view_accesslog")


def test_personal_api_token(client, people):
    client.force_login(people.officer_a)
    client.post(reverse("token_create"))
    page = client.get(reverse("profile")).content.decode()
    token = Token.objects.get(user=people.officer_a)
    assert token.key in page
    assert token.key not in client.get(reverse("profile")).content.decode()  # shown once
    client.logout()
    response = client.get("/api/residential-groups/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    refused = client.get("/api/residential-groups/", HTTP_AUTHORIZATION="Token sai")
    assert refused.status_code in (401, 403)


def test_create_api_token_command(people, capsys):
    call_command("create_api_token", "canbo.a")
    key = capsys.readouterr().out.strip()
    assert Token.objects.get(user=people.officer_a).key == key
