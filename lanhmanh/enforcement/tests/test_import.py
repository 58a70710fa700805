"""Importing a police unit's existing register of cases from Excel: our template, or the unit's own sheet through
the column-mapping step. Offences are named by code, name or article number; every row follows the form's rules,
and one bad row means nothing is written."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.models import ImportJob
from lanhmanh.enforcement.models import CaseType, EnforcementCase
from lanhmanh.enforcement.tests.factories import EnforcementCaseFactory

URL = reverse("enforcement:enforcementcase_import")
D = datetime.date


@pytest.fixture
def lodging(people):
    return BusinessFactory(unit=people.commune_a, name="Nhà nghỉ Bình An", address="Số 5 đường Trần Phú")


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
    return SimpleUploadedFile("so theo doi vu viec.xlsx", buffer.getvalue())


def case_row(**cells) -> dict:
    return {"Đơn vị": "11311", "Ngày phát hiện": "15/04/2026", "Tội danh, hành vi vi phạm": "Mua dâm", **cells}


def errors_of(job) -> set[tuple]:
    return {(e["row"], e["field"], e["message"]) for e in job.errors}


def test_a_register_is_imported_with_offences_by_article_name_or_code(client, people, offences, lodging):
    client.force_login(people.officer_a)
    upload = template_file(client, [
        case_row(**{"Loại vụ việc": "Vụ án hình sự", "Số hồ sơ": "01/2026/VAHS",
                    "Ngày phát hiện": datetime.datetime(2026, 3, 10), "Tội danh, hành vi vi phạm": "327; Điều 328",
                    "Ngày khởi tố vụ án": "12/03/2026", "Cơ sở kinh doanh liên quan": "Nhà nghỉ Bình An",
                    "Số người bị bắt giữ": 4, "Số bị can bị khởi tố": 1, "Số người bị xử phạt hành chính": 2,
                    "Tổng số tiền phạt": "3.000.000", "Số người bán dâm được phát hiện": 3,
                    "Số người bán dâm được chuyển hỗ trợ": 2}),
        # No type: "Mua dâm" is administrative, and of the two decrees the one in force on the day.
        case_row(**{"Số người bị xử phạt hành chính": 2, "Tổng số tiền phạt": 2_000_000}),
        # A case of 2017, under the Penal Code of the day; the type written loosely.
        case_row(**{"Loại vụ việc": "Hình sự", "Ngày phát hiện": "05/06/2017", "Tội danh, hành vi vi phạm": "254",
                    "Số người bị bắt giữ": 2}),
    ])
    page = client.post(URL, {"file": upload}, follow=True).content.decode()

    assert "Đã nhập 3 bản ghi." in page, ImportJob.objects.get().errors
    first = EnforcementCase.objects.get(reference_number="01/2026/VAHS")
    assert (first.case_type, first.detected_on, first.instituted_on, first.business) == (
        CaseType.CRIMINAL, D(2026, 3, 10), D(2026, 3, 12), lodging)
    assert sorted(o.code for o in first.offences.all()) == ["blhs2015-327", "blhs2015-328"]
    assert (first.people_arrested, first.fines_total, first.minors_identified) == (4, 3_000_000, 0)
    assert (first.unit, first.created_by) == (people.commune_a, people.officer_a)
    second = EnforcementCase.objects.get(detected_on=D(2026, 4, 15))
    assert second.case_type == CaseType.ADMINISTRATIVE and [o.code for o in second.offences.all()] == ["nd144-buying"]
    old = EnforcementCase.objects.get(detected_on=D(2017, 6, 5))
    assert old.case_type == CaseType.CRIMINAL and [o.code for o in old.offences.all()] == ["blhs1999-254"]


BAD_ROWS = {
    "unknown offence": ({"Tội danh, hành vi vi phạm": "Mua dâm; 999"}, "Tội danh, hành vi vi phạm",
                        "Không có “999” trong danh mục tội danh, hành vi vi phạm."),
    "type and offence disagree": ({"Loại vụ việc": "Vụ án hình sự"}, "Tội danh, hành vi vi phạm",
                                  "“Mua dâm” (Điều 24 Nghị định 144/2021/NĐ-CP) là hành vi vi phạm hành chính, không "
                                  "dùng cho vụ án hình sự."),
    "dates out of order": ({"Loại vụ việc": "Vụ án hình sự", "Tội danh, hành vi vi phạm": "327",
                            "Ngày khởi tố vụ án": "01/04/2026"}, "Ngày khởi tố vụ án",
                           "Không thể trước ngày phát hiện (15/04/2026)."),
    "more referred than identified": ({"Số người bán dâm được phát hiện": 1,
                                       "Số người bán dâm được chuyển hỗ trợ": 2}, "Số người bán dâm được chuyển hỗ trợ",
                                      "Số người được chuyển hỗ trợ không thể lớn hơn số người bán dâm được phát hiện."),
    "name of both a crime and a violation": ({"Tội danh, hành vi vi phạm": "Chứa mại dâm"}, "Tội danh, hành vi vi phạm",
                                             "“Chứa mại dâm” ứng với nhiều mục trong danh mục (blhs2015-327, "
                                             "nd144-harbouring); hãy ghi mã."),
    "file number twice": ({"Số hồ sơ": "07/VPHC"}, "Số hồ sơ", "Trùng với dòng 2 trong tệp."),
}


@pytest.mark.parametrize(("cells", "column", "message"), BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_writes_nothing_and_says_why(client, people, offences, cells, column, message):
    client.force_login(people.officer_a)
    upload = template_file(client, [
        case_row(**{"Số hồ sơ": "07/VPHC"}),
        case_row(**{"Ngày phát hiện": "20/04/2026"}),
        case_row(**cells),  # sheet row 4
    ])
    page = client.post(URL, {"file": upload}, follow=True).content.decode()

    assert "Không dòng nào được nhập" in page
    assert not EnforcementCase.objects.exists()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.created_rows == 0
    assert errors_of(job) == {(4, column, message)}  # the good rows 2 and 3 have no error


def test_a_case_already_recorded_is_not_imported_again(client, people, offences):
    EnforcementCaseFactory(unit=people.commune_a, reference_number="07/VPHC")
    client.force_login(people.officer_a)
    client.post(URL, {"file": template_file(client, [case_row(**{"Số hồ sơ": "07/vphc"})])})
    assert errors_of(ImportJob.objects.get()) == {
        (2, "Số hồ sơ", "Đã có vụ việc, vụ án số 07/vphc của Phường Hồng Bàng.")}
    assert EnforcementCase.objects.count() == 1


def test_a_commune_cannot_import_cases_of_another_commune(client, people, offences):
    client.force_login(people.officer_a)
    client.post(URL, {"file": template_file(client, [case_row(**{"Đơn vị": "11329"})])})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not EnforcementCase.objects.exists()
    assert {(row, field) for row, field, _m in errors_of(job)} == {(2, "Đơn vị (mã)")}


# -- a unit's own register ------------------------------------------------------------------------


def own_register(header, rows) -> SimpleUploadedFile:
    """A police unit's own register: a title over the width, a blank row, the header, the cases and a total."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "SỔ THEO DÕI KẾT QUẢ ĐẤU TRANH PHÒNG, CHỐNG TỘI PHẠM VÀ VI PHẠM PHÁP LUẬT VỀ MẠI DÂM NĂM 2026"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append([None, f"Tổng cộng: {len(rows)} vụ"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("so theo doi 2026.xlsx", buffer.getvalue())


def selected(page: str) -> dict[str, str]:
    """{field name: chosen value} of the mapping form, as the browser would submit it."""
    chosen = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        match = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        chosen[name] = match.group(1) if match else ""
    chosen["data_start_row"] = re.search(r'name="data_start_row" value="(\d+)"', page).group(1)
    return chosen


def test_a_units_own_register_is_mapped_and_imported(client, people, offences):
    header = ["STT", "Ngày phát hiện", "Tội danh", "Số đối tượng bị bắt", "Số bị can", "Ngày khởi tố",
              "Xử phạt hành chính", "Số tiền phạt", "Tóm tắt"]
    rows = [
        [1, "02/02/2026", "Điều 327", 3, 1, "05/02/2026", 2, "4.000.000", "Bắt quả tang tại nhà nghỉ."],
        [2, "14/03/2026", "mua dâm", None, None, None, 2, "2.000.000", None],
    ]
    client.force_login(people.officer_a)
    response = client.post(URL, {"file": own_register(header, rows)})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.MAPPING
    mapping_url = response["Location"]
    form = selected(client.get(mapping_url).content.decode())
    assert (form["col_detected_on"], form["col_offence_codes"], form["col_people_arrested"]) == ("1", "2", "3")
    assert (form["col_people_prosecuted"], form["col_instituted_on"], form["col_fines_total"]) == ("4", "5", "7")
    assert form["col_people_fined_admin"] == "6" and form["col_summary"] == "8"
    assert form["fixed_unit"] == str(people.commune_a.pk)  # the officer's only unit

    done = client.post(mapping_url, form, follow=True).content.decode()
    assert "Đã nhập 2 bản ghi." in done, ImportJob.objects.get().errors
    criminal = EnforcementCase.objects.get(detected_on=D(2026, 2, 2))
    assert criminal.case_type == CaseType.CRIMINAL and criminal.people_prosecuted == 1
    assert [o.code for o in criminal.offences.all()] == ["blhs2015-327"]
    administrative = EnforcementCase.objects.get(detected_on=D(2026, 3, 14))
    assert (administrative.case_type, administrative.fines_total) == (CaseType.ADMINISTRATIVE, 2_000_000)
