"""The rules of the records, shared by the form, the API and the import."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from lanhmanh.geo.tests.factories import ResidentialGroupFactory
from lanhmanh.outreach.models import ActivityAudience, ActivityKind, CommunicationActivity, TargetGroup
from lanhmanh.outreach.tests.factories import CommunicationActivityFactory, TargetPopulationFactory


def errors_of(record) -> dict:
    with pytest.raises(ValidationError) as raised:
        record.full_clean()
    return raised.value.message_dict


def new_activity(people, **kwargs):
    values = {
        "unit": people.commune_a,
        "kind": ActivityKind.GROUP_SESSION,
        "held_on": datetime.date(2026, 3, 2),
        "title": "Sinh hoạt tổ dân phố",
        **kwargs,
    }
    return CommunicationActivity(**values)


def test_a_well_formed_activity_passes(people, groups_a, culture_a, health_p):
    new_activity(people, residential_group=groups_a[0], organiser=culture_a).full_clean()
    new_activity(people, organiser=health_p).full_clean()  # the province's department runs it with the commune
    new_activity(people, unit=people.province, organiser=health_p).full_clean()


def test_the_residential_group_must_belong_to_the_unit(people, group_b):
    assert errors_of(new_activity(people, residential_group=group_b)) == {
        "residential_group": ["Tổ dân phố, thôn này không thuộc Phường Hồng Bàng."]
    }


def test_a_province_activity_names_no_residential_group(people, groups_a):
    assert "residential_group" in errors_of(new_activity(people, unit=people.province, residential_group=groups_a[0]))


def test_the_organiser_must_be_of_the_unit_or_above(people, police_b):
    assert errors_of(new_activity(people, organiser=police_b)) == {
        "organiser": ["Cơ quan chủ trì phải thuộc đơn vị này hoặc cấp trên."]
    }


def test_an_activity_cannot_be_in_the_future(people):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert errors_of(new_activity(people, held_on=tomorrow)) == {"held_on": ["Ngày thực hiện không thể sau hôm nay."]}
    new_activity(people, held_on=timezone.localdate()).full_clean()


def test_an_activity_belongs_to_a_commune_or_a_province(people, groups_a):
    message = "Hoạt động tuyên truyền thuộc một xã, phường hoặc một tỉnh, thành phố."
    assert errors_of(new_activity(people, unit=people.nation))["unit"] == [message]
    assert errors_of(new_activity(people, unit=groups_a[0]))["unit"] == [message]


def test_negative_counts_are_refused(people):
    assert "materials_count" in errors_of(new_activity(people, materials_count=-5))
    activity = CommunicationActivityFactory(unit=people.commune_a)
    audience = ActivityAudience(activity=activity, target_group=TargetGroup.STUDENTS, participants=-1)
    assert "participants" in errors_of(audience)
    population = TargetPopulationFactory.build(unit=people.commune_a, year=2026, students=-3)
    assert "students" in errors_of(population)


def test_a_target_group_is_recorded_once_per_activity(people):
    activity = CommunicationActivityFactory(unit=people.commune_a, audiences=[(TargetGroup.STUDENTS, 10)])
    with pytest.raises(IntegrityError):
        ActivityAudience.objects.create(activity=activity, target_group=TargetGroup.STUDENTS, participants=3)


def test_a_broadcast_reaches_residents_without_a_count(people):
    activity = CommunicationActivityFactory(
        unit=people.commune_a, kind=ActivityKind.LOUDSPEAKER, audiences=[(TargetGroup.RESIDENTS, None)]
    )
    audience = activity.audiences.get()
    audience.full_clean()
    assert str(audience) == "Nhân dân" and activity.participants_total == 0


def test_a_unit_records_one_population_a_year(people):
    TargetPopulationFactory(unit=people.commune_a, year=2026)
    duplicate = TargetPopulationFactory.build(unit=people.commune_a, year=2026)
    assert errors_of(duplicate)["year"] == ["Đã có số liệu năm 2026 của Phường Hồng Bàng."]
    TargetPopulationFactory.build(unit=people.commune_b, year=2026).full_clean()


def test_a_population_is_of_a_commune_or_province_and_not_years_ahead(people):
    far = TargetPopulationFactory.build(unit=people.commune_a, year=timezone.localdate().year + 2)
    assert errors_of(far)["year"] == ["Năm không thể quá năm sau."]
    group = ResidentialGroupFactory(parent=people.commune_a)
    assert "unit" in errors_of(TargetPopulationFactory.build(unit=group, year=2026))
