"""The rules of a model record and of its activity log, as the form, the API and the import all apply them."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lanhmanh.community.models import ModelActivity, ModelStatus, PreventionModel
from lanhmanh.community.tests.factories import ModelActivityFactory, PreventionModelFactory
from lanhmanh.geo.tests.factories import ResidentialGroupFactory

D = datetime.date


def errors_of(record) -> dict:
    with pytest.raises(ValidationError) as exc:
        record.full_clean()
    return exc.value.message_dict


def test_a_model_may_sit_in_a_residential_group_of_its_own_commune(people, group_a):
    model = PreventionModelFactory.build(unit=people.commune_a, residential_group=group_a)
    model.full_clean()


def test_a_residential_group_of_another_commune_is_refused(people, group_b):
    model = PreventionModelFactory.build(unit=people.commune_a, residential_group=group_b)
    assert errors_of(model)["residential_group"] == ["Tổ dân phố, thôn này không thuộc Phường Hồng Bàng."]


def test_a_province_model_has_no_residential_group_of_a_commune(people, group_a):
    model = PreventionModelFactory.build(unit=people.province, residential_group=group_a)
    assert "residential_group" in errors_of(model)


@pytest.mark.parametrize("level", ["nation", "group"])
def test_only_a_province_or_a_commune_runs_a_model(people, level):
    unit = people.nation if level == "nation" else ResidentialGroupFactory(parent=people.commune_a)
    model = PreventionModelFactory.build(unit=unit)
    assert errors_of(model)["unit"] == ["Mô hình, câu lạc bộ thuộc một tỉnh, thành phố hoặc một xã, phường."]


def test_the_lead_agency_is_of_the_unit_or_above(people, womens_union_a, health_department, police_b):
    PreventionModelFactory.build(unit=people.commune_a, lead_agency=womens_union_a).full_clean()
    PreventionModelFactory.build(unit=people.commune_a, lead_agency=health_department).full_clean()
    model = PreventionModelFactory.build(unit=people.commune_a, lead_agency=police_b)
    assert errors_of(model)["lead_agency"] == ["Cơ quan chủ trì phải thuộc đơn vị này hoặc cấp trên."]


def test_dates_cannot_be_in_the_future(people):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    model = PreventionModelFactory.build(unit=people.commune_a, established_on=tomorrow, decision_date=tomorrow)
    errors = errors_of(model)
    assert errors["established_on"] == ["Ngày không thể sau hôm nay."]
    assert errors["decision_date"] == ["Ngày không thể sau hôm nay."]


def test_a_commune_cannot_have_two_models_of_the_same_name(people):
    PreventionModelFactory(unit=people.commune_a, name="Câu lạc bộ Hoa Phượng")
    again = PreventionModelFactory.build(unit=people.commune_a, name="câu lạc bộ hoa phượng")
    assert errors_of(again)["name"] == ["Phường Hồng Bàng đã có mô hình, câu lạc bộ “câu lạc bộ hoa phượng”."]
    PreventionModelFactory.build(unit=people.commune_b, name="Câu lạc bộ Hoa Phượng").full_clean()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"status": ModelStatus.DISSOLVED}, "dissolved_on", "Mô hình đã giải thể phải có ngày giải thể."),
        (
            {"status": ModelStatus.DISSOLVED, "dissolved_on": D(2023, 12, 31)},
            "dissolved_on",
            "Không thể trước ngày thành lập (15/01/2024).",
        ),
        (
            {"status": ModelStatus.ACTIVE, "dissolved_on": D(2025, 1, 1)},
            "dissolved_on",
            "Chỉ ghi ngày giải thể khi mô hình đã giải thể.",
        ),
        ({"status": ModelStatus.PAUSED}, "paused_on", "Mô hình tạm dừng phải có ngày tạm dừng."),
        (
            {"status": ModelStatus.PAUSED, "paused_on": D(2025, 1, 1), "resumed_on": D(2025, 2, 1)},
            "resumed_on",
            "Mô hình đang tạm dừng chưa có ngày hoạt động lại.",
        ),
        (
            {"status": ModelStatus.ACTIVE, "paused_on": D(2025, 3, 1), "resumed_on": D(2025, 2, 1)},
            "resumed_on",
            "Không thể trước ngày tạm dừng (01/03/2025).",
        ),
        (
            {"status": ModelStatus.DISSOLVED, "paused_on": D(2025, 3, 1), "dissolved_on": D(2025, 2, 1)},
            "dissolved_on",
            "Không thể trước ngày tạm dừng (01/03/2025).",
        ),
    ],
)
def test_the_status_and_its_dates_agree(people, values, field, message):
    model = PreventionModelFactory.build(unit=people.commune_a, **values)
    assert errors_of(model)[field] == [message]


def test_a_model_dissolved_while_paused_is_consistent(people):
    PreventionModelFactory.build(
        unit=people.commune_a, status=ModelStatus.DISSOLVED, paused_on=D(2025, 3, 1), dissolved_on=D(2025, 6, 1)
    ).full_clean()


def test_recorded_activities_bound_the_establishment_and_the_dissolution(people):
    activity = ModelActivityFactory.in_unit(people.commune_a, date=D(2025, 3, 10))
    model = activity.prevention_model
    model.established_on = D(2025, 4, 1)
    assert errors_of(model)["established_on"] == ["Mô hình đã có hoạt động ngày 10/03/2025, trước ngày thành lập này."]
    model.established_on = D(2024, 1, 15)
    model.status, model.dissolved_on = ModelStatus.DISSOLVED, D(2025, 3, 1)
    assert errors_of(model)["dissolved_on"] == ["Mô hình đã có hoạt động ngày 10/03/2025, sau ngày giải thể này."]
    model.dissolved_on = D(2025, 3, 10)  # the last meeting may be the one that dissolves it
    model.full_clean()


# -- the activity log -----------------------------------------------------------------------------


def test_an_activity_takes_its_models_unit(people):
    model = PreventionModelFactory(unit=people.commune_b)
    activity = ModelActivity(prevention_model=model, date=D(2025, 5, 2), participants_count=12)
    activity.full_clean()
    activity.save()
    assert activity.unit == people.commune_b


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (D(2024, 1, 14), "Mô hình thành lập ngày 15/01/2024; hoạt động không thể trước ngày đó."),
        (D(2025, 7, 1), "Mô hình đã giải thể từ ngày 30/06/2025; hoạt động không thể sau ngày đó."),
        ("tomorrow", "Ngày không thể sau hôm nay."),
    ],
)
def test_an_activity_falls_within_the_models_life(people, day, message):
    model = PreventionModelFactory(unit=people.commune_a, status=ModelStatus.DISSOLVED, dissolved_on=D(2025, 6, 30))
    if day == "tomorrow":
        day = timezone.localdate() + datetime.timedelta(days=1)
    activity = ModelActivity(prevention_model=model, date=day, participants_count=10)
    assert errors_of(activity)["date"] == [message]


@pytest.mark.parametrize("day", [D(2024, 1, 15), D(2025, 6, 30)])
def test_an_activity_on_the_first_or_last_day_is_accepted(people, day):
    model = PreventionModelFactory(unit=people.commune_a, status=ModelStatus.DISSOLVED, dissolved_on=D(2025, 6, 30))
    ModelActivity(prevention_model=model, date=day, participants_count=10).full_clean()


# -- active on a day ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "active"),
    [
        (D(2024, 1, 14), False),  # before it was established
        (D(2024, 1, 15), True),  # the day it was established
        (D(2024, 5, 31), True),
        (D(2024, 6, 1), False),  # paused from this day
        (D(2024, 8, 31), False),
        (D(2024, 9, 1), True),  # resumed from this day
        (D(2025, 12, 30), True),
        (D(2025, 12, 31), False),  # dissolved from this day
        (D(2026, 1, 1), False),
    ],
)
def test_active_on_a_day_in_the_database_and_in_memory_agree(people, day, active):
    model = PreventionModelFactory(
        unit=people.commune_a,
        paused_on=D(2024, 6, 1),
        resumed_on=D(2024, 9, 1),
        status=ModelStatus.DISSOLVED,
        dissolved_on=D(2025, 12, 31),
    )
    assert model.is_active_on(day) is active
    assert PreventionModel.objects.active_on(day).filter(pk=model.pk).exists() is active


def test_a_model_paused_and_not_resumed_is_inactive_from_the_pause_on(people):
    model = PreventionModelFactory(unit=people.commune_a, status=ModelStatus.PAUSED, paused_on=D(2025, 10, 1))
    assert list(PreventionModel.objects.active_on(D(2025, 9, 30))) == [model]
    assert list(PreventionModel.objects.active_on(timezone.localdate())) == []


def test_a_model_with_an_activity_log_cannot_move_to_another_unit(people):
    model = PreventionModelFactory(unit=people.commune_a)
    moved = PreventionModel.objects.get(pk=model.pk)
    moved.unit = people.commune_b
    moved.full_clean()  # no log yet: the model may still be put right
    ModelActivityFactory(prevention_model=model)
    assert "không thể chuyển sang đơn vị khác" in errors_of(moved)["unit"][0]
