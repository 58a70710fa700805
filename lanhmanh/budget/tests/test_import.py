"""Importing allocations and expenditures from Excel: our template, or an officer's own ledger ("Nội dung chi",
"Số tiền", "Ngày chi", "Nguồn kinh phí") through the column-mapping step. One bad row means nothing is written."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lanhmanh.budget.models import BudgetAllocation, Expenditure, Purpose, Source
from lanhmanh.budget.tests.factories import BudgetAllocationFactory
from lanhmanh.core.models import ImportJob

ALLOCATIONS = reverse("budget:budgetallocation_import")
EXPENDITURES = reverse("budget:expenditure_import")
D = datetime.date


def short(header: str) -> str:
    """A template header without its star and its "(mã)" lookup hint."""
    return header.rstrip(" *").split(" (")[0]


def template_file(client, url, rows: list[dict]) -> SimpleUploadedFile:
    """Our template, downloaded from the import page, filled with `rows` ({short header: value})."""
    response = client.get(url, {"template": 1})
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
    return SimpleUploadedFile("du toan.xlsx", buffer.getvalue())


def errors_of(job) -> set[tuple]:
    return {(e["row"], e["field"], e["message"]) for e in job.errors}


def allocation_row(**cells) -> dict:
    return {
        "Đơn vị": "11311",
        "Năm ngân sách": 2026,
        "Nguồn kinh phí": "Ngân sách nhà nước của cấp",
        "Mục chi": "Thông tin, tuyên truyền",
        "Số tiền được giao": "20.000.000",
        **cells,
    }


def test_allocations_are_imported_from_the_template(client, people):
    client.force_login(people.province_officer)
    upload = template_file(
        client,
        ALLOCATIONS,
        [
            allocation_row(**{"Số quyết định giao dự toán": "125/QĐ-UBND", "Ngày quyết định": "20/12/2025"}),
            # Written loosely: the unit by name, the source and purpose in officers' words, the amount as a number.
            allocation_row(
                **{
                    "Đơn vị": "P. Ngô Quyền",
                    "Nguồn kinh phí": "Xã hội hóa",
                    "Mục chi": "Tập huấn",
                    "Số tiền được giao": 15_000_000,
                }
            ),
            allocation_row(**{"Đơn vị": "31", "Nguồn kinh phí": "CTMTQG", "Số tiền được giao": "300.000.000"}),
        ],
    )
    page = client.post(ALLOCATIONS, {"file": upload}, follow=True).content.decode()
    assert "Đã nhập 3 bản ghi." in page, ImportJob.objects.get().errors
    first = BudgetAllocation.objects.get(unit=people.commune_a)
    assert (first.amount, first.decision_number, first.decision_date) == (20_000_000, "125/QĐ-UBND", D(2025, 12, 20))
    second = BudgetAllocation.objects.get(unit=people.commune_b)
    assert (second.source, second.purpose, second.amount) == (Source.SOCIALISED, Purpose.TRAINING, 15_000_000)
    third = BudgetAllocation.objects.get(unit=people.province)
    assert (third.source, third.amount, third.created_by) == (
        Source.NATIONAL_PROGRAMME,
        300_000_000,
        people.province_officer,
    )


BAD_ALLOCATIONS = {
    "same line twice in the file": ({}, "Mục chi", "Trùng với dòng 2 trong tệp."),
    "negative amount": (
        {"Mục chi": "Khen thưởng", "Số tiền được giao": "-500.000"},
        "Số tiền được giao (đồng)",
        "Đảm bảo giá trị này lớn hơn hoặc bằng với 0 .",
    ),
    "unknown purpose": (
        {"Mục chi": "Du lịch"},
        "Mục chi",
        "Hãy chọn một lựa chọn hợp lệ. Du lịch không phải là một trong các lựa chọn khả thi.",
    ),
    "year too early": (
        {"Mục chi": "Kiểm tra liên ngành", "Năm ngân sách": 1995},
        "Năm ngân sách",
        "Năm ngân sách phải từ 2000 đến {next_year}.",
    ),
}


@pytest.mark.parametrize(("cells", "column", "message"), BAD_ALLOCATIONS.values(), ids=BAD_ALLOCATIONS.keys())
def test_one_bad_allocation_row_writes_nothing(client, people, cells, column, message):
    client.force_login(people.officer_a)
    upload = template_file(
        client,
        ALLOCATIONS,
        [
            allocation_row(),
            allocation_row(**{"Mục chi": "Hội thảo, tập huấn"}),
            allocation_row(**cells),  # sheet row 4
        ],
    )
    page = client.post(ALLOCATIONS, {"file": upload}, follow=True).content.decode()
    assert "Không dòng nào được nhập" in page
    assert not BudgetAllocation.objects.exists()
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.created_rows == 0
    expected = message.format(next_year=datetime.date.today().year + 1)
    assert errors_of(job) == {(4, column, expected)}


def test_a_line_already_recorded_is_not_imported_again(client, people):
    BudgetAllocationFactory(unit=people.commune_a, year=2026, source=Source.STATE_BUDGET, purpose=Purpose.COMMUNICATION)
    client.force_login(people.officer_a)
    client.post(ALLOCATIONS, {"file": template_file(client, ALLOCATIONS, [allocation_row()])})
    ((row, column, message),) = errors_of(ImportJob.objects.get())
    assert (row, column) == (2, "Mục chi") and message.startswith("Phường Hồng Bàng đã có dự toán năm 2026")
    assert BudgetAllocation.objects.count() == 1


def test_a_commune_cannot_import_another_communes_budget(client, people):
    client.force_login(people.officer_a)
    client.post(ALLOCATIONS, {"file": template_file(client, ALLOCATIONS, [allocation_row(**{"Đơn vị": "11329"})])})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not BudgetAllocation.objects.exists()
    assert {(row, field) for row, field, _m in errors_of(job)} == {(2, "Đơn vị (mã)")}


# -- an officer's own ledger ----------------------------------------------------------------------


def own_ledger(header, rows) -> SimpleUploadedFile:
    """A commune's ledger of spending: a title over the width, a blank row, the header, the payments, a total."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "SỔ THEO DÕI CHI KINH PHÍ CÔNG TÁC PHÒNG, CHỐNG MẠI DÂM NĂM 2026"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append([None, "Tổng cộng", None, sum(r[3] for r in rows)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("so chi 2026.xlsx", buffer.getvalue())


def selected(page: str) -> dict[str, str]:
    """{field name: chosen value} of the mapping form, as the browser would submit it."""
    chosen = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        match = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        chosen[name] = match.group(1) if match else ""
    chosen["data_start_row"] = re.search(r'name="data_start_row" value="(\d+)"', page).group(1)
    return chosen


LEDGER_HEADER = ["STT", "Ngày chi", "Nội dung chi", "Số tiền", "Nguồn kinh phí", "Số chứng từ"]


def test_a_ledger_without_a_purpose_column_is_mapped_and_imported(client, people):
    rows = [
        [1, "05/03/2026", "In 2.000 tờ rơi tuyên truyền phòng, chống mại dâm", 4_000_000, "Ngân sách phường", "PC-01"],
        [2, "18/03/2026", "Xăng xe đoàn kiểm tra liên ngành", 600_000, "NSNN", "PC-02"],
        [3, "02/04/2026", "Tổ chức lớp tập huấn cho cán bộ tổ dân phố", 7_500_000, "Xã hội hóa", "PC-03"],
        [4, "10/04/2026", "Khen thưởng tập thể có thành tích", 2_000_000, "Ngân sách phường", "PC-04"],
    ]
    client.force_login(people.officer_a)
    response = client.post(EXPENDITURES, {"file": own_ledger(LEDGER_HEADER, rows)})
    assert ImportJob.objects.get().status == ImportJob.Status.MAPPING
    mapping_url = response["Location"]
    form = selected(client.get(mapping_url).content.decode())
    assert (form["col_spent_on"], form["col_description"], form["col_amount"]) == ("1", "2", "3")
    assert (form["col_source"], form["col_voucher_number"], form["col_purpose"]) == ("4", "5", "")
    assert form["fixed_unit"] == str(people.commune_a.pk)  # the officer's only unit

    done = client.post(mapping_url, form, follow=True).content.decode()
    assert "Đã nhập 4 bản ghi." in done, ImportJob.objects.get().errors
    by_voucher = {e.voucher_number: e for e in Expenditure.objects.all()}
    assert (by_voucher["PC-01"].purpose, by_voucher["PC-01"].source, by_voucher["PC-01"].amount) == (
        Purpose.COMMUNICATION,
        Source.STATE_BUDGET,
        4_000_000,
    )
    # "Xăng xe" is office costs, even on an inspection trip; the first matching words win.
    assert by_voucher["PC-02"].purpose == Purpose.OFFICE
    assert (by_voucher["PC-03"].purpose, by_voucher["PC-03"].source) == (Purpose.TRAINING, Source.SOCIALISED)
    assert by_voucher["PC-04"].purpose == Purpose.REWARDS
    assert by_voucher["PC-01"].spent_on == D(2026, 3, 5) and by_voucher["PC-01"].unit == people.commune_a


def test_a_ledger_row_that_says_nothing_of_its_purpose_stops_the_import(client, people):
    rows = [
        [1, "05/03/2026", "In tờ rơi tuyên truyền", 4_000_000, "Ngân sách phường", "PC-01"],
        [2, "06/03/2026", "Chi khác", 300_000, "Ngân sách phường", "PC-02"],
        [3, "07/03/2099", "Văn phòng phẩm", 300_000, "Ngân sách phường", "PC-03"],
        [4, "08/03/2026", "Văn phòng phẩm", 300_000, "Ngân sách phường", "PC-03"],
        [5, "08/03/2026", "Văn phòng phẩm", 300_000, "Ngân sách phường", "PC-03"],
    ]
    client.force_login(people.officer_a)
    response = client.post(EXPENDITURES, {"file": own_ledger(LEDGER_HEADER, rows)})
    form = selected(client.get(response["Location"]).content.decode())
    client.post(response["Location"], form)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not Expenditure.objects.exists()
    assert errors_of(job) == {
        (5, "", "Hãy ghi mục chi: không suy ra được từ nội dung chi “Chi khác”."),
        (6, "Ngày chi", "Ngày chi không thể sau hôm nay."),
        (8, "Số chứng từ", "Trùng với dòng 7 trong tệp."),
    }
