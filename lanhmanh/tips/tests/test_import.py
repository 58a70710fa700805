"""Importing an existing register of tips from our Excel template: all rows or none, deadlines computed."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from lanhmanh.core.models import ImportJob
from lanhmanh.tips.models import Tip

URL = reverse("tips:tip_import")


def _file(client, rows):
    wb = load_workbook(io.BytesIO(client.get(URL, {"template": 1}).content))
    ws = wb.active
    columns = {cell.value.rstrip(" *").split(" (")[0]: i for i, cell in enumerate(ws[1])}
    for r, row in enumerate(rows, start=2):
        for header, value in row.items():
            ws.cell(row=r, column=columns[header] + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("so-tin-bao.xlsx", out.getvalue())


def _row(people, **extra):
    return {"Đơn vị tiếp nhận": people.commune_a.code, "Kênh tiếp nhận": "Đường dây nóng",
            "Thời điểm tiếp nhận": "03/03/2026 09:00", "Loại tin": "Tố giác, tin báo về tội phạm",
            "Nội dung": "Tố giác chứa mại dâm tại nhà nghỉ", **extra}


def test_register_rows_become_tips_with_their_deadlines(client, people):
    client.force_login(people.officer_a)
    client.post(URL, {"file": _file(client, [_row(people), _row(people, **{"Nội dung": "Phản ánh thứ hai"})])})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE, job.errors
    assert Tip.objects.count() == 2
    assert set(Tip.objects.values_list("deadline", flat=True)) == {datetime.date(2026, 3, 23)}


def test_one_bad_row_writes_nothing(client, people):
    client.force_login(people.officer_a)
    client.post(URL, {"file": _file(client, [_row(people), _row(people, **{"Nội dung": None})])})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.errors
    assert not Tip.objects.exists()
