"""A report's attachments: added and removed by its unit while it is drafted or returned, frozen with it once
submitted; photos and PDFs only (core.uploads); served under a neutral name only to users who may read the report."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from lanhmanh.core.testing import login_verified
from lanhmanh.reporting import attachments, workflow
from lanhmanh.reporting.models import ReportAttachment
from lanhmanh.reporting.tests.factories import ReportFactory

API = "/api/reports/"
BAD_TYPE = "Chỉ nhận ảnh JPG, PNG hoặc tệp PDF."
FROZEN = "tệp đính kèm đã được chốt"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def png(name="bien ban hop Nguyen Van A.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("bao cao.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def fake() -> SimpleUploadedFile:
    return SimpleUploadedFile("virus.png", b"MZ not an image", content_type="image/png")


def make_report(people):
    return ReportFactory(unit=people.commune_a, deadline=timezone.localdate() + datetime.timedelta(days=365),
                         figures={"indicators": [], "targets": [], "documents": []}, figures_at=timezone.now())


def submit(report, user):
    workflow.submit(report, user, expected_version=report.version)
    report.refresh_from_db()
    return report


def attach_url(report):
    return reverse("reporting:report_attach", args=[report.pk])


def file_url(report, attachment):
    return reverse("reporting:report_attachment", args=[report.pk, attachment.pk])


# -- pages ----------------------------------------------------------------------------------------------------------


def test_the_officer_attaches_lists_and_downloads(client, people, media):
    report = make_report(people)
    login_verified(client, people.officer_a)
    page = client.post(attach_url(report), {"file": png(), "description": "Biên bản họp"}, follow=True)
    assert "Đã đính kèm tệp." in page.content.decode()
    attachment = ReportAttachment.objects.get()
    assert attachment.report == report and attachment.uploaded_by == people.officer_a
    assert attachment.content_type == "image/png" and attachment.size > 0
    assert attachment.file.name.startswith(f"private/reports/{timezone.now():%Y}/")
    assert "Nguyen" not in attachment.file.name and "bien" not in attachment.file.name
    body = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Biên bản họp" in body and file_url(report, attachment) in body
    assert 'data-testid="attachment-form"' in body and 'data-testid="attachment-delete"' in body
    download = client.get(file_url(report, attachment))
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    disposition = download["Content-Disposition"]
    assert f"bao-cao-{report.pk}-tep-dinh-kem-{attachment.pk}.png" in disposition and "Nguyen" not in disposition


def test_another_commune_gets_404(client, people):
    report = make_report(people)
    attachment = attachments.add(report, people.officer_a, *_clean(png()))
    login_verified(client, people.officer_b)
    assert client.get(file_url(report, attachment)).status_code == 404
    assert client.post(attach_url(report), {"file": png()}).status_code == 404
    delete = reverse("reporting:report_attachment_delete", args=[report.pk, attachment.pk])
    assert client.post(delete).status_code == 404
    assert ReportAttachment.objects.count() == 1
    # The province reads its communes' reports, attachments included.
    login_verified(client, people.province_officer)
    assert client.get(file_url(report, attachment)).status_code == 200


def test_a_file_of_another_type_is_refused_and_nothing_stored(client, people, media):
    report = make_report(people)
    login_verified(client, people.officer_a)
    page = client.post(attach_url(report), {"file": fake(), "description": "x"}, follow=True).content.decode()
    assert BAD_TYPE in page
    assert not ReportAttachment.objects.exists() and stored_files(media) == []


def test_the_stored_file_is_removed_when_the_database_write_fails(people, media, monkeypatch):
    report = make_report(people)

    def fail(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr(ReportAttachment, "save_base", fail)
    with pytest.raises(RuntimeError):
        attachments.add(report, people.officer_a, *_clean(pdf()))
    assert stored_files(media) == []


def test_attachments_are_frozen_once_submitted(client, people, media):
    report = make_report(people)
    attachment = attachments.add(report, people.officer_a, *_clean(pdf()), "Kế hoạch")
    submit(report, people.officer_a)
    login_verified(client, people.officer_a)
    body = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Kế hoạch" in body and 'data-testid="attachment-form"' not in body
    assert 'data-testid="attachment-delete"' not in body
    page = client.post(attach_url(report), {"file": png()}, follow=True).content.decode()
    assert FROZEN in page and ReportAttachment.objects.count() == 1
    delete = reverse("reporting:report_attachment_delete", args=[report.pk, attachment.pk])
    assert FROZEN in client.post(delete, follow=True).content.decode()
    assert ReportAttachment.objects.count() == 1 and len(stored_files(media)) == 1
    # Still readable after submission.
    assert client.get(file_url(report, attachment)).status_code == 200


def test_the_officer_deletes_an_attachment_of_a_draft(client, people, media, django_capture_on_commit_callbacks):
    report = make_report(people)
    attachment = attachments.add(report, people.officer_a, *_clean(png()))
    login_verified(client, people.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("reporting:report_attachment_delete", args=[report.pk, attachment.pk]),
                           follow=True)
    assert "Đã xóa tệp đính kèm." in page.content.decode()
    assert not ReportAttachment.objects.exists() and stored_files(media) == []


def test_a_file_removed_after_a_return_stays_with_the_version_that_had_it(
        client, people, media, django_capture_on_commit_callbacks):
    from lanhmanh.accounts.roles import Role
    from lanhmanh.accounts.tests.factories import UserFactory

    approver = UserFactory(username="lanhdao.tinh", roles=[(people.province, Role.APPROVER)])
    report = make_report(people)
    plan = attachments.add(report, people.officer_a, *_clean(pdf()), "Kế hoạch kiểm tra")
    submit(report, people.officer_a)
    workflow.return_report(report, approver, "Bổ sung biên bản.")
    report.refresh_from_db()
    login_verified(client, people.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reporting:report_attachment_delete", args=[report.pk, plan.pk]), follow=True)
    minutes = attachments.add(report, people.officer_a, *_clean(png()), "Biên bản kiểm tra")
    # Gone from the report being written, kept (with its file) for the first version.
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    current = page.split('data-testid="attachments"')[1].split("</ul>")[0]
    assert "Biên bản kiểm tra" in current and "Kế hoạch kiểm tra" not in current
    assert [row["id"] for row in client.get(f"{API}{report.pk}/").json()["attachments"]] == [minutes.pk]
    assert len(stored_files(media)) == 2 and client.get(file_url(report, plan)).status_code == 200
    report.figures_at = timezone.now()
    report.save(update_fields=["figures_at"])
    submit(report, people.officer_a)
    first, second = report.versions.order_by("number")
    assert list(first.attachments.all()) == [plan] and list(second.attachments.all()) == [minutes]
    versions = client.get(f"{API}{report.pk}/").json()["versions"]
    assert [v["attachments"] for v in versions] == [[plan.pk], [minutes.pk]]
    page = client.get(reverse("reporting:report_detail", args=[report.pk])).content.decode()
    assert "Kế hoạch kiểm tra" in page.split('data-testid="versions"')[1]  # listed with version 1, downloadable
    diff = client.get(reverse("reporting:report_diff", args=[report.pk]), {"a": 1, "b": 2}).content.decode()
    assert "Thêm: Biên bản kiểm tra" in diff and "Gỡ: Kế hoạch kiểm tra" in diff
    # A file no version had is deleted outright.
    workflow.return_report(report, approver, "Sửa lại.")
    report.refresh_from_db()
    extra = attachments.add(report, people.officer_a, *_clean(pdf()))
    attachments.remove(report, people.officer_a, extra.pk)
    assert not ReportAttachment.objects.filter(pk=extra.pk).exists()


def _clean(upload):
    from lanhmanh.core.uploads import clean_upload

    return clean_upload(upload)


# -- API ------------------------------------------------------------------------------------------------------------


def test_api_upload_list_download_and_delete(client, people, media, django_capture_on_commit_callbacks):
    report = make_report(people)
    login_verified(client, people.officer_a)
    response = client.post(f"{API}{report.pk}/attachments/", {"file": pdf(), "description": "Kế hoạch"})
    assert response.status_code == 200, response.content
    [row] = response.json()["attachments"]
    assert set(row) == {"id", "description", "content_type", "size", "uploaded_at"}
    assert (row["description"], row["content_type"]) == ("Kế hoạch", "application/pdf")
    assert client.get(f"{API}{report.pk}/").json()["attachments"] == [row]
    download = client.get(f"{API}{report.pk}/attachments/{row['id']}/file/")
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert f"bao-cao-{report.pk}-tep-dinh-kem-{row['id']}.pdf" in download["Content-Disposition"]
    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.delete(f"{API}{report.pk}/attachments/{row['id']}/")
    assert deleted.status_code == 200 and deleted.json()["attachments"] == []
    assert stored_files(media) == []
    assert client.delete(f"{API}{report.pk}/attachments/{row['id']}/").status_code == 404
    # The report itself is never deleted through the API.
    assert client.delete(f"{API}{report.pk}/").status_code == 405


def test_api_another_commune_gets_404(client, people):
    report = make_report(people)
    attachment = attachments.add(report, people.officer_a, *_clean(png()))
    login_verified(client, people.officer_b)
    assert client.get(f"{API}{report.pk}/attachments/{attachment.pk}/file/").status_code == 404
    assert client.post(f"{API}{report.pk}/attachments/", {"file": png()}).status_code == 404
    assert client.delete(f"{API}{report.pk}/attachments/{attachment.pk}/").status_code == 404
    assert ReportAttachment.objects.count() == 1


def test_api_refuses_a_bad_type_and_stores_nothing(client, people, media):
    report = make_report(people)
    login_verified(client, people.officer_a)
    response = client.post(f"{API}{report.pk}/attachments/", {"file": fake()})
    assert response.status_code == 400 and response.json()["file"] == [BAD_TYPE]
    missing = client.post(f"{API}{report.pk}/attachments/", {"description": "x"})
    assert missing.status_code == 400 and "file" in missing.json()
    assert not ReportAttachment.objects.exists() and stored_files(media) == []


def test_api_refuses_changes_after_submission(client, people, media):
    report = make_report(people)
    attachment = attachments.add(report, people.officer_a, *_clean(png()))
    submit(report, people.officer_a)
    login_verified(client, people.officer_a)
    response = client.post(f"{API}{report.pk}/attachments/", {"file": pdf()})
    assert response.status_code == 400 and FROZEN in str(response.json())
    deleted = client.delete(f"{API}{report.pk}/attachments/{attachment.pk}/")
    assert deleted.status_code == 400 and FROZEN in str(deleted.json())
    assert ReportAttachment.objects.count() == 1 and len(stored_files(media)) == 1
    assert client.get(f"{API}{report.pk}/attachments/{attachment.pk}/file/").status_code == 200
