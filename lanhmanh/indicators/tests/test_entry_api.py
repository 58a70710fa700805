"""The API of aggregate data sets: declarations with the same rules and scope as the pages, and the grid read and
saved whole (400 with every faulty cell, 409 on a stale version)."""

import pytest
from django.utils import translation
from django.utils.functional import Promise

from lanhmanh.geo.tests.factories import ResidentialGroupFactory
from lanhmanh.indicators.models import AggregateDeclaration, AggregateValue
from lanhmanh.indicators.tests.factories import AggregateDeclarationFactory, AggregateValueFactory

JSON = "application/json"
DECLARATIONS = "/api/aggregate-declarations/"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def grid(declaration):
    return f"{DECLARATIONS}{declaration.pk}/grid/"


def stored(declaration):
    return {(v.measure, v.month): v.value for v in AggregateValue.objects.filter(declaration=declaration)}


def test_a_commune_declares_through_the_api(client, people):
    client.force_login(people.officer_a)
    response = client.post(DECLARATIONS, {"unit": "11311", "module": "enforcement", "year": 2025}, content_type=JSON)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["unit"], body["module"], body["module_label"], body["version"]) == (
        "11311", "enforcement", "Vụ việc, vụ án", 1)
    assert [m["key"] for m in body["measures"]] == [
        "enforcement.criminal_cases", "enforcement.people_arrested", "enforcement.people_prosecuted",
        "enforcement.people_fined_admin"]


def test_the_api_explains_a_wrong_level_module_or_duplicate(client, people):
    client.force_login(people.province_officer)
    province = client.post(DECLARATIONS, {"unit": "31", "module": "inspections", "year": 2025}, content_type=JSON)
    assert province.status_code == 400
    assert province.json()["unit"] == ["Chỉ xã, phường, đặc khu đăng ký báo cáo số liệu tổng hợp."]
    module = client.post(DECLARATIONS, {"unit": "11311", "module": "horoscopes", "year": 2025}, content_type=JSON)
    assert module.json()["module"] == ["Lĩnh vực không hợp lệ."]
    AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    twice = client.post(DECLARATIONS, {"unit": "11311", "module": "inspections", "year": 2025}, content_type=JSON)
    assert twice.json()["year"] == ["Đơn vị này đã đăng ký báo cáo số liệu tổng hợp của lĩnh vực này cho năm 2025."]
    assert AggregateDeclaration.objects.count() == 1


def test_a_residential_group_cannot_declare_through_the_api(client, people):
    # Its figures are its commune's: declaring them apart would count them twice.
    group = ResidentialGroupFactory(parent=people.commune_a)
    client.force_login(people.officer_a)
    response = client.post(DECLARATIONS, {"unit": group.code, "module": "inspections", "year": 2025},
                           content_type=JSON)
    assert response.status_code == 400
    assert response.json()["unit"] == ["Chỉ xã, phường, đặc khu đăng ký báo cáo số liệu tổng hợp."]
    assert not AggregateDeclaration.objects.exists()
    unknown = client.post(DECLARATIONS, {"unit": "99999999", "module": "inspections", "year": 2025},
                          content_type=JSON)
    assert unknown.status_code == 400 and "99999999" in unknown.json()["unit"][0]  # a code that is no unit at all


def test_the_grids_input_is_documented_in_the_users_language():
    from lanhmanh.indicators.entry_api import GridInputSerializer

    fields = GridInputSerializer().fields
    for name in ("version", "values"):
        assert isinstance(fields[name].help_text, Promise)  # translated when the schema is rendered


def test_a_commune_cannot_declare_for_another(client, people):
    client.force_login(people.officer_b)
    response = client.post(DECLARATIONS, {"unit": "11311", "module": "inspections", "year": 2025}, content_type=JSON)
    assert response.status_code == 400 and not AggregateDeclaration.objects.exists()


def test_unit_module_and_year_are_fixed_once_declared(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="inspections", year=2025)
    client.force_login(people.officer_a)
    response = client.patch(f"{DECLARATIONS}{declaration.pk}/", {"module": "budget", "version": 1}, content_type=JSON)
    assert response.status_code == 400 and "hãy xóa rồi đăng ký lại" in response.json()["module"][0]
    noted = client.patch(f"{DECLARATIONS}{declaration.pk}/", {"note": "Sổ theo dõi", "version": 1}, content_type=JSON)
    assert noted.status_code == 200 and noted.json()["version"] == 2


def test_the_grid_round_trips(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="enforcement", year=2025)
    client.force_login(people.officer_a)
    empty = client.get(grid(declaration)).json()
    assert (empty["version"], empty["values"], empty["warnings"]) == (1, {}, [])
    assert {"key": "enforcement.people_arrested", "label": "Số người bị bắt giữ", "kind": "flow", "help_text": ""} in (
        empty["measures"])
    response = client.put(grid(declaration), {"version": 1, "values": {
        "enforcement.people_arrested": {"1": 5, "2": 0, "3": None},
        "enforcement.people_prosecuted": {"1": "2"},
    }}, content_type=JSON)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == 2
    assert body["values"] == {"enforcement.people_arrested": {"1": 5, "2": 0},
                              "enforcement.people_prosecuted": {"1": 2}}
    assert body["totals"]["enforcement.people_arrested"] == 5
    assert body["totals"]["enforcement.criminal_cases"] is None
    assert client.get(grid(declaration)).json()["values"] == body["values"]
    declaration.refresh_from_db()
    assert declaration.updated_by == people.officer_a


def test_a_put_replaces_the_whole_grid(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="enforcement", year=2025)
    AggregateValueFactory(declaration=declaration, measure="enforcement.people_arrested", month=1, value=5)
    client.force_login(people.officer_a)
    client.put(grid(declaration), {"version": 1, "values": {"enforcement.people_fined_admin": {"4": 3}}},
               content_type=JSON)
    assert stored(declaration) == {("enforcement.people_fined_admin", 4): 3}


def test_one_bad_cell_saves_nothing_and_every_fault_is_named(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="enforcement", year=2025)
    AggregateValueFactory(declaration=declaration, measure="enforcement.people_arrested", month=1, value=5)
    client.force_login(people.officer_a)
    response = client.put(grid(declaration), {"version": 1, "values": {
        "enforcement.people_arrested": {"1": 6, "2": -1, "13": 4},
        "enforcement.people_prosecuted": {"1": 2.5},
        "inspections.visits": {"1": 3},
    }}, content_type=JSON)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("Chưa lưu số liệu nào: có 4 lỗi")
    assert body["cells"] == {
        "enforcement.people_arrested": {"2": "Số liệu không được âm.", "13": "Tháng phải từ 1 đến 12."},
        "enforcement.people_prosecuted": {"1": "Chỉ nhập số nguyên (không có phần thập phân)."},
    }
    assert body["rows"] == {"inspections.visits": "Chỉ tiêu “inspections.visits” không thuộc lĩnh vực Vụ việc, vụ án."}
    assert stored(declaration) == {("enforcement.people_arrested", 1): 5}


def test_a_stale_version_is_a_409_and_saves_nothing(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="enforcement", year=2025)
    client.force_login(people.officer_a)
    values = {"enforcement.people_arrested": {"1": 5}}
    assert client.put(grid(declaration), {"version": 1, "values": values}, content_type=JSON).status_code == 200
    stale = client.put(grid(declaration), {"version": 1, "values": {"enforcement.people_arrested": {"1": 9}}},
                       content_type=JSON)
    assert stale.status_code == 409
    assert "người khác cập nhật" in stale.json()["detail"]
    assert stored(declaration) == {("enforcement.people_arrested", 1): 5}
    missing = client.put(grid(declaration), {"values": values}, content_type=JSON)
    assert missing.status_code == 400 and "version" in missing.json()


def test_warnings_come_with_the_grid(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="enforcement", year=2025)
    client.force_login(people.officer_a)
    response = client.put(grid(declaration), {"version": 1, "values": {
        "enforcement.people_arrested": {"3": 2, "4": 6},
        "enforcement.people_prosecuted": {"3": 4, "4": 6},
    }}, content_type=JSON)
    assert response.status_code == 200
    assert response.json()["warnings"] == [{
        "rule": "enforcement.people_prosecuted<=enforcement.people_arrested",
        "month": 3,
        "measures": ["enforcement.people_prosecuted", "enforcement.people_arrested"],
        "message": "Tháng 3: Số bị can bị khởi tố (4) lớn hơn Số người bị bắt giữ (2). "
                   "Người bị khởi tố thường là người đã bị bắt giữ.",
    }]
    assert client.get(grid(declaration)).json()["warnings"] == response.json()["warnings"]


def test_another_communes_grid_is_not_found(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="enforcement", year=2025)
    client.force_login(people.officer_b)
    assert client.get(grid(declaration)).status_code == 404
    assert client.put(grid(declaration), {"version": 1, "values": {}}, content_type=JSON).status_code == 404
    assert client.get(f"{DECLARATIONS}?year=2025").json()["results"] == []
    client.force_login(people.province_officer)
    assert client.get(grid(declaration)).status_code == 200


def test_deleting_a_declaration_deletes_its_figures(client, people):
    declaration = AggregateDeclarationFactory(unit=people.commune_a, module="enforcement", year=2025)
    AggregateValueFactory(declaration=declaration, measure="enforcement.people_arrested", month=1, value=5)
    client.force_login(people.officer_a)
    assert client.delete(f"{DECLARATIONS}{declaration.pk}/").status_code == 204
    assert not AggregateValue.objects.exists()
