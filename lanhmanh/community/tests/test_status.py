"""Pausing, resuming and dissolving a model, from its page and through the API: each with a day and a reason,
kept in the history, and never over a change someone else made after the page was opened (409)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lanhmanh.community import services
from lanhmanh.community.models import ModelStatus, PreventionModel
from lanhmanh.community.tests.factories import ModelActivityFactory, PreventionModelFactory
from lanhmanh.core.services import ConcurrentEditError
from lanhmanh.core.views import object_url

D = datetime.date
JSON = "application/json"


@pytest.fixture
def club(people):
    return PreventionModelFactory(
        unit=people.commune_a, name="Câu lạc bộ “Gia đình văn hóa”", established_on=D(2022, 4, 1)
    )


def dmy(day) -> str:
    return day.strftime("%d/%m/%Y")


# -- the services ---------------------------------------------------------------------------------


def test_pause_resume_and_pause_again_keep_the_last_window_and_the_history(people, club):
    services.pause_model(club, on=D(2025, 1, 10), reason="Thiếu kinh phí", user=people.officer_a)
    services.resume_model(club, on=D(2025, 4, 1), user=people.officer_a)
    club.refresh_from_db()
    assert (club.status, club.paused_on, club.resumed_on) == (ModelStatus.ACTIVE, D(2025, 1, 10), D(2025, 4, 1))
    assert club.is_active_on(D(2025, 2, 1)) is False and club.is_active_on(D(2025, 4, 1)) is True

    services.pause_model(club, on=D(2025, 9, 1), reason="Ban chủ nhiệm chuyển công tác", user=people.officer_a)
    club.refresh_from_db()
    assert (club.status, club.paused_on, club.resumed_on) == (ModelStatus.PAUSED, D(2025, 9, 1), None)
    assert club.status_note == "Ban chủ nhiệm chuyển công tác"
    assert club.version == 4
    reasons = list(club.history.order_by("history_date").values_list("history_change_reason", "history_user"))
    assert reasons[1:] == [
        ("Tạm dừng: Thiếu kinh phí", people.officer_a.pk),
        ("Hoạt động lại", people.officer_a.pk),
        ("Tạm dừng: Ban chủ nhiệm chuyển công tác", people.officer_a.pk),
    ]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"reason": ""}, "Hãy ghi lý do tạm dừng."),
        ({"on": D(2022, 3, 31)}, "Ngày tạm dừng không thể trước ngày thành lập (01/04/2022)."),
        ({"on": "tomorrow"}, "Ngày tạm dừng không thể sau hôm nay."),
    ],
)
def test_a_pause_needs_a_reason_and_a_day_in_the_models_life(people, club, kwargs, message):
    values = {"on": D(2025, 1, 10), "reason": "Thiếu kinh phí", **kwargs}
    if values["on"] == "tomorrow":
        values["on"] = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.pause_model(club, user=people.officer_a, **values)
    assert exc.value.messages == [message]
    club.refresh_from_db()
    assert club.status == ModelStatus.ACTIVE and club.version == 1


def test_only_an_active_model_is_paused_and_only_a_paused_one_resumed(people, club):
    with pytest.raises(ValidationError, match="Chỉ cho hoạt động lại mô hình đang tạm dừng"):
        services.resume_model(club, on=D(2025, 1, 1), user=people.officer_a)
    services.pause_model(club, on=D(2025, 1, 10), reason="Thiếu kinh phí", user=people.officer_a)
    with pytest.raises(ValidationError, match="Chỉ tạm dừng được mô hình đang hoạt động"):
        services.pause_model(club, on=D(2025, 2, 1), reason="Lần nữa", user=people.officer_a)
    with pytest.raises(ValidationError, match=r"không thể trước ngày tạm dừng \(10/01/2025\)"):
        services.resume_model(club, on=D(2025, 1, 9), user=people.officer_a)


def test_a_pause_cannot_start_before_the_last_resumption(people, club):
    services.pause_model(club, on=D(2025, 1, 10), reason="Thiếu kinh phí", user=people.officer_a)
    services.resume_model(club, on=D(2025, 4, 1), user=people.officer_a)
    with pytest.raises(ValidationError, match="hoạt động lại từ ngày 01/04/2025"):
        services.pause_model(club, on=D(2025, 3, 1), reason="Ghi lùi", user=people.officer_a)


def test_dissolution_is_final_and_not_before_the_last_activity(people, club):
    ModelActivityFactory(prevention_model=club, date=D(2025, 5, 20))
    with pytest.raises(ValidationError) as exc:
        services.dissolve_model(club, on=D(2025, 5, 19), reason="Sáp nhập", user=people.officer_a)
    assert exc.value.messages == ["Mô hình đã có hoạt động ngày 20/05/2025, sau ngày giải thể này."]
    with pytest.raises(ValidationError, match="Hãy ghi lý do giải thể"):
        services.dissolve_model(club, on=D(2025, 6, 1), reason=" ", user=people.officer_a)

    services.dissolve_model(club, on=D(2025, 6, 1), reason="Sáp nhập vào mô hình của phường mới", user=people.officer_a)
    club.refresh_from_db()
    assert (club.status, club.dissolved_on) == (ModelStatus.DISSOLVED, D(2025, 6, 1))
    for action in (services.pause_model, services.dissolve_model):
        with pytest.raises(ValidationError):
            action(club, on=D(2025, 7, 1), reason="Lần nữa", user=people.officer_a)
    with pytest.raises(ValidationError):
        services.resume_model(club, on=D(2025, 7, 1), user=people.officer_a)


def test_a_paused_model_may_be_dissolved(people, club):
    services.pause_model(club, on=D(2025, 1, 10), reason="Thiếu kinh phí", user=people.officer_a)
    with pytest.raises(ValidationError, match=r"trước ngày tạm dừng \(10/01/2025\)"):
        services.dissolve_model(club, on=D(2025, 1, 1), reason="Giải thể", user=people.officer_a)
    services.dissolve_model(club, on=D(2025, 3, 1), reason="Không kiện toàn được", user=people.officer_a)
    club.refresh_from_db()
    assert club.status == ModelStatus.DISSOLVED and not club.is_active_on(D(2025, 2, 1))


def test_a_stale_version_writes_nothing(people, club):
    stale = PreventionModel.objects.get(pk=club.pk)
    services.pause_model(club, on=D(2025, 1, 10), reason="Thiếu kinh phí", user=people.officer_a)
    with pytest.raises(ConcurrentEditError):
        services.dissolve_model(
            stale, on=D(2025, 2, 1), reason="Giải thể", user=people.officer_b, expected_version=stale.version
        )
    club.refresh_from_db()
    assert (club.status, club.version) == (ModelStatus.PAUSED, 2)


# -- from the model's page ------------------------------------------------------------------------


def test_the_page_offers_the_actions_the_status_allows(client, people, club):
    client.force_login(people.officer_a)
    page = client.get(object_url(club)).content.decode()
    assert 'data-testid="pause"' in page and 'data-testid="dissolve"' in page and 'data-testid="resume"' not in page
    services.pause_model(club, on=D(2025, 1, 10), reason="Thiếu kinh phí", user=people.officer_a)
    page = client.get(object_url(club)).content.decode()
    assert 'data-testid="resume"' in page and 'data-testid="pause"' not in page
    assert "tạm dừng từ ngày 10/01/2025" in page and "Lý do: Thiếu kinh phí" in page
    services.dissolve_model(club, on=D(2025, 2, 1), reason="Giải thể", user=people.officer_a)
    page = client.get(object_url(club)).content.decode()
    assert 'data-testid="status-actions"' not in page and "giải thể từ ngày 01/02/2025" in page


def test_pausing_from_the_page(client, people, club):
    client.force_login(people.officer_a)
    response = client.post(
        reverse("community:preventionmodel_pause", args=[club.pk]),
        {"version": club.version, "on": "10/01/2025", "reason": "Thiếu kinh phí hoạt động"},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Đã ghi tạm dừng hoạt động của mô hình." in page
    club.refresh_from_db()
    assert (club.status, club.paused_on, club.updated_by) == (ModelStatus.PAUSED, D(2025, 1, 10), people.officer_a)
    # The history on the page shows the change.
    assert "Tạm dừng hoạt động" in page and "10/01/2025" in page


def test_a_stale_page_gets_409_and_sees_the_model_as_it_now_is(client, people, club):
    client.force_login(people.officer_a)
    opened_version = club.version
    services.dissolve_model(
        PreventionModel.objects.get(pk=club.pk), on=D(2025, 2, 1), reason="Sáp nhập", user=people.province_officer
    )
    response = client.post(
        reverse("community:preventionmodel_pause", args=[club.pk]),
        {"version": opened_version, "on": "10/01/2025", "reason": "Thiếu kinh phí"},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Thao tác CHƯA được thực hiện" in page and "tình trạng hiện tại là “Đã giải thể”" in page
    assert people.province_officer.full_name in page
    club.refresh_from_db()
    assert (club.status, club.paused_on, club.version) == (ModelStatus.DISSOLVED, None, opened_version + 1)


def test_a_refused_action_shows_why_and_keeps_what_was_typed(client, people, club):
    client.force_login(people.officer_a)
    url = reverse("community:preventionmodel_dissolve", args=[club.pk])
    response = client.post(url, {"version": club.version, "on": "01/01/2020", "reason": "Sáp nhập"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Ngày giải thể không thể trước ngày thành lập (01/04/2022)." in page
    assert "Sáp nhập</textarea>" in page
    response = client.post(url, {"version": club.version, "on": "01/06/2025", "reason": ""})
    assert response.status_code == 400 and "Trường này là bắt buộc." in response.content.decode()
    club.refresh_from_db()
    assert club.status == ModelStatus.ACTIVE and club.version == 1


def test_status_actions_are_scoped_and_need_the_right_to_change(client, people, club, viewer_a):
    url = reverse("community:preventionmodel_pause", args=[club.pk])
    data = {"version": club.version, "on": "10/01/2025", "reason": "Thiếu kinh phí"}
    client.force_login(people.officer_b)
    assert client.post(url, data).status_code == 404
    client.force_login(viewer_a)
    assert client.post(url, data).status_code == 403
    assert 'data-testid="status-actions"' not in client.get(object_url(club)).content.decode()
    client.force_login(people.officer_a)
    assert client.get(url).status_code == 405
    club.refresh_from_db()
    assert club.status == ModelStatus.ACTIVE


# -- through the API ------------------------------------------------------------------------------


def test_api_status_actions_with_409_on_a_stale_version(client, people, club):
    client.force_login(people.officer_a)
    base = f"/api/prevention-models/{club.pk}"
    paused = client.post(
        f"{base}/pause/", {"version": 1, "on": "2025-01-10", "reason": "Thiếu kinh phí"}, content_type=JSON
    )
    assert paused.status_code == 200, paused.json()
    body = paused.json()
    assert (body["status"], body["paused_on"], body["version"], body["active_today"]) == (
        "paused",
        "2025-01-10",
        2,
        False,
    )

    stale = client.post(
        f"{base}/dissolve/", {"version": 1, "on": "2025-02-01", "reason": "Sáp nhập"}, content_type=JSON
    )
    assert stale.status_code == 409

    resumed = client.post(f"{base}/resume/", {"version": 2, "on": "2025-03-01"}, content_type=JSON)
    assert resumed.status_code == 200 and resumed.json()["status"] == "active"

    refused = client.post(f"{base}/dissolve/", {"version": 3, "on": "2025-04-01", "reason": ""}, content_type=JSON)
    assert refused.status_code == 400 and refused.json() == ["Hãy ghi lý do giải thể."]
    missing = client.post(f"{base}/dissolve/", {"on": "2025-04-01", "reason": "Sáp nhập"}, content_type=JSON)
    assert missing.status_code == 400 and "version" in missing.json()

    dissolved = client.post(
        f"{base}/dissolve/", {"version": 3, "on": "2025-04-01", "reason": "Sáp nhập"}, content_type=JSON
    )
    assert dissolved.status_code == 200 and dissolved.json()["dissolved_on"] == "2025-04-01"


def test_api_edits_do_not_change_the_status(client, people, club):
    client.force_login(people.officer_a)
    url = f"/api/prevention-models/{club.pk}/"
    response = client.patch(
        url, {"status": "dissolved", "dissolved_on": "2025-01-01", "members_count": 25, "version": 1}, content_type=JSON
    )
    assert response.status_code == 200
    club.refresh_from_db()
    assert (club.status, club.dissolved_on, club.members_count) == (ModelStatus.ACTIVE, None, 25)


def test_api_status_actions_are_scoped(client, people, club, viewer_a):
    data = {"version": 1, "on": "2025-01-10", "reason": "Thiếu kinh phí"}
    client.force_login(people.officer_b)
    assert client.post(f"/api/prevention-models/{club.pk}/pause/", data, content_type=JSON).status_code == 404
    client.force_login(viewer_a)
    assert client.post(f"/api/prevention-models/{club.pk}/pause/", data, content_type=JSON).status_code == 403
    club.refresh_from_db()
    assert club.status == ModelStatus.ACTIVE
