"""Suspicion flags: only police and programme officers see them, and every showing is access-logged."""

from django.urls import reverse

from lanhmanh.businesses.models import Suspicion
from lanhmanh.businesses.tests.factories import BusinessFactory, SuspicionFactory
from lanhmanh.core.models import AccessLog
from lanhmanh.core.testing import login_with_second_factor


def test_police_see_the_flags_and_each_view_is_logged(client, people, police_a):
    business = BusinessFactory(unit=people.commune_a)
    SuspicionFactory(business=business, kind=Suspicion.Kind.BROKERING)
    login_with_second_factor(client, police_a)
    page = client.get(business.get_absolute_url()).content.decode()
    assert "Nghi môi giới mại dâm" in page and "nhật ký truy cập" in page
    log = AccessLog.objects.get()
    assert log.user == police_a and log.unit == people.commune_a and log.what == "nghi vấn về cơ sở"

    client.get(reverse("businesses:suspicion_list"))
    assert AccessLog.objects.count() == 2


def test_programme_officer_records_a_suspicion(client, people):
    business = BusinessFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    response = client.post(reverse("businesses:suspicion_add"), {
        "business": business.pk, "kind": "harbouring", "noted_on": "01/11/2026", "source": "tip"})
    suspicion = Suspicion.objects.get()
    assert response.status_code == 302 and suspicion.unit == people.commune_a


def test_inspectors_and_viewers_never_see_flags(client, people, inspector_a):
    business = BusinessFactory(unit=people.commune_a)
    SuspicionFactory(business=business)
    client.force_login(inspector_a)
    page = client.get(business.get_absolute_url()).content.decode()
    assert "Nghi chứa mại dâm" not in page and "Nghi vấn" not in page
    assert client.get(reverse("businesses:suspicion_list")).status_code == 403
    assert client.get("/api/suspicions/").status_code == 403
    assert "Nghi vấn" not in client.get("/").content.decode()  # not in the menu either
    assert AccessLog.objects.count() == 0


def test_api_reads_of_flags_are_logged(client, people):
    SuspicionFactory.in_unit(people.commune_a)
    SuspicionFactory.in_unit(people.commune_b)
    client.force_login(people.officer_a)
    body = client.get("/api/suspicions/").json()
    assert body["count"] == 1
    assert AccessLog.objects.filter(user=people.officer_a, endpoint="api:suspicion-list").count() == 1
