"""Importing the courses a unit held (one row per course, with its totals) and the staff counts from Excel: our
template or the unit's own list; every row follows the form's rules, and one bad row means nothing is written."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lanhmanh.core.models import ImportJob
from lanhmanh.geo.tests.factories import AgencyFactory
from lanhmanh.training import services
from lanhmanh.training.models import StaffCount, Training
from lanhmanh.training.tests.factories import StaffCountFactory

URL = reverse("training:training_import")
STAFF_URL = reverse("training:staffcount_import")
D = datetime.date


def short(header: str) -> str:
    return header.rstrip(" *").split(" (")[0]


def template_file(client, url, rows: list[dict]) -> SimpleUploadedFile:
    response = client.get(url, {"template": 1})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    columns = {short(cell.value): i for i, cell in enumerate(ws[1])}
    for row in rows:
        values = [None] * len(columns)
        for header, value in row.items():
            values[columns[header]] = value
        ws.append(values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("lop tap huan.xlsx", buffer.getvalue())


def course_row(**cells) -> dict:
    return {
        "Đơn vị": "11311",
        "Tên lớp": "Tập huấn nghiệp vụ phòng, chống mại dâm",
        "Ngày bắt đầu": "15/04/2026",
        "Số lượt người tham dự": 40,
        "Trong đó, cán bộ làm công tác phòng, chống tệ nạn xã hội": 12,
        **cells,
    }


def errors_of(job) -> set[tuple]:
    return {(e["row"], e["field"], e["message"]) for e in job.errors}


def test_courses_are_imported_with_their_totals(client, people):
    AgencyFactory(unit=people.commune_a, name="Phòng Văn hóa - Xã hội phường Hồng Bàng")
    client.force_login(people.officer_a)
    upload = template_file(
        client,
        URL,
        [
            course_row(
                **{
                    "Cơ quan tổ chức": "Phòng Văn hóa - Xã hội phường Hồng Bàng",
                    "Ngày kết thúc": "16/04/2026",
                    "Địa điểm": "Hội trường UBND phường",
                    "Số tài liệu phát": "40",
                }
            ),
            course_row(
                **{
                    "Đơn vị": "Phường Hồng Bàng",
                    "Tên lớp": "Tập huấn kỹ năng truyền thông",
                    "Ngày bắt đầu": datetime.datetime(2026, 6, 2),
                    "Số lượt người tham dự": "1.200",
                    "Trong đó, cán bộ làm công tác phòng, chống tệ nạn xã hội": None,
                }
            ),
        ],
    )
    page = client.post(URL, {"file": upload}, follow=True).content.decode()
    assert "Đã nhập 2 bản ghi." in page, ImportJob.objects.get().errors

    first = Training.objects.get(starts_on=D(2026, 4, 15))
    assert (first.level, first.ends_on, first.organiser.name, first.materials_count) == (
        "commune",
        D(2026, 4, 16),
        "Phòng Văn hóa - Xã hội phường Hồng Bàng",
        40,
    )
    assert (first.participants_total, first.programme_staff_total, first.created_by) == (40, 12, people.officer_a)
    group = first.participant_groups.get()
    assert (group.participant_unit, group.agency_label) == (people.commune_a, "Không phân theo cơ quan")
    second = Training.objects.get(starts_on=D(2026, 6, 2))
    assert (second.unit, second.participants_total, second.programme_staff_total) == (people.commune_a, 1200, 0)
    StaffCountFactory(unit=people.commune_a, year=2026, staff=24)
    assert services.staff_trained(people.commune_a, 2026, today=D(2026, 11, 25)).commune.percent == 50.0


BAD_ROWS = {
    "more staff than participants": (
        {"Số lượt người tham dự": 5, "Trong đó, cán bộ làm công tác phòng, chống tệ nạn xã hội": 6},
        "Trong đó, cán bộ làm công tác phòng, chống tệ nạn xã hội",
        "Số cán bộ làm công tác phòng, chống tệ nạn xã hội không thể lớn hơn số người tham dự.",
    ),
    "ends before it starts": (
        {"Ngày kết thúc": "14/04/2026"},
        "Ngày kết thúc",
        "Ngày kết thúc không thể trước ngày bắt đầu (15/04/2026).",
    ),
    "no participants": ({"Số lượt người tham dự": None}, "Số lượt người tham dự", "Trường này là bắt buộc."),
    "same course twice": ({"Tên lớp": "Lớp một"}, "Ngày bắt đầu", "Trùng với dòng 2 trong tệp."),
    "another commune": ({"Đơn vị": "11329"}, "Đơn vị", None),
}


@pytest.mark.parametrize(("cells", "column", "message"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_writes_nothing_and_says_why(client, people, cells, column, message):
    client.force_login(people.officer_a)
    upload = template_file(
        client,
        URL,
        [
            course_row(**{"Tên lớp": "Lớp một"}),
            course_row(**{"Tên lớp": "Lớp hai"}),
            course_row(**cells),  # sheet row 4
        ],
    )
    page = client.post(URL, {"file": upload}, follow=True).content.decode()
    assert "Không dòng nào được nhập" in page
    assert not Training.objects.exists()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.created_rows == 0
    found = {(row, short(field) if field else field, msg) for row, field, msg in errors_of(job)}
    if message is None:
        assert {(row, field) for row, field, _m in found} == {(4, column)}
    else:
        assert found == {(4, column, message)}


def test_a_courses_own_list_is_mapped_and_imported(client, people):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "DANH SÁCH CÁC LỚP TẬP HUẤN NĂM 2026"
    ws.append([])
    ws.append(["STT", "Tên lớp tập huấn", "Ngày tổ chức", "Địa điểm", "Số người tham dự", "Trong đó cán bộ"])
    ws.append([1, "Tập huấn triển khai kế hoạch năm 2026", "10/02/2026", "Hội trường UBND", 35, 10])
    ws.append([2, "Tập huấn kỹ năng kiểm tra cơ sở", "20/03/2026", "Công an phường", 20, 15])
    ws.append([None, "Tổng cộng", None, None, 55, 25])
    buffer = io.BytesIO()
    wb.save(buffer)
    client.force_login(people.officer_a)
    response = client.post(URL, {"file": SimpleUploadedFile("ds lop.xlsx", buffer.getvalue())})
    assert ImportJob.objects.get().status == ImportJob.Status.MAPPING
    mapping_url = response["Location"]
    page = client.get(mapping_url).content.decode()
    form = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        match = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        form[name] = match.group(1) if match else ""
    form["data_start_row"] = re.search(r'name="data_start_row" value="(\d+)"', page).group(1)
    assert (form["col_title"], form["col_starts_on"], form["col_venue"]) == ("1", "2", "3")
    assert (form["col_participants"], form["col_programme_staff"]) == ("4", "5")
    assert form["fixed_unit"] == str(people.commune_a.pk)
    done = client.post(mapping_url, form, follow=True).content.decode()
    assert "Đã nhập 2 bản ghi." in done, ImportJob.objects.get().errors
    assert sorted(Training.objects.values_list("participants_total", "programme_staff_total")) == [(20, 15), (35, 10)]


def test_staff_counts_are_imported_once_per_unit_and_year(client, people):
    StaffCountFactory(unit=people.province, year=2025, staff=50)
    client.force_login(people.province_officer)
    rows = [
        {"Đơn vị": "11311", "Năm": 2026, "Số cán bộ": 8},
        {"Đơn vị": "Phường Ngô Quyền", "Năm": 2026, "Số cán bộ": 7, "Ghi chú": "Theo Quyết định 12"},
    ]
    page = client.post(STAFF_URL, {"file": template_file(client, STAFF_URL, rows)}, follow=True).content.decode()
    assert "Đã nhập 2 bản ghi." in page, ImportJob.objects.get().errors
    assert dict(StaffCount.objects.filter(year=2026).values_list("unit__code", "staff")) == {"11311": 8, "11329": 7}

    again = [
        {"Đơn vị": "31", "Năm": 2025, "Số cán bộ": 52},
        {"Đơn vị": "11311", "Năm": 2025, "Số cán bộ": 9},
        {"Đơn vị": "11311", "Năm": 2025, "Số cán bộ": 9},
    ]
    client.post(STAFF_URL, {"file": template_file(client, STAFF_URL, again)})
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportJob.Status.FAILED
    assert {(row, msg) for row, _f, msg in errors_of(job)} == {
        (2, "Đã có số cán bộ của Thành phố Hải Phòng năm 2025."),
        (4, "Trùng với dòng 3 trong tệp."),
    }
    assert StaffCount.objects.count() == 3
