"""Residential groups imported from Excel: all rows or none, with a row-by-row report."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lanhmanh.core.models import ImportJob
from lanhmanh.geo.models import ResidentialGroup

URL = "geo:residentialgroup_import"


def _xlsx(client, rows, header=None):
    template = load_workbook(io.BytesIO(client.get(reverse(URL), {"template": 1}).content))
    wb = Workbook()
    ws = wb.active
    ws.append(header or [c.value for c in template.active[1]])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("to-dan-pho.xlsx", buffer.getvalue())


def test_template_has_vietnamese_headers_and_a_unit_drop_down(client, people):
    client.force_login(people.officer_a)
    response = client.get(reverse(URL), {"template": 1})
    wb = load_workbook(io.BytesIO(response.content))
    headers = [c.value for c in wb.active[1]]
    assert headers[0].startswith("Xã, phường, đặc khu") and headers[1] == "Tên *"
    assert any("Danh mục" in str(dv.formula1) for dv in wb.active.data_validations.dataValidation)
    assert wb["Danh mục"]["A2"].value == "11311"  # only the officer's own commune is offered


def test_valid_file_creates_every_row(client, people):
    client.force_login(people.officer_a)
    upload = _xlsx(client, [["11311", "Tổ dân phố 1", "tổ dân phố"], ["11311", "Tổ dân phố 2", ""]])
    response = client.post(reverse(URL), {"file": upload}, follow=True)
    assert "Đã nhập 2 bản ghi" in response.content.decode()
    assert ResidentialGroup.objects.filter(parent=people.commune_a).count() == 2
    assert ResidentialGroup.objects.get(name="Tổ dân phố 1").history.get().history_user == people.officer_a


def test_one_bad_row_writes_nothing_and_reports_each_row(client, people):
    client.force_login(people.officer_a)
    upload = _xlsx(client, [
        ["11311", "Tổ dân phố 1", ""],
        ["11329", "Tổ dân phố 2", ""],   # sibling commune: outside the officer's scope
        ["99999", "Tổ dân phố 3", ""],   # no such unit
        ["11311", "", ""],               # name missing
        ["11311", "Tổ dân phố 1", ""],   # duplicate of row 2
    ])
    page = client.post(reverse(URL), {"file": upload}, follow=True).content.decode()
    assert ResidentialGroup.objects.count() == 0
    assert "Không dòng nào được nhập" in page
    assert "Không tìm thấy" in page and "“11329”" in page and "“99999”" in page
    assert "Trùng với dòng 2 trong tệp." in page
    job = ImportJob.objects.get()
    rows = {e["row"] for e in job.errors}
    assert rows == {3, 4, 5, 6}
    download = client.get(reverse("import_job_errors", args=[job.pk]))
    report = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    ws = report.active
    assert ws.cell(row=1, column=4).value == "Lỗi"
    assert "Không tìm thấy" in ws.cell(row=3, column=4).value
    assert ws.cell(row=3, column=1).fill.fgColor.rgb.endswith("FFC7CE")


def test_sheet_without_a_recognisable_header_is_refused(client, people):
    client.force_login(people.officer_a)
    upload = _xlsx(client, [["a", "b"]], header=["Cột 1", "Cột 2"])
    page = client.post(reverse(URL), {"file": upload}, follow=True).content.decode()
    assert "Không tìm thấy dòng tiêu đề" in page and ResidentialGroup.objects.count() == 0


def test_empty_and_non_excel_files_are_refused(client, people):
    client.force_login(people.officer_a)
    page = client.post(reverse(URL), {"file": _xlsx(client, [])}, follow=True).content.decode()
    assert "không có dòng dữ liệu" in page
    fake = SimpleUploadedFile("ds.xlsx", "Mã;Tên\n11311;Tổ 1\n".encode())
    page = client.post(reverse(URL), {"file": fake}).content.decode()
    assert "không phải là tệp Excel" in page
    assert ResidentialGroup.objects.count() == 0


def test_too_large_file_is_refused(client, people, settings):
    settings.IMPORT_MAX_BYTES = 1000
    client.force_login(people.officer_a)
    upload = _xlsx(client, [["11311", f"Tổ {n}", ""] for n in range(300)])
    page = client.post(reverse(URL), {"file": upload}).content.decode()
    assert "Tệp quá lớn" in page and ResidentialGroup.objects.count() == 0


# The worker closes connections it finds inside a transaction, so this test runs outside the test transaction.
@pytest.mark.django_db(transaction=True)
def test_large_file_runs_in_the_background_worker(client, people, settings):
    from django.core.management import call_command

    settings.IMPORT_BACKGROUND_ROWS = 2
    client.force_login(people.officer_a)
    upload = _xlsx(client, [["11311", f"Tổ {n}", ""] for n in range(5)])
    response = client.post(reverse(URL), {"file": upload}, follow=True)
    page = response.content.decode()
    assert "<progress" in page and 'hx-trigger="every 2s"' in page
    assert ResidentialGroup.objects.count() == 0
    call_command("db_worker", "--batch", "--queue-name", "default", verbosity=0)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.created_rows == 5
    assert ResidentialGroup.objects.filter(parent=people.commune_a).count() == 5


def test_jobs_belong_to_their_user(client, people):
    client.force_login(people.officer_a)
    client.post(reverse(URL), {"file": _xlsx(client, [["11311", "Tổ 1", ""]])})
    job = ImportJob.objects.get()
    client.force_login(people.officer_b)
    assert client.get(reverse("import_job", args=[job.pk])).status_code == 404
