"""The figures issue 9 reads: models active on a day (MODELS_ACTIVE, a stock at the period end) and a period's
new models, activities, meetings and participants, for a unit's subtree, in a constant number of queries."""

import datetime

import pytest

from lanhmanh.community import services
from lanhmanh.community.models import ActivityKind, ModelKind, ModelStatus
from lanhmanh.community.tests.factories import ModelActivityFactory, PreventionModelFactory
from lanhmanh.core.testing import count_queries

D = datetime.date
DAY = D(2025, 6, 30)


@pytest.fixture
def models(people):
    """Commune A's models as they stood on 30/06/2025, and one of commune B."""
    a = people.commune_a
    return {
        "active": PreventionModelFactory(unit=a, kind=ModelKind.COMMUNITY_HIV, established_on=D(2020, 3, 1)),
        "resumed": PreventionModelFactory(
            unit=a, established_on=D(2021, 1, 1), paused_on=D(2024, 10, 1), resumed_on=D(2025, 6, 30)
        ),
        "paused": PreventionModelFactory(
            unit=a, status=ModelStatus.PAUSED, established_on=D(2021, 1, 1), paused_on=D(2025, 6, 30)
        ),
        "dissolved_that_day": PreventionModelFactory(
            unit=a, status=ModelStatus.DISSOLVED, established_on=D(2019, 5, 1), dissolved_on=D(2025, 6, 30)
        ),
        "dissolved_later": PreventionModelFactory(
            unit=a,
            kind=ModelKind.HOTLINE,
            status=ModelStatus.DISSOLVED,
            established_on=D(2019, 5, 1),
            dissolved_on=D(2025, 9, 1),
        ),
        "established_that_day": PreventionModelFactory(unit=a, kind=ModelKind.LIVELIHOOD, established_on=DAY),
        "established_later": PreventionModelFactory(unit=a, established_on=D(2025, 7, 1)),
        "in_b": PreventionModelFactory(
            unit=people.commune_b, kind=ModelKind.VOLUNTEER_TEAM, established_on=D(2022, 1, 1)
        ),
    }


def test_active_models_counts_what_runs_on_the_day_by_kind(people, models):
    result = services.active_models(people.commune_a, DAY)
    # active, resumed that day, dissolved later, established that day; not paused, dissolved or not yet set up.
    assert result["total"] == 4
    assert result["by_kind"] == {
        "community_hiv": 1,
        "club": 1,
        "volunteer_team": 0,
        "hotline": 1,
        "livelihood": 1,
        "support_gbv": 0,
        "other": 0,
    }


def test_active_models_of_a_province_covers_its_communes_and_its_own_models(people, models):
    PreventionModelFactory(unit=people.province, kind=ModelKind.SUPPORT_GBV, established_on=D(2023, 1, 1))
    result = services.active_models(people.province, DAY)
    assert result["total"] == 6
    assert (result["by_kind"]["volunteer_team"], result["by_kind"]["support_gbv"]) == (1, 1)


def test_active_models_with_a_user_counts_only_what_they_may_see(people, models):
    assert services.active_models(people.province, DAY, user=people.officer_a)["total"] == 4
    assert services.active_models(people.province, DAY, user=people.province_officer)["total"] == 5
    assert services.active_models(people.province, DAY, user=people.nobody)["total"] == 0


def test_a_unit_without_models_has_none_active_not_an_error(people):
    result = services.active_models(people.commune_a, DAY)
    assert result["total"] == 0 and set(result["by_kind"].values()) == {0}
    assert set(services.model_figures(people.commune_a, D(2025, 1, 1), DAY).values()) == {0}


def test_model_figures_over_a_period(people, models):
    a = people.commune_a
    start, end = D(2025, 1, 1), DAY
    for day, kind, count in [
        (start, ActivityKind.MEETING, 15),
        (D(2025, 3, 10), ActivityKind.MEETING, 12),
        (end, ActivityKind.COMMUNICATION, 80),
        (D(2024, 12, 31), ActivityKind.MEETING, 30),
        (D(2025, 7, 1), ActivityKind.MEETING, 30),
    ]:
        ModelActivityFactory(prevention_model=models["active"], date=day, kind=kind, participants_count=count)
    ModelActivityFactory(prevention_model=models["in_b"], date=D(2025, 3, 10), participants_count=40)
    PreventionModelFactory(unit=a, established_on=D(2025, 2, 1))

    figures = services.model_figures(a, start, end)

    assert figures == {
        "active_at_end": 5,  # the four of the day, and the one set up on 01/02/2025
        "new_models": 2,  # established on 01/02/2025 and on the last day of the period
        "dissolved_models": 1,  # on the last day; the one dissolved in September is not in the period
        "activities": 3,  # the first and the last day count; 31/12/2024, 01/07/2025 and commune B's do not
        "participants": 107,
        "meetings": 2,
        "meeting_participants": 27,
    }


def test_a_single_day_period(people, models):
    ModelActivityFactory(prevention_model=models["active"], date=DAY, participants_count=9)
    figures = services.model_figures(people.commune_a, DAY, DAY)
    assert (figures["active_at_end"], figures["new_models"], figures["activities"], figures["participants"]) == (
        4,
        1,
        1,
        9,
    )


def test_figures_of_a_province_for_a_user_of_one_commune(people, models):
    ModelActivityFactory(prevention_model=models["in_b"], date=D(2025, 3, 10), participants_count=40)
    ModelActivityFactory(prevention_model=models["active"], date=D(2025, 3, 10), participants_count=10)
    figures = services.model_figures(people.province, D(2025, 1, 1), DAY, user=people.officer_a)
    assert (figures["activities"], figures["participants"]) == (1, 10)


def test_the_figures_take_a_constant_number_of_queries(people):
    def run():
        services.active_models(people.province, DAY)
        services.model_figures(people.province, D(2025, 1, 1), DAY, user=people.province_officer)

    run()  # warm the scope cache of the user's memberships
    few = count_queries(run)
    for unit in (people.commune_a, people.commune_b):
        for _n in range(5):
            ModelActivityFactory.in_unit(unit)
    assert count_queries(run) == few <= 4
