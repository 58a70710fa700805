"""An officer uploads their own Excel list instead of our template: the columns are matched on a mapping
page, then the rows are imported like any other import — all or nothing, errors at their sheet rows."""

import io
import re
import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lanhmanh.core.imports import run_import
from lanhmanh.core.models import ImportJob
from lanhmanh.geo.imports import AgencyImporter, ResidentialGroupImporter
from lanhmanh.geo.models import Agency, ResidentialGroup

GROUPS_URL = reverse("geo:residentialgroup_import")
AGENCIES_URL = reverse("geo:agency_import")
GROUP_ROWS = [
    [1, 120, "tổ dân phố", "Tổ dân phố số 1", 11311, None],
    # Typed on a phone: the same letters, decomposed (NFD), with stray spaces.
    [2, 95, "thôn", unicodedata.normalize("NFD", "  Thôn  Đông Hải "), "11311", "mới thành lập"],
    [None, None, None, None, None, None],
    [3, 60, "tổ dân phố", "Tổ dân phố số 3", "11311", None],
]


def upload(wb, name="DS to dan pho 2024.xlsx"):
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def officers_group_workbook(rows=GROUP_ROWS):
    """A ward's list in the pre-2025 district layout: titles, a two-row merged header, column numbers,
    the row number first, columns we do not import, the code last, a total and a signature at the end."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "ỦY BAN NHÂN DÂN PHƯỜNG HỒNG BÀNG"
    ws.merge_cells("A1:C1")
    ws["A2"] = "DANH SÁCH TỔ DÂN PHỐ, THÔN NĂM 2024"
    ws.merge_cells("A2:F2")
    for col, text in zip("ABCEF", ["STT", "Số hộ", "Tổ dân phố, thôn", "Mã xã, phường, đặc khu", "Ghi chú"],
                         strict=True):
        ws[f"{col}4"] = text
    for col in "ABEF":
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("C4:D4")
    ws["C5"], ws["D5"] = "Loại", "Tên"
    ws.append([f"({n})" for n in range(1, 7)])
    for row in rows:
        ws.append(row)
    ws.append([None, 275, "Tổng cộng", None, None, None])
    ws.append([None, None, None, "Người lập biểu", None, "Chủ tịch UBND phường"])
    return wb


def officers_group_list(rows=GROUP_ROWS):
    return upload(officers_group_workbook(rows))


def selected(page: str) -> dict[str, str]:
    """{field name: chosen value} of the mapping form, as the browser would submit it."""
    chosen = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        match = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        chosen[name] = match.group(1) if match else ""
    chosen["data_start_row"] = re.search(r'name="data_start_row" value="(\d+)"', page).group(1)
    return chosen


def test_officers_own_list_is_mapped_and_imported(client, people):
    client.force_login(people.officer_a)
    response = client.post(GROUPS_URL, {"file": officers_group_list()})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.MAPPING and ResidentialGroup.objects.count() == 0
    assert job.layout["header_rows"] == [4, 5]  # found once on upload; the mapping page reads it from the job
    assert response["Location"] == reverse("import_job_mapping", args=[job.pk])

    page = client.get(response["Location"]).content.decode()
    assert "Dòng tiêu đề được nhận ra ở dòng 4–5." in page
    assert "D — Tổ dân phố, thôn / Tên (vd: Tổ dân phố số 1)" in page and "— không nhập —" in page
    form = selected(page)
    assert form == {"col_parent": "4", "col_name": "3", "col_kind": "2", "data_start_row": "7"}

    done = client.post(response["Location"], form, follow=True).content.decode()
    assert "Đã nhập 3 bản ghi." in done
    groups = ResidentialGroup.objects.filter(parent=people.commune_a)
    assert sorted(groups.values_list("name", "kind")) == [
        ("Thôn Đông Hải", "thôn"), ("Tổ dân phố số 1", "tổ dân phố"), ("Tổ dân phố số 3", "tổ dân phố")]
    assert ImportJob.objects.get().status == ImportJob.Status.DONE


def test_a_required_field_left_unmapped_is_explained_and_nothing_is_written(client, people):
    client.force_login(people.officer_a)
    mapping_url = client.post(GROUPS_URL, {"file": officers_group_list()})["Location"]
    form = selected(client.get(mapping_url).content.decode())

    page = client.post(mapping_url, {**form, "col_name": ""}).content.decode()
    assert "Bắt buộc: hãy chọn cột chứa thông tin này." in page
    page = client.post(mapping_url, {**form, "col_kind": form["col_name"]}).content.decode()
    assert "Cột này đã được ghép cho “Tên”." in page
    assert ImportJob.objects.get().status == ImportJob.Status.MAPPING
    assert ResidentialGroup.objects.count() == 0


def test_one_bad_row_writes_nothing_and_is_reported_at_its_sheet_row(client, people):
    rows = [list(r) for r in GROUP_ROWS]
    rows[1][4] = "11329"  # sheet row 8: commune B, outside the officer's scope
    rows.append([4, 40, "thôn", "Tổ dân phố số 1", "11311", None])  # sheet row 11: same name as row 7
    client.force_login(people.officer_a)
    mapping_url = client.post(GROUPS_URL, {"file": officers_group_list(rows)})["Location"]
    form = selected(client.get(mapping_url).content.decode())
    page = client.post(mapping_url, form, follow=True).content.decode()

    assert "Không dòng nào được nhập" in page and ResidentialGroup.objects.count() == 0
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert [(e["row"], e["message"]) for e in job.errors] == [
        (8, "Không tìm thấy Xã, phường, đặc khu có mã “11329” trong phạm vi của bạn."),
        (11, "Trùng với dòng 7 trong tệp."),
    ]
    download = client.get(reverse("import_job_errors", args=[job.pk]))
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert ws.cell(row=6, column=7).value == "Lỗi"  # a new column after the sheet's own, above the data
    assert "“11329”" in ws.cell(row=8, column=7).value
    assert ws.cell(row=8, column=5).fill.fgColor.rgb.endswith("FFC7CE")  # the code cell, where it is in the sheet
    assert ws.cell(row=8, column=4).value == unicodedata.normalize("NFD", "  Thôn  Đông Hải ")  # the sheet as sent


def test_one_value_for_every_row_when_the_sheet_has_no_such_column(client, people, monkeypatch):
    # A module may resolve a related record by name and offer one unit for the whole sheet.
    monkeypatch.setattr(AgencyImporter, "fixed_value_fields", ("unit",))
    monkeypatch.setattr(AgencyImporter, "lookups", {"unit": "code", "agency_type": "name"})
    wb = Workbook()
    wb.active.append(["STT", "Loại cơ quan", "Tên cơ quan, đơn vị", "Người đứng đầu", "Điện thoại"])
    wb.active.append([1, "cong an", "Công an phường Ngô Quyền", "Trần Văn Bình", 912345678])
    wb.active.append([2, "Đoàn Thanh Niên", "Đoàn phường Ngô Quyền", "Lê Thị Hoa", None])
    client.force_login(people.province_officer)  # sees the province and both communes: must choose
    mapping_url = client.post(AGENCIES_URL, {"file": upload(wb, "co quan.xlsx")})["Location"]
    page = client.get(mapping_url).content.decode()
    form = selected(page)
    assert form == {"col_unit": "", "fixed_unit": "", "col_name": "2", "col_agency_type": "1",
                    "data_start_row": "2"}
    assert "Phường Ngô Quyền" in page  # offered as the unit of every row

    page = client.post(mapping_url, form).content.decode()
    assert "Bắt buộc: hãy chọn cột chứa thông tin này." in page and Agency.objects.count() == 0

    done = client.post(mapping_url, {**form, "fixed_unit": str(people.commune_b.pk)}, follow=True).content.decode()
    assert "Đã nhập 2 bản ghi." in done
    assert sorted(Agency.objects.values_list("name", "unit__code", "agency_type__code")) == [
        ("Công an phường Ngô Quyền", "11329", "police"), ("Đoàn phường Ngô Quyền", "11329", "youth_union")]


def test_the_only_unit_of_a_commune_officer_is_chosen_for_them(client, people, monkeypatch):
    monkeypatch.setattr(AgencyImporter, "fixed_value_fields", ("unit",))
    wb = Workbook()
    wb.active.append(["STT", "Tên cơ quan, đơn vị", "Loại cơ quan (mã)"])
    wb.active.append([1, "Trạm Y tế phường", "health"])
    client.force_login(people.officer_a)
    mapping_url = client.post(AGENCIES_URL, {"file": upload(wb, "co quan.xlsx")})["Location"]
    form = selected(client.get(mapping_url).content.decode())
    assert form["fixed_unit"] == str(people.commune_a.pk)
    client.post(mapping_url, form)
    assert Agency.objects.get().unit == people.commune_a


def test_a_sheet_other_than_the_template_is_refused_where_mapping_is_not_allowed(client, people, monkeypatch):
    monkeypatch.setattr(ResidentialGroupImporter, "allow_mapping", False)
    client.force_login(people.officer_a)
    page = client.post(GROUPS_URL, {"file": officers_group_list()}, follow=True).content.decode()
    assert "Tệp không đúng mẫu" in page and ResidentialGroup.objects.count() == 0
    assert ImportJob.objects.get().status == ImportJob.Status.FAILED


def test_our_own_template_imports_without_the_mapping_step(client, people):
    client.force_login(people.officer_a)
    template = load_workbook(io.BytesIO(client.get(GROUPS_URL, {"template": 1}).content))
    template.active.append(["11311", "Tổ dân phố số 9", "tổ dân phố"])
    response = client.post(GROUPS_URL, {"file": upload(template, "mau.xlsx")})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_job", args=[job.pk])
    assert job.status == ImportJob.Status.DONE and ResidentialGroup.objects.get().name == "Tổ dân phố số 9"


def test_the_mapping_page_belongs_to_the_uploader(client, people):
    client.force_login(people.officer_a)
    mapping_url = client.post(GROUPS_URL, {"file": officers_group_list()})["Location"]
    client.force_login(people.officer_b)
    assert client.get(mapping_url).status_code == 404
    assert client.post(mapping_url, {"col_name": "3"}).status_code == 404
    client.logout()
    assert client.get(mapping_url)["Location"].startswith(reverse("login"))
    assert ImportJob.objects.get().status == ImportJob.Status.MAPPING


def test_a_job_waiting_for_its_mapping_links_to_it_and_is_mapped_once(client, people):
    client.force_login(people.officer_a)
    mapping_url = client.post(GROUPS_URL, {"file": officers_group_list()})["Location"]
    job = ImportJob.objects.get()
    page = client.get(reverse("import_job", args=[job.pk])).content.decode()
    assert "Chờ ghép cột" in page and mapping_url in page and "hx-trigger" not in page

    client.post(mapping_url, selected(client.get(mapping_url).content.decode()))
    assert client.get(mapping_url).status_code == 404  # done: the mapping cannot run a second time
    assert ResidentialGroup.objects.count() == 3


def test_a_large_mapped_file_goes_to_the_task_worker(client, people, settings):
    settings.IMPORT_BACKGROUND_ROWS = 2
    client.force_login(people.officer_a)
    mapping_url = client.post(GROUPS_URL, {"file": officers_group_list()})["Location"]
    page = client.post(mapping_url, selected(client.get(mapping_url).content.decode()), follow=True)
    assert "<progress" in page.content.decode() and ResidentialGroup.objects.count() == 0
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.PENDING and job.total_rows == 3

    run_import(job)  # what the worker does (the worker itself is tested in geo/tests/test_import_groups.py)
    assert ImportJob.objects.get().status == ImportJob.Status.DONE and ResidentialGroup.objects.count() == 3
