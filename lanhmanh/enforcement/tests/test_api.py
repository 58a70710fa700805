"""The case API: offences by code, links by id within the caller's scope, the same rules as the form, and no
silent overwrites."""

from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.models import AccessLog
from lanhmanh.core.testing import login_with_second_factor
from lanhmanh.enforcement.models import EnforcementCase
from lanhmanh.enforcement.tests.factories import EnforcementCaseFactory
from lanhmanh.geo.tests.factories import AgencyFactory

JSON = "application/json"
URL = "/api/enforcement-cases/"


def test_the_offence_catalogue_lists_legal_references_and_validity(client, people, offences):
    client.force_login(people.officer_a)
    rows = {row["code"]: row for row in client.get("/api/offences/", {"page_size": 100}).json()["results"]}
    assert rows["blhs2015-329"]["name"] == "Tội mua dâm người dưới 18 tuổi"
    assert rows["blhs2015-329"]["legal_reference"] == "Điều 329 Bộ luật Hình sự 2015"
    assert rows["blhs1999-254"]["valid_until"] == "2017-12-31"
    administrative = client.get("/api/offences/", {"case_type": "administrative"}).json()["results"]
    assert {row["case_type"] for row in administrative} == {"administrative"}


def test_police_record_a_case_then_update_it_with_the_version_they_read(client, people, police_a, offences):
    business = BusinessFactory(unit=people.commune_a)
    province_police = AgencyFactory(unit=people.province, name="Phòng Cảnh sát hình sự")
    login_with_second_factor(client, police_a)
    created = client.post(URL, {
        "unit": "11311", "agency": province_police.pk, "case_type": "criminal",
        "offences": ["blhs2015-327", "blhs2015-328"],
        "reference_number": "15/2026/VAHS", "detected_on": "2026-04-02", "instituted_on": "2026-04-05",
        "business": business.pk, "people_arrested": 5, "people_prosecuted": 2, "sellers_identified": 3,
        "sellers_referred": 3}, content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert sorted(body["offences"]) == ["blhs2015-327", "blhs2015-328"] and body["business"] == business.pk
    assert body["version"] == 1 and body["people_fined_admin"] == 0 and body["agency"] == province_police.pk
    case = EnforcementCase.objects.get()
    assert case.created_by == police_a and case.unit == people.commune_a

    url = f"{URL}{body['id']}/"
    assert client.patch(url, {"people_arrested": 6}, content_type=JSON).json() == {
        "version": ["Cần gửi kèm phiên bản (version) đã đọc."]}
    updated = client.patch(url, {"offences": ["blhs2015-327"], "indicted_on": "2026-07-01", "version": 1},
                           content_type=JSON)
    assert updated.status_code == 200, updated.content
    assert updated.json()["offences"] == ["blhs2015-327"] and updated.json()["version"] == 2
    stale = client.patch(url, {"summary": "Sửa từ bản cũ", "version": 1}, content_type=JSON)
    assert stale.status_code == 409
    case.refresh_from_db()
    assert case.summary == "" and case.version == 2


def test_the_api_refuses_what_the_form_refuses(client, people, offences):
    elsewhere = BusinessFactory(unit=people.commune_b)
    client.force_login(people.province_officer)

    def post(**data):
        return client.post(URL, {"unit": "11311", "case_type": "administrative", "detected_on": "2026-04-02",
                                 "offences": ["nd144-buying"], **data}, content_type=JSON).json()

    assert post(instituted_on="2026-04-03")["instituted_on"] == ["Chỉ ghi với vụ án hình sự."]
    assert post(offences=["blhs2015-327"])["offences"] == [
        "“Tội chứa mại dâm” (Điều 327 Bộ luật Hình sự 2015) là tội danh hình sự, không dùng cho vụ việc vi phạm "
        "hành chính."]
    assert post(offences=[])["offences"] == ["Hãy chọn ít nhất một tội danh hoặc hành vi vi phạm."]
    assert post(business=elsewhere.pk)["business"] == ["Cơ sở này không thuộc địa bàn của Phường Hồng Bàng."]
    assert post(sellers_identified=1, minors_identified=2)["minors_identified"] == [
        "Số người dưới 18 tuổi không thể lớn hơn số người bán dâm được phát hiện."]
    assert "offences" in post(offences=["khong-co"])
    assert not EnforcementCase.objects.exists()


def test_links_and_units_outside_the_scope_cannot_be_named(client, people, offences):
    business_b = BusinessFactory(unit=people.commune_b)
    client.force_login(people.officer_a)
    response = client.post(URL, {"unit": "11311", "case_type": "administrative", "detected_on": "2026-04-02",
                                 "offences": ["nd144-buying"], "business": business_b.pk}, content_type=JSON)
    assert response.status_code == 400 and "business" in response.json()
    response = client.post(URL, {"unit": "11329", "case_type": "administrative", "detected_on": "2026-04-02",
                                 "offences": ["nd144-buying"]}, content_type=JSON)
    assert response.status_code == 400 and "unit" in response.json()  # not offered: as if it did not exist
    assert not EnforcementCase.objects.exists()


def test_every_case_the_api_returns_is_access_logged(client, people):
    case = EnforcementCaseFactory(unit=people.commune_a)
    EnforcementCaseFactory(unit=people.commune_b)
    client.force_login(people.officer_a)
    assert [row["id"] for row in client.get(URL).json()["results"]] == [case.pk]
    client.get(f"{URL}{case.pk}/")
    assert list(AccessLog.objects.order_by("pk").values_list("object_id", "endpoint")) == [
        (str(case.pk), "api:enforcementcase-list"), (str(case.pk), "api:enforcementcase-retrieve")]
