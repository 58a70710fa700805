from django.core.management import call_command
from django.urls import reverse

from lanhmanh.geo.models import AdminUnit, ResidentialGroup


def test_load_admin_units_loads_the_real_country_once(db, capsys):
    call_command("load_admin_units")
    assert AdminUnit.objects.filter(level=AdminUnit.Level.PROVINCE).count() == 34
    assert AdminUnit.objects.filter(level=AdminUnit.Level.COMMUNE).count() == 3321
    hai_phong = AdminUnit.objects.get(code="31")
    assert hai_phong.name == "Thành phố Hải Phòng" and hai_phong.path == "VN/31/"
    commune = AdminUnit.objects.filter(parent=hai_phong).first()
    assert commune.path == f"VN/31/{commune.code}/"
    before = list(AdminUnit.objects.order_by("pk").values_list("pk", "code", "name", "path"))
    call_command("load_admin_units")
    assert list(AdminUnit.objects.order_by("pk").values_list("pk", "code", "name", "path")) == before
    assert "0 created, 0 renamed" in capsys.readouterr().out


def test_subtree_is_a_prefix_match(people):
    inside = ResidentialGroup.objects.create(parent=people.commune_a, name="Tổ 1")
    ResidentialGroup.objects.create(parent=people.commune_b, name="Tổ 1")
    a_subtree = AdminUnit.objects.within([people.commune_a.path])
    assert set(a_subtree) == {people.commune_a, inside}
    assert inside.is_within(people.province) and not inside.is_within(people.commune_b)


def test_residential_group_codes_follow_the_commune(people):
    first = ResidentialGroup.objects.create(parent=people.commune_a, name="Tổ dân phố 1")
    second = ResidentialGroup.objects.create(parent=people.commune_a, name="Tổ dân phố 2")
    assert (first.code, second.code) == ("11311-001", "11311-002")
    assert first.level == AdminUnit.Level.RESIDENTIAL_GROUP and first.path == "VN/31/11311/11311-001/"


def test_commune_officer_creates_a_residential_group(client, people):
    client.force_login(people.officer_a)
    response = client.post(reverse("geo:residentialgroup_add"),
                           {"parent": people.commune_a.pk, "name": "Tổ dân phố số 5", "kind": "tổ dân phố"})
    group = ResidentialGroup.objects.get(name="Tổ dân phố số 5")
    assert response.status_code == 302 and response["Location"] == reverse("geo:residentialgroup_detail",
                                                                           args=[group.pk])
    assert group.parent == people.commune_a
    assert group.history.get().history_user == people.officer_a
    page = client.get(reverse("geo:residentialgroup_list")).content.decode()
    assert "Tổ dân phố số 5" in page


def test_commune_officer_cannot_create_in_a_sibling_commune(client, people):
    client.force_login(people.officer_a)
    response = client.post(reverse("geo:residentialgroup_add"),
                           {"parent": people.commune_b.pk, "name": "Tổ X", "kind": ""})
    assert response.status_code == 200
    assert not ResidentialGroup.objects.filter(name="Tổ X").exists()


def test_api_creates_a_residential_group_by_commune_code(client, people):
    client.force_login(people.officer_a)
    ok = client.post("/api/residential-groups/", {"parent": "11311", "name": "Thôn Đông"},
                     content_type="application/json")
    assert ok.status_code == 201 and ok.json()["code"] == "11311-001"
    refused = client.post("/api/residential-groups/", {"parent": "11329", "name": "Thôn Tây"},
                          content_type="application/json")
    assert refused.status_code == 400 and "parent" in refused.json()
    assert not ResidentialGroup.objects.filter(name="Thôn Tây").exists()


def test_filter_by_unit_subtree(client, people):
    ResidentialGroup.objects.create(parent=people.commune_a, name="Tổ A1")
    ResidentialGroup.objects.create(parent=people.commune_b, name="Tổ B1")
    client.force_login(people.province_officer)
    page = client.get(reverse("geo:residentialgroup_list"), {"unit": people.commune_b.pk}).content.decode()
    assert "Tổ B1" in page and "Tổ A1" not in page
    api = client.get("/api/residential-groups/", {"unit": people.commune_b.pk}).json()
    assert [row["name"] for row in api["results"]] == ["Tổ B1"]
