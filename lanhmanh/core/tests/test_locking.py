"""Two people editing the same record: the second save is refused, shows the other's change, overwrites nothing."""

from django.urls import reverse

from lanhmanh.geo.models import Agency
from lanhmanh.geo.tests.factories import AgencyFactory


def _form(agency, **changes):
    data = {"unit": agency.unit_id, "name": agency.name, "agency_type": agency.agency_type_id,
            "is_active": "on", "expected_version": agency.version}
    return {**data, **changes}


def test_second_save_is_refused_and_shows_the_other_change(client, people):
    agency = AgencyFactory(unit=people.commune_a, name="Công an phường")
    url = reverse("geo:agency_edit", args=[agency.pk])
    first = _form(agency, name="Công an phường Hồng Bàng")
    second = _form(agency, name="Công an P. Hồng Bàng")  # loaded the same version

    client.force_login(people.officer_a)
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)

    assert response.status_code == 200
    page = response.content.decode()
    assert "CHƯA được lưu" in page
    assert "Công an phường Hồng Bàng" in page  # the other person's value is shown
    agency.refresh_from_db()
    assert agency.name == "Công an phường Hồng Bàng"
    assert agency.version == 2


def test_resubmitting_after_seeing_the_conflict_saves(client, people):
    agency = AgencyFactory(unit=people.commune_a, name="Trạm Y tế")
    url = reverse("geo:agency_edit", args=[agency.pk])
    client.force_login(people.officer_a)
    client.post(url, _form(agency, name="Trạm Y tế phường"))
    conflict = client.post(url, _form(agency, name="Trạm Y tế P. Hồng Bàng"))
    refreshed = conflict.context["form"].data["expected_version"]
    response = client.post(url, _form(agency, name="Trạm Y tế P. Hồng Bàng", expected_version=refreshed))
    assert response.status_code == 302
    assert Agency.objects.get(pk=agency.pk).name == "Trạm Y tế P. Hồng Bàng"


def test_api_update_with_a_stale_version_is_a_409(client, people):
    agency = AgencyFactory(unit=people.commune_a, name="Hội Phụ nữ")
    client.force_login(people.officer_a)
    url = f"/api/agencies/{agency.pk}/"
    ok = client.patch(url, {"name": "Hội LHPN phường", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"name": "Hội Phụ nữ phường", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert "người khác" in stale.json()["detail"]
    assert Agency.objects.get(pk=agency.pk).name == "Hội LHPN phường"


def test_api_update_without_a_version_is_refused(client, people):
    agency = AgencyFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    response = client.patch(f"/api/agencies/{agency.pk}/", {"name": "X"}, content_type="application/json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_history_records_who_changed_what(client, people):
    agency = AgencyFactory(unit=people.commune_a, name="Trường THCS")
    client.force_login(people.officer_a)
    client.post(reverse("geo:agency_edit", args=[agency.pk]), _form(agency, name="Trường THCS Hồng Bàng"))
    page = client.get(reverse("geo:agency_detail", args=[agency.pk])).content.decode()
    assert "Lịch sử thay đổi" in page
    assert "Trường THCS Hồng Bàng" in page and "<del>Trường THCS</del>" in page
    latest = Agency.history.filter(id=agency.pk).latest("history_date")
    assert latest.history_user == people.officer_a
