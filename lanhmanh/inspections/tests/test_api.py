"""The inspection API: the same rules as the forms, violations by code, and no silent overwrites."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.geo.tests.factories import AgencyFactory
from lanhmanh.inspections.models import InspectionVisit
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, InspectionVisitFactory

JSON = "application/json"


def test_violation_catalogue_lists_legal_references_and_validity(client, people, violation_types):
    client.force_login(people.officer_a)
    rows = {row["code"]: row for row in client.get("/api/violation-types/", {"page_size": 100}).json()["results"]}
    assert rows["nd144-harbouring"]["legal_reference"] == "Điều 26 Nghị định 144/2021/NĐ-CP"
    assert rows["nd167-harbouring"]["valid_until"] == "2021-12-30"


def test_record_a_visit_with_violations_by_code_then_edit_it(client, people, team_a, violation_types):
    business = BusinessFactory(unit=people.commune_a)
    session = InspectionSessionFactory(team=team_a, date=datetime.date(2026, 3, 10))
    client.force_login(people.officer_a)
    created = client.post("/api/inspection-visits/", {
        "session": session.pk, "business": business.pk, "outcome": "violation",
        "violations": ["nd144-harbouring", "nd144-residence"], "fine_amount": 15_000_000,
        "sanction_stage": "proposed", "sanction_authority": "Chủ tịch UBND phường"}, content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["visited_on"] == "2026-03-10" and sorted(body["violations"]) == ["nd144-harbouring", "nd144-residence"]
    url = f"/api/inspection-visits/{body['id']}/"
    updated = client.patch(url, {"violations": ["nd144-residence"], "version": body["version"]}, content_type=JSON)
    assert updated.status_code == 200 and updated.json()["violations"] == ["nd144-residence"]
    stale = client.patch(url, {"findings": "Sửa từ bản cũ", "version": body["version"]}, content_type=JSON)
    assert stale.status_code == 409
    assert InspectionVisit.objects.get().findings == ""


def test_api_refuses_what_the_form_refuses(client, people, team_a, violation_types):
    business = BusinessFactory(unit=people.commune_a)
    outside = BusinessFactory(unit=people.commune_b, name="Spa Ngọc Lan")
    session = InspectionSessionFactory(team=team_a)
    client.force_login(people.province_officer)

    def post(**data):
        return client.post("/api/inspection-visits/", {"session": session.pk, "business": business.pk, **data},
                           content_type=JSON)

    assert "nằm ngoài địa bàn" in post(business=outside.pk).json()["business"][0]
    fine = post(outcome="violation", violations=["nd144-harbouring"], fine_amount=5_000_000,
                sanction_stage="proposed").json()
    assert fine["sanction_authority"] == ["Có số tiền phạt thì phải ghi người, cơ quan quyết định xử phạt."]
    expired = post(outcome="violation", violations=["nd167-harbouring"]).json()
    assert "không còn áp dụng vào ngày" in expired["violations"][0]
    suspension = post(suspended_from="2026-03-20", suspended_until="2026-03-01", suspension_reason="epidemic").json()
    assert suspension["suspended_until"] == ["Ngày kết thúc đình chỉ không thể trước ngày bắt đầu."]
    future = client.post("/api/inspection-sessions/", {"team": team_a.pk, "date": "2099-01-01"}, content_type=JSON)
    assert future.json()["date"] == ["Ngày kiểm tra không thể sau hôm nay."]
    assert not InspectionVisit.objects.exists()


def test_minutes_scan_through_the_api(client, people, team_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    visit = InspectionVisitFactory(session__team=team_a, business__unit=people.commune_a)
    client.force_login(people.officer_a)
    url = f"/api/inspection-visits/{visit.pk}/"
    upload = SimpleUploadedFile("bien-ban.png", b"\x89PNG\r\n scan", content_type="image/png")
    response = client.patch(url, encode_multipart(BOUNDARY, {"minutes_scan": upload, "version": visit.version}),
                            content_type=MULTIPART_CONTENT)
    assert response.status_code == 200, response.content
    assert response.json()["has_minutes_scan"] is True
    scan = client.get(f"{url}minutes-scan/")
    assert b"".join(scan.streaming_content).startswith(b"\x89PNG")
    client.force_login(people.officer_b)
    assert client.get(f"{url}minutes-scan/").status_code == 404
    bad = SimpleUploadedFile("virus.exe", b"MZ...", content_type="application/octet-stream")
    client.force_login(people.officer_a)
    refused = client.patch(url, encode_multipart(BOUNDARY, {"minutes_scan": bad, "version": visit.version + 1}),
                           content_type=MULTIPART_CONTENT)
    assert refused.json()["minutes_scan"] == ["Chỉ nhận tệp PDF, JPG hoặc PNG."]


def test_team_members_come_from_agencies_of_the_teams_area(client, people, team_a):
    own = AgencyFactory(unit=people.commune_a, name="Công an phường Hồng Bàng")
    other = AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
    client.force_login(people.province_officer)
    member = {"team": team_a.pk, "full_name": "Trần Văn Thử", "role_in_team": "head", "valid_from": "2025-07-15"}
    refused = client.post("/api/inspection-team-members/", {**member, "agency": other.pk}, content_type=JSON)
    assert refused.json()["agency"] == ["Cơ quan này không thuộc địa bàn của đội."]
    created = client.post("/api/inspection-team-members/", {**member, "agency": own.pk}, content_type=JSON)
    assert created.status_code == 201 and team_a.members.get().unit == people.commune_a


def test_a_team_belongs_to_a_province_or_a_commune(client, people):
    client.force_login(people.province_officer)
    data = {"name": "Đội thử", "decision_number": "1/QĐ-UBND", "decision_date": "2025-08-01"}
    assert client.post("/api/inspection-teams/", {**data, "unit": people.province.code},
                       content_type=JSON).status_code == 201
    group = client.post("/api/inspection-teams/", {**data, "unit": people.nation.code}, content_type=JSON)
    assert group.status_code == 400
