import datetime
import json
import re

import pytest
from django.urls import reverse

from lanhmanh.core.testing import count_queries, login_verified
from lanhmanh.dashboards.tests.conftest import make_plan, make_target, sessions
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory

pytestmark = pytest.mark.django_db


def url(unit, **query):
    base = reverse("dashboards:unit", args=[unit.code])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def row(html, attribute, value):
    """The HTML of the table row carrying attribute="value"."""
    match = re.search(rf'<tr {attribute}="{value}">(.*?)</tr>', html, re.S)
    assert match, f"no row {attribute}={value}"
    return match.group(1)


def cell(row_html, name):
    match = re.search(rf'data-value="{name}">(.*?)</td>', row_html, re.S)
    assert match, f"no cell {name}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1))).strip()


def test_it_shows_the_targets_against_actual_and_expected_values(client, people, province_plan):
    client.force_login(people.province_officer)
    html = client.get(url(people.province)).content.decode()
    sessions_target = province_plan.targets.get(indicator="INSP_SESSIONS")
    tr = row(html, "data-target", sessions_target.pk)
    assert "Tổ chức ít nhất 12 buổi kiểm tra liên ngành" in tr
    assert cell(tr, "goal") == "≥ 12"
    assert cell(tr, "actual") == "3"
    assert cell(tr, "expected") == "3"  # 12 × 95/365 = 3.12 sessions on 5 April, counted whole
    assert "Đúng tiến độ" in cell(tr, "mark")
    assert 'data-mark="on_track"' in tr
    # The number links to the sessions behind it: the province's subtree, 1 January to today.
    link = re.search(r'data-value="actual"><a href="([^"]+)"', tr).group(1).replace("&amp;", "&")
    assert link.startswith(reverse("inspections:inspectionsession_list"))
    assert f"unit={people.province.pk}" in link and "date_after=2026-01-01" in link and "date_before=2026-04-05" in link


def test_it_marks_a_ratio_without_denominator_as_no_data_and_a_qualitative_target_unassessed(
        client, people, province_plan):
    client.force_login(people.province_officer)
    html = client.get(url(people.province)).content.decode()
    tips = row(html, "data-target", province_plan.targets.get(indicator="TIPS_ON_TIME_PCT").pk)
    assert cell(tips, "goal") == "≥ 100%"
    assert cell(tips, "actual") == "Chưa có số liệu"
    assert 'data-mark="no_data"' in tips
    hotspots = row(html, "data-target", province_plan.targets.get(indicator="").pk)
    assert cell(hotspots, "actual") == "Tự đánh giá"
    assert "Chưa có số liệu" in cell(hotspots, "mark")


def test_it_marks_at_risk_and_not_achieved(client, people, province_plan, today):
    # 48 a year expect round(48 × 95/365) = 12 by 5 April: 11 are within 10% of it.
    target = make_target(province_plan, 4, text="Ít nhất 48 buổi kiểm tra", indicator="INSP_SESSIONS",
                         comparison="gte", value=48)
    sessions(people.commune_b, *[datetime.date(2026, 3, d) for d in range(1, 9)])
    client.force_login(people.province_officer)
    html = client.get(url(people.province)).content.decode()
    tr = row(html, "data-target", target.pk)
    assert cell(tr, "goal") == "≥ 48" and cell(tr, "actual") == "11" and cell(tr, "expected") == "12"
    assert "Có nguy cơ không đạt" in cell(tr, "mark") and 'data-mark="at_risk"' in tr
    # A past year: the year is over, 1 of 12 is not achieved.
    plan_2025 = make_plan(people.province, year=2025, number="12")
    make_target(plan_2025, text="Ít nhất 12 buổi kiểm tra", indicator="INSP_SESSIONS", comparison="gte", value=12)
    sessions(people.commune_a, datetime.date(2025, 5, 5))
    html = client.get(url(people.province, year=2025)).content.decode()
    tr = row(html, "data-target", plan_2025.targets.get().pk)
    assert cell(tr, "actual") == "1" and cell(tr, "expected") == "12" and "Không đạt" in cell(tr, "mark")


def test_it_lists_tasks_due_within_30_days_and_overdue(client, people, province_plan):
    client.force_login(people.province_officer)
    html = client.get(url(people.province)).content.decode()
    tasks = re.search(r'data-testid="tasks">(.*?)</table>', html, re.S).group(1)
    titles = re.findall(r'<tr data-task="\d+"><td>([^<]+)<', tasks)
    # Overdue first, then by deadline; the one due in June and the finished one are not listed.
    assert titles == ["Ban hành kế hoạch kiểm tra liên ngành", "Kiểm tra các cơ sở karaoke trên địa bàn"]
    overdue = row(tasks, "data-task", province_plan.tasks.get(title__startswith="Ban hành").pk)
    assert "Quá hạn" in overdue and "01/03/2026" in overdue and "Đang thực hiện" in overdue
    assert "Công an thành phố" in overdue
    due = row(tasks, "data-task", province_plan.tasks.get(title__startswith="Kiểm tra").pk)
    assert "20/04/2026" in due and "Chưa thực hiện" in due and "Quá hạn" not in due


def test_it_charts_each_measured_target_by_month(client, people, province_plan):
    client.force_login(people.province_officer)
    response = client.get(url(people.province))
    charts = {c["title"]: c for c in response.context["charts"]}
    assert set(charts) == {"Tổ chức ít nhất 12 buổi kiểm tra liên ngành", "100% tin báo được giải quyết đúng hạn"}
    flow = charts["Tổ chức ít nhất 12 buổi kiểm tra liên ngành"]
    assert flow["labels"][:2] == ["01/2026", "02/2026"] and len(flow["labels"]) == 12
    assert flow["monthly"][:5] == [1, 1, 1, 0, None]  # nothing after April (today is 5 April)
    assert flow["cumulative"][:5] == [1, 2, 3, 3, None]
    assert flow["goal"][-1] == 12 and flow["goal"][2] == round(12 * 90 / 365, 2)
    ratio = charts["100% tin báo được giải quyết đúng hạn"]
    assert ratio["cumulative"] is None and ratio["goal"] == [100.0] * 12 and ratio["percent"] is True
    # Passed to the static script as JSON (no inline script: the CSP forbids it).
    html = response.content.decode()
    data = re.search(r'<script id="dashboard-charts" type="application/json">(.*?)</script>', html, re.S).group(1)
    assert json.loads(data)[0]["id"] == f"target-{province_plan.targets.get(indicator='INSP_SESSIONS').pk}"
    assert "/static/lanhmanh/dashboard.js" in html and "/static/vendor/chartjs/chart.umd.min.js" in html
    assert "<script>" not in html


def test_the_children_table_shows_each_childs_value_and_mark_and_drills_down(client, people, province_plan):
    client.force_login(people.province_officer)
    html = client.get(url(people.province)).content.decode()
    target = province_plan.targets.get(indicator="INSP_SESSIONS")
    a = row(html, "data-child", people.commune_a.code)
    b = row(html, "data-child", people.commune_b.code)
    assert f'href="{url(people.commune_a, year=2026)}">Phường Hồng Bàng</a>' in a
    a_cell = re.search(rf'data-target="{target.pk}">(.*?)</td>', a, re.S).group(1)
    b_cell = re.search(rf'data-target="{target.pk}">(.*?)</td>', b, re.S).group(1)
    assert ">3</a>" in a_cell and 'data-mark="on_track"' in a_cell
    assert f"unit={people.commune_a.pk}" in a_cell  # the records of commune A only
    assert "0" in b_cell and 'data-mark="off_track"' in b_cell
    assert 'data-sort-value="3.0000"' in a and 'data-sort-value="0.0000"' in b


def test_a_child_with_its_own_localised_target_is_judged_against_it(client, people, province_plan):
    upper = province_plan.targets.get(indicator="INSP_SESSIONS")
    commune_plan = make_plan(people.commune_a, number="7")
    make_target(commune_plan, text="Ít nhất 20 buổi kiểm tra", indicator="INSP_SESSIONS", comparison="gte",
                value=20, upper_target=upper)
    client.force_login(people.province_officer)
    html = client.get(url(people.province)).content.decode()
    a = row(html, "data-child", people.commune_a.code)
    assert "chỉ tiêu riêng" in a and "≥ 20" in a
    assert 'data-mark="off_track"' in a  # 3 < round(20 × 95/365) = 5, though 3 meets the province's pace


def test_a_unit_without_a_plan_sees_a_message_and_the_key_indicators(client, people, today):
    sessions(people.commune_a, datetime.date(2026, 2, 2), datetime.date(2026, 3, 3))
    client.force_login(people.province_officer)
    html = client.get(url(people.province)).content.decode()
    assert "Thành phố Hải Phòng chưa có kế hoạch năm 2026" in html
    assert cell(row(html, "data-indicator", "INSP_SESSIONS"), "value") == "2"
    assert cell(row(html, "data-indicator", "TIPS_ON_TIME_PCT"), "value") == "Chưa có số liệu"
    a = row(html, "data-child", people.commune_a.code)
    assert re.search(r'data-indicator="INSP_SESSIONS"><a href="[^"]+">2</a>', a)


def test_a_commune_has_no_children_table(client, people, province_plan):
    client.force_login(people.officer_a)
    html = client.get(url(people.commune_a)).content.decode()
    assert 'data-testid="children"' not in html
    assert "Phường Hồng Bàng chưa có kế hoạch năm 2026" in html
    assert 'data-testid="parent-link"' not in html  # the province is outside officer A's scope


def test_it_checks_scoping(client, people, province_plan):
    client.force_login(people.officer_b)
    assert client.get(url(people.commune_a)).status_code == 404
    assert client.get(url(people.province)).status_code == 404
    assert client.get(reverse("dashboards:unit", args=["no-such-unit"])).status_code == 404
    assert client.get(reverse("dashboards:explorer", args=[people.commune_a.code])).status_code == 404
    client.force_login(people.nobody)
    assert client.get(url(people.commune_b)).status_code == 404
    client.logout()
    assert client.get(url(people.commune_a)).status_code == 302


def test_a_support_worker_may_see_figures(client, people, province_plan):
    login_verified(client, people.support_worker)
    assert client.get(url(people.commune_a)).status_code == 200
    assert client.get(url(people.province)).status_code == 404


def test_the_home_link_leads_to_the_users_dashboard(client, people):
    client.force_login(people.officer_a)
    response = client.get(reverse("dashboards:mine"))
    assert response["Location"] == url(people.commune_a)
    client.force_login(people.admin)
    assert client.get(reverse("dashboards:mine"))["Location"] == url(people.nation)


def test_the_query_count_does_not_grow_with_children_or_records(client, people, province_plan):
    client.force_login(people.province_officer)
    client.get(url(people.province))  # warm caches (content types, session)
    small = count_queries(lambda: client.get(url(people.province)))
    for n in range(4):
        child = AdminUnitFactory(code=f"1140{n}", name=f"Xã Thử {n}", level=AdminUnit.Level.COMMUNE,
                                 parent=people.province)
        sessions(child, *[datetime.date(2026, m, 3) for m in range(1, 4)])
    sessions(people.commune_b, datetime.date(2026, 1, 5), datetime.date(2026, 2, 5))
    response = client.get(url(people.province))
    assert response.content.decode().count("<tr data-child=") == 6
    assert count_queries(lambda: client.get(url(people.province))) == small


def test_the_home_page_links_to_the_dashboard(client, people):
    client.force_login(people.officer_a)
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("dashboards:mine")}" data-testid="dashboard-link"' in html
    client.force_login(people.nobody)
    assert 'data-testid="dashboard-link"' not in client.get(reverse("home")).content.decode()


def test_a_commune_dashboard_reads_few_queries_and_the_menu_links_to_dashboards(client, people, today):
    commune_plan = make_plan(people.commune_a, number="7")
    make_target(commune_plan, text="Ít nhất 6 buổi kiểm tra", indicator="INSP_SESSIONS", comparison="gte", value=6)
    client.force_login(people.officer_a)
    client.get(url(people.commune_a))
    before = count_queries(lambda: client.get(url(people.commune_a)))
    sessions(people.commune_a, *[datetime.date(2026, 1, d) for d in range(1, 21)])
    response = client.get(url(people.commune_a))
    assert count_queries(lambda: client.get(url(people.commune_a))) == before <= 20
    tr = row(response.content.decode(), "data-target", commune_plan.targets.get().pk)
    assert cell(tr, "actual") == "20" and 'data-mark="on_track"' in tr
    assert f'href="{reverse("dashboards:mine")}">Bảng điều khiển</a>' in response.content.decode()
