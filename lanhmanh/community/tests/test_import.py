"""Importing a unit's list of models and clubs from Excel: our template, or the unit's own list through the
column-mapping step. Every row follows the form's rules; one bad row means nothing is written."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lanhmanh.community.models import ModelKind, ModelStatus, PreventionModel
from lanhmanh.community.tests.factories import PreventionModelFactory
from lanhmanh.core.models import ImportJob

URL = reverse("community:preventionmodel_import")
D = datetime.date


def short(header: str) -> str:
    """A template header without its star and its "(mã)" lookup hint."""
    return header.rstrip(" *").split(" (")[0]


def template_file(client, rows: list[dict]) -> SimpleUploadedFile:
    """Our template, downloaded from the import page, filled with `rows` ({short header: value})."""
    response = client.get(URL, {"template": 1})
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    ws = wb.active
    columns = {short(cell.value): i for i, cell in enumerate(ws[1])}
    for row in rows:
        values = [None] * len(columns)
        for header, value in row.items():
            values[columns[header]] = value  # a KeyError here: the template lost a column
        ws.append(values)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("danh sach mo hinh.xlsx", buffer.getvalue())


def model_row(**cells) -> dict:
    return {
        "Đơn vị": "11311",
        "Tên mô hình, câu lạc bộ": "Câu lạc bộ “Phụ nữ với pháp luật”",
        "Loại mô hình": "Câu lạc bộ",
        "Ngày thành lập": "05/03/2024",
        **cells,
    }


def errors_of(job) -> set[tuple]:
    return {(e["row"], e["field"], e["message"]) for e in job.errors}


def test_a_list_of_models_is_imported(client, people, group_a, womens_union_a, health_department):
    client.force_login(people.officer_a)
    upload = template_file(
        client,
        [
            model_row(
                **{
                    "Tổ dân phố, thôn": "3",
                    "Cơ quan chủ trì": "Hội Liên hiệp Phụ nữ phường Hồng Bàng",
                    "Số thành viên": 24,
                    "Kinh phí hằng năm": "15.000.000",
                    "Nguồn kinh phí": "Ngân sách phường",
                    "Số quyết định thành lập": "15/QĐ-UBND",
                    "Ngày quyết định": datetime.datetime(2024, 3, 2),
                }
            ),
            # The kind written loosely, a provincial lead agency, and a model dissolved (no status column needed).
            model_row(
                **{
                    "Tên mô hình, câu lạc bộ": "Mô hình phòng ngừa mại dâm tại cộng đồng",
                    "Loại mô hình": "Mô hình dựa vào cộng đồng, giảm tác hại HIV",
                    "Ngày thành lập": "01/06/2019",
                    "Cơ quan chủ trì": "Sở Y tế thành phố Hải Phòng",
                    "Giải thể từ ngày": "30/06/2025",
                }
            ),
            model_row(
                **{
                    "Tên mô hình, câu lạc bộ": "Đội công tác xã hội tình nguyện",
                    "Loại mô hình": "tình nguyện",
                    "Tình trạng": "Tạm dừng",
                    "Tạm dừng từ ngày": "01/09/2025",
                }
            ),
        ],
    )
    page = client.post(URL, {"file": upload}, follow=True).content.decode()

    assert "Đã nhập 3 bản ghi." in page, ImportJob.objects.get().errors
    club = PreventionModel.objects.get(kind=ModelKind.CLUB)
    assert (club.unit, club.residential_group, club.lead_agency, club.members_count, club.annual_funding) == (
        people.commune_a,
        group_a,
        womens_union_a,
        24,
        15_000_000,
    )
    assert (club.decision_date, club.status, club.created_by) == (D(2024, 3, 2), ModelStatus.ACTIVE, people.officer_a)
    community = PreventionModel.objects.get(kind=ModelKind.COMMUNITY_HIV)
    assert (community.lead_agency, community.status, community.dissolved_on) == (
        health_department,
        ModelStatus.DISSOLVED,
        D(2025, 6, 30),
    )
    team = PreventionModel.objects.get(kind=ModelKind.VOLUNTEER_TEAM)
    assert (team.status, team.paused_on) == (ModelStatus.PAUSED, D(2025, 9, 1))


BAD_ROWS = {
    "unknown residential group": (
        {"Tổ dân phố, thôn": "Tổ dân phố 99"},
        "Tổ dân phố, thôn",
        "Không tìm thấy tổ dân phố, thôn “Tổ dân phố 99” của Phường Hồng Bàng.",
    ),
    "agency of another commune": (
        {"Cơ quan chủ trì": "Công an phường Ngô Quyền"},
        "Cơ quan chủ trì",
        "Không tìm thấy cơ quan “Công an phường Ngô Quyền” của Phường Hồng Bàng hoặc cấp trên.",
    ),
    "established in the future": ({"Ngày thành lập": "01/01/2099"}, "Ngày thành lập", "Ngày không thể sau hôm nay."),
    "dissolved before established": (
        {"Giải thể từ ngày": "01/01/2024"},
        "Giải thể từ ngày",
        "Không thể trước ngày thành lập (05/03/2024).",
    ),
    "paused without a day": (
        {"Tình trạng": "Tạm dừng hoạt động"},
        "Tạm dừng từ ngày",
        "Mô hình tạm dừng phải có ngày tạm dừng.",
    ),
    "unknown kind": (
        {"Loại mô hình": "Hội thi"},
        "Loại mô hình",
        "Hãy chọn một lựa chọn hợp lệ. Hội thi không phải là một trong các lựa chọn khả thi.",
    ),
    "same name twice": (
        {"Tên mô hình, câu lạc bộ": "Câu lạc bộ Hoa Sen"},
        "Tên mô hình, câu lạc bộ",
        "Trùng với dòng 2 trong tệp.",
    ),
}


@pytest.mark.parametrize(("cells", "column", "message"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_writes_nothing_and_says_why(client, people, group_a, police_b, cells, column, message):
    client.force_login(people.officer_a)
    upload = template_file(
        client,
        [
            model_row(**{"Tên mô hình, câu lạc bộ": "Câu lạc bộ Hoa Sen"}),
            model_row(**{"Tên mô hình, câu lạc bộ": "Câu lạc bộ Hoa Phượng", "Tổ dân phố, thôn": "Tổ dân phố 3"}),
            model_row(**cells),  # sheet row 4
        ],
    )
    page = client.post(URL, {"file": upload}, follow=True).content.decode()

    assert "Không dòng nào được nhập" in page
    assert not PreventionModel.objects.exists()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.created_rows == 0
    assert errors_of(job) == {(4, column, message)}  # the good rows 2 and 3 have no error


def test_a_model_already_recorded_is_not_imported_again(client, people):
    PreventionModelFactory(unit=people.commune_a, name="Câu lạc bộ Hoa Sen")
    client.force_login(people.officer_a)
    client.post(
        URL,
        {
            "file": template_file(
                client,
                [
                    model_row(**{"Tên mô hình, câu lạc bộ": "Câu lạc bộ Hoa Phượng"}),
                    model_row(**{"Tên mô hình, câu lạc bộ": "câu lạc bộ hoa sen"}),
                ],
            )
        },
    )
    assert errors_of(ImportJob.objects.get()) == {
        (3, "Tên mô hình, câu lạc bộ", "Phường Hồng Bàng đã có mô hình, câu lạc bộ “câu lạc bộ hoa sen”.")
    }
    assert PreventionModel.objects.count() == 1


def test_a_commune_cannot_import_models_of_another_commune(client, people):
    client.force_login(people.officer_a)
    client.post(URL, {"file": template_file(client, [model_row(**{"Đơn vị": "11329"})])})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not PreventionModel.objects.exists()
    assert {(row, field) for row, field, _m in errors_of(job)} == {(2, "Đơn vị (mã)")}


def test_a_province_names_its_communes_by_name(client, people):
    client.force_login(people.province_officer)
    client.post(
        URL,
        {
            "file": template_file(
                client, [model_row(**{"Đơn vị": "P. Ngô Quyền"}), model_row(**{"Đơn vị": "Phường Hồng Bàng"})]
            )
        },
    )
    assert ImportJob.objects.get().status == ImportJob.Status.DONE
    assert {m.unit for m in PreventionModel.objects.all()} == {people.commune_a, people.commune_b}


# -- a unit's own list ----------------------------------------------------------------------------


def own_list(header, rows) -> SimpleUploadedFile:
    """A ward's own list, as annexed to its report: a title, a blank row, the header, the models."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "DANH SÁCH MÔ HÌNH, CÂU LẠC BỘ PHÒNG, CHỐNG MẠI DÂM TRÊN ĐỊA BÀN PHƯỜNG"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("danh sach mo hinh phuong.xlsx", buffer.getvalue())


def selected(page: str) -> dict[str, str]:
    chosen = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        match = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        chosen[name] = match.group(1) if match else ""
    chosen["data_start_row"] = re.search(r'name="data_start_row" value="(\d+)"', page).group(1)
    return chosen


def test_a_wards_own_list_is_mapped_and_imported(client, people, group_a):
    header = [
        "STT",
        "Tên mô hình",
        "Loại hình",
        "Tổ dân phố",
        "Ngày thành lập",
        "Số thành viên",
        "Kinh phí",
        "Tình trạng",
    ]
    rows = [
        [1, "CLB Phụ nữ với pháp luật", "CLB", "TDP 3", "05/03/2024", 24, "15.000.000", "Đang hoạt động"],
        [2, "Nhóm Tự tin làm lại", "Nhóm hỗ trợ sinh kế", None, "12/10/2023", 12, None, "Đang hoạt động"],
    ]
    client.force_login(people.officer_a)
    response = client.post(URL, {"file": own_list(header, rows)})
    assert ImportJob.objects.get().status == ImportJob.Status.MAPPING
    mapping_url = response["Location"]
    form = selected(client.get(mapping_url).content.decode())
    assert (form["col_name"], form["col_kind"], form["col_residential_group_name"]) == ("1", "2", "3")
    assert (form["col_established_on"], form["col_members_count"], form["col_annual_funding"]) == ("4", "5", "6")
    assert form["col_status"] == "7" and form["fixed_unit"] == str(people.commune_a.pk)

    done = client.post(mapping_url, form, follow=True).content.decode()
    assert "Đã nhập 2 bản ghi." in done, ImportJob.objects.get().errors
    club = PreventionModel.objects.get(kind=ModelKind.CLUB)
    assert (club.residential_group, club.annual_funding, club.unit) == (group_a, 15_000_000, people.commune_a)
    assert PreventionModel.objects.get(kind=ModelKind.LIVELIHOOD).annual_funding is None
