"""Signed commitments: the scanned form is stored privately and served only to those who may see it."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lanhmanh.businesses.models import Commitment
from lanhmanh.businesses.tests.factories import BusinessFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
ADD = reverse("businesses:commitment_add")


def _post(client, business, **overrides):
    today = timezone.localdate()
    data = {"business": business.pk, "signed_on": (today - datetime.timedelta(days=3)).strftime("%d/%m/%Y"),
            "signer_name": "Nguyễn Văn An", "signer_position": "Chủ cơ sở",
            "valid_until": datetime.date(today.year + 1, 12, 31).strftime("%d/%m/%Y"),
            "scan": SimpleUploadedFile("cam ket Nguyen Van An.pdf", PDF, content_type="application/pdf")}
    data.update(overrides)
    return client.post(ADD, data)


def test_attach_a_commitment_and_the_business_no_longer_lacks_one(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    business = BusinessFactory(unit=people.commune_a, name="Karaoke Hoa Hồng")
    client.force_login(people.officer_a)
    missing = client.get(reverse("businesses:business_list"), {"commitment": "missing"}).content.decode()
    assert f'href="{business.get_absolute_url()}"' in missing
    assert f"?business={business.pk}" in client.get(business.get_absolute_url()).content.decode()

    response = _post(client, business)
    commitment = Commitment.objects.get()
    assert response.status_code == 302 and commitment.unit == people.commune_a
    # The stored name says nothing about the signer or the business, and lies outside any served folder.
    assert "Nguyen" not in commitment.scan.name and commitment.scan.name.startswith("private/commitments/")
    missing = client.get(reverse("businesses:business_list"), {"commitment": "missing"}).content.decode()
    assert f'href="{business.get_absolute_url()}"' not in missing
    page = client.get(business.get_absolute_url()).content.decode()
    assert "còn hiệu lực" in page and reverse("businesses:commitment_scan", args=[commitment.pk]) in page

    scan = client.get(reverse("businesses:commitment_scan", args=[commitment.pk]))
    assert scan.status_code == 200 and b"".join(scan.streaming_content) == PDF
    assert scan["Cache-Control"] == "private, no-store"


def test_scan_is_refused_to_other_communes_and_anonymous_users(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    business = BusinessFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    _post(client, business)
    url = reverse("businesses:commitment_scan", args=[Commitment.objects.get().pk])
    client.force_login(people.officer_b)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
    assert client.get(f"/media/{Commitment.objects.get().scan.name}").status_code == 404


def test_only_pdf_or_images_are_accepted_and_dates_must_make_sense(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    business = BusinessFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    fake = SimpleUploadedFile("cam-ket.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    page = _post(client, business, scan=fake, valid_until="01/01/2020").content.decode()
    assert "Chỉ nhận tệp PDF, JPG hoặc PNG." in page
    assert "Ngày hết hiệu lực phải sau ngày ký." in page
    assert Commitment.objects.count() == 0
    assert not list(tmp_path.rglob("*.*"))


def test_commitment_for_a_business_of_another_commune_is_refused(client, people):
    business = BusinessFactory(unit=people.commune_b)
    client.force_login(people.officer_a)
    page = _post(client, business).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page and Commitment.objects.count() == 0


def test_deleting_a_business_removes_its_scans_from_disk(client, people, settings, tmp_path,
                                                        django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    business = BusinessFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    _post(client, business)
    assert len(list(tmp_path.rglob("*.pdf"))) == 1
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("businesses:business_delete", args=[business.pk]))
    assert Commitment.objects.count() == 0 and list(tmp_path.rglob("*.pdf")) == []
