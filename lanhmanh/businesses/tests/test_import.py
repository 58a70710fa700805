"""Importing an officer's own Excel list: title rows, a two-row header with merged cells, a row of column
numbers, diacritics typed in different ways, dates in mixed formats — and what happens when it is wrong."""

import datetime
import io
import re
import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from lanhmanh.businesses.models import Business
from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.models import ImportJob

URL = reverse("businesses:business_import")
HEADER = ["STT", "Tên cơ sở", "Địa chỉ", "Loại hình kinh doanh", "Chủ cơ sở", "Số điện thoại", "Số GCN ĐKKD",
          "Ngày cấp", "Số lao động", None, "Ghi chú"]
ROWS = [
    [1, "Karaoke Hoa Hồng", "Số 12 đường Lạch Tray", "Karaoke", "Nguyễn Văn An", 912345678, "0201/HKD",
     datetime.datetime(2019, 3, 15), 12, 8, "đã nhắc nhở"],
    [2, "Nhà nghỉ Bình An", "Số 5 đường Trần Phú", "Nhà nghỉ", "Trần Thị Bình", "0987 654 321", "0202/HKD",
     "12/3/2020", 6, 4, None],
    # Typed on a phone: the same letters, decomposed (NFD) — must be stored as the usual (NFC) text.
    [3, unicodedata.normalize("NFD", "Massage Hải Âu"), "Số 9 đường Lê Lợi", "Mát xa", "Lê Minh Châu", None,
     "0203/HKD", "2018-07-01", 5, 5, None],
    [4, "Cà phê Sao Mai", "Số 20 đường Quang Trung", "Cafe", "Phạm Thu Hà", "0901.222.333", None,
     43831, "3", "2", None],  # 43831 is how Excel stores 01/01/2020 in a cell formatted as a number
]


def messy_sheet(rows=ROWS):
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "ỦY BAN NHÂN DÂN PHƯỜNG HỒNG BÀNG"
    ws.merge_cells("A1:D1")
    ws["A2"] = "DANH SÁCH CƠ SỞ KINH DOANH DỊCH VỤ DỄ BỊ LỢI DỤNG HOẠT ĐỘNG MẠI DÂM NĂM 2024"
    ws.merge_cells("A2:K2")
    for col, text in enumerate(HEADER, start=1):
        ws.cell(row=4, column=col, value=text)
    for col in "ABCDEFGHK":
        ws.merge_cells(f"{col}4:{col}5")
    ws.merge_cells("I4:J4")
    ws["I5"], ws["J5"] = "Tổng số", "Nữ"
    for col in range(1, 12):
        ws.cell(row=6, column=col, value=f"({col})")
    for row in rows:
        ws.append(row)
    ws.append([None, "Tổng cộng", None, None, None, None, None, None, 26, 19])
    ws.append([None, None, None, None, None, None, None, "Người lập biểu"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("DS co so 2024.xlsx", buffer.getvalue())


def selected(page: str) -> dict[str, str]:
    """{select name: chosen value} as the browser would submit the form."""
    chosen = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        match = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        chosen[name] = match.group(1) if match else ""
    start = re.search(r'name="data_start_row" value="(\d+)"', page)
    chosen["data_start_row"] = start.group(1) if start else ""
    return chosen


def test_officers_own_list_is_mapped_and_imported(client, people, types):
    client.force_login(people.officer_a)
    response = client.post(URL, {"file": messy_sheet()})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("import_job_mapping", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "dòng 4–5" in page and "Số lao động / Nữ" in page
    form = selected(page)
    assert form["data_start_row"] == "7"  # after the header and its row of column numbers
    assert (form["col_name"], form["col_address"], form["col_business_type"]) == ("1", "2", "3")
    assert (form["col_owner_phone"], form["col_licence_number"], form["col_licence_date"]) == ("5", "6", "7")
    assert (form["col_workers_total"], form["col_workers_female"]) == ("8", "9")
    assert form["col_unit"] == "" and form["fixed_unit"] == str(people.commune_a.pk)  # their only commune

    done = client.post(reverse("import_job_mapping", args=[job.pk]), form, follow=True).content.decode()
    assert "Đã nhập 4 bản ghi." in done
    by_name = {b.name: b for b in Business.objects.filter(unit=people.commune_a)}
    assert set(by_name) == {"Karaoke Hoa Hồng", "Nhà nghỉ Bình An", "Massage Hải Âu", "Cà phê Sao Mai"}
    karaoke, lodging, massage, cafe = (by_name[n] for n in ("Karaoke Hoa Hồng", "Nhà nghỉ Bình An",
                                                             "Massage Hải Âu", "Cà phê Sao Mai"))
    assert karaoke.owner_phone == "0912345678" and karaoke.licence_date == datetime.date(2019, 3, 15)
    assert lodging.licence_date == datetime.date(2020, 3, 12) and lodging.business_type == types["guest_house"]
    assert massage.business_type == types["massage"] and massage.licence_date == datetime.date(2018, 7, 1)
    assert cafe.business_type == types["cafe_hostess"] and cafe.workers_total == 3 and cafe.workers_female == 2
    assert karaoke.workers_total == 12 and karaoke.workforce_as_of == timezone.localdate()
    assert karaoke.created_by == people.officer_a and karaoke.history.count() == 1


def test_bad_rows_write_nothing_and_are_reported_at_their_sheet_rows(client, people, types):
    BusinessFactory(unit=people.commune_b, name="Khác hẳn", address="Nơi khác", licence_number="0202/HKD")
    rows = [list(r) for r in ROWS]
    rows[0][9] = 20                                 # row 7: more women than workers
    rows[2][3] = "Quán nước"                        # row 9: a type the catalogue does not know
    rows.append([5, "CÀ PHÊ SAO MAI", "số 20, đường Quang Trung", "Cafe", None, None, None, None, None, None])
    client.force_login(people.officer_a)
    job_url = client.post(URL, {"file": messy_sheet(rows)})["Location"]
    form = selected(client.get(job_url).content.decode())
    page = client.post(job_url, form, follow=True).content.decode()
    assert Business.objects.filter(unit=people.commune_a).count() == 0
    assert "Không dòng nào được nhập" in page
    job = ImportJob.objects.get()
    errors = {(e["row"], e["message"]) for e in job.errors}
    assert (7, "Số lao động nữ không thể lớn hơn tổng số lao động.") in errors
    assert any(row == 8 and "cùng số giấy đăng ký kinh doanh tại Phường Ngô Quyền" in m for row, m in errors)
    assert any(row == 9 and "“Mát xa”" not in m and "“Quán nước”" in m for row, m in errors)
    assert (11, "Trùng với dòng 10 trong tệp.") in errors  # same name and address, written differently
    download = client.get(reverse("import_job_errors", args=[job.pk]))
    report = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    ws = report.active
    assert ws.cell(row=7, column=10).fill.fgColor.rgb.endswith("FFC7CE")  # the "Nữ" cell of row 7
    assert "lao động nữ" in ws.cell(row=7, column=12).value


def test_a_required_field_left_unmapped_is_explained_and_nothing_happens(client, people):
    client.force_login(people.province_officer)  # two communes: the commune must be chosen
    job_url = client.post(URL, {"file": messy_sheet()})["Location"]
    form = selected(client.get(job_url).content.decode())
    assert form["fixed_unit"] == ""
    form["col_name"] = ""
    page = client.post(job_url, form).content.decode()
    assert page.count("Bắt buộc: hãy chọn cột chứa thông tin này.") == 2  # the name, and the commune
    assert ImportJob.objects.get().status == ImportJob.Status.MAPPING and Business.objects.count() == 0

    form["col_name"], form["fixed_unit"] = "1", str(people.commune_b.pk)
    client.post(job_url, form)
    assert Business.objects.filter(unit=people.commune_b).count() == 4


def test_the_mapping_page_belongs_to_the_uploader(client, people):
    client.force_login(people.officer_a)
    job_url = client.post(URL, {"file": messy_sheet()})["Location"]
    client.force_login(people.officer_b)
    assert client.get(job_url).status_code == 404
    assert client.post(job_url, {}).status_code == 404


def test_our_own_template_imports_without_mapping(client, people, types):
    client.force_login(people.officer_a)
    template = load_workbook(io.BytesIO(client.get(URL, {"template": 1}).content))
    ws = template.active
    headers = [c.value for c in ws[1]]
    row = {h.rstrip(" *").split(" (")[0]: None for h in headers}
    values = [None] * len(headers)
    for i, header in enumerate(headers):
        if header.startswith("Xã, phường"):
            values[i] = "11311"
        elif header.startswith("Tên cơ sở"):
            values[i] = "Vũ trường Ánh Dương"
        elif header.startswith("Loại hình"):
            values[i] = "Vũ trường"
        elif header.startswith("Địa chỉ"):
            values[i] = "Số 1 đường Điện Biên Phủ"
        elif header.startswith("Tình trạng"):
            values[i] = "Đang hoạt động"
    assert row
    ws.append(values)
    buffer = io.BytesIO()
    template.save(buffer)
    response = client.post(URL, {"file": SimpleUploadedFile("mau.xlsx", buffer.getvalue())}, follow=True)
    assert "Đã nhập 1 bản ghi." in response.content.decode()
    assert Business.objects.get().business_type == types["dance_hall"]


def test_a_province_list_names_communes_rather_than_codes(client, people, types):
    rows = [[1, "Karaoke Hoa Hồng", "Số 12 đường Lạch Tray", "Karaoke", "P. Hồng Bàng"],
            [2, "Nhà nghỉ Bình An", "Số 5 đường Trần Phú", "nhà nghỉ", "phuong ngo quyen"],
            [3, "Spa Ngọc Lan", "Số 7 đường Lê Lợi", "Spa", "Phường Không Có"]]
    wb = Workbook()
    wb.active.append(["STT", "Tên cơ sở", "Địa chỉ", "Ngành nghề", "Xã, phường"])
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    client.force_login(people.province_officer)
    job_url = client.post(URL, {"file": SimpleUploadedFile("tinh.xlsx", buffer.getvalue())})["Location"]
    form = selected(client.get(job_url).content.decode())
    assert form["col_unit"] == "4" and form["data_start_row"] == "2"
    client.post(job_url, form)
    job = ImportJob.objects.get()
    assert [(e["row"], "“Phường Không Có”" in e["message"]) for e in job.errors] == [(4, True)]

    rows.pop()
    wb = Workbook()
    wb.active.append(["STT", "Tên cơ sở", "Địa chỉ", "Ngành nghề", "Xã, phường"])
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    job_url = client.post(URL, {"file": SimpleUploadedFile("tinh.xlsx", buffer.getvalue())})["Location"]
    client.post(job_url, selected(client.get(job_url).content.decode()))
    units = dict(Business.objects.values_list("name", "unit__code"))
    assert units == {"Karaoke Hoa Hồng": "11311", "Nhà nghỉ Bình An": "11329"}
