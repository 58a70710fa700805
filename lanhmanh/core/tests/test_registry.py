"""Every registered module, walked generically: a new model is covered by registering its views,
its viewset and a factory — not by writing these tests again."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

import lanhmanh.urls  # noqa: F401  (imports every module's views and API)
from lanhmanh.core.api import ScopedViewSet, router
from lanhmanh.core.models import UnitScoped
from lanhmanh.core.scoping import permission_name
from lanhmanh.core.testing import all_factories, count_queries, login_verified, make_in_unit
from lanhmanh.core.views import ObjectViews, object_url, url_name

REGISTERED = [views.model for views in ObjectViews.registry]
# Catalogues (violation types) are the same for everyone; the scoping tests are for unit-owned records, read through
# the one scoping door (not the receiving agency's inbox of referrals, which has its own tests).
API = [(prefix, viewset.queryset.model) for prefix, viewset, _basename in router.registry
       if issubclass(viewset, ScopedViewSet) and issubclass(viewset.queryset.model, UnitScoped)]


def _viewers(people, model):
    """A user of commune A and one of the province who may view `model`: programme officers, or, for the support
    module that programme staff never see, support workers (with their second factor)."""
    if people.officer_a.has_perm(permission_name(model, "view")):
        return people.officer_a, people.province_officer
    from lanhmanh.accounts.roles import Role
    from lanhmanh.accounts.tests.factories import UserFactory

    role = Role.SUPPORT_WORKER
    return people.support_worker, UserFactory(username="hotro.tinh", roles=[(people.province, role)])


def _pair(people, model):
    return make_in_unit(model, people.commune_a), make_in_unit(model, people.commune_b)


def test_every_unit_scoped_model_has_a_factory():
    from django.apps import apps

    scoped = [m for m in apps.get_models() if issubclass(m, UnitScoped)]
    missing = [m._meta.label for m in scoped + REGISTERED if m not in all_factories()]
    assert missing == []


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
class TestRegisteredPages:
    def test_list_shows_exactly_the_users_subtree(self, client, people, model):
        rec_a, rec_b = _pair(people, model)
        commune_user, province_user = _viewers(people, model)
        url = reverse(url_name(model, "list"))
        login_verified(client, commune_user)
        page = client.get(url).content.decode()
        assert object_url(rec_a) in page
        assert object_url(rec_b) not in page
        login_verified(client, province_user)
        page = client.get(url).content.decode()
        assert object_url(rec_a) in page and object_url(rec_b) in page

    def test_detail_of_another_commune_is_not_found(self, client, people, model):
        rec_a, rec_b = _pair(people, model)
        login_verified(client, _viewers(people, model)[0])
        assert client.get(object_url(rec_a)).status_code == 200
        assert client.get(object_url(rec_b)).status_code == 404
        views = next(v for v in ObjectViews.registry if v.model is model)
        if "edit" in views.pages:
            assert client.get(object_url(rec_b, "edit")).status_code == 404

    def test_anonymous_is_sent_to_login(self, client, people, model):
        response = client.get(reverse(url_name(model, "list")))
        assert response.status_code == 302 and reverse("login") in response["Location"]

    def test_user_without_the_role_is_refused(self, client, people, model):
        client.force_login(people.nobody)
        assert client.get(reverse(url_name(model, "list"))).status_code == 403

    def test_list_query_count_does_not_grow_with_rows(self, client, people, model):
        login_verified(client, _viewers(people, model)[1])
        url = reverse(url_name(model, "list"))
        make_in_unit(model, people.commune_a)
        client.get(url)  # warm caches (content types, sessions)
        few = count_queries(lambda: client.get(url))
        for _ in range(8):
            make_in_unit(model, people.commune_b)
        many = count_queries(lambda: client.get(url))
        assert many == few

    def test_htmx_refresh_returns_only_the_results(self, client, people, model):
        make_in_unit(model, people.commune_a)
        login_verified(client, _viewers(people, model)[0])
        response = client.get(reverse(url_name(model, "list")), headers={"HX-Request": "true", "HX-Target": "results"})
        body = response.content.decode()
        assert response.status_code == 200
        assert 'id="results"' in body and "<nav" not in body

    def test_export_holds_the_filtered_scoped_list(self, client, people, model):
        rec_a, rec_b = _pair(people, model)
        commune_user = _viewers(people, model)[0]
        login_verified(client, commune_user)
        url = reverse(url_name(model, "list"))
        xlsx = client.get(url, {"export": "xlsx"})
        assert xlsx.status_code == 200
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        visible = model.objects.visible_to(commune_user).count()
        assert 0 < visible < model.objects.count()
        sheet = load_workbook(io.BytesIO(xlsx.content)).active
        assert sheet.max_row == 1 + visible
        csv_response = client.get(url, {"export": "csv"})
        assert csv_response.content.startswith("\ufeff".encode())  # so Excel reads Vietnamese correctly
        rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig"))))
        assert len(rows) == 1 + visible


@pytest.mark.parametrize(("prefix", "model"), API, ids=[p for p, _m in API])
class TestRegisteredApi:
    def test_list_and_detail_are_scoped(self, client, people, prefix, model):
        rec_a, rec_b = _pair(people, model)
        commune_user, province_user = _viewers(people, model)
        login_verified(client, commune_user)
        listing = client.get(f"/api/{prefix}/").json()
        ids = {row["id"] for row in listing["results"]}
        assert rec_a.pk in ids and rec_b.pk not in ids
        assert client.get(f"/api/{prefix}/{rec_b.pk}/").status_code == 404
        login_verified(client, province_user)
        ids = {row["id"] for row in client.get(f"/api/{prefix}/").json()["results"]}
        assert {rec_a.pk, rec_b.pk} <= ids

    def test_list_query_count_does_not_grow_with_rows(self, client, people, prefix, model):
        login_verified(client, _viewers(people, model)[1])
        make_in_unit(model, people.commune_a)
        client.get(f"/api/{prefix}/")
        few = count_queries(lambda: client.get(f"/api/{prefix}/"))
        for _ in range(8):
            make_in_unit(model, people.commune_b)
        assert count_queries(lambda: client.get(f"/api/{prefix}/")) == few

    def test_anonymous_gets_nothing(self, client, people, prefix, model):
        make_in_unit(model, people.commune_a)
        assert client.get(f"/api/{prefix}/").status_code in (401, 403)
