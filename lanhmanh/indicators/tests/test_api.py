"""/api/indicators/ and /api/indicator-values/: the catalogue, the values, the scope and clear errors."""

import datetime

from django.utils import translation

from lanhmanh.businesses.tests.factories import BusinessFactory

D = datetime.date
VALUES = "/api/indicator-values/"


def test_the_catalogue_lists_every_indicator_with_its_definition(client, people):
    client.force_login(people.officer_a)
    body = client.get("/api/indicators/").json()
    by_code = {row["code"]: row for row in body}
    assert {"BUS_MANAGED", "TIPS_ON_TIME_PCT", "BUDGET_EXECUTION_PCT", "SUPPORT_REACHED_PCT"} <= set(by_code)
    ratio = by_code["TIPS_ON_TIME_PCT"]
    assert ratio["unit_of_measure"] == "percent" and ratio["denominator"]["key"] == "tips.due"
    assert by_code["BUS_MANAGED"]["aggregation"] == "stock"
    assert by_code["INSP_VISITS"]["aggregation"] == "flow" and by_code["INSP_VISITS"]["denominator"] is None
    assert by_code["INSP_VISITS"]["name_en"] == "Business visits"
    client.logout()
    assert client.get("/api/indicators/").status_code in (401, 403)


def test_values_by_child_unit(client, people):
    BusinessFactory(unit=people.commune_a, opened_on=D(2025, 1, 1), last_reviewed_on=D(2026, 2, 1))
    BusinessFactory(unit=people.commune_a, opened_on=D(2025, 1, 1))
    BusinessFactory(unit=people.commune_b, opened_on=D(2025, 1, 1))
    client.force_login(people.province_officer)
    response = client.get(VALUES, {"indicator": ["BUS_MANAGED", "BUS_REVIEWED_PCT"], "unit": "31",
                                   "start": "2026-01-01", "end": "2026-12-31", "by": "children"})
    assert response.status_code == 200, response.content
    rows = {(r["unit"], r["indicator"]): r for r in response.json()}
    assert rows[("11311", "BUS_MANAGED")]["value"] == 2
    assert rows[("11311", "BUS_REVIEWED_PCT")] | {} == {
        "indicator": "BUS_REVIEWED_PCT", "unit": "11311", "unit_name": "Phường Hồng Bàng", "own": False,
        "start": "2026-01-01", "end": "2026-12-31", "numerator": 1, "denominator": 2, "value": 50.0}
    assert rows[("11329", "BUS_REVIEWED_PCT")]["value"] == 0
    whole = client.get(VALUES, {"indicator": "BUS_REVIEWED_PCT", "unit": "31", "start": "2026-01-01",
                                "end": "2026-12-31"}).json()
    assert [(r["numerator"], r["denominator"], r["value"]) for r in whole] == [(1, 3, 33.33)]


def test_a_ratio_without_denominator_is_null_not_zero(client, people):
    client.force_login(people.officer_a)
    rows = client.get(VALUES, {"indicator": "TIPS_ON_TIME_PCT", "unit": "11311"}).json()
    assert rows[0]["value"] is None and rows[0]["numerator"] == 0


def test_values_are_scoped_to_the_user(client, people):
    BusinessFactory(unit=people.commune_b, opened_on=D(2025, 1, 1))
    client.force_login(people.officer_a)
    with translation.override("vi"):
        response = client.get(VALUES, {"indicator": "BUS_MANAGED", "unit": "11329"})
    assert response.status_code == 404
    assert "phạm vi" in response.json()["detail"]
    # The province as a whole: only A's part of it counts for A's officer.
    assert client.get(VALUES, {"indicator": "BUS_MANAGED", "unit": "31"}).status_code == 404
    client.force_login(people.support_worker)
    assert client.get(VALUES, {"indicator": "BUS_MANAGED", "unit": "11311"}).status_code == 200
    client.force_login(people.nobody)
    assert client.get(VALUES, {"indicator": "BUS_MANAGED", "unit": "11311"}).status_code == 404


def test_bad_parameters_get_clear_vietnamese_errors(client, people):
    client.force_login(people.province_officer)
    with translation.override("vi"):
        unknown = client.get(VALUES, {"indicator": ["NOPE", "BUS_MANAGED"], "unit": "31"})
        backwards = client.get(VALUES, {"indicator": "BUS_MANAGED", "unit": "31", "start": "2026-05-01",
                                        "end": "2026-04-01"})
        missing = client.get(VALUES, {"unit": "31"})
        bad_by = client.get(VALUES, {"indicator": "BUS_MANAGED", "unit": "31", "by": "street"})
    assert unknown.status_code == 400 and "NOPE" in str(unknown.json())
    assert backwards.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu" in str(backwards.json())
    assert missing.status_code == 400 and "ít nhất một chỉ số" in str(missing.json())
    assert bad_by.status_code == 400
    for start, end in (("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-12-31")):
        far = client.get(VALUES, {"indicator": "BUS_MANAGED", "unit": "31", "start": start, "end": end})
        assert far.status_code == 400 and "Chỉ tính được số liệu từ năm 2000" in str(far.json())


def test_by_month(client, people):
    BusinessFactory(unit=people.commune_a, opened_on=D(2026, 3, 5))
    client.force_login(people.officer_a)
    rows = client.get(VALUES, {"indicator": "BUS_MANAGED", "unit": "11311", "start": "2026-01-01",
                               "end": "2026-06-30", "by": "month"}).json()
    assert [r["value"] for r in rows] == [0, 0, 1, 1, 1, 1]
    assert rows[2]["start"] == "2026-03-01" and rows[2]["end"] == "2026-03-31"
