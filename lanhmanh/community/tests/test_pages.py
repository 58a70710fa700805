"""The pages of the models: the list with its filters, the model's page with its activity log and the form to
add to it, and the add and edit forms."""

import datetime

from django.urls import reverse

from lanhmanh.community.models import ModelActivity, ModelKind, ModelStatus, PreventionModel
from lanhmanh.community.tests.factories import ModelActivityFactory, PreventionModelFactory
from lanhmanh.core.testing import count_queries
from lanhmanh.core.views import object_url

D = datetime.date
LIST = reverse("community:preventionmodel_list")
ADD = reverse("community:preventionmodel_add")
ADD_ACTIVITY = reverse("community:modelactivity_add")


def test_the_list_filters_by_what_ran_on_a_day_by_status_and_kind(client, people):
    running = PreventionModelFactory(unit=people.commune_a, name="Câu lạc bộ Hoa Sen", established_on=D(2020, 1, 1))
    paused = PreventionModelFactory(
        unit=people.commune_a,
        name="Đội tình nguyện Bến Bính",
        kind=ModelKind.VOLUNTEER_TEAM,
        status=ModelStatus.PAUSED,
        paused_on=D(2025, 3, 1),
        established_on=D(2020, 1, 1),
    )
    later = PreventionModelFactory(
        unit=people.commune_a, name="Nhóm sinh kế Tự tin", kind=ModelKind.LIVELIHOOD, established_on=D(2025, 6, 1)
    )
    client.force_login(people.officer_a)

    def names(**params):
        page = client.get(LIST, params).content.decode()
        return {m.name for m in (running, paused, later) if f">{m.name}<" in page}

    assert names() == {running.name, paused.name, later.name}
    assert names(active_on="01/04/2025") == {running.name}
    assert names(active_on="01/02/2025") == {running.name, paused.name}
    assert names(status="paused") == {paused.name}
    assert names(kind="livelihood") == {later.name}
    assert names(active_on="31/02/2025") == set()  # an invalid day shows no rows, never the whole list


def test_the_list_shows_how_lively_each_model_is(client, people):
    model = PreventionModelFactory(unit=people.commune_a, name="Câu lạc bộ Hoa Sen")
    ModelActivityFactory(prevention_model=model, date=D(2025, 3, 10))
    ModelActivityFactory(prevention_model=model, date=D(2025, 9, 12))
    client.force_login(people.officer_a)
    page = client.get(LIST).content.decode()
    assert "Hoạt động gần nhất" in page and "12/09/2025" in page


def test_the_models_page_shows_its_log_and_totals(client, people):
    model = PreventionModelFactory(unit=people.commune_a, annual_funding=15_000_000)
    ModelActivityFactory(prevention_model=model, date=D(2025, 3, 10), participants_count=18)
    ModelActivityFactory(
        prevention_model=model,
        date=D(2025, 4, 12),
        participants_count=21,
        description="Sinh hoạt định kỳ tháng 4: kiến thức dự phòng HIV.",
    )
    client.force_login(people.officer_a)
    page = client.get(object_url(model)).content.decode()
    assert "2 hoạt động, 39 lượt người tham gia." in page
    assert "12/04/2025" in page and "kiến thức dự phòng HIV" in page
    assert "15.000.000" in page
    assert 'data-testid="add-activity"' in page


def test_the_models_page_takes_the_same_queries_however_long_its_log(client, people):
    model = PreventionModelFactory(unit=people.commune_a)
    ModelActivityFactory(prevention_model=model)
    client.force_login(people.officer_a)
    url = object_url(model)
    client.get(url)
    few = count_queries(lambda: client.get(url))
    for month in range(1, 11):
        ModelActivityFactory(prevention_model=model, date=D(2025, month, 15))
    assert count_queries(lambda: client.get(url)) == few


def test_an_activity_added_on_the_models_page_goes_back_to_it(client, people):
    model = PreventionModelFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    response = client.post(
        ADD_ACTIVITY,
        {
            "prevention_model": model.pk,
            "date": "15/05/2025",
            "kind": "meeting",
            "participants_count": "22",
            "description": "Sinh hoạt định kỳ tháng 5.",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{object_url(model)}#activities"
    activity = ModelActivity.objects.get()
    assert (activity.unit, activity.date, activity.participants_count, activity.created_by) == (
        people.commune_a,
        D(2025, 5, 15),
        22,
        people.officer_a,
    )
    assert "Sinh hoạt định kỳ tháng 5." in client.get(object_url(model)).content.decode()


def test_an_activity_before_the_model_existed_is_refused_with_the_reason(client, people):
    model = PreventionModelFactory(unit=people.commune_a, established_on=D(2024, 1, 15))
    client.force_login(people.officer_a)
    response = client.post(
        ADD_ACTIVITY,
        {"prevention_model": model.pk, "date": "10/01/2024", "kind": "meeting", "participants_count": "10"},
    )
    assert response.status_code == 200
    assert "Mô hình thành lập ngày 15/01/2024; hoạt động không thể trước ngày đó." in response.content.decode()
    assert not ModelActivity.objects.exists()


def test_an_activity_cannot_be_added_to_another_communes_model(client, people):
    model_b = PreventionModelFactory(unit=people.commune_b)
    client.force_login(people.officer_a)
    response = client.post(
        ADD_ACTIVITY,
        {"prevention_model": model_b.pk, "date": "15/05/2025", "kind": "meeting", "participants_count": "10"},
    )
    assert response.status_code == 200 and not ModelActivity.objects.exists()


def test_a_viewer_reads_the_log_but_cannot_add_to_it(client, people, viewer_a):
    model = PreventionModelFactory(unit=people.commune_a)
    ModelActivityFactory(prevention_model=model)
    client.force_login(viewer_a)
    page = client.get(object_url(model)).content.decode()
    assert "1 hoạt động" in page and 'data-testid="add-activity"' not in page


def test_adding_a_model_with_its_group_agency_and_funding(client, people, group_a, group_b, womens_union_a):
    client.force_login(people.officer_a)
    form_page = client.get(ADD).content.decode()
    assert f'value="{group_a.pk}"' in form_page and f'value="{group_b.pk}"' not in form_page
    assert 'name="status"' not in form_page  # the status is changed by the actions on the model's page
    response = client.post(
        ADD,
        {
            "unit": people.commune_a.pk,
            "name": "Câu lạc bộ “Phụ nữ với pháp luật” tổ dân phố 3",
            "kind": "club",
            "residential_group": group_a.pk,
            "decision_number": "15/QĐ-UBND",
            "decision_date": "02/03/2024",
            "established_on": "05/03/2024",
            "members_count": "24",
            "lead_agency": womens_union_a.pk,
            "funding_source": "Ngân sách phường",
            "annual_funding": "15.000.000 đ",
            "description": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    model = PreventionModel.objects.get()
    assert (model.residential_group, model.lead_agency, model.annual_funding, model.status, model.established_on) == (
        group_a,
        womens_union_a,
        15_000_000,
        ModelStatus.ACTIVE,
        D(2024, 3, 5),
    )


def test_the_activity_list_is_reached_from_the_model_not_the_menu(client, people):
    model = PreventionModelFactory(unit=people.commune_a)
    ModelActivityFactory(prevention_model=model, date=D(2025, 3, 10))
    ModelActivityFactory.in_unit(people.commune_a, date=D(2025, 4, 11))
    client.force_login(people.officer_a)
    home = client.get("/").content.decode()
    assert LIST in home and reverse("community:modelactivity_list") not in home
    page = client.get(reverse("community:modelactivity_list"), {"prevention_model": model.pk}).content.decode()
    assert "10/03/2025" in page and "11/04/2025" not in page


def test_deleting_an_activity_goes_back_to_the_models_page(client, people):
    activity = ModelActivityFactory.in_unit(people.commune_a)
    model = activity.prevention_model
    client.force_login(people.officer_a)
    response = client.post(reverse("community:modelactivity_delete", args=[activity.pk]))
    assert response.status_code == 302 and response["Location"] == f"{object_url(model)}#activities"
    assert not ModelActivity.objects.exists()


def test_an_edit_cannot_move_the_establishment_after_the_first_meeting(client, people):
    activity = ModelActivityFactory.in_unit(people.commune_a, date=D(2025, 3, 10))
    model = activity.prevention_model
    client.force_login(people.officer_a)
    response = client.post(
        reverse("community:preventionmodel_edit", args=[model.pk]),
        {
            "unit": people.commune_a.pk,
            "name": model.name,
            "kind": model.kind,
            "established_on": "01/04/2025",
            "members_count": "20",
            "expected_version": model.version,
        },
    )
    assert response.status_code == 200
    assert "Mô hình đã có hoạt động ngày 10/03/2025, trước ngày thành lập này." in response.content.decode()
    model.refresh_from_db()
    assert model.established_on == D(2024, 1, 15)
