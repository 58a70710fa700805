"""The same registry through the REST API."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lanhmanh.businesses.models import Business, Commitment
from lanhmanh.businesses.tests.factories import BusinessFactory, CommitmentFactory

PDF = b"%PDF-1.4\n%%EOF\n"


def _payload(**overrides):
    data = {"unit": "11311", "name": "Nhà nghỉ Bình An", "business_type": "guest_house",
            "address": "Số 5 đường Trần Phú", "status": "operating", "workers_total": 6, "workers_female": 4,
            "workforce_as_of": "2026-10-01"}
    data.update(overrides)
    return data


def test_create_list_filter_and_update_with_version(client, people):
    client.force_login(people.officer_a)
    created = client.post("/api/businesses/", _payload(), content_type="application/json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["unit"] == "11311" and body["version"] == 1 and body["has_valid_commitment"] is False
    BusinessFactory(unit=people.commune_b)
    listed = client.get("/api/businesses/", {"commitment": "missing"}).json()
    assert [b["name"] for b in listed["results"]] == ["Nhà nghỉ Bình An"]
    assert listed["results"][0]["has_valid_commitment"] is False
    assert listed["results"][0]["suggested_risk"] == "medium"  # guest house (2 points)

    url = f"/api/businesses/{body['id']}/"
    ok = client.patch(url, {"risk_level": "high", "version": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(url, {"risk_level": "low", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    assert Business.objects.get(pk=body["id"]).risk_level == "high"


def test_rules_and_duplicates_come_back_in_vietnamese(client, people):
    BusinessFactory(unit=people.commune_b, name="Nhà nghỉ Bình An", address="Số 5 đường Trần Phú")
    client.force_login(people.officer_a)
    bad = client.post("/api/businesses/", _payload(workers_female=9), content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["workers_female"] == ["Số lao động nữ không thể lớn hơn tổng số lao động."]
    duplicate = client.post("/api/businesses/", _payload(), content_type="application/json").json()
    assert "cùng tên và địa chỉ tại Phường Ngô Quyền" in duplicate["name"][0]
    other_commune = client.post("/api/businesses/", _payload(unit="11329", name="Khác"),
                                content_type="application/json")
    assert other_commune.status_code == 400 and Business.objects.count() == 1


def test_upload_and_download_a_commitment_scan(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    business = BusinessFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    today = timezone.localdate()
    response = client.post("/api/commitments/", {
        "business": business.pk, "signed_on": (today - datetime.timedelta(days=1)).isoformat(),
        "signer_name": "Trần Thị Bình", "valid_until": datetime.date(today.year + 1, 1, 31).isoformat(),
        "scan": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
    })
    assert response.status_code == 201, response.json()
    assert response.json()["has_scan"] is True and response.json()["is_valid"] is True
    commitment = Commitment.objects.get()
    assert commitment.unit == people.commune_a
    download = client.get(f"/api/commitments/{commitment.pk}/scan/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    client.force_login(people.officer_b)
    assert client.get(f"/api/commitments/{commitment.pk}/scan/").status_code == 404


def test_commitment_cannot_be_moved_or_made_for_another_commune(client, people):
    mine, theirs = BusinessFactory(unit=people.commune_a), BusinessFactory(unit=people.commune_b)
    commitment = CommitmentFactory(business=mine)
    client.force_login(people.officer_a)
    moved = client.patch(f"/api/commitments/{commitment.pk}/", {"business": theirs.pk, "version": 1},
                         content_type="application/json")
    assert moved.status_code == 400
    made = client.post("/api/commitments/", {"business": theirs.pk, "signed_on": "2026-01-02",
                                             "signer_name": "X", "valid_until": "2026-12-31"},
                       content_type="application/json")
    assert made.status_code == 400 and Commitment.objects.count() == 1


def test_review_through_the_api(client, people):
    business = BusinessFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    response = client.post(f"/api/businesses/{business.pk}/review/")
    assert response.status_code == 200
    assert response.json()["last_reviewed_on"] == timezone.localdate().isoformat()
