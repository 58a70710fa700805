"""The API: activities with their audiences as a nested list, version-checked updates, scoping, attachments,
populations with their registry figures, and the unit summary."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIRequestFactory, force_authenticate

from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.outreach.api import OutreachSummaryView
from lanhmanh.outreach.models import CommunicationActivity, TargetGroup, TargetPopulation
from lanhmanh.outreach.tests.factories import CommunicationActivityFactory, TargetPopulationFactory

JSON = "application/json"
URL = "/api/communication-activities/"
G = TargetGroup


def payload(**fields):
    return {
        "unit": "11311",
        "kind": "contest",
        "held_on": "2026-04-02",
        "title": "Hội thi tìm hiểu pháp luật về phòng, chống tệ nạn xã hội",
        "audiences": [
            {"target_group": "students", "participants": 420},
            {"target_group": "officials", "participants": 25},
        ],
        **fields,
    }


def test_an_activity_is_created_with_its_audiences_then_updated_with_the_version_read(
    client, people, groups_a, health_p
):
    client.force_login(people.officer_a)
    created = client.post(
        URL,
        payload(
            residential_group=groups_a[0].code,
            organiser=health_p.pk,
            cooperating_agencies=[health_p.pk],
            materials_count=500,
        ),
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["participants_total"] == 445 and body["version"] == 1 and body["materials_count"] == 500
    assert sorted((a["target_group"], a["participants"]) for a in body["audiences"]) == [
        ("officials", 25),
        ("students", 420),
    ]
    activity = CommunicationActivity.objects.get()
    assert activity.created_by == people.officer_a and activity.residential_group == groups_a[0]

    url = f"{URL}{body['id']}/"
    assert client.patch(url, {"materials_count": 600}, content_type=JSON).json() == {
        "version": ["Cần gửi kèm phiên bản (version) đã đọc."]
    }
    updated = client.patch(
        url,
        {
            "audiences": [
                {"target_group": "students", "participants": 500},
                {"target_group": "residents", "participants": None},
            ],
            "version": 1,
        },
        content_type=JSON,
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["participants_total"] == 500 and updated.json()["version"] == 2
    assert {a["target_group"] for a in updated.json()["audiences"]} == {"students", "residents"}

    kept = client.patch(url, {"materials_count": 700, "version": 2}, content_type=JSON).json()
    assert kept["participants_total"] == 500 and len(kept["audiences"]) == 2

    stale = client.patch(
        url, {"audiences": [{"target_group": "students", "participants": 1}], "version": 1}, content_type=JSON
    )
    assert stale.status_code == 409
    activity.refresh_from_db()
    assert activity.participants_total == 500 and activity.version == 3


def test_the_api_refuses_what_the_form_refuses(client, people, group_b, police_b):
    client.force_login(people.province_officer)

    def post(**fields):
        return client.post(URL, payload(**fields), content_type=JSON).json()

    assert post(audiences=[])["audiences"] == ["Hãy chọn ít nhất một nhóm đối tượng được tuyên truyền."]
    assert post(
        audiences=[{"target_group": "students", "participants": 1}, {"target_group": "students", "participants": 2}]
    )["audiences"] == ["Nhóm đối tượng “Học sinh, sinh viên” được ghi hai lần."]
    assert "audiences" in post(audiences=[{"target_group": "sellers", "participants": -2}])
    assert post(residential_group=group_b.code)["residential_group"] == [
        "Tổ dân phố, thôn này không thuộc Phường Hồng Bàng."
    ]
    assert post(organiser=police_b.pk)["organiser"] == ["Cơ quan chủ trì phải thuộc đơn vị này hoặc cấp trên."]
    future = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    assert post(held_on=future)["held_on"] == ["Ngày thực hiện không thể sau hôm nay."]
    no_audiences = payload()
    del no_audiences["audiences"]
    assert "audiences" in client.post(URL, no_audiences, content_type=JSON).json()
    assert not CommunicationActivity.objects.exists()


def test_a_commune_neither_writes_nor_reads_another_communes_activities(client, people):
    theirs = CommunicationActivityFactory(unit=people.commune_b)
    client.force_login(people.officer_a)
    refused = client.post(URL, payload(unit="11329"), content_type=JSON)
    assert refused.status_code == 400 and "unit" in refused.json()
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    assert client.patch(f"{URL}{theirs.pk}/", {"title": "x", "version": 1}, content_type=JSON).status_code == 404
    assert client.get(URL).json()["count"] == 0


def test_the_list_filters_by_target_group(client, people):
    CommunicationActivityFactory(unit=people.commune_a, audiences=[(G.STUDENTS, 10), (G.OFFICIALS, 2)])
    CommunicationActivityFactory(unit=people.commune_a, audiences=[(G.RESIDENTS, None)])
    client.force_login(people.officer_a)
    rows = client.get(URL, {"target_group": "students"}).json()["results"]
    assert len(rows) == 1 and rows[0]["participants_total"] == 12


def test_attachments_are_uploaded_and_downloaded_through_the_api(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = CommunicationActivityFactory(unit=people.commune_a)
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="JPEG")
    client.force_login(people.officer_a)
    response = client.post(
        f"{URL}{activity.pk}/attachments/",
        {"file": SimpleUploadedFile("a.jpg", buffer.getvalue(), content_type="image/jpeg"), "description": "Băng rôn"},
    )
    assert response.status_code == 200, response.content
    attachment = response.json()["attachments"][0]
    assert attachment["content_type"] == "image/jpeg" and attachment["description"] == "Băng rôn"
    download = client.get(f"{URL}{activity.pk}/attachments/{attachment['id']}/")
    assert download.status_code == 200
    client.force_login(people.officer_b)
    assert client.get(f"{URL}{activity.pk}/attachments/{attachment['id']}/").status_code == 404


def test_populations_carry_the_registry_figures(client, people):
    BusinessFactory(unit=people.commune_a, workers_total=14, workforce_as_of=datetime.date(2026, 1, 1))
    client.force_login(people.officer_a)
    url = "/api/target-populations/"
    created = client.post(url, {"unit": "11311", "year": 2026, "students": 1800}, content_type=JSON)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["risk_workers"], body["registry_risk_workers"], body["geo_residential_groups"]) == (None, 14, None)
    again = client.post(url, {"unit": "11311", "year": 2026, "students": 10}, content_type=JSON).json()
    assert again["year"] == ["Đã có số liệu năm 2026 của Phường Hồng Bàng."]
    stale = client.patch(f"{url}{body['id']}/", {"students": 1900, "version": 0}, content_type=JSON)
    assert stale.status_code == 409
    assert TargetPopulation.objects.get().students == 1800


def summary(user, **params):
    request = APIRequestFactory().get("/api/outreach-summary/", params)
    force_authenticate(request, user=user)
    return OutreachSummaryView.as_view()(request)


def test_the_summary_api_gives_null_percentages_where_there_is_no_data(people):
    TargetPopulationFactory(unit=people.commune_a, year=2026, students=800)
    CommunicationActivityFactory(
        unit=people.commune_a, held_on=datetime.date(2026, 3, 1), audiences=[(G.STUDENTS, 200)]
    )
    CommunicationActivityFactory(
        unit=people.commune_b, held_on=datetime.date(2026, 3, 1), audiences=[(G.STUDENTS, 100)]
    )
    response = summary(people.province_officer, unit=people.province.pk, year=2026)
    assert response.status_code == 200, response.data
    data = response.data
    assert data["unit"] == "31" and data["figures"]["activities"] == 2
    assert data["figures"]["participants_by_group"]["students"] == 300
    students = next(r for r in data["reach"] if r["target_group"] == "students")
    assert (students["population"], students["participants_covered"], students["percent"]) == (800, 200, 25.0)
    iz = next(r for r in data["reach"] if r["target_group"] == "iz_workers")
    assert iz["percent"] is None and iz["population"] is None
    assert data["communes"] == {"with_activity": 2, "total": 2, "percent": 100.0}
    children = {c["unit"]: c for c in data["children"]}
    assert next(r for r in children["11329"]["reach"] if r["target_group"] == "students")["percent"] is None


def test_the_summary_api_is_scoped(people, viewer_a):
    assert summary(people.officer_a, unit=people.province.pk, year=2026).status_code == 404
    assert summary(people.officer_a, year=2026).data["unit"] == "11311"
    assert summary(viewer_a, year=2026).status_code == 200
    assert summary(people.nobody, year=2026).status_code == 403
    assert summary(people.officer_a, year="hai nghìn").status_code == 400
