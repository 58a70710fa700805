"""The API of models and their activities: the same rules and scope as the pages."""

import datetime

from lanhmanh.community.models import ModelActivity, PreventionModel
from lanhmanh.community.tests.factories import ModelActivityFactory, PreventionModelFactory

D = datetime.date
JSON = "application/json"
MODELS = "/api/prevention-models/"
ACTIVITIES = "/api/prevention-model-activities/"


def model_data(**values):
    return {
        "unit": "11311",
        "name": "Mô hình phòng ngừa mại dâm tại cộng đồng kết hợp giảm tác hại về HIV",
        "kind": "community_hiv",
        "established_on": "2024-02-01",
        "members_count": 18,
        **values,
    }


def test_a_model_is_created_with_its_residential_group_by_code(client, people, group_a, womens_union_a):
    client.force_login(people.officer_a)
    response = client.post(
        MODELS,
        model_data(residential_group=group_a.code, lead_agency=womens_union_a.pk, annual_funding=12_000_000),
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["unit"], body["residential_group"], body["status"], body["version"], body["active_today"]) == (
        "11311",
        group_a.code,
        "active",
        1,
        True,
    )
    assert PreventionModel.objects.get().created_by == people.officer_a


def test_the_models_rules_apply_to_the_api(client, people, group_b, police_b):
    # The province officer sees both communes' groups, but a model of A is not in a group of B.
    client.force_login(people.province_officer)
    response = client.post(MODELS, model_data(residential_group=group_b.code), content_type=JSON)
    assert response.status_code == 400
    assert response.json()["residential_group"] == ["Tổ dân phố, thôn này không thuộc Phường Hồng Bàng."]
    # A commune officer is not even offered another commune's group.
    client.force_login(people.officer_a)
    response = client.post(MODELS, model_data(residential_group=group_b.code), content_type=JSON)
    assert response.status_code == 400 and "residential_group" in response.json()
    response = client.post(MODELS, model_data(established_on="2099-01-01"), content_type=JSON)
    assert response.json()["established_on"] == ["Ngày không thể sau hôm nay."]
    # An agency of another commune is not even offered.
    response = client.post(MODELS, model_data(lead_agency=police_b.pk), content_type=JSON)
    assert response.status_code == 400 and "lead_agency" in response.json()
    assert not PreventionModel.objects.exists()


def test_a_model_cannot_be_put_in_another_commune(client, people):
    client.force_login(people.officer_a)
    response = client.post(MODELS, model_data(unit="11329"), content_type=JSON)
    assert response.status_code == 400 and "unit" in response.json()
    model = PreventionModelFactory(unit=people.commune_a)
    response = client.patch(f"{MODELS}{model.pk}/", {"unit": "11329", "version": 1}, content_type=JSON)
    assert response.status_code == 400
    model.refresh_from_db()
    assert model.unit == people.commune_a


def test_an_edit_needs_the_version_read(client, people):
    model = PreventionModelFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    url = f"{MODELS}{model.pk}/"
    assert client.patch(url, {"members_count": 30}, content_type=JSON).status_code == 400
    assert client.patch(url, {"members_count": 30, "version": 1}, content_type=JSON).status_code == 200
    assert client.patch(url, {"members_count": 35, "version": 1}, content_type=JSON).status_code == 409
    model.refresh_from_db()
    assert (model.members_count, model.version) == (30, 2)


def test_the_list_filters_by_the_day_a_model_ran(client, people):
    running = PreventionModelFactory(unit=people.commune_a, established_on=D(2020, 1, 1))
    PreventionModelFactory(unit=people.commune_a, established_on=D(2025, 6, 1))
    client.force_login(people.officer_a)
    ids = [row["id"] for row in client.get(MODELS, {"active_on": "2025-01-01"}).json()["results"]]
    assert ids == [running.pk]


def test_an_activity_takes_its_models_unit_and_rules(client, people):
    model = PreventionModelFactory(unit=people.commune_a, established_on=D(2024, 1, 15))
    client.force_login(people.officer_a)
    response = client.post(
        ACTIVITIES,
        {"prevention_model": model.pk, "date": "2025-05-15", "kind": "meeting", "participants_count": 20},
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    assert response.json()["unit"] == "11311"
    response = client.post(
        ACTIVITIES, {"prevention_model": model.pk, "date": "2024-01-14", "participants_count": 20}, content_type=JSON
    )
    assert response.status_code == 400
    assert response.json()["date"] == ["Mô hình thành lập ngày 15/01/2024; hoạt động không thể trước ngày đó."]


def test_an_activity_stays_with_its_model_and_its_commune(client, people):
    model_a = PreventionModelFactory(unit=people.commune_a)
    other_a = PreventionModelFactory(unit=people.commune_a)
    model_b = PreventionModelFactory(unit=people.commune_b)
    client.force_login(people.officer_a)
    response = client.post(
        ACTIVITIES, {"prevention_model": model_b.pk, "date": "2025-05-15", "participants_count": 20}, content_type=JSON
    )
    assert response.status_code == 400 and "prevention_model" in response.json()
    activity = ModelActivityFactory(prevention_model=model_a)
    response = client.patch(
        f"{ACTIVITIES}{activity.pk}/", {"prevention_model": other_a.pk, "version": 1}, content_type=JSON
    )
    assert response.status_code == 400
    assert ModelActivity.objects.get().prevention_model == model_a


def test_figures_of_a_unit_over_a_period(client, people):
    model = PreventionModelFactory(unit=people.commune_a, established_on=D(2025, 2, 1))
    ModelActivityFactory(prevention_model=model, date=D(2025, 3, 10), participants_count=18)
    PreventionModelFactory(unit=people.commune_b, established_on=D(2025, 2, 1))
    client.force_login(people.officer_a)
    response = client.get(
        f"{MODELS}figures/", {"unit": people.commune_a.pk, "start": "2025-01-01", "end": "2025-06-30"}
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["figures"]["active_at_end"] == 1 and body["figures"]["new_models"] == 1
    assert (body["figures"]["meetings"], body["figures"]["participants"]) == (1, 18)
    assert body["active_by_kind"]["club"] == 1
    # The province, for a user of commune A: only what A's officer may see.
    response = client.get(f"{MODELS}figures/", {"unit": people.province.pk, "start": "2025-01-01", "end": "2025-06-30"})
    assert response.status_code == 404  # the province is not in commune A's scope
    client.force_login(people.province_officer)
    body = client.get(
        f"{MODELS}figures/", {"unit": people.province.pk, "start": "2025-01-01", "end": "2025-06-30"}
    ).json()
    assert body["figures"]["new_models"] == 2


def test_figures_refuse_a_unit_out_of_scope_and_bad_dates(client, people):
    client.force_login(people.officer_a)
    assert client.get(f"{MODELS}figures/", {"unit": people.commune_b.pk}).status_code == 404
    assert client.get(f"{MODELS}figures/", {"unit": people.commune_a.pk, "start": "hôm qua"}).status_code == 400
    response = client.get(
        f"{MODELS}figures/", {"unit": people.commune_a.pk, "start": "2025-06-01", "end": "2025-01-01"}
    )
    assert response.status_code == 400 and "end" in response.json()
    client.force_login(people.nobody)
    assert client.get(f"{MODELS}figures/", {"unit": people.commune_a.pk}).status_code == 403
