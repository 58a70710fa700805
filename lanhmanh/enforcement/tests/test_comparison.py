"""Year-on-year figures from real case records (the plan's "+3% of prostitution-related crimes handled compared
with last year"), on the page, in the API and in the service every report reads."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lanhmanh.enforcement import services
from lanhmanh.enforcement.models import EnforcementCase
from lanhmanh.enforcement.tests.factories import EnforcementCaseFactory

D = datetime.date
URL = reverse("enforcement:comparison")
API = "/api/enforcement-comparison/"


@pytest.fixture
def two_half_years(people, offences):
    """First half of 2026 against the first half of 2025. Commune A: arrests 103 against 60 + 40 (+3%); commune B:
    one administrative case in each half-year; and cases just outside both periods, which do not count."""
    a, b = people.commune_a, people.commune_b
    harbouring, buying = [offences["blhs2015-327"]], [offences["nd144-buying"]]

    def criminal(unit, day, **counts):
        return EnforcementCaseFactory(unit=unit, case_type="criminal", detected_on=day, offences=harbouring,
                                      **{"people_fined_admin": 0, "fines_total": 0, "sellers_identified": 0, **counts})

    criminal(a, D(2025, 1, 1), people_arrested=60, sellers_identified=4, sellers_referred=2)
    criminal(a, D(2025, 6, 30), people_arrested=40, instituted_on=D(2025, 7, 2), people_prosecuted=2)
    criminal(a, D(2026, 3, 15), people_arrested=103, instituted_on=D(2026, 3, 16), people_prosecuted=3,
             sellers_identified=5, sellers_referred=5, minors_identified=1)
    criminal(a, D(2026, 7, 1), people_arrested=500)  # after the period
    criminal(a, D(2024, 12, 31), people_arrested=500)  # before last year's
    EnforcementCaseFactory(unit=b, detected_on=D(2025, 2, 10), offences=buying, people_fined_admin=2,
                           fines_total=3_000_000)
    EnforcementCaseFactory(unit=b, detected_on=D(2026, 2, 12), offences=buying, people_fined_admin=3,
                           fines_total=3_500_000)


def rows(comparison) -> dict[str, tuple]:
    return {row.key: (row.current, row.previous, row.change_label) for row in comparison.rows}


def test_figures_count_the_cases_detected_in_the_period(people, two_half_years):
    cases = EnforcementCase.objects.within([people.province.path])
    assert services.figures(cases, D(2026, 1, 1), D(2026, 6, 30)) == {
        "criminal_cases": 1, "administrative_cases": 1, "people_arrested": 103, "people_prosecuted": 3,
        "people_fined_admin": 3, "fines_total": 3_500_000, "sellers_identified": 6, "sellers_referred": 5,
        "minors_identified": 1,
    }


def test_year_on_year_for_a_commune_and_its_province(people, two_half_years):
    commune = services.year_on_year(people.commune_a, D(2026, 1, 1), D(2026, 6, 30))
    assert (commune.previous_start, commune.previous_end) == (D(2025, 1, 1), D(2025, 6, 30))
    assert rows(commune) == {
        "criminal_cases": (1, 2, "-50%"), "administrative_cases": (0, 0, "—"), "people_arrested": (103, 100, "+3%"),
        "people_prosecuted": (3, 2, "+50%"), "people_fined_admin": (0, 0, "—"), "fines_total": (0, 0, "—"),
        "sellers_identified": (5, 4, "+25%"), "sellers_referred": (5, 2, "+150%"), "minors_identified": (1, 0, "—"),
    }
    province = rows(services.year_on_year(people.province, D(2026, 1, 1), D(2026, 6, 30)))
    assert province["administrative_cases"] == (1, 1, "0%")
    assert province["fines_total"] == (3_500_000, 3_000_000, "+16,7%")
    assert province["people_fined_admin"] == (3, 2, "+50%")


def test_a_user_counts_only_the_cases_they_may_see(people, two_half_years):
    seen_by_a = rows(services.year_on_year(people.province, D(2026, 1, 1), D(2026, 6, 30), user=people.officer_a))
    assert seen_by_a["administrative_cases"] == (0, 0, "—") and seen_by_a["people_arrested"] == (103, 100, "+3%")


def test_a_leap_day_has_a_year_earlier():
    assert services.year_earlier(D(2024, 2, 29), end=True) == D(2023, 2, 28)
    assert services.year_earlier(D(2024, 2, 29), end=False) == D(2023, 3, 1)
    assert services.year_earlier(D(2026, 3, 31), end=True) == D(2025, 3, 31)


def test_the_page_shows_the_change_in_vietnamese(client, people, two_half_years):
    client.force_login(people.province_officer)
    page = client.get(URL, {"unit": people.commune_a.pk, "start": "01/01/2026", "end": "30/06/2026"}).content.decode()
    assert "01/01/2025 – 30/06/2025" in page
    arrests = page.split('data-row="people_arrested"')[1].split("</tr>")[0]
    assert '"current">103<' in arrests and '"previous">100<' in arrests and '"change">+3%<' in arrests
    page = client.get(URL, {"unit": people.province.pk, "start": "01/01/2026", "end": "30/06/2026"}).content.decode()
    fines = page.split('data-row="fines_total"')[1].split("</tr>")[0]
    assert '"current">3.500.000<' in fines and '"change">+16,7%<' in fines


def test_the_page_defaults_to_the_users_unit_from_1_january(client, people):
    client.force_login(people.officer_a)
    assert f'href="{URL}"' in client.get(reverse("enforcement:enforcementcase_list")).content.decode()
    page = client.get(URL).content.decode()
    today = timezone.localdate()
    assert f'<h2 class="h5">{people.commune_a.name}</h2>' in page
    assert f"01/01/{today.year} – {today:%d/%m/%Y}" in page


def test_the_page_refuses_a_period_it_cannot_compare(client, people):
    client.force_login(people.officer_a)
    page = client.get(URL, {"start": "01/01/2025", "end": "30/06/2026"}).content.decode()
    assert "Kỳ so sánh dài nhất là một năm" in page and 'data-testid="comparison"' not in page
    page = client.get(URL, {"start": "01/06/2026", "end": "01/01/2026"}).content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu." in page
    page = client.get(URL, {"unit": people.commune_b.pk}).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page and 'data-testid="comparison"' not in page


def test_the_api_gives_the_same_figures(client, people, two_half_years):
    client.force_login(people.province_officer)
    body = client.get(API, {"unit": people.commune_a.pk, "start": "2026-01-01", "end": "30/06/2026"}).json()
    assert (body["unit"], body["previous_start"], body["previous_end"]) == ("11311", "2025-01-01", "2025-06-30")
    by_key = {row["key"]: row for row in body["rows"]}
    assert by_key["people_arrested"] == {"key": "people_arrested", "label": "Số người bị bắt giữ", "current": 103,
                                         "previous": 100, "change_percent": 3.0}
    assert by_key["minors_identified"]["change_percent"] is None


def test_the_api_refuses_bad_periods_and_units_outside_the_scope(client, people):
    client.force_login(people.officer_a)
    assert client.get(API).status_code == 200  # the officer's commune, this year
    bad = client.get(API, {"start": "31/02/2026"})
    assert bad.status_code == 400 and bad.json()["start"] == ["Nhập một ngày hợp lệ."]
    assert client.get(API, {"unit": "abc"}).status_code == 400
    assert client.get(API, {"unit": people.commune_b.pk}).status_code == 404
    assert client.get(API, {"unit": 999_999}).status_code == 404
