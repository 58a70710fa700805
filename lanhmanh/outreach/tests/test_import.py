"""Importing a district-era register of communication activities and a table of target-group populations from
Excel: our template, or the province's own sheet through the column-mapping step. Communes by code or name, kinds
by their Vietnamese names, one participants column per target group; one bad row means nothing is written."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from lanhmanh.core.models import ImportJob
from lanhmanh.outreach.imports import kind_from_text
from lanhmanh.outreach.models import ActivityKind, CommunicationActivity, TargetPopulation

URL = reverse("outreach:communicationactivity_import")
POPULATION_URL = reverse("outreach:targetpopulation_import")
D = datetime.date


def short(header: str) -> str:
    """A template header without its star and its "(mã)" lookup hint."""
    return header.rstrip(" *").split(" (mã)")[0].split(" (tên")[0]


def template_file(client, url, rows: list[dict]) -> SimpleUploadedFile:
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
    return SimpleUploadedFile("hoat dong tuyen truyen.xlsx", buffer.getvalue())


def errors_of(job) -> set[tuple]:
    return {(e["row"], e["field"], e["message"]) for e in job.errors}


def activity_row(**cells) -> dict:
    return {
        "Đơn vị": "11311",
        "Ngày thực hiện": "15/04/2026",
        "Hình thức tuyên truyền": "Cuộc thi tìm hiểu",
        "Học sinh, sinh viên (số người)": 300,
        **cells,
    }


def test_the_template_has_a_participants_column_per_target_group(client, people):
    client.force_login(people.officer_a)
    headers = [c.value for c in load_workbook(io.BytesIO(client.get(URL, {"template": 1}).content)).active[1]]
    assert "Học sinh, sinh viên (số người)" in headers and "Người bán dâm (số người)" in headers
    assert "Hình thức tuyên truyền *" in headers


def test_a_register_is_imported_with_audiences_and_totals(client, people, groups_a, culture_a):
    client.force_login(people.officer_a)
    upload = template_file(
        client,
        URL,
        [
            activity_row(
                **{
                    "Ngày thực hiện": datetime.datetime(2026, 3, 10),
                    "Tổ dân phố, thôn": "Tổ dân phố 2",
                    "Hình thức tuyên truyền": "Sinh hoạt tổ dân phố, thôn",
                    "Học sinh, sinh viên (số người)": None,
                    "Nhân dân (số người)": "1.200",
                    "Chủ cơ sở kinh doanh dịch vụ (số người)": 12,
                    "Cơ quan chủ trì": "Phòng Văn hóa - Xã hội phường Hồng Bàng",
                }
            ),
            activity_row(
                **{
                    "Hình thức tuyên truyền": "Phát thanh trên loa",
                    "Học sinh, sinh viên (số người)": None,
                    "Nhân dân (số người)": "x",
                    "Nội dung, chủ đề": "Phát thanh tuyên truyền",
                }
            ),
            activity_row(**{"Số tài liệu, tờ rơi, áp phích": 10000, "Cán bộ, công chức (số người)": 20}),
        ],
    )
    page = client.post(URL, {"file": upload}, follow=True).content.decode()
    assert "Đã nhập 3 bản ghi." in page, ImportJob.objects.get().errors

    session = CommunicationActivity.objects.get(kind=ActivityKind.GROUP_SESSION)
    assert (session.held_on, session.residential_group, session.organiser) == (D(2026, 3, 10), groups_a[1], culture_a)
    assert session.participants_total == 1212 and session.title == "Sinh hoạt tổ dân phố, thôn tại Tổ dân phố 2"
    broadcast = CommunicationActivity.objects.get(kind=ActivityKind.LOUDSPEAKER)
    assert [(a.target_group, a.participants) for a in broadcast.audiences.all()] == [("residents", None)]
    contest = CommunicationActivity.objects.get(kind=ActivityKind.CONTEST)
    assert (contest.materials_count, contest.participants_total) == (10_000, 320)
    assert contest.created_by == people.officer_a


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"Ngày thực hiện": "31/02/2026"}, "Ngày thực hiện", None),
        ({"Hình thức tuyên truyền": "Múa lân"}, "Hình thức tuyên truyền", None),
        (
            {"Học sinh, sinh viên (số người)": "nhiều"},
            "Học sinh, sinh viên (số người)",
            "Hãy ghi số người (ví dụ 120), hoặc “x” nếu có tuyên truyền mà không đếm được số người.",
        ),
        ({"Học sinh, sinh viên (số người)": None}, "", "Hãy chọn ít nhất một nhóm đối tượng được tuyên truyền."),
        (
            {"Tổ dân phố, thôn": "Thôn 9"},
            "Tổ dân phố, thôn",
            "Không tìm thấy tổ dân phố, thôn “Thôn 9” thuộc Phường Hồng Bàng.",
        ),
        ({"Ngày thực hiện": "01/01/2099"}, "Ngày thực hiện", "Ngày thực hiện không thể sau hôm nay."),
    ],
)
def test_one_bad_row_writes_nothing_and_says_why(client, people, groups_a, cells, column, message):
    client.force_login(people.officer_a)
    rows = [activity_row(), activity_row(**{"Ngày thực hiện": "16/04/2026"}), activity_row(**cells)]
    client.post(URL, {"file": template_file(client, URL, rows)})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not CommunicationActivity.objects.exists()
    errors = errors_of(job)
    assert {(row, field) for row, field, _m in errors} == {(4, column)}, errors
    if message:
        assert {m for _r, _f, m in errors} == {message}


def test_a_commune_cannot_import_another_communes_activities(client, people):
    client.force_login(people.officer_a)
    client.post(URL, {"file": template_file(client, URL, [activity_row(**{"Đơn vị": "11329"})])})
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and not CommunicationActivity.objects.exists()
    assert {(row, field) for row, field, _m in errors_of(job)} == {(2, "Đơn vị (mã)")}


def test_the_same_activity_twice_in_a_file_is_refused(client, people):
    client.force_login(people.officer_a)
    client.post(URL, {"file": template_file(client, URL, [activity_row(), activity_row()])})
    assert errors_of(ImportJob.objects.get()) == {(3, "", "Trùng với dòng 2 trong tệp.")}
    assert not CommunicationActivity.objects.exists()


def test_kinds_are_read_from_the_words_officers_write():
    assert kind_from_text("Hội thi") == ActivityKind.CONTEST
    assert kind_from_text("Phát loa") == ActivityKind.LOUDSPEAKER
    assert kind_from_text("Phát tờ rơi") == ActivityKind.LEAFLETS
    assert kind_from_text("Pano, áp phích") == ActivityKind.BANNER
    assert kind_from_text("Đăng fanpage") == ActivityKind.SOCIAL_MEDIA
    assert kind_from_text("Nói chuyện chuyên đề tại trường THPT") == ActivityKind.SCHOOL_WORKPLACE
    assert kind_from_text("Phóng sự truyền hình") == ActivityKind.BROADCAST
    assert kind_from_text("Tin bài trên báo") == ActivityKind.PRESS
    assert kind_from_text("Múa lân") == "Múa lân"


# -- a province's own district-era register ---------------------------------------------------------------


def own_register(header, rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "TỔNG HỢP KẾT QUẢ TUYÊN TRUYỀN PHÒNG, CHỐNG MẠI DÂM NĂM 2024"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append([])
    ws.append(header)
    for row in rows:
        ws.append(row)
    ws.append(["Tổng cộng", None, None, None, sum(r[4] or 0 for r in rows)])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("tong hop tuyen truyen 2024.xlsx", buffer.getvalue())


def selected(page: str) -> dict[str, str]:
    chosen = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        match = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        chosen[name] = match.group(1) if match else ""
    chosen["data_start_row"] = re.search(r'name="data_start_row" value="(\d+)"', page).group(1)
    return chosen


def test_a_district_era_register_names_communes_by_name(client, people):
    header = [
        "Xã, phường",
        "Ngày",
        "Hình thức",
        "Nội dung",
        "Học sinh",
        "Người lao động tại cơ sở kinh doanh",
        "Công nhân KCN",
        "Nhân dân",
        "Số tờ rơi",
    ]
    rows = [
        ["P. Hồng Bàng", "12/09/2024", "Hội thi", "Hội thi tìm hiểu pháp luật", 450, None, None, 60, None],
        [
            "Phường Ngô Quyền",
            "20/10/2024",
            "Nói chuyện tại doanh nghiệp",
            "Tuyên truyền cho người lao động",
            None,
            35,
            280,
            None,
            500,
        ],
        ["11311", "05/11/2024", "Phát tờ rơi", "Phát tờ rơi tại chợ", None, None, None, "x", 2000],
    ]
    client.force_login(people.province_officer)
    response = client.post(URL, {"file": own_register(header, rows)})
    assert ImportJob.objects.get().status == ImportJob.Status.MAPPING
    mapping_url = response["Location"]
    form = selected(client.get(mapping_url).content.decode())
    assert (form["col_unit"], form["col_held_on"], form["col_kind"], form["col_title"]) == ("0", "1", "2", "3")
    assert (form["col_participants_students"], form["col_participants_risk_workers"]) == ("4", "5")
    assert (form["col_participants_iz_workers"], form["col_participants_residents"]) == ("6", "7")
    assert form["col_materials_count"] == "8"

    done = client.post(mapping_url, form, follow=True).content.decode()
    assert "Đã nhập 3 bản ghi." in done, ImportJob.objects.get().errors
    talk = CommunicationActivity.objects.get(held_on=D(2024, 10, 20))
    assert (talk.unit, talk.kind, talk.participants_total) == (people.commune_b, ActivityKind.SCHOOL_WORKPLACE, 315)
    assert CommunicationActivity.objects.get(held_on=D(2024, 9, 12)).unit == people.commune_a


# -- populations ---------------------------------------------------------------------------------------------


def test_populations_are_imported_and_a_duplicate_year_refused(client, people):
    client.force_login(people.province_officer)
    rows = [
        {"Đơn vị": "11311", "Năm": 2026, "Số học sinh, sinh viên": "2.400", "Số công nhân khu công nghiệp": 0},
        {
            "Đơn vị": "Phường Ngô Quyền",
            "Năm": 2026,
            "Số học sinh, sinh viên": 1800,
            "Số người lao động tại cơ sở kinh doanh dịch vụ": 150,
        },
    ]
    page = client.post(
        POPULATION_URL, {"file": template_file(client, POPULATION_URL, rows)}, follow=True
    ).content.decode()
    assert "Đã nhập 2 bản ghi." in page, ImportJob.objects.get().errors
    a = TargetPopulation.objects.get(unit=people.commune_a)
    assert (a.students, a.iz_workers, a.risk_workers) == (2400, 0, None)
    assert TargetPopulation.objects.get(unit=people.commune_b).risk_workers == 150

    client.post(POPULATION_URL, {"file": template_file(client, POPULATION_URL, [rows[0]])})
    job = ImportJob.objects.order_by("-pk").first()
    assert job.status == ImportJob.Status.FAILED
    assert errors_of(job) == {(2, "Năm", "Đã có số liệu năm 2026 của Phường Hồng Bàng.")}
    assert TargetPopulation.objects.count() == 2
