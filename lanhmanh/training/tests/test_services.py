"""The training figures and the staff-trained percentage, including their "no data" cases."""

import datetime

import pytest

from lanhmanh.core.testing import count_queries
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory, AgencyFactory
from lanhmanh.training import services
from lanhmanh.training.models import Training, TrainingParticipantGroup
from lanhmanh.training.tests.factories import StaffCountFactory, TrainingFactory

D = datetime.date
TODAY = D(2026, 11, 25)
YEAR = 2026


MARCH = D(2026, 3, 10)


def course(unit, starts_on=MARCH, groups=(), user=None):
    """A course saved through the service, with groups given as (participant unit or agency, people, staff)."""
    training = Training(unit=unit, title="Tập huấn nghiệp vụ", starts_on=starts_on)
    rows = []
    for where, people_count, staff in groups:
        kwargs = {"agency": where} if hasattr(where, "agency_type_id") else {"participant_unit": where}
        rows.append(TrainingParticipantGroup(**kwargs, participants=people_count, programme_staff=staff))
    return services.training_save(training=training, groups=rows, user=user)


def test_the_service_keeps_the_courses_totals(people):
    training = course(people.commune_a, groups=[(people.commune_a, 12, 4), (people.commune_a, 8, 3)])
    training.refresh_from_db()
    assert (training.participants_total, training.programme_staff_total) == (20, 7)
    first = training.participant_groups.first()
    first.participants = 2
    first.programme_staff = 1
    services.training_save(training=training, groups=[first], user=None, expected_version=training.version)
    training.refresh_from_db()
    assert (training.participants_total, training.programme_staff_total, training.version) == (10, 4, 2)


def test_training_figures_count_held_courses_by_level(people):
    course(people.province, groups=[(people.province, 30, 10), (people.commune_a, 2, 2)])
    course(people.commune_a, groups=[(people.commune_a, 15, 5)])
    course(people.commune_b, starts_on=D(2026, 6, 1), groups=[(people.commune_b, 10, 3)])
    course(people.commune_b, starts_on=D(2025, 6, 1), groups=[(people.commune_b, 10, 3)])  # another year
    course(people.commune_b, starts_on=D(2026, 12, 10), groups=[(people.commune_b, 40, 9)])  # only planned

    figures = services.training_figures(people.province, D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    assert (figures.province.courses, figures.province.participants, figures.province.programme_staff) == (1, 32, 12)
    assert (figures.commune.courses, figures.commune.participants, figures.commune.programme_staff) == (2, 25, 8)
    assert figures.total.courses == 3
    commune = services.training_figures(people.commune_a, D(2026, 1, 1), D(2026, 12, 31), today=TODAY)
    assert (commune.province.courses, commune.commune.courses, commune.commune.participants) == (0, 1, 15)


def test_training_figures_are_scoped_to_the_user(people):
    course(people.commune_a, groups=[(people.commune_a, 15, 5)])
    course(people.commune_b, groups=[(people.commune_b, 10, 3)])
    seen = services.training_figures(
        people.province, D(2026, 1, 1), D(2026, 12, 31), user=people.officer_a, today=TODAY
    )
    assert (seen.commune.courses, seen.commune.participants) == (1, 15)


def test_no_staff_count_means_no_data_not_zero(people):
    course(people.commune_a, groups=[(people.commune_a, 15, 5)])
    report = services.staff_trained(people.commune_a, YEAR, today=TODAY)
    assert report.commune.staff is None and report.commune.percent is None
    assert report.commune.trained == 0 and report.commune.trained_all == 5
    assert report.overall.percent is None and not report.commune.has_data


def test_a_count_with_nobody_trained_is_zero_percent(people):
    StaffCountFactory(unit=people.commune_a, year=YEAR, staff=8)
    report = services.staff_trained(people.commune_a, YEAR, today=TODAY)
    assert (report.commune.staff, report.commune.trained, report.commune.percent) == (8, 0, 0.0)


def test_a_recorded_zero_staff_has_no_percentage(people):
    StaffCountFactory(unit=people.commune_a, year=YEAR, staff=0)
    report = services.staff_trained(people.commune_a, YEAR, today=TODAY)
    assert report.commune.staff == 0 and report.commune.percent is None


def test_staff_count_where_they_work_by_level(people):
    police_a = AgencyFactory(unit=people.commune_a, name="Công an phường Hồng Bàng")
    # A provincial course with provincial staff and commune A's police; commune A's own course.
    course(people.province, groups=[(people.province, 20, 12), (police_a, 3, 3)])
    course(people.commune_a, groups=[(people.commune_a, 10, 3)])
    StaffCountFactory(unit=people.province, year=YEAR, staff=40)
    StaffCountFactory(unit=people.commune_a, year=YEAR, staff=10)
    StaffCountFactory(unit=people.commune_b, year=YEAR, staff=10)
    report = services.staff_trained(people.province, YEAR, today=TODAY)
    assert (report.province.trained, report.province.staff, report.province.percent) == (12, 40, 30.0)
    assert (report.commune.trained, report.commune.staff, report.commune.percent) == (6, 20, 30.0)
    assert (report.overall.trained, report.overall.staff, report.overall.percent) == (18, 60, 30.0)
    assert (report.commune.units_recorded, report.commune.units_total) == (2, 2)


def test_a_partly_recorded_subtree_counts_only_units_with_a_count(people):
    course(people.commune_a, groups=[(people.commune_a, 10, 4)])
    course(people.commune_b, groups=[(people.commune_b, 10, 6)])
    StaffCountFactory(unit=people.commune_a, year=YEAR, staff=8)  # commune B recorded nothing
    report = services.staff_trained(people.province, YEAR, today=TODAY)
    row = report.commune
    assert (row.trained, row.trained_all, row.staff, row.percent) == (4, 10, 8, 50.0)
    assert (row.units_recorded, row.units_total, row.partial) == (1, 2, True)
    assert report.province.percent is None and report.province.units_total == 1  # the province recorded nothing


def test_more_than_100_percent_is_shown_as_it_is(people):
    course(people.commune_a, groups=[(people.commune_a, 10, 5)])
    course(people.commune_a, starts_on=D(2026, 9, 1), groups=[(people.commune_a, 10, 5)])  # the same people again
    StaffCountFactory(unit=people.commune_a, year=YEAR, staff=8)
    report = services.staff_trained(people.commune_a, YEAR, today=TODAY)
    assert report.commune.percent == 125.0 and report.commune.over_100


def test_only_courses_held_in_the_year_count(people):
    StaffCountFactory(unit=people.commune_a, year=YEAR, staff=10)
    course(people.commune_a, starts_on=D(2025, 12, 20), groups=[(people.commune_a, 10, 5)])
    course(people.commune_a, starts_on=D(2026, 12, 5), groups=[(people.commune_a, 10, 5)])  # still planned
    course(people.commune_a, starts_on=D(2026, 2, 5), groups=[(people.commune_a, 10, 2)])
    assert services.staff_trained(people.commune_a, YEAR, today=TODAY).commune.trained == 2


def test_a_commune_officer_sees_their_staff_trained_at_a_provincial_course(people):
    course(people.province, groups=[(people.commune_a, 3, 3), (people.commune_b, 2, 2)])
    StaffCountFactory(unit=people.commune_a, year=YEAR, staff=6)
    report = services.staff_trained(people.province, YEAR, user=people.officer_a, today=TODAY)
    assert (report.commune.trained, report.commune.staff, report.commune.percent) == (3, 6, 50.0)
    assert report.commune.trained_all == 3  # not commune B's


def test_the_report_by_child_unit(people):
    district = AdminUnitFactory(code="303", name="Huyện An Lão", level=AdminUnit.Level.DISTRICT, parent=people.province)
    commune_c = AdminUnitFactory(code="11400", name="Xã An Tiến", level=AdminUnit.Level.COMMUNE, parent=district)
    course(people.province, groups=[(people.province, 20, 10), (commune_c, 2, 2)])
    StaffCountFactory(unit=people.province, year=YEAR, staff=50)
    StaffCountFactory(unit=commune_c, year=YEAR, staff=4)
    StaffCountFactory(unit=people.commune_a, year=YEAR, staff=5)
    report = services.staff_trained_report(people.province, YEAR, today=TODAY)
    rows = {row.key: row for row in report.children}
    assert [row.key for row in report.children] == ["own", "303", "11311", "11329"]  # own first, then by name
    assert (rows["own"].trained, rows["own"].staff, rows["own"].percent) == (10, 50, 20.0)
    assert (rows["303"].trained, rows["303"].staff, rows["303"].units_total) == (2, 4, 2)  # district + commune
    assert (rows["11311"].percent, rows["11311"].staff) == (0.0, 5)
    assert rows["11329"].percent is None and rows["11329"].staff is None


@pytest.mark.parametrize("function", [services.staff_trained, services.staff_trained_report])
def test_staff_figures_take_a_fixed_number_of_queries(people, function):
    def run():
        return function(people.province, YEAR, user=people.province_officer, today=TODAY)

    course(people.commune_a, groups=[(people.commune_a, 10, 4)])
    run()  # the user's memberships are read once and cached
    few = count_queries(run)
    assert few == 3
    for n in range(6):
        unit = AdminUnitFactory(code=f"1150{n}", level=AdminUnit.Level.COMMUNE, parent=people.province)
        StaffCountFactory(unit=unit, year=YEAR, staff=5)
        course(unit, groups=[(unit, 5, 2), (unit, 3, 1)])
    assert count_queries(run) == few


def test_training_figures_take_one_query(people):
    course(people.commune_a, groups=[(people.commune_a, 10, 4)])
    for _ in range(5):
        TrainingFactory(unit=people.commune_b)
    assert count_queries(lambda: services.training_figures(people.province, D(2026, 1, 1), D(2026, 12, 31))) == 1
