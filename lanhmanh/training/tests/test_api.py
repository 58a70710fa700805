"""The training API: a course with its participant groups in one request, the same rules as the form, no silent
overwrites, scoping; the staff counts; and the staff-trained figures."""

import datetime

from rest_framework.test import APIRequestFactory, force_authenticate

from lanhmanh.geo.tests.factories import AgencyFactory
from lanhmanh.training import services
from lanhmanh.training.api import StaffTrainedView
from lanhmanh.training.models import StaffCount, Training, TrainingParticipantGroup
from lanhmanh.training.tests.factories import StaffCountFactory

JSON = "application/json"
URL = "/api/trainings/"
D = datetime.date


def test_a_course_is_created_with_its_groups_and_updated_with_the_version_read(client, people):
    police_a = AgencyFactory(unit=people.commune_a, name="Công an phường Hồng Bàng")
    health = AgencyFactory(unit=people.province, name="Sở Y tế")
    client.force_login(people.province_officer)
    created = client.post(
        URL,
        {
            "unit": "31",
            "title": "Tập huấn nghiệp vụ năm 2026",
            "starts_on": "2026-03-02",
            "ends_on": "2026-03-03",
            "organiser": health.pk,
            "participant_groups": [
                {"participant_unit": "31", "agency_name": "Các sở, ngành", "participants": 30, "programme_staff": 12},
                {"agency": police_a.pk, "participants": 4, "programme_staff": 3},
            ],
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["level"], body["participants_total"], body["programme_staff_total"], body["version"]) == (
        "province",
        34,
        15,
        1,
    )
    groups = {g["agency_name"] or g["agency"]: g for g in body["participant_groups"]}
    assert groups[police_a.pk]["participant_unit"] == "11311" and groups[police_a.pk]["level"] == "commune"
    training = Training.objects.get()
    assert training.created_by == people.province_officer and training.participant_groups.count() == 2

    url = f"{URL}{body['id']}/"
    assert client.patch(url, {"title": "Khác"}, content_type=JSON).json() == {
        "version": ["Cần gửi kèm phiên bản (version) đã đọc."]
    }
    kept = client.patch(url, {"venue": "Hội trường Sở Y tế", "version": 1}, content_type=JSON)
    assert kept.status_code == 200 and len(kept.json()["participant_groups"]) == 2  # groups kept when omitted
    replaced = client.patch(
        url,
        {"version": 2, "participant_groups": [{"participant_unit": "31", "participants": 25, "programme_staff": 10}]},
        content_type=JSON,
    )
    assert replaced.status_code == 200, replaced.content
    assert (replaced.json()["participants_total"], replaced.json()["programme_staff_total"]) == (25, 10)
    assert TrainingParticipantGroup.objects.count() == 1

    stale = client.patch(url, {"version": 2, "participant_groups": []}, content_type=JSON)
    assert stale.status_code == 409
    training.refresh_from_db()
    assert (training.version, training.participants_total) == (3, 25)
    assert TrainingParticipantGroup.objects.count() == 1


def test_the_api_refuses_what_the_form_refuses(client, people):
    police_b = AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
    client.force_login(people.province_officer)

    def post(**data):
        return client.post(
            URL, {"unit": "11311", "title": "Tập huấn", "starts_on": "2026-03-02", **data}, content_type=JSON
        ).json()

    assert post(ends_on="2026-03-01")["ends_on"] == ["Ngày kết thúc không thể trước ngày bắt đầu (02/03/2026)."]
    assert post(level="province")["level"] == ["Phường Hồng Bàng là đơn vị cấp xã."]
    errors = post(
        participant_groups=[
            {"participants": 3, "programme_staff": 1},
            {"agency": police_b.pk, "participants": 3},
            {"participants": 2, "programme_staff": 5},
        ]
    )["participant_groups"]
    assert "0" not in errors  # errors are keyed by the failing rows' index, as DRF does
    assert errors["1"] == {"agency": ["Người tham dự phải thuộc Phường Hồng Bàng hoặc đơn vị trực thuộc."]}
    assert errors["2"] == {
        "programme_staff": ["Số cán bộ làm công tác phòng, chống tệ nạn xã hội không thể lớn hơn số người tham dự."]
    }
    assert not Training.objects.exists()


def test_a_commune_officer_cannot_write_or_name_what_is_outside_their_commune(client, people):
    police_b = AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
    client.force_login(people.officer_a)
    response = client.post(URL, {"unit": "11329", "title": "Tập huấn", "starts_on": "2026-03-02"}, content_type=JSON)
    assert response.status_code == 400 and "unit" in response.json()
    response = client.post(
        URL,
        {
            "unit": "11311",
            "title": "Tập huấn",
            "starts_on": "2026-03-02",
            "participant_groups": [{"agency": police_b.pk, "participants": 3}],
        },
        content_type=JSON,
    )
    assert response.status_code == 400 and "agency" in response.json()["participant_groups"]["0"]
    assert not Training.objects.exists()


def test_staff_counts_through_the_api(client, people):
    client.force_login(people.officer_a)
    created = client.post("/api/staff-counts/", {"unit": "11311", "year": 2026, "staff": 8}, content_type=JSON)
    assert created.status_code == 201, created.content
    again = client.post("/api/staff-counts/", {"unit": "11311", "year": 2026, "staff": 9}, content_type=JSON)
    assert again.status_code == 400
    assert again.json()["year"] == ["Đã có số cán bộ của Phường Hồng Bàng năm 2026."]
    url = f"/api/staff-counts/{created.json()['id']}/"
    assert client.patch(url, {"staff": 9, "version": 1}, content_type=JSON).json()["staff"] == 9
    assert client.patch(url, {"staff": 10, "version": 1}, content_type=JSON).status_code == 409
    assert StaffCount.objects.get().staff == 9


def _staff_trained(user, **params):
    request = APIRequestFactory().get("/api/staff-trained/", params)
    force_authenticate(request, user=user)
    return StaffTrainedView.as_view()(request)


def test_the_staff_trained_figures_as_json(people):
    services.training_save(
        training=Training(unit=people.province, title="Tập huấn", starts_on=D(2026, 3, 2)),
        groups=[
            TrainingParticipantGroup(participant_unit=people.province, participants=20, programme_staff=12),
            TrainingParticipantGroup(participant_unit=people.commune_a, participants=3, programme_staff=3),
        ],
        user=None,
    )
    StaffCountFactory(unit=people.province, year=2026, staff=40)
    StaffCountFactory(unit=people.commune_a, year=2026, staff=6)
    response = _staff_trained(people.province_officer, unit=people.province.pk, year=2026)
    assert response.status_code == 200, response.data
    data = response.data
    assert (data["unit"], data["year"]) == ("31", 2026)
    assert (data["province"]["percent"], data["province"]["staff"], data["province"]["trained"]) == (30.0, 40, 12)
    assert (data["commune"]["percent"], data["commune"]["units_recorded"], data["commune"]["units_total"]) == (
        50.0,
        1,
        2,
    )
    assert data["commune"]["partial"] is True
    children = {row["key"]: row for row in data["children"]}
    assert children["11329"]["percent"] is None and children["11329"]["staff"] is None  # no data, not 0%
    assert children["11311"]["percent"] == 50.0


def test_the_staff_trained_figures_are_scoped(people):
    assert _staff_trained(people.officer_a, unit=people.commune_b.pk, year=2026).status_code == 404
    own = _staff_trained(people.officer_a)
    assert own.status_code == 200 and own.data["unit"] == "11311"
    assert own.data["commune"]["percent"] is None
    assert _staff_trained(people.nobody).status_code == 403
    assert _staff_trained(people.officer_a, year="hai nghìn").status_code == 400


def test_moving_a_course_away_from_its_participants_needs_new_groups(client, people):
    client.force_login(people.province_officer)
    created = client.post(
        URL,
        {"unit": "11311", "title": "Tập huấn phường", "starts_on": "2026-03-02",
         "participant_groups": [{"participant_unit": "11311", "participants": 10, "programme_staff": 4}]},
        content_type=JSON,
    )
    assert created.status_code == 201, created.content
    url = f"{URL}{created.json()['id']}/"
    moved = client.patch(url, {"unit": "11329", "version": 1}, content_type=JSON)
    assert moved.status_code == 400 and Training.objects.get().unit == people.commune_a
    assert "participant_groups" in moved.json()["unit"][0]
    with_groups = client.patch(
        url,
        {"unit": "11329", "version": 1,
         "participant_groups": [{"participant_unit": "11329", "participants": 8, "programme_staff": 3}]},
        content_type=JSON,
    )
    assert with_groups.status_code == 200, with_groups.content
    assert Training.objects.get().unit == people.commune_b
