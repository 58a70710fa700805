"""The national data set builder at a tiny scale, and `manage.py bench` (refused on SQLite, measured on
PostgreSQL)."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lanhmanh.benchmarks.national import Sizes, build

TWO_YEARS = (datetime.date(2025, 1, 1), datetime.date(2026, 12, 31))


@pytest.fixture
def tree(db):
    """The nation, two provinces of three communes each (real codes), built as load_admin_units would."""
    from lanhmanh.geo.models import AdminUnit

    nation = AdminUnit.objects.create(code="VN", name="Việt Nam", level=AdminUnit.Level.NATION)
    for province_code, communes in (("01", ["00004", "00008", "00025"]), ("04", ["01273", "01279", "01288"])):
        province = AdminUnit.objects.create(code=province_code, name=f"Tỉnh {province_code}", parent=nation,
                                            level=AdminUnit.Level.PROVINCE)
        for n, code in enumerate(communes):
            AdminUnit.objects.create(code=code, name=f"Xã {code}", parent=province, kind="phường" if n else "xã",
                                     level=AdminUnit.Level.COMMUNE, valid_from=datetime.date(2025, 7, 1))
    return nation


def test_tiny_data_set_has_the_requested_rows_and_they_are_valid(tree):
    from lanhmanh.businesses.models import Business, Commitment
    from lanhmanh.community.models import PreventionModel
    from lanhmanh.enforcement.models import EnforcementCase
    from lanhmanh.inspections.models import InspectionSession, InspectionVisit
    from lanhmanh.outreach.models import CommunicationActivity, TargetPopulation
    from lanhmanh.support.models import Consent, NeedsAssessment, ServiceDelivery, SupportClient
    from lanhmanh.tips.models import Tip
    from lanhmanh.training.models import StaffCount, Training, TrainingParticipantGroup

    sizes = Sizes.tiny()
    lines = []
    counts = build(sizes, seed=7, log=lines.append)
    assert lines[-1].startswith("national: done in")
    assert Business.objects.count() == sizes.businesses
    assert InspectionSession.objects.count() == sizes.sessions
    assert InspectionVisit.objects.count() == sizes.visits
    assert Tip.objects.count() == sizes.tips and Tip.objects.filter(duplicate_of__isnull=False).exists()
    assert EnforcementCase.objects.count() == sizes.cases
    assert CommunicationActivity.objects.count() == sizes.activities
    assert SupportClient.objects.count() == sizes.clients
    assert ServiceDelivery.objects.count() == sizes.services
    assert counts["businesses"] == sizes.businesses and counts["inspection visits"] == sizes.visits
    # The rows satisfy their model's rules (clean(), field validation, constraints): a sample of each kind.
    for model in (Business, Commitment, InspectionSession, InspectionVisit, Tip, EnforcementCase,
                  CommunicationActivity, TargetPopulation, Training, TrainingParticipantGroup, StaffCount,
                  PreventionModel, SupportClient, Consent, NeedsAssessment, ServiceDelivery):
        for row in model.objects.order_by("?")[:6]:
            row.full_clean()
    for visit in InspectionVisit.objects.select_related("session", "business"):
        assert visit.visited_on == visit.session.date and visit.unit_id == visit.business.unit_id
    for tip in Tip.objects.all():
        assert tip.deadline is not None and (tip.concluded_on is None or tip.concluded_on >= tip.received_on)
    assert not any(c.full_name or c.phone or c.id_number or c.address or c.date_of_birth
                   for c in SupportClient.objects.all())


def test_every_indicator_has_values(tree):
    from lanhmanh.indicators import engine, periods
    from lanhmanh.indicators.registry import registry

    build(Sizes.tiny(), seed=7)
    codes = [i.code for i in registry.all()]
    result = engine.compute(codes, tree, periods.custom(*TWO_YEARS), by="children")
    empty = [code for code in codes if not any(v.value for v in result if v.indicator.code == code)]
    assert empty == []


def test_the_engine_needs_as_many_queries_for_twice_the_data(tree):
    from lanhmanh.indicators import engine, periods
    from lanhmanh.indicators.registry import registry

    codes = [i.code for i in registry.all()]
    period = periods.year(2026)
    build(Sizes.tiny(), seed=1)
    with CaptureQueriesContext(connection) as small:
        engine.compute(codes, tree, period, by="children")
    build(Sizes.tiny(), seed=2)
    with CaptureQueriesContext(connection) as large:
        engine.compute(codes, tree, period, by="children")
    assert len(small.captured_queries) == len(large.captured_queries)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the refusal is for SQLite")
def test_bench_refuses_sqlite(db):
    with pytest.raises(CommandError, match="PostgreSQL only"):
        call_command("bench")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bench measures PostgreSQL")
def test_bench_refuses_without_the_national_data_set(tree):
    with pytest.raises(CommandError, match="national data set is missing"):
        call_command("bench")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="bench measures PostgreSQL")
def test_bench_prints_json_figures_and_the_hand_sql_equals_the_engine(tree):
    from lanhmanh.benchmarks import handsql
    from lanhmanh.core.models import SeedRun
    from lanhmanh.indicators import engine, periods

    build(Sizes.tiny(), seed=3)
    SeedRun.objects.create(scale="national", seed=3)
    period = periods.year(2026)
    result = engine.compute(handsql.CODES, tree, period, by="children")
    sql = handsql.compute(tree, period)
    assert sql and handsql.differences(handsql.from_engine(result), sql) == []

    out = io.StringIO()
    call_command("bench", repeat=1, stdout=out)
    figures = {line["figure"]: line for line in map(json.loads, out.getvalue().splitlines())}
    assert {"nation_by_province", "nation_by_commune", "commune_dashboard", "hand_sql_5", "engine_5",
            "engine_vs_sql", "engine_query_counts"} <= set(figures)
    assert figures["nation_by_province"]["queries"] == figures["nation_by_commune"]["queries"]
    assert figures["hand_sql_5"]["equal_to_engine"] is True and figures["engine_vs_sql"]["equal"] is True
    assert figures["engine_query_counts"]["ok"] is True
    assert "median_ms" in figures["nation_by_province"] and "ratio" in figures["engine_vs_sql"]
    assert figures["commune_dashboard"]["status"] == 200
    # Reports drafted and rendered, and none kept.
    from lanhmanh.reporting.models import Report

    assert figures["commune_report_docx"]["bytes"] > 0 and figures["province_report_docx"]["bytes"] > 0
    assert "xã, phường đã nộp báo cáo" in figures["province_report_docx"]["completeness"]
    assert not Report.objects.exists()
    # The officer the dashboard was measured as is gone, with its membership.
    from lanhmanh.accounts.models import Membership, User
    from lanhmanh.benchmarks.management.commands.bench import BENCH_USER

    assert not User.objects.filter(username=BENCH_USER).exists()
    assert not Membership.objects.filter(user__username=BENCH_USER).exists()


def test_the_bench_user_is_a_commune_officer_that_leaves_nothing_behind(tree):
    from lanhmanh.accounts.models import Membership, User
    from lanhmanh.accounts.roles import Role
    from lanhmanh.benchmarks.management.commands.bench import BENCH_USER, bench_user
    from lanhmanh.geo.models import AdminUnit

    commune = AdminUnit.objects.get(code="00004")
    # One left by an earlier version of the command, which kept it.
    old = User.objects.create(username=BENCH_USER, full_name="Cán bộ xã (benchmark)", position="Benchmark")
    Membership.objects.create(user=old, unit=AdminUnit.objects.get(code="01273"), role=Role.PROGRAMME_OFFICER)
    users = User.objects.count()
    with bench_user(commune) as user:
        assert user.username == BENCH_USER and user.pk != old.pk
        assert list(user.memberships.values_list("unit__code", "role")) == [("00004", Role.PROGRAMME_OFFICER)]
    assert not User.objects.filter(username=BENCH_USER).exists()
    assert not Membership.objects.filter(user__username=BENCH_USER).exists()
    assert User.objects.count() == users - 1

    # Also when the measurement fails.
    with pytest.raises(RuntimeError), bench_user(commune):
        raise RuntimeError
    assert not User.objects.filter(username=BENCH_USER).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the hand-written SQL is PostgreSQL's")
def test_the_hand_sql_equals_the_engine_on_tips_without_deadline_and_units_no_longer_current(people):
    """Tips of a kind without a deadline are never due; an activity of a commune dissolved in the reorganisation
    counts for the province but in no child's row. Both ways give the same numbers."""
    from lanhmanh.benchmarks import handsql
    from lanhmanh.geo.tests.factories import AdminUnitFactory
    from lanhmanh.indicators import engine, periods
    from lanhmanh.outreach.tests.factories import CommunicationActivityFactory
    from lanhmanh.tips.models import Tip
    from lanhmanh.tips.tests.factories import TipFactory

    day = datetime.date(2026, 3, 10)
    for deadline, concluded in ((None, datetime.date(2026, 3, 12)),
                                (datetime.date(2026, 3, 20), datetime.date(2026, 3, 15))):
        tip = TipFactory(unit=people.commune_a, received_at=datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC))
        Tip.objects.filter(pk=tip.pk).update(deadline=deadline, concluded_on=concluded)  # by hand, as in the engine's
    dissolved = AdminUnitFactory(code="11400", parent=people.province, valid_to=datetime.date(2025, 6, 30))
    CommunicationActivityFactory(unit=dissolved, held_on=day)
    CommunicationActivityFactory(unit=people.commune_b, held_on=day)
    period = periods.year(2026)
    result = engine.compute(handsql.CODES, people.province, period, by="children")
    sql = handsql.compute(people.province, period)
    assert handsql.differences(handsql.from_engine(result), sql) == []
    assert sql[("TIPS_ON_TIME_PCT", people.commune_a.path)] == (1, 1)
    assert engine.compute(["COMM_ACTIVITIES"], people.province, period).get("COMM_ACTIVITIES").numerator == 2
