"""Importing a team's log of sessions and visits from Excel: our template, or an officer's own sheet through
the column-mapping step. Rows of one team, day and kind become one session; every row follows the field
form's rules, and one bad row means nothing is written."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.imports import SheetLayout
from lanhmanh.core.models import ImportJob
from lanhmanh.inspections.imports import VisitImporter
from lanhmanh.inspections.models import InspectionSession, InspectionVisit, SessionKind
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, TeamFactory

URL = reverse("inspections:inspectionvisit_import")
DAY1, DAY2 = datetime.date(2026, 3, 10), datetime.date(2026, 3, 17)
AUTHORITY = "Chủ tịch UBND phường Hồng Bàng"

Outcome = InspectionVisit.Outcome


@pytest.fixture
def businesses(people):
    """Three businesses of commune A, by a short name."""
    return {
        "karaoke": BusinessFactory(unit=people.commune_a, name="Karaoke Hoa Hồng", address="Số 12 đường Lạch Tray"),
        "lodging": BusinessFactory(unit=people.commune_a, name="Nhà nghỉ Bình An", address="Số 5 đường Trần Phú"),
        "massage": BusinessFactory(unit=people.commune_a, name="Massage Hải Âu", address="Số 9 đường Lê Lợi"),
    }


def short(header: str) -> str:
    """A template header without its star and its "(tên đội)" lookup hint: "Đội kiểm tra"."""
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
    return SimpleUploadedFile("nhat ky kiem tra.xlsx", buffer.getvalue())


def visit_row(team, day, business, **extra) -> dict:
    return {"Đội kiểm tra": team.name, "Ngày kiểm tra": day, "Cơ sở kinh doanh": business.name,
            "Kết quả": "Không phát hiện vi phạm", **extra}


def fined(**extra) -> dict:
    """The cells of a visit that found harbouring and proposed a fine."""
    return {"Kết quả": "Phát hiện vi phạm", "Hành vi vi phạm": "nd144-harbouring", "Số tiền phạt": "5.000.000",
            "Xử phạt": "Đề nghị xử phạt", "Người, cơ quan quyết định xử phạt": AUTHORITY, **extra}


def errors_of(job) -> set[tuple]:
    return {(e["row"], e["field"], e["message"]) for e in job.errors}


# -- our template ---------------------------------------------------------------------------------


def test_rows_of_one_team_and_day_become_one_session(client, people, team_a, businesses, violation_types):
    karaoke, lodging, massage = businesses["karaoke"], businesses["lodging"], businesses["massage"]
    client.force_login(people.officer_a)
    upload = template_file(client, [
        # A date cell, and the same day typed as text: one session with two visits.
        visit_row(team_a, datetime.datetime(2026, 3, 10), karaoke, **fined(
            # by code and by name, typed without capitals
            **{"Hành vi vi phạm": "nd144-harbouring; môi giới mại dâm", "Giờ kiểm tra": "21:30"})),
        visit_row(team_a, "10/03/2026", lodging),
        visit_row(team_a, "17/03/2026", massage, **{"Kết quả": "Lập biên bản nhắc nhở",
                                                    "Hình thức kiểm tra": "Đột xuất"}),
    ])
    page = client.post(URL, {"file": upload}, follow=True).content.decode()

    assert "Đã nhập 3 bản ghi." in page
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.errors == []
    sessions = list(InspectionSession.objects.filter(team=team_a).order_by("date"))
    assert [(s.date, s.kind) for s in sessions] == [(DAY1, SessionKind.PLANNED), (DAY2, SessionKind.SURPRISE)]
    first, second = sessions
    assert {v.business for v in first.visits.all()} == {karaoke, lodging}
    assert [v.business for v in second.visits.all()] == [massage]
    assert first.unit == people.commune_a and first.created_by == people.officer_a

    visit = InspectionVisit.objects.get(business=karaoke)
    assert visit.visited_on == DAY1 and visit.time == datetime.time(21, 30)
    assert visit.outcome == Outcome.VIOLATION
    assert set(visit.violations.values_list("code", flat=True)) == {"nd144-harbouring", "nd144-brokering"}
    assert visit.fine_amount == 5_000_000
    assert visit.sanction_stage == InspectionVisit.SanctionStage.PROPOSED and visit.sanction_authority == AUTHORITY
    assert visit.created_by == people.officer_a and visit.unit == people.commune_a
    assert InspectionVisit.objects.get(business=lodging).outcome == Outcome.NO_VIOLATION
    assert not InspectionVisit.objects.get(business=lodging).violations.exists()
    assert InspectionVisit.objects.get(business=massage).outcome == Outcome.REMINDER


def test_an_existing_session_of_the_team_day_and_kind_is_reused(client, people, team_a, businesses):
    existing = InspectionSessionFactory(team=team_a, date=DAY2, kind=SessionKind.PLANNED)
    client.force_login(people.officer_a)
    upload = template_file(client, [
        visit_row(team_a, "17/03/2026", businesses["karaoke"]),
        visit_row(team_a, "17/03/2026", businesses["lodging"], **{"Hình thức kiểm tra": "Theo kế hoạch"}),
        # The same team and day, but with the police: another outing.
        visit_row(team_a, "17/03/2026", businesses["massage"], **{"Hình thức kiểm tra": "Phối hợp với công an"}),
    ])
    page = client.post(URL, {"file": upload}, follow=True).content.decode()

    assert "Đã nhập 3 bản ghi." in page
    assert InspectionSession.objects.filter(team=team_a, date=DAY2, kind=SessionKind.PLANNED).count() == 1
    assert {v.business for v in existing.visits.all()} == {businesses["karaoke"], businesses["lodging"]}
    police = InspectionSession.objects.get(team=team_a, kind=SessionKind.JOINT_POLICE)
    assert police.date == DAY2 and [v.business for v in police.visits.all()] == [businesses["massage"]]
    assert InspectionSession.objects.count() == 2


def test_a_blank_outcome_is_read_from_the_violations_listed(client, people, team_a, businesses, violation_types):
    client.force_login(people.officer_a)
    upload = template_file(client, [
        visit_row(team_a, "10/03/2026", businesses["karaoke"], **{"Kết quả": None, "Hành vi vi phạm": "nd144-other"}),
        visit_row(team_a, "10/03/2026", businesses["lodging"], **{"Kết quả": None}),
    ])
    page = client.post(URL, {"file": upload}, follow=True).content.decode()

    assert "Đã nhập 2 bản ghi." in page, ImportJob.objects.get().errors
    assert InspectionVisit.objects.get(business=businesses["karaoke"]).outcome == Outcome.VIOLATION
    assert InspectionVisit.objects.get(business=businesses["lodging"]).outcome == Outcome.NO_VIOLATION


def test_a_shared_business_name_needs_the_address_or_the_licence_number(client, people, team_a, businesses):
    second = BusinessFactory(unit=people.commune_a, name="Karaoke Hoa Hồng", address="Số 40 đường Tô Hiệu",
                             licence_number="0205/HKD")
    client.force_login(people.officer_a)
    upload = template_file(client, [visit_row(team_a, "10/03/2026", businesses["karaoke"])])
    client.post(URL, {"file": upload})
    assert errors_of(ImportJob.objects.get()) == {(2, "Cơ sở kinh doanh (tên cơ sở)", "Không tìm thấy Cơ sở kinh "
                                                  "doanh có tên cơ sở “Karaoke Hoa Hồng” trong phạm vi của bạn.")}
    assert InspectionVisit.objects.count() == 0

    upload = template_file(client, [
        {**visit_row(team_a, "10/03/2026", businesses["karaoke"]),
         "Cơ sở kinh doanh": "karaoke hoa hong, so 12 duong Lach Tray"},
        {**visit_row(team_a, "10/03/2026", second), "Cơ sở kinh doanh": "0205/hkd"},
    ])
    page = client.post(URL, {"file": upload}, follow=True).content.decode()
    assert "Đã nhập 2 bản ghi." in page
    assert set(InspectionVisit.objects.values_list("business", flat=True)) == {businesses["karaoke"].pk, second.pk}


# -- all or nothing -------------------------------------------------------------------------------

FUTURE = timezone.localdate() + datetime.timedelta(days=3)

BAD_ROWS = {
    "fine without a deciding authority": (
        fined(**{"Người, cơ quan quyết định xử phạt": None}),
        "Người, cơ quan quyết định xử phạt", "Có số tiền phạt thì phải ghi người, cơ quan quyết định xử phạt."),
    "suspension ending before it starts": (
        {"Đình chỉ hoạt động từ ngày": "20/03/2026", "Đình chỉ đến ngày": "15/03/2026",
         "Lý do đình chỉ": "Phòng cháy, chữa cháy"},
        "Đình chỉ đến ngày", "Ngày kết thúc đình chỉ không thể trước ngày bắt đầu."),
    "unknown violation code": (
        {"Kết quả": "Phát hiện vi phạm", "Hành vi vi phạm": "nd144-harbouring; nd144-gambling"},
        "Hành vi vi phạm", "Không có hành vi vi phạm “nd144-gambling” trong danh mục."),
    "violation of the expired decree": (
        {"Kết quả": "Phát hiện vi phạm", "Hành vi vi phạm": "nd167-harbouring"},
        "Hành vi vi phạm", "“Chứa mại dâm (theo Nghị định 167/2013)” (Điều 24 Nghị định 167/2013/NĐ-CP) "
        "không còn áp dụng vào ngày 10/03/2026."),
    "violations with a no-violation outcome": (
        {"Kết quả": "Không phát hiện vi phạm", "Hành vi vi phạm": "nd144-brokering"},
        "Hành vi vi phạm", "Chỉ chọn hành vi vi phạm khi kết quả là “Phát hiện vi phạm”."),
    "date in the future": (
        {"Ngày kiểm tra": FUTURE.strftime("%d/%m/%Y")}, "Ngày kiểm tra", "Ngày kiểm tra không thể sau hôm nay."),
    "date before the team was set up": (
        {"Ngày kiểm tra": "01/07/2025"}, "Ngày kiểm tra",
        "Ngày 01/07/2025 đội chưa được thành lập hoặc đã giải thể."),
    "business not in the register": (
        {"Cơ sở kinh doanh": "Quán bia Không Tên"}, "Cơ sở kinh doanh (tên cơ sở)",
        "Không tìm thấy Cơ sở kinh doanh có tên cơ sở “Quán bia Không Tên” trong phạm vi của bạn."),
}


@pytest.mark.parametrize("cells, column, message", BAD_ROWS.values(), ids=BAD_ROWS.keys())
def test_one_bad_row_writes_no_session_and_no_visit(client, people, team_a, businesses, violation_types,
                                                    cells, column, message):
    client.force_login(people.officer_a)
    upload = template_file(client, [
        visit_row(team_a, "10/03/2026", businesses["karaoke"], **fined()),
        visit_row(team_a, "17/03/2026", businesses["lodging"]),
        visit_row(team_a, "10/03/2026", businesses["massage"], **cells),  # sheet row 4
    ])
    page = client.post(URL, {"file": upload}, follow=True).content.decode()

    assert "Không dòng nào được nhập" in page
    assert InspectionSession.objects.count() == 0 and InspectionVisit.objects.count() == 0
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.created_rows == 0
    assert errors_of(job) == {(4, column, message)}  # the good rows 2 and 3 have no error
    assert message in page


def test_a_business_outside_the_teams_area_is_refused(client, people, team_a, businesses):
    elsewhere = BusinessFactory(unit=people.commune_b, name="Karaoke Ngô Quyền")
    client.force_login(people.province_officer)  # sees both communes, their teams and their businesses
    upload = template_file(client, [
        visit_row(team_a, "10/03/2026", businesses["karaoke"]),
        visit_row(team_a, "10/03/2026", elsewhere),
    ])
    client.post(URL, {"file": upload})

    assert InspectionSession.objects.count() == 0 and InspectionVisit.objects.count() == 0
    job = ImportJob.objects.get()
    message = ("Cơ sở Karaoke Ngô Quyền (Phường Ngô Quyền) nằm ngoài địa bàn của Đội kiểm tra liên ngành "
               "phường Hồng Bàng.")
    assert errors_of(job) == {(3, "Cơ sở kinh doanh (tên cơ sở)", message)}
    download = client.get(reverse("import_job_errors", args=[job.pk]))
    ws = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    assert ws.cell(row=3, column=4).fill.fgColor.rgb.endswith("FFC7CE")  # the business cell
    assert "nằm ngoài địa bàn" in ws.cell(row=3, column=len(VisitImporter.fields) + 1).value


# -- an officer's own sheet -----------------------------------------------------------------------

OWN_HEADER = ["STT", "Ngày kiểm tra", "Tên cơ sở", "Kết quả", "Hành vi vi phạm", "Số tiền phạt", "Xử phạt",
              "Cơ quan xử phạt"]


def own_sheet(header, rows) -> SimpleUploadedFile:
    """A team's own log: a title over the width, a blank row, the header, the visits and a total."""
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "NHẬT KÝ KIỂM TRA CỦA ĐỘI KIỂM TRA LIÊN NGÀNH PHƯỜNG HỒNG BÀNG NĂM 2026"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append([None, None, f"Tổng cộng: {len(rows)} lượt"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("so theo doi kiem tra 2026.xlsx", buffer.getvalue())


def selected(page: str) -> dict[str, str]:
    """{field name: chosen value} of the mapping form, as the browser would submit it."""
    chosen = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        match = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        chosen[name] = match.group(1) if match else ""
    chosen["data_start_row"] = re.search(r'name="data_start_row" value="(\d+)"', page).group(1)
    return chosen


def test_officers_own_log_is_mapped_and_imported_for_the_chosen_team(client, people, team_a, businesses,
                                                                      violation_types):
    TeamFactory(unit=people.commune_a, name="Đội kiểm tra liên ngành cũ")  # a second team: must be chosen
    rows = [
        [1, datetime.datetime(2026, 3, 10), "Karaoke Hoa Hồng", "Phát hiện vi phạm",
         "Chứa mại dâm, để cho hoạt động mua bán dâm diễn ra tại cơ sở", "5.000.000", "Đề nghị xử phạt", AUTHORITY],
        [2, "10/03/2026", "nhà nghỉ bình an", "Không phát hiện vi phạm", None, None, None, None],
        [3, "17/03/2026", "Massage Hải Âu", "Lập biên bản nhắc nhở", None, None, None, None],
    ]
    client.force_login(people.officer_a)
    response = client.post(URL, {"file": own_sheet(OWN_HEADER, rows)})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.MAPPING and InspectionVisit.objects.count() == 0
    assert response["Location"] == reverse("import_job_mapping", args=[job.pk])
    assert job.layout["header_rows"] == [3, 3] and job.data_start_row == 4
    guessed = VisitImporter(user=people.officer_a).guess_mapping(SheetLayout.from_json(job.layout))
    assert guessed == {"session_date": 1, "business": 2, "outcome": 3, "violation_codes": 4, "fine_amount": 5,
                       "sanction_stage": 6, "sanction_authority": 7}

    page = client.get(response["Location"]).content.decode()
    form = selected(page)
    assert (form["col_session_date"], form["col_business"], form["col_outcome"]) == ("1", "2", "3")
    assert (form["col_violation_codes"], form["col_fine_amount"], form["col_sanction_authority"]) == ("4", "5", "7")
    assert form["col_team"] == "" and form["fixed_team"] == ""  # two teams: the officer chooses
    assert "Đội kiểm tra liên ngành phường Hồng Bàng" in page
    assert form["data_start_row"] == "4"
    page = client.post(response["Location"], form).content.decode()
    assert "Bắt buộc: hãy chọn cột chứa thông tin này." in page and InspectionVisit.objects.count() == 0

    done = client.post(response["Location"], {**form, "fixed_team": str(team_a.pk)}, follow=True).content.decode()
    assert "Đã nhập 3 bản ghi." in done
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.fixed == {"team": str(team_a.pk)}
    sessions = list(InspectionSession.objects.order_by("date"))
    assert [(s.team, s.date, s.kind, s.visits.count()) for s in sessions] == [
        (team_a, DAY1, SessionKind.PLANNED, 2), (team_a, DAY2, SessionKind.PLANNED, 1)]
    karaoke = InspectionVisit.objects.get(business=businesses["karaoke"])
    assert [v.code for v in karaoke.violations.all()] == ["nd144-harbouring"]
    assert karaoke.fine_amount == 5_000_000 and karaoke.sanction_authority == AUTHORITY
    assert InspectionVisit.objects.get(business=businesses["lodging"]).outcome == Outcome.NO_VIOLATION


def test_an_own_log_without_an_outcome_column_reads_it_from_the_violations(client, people, team_a, businesses,
                                                                          violation_types):
    header = ["STT", "Ngày kiểm tra", "Tên cơ sở", "Hành vi vi phạm", "Ghi chú"]
    rows = [[1, "10/03/2026", "Karaoke Hoa Hồng", "nd38-karaoke-dance", "quá giờ"],
            [2, "10/03/2026", "Nhà nghỉ Bình An", None, None]]
    client.force_login(people.officer_a)
    mapping_url = client.post(URL, {"file": own_sheet(header, rows)})["Location"]
    form = selected(client.get(mapping_url).content.decode())
    assert form["col_outcome"] == "" and form["col_violation_codes"] == "3"
    assert form["fixed_team"] == str(team_a.pk)  # the officer's only team

    done = client.post(mapping_url, form, follow=True).content.decode()
    assert "Đã nhập 2 bản ghi." in done, ImportJob.objects.get().errors
    assert InspectionVisit.objects.get(business=businesses["karaoke"]).outcome == Outcome.VIOLATION
    assert InspectionVisit.objects.get(business=businesses["lodging"]).outcome == Outcome.NO_VIOLATION


# -- scope ----------------------------------------------------------------------------------------


def test_a_commune_cannot_import_visits_for_another_communes_team(client, people, businesses):
    team_b = TeamFactory(unit=people.commune_b, name="Đội kiểm tra liên ngành phường Ngô Quyền")
    client.force_login(people.officer_a)
    upload = template_file(client, [visit_row(team_b, "10/03/2026", businesses["karaoke"])])
    page = client.post(URL, {"file": upload}, follow=True).content.decode()

    message = "Không tìm thấy Đội kiểm tra có tên đội “Đội kiểm tra liên ngành phường Ngô Quyền” trong phạm vi của bạn."
    assert message in page
    assert errors_of(ImportJob.objects.get()) == {(2, "Đội kiểm tra (tên đội)", message)}
    assert InspectionSession.objects.count() == 0 and InspectionVisit.objects.count() == 0


def test_the_mapping_step_offers_only_the_users_own_teams(client, people, team_a, businesses):
    team_b = TeamFactory(unit=people.commune_b, name="Đội kiểm tra liên ngành phường Ngô Quyền")
    client.force_login(people.officer_a)
    mapping_url = client.post(URL, {"file": own_sheet(OWN_HEADER, [
        [1, "10/03/2026", "Karaoke Hoa Hồng", "Không phát hiện vi phạm"]])})["Location"]
    page = client.get(mapping_url).content.decode()
    assert team_a.name in page and team_b.name not in page

    client.post(mapping_url, {**selected(page), "fixed_team": str(team_b.pk)})  # a forged choice
    assert ImportJob.objects.get().status == ImportJob.Status.MAPPING
    assert InspectionSession.objects.count() == 0 and InspectionVisit.objects.count() == 0


def test_a_fine_without_a_stage_is_proposed_unless_a_decision_is_named(client, people, team_a, businesses,
                                                                        violation_types):
    client.force_login(people.officer_a)
    decided = fined(**{"Xử phạt": None, "Số quyết định xử phạt": "7/QĐ-XPHC", "Ngày quyết định xử phạt": DAY2})
    upload = template_file(client, [visit_row(team_a, DAY1, businesses["karaoke"], **fined(**{"Xử phạt": None})),
                                    visit_row(team_a, DAY1, businesses["lodging"], **decided)])
    client.post(URL, {"file": upload})
    stages = dict(InspectionVisit.objects.values_list("business__name", "sanction_stage"))
    assert stages == {"Karaoke Hoa Hồng": "proposed", "Nhà nghỉ Bình An": "applied"}


def test_a_team_name_shared_by_two_teams_in_scope_matches_neither(client, people, businesses):
    TeamFactory(unit=people.commune_a, name="Đội liên ngành", decision_date=datetime.date(2025, 7, 15))
    TeamFactory(unit=people.commune_b, name="Đội liên ngành", decision_date=datetime.date(2025, 7, 15))
    client.force_login(people.province_officer)
    upload = template_file(client, [{"Đội kiểm tra": "Đội liên ngành", "Ngày kiểm tra": DAY1,
                                     "Cơ sở kinh doanh": businesses["karaoke"].name}])
    client.post(URL, {"file": upload})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not InspectionVisit.objects.exists()
    assert "Không tìm thấy Đội kiểm tra" in job.errors[0]["message"]
