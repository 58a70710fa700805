"""The rules of a course, its participant groups and a staff count, as the form, the API and imports apply them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory, AgencyFactory
from lanhmanh.training.models import StaffCount, Training, TrainingLevel, TrainingParticipantGroup
from lanhmanh.training.tests.factories import StaffCountFactory, TrainingFactory

D = datetime.date


def errors(instance) -> dict:
    with pytest.raises(ValidationError) as exc:
        instance.clean()
    return exc.value.message_dict


def test_a_course_takes_its_level_from_its_unit(people):
    course = Training(unit=people.commune_a, title="Tập huấn", starts_on=D(2026, 3, 2))
    course.clean()
    assert course.level == TrainingLevel.COMMUNE
    course = Training(unit=people.province, title="Tập huấn", starts_on=D(2026, 3, 2))
    course.clean()
    assert course.level == TrainingLevel.PROVINCE


def test_a_level_other_than_the_units_is_refused(people):
    course = Training(unit=people.commune_a, level=TrainingLevel.PROVINCE, title="Tập huấn", starts_on=D(2026, 3, 2))
    assert errors(course) == {"level": ["Phường Hồng Bàng là đơn vị cấp xã."]}


def test_a_pre_2025_district_runs_commune_level_courses(people):
    district = AdminUnitFactory(code="303", name="Huyện An Lão", level=AdminUnit.Level.DISTRICT, parent=people.province)
    course = Training(unit=district, title="Tập huấn", starts_on=D(2023, 5, 2))
    course.clean()
    assert course.level == TrainingLevel.COMMUNE


def test_courses_belong_to_a_province_or_a_commune(people):
    course = Training(unit=people.nation, title="Tập huấn", starts_on=D(2026, 3, 2))
    assert errors(course)["unit"] == ["Lớp tập huấn thuộc một tỉnh, thành phố hoặc một xã, phường."]


def test_the_organiser_is_an_agency_of_the_unit_or_above(people):
    above = AgencyFactory(unit=people.province, name="Sở Y tế")
    sibling = AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
    Training(unit=people.commune_a, title="Tập huấn", starts_on=D(2026, 3, 2), organiser=above).clean()
    course = Training(unit=people.commune_a, title="Tập huấn", starts_on=D(2026, 3, 2), organiser=sibling)
    assert errors(course) == {"organiser": ["Cơ quan tổ chức phải thuộc đơn vị này hoặc cấp trên."]}


def test_a_course_cannot_end_before_it_starts_but_may_be_planned_ahead(people):
    course = Training(unit=people.commune_a, title="Tập huấn", starts_on=D(2026, 3, 2), ends_on=D(2026, 3, 1))
    assert errors(course) == {"ends_on": ["Ngày kết thúc không thể trước ngày bắt đầu (02/03/2026)."]}
    planned = Training(unit=people.commune_a, title="Tập huấn", starts_on=D(2030, 1, 5))
    planned.clean()  # recorded before it is held; the figures leave it out until then
    assert not planned.is_held


def test_a_group_from_the_register_counts_in_its_agencys_unit(people):
    course = TrainingFactory(unit=people.province)
    police_a = AgencyFactory(unit=people.commune_a, name="Công an phường Hồng Bàng")
    group = TrainingParticipantGroup(training=course, agency=police_a, participants=3, programme_staff=2)
    group.clean()
    assert group.participant_unit == people.commune_a and group.level == TrainingLevel.COMMUNE


def test_a_typed_agency_counts_in_the_courses_unit_unless_told(people):
    course = TrainingFactory(unit=people.province)
    group = TrainingParticipantGroup(training=course, agency_name="Trường Chính trị tỉnh", participants=3)
    group.clean()
    assert group.participant_unit == people.province
    group = TrainingParticipantGroup(
        training=course, agency_name="Đoàn Thanh niên phường", participant_unit=people.commune_b, participants=3
    )
    group.clean()
    assert group.participant_unit == people.commune_b


def test_participants_come_from_the_courses_unit_or_below(people):
    course = TrainingFactory(unit=people.commune_a)
    police_b = AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
    group = TrainingParticipantGroup(training=course, agency=police_b, participants=3)
    assert errors(group) == {"agency": ["Người tham dự phải thuộc Phường Hồng Bàng hoặc đơn vị trực thuộc."]}
    group = TrainingParticipantGroup(
        training=course, agency_name="Sở Y tế", participant_unit=people.province, participants=3
    )
    assert errors(group) == {"participant_unit": ["Người tham dự phải thuộc Phường Hồng Bàng hoặc đơn vị trực thuộc."]}


def test_programme_staff_are_some_of_the_participants(people):
    course = TrainingFactory(unit=people.commune_a)
    group = TrainingParticipantGroup(training=course, participants=3, programme_staff=4)
    assert errors(group) == {
        "programme_staff": ["Số cán bộ làm công tác phòng, chống tệ nạn xã hội không thể lớn hơn số người tham dự."]
    }
    with pytest.raises(IntegrityError):
        TrainingParticipantGroup.objects.create(
            training=course, participant_unit=people.commune_a, participants=3, programme_staff=4
        )


def test_an_agency_and_a_typed_name_are_not_both_given(people):
    course = TrainingFactory(unit=people.commune_a)
    police = AgencyFactory(unit=people.commune_a, name="Công an phường Hồng Bàng")
    group = TrainingParticipantGroup(training=course, agency=police, agency_name="Công an", participants=3)
    assert errors(group) == {"agency_name": ["Đã chọn cơ quan trong danh mục thì không ghi tên khác."]}


def test_one_staff_count_per_unit_and_year(people):
    StaffCountFactory(unit=people.commune_a, year=2026, staff=8)
    again = StaffCount(unit=people.commune_a, year=2026, staff=9)
    assert errors(again) == {"year": ["Đã có số cán bộ của Phường Hồng Bàng năm 2026."]}
    StaffCount(unit=people.commune_a, year=2025, staff=9).clean()
    StaffCount(unit=people.commune_b, year=2026, staff=9).clean()


def test_a_staff_count_needs_a_sensible_year_and_unit(people):
    next_year = timezone.localdate().year + 1
    assert errors(StaffCount(unit=people.commune_a, year=1990, staff=3))["year"] == [
        f"Năm phải từ 2000 đến {next_year}."
    ]
    assert "unit" in errors(StaffCount(unit=people.nation, year=2026, staff=3))
