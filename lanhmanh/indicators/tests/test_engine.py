"""Every required indicator against a small world counted by hand.

Province 31 with communes A (11311, keeps records) and B (11329, keeps records, but reports its 2026 inspections as
monthly aggregates). The year is 2026 unless said otherwise; each fixture says what it adds and why."""

import datetime

import pytest

from lanhmanh.budget.tests.factories import BudgetAllocationFactory, ExpenditureFactory
from lanhmanh.businesses.models import Business
from lanhmanh.businesses.tests.factories import BusinessFactory, CommitmentFactory
from lanhmanh.community.models import ModelStatus
from lanhmanh.community.tests.factories import PreventionModelFactory
from lanhmanh.core.testing import count_queries
from lanhmanh.enforcement.models import CaseType
from lanhmanh.enforcement.tests.factories import EnforcementCaseFactory
from lanhmanh.geo.tests.factories import AdminUnitFactory, ResidentialGroupFactory
from lanhmanh.indicators import engine, periods
from lanhmanh.indicators.models import AggregateDeclaration, AggregateValue
from lanhmanh.indicators.registry import registry
from lanhmanh.inspections.models import InspectionVisit
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, InspectionVisitFactory, TeamFactory
from lanhmanh.outreach.models import TargetGroup
from lanhmanh.outreach.tests.factories import CommunicationActivityFactory, TargetPopulationFactory
from lanhmanh.support.models import ServiceOutcome
from lanhmanh.support.tests.factories import NeedsAssessmentFactory, ServiceDeliveryFactory, SupportClientFactory
from lanhmanh.tips.models import Tip
from lanhmanh.tips.tests.factories import TipFactory
from lanhmanh.training.tests.factories import StaffCountFactory, TrainingFactory, TrainingParticipantGroupFactory

YEAR = periods.year(2026)
D = datetime.date

REQUIRED = """BUS_MANAGED BUS_COMMITMENT_PCT BUS_REVIEWED_PCT INSP_SESSIONS INSP_VISITS INSP_COVERAGE_PCT INSP_REMINDERS
INSP_SUSPENSIONS INSP_FINES_VND TIPS_RECEIVED TIPS_ON_TIME_PCT CASES_CRIMINAL PEOPLE_ARRESTED PEOPLE_PROSECUTED
PEOPLE_FINED_ADMIN COMM_ACTIVITIES COMM_PARTICIPANTS COMM_COMMUNES_PCT COMM_RESGROUPS_PCT REACH_STUDENTS_PCT
REACH_RISK_WORKERS_PCT REACH_IZ_WORKERS_PCT STAFF_TRAINED_PCT MODELS_ACTIVE SUPPORT_IN_NEED SUPPORT_REACHED_PCT
BUDGET_ALLOCATED_VND BUDGET_SPENT_VND BUDGET_EXECUTION_PCT""".split()


def values(codes, unit, period=YEAR, by=None, user=None):
    """{code: (numerator, denominator, value)} — or {(unit code, code): …} for a breakdown."""
    result = engine.compute(codes, unit, period, by=by, user=user)
    if by is None:
        return {v.indicator.code: (v.numerator, v.denominator, v.value) for v in result}
    if by == "month":
        return {(v.period.start.month, v.indicator.code): v.value for v in result}
    return {(v.unit.code, v.indicator.code): (v.numerator, v.denominator, v.value) for v in result}


@pytest.fixture
def businesses(people):
    a, b = people.commune_a, people.commune_b
    return {
        # A: b1 and b2 under management all year, b3 closed on 01/05 (managed in Q1, not at the year end),
        # b4 not subject to management. B: b5.
        "b1": BusinessFactory(unit=a, opened_on=D(2025, 1, 1), last_reviewed_on=D(2026, 3, 1)),
        "b2": BusinessFactory(unit=a, opened_on=D(2026, 2, 1)),
        "b3": BusinessFactory(unit=a, opened_on=D(2024, 1, 1), status=Business.Status.CLOSED,
                              status_since=D(2026, 5, 1)),
        "b4": BusinessFactory(unit=a, opened_on=D(2024, 1, 1), subject_to_management=False),
        "b5": BusinessFactory(unit=b, opened_on=D(2025, 6, 1), last_reviewed_on=D(2025, 11, 1)),
    }


def test_every_required_indicator_is_registered():
    assert set(REQUIRED) <= set(registry.indicators)
    for code in REQUIRED:
        indicator = registry.get(code)
        assert indicator.name and indicator.name_en and indicator.measure in ("count", "percent", "vnd")


def test_businesses_stock_at_the_period_end(people, businesses):
    CommitmentFactory(business=businesses["b1"], signed_on=D(2026, 1, 15), valid_until=D(2026, 12, 31))
    CommitmentFactory(business=businesses["b2"], signed_on=D(2026, 2, 1), valid_until=D(2026, 6, 30))
    CommitmentFactory(business=businesses["b5"], signed_on=D(2025, 7, 1), valid_until=D(2027, 6, 30))
    codes = ["BUS_MANAGED", "BUS_COMMITMENT_PCT", "BUS_REVIEWED_PCT"]

    year = values(codes, people.province)
    assert year["BUS_MANAGED"] == (3, None, 3)  # b1, b2, b5 (b3 closed before 31/12)
    assert year["BUS_COMMITMENT_PCT"] == (2, 3, pytest.approx(66.667, abs=0.01))  # b2's ended on 30/06
    assert year["BUS_REVIEWED_PCT"] == (1, 3, pytest.approx(33.333, abs=0.01))  # b1 reviewed in 2026

    first_quarter = values(codes, people.province, periods.quarter(2026, 1))
    assert first_quarter["BUS_MANAGED"][0] == 4  # b3 still open on 31/03
    assert first_quarter["BUS_COMMITMENT_PCT"][:2] == (3, 4)  # b2's commitment valid on 31/03

    by_child = values(codes, people.province, by="children")
    assert by_child[("11311", "BUS_MANAGED")][0] == 2
    assert by_child[("11329", "BUS_MANAGED")][0] == 1
    assert by_child[("11329", "BUS_REVIEWED_PCT")] == (0, 1, 0)


@pytest.fixture
def inspections(people, businesses):
    """A: sessions 10/03 (b1 reminder; b2 suspended and fined 5 000 000) and 01/07 (b1 again). B: a 2025 session,
    and a 2026 one that B's aggregates replace; B entered sessions 4 + 1, visits 10 + 2, 1 business visited."""
    team_a = TeamFactory(unit=people.commune_a)
    team_b = TeamFactory(unit=people.commune_b)
    march = InspectionSessionFactory(team=team_a, date=D(2026, 3, 10))
    july = InspectionSessionFactory(team=team_a, date=D(2026, 7, 1))
    InspectionVisitFactory(session=march, business=businesses["b1"], visited_on=D(2026, 3, 10),
                           outcome=InspectionVisit.Outcome.REMINDER)
    InspectionVisitFactory(session=march, business=businesses["b2"], visited_on=D(2026, 3, 10),
                           suspended_from=D(2026, 3, 11), sanction_stage=InspectionVisit.SanctionStage.APPLIED,
                           fine_amount=5_000_000)
    InspectionVisitFactory(session=july, business=businesses["b1"], visited_on=D(2026, 7, 1))
    old = InspectionSessionFactory(team=team_b, date=D(2025, 12, 20))
    InspectionVisitFactory(session=old, business=businesses["b5"], visited_on=D(2025, 12, 20))
    ignored = InspectionSessionFactory(team=team_b, date=D(2026, 4, 1))
    InspectionVisitFactory(session=ignored, business=businesses["b5"], visited_on=D(2026, 4, 1),
                           outcome=InspectionVisit.Outcome.REMINDER)
    declaration = AggregateDeclaration.objects.create(unit=people.commune_b, module="inspections", year=2026)
    for measure, month, value in [("inspections.sessions", 1, 4), ("inspections.sessions", 2, 1),
                                  ("inspections.visits", 1, 10), ("inspections.visits", 2, 2),
                                  ("inspections.businesses_visited", 1, 1)]:
        AggregateValue.objects.create(declaration=declaration, measure=measure, month=month, value=value)


INSPECTION_CODES = ["INSP_SESSIONS", "INSP_VISITS", "INSP_COVERAGE_PCT", "INSP_REMINDERS", "INSP_SUSPENSIONS",
                    "INSP_FINES_VND"]


def test_inspections_with_a_unit_in_aggregate_mode(people, inspections):
    year = values(INSPECTION_CODES, people.province)
    assert year["INSP_SESSIONS"][2] == 2 + 5  # A's records + B's aggregates; B's 2026 session not counted twice
    assert year["INSP_VISITS"][2] == 3 + 12
    assert year["INSP_COVERAGE_PCT"] == (3, 3, 100)  # b1, b2 visited; B entered one business
    assert year["INSP_REMINDERS"][2] == 1  # B's reminder lies in its ignored records
    assert year["INSP_SUSPENSIONS"][2] == 1
    assert year["INSP_FINES_VND"][2] == 5_000_000

    by_child = values(INSPECTION_CODES, people.province, by="children")
    assert by_child[("11311", "INSP_SESSIONS")][2] == 2
    assert by_child[("11329", "INSP_SESSIONS")][2] == 5
    assert by_child[("11311", "INSP_COVERAGE_PCT")] == (2, 2, 100)
    assert by_child[("11329", "INSP_VISITS")][2] == 12

    by_month = values(["INSP_SESSIONS", "INSP_VISITS"], people.province, by="month")
    assert [by_month[(m, "INSP_SESSIONS")] for m in range(1, 13)] == [4, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0]
    assert by_month[(1, "INSP_VISITS")] == 10
    assert by_month[(3, "INSP_VISITS")] == 2

    # In 2025 B kept records: its December session counts.
    assert values(["INSP_SESSIONS"], people.province, periods.year(2025))["INSP_SESSIONS"][2] == 1


def test_aggregates_follow_the_months_of_a_cutoff_window(people, inspections):
    # 15/12/2025–14/03/2026 holds the reporting months 12/2025, 01, 02 and 03/2026 (each holds its 14th).
    window = periods.cutoff_quarter(2026, 1)
    year = values(["INSP_SESSIONS"], people.province, window)
    assert year["INSP_SESSIONS"][2] == 1 + 5  # A's session of 10/03 and B's January and February aggregates


@pytest.fixture
def tips(people):
    """A: on time; concluded late; still open past its deadline; received 20/12, within its deadline at 31/12; one
    without a deadline.
    B: none. Deadlines are set by hand so the counts don't depend on the deadline rules."""

    def tip(received, deadline, concluded=None, unit=people.commune_a):
        made = TipFactory(unit=unit, received_at=datetime.datetime(received.year, received.month, received.day, 9,
                                                                   tzinfo=datetime.UTC))
        Tip.objects.filter(pk=made.pk).update(deadline=deadline, concluded_on=concluded)
        return made

    tip(D(2026, 3, 2), D(2026, 3, 22), D(2026, 3, 20))
    tip(D(2026, 4, 1), D(2026, 4, 21), D(2026, 5, 1))
    tip(D(2026, 6, 1), D(2026, 6, 21))
    tip(D(2026, 12, 20), D(2027, 1, 9))
    tip(D(2026, 5, 5), None, D(2026, 5, 6))  # a kind without a deadline rule: received, never judged


def test_tips_on_time_and_a_zero_denominator(people, tips):
    year = values(["TIPS_RECEIVED", "TIPS_ON_TIME_PCT"], people.province)
    assert year["TIPS_RECEIVED"][2] == 5
    assert year["TIPS_ON_TIME_PCT"] == (1, 3, pytest.approx(33.333, abs=0.01))

    by_child = values(["TIPS_ON_TIME_PCT"], people.province, by="children")
    assert by_child[("11329", "TIPS_ON_TIME_PCT")][2] is None  # no tip judged: "no data", not 0

    december = values(["TIPS_ON_TIME_PCT"], people.province, periods.month(2026, 12))
    assert december["TIPS_ON_TIME_PCT"] == (0, 0, None)  # one tip received, still within its deadline
    # At 15/04 the April tip was open within its deadline (21/04): not yet judged; at 30/04 it was overdue.
    early = values(["TIPS_ON_TIME_PCT"], people.province, periods.custom(D(2026, 1, 1), D(2026, 4, 15)))
    assert early["TIPS_ON_TIME_PCT"][:2] == (1, 1)
    later = values(["TIPS_ON_TIME_PCT"], people.province, periods.custom(D(2026, 1, 1), D(2026, 4, 30)))
    assert later["TIPS_ON_TIME_PCT"][:2] == (1, 2)


def test_enforcement(people):
    EnforcementCaseFactory(unit=people.commune_a, case_type=CaseType.CRIMINAL, detected_on=D(2026, 3, 10),
                           people_arrested=3, people_prosecuted=2, people_fined_admin=0, fines_total=0)
    EnforcementCaseFactory(unit=people.commune_a, detected_on=D(2026, 5, 10), people_fined_admin=4)
    EnforcementCaseFactory(unit=people.commune_b, case_type=CaseType.CRIMINAL, detected_on=D(2025, 10, 1),
                           people_arrested=5, people_fined_admin=0, fines_total=0)
    year = values(["CASES_CRIMINAL", "PEOPLE_ARRESTED", "PEOPLE_PROSECUTED", "PEOPLE_FINED_ADMIN"], people.province)
    assert {code: v[2] for code, v in year.items()} == {
        "CASES_CRIMINAL": 1, "PEOPLE_ARRESTED": 3, "PEOPLE_PROSECUTED": 2, "PEOPLE_FINED_ADMIN": 4}


def test_communication_coverage_and_reach(people):
    a, b = people.commune_a, people.commune_b
    g1 = ResidentialGroupFactory(parent=a)
    ResidentialGroupFactory(parent=a)
    ResidentialGroupFactory(parent=b)
    CommunicationActivityFactory(unit=a, residential_group=g1, held_on=D(2026, 3, 10),
                                 audiences=[(TargetGroup.STUDENTS, 100), (TargetGroup.RISK_WORKERS, 10)])
    CommunicationActivityFactory(unit=people.province, held_on=D(2026, 2, 1), audiences=[(TargetGroup.RESIDENTS, 300)])
    CommunicationActivityFactory(unit=b, held_on=D(2025, 8, 1), audiences=[(TargetGroup.IZ_WORKERS, 50)])
    # The province's figure includes A's, which is therefore ignored.
    TargetPopulationFactory(unit=people.province, year=2026, students=1000, iz_workers=500, risk_workers=None)
    TargetPopulationFactory(unit=a, year=2026, students=400, iz_workers=None, risk_workers=None)
    codes = ["COMM_ACTIVITIES", "COMM_PARTICIPANTS", "COMM_COMMUNES_PCT", "COMM_RESGROUPS_PCT", "REACH_STUDENTS_PCT",
             "REACH_RISK_WORKERS_PCT", "REACH_IZ_WORKERS_PCT"]

    year = values(codes, people.province)
    assert year["COMM_ACTIVITIES"][2] == 2
    assert year["COMM_PARTICIPANTS"][2] == 410
    assert year["COMM_COMMUNES_PCT"] == (1, 2, 50)  # A only: B's activity was in 2025
    assert year["COMM_RESGROUPS_PCT"] == (1, 3, pytest.approx(33.333, abs=0.01))
    assert year["REACH_STUDENTS_PCT"] == (100, 1000, 10)
    assert year["REACH_RISK_WORKERS_PCT"] == (10, None, None)  # no population recorded: no data
    assert year["REACH_IZ_WORKERS_PCT"] == (0, 500, 0)

    by_child = values(codes, people.province, by="children")
    assert by_child[("11311", "REACH_STUDENTS_PCT")] == (100, 400, 25)  # A's own figure within A
    assert by_child[("11311", "COMM_COMMUNES_PCT")] == (1, 1, 100)
    assert by_child[("11329", "COMM_COMMUNES_PCT")] == (0, 1, 0)
    assert by_child[("31", "COMM_ACTIVITIES")][2] == 1  # the province's own campaign, shown as its own row


def test_communes_in_aggregate_mode_count_as_active_when_they_entered_activities(people):
    CommunicationActivityFactory(unit=people.commune_a, held_on=D(2026, 3, 10))
    declaration = AggregateDeclaration.objects.create(unit=people.commune_b, module="outreach", year=2026)
    AggregateValue.objects.create(declaration=declaration, measure="outreach.activities", month=5, value=3)
    AggregateValue.objects.create(declaration=declaration, measure="outreach.participants", month=5, value=120)
    year = values(["COMM_ACTIVITIES", "COMM_PARTICIPANTS", "COMM_COMMUNES_PCT"], people.province)
    assert year["COMM_ACTIVITIES"][2] == 4
    assert year["COMM_PARTICIPANTS"][2] == 40 + 120
    assert year["COMM_COMMUNES_PCT"] == (2, 2, 100)
    assert values(["COMM_COMMUNES_PCT"], people.province, periods.half(2026, 1))["COMM_COMMUNES_PCT"][:2] == (2, 2)
    assert values(["COMM_COMMUNES_PCT"], people.province, periods.quarter(2026, 1))["COMM_COMMUNES_PCT"][:2] == (1, 2)


def test_staff_trained(people):
    training = TrainingFactory(unit=people.province, starts_on=D(2026, 3, 10))
    TrainingParticipantGroupFactory(training=training, participant_unit=people.commune_a, programme_staff=5)
    TrainingParticipantGroupFactory(training=training, participant_unit=people.province, programme_staff=4)
    StaffCountFactory(unit=people.commune_a, year=2026, staff=10)
    StaffCountFactory(unit=people.province, year=2026, staff=20)
    StaffCountFactory(unit=people.province, year=2025, staff=99)
    assert values(["STAFF_TRAINED_PCT"], people.province)["STAFF_TRAINED_PCT"] == (9, 30, 30)
    by_child = values(["STAFF_TRAINED_PCT"], people.province, by="children")
    assert by_child[("11311", "STAFF_TRAINED_PCT")] == (5, 10, 50)
    assert by_child[("11329", "STAFF_TRAINED_PCT")] == (0, None, None)


def test_models_active_is_a_stock(people):
    PreventionModelFactory(unit=people.commune_a, established_on=D(2024, 1, 15))
    PreventionModelFactory(unit=people.commune_b, established_on=D(2026, 9, 1))
    PreventionModelFactory(unit=people.commune_a, established_on=D(2024, 1, 15), status=ModelStatus.DISSOLVED,
                           dissolved_on=D(2026, 5, 1))
    assert values(["MODELS_ACTIVE"], people.province)["MODELS_ACTIVE"][2] == 2
    assert values(["MODELS_ACTIVE"], people.province, periods.half(2026, 1))["MODELS_ACTIVE"][2] == 1
    assert values(["MODELS_ACTIVE"], people.province, periods.quarter(2026, 1))["MODELS_ACTIVE"][2] == 2


def test_budget(people):
    BudgetAllocationFactory(unit=people.commune_a, year=2026, amount=100_000_000)
    BudgetAllocationFactory(unit=people.province, year=2026, amount=200_000_000)
    BudgetAllocationFactory(unit=people.commune_a, year=2025, amount=50_000_000)
    ExpenditureFactory(unit=people.commune_a, spent_on=D(2026, 3, 10), amount=30_000_000)
    ExpenditureFactory(unit=people.province, spent_on=D(2026, 6, 1), amount=60_000_000)
    ExpenditureFactory(unit=people.province, spent_on=D(2025, 6, 1), amount=7_000_000)
    year = values(["BUDGET_ALLOCATED_VND", "BUDGET_SPENT_VND", "BUDGET_EXECUTION_PCT"], people.province)
    assert year["BUDGET_ALLOCATED_VND"][2] == 300_000_000
    assert year["BUDGET_SPENT_VND"][2] == 90_000_000
    assert year["BUDGET_EXECUTION_PCT"] == (90_000_000, 300_000_000, 30)
    # The commune B has neither: no data, not 0%.
    by_child = values(["BUDGET_EXECUTION_PCT"], people.province, by="children")
    assert by_child[("11329", "BUDGET_EXECUTION_PCT")] == (0, None, None)


def test_support(people):
    a = people.commune_a
    reached = SupportClientFactory(unit=a)
    NeedsAssessmentFactory(client=reached, assessed_on=D(2026, 1, 15))
    ServiceDeliveryFactory(client=reached, delivered_on=D(2026, 1, 20), outcome=ServiceOutcome.RECEIVED)
    waiting = SupportClientFactory(unit=a)
    NeedsAssessmentFactory(client=waiting, assessed_on=D(2026, 2, 1))
    no_needs = SupportClientFactory(unit=a)
    NeedsAssessmentFactory(client=no_needs, assessed_on=D(2026, 2, 1), needs=[])
    ServiceDeliveryFactory(client=no_needs, delivered_on=D(2026, 2, 2))
    year = values(["SUPPORT_IN_NEED", "SUPPORT_REACHED_PCT"], people.province)
    assert year["SUPPORT_IN_NEED"][2] == 2
    assert year["SUPPORT_REACHED_PCT"] == (1, 2, 50)


def test_a_ratio_sums_numerators_and_denominators_never_averages(people, businesses):
    # A: 1 of 2 reviewed (50%); B: 0 of 1 (0%). The province is 1/3, not the mean 25%.
    value = values(["BUS_REVIEWED_PCT"], people.province)["BUS_REVIEWED_PCT"]
    assert value == (1, 3, pytest.approx(33.333, abs=0.01))


def test_the_user_sees_only_their_subtree(people, businesses):
    mine = values(["BUS_MANAGED"], people.province, user=people.officer_a)
    assert mine["BUS_MANAGED"][2] == 2
    assert values(["BUS_MANAGED"], people.province, user=people.nobody)["BUS_MANAGED"][2] == 0


def test_by_communes_from_the_nation(people, businesses):
    result = values(["BUS_MANAGED"], people.nation, by="communes")
    assert result[("11311", "BUS_MANAGED")][2] == 2
    assert result[("11329", "BUS_MANAGED")][2] == 1


def test_the_number_of_queries_does_not_grow_with_units_and_rows(people, businesses, inspections, tips):
    def run():
        engine.compute(REQUIRED, people.nation, YEAR, by="children")
        engine.compute(REQUIRED, people.province, YEAR, by="children")
        engine.compute(REQUIRED, people.province, YEAR, by="month")
        engine.compute(REQUIRED, people.nation, YEAR, by="communes")

    before = count_queries(run)
    for n in range(4):
        commune = AdminUnitFactory(parent=people.province, code=f"1190{n}")
        business = BusinessFactory(unit=commune, opened_on=D(2025, 1, 1))
        InspectionVisitFactory(session=InspectionSessionFactory(team=TeamFactory(unit=commune)), business=business)
        TipFactory(unit=commune)
        CommunicationActivityFactory(unit=commune)
        AggregateDeclaration.objects.create(unit=commune, module="tips", year=2026)
    province2 = AdminUnitFactory(parent=people.nation, code="33", level=people.province.level)
    AdminUnitFactory(parent=province2, code="12001")
    assert count_queries(run) == before
    # All 29 indicators for one subtree in a bounded number of queries (one per source, plus a few).
    assert count_queries(lambda: engine.compute(REQUIRED, people.province, YEAR)) <= 25


def test_change_against_last_year(people):
    EnforcementCaseFactory(unit=people.commune_a, detected_on=D(2025, 3, 10), people_fined_admin=4)
    EnforcementCaseFactory(unit=people.commune_a, detected_on=D(2026, 3, 10), people_fined_admin=5)
    current, previous = engine.compare(["PEOPLE_FINED_ADMIN"], people.province, YEAR)
    assert (current.get("PEOPLE_FINED_ADMIN").value, previous.get("PEOPLE_FINED_ADMIN").value) == (5, 4)
    assert engine.change_percent(5, 4) == 25
    assert engine.change_percent(5, 0) is None


def test_a_period_across_the_year_end_excludes_each_years_records_by_that_years_declaration(people, inspections):
    # B reports 2026 as aggregates but kept records in 2025: its 20/12/2025 session counts, its 01/04/2026 one
    # does not (the 2026 aggregates stand for it).
    period = periods.custom(D(2025, 7, 1), D(2026, 6, 30))
    assert values(["INSP_SESSIONS"], people.province, period)["INSP_SESSIONS"][2] == 1 + 1 + 5
    AggregateDeclaration.objects.create(unit=people.commune_b, module="inspections", year=2025)
    assert values(["INSP_SESSIONS"], people.province, period)["INSP_SESSIONS"][2] == 1 + 5


def test_stocks_in_aggregate_mode_are_each_units_latest_figure(people):
    for unit, entries in ((people.commune_a, [(3, 10), (12, 12)]), (people.commune_b, [(11, 7)])):
        declaration = AggregateDeclaration.objects.create(unit=unit, module="businesses", year=2026)
        for month, value in entries:
            AggregateValue.objects.create(declaration=declaration, measure="businesses.managed", month=month,
                                          value=value)
    assert values(["BUS_MANAGED"], people.province)["BUS_MANAGED"][2] == 12 + 7
    by_child = values(["BUS_MANAGED"], people.province, by="children")
    assert (by_child[("11311", "BUS_MANAGED")][2], by_child[("11329", "BUS_MANAGED")][2]) == (12, 7)
    # At the end of June, A's latest figure is March's; B had none yet.
    assert values(["BUS_MANAGED"], people.province, periods.quarter(2026, 2))["BUS_MANAGED"][2] == 10
    by_month = values(["BUS_MANAGED"], people.province, by="month")
    assert [by_month[(m, "BUS_MANAGED")] for m in (2, 3, 6, 11, 12)] == [0, 10, 10, 17, 19]


def test_nothing_recorded_is_a_zero_count_but_no_data_for_a_rate_or_an_unentered_figure(people):
    """No tip at all: 0 tips due (a count), so the on-time rate has no data; no allocation: the budget execution
    rate's denominator is missing, not 0. The same for the whole unit, each child and each month."""
    codes = ["TIPS_ON_TIME_PCT", "BUDGET_EXECUTION_PCT", "REACH_STUDENTS_PCT"]
    whole = values(codes, people.province)
    assert whole == {"TIPS_ON_TIME_PCT": (0, 0, None), "BUDGET_EXECUTION_PCT": (0, None, None),
                     "REACH_STUDENTS_PCT": (0, None, None)}
    children = values(codes, people.province, by="children")
    assert children[("11311", "TIPS_ON_TIME_PCT")] == (0, 0, None)
    assert children[("11311", "BUDGET_EXECUTION_PCT")] == (0, None, None)
    months = engine.compute(["TIPS_ON_TIME_PCT"], people.province, YEAR, by="month")
    assert {(v.numerator, v.denominator, v.value) for v in months} == {(0, 0, None)}
    assert values(codes, people.province, user=people.nobody)["TIPS_ON_TIME_PCT"] == (0, 0, None)


def test_a_custom_measure_can_need_only_per_unit_flows(people):
    from lanhmanh.indicators.registry import Indicator, Measure
    from lanhmanh.outreach.indicators import groups

    odd = Measure("test.needs_a_stock", "x", None, compute=lambda ctx: {}, needs=(groups,))
    registry.indicator(Indicator("TEST_NEEDS_STOCK", "x", "x", "count", odd))
    try:
        with pytest.raises(ValueError, match="has no values per unit"):
            engine.compute(["TEST_NEEDS_STOCK"], people.province, YEAR)
    finally:
        registry.indicators.pop("TEST_NEEDS_STOCK")
        registry.measures.pop("test.needs_a_stock")
