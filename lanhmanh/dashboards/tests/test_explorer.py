import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lanhmanh.businesses.tests.factories import BusinessFactory, CommitmentFactory
from lanhmanh.dashboards.tests.conftest import sessions
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db


def explorer(unit):
    return reverse("dashboards:explorer", args=[unit.code])


def text(html):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def row(html, attribute, value):
    match = re.search(rf'<tr {attribute}="{value}">(.*?)</tr>', html, re.S)
    assert match, f"no row {attribute}={value}"
    return match.group(1)


def cell(row_html, name):
    return text(re.search(rf'data-value="{name}">(.*?)</td>', row_html, re.S).group(1))


@pytest.fixture
def figures(people, today):
    """Sessions: commune A 3 in 2026 and 2 in 2025; commune B 5 in 2026. Commitments: commune A 1 of 2 managed
    businesses, a third commune 1 of 1; commune B has no business (no data)."""
    sessions(people.commune_a, datetime.date(2026, 1, 12), datetime.date(2026, 2, 9), datetime.date(2026, 3, 16))
    sessions(people.commune_a, datetime.date(2025, 3, 1), datetime.date(2025, 6, 1))
    sessions(people.commune_b, *[datetime.date(2026, 3, d) for d in (1, 2, 3, 4, 5)])
    opened = datetime.date(2025, 1, 1)
    CommitmentFactory(business__unit=people.commune_a, business__opened_on=opened)
    BusinessFactory(unit=people.commune_a, opened_on=opened)
    third = AdminUnitFactory(code="11350", name="Phường Lê Chân", level=AdminUnit.Level.COMMUNE, parent=people.province)
    CommitmentFactory(business__unit=third, business__opened_on=opened)
    return third


def test_it_shows_the_value_last_years_and_the_change(client, people, figures):
    client.force_login(people.officer_a)
    html = client.get(explorer(people.commune_a), {"indicator": "INSP_SESSIONS", "kind": "year",
                                                   "year": 2026}).content.decode()
    tr = row(html, "data-indicator", "INSP_SESSIONS")
    assert cell(tr, "current") == "3" and cell(tr, "previous") == "2" and cell(tr, "change") == "+50%"
    assert "Năm 2026: từ 01/01/2026 đến 31/12/2026" in text(html)


def test_it_takes_any_period(client, people, figures):
    client.force_login(people.officer_a)
    query = {"indicator": "INSP_SESSIONS", "year": 2026}
    quarter = client.get(explorer(people.commune_a), {**query, "kind": "quarter", "number": 1}).content.decode()
    assert cell(row(quarter, "data-indicator", "INSP_SESSIONS"), "current") == "3"
    assert cell(row(quarter, "data-indicator", "INSP_SESSIONS"), "change") == "+200%"  # 1 in Q1 2025
    # Cut-off month of February: 15/01 to 14/02 holds only the session of 9 February.
    cutoff = client.get(explorer(people.commune_a), {**query, "kind": "cutoff_month", "number": 2}).content.decode()
    assert "từ 15/01/2026 đến 14/02/2026" in text(cutoff)
    assert cell(row(cutoff, "data-indicator", "INSP_SESSIONS"), "current") == "1"
    custom = client.get(explorer(people.commune_a), {**query, "kind": "custom", "start": "10/03/2026",
                                                     "end": "31/03/2026"}).content.decode()
    assert cell(row(custom, "data-indicator", "INSP_SESSIONS"), "current") == "1"
    assert cell(row(custom, "data-indicator", "INSP_SESSIONS"), "change") == "—"  # none a year earlier
    bad = client.get(explorer(people.commune_a), {**query, "kind": "quarter", "number": 7}).content.decode()
    assert "Hãy chọn số thứ tự từ 1 đến 4." in bad


def test_it_ranks_the_children_best_first_and_no_data_last(client, people, figures):
    client.force_login(people.province_officer)
    html = client.get(explorer(people.province), {"indicator": ["INSP_SESSIONS", "BUS_COMMITMENT_PCT"],
                                                  "year": 2026}).content.decode()
    ranking = re.search(r'data-testid="ranking-INSP_SESSIONS">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'<tr data-child="(\d+)">', ranking) == ["11329", "11311", "11350"]
    commitments = re.search(r'data-testid="ranking-BUS_COMMITMENT_PCT">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'<tr data-child="(\d+)">', commitments) == ["11350", "11311", "11329"]
    a = text(row(commitments, "data-child", "11311"))
    assert a.startswith("2 Phường Hồng Bàng 50% 1 2")  # rank, unit, value, numerator, denominator
    b = text(row(commitments, "data-child", "11329"))
    assert b.startswith("— Phường Ngô Quyền Chưa có số liệu")
    # Each child's name leads to the same question about that child.
    assert f'href="{explorer(figures)}?indicator=INSP_SESSIONS' in ranking
    # Equal values share a rank.
    quarter = client.get(explorer(people.province), {"indicator": "INSP_SESSIONS", "kind": "quarter", "number": 2,
                                                     "year": 2026}).content.decode()
    assert re.findall(r'<tr data-child="\d+"><td class="text-end">(\d+)</td>', quarter) == ["1", "1", "1"]
    # The province's own value: 2 of 3 businesses.
    assert cell(row(html, "data-indicator", "BUS_COMMITMENT_PCT"), "current").startswith("66,7%")


def test_the_explorer_exports_to_xlsx(client, people, figures):
    client.force_login(people.province_officer)
    response = client.get(explorer(people.province), {"indicator": ["INSP_SESSIONS", "BUS_COMMITMENT_PCT"],
                                                      "year": 2026, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Chỉ số", "INSP_SESSIONS", "BUS_COMMITMENT_PCT"]
    values = book["Chỉ số"]
    assert values["A1"].value == "Thành phố Hải Phòng — Năm 2026 (từ 01/01/2026 đến 31/12/2026)"
    assert [c.value for c in values[2]] == ["Chỉ số", "Mã", "Giá trị", "Tử số", "Mẫu số", "Cùng kỳ năm trước",
                                           "Thay đổi (%)"]
    sessions_row = [c for c in values[3]]
    assert sessions_row[1].value == "INSP_SESSIONS" and sessions_row[2].value == 8 and sessions_row[5].value == 2
    assert sessions_row[6].value == pytest.approx(3.0) and sessions_row[6].number_format == "0.0%"  # +300%
    pct = [c for c in values[4]]
    assert pct[2].value == pytest.approx(2 / 3) and pct[2].number_format == "0.0%"
    assert (pct[3].value, pct[4].value) == (2, 3)
    ranking = book["BUS_COMMITMENT_PCT"]
    rows = [[c.value for c in r] for r in ranking.iter_rows(min_row=3)]
    assert rows[0][:5] == [1, "Phường Lê Chân", 1.0, 1, 1]
    assert rows[2][:3] == [None, "Phường Ngô Quyền", "Chưa có số liệu"]


def test_it_checks_scoping(client, people, figures):
    client.force_login(people.officer_a)
    assert client.get(explorer(people.province)).status_code == 404
    assert client.get(explorer(people.commune_b)).status_code == 404
    assert client.get(explorer(people.commune_a)).status_code == 200


@pytest.mark.parametrize("query", [
    {"kind": "custom", "start": "01/12/9999", "end": "31/12/9999"},
    {"kind": "custom", "start": "01/01/0001", "end": "31/01/0001"},
    {"kind": "custom", "start": "01/01/0001", "end": "31/12/2026"},
    {"kind": "custom", "start": "31/12/1999", "end": "31/01/2000"},
    {"kind": "custom", "start": "01/01/2026", "end": "01/01/2028"},
])
def test_far_dates_are_refused_with_a_message(client, people, figures, query):
    client.force_login(people.officer_a)
    for fmt in (None, "xlsx"):
        response = client.get(explorer(people.commune_a), {"indicator": "INSP_SESSIONS", **query,
                                                           **({"format": fmt} if fmt else {})})
        assert response.status_code == 200
    html = client.get(explorer(people.commune_a), {"indicator": "INSP_SESSIONS", **query}).content.decode()
    assert "Hãy chọn ngày từ 01/01/2000 đến 31/12/2027." in html
    assert "Năm 2026: từ 01/01/2026 đến 31/12/2026" in text(html)  # this year instead


@pytest.mark.parametrize("year", ["1999", "2028", "0", "9999", "99999"])
def test_far_years_are_refused_with_a_message(client, people, figures, year):
    client.force_login(people.officer_a)
    for kind in ("year", "cutoff_year", "quarter"):
        response = client.get(explorer(people.commune_a), {"indicator": "INSP_SESSIONS", "kind": kind,
                                                           "number": 1, "year": year})
        assert response.status_code == 200
        assert "Hãy chọn năm từ 2000 đến 2027." in response.content.decode()


def test_the_edges_of_the_range_are_taken(client, people, figures):
    client.force_login(people.officer_a)
    for query in ({"kind": "custom", "start": "01/01/2000", "end": "31/12/2000"},
                  {"kind": "year", "year": 2027}, {"kind": "cutoff_year", "year": 2000}):
        html = client.get(explorer(people.commune_a), {"indicator": "INSP_SESSIONS", **query}).content.decode()
        assert "Hãy chọn" not in html
        assert "Năm 2026: từ 01/01/2026" not in text(html)


def test_a_custom_period_spans_at_most_five_years(client, people, figures):
    client.force_login(people.officer_a)
    query = {"indicator": "INSP_SESSIONS", "kind": "custom"}
    html = client.get(explorer(people.commune_a), {**query, "start": "01/01/2020", "end": "31/12/2026"}).content
    assert "Khoảng thời gian không quá 5 năm." in html.decode()
    ok = client.get(explorer(people.commune_a), {**query, "start": "01/01/2022", "end": "31/12/2026"}).content
    assert "Khoảng thời gian không quá 5 năm." not in ok.decode()
    assert cell(row(ok.decode(), "data-indicator", "INSP_SESSIONS"), "current") == "5"
