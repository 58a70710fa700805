"""Recording courses with their participants and reading the staff-trained figures through the web pages."""

import datetime

from django.urls import reverse

from lanhmanh.core.testing import count_queries
from lanhmanh.geo.models import AdminUnit
from lanhmanh.geo.tests.factories import AdminUnitFactory, AgencyFactory
from lanhmanh.training import services
from lanhmanh.training.models import StaffCount, Training, TrainingParticipantGroup
from lanhmanh.training.tests.factories import StaffCountFactory, TrainingFactory

ADD = reverse("training:training_add")
LIST = reverse("training:training_list")
STAFF_TRAINED = reverse("training:staff_trained")
D = datetime.date


def management(total, initial=0):
    return {
        "groups-TOTAL_FORMS": str(total),
        "groups-INITIAL_FORMS": str(initial),
        "groups-MIN_NUM_FORMS": "0",
        "groups-MAX_NUM_FORMS": "1000",
    }


def course_data(unit, groups=(), **overrides):
    data = {
        "unit": unit.pk,
        "title": "Tập huấn nghiệp vụ phòng, chống mại dâm năm 2026",
        "starts_on": "12/03/2026",
        "ends_on": "13/03/2026",
        "venue": "Hội trường UBND phường",
        "summary": "Phổ biến Nghị định 144/2021.",
        "materials_count": "40",
        **management(len(groups)),
    }
    for i, group in enumerate(groups):
        data.update({f"groups-{i}-{k}": v for k, v in group.items()})
    data.update(overrides)
    return data


def test_officer_records_a_course_with_its_participants_by_agency(client, people):
    police = AgencyFactory(unit=people.commune_a, name="Công an phường Hồng Bàng")
    organiser = AgencyFactory(unit=people.commune_a, name="Phòng Văn hóa - Xã hội phường Hồng Bàng")
    AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
    client.force_login(people.officer_a)
    form = client.get(ADD).content.decode()
    assert f'value="{people.commune_a.pk}" selected' in form  # their only commune is pre-chosen
    assert "Công an phường Hồng Bàng" in form and "Công an phường Ngô Quyền" not in form
    assert 'name="groups-TOTAL_FORMS"' in form and "training-groups.js" in form

    response = client.post(
        ADD,
        course_data(
            people.commune_a,
            organiser=organiser.pk,
            groups=[
                {"agency": police.pk, "participants": "12", "programme_staff": "5"},
                {"agency_name": "Tổ trưởng tổ dân phố", "participants": "9", "programme_staff": ""},
                {},  # a row left empty
            ],
        ),
    )
    training = Training.objects.get()
    assert response.status_code == 302 and response["Location"] == training.get_absolute_url()
    assert (training.level, training.participants_total, training.programme_staff_total) == ("commune", 21, 5)
    assert (training.starts_on, training.ends_on, training.created_by) == (
        D(2026, 3, 12),
        D(2026, 3, 13),
        people.officer_a,
    )
    groups = {g.agency_label: g for g in training.participant_groups.all()}
    assert groups["Công an phường Hồng Bàng"].participant_unit == people.commune_a
    assert groups["Tổ trưởng tổ dân phố"].participant_unit == people.commune_a  # the course's unit by default
    assert groups["Tổ trưởng tổ dân phố"].programme_staff == 0

    page = client.get(training.get_absolute_url()).content.decode()
    assert "Tập huấn nghiệp vụ phòng, chống mại dâm năm 2026 (12/03/2026)" in page
    assert "Công an phường Hồng Bàng" in page and "Tổ trưởng tổ dân phố" in page
    assert 'data-total="participants">21<' in page and 'data-total="programme_staff">5<' in page
    assert "Cấp xã" in page and "Tạo mới" in page  # level and history
    assert "Lịch sử thay đổi người tham dự" in page


def test_a_bad_participant_row_keeps_everything_unsaved_with_the_error_shown(client, people):
    police_b = AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
    client.force_login(people.province_officer)
    response = client.post(
        ADD,
        course_data(
            people.commune_a,
            groups=[
                {"agency_name": "Đoàn Thanh niên", "participants": "5", "programme_staff": "7"},
                {"agency": police_b.pk, "participants": "3"},
            ],
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "không thể lớn hơn số người tham dự" in page
    assert "Người tham dự phải thuộc Phường Hồng Bàng hoặc đơn vị trực thuộc." in page
    assert not Training.objects.exists() and not TrainingParticipantGroup.objects.exists()


def test_a_commune_officer_cannot_record_for_another_commune(client, people):
    client.force_login(people.officer_a)
    response = client.post(ADD, course_data(people.commune_b))
    assert response.status_code == 200 and not Training.objects.exists()


def _saved(people):
    training = Training(unit=people.commune_a, title="Tập huấn kỹ năng truyền thông", starts_on=D(2026, 4, 2))
    groups = [
        TrainingParticipantGroup(agency_name="Hội Phụ nữ phường", participants=10, programme_staff=2),
        TrainingParticipantGroup(agency_name="Công an phường", participants=6, programme_staff=4),
    ]
    return services.training_save(training=training, groups=groups, user=people.officer_a)


def _edit_data(training, **overrides):
    groups = list(training.participant_groups.order_by("pk"))
    data = course_data(
        training.unit,
        title=training.title,
        starts_on="02/04/2026",
        ends_on="",
        venue="",
        summary="",
        materials_count="",
        expected_version=str(training.version),
        **management(len(groups) + 1, len(groups)),
    )
    for i, g in enumerate(groups):
        data.update(
            {
                f"groups-{i}-id": g.pk,
                f"groups-{i}-training": training.pk,
                f"groups-{i}-agency_name": g.agency_name,
                f"groups-{i}-participants": g.participants,
                f"groups-{i}-programme_staff": g.programme_staff,
            }
        )
    data.update(overrides)
    return data


def test_editing_changes_adds_and_removes_groups_and_the_totals_follow(client, people):
    training = _saved(people)
    client.force_login(people.officer_a)
    url = reverse("training:training_edit", args=[training.pk])
    assert 'name="groups-0-agency_name"' in client.get(url).content.decode()
    response = client.post(
        url,
        _edit_data(
            training,
            **{
                "groups-0-participants": "12",
                "groups-1-DELETE": "on",
                "groups-2-agency_name": "Trạm Y tế phường",
                "groups-2-participants": "3",
                "groups-2-programme_staff": "1",
            },
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    training.refresh_from_db()
    assert (training.participants_total, training.programme_staff_total, training.version) == (15, 3, 2)
    assert sorted(g.agency_name for g in training.participant_groups.all()) == ["Hội Phụ nữ phường", "Trạm Y tế phường"]
    page = client.get(training.get_absolute_url()).content.decode()
    assert "16</del> → 15" in page  # the course's history shows the totals' change


def test_a_stale_edit_is_refused_and_nothing_is_written(client, people):
    training = _saved(people)
    data = _edit_data(training, **{"groups-0-participants": "30"})
    other = Training.objects.get(pk=training.pk)
    services.training_save(training=other, groups=[], user=people.province_officer, expected_version=1)
    client.force_login(people.officer_a)
    response = client.post(reverse("training:training_edit", args=[training.pk]), data)
    assert response.status_code == 200
    assert "CHƯA được lưu" in response.content.decode()
    training.refresh_from_db()
    assert training.participants_total == 16 and training.version == 2
    assert not training.participant_groups.filter(participants=30).exists()


def test_the_list_filters_by_level_dates_and_organiser(client, people):
    health = AgencyFactory(unit=people.province, name="Sở Y tế")
    TrainingFactory(unit=people.province, title="Lớp tỉnh tháng 3", starts_on=D(2026, 3, 2), organiser=health)
    TrainingFactory(unit=people.commune_a, title="Lớp phường tháng 5", starts_on=D(2026, 5, 2))
    TrainingFactory(unit=people.commune_b, title="Lớp phường năm trước", starts_on=D(2025, 5, 2))
    client.force_login(people.province_officer)

    def titles(**params):
        page = client.get(LIST, params).content.decode()
        return {t for t in ("Lớp tỉnh tháng 3", "Lớp phường tháng 5", "Lớp phường năm trước") if t in page}

    assert titles() == {"Lớp tỉnh tháng 3", "Lớp phường tháng 5", "Lớp phường năm trước"}
    assert titles(level="commune") == {"Lớp phường tháng 5", "Lớp phường năm trước"}
    assert titles(starts_on_after="01/01/2026", starts_on_before="31/12/2026") == {
        "Lớp tỉnh tháng 3",
        "Lớp phường tháng 5",
    }
    assert titles(organiser=health.pk) == {"Lớp tỉnh tháng 3"}
    assert titles(unit=people.commune_b.pk) == {"Lớp phường năm trước"}
    client.force_login(people.officer_a)
    assert titles() == {"Lớp phường tháng 5"}


def test_the_export_holds_the_totals(client, people):
    _saved(people)
    client.force_login(people.officer_a)
    rows = client.get(LIST, {"export": "csv"}).content.decode("utf-8-sig").splitlines()
    assert "Số lượt người tham dự" in rows[0]
    assert "Tập huấn kỹ năng truyền thông" in rows[1] and ",16,6," in rows[1]


def test_staff_counts_are_recorded_once_per_unit_and_year(client, people):
    client.force_login(people.officer_a)
    add = reverse("training:staffcount_add")
    response = client.post(add, {"unit": people.commune_a.pk, "year": "2026", "staff": "8"})
    assert response.status_code == 302
    assert StaffCount.objects.get().staff == 8
    again = client.post(add, {"unit": people.commune_a.pk, "year": "2026", "staff": "9"})
    assert "Đã có số cán bộ của Phường Hồng Bàng năm 2026." in again.content.decode()
    page = client.get(reverse("training:staffcount_list")).content.decode()
    assert ">2026<" in page and "2.026" not in page
    page = client.get(StaffCount.objects.get().get_absolute_url()).content.decode()
    assert ">2026<" in page and "2.026" not in page


def test_the_staff_trained_page_shows_figures_and_no_data(client, people):
    police_a = AgencyFactory(unit=people.commune_a, name="Công an phường Hồng Bàng")
    services.training_save(
        training=Training(unit=people.province, title="Tập huấn tỉnh", starts_on=D(2026, 3, 2)),
        groups=[
            TrainingParticipantGroup(participant_unit=people.province, participants=20, programme_staff=12),
            TrainingParticipantGroup(agency=police_a, participants=3, programme_staff=3),
        ],
        user=None,
    )
    StaffCountFactory(unit=people.province, year=2026, staff=40)
    StaffCountFactory(unit=people.commune_a, year=2026, staff=6)
    client.force_login(people.province_officer)
    response = client.get(STAFF_TRAINED, {"unit": people.province.pk, "year": 2026})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-row="province"' in page and "30,0%" in page  # 12 of 40
    assert "50,0%" in page  # commune A: 3 of 6
    assert "Chưa có số liệu" in page  # commune B recorded no staff
    assert "Phường Ngô Quyền" in page and f"?unit={people.commune_b.pk}&amp;year=2026" in page
    assert 'data-testid="courses"' in page


def test_the_staff_trained_page_defaults_to_the_users_unit_and_this_year(client, people):
    client.force_login(people.officer_a)
    page = client.get(STAFF_TRAINED).content.decode()
    assert "Phường Hồng Bàng · năm" in page and "Chưa có số liệu" in page
    assert client.get(STAFF_TRAINED, {"unit": people.commune_b.pk}).status_code == 200
    assert "Phường Ngô Quyền ·" not in client.get(STAFF_TRAINED, {"unit": people.commune_b.pk}).content.decode()


def test_the_staff_trained_page_needs_the_permission(client, people):
    client.force_login(people.nobody)
    assert client.get(STAFF_TRAINED).status_code == 403


def test_the_staff_trained_page_query_count_does_not_grow_with_units_or_courses(client, people):
    client.force_login(people.province_officer)
    params = {"unit": people.province.pk, "year": 2026}
    client.get(STAFF_TRAINED, params)
    few = count_queries(lambda: client.get(STAFF_TRAINED, params))
    for n in range(8):
        unit = AdminUnitFactory(code=f"1160{n}", level=AdminUnit.Level.COMMUNE, parent=people.province)
        StaffCountFactory(unit=unit, year=2026, staff=5)
        services.training_save(
            training=Training(unit=unit, title="Tập huấn", starts_on=D(2026, 3, 2)),
            groups=[TrainingParticipantGroup(participants=4, programme_staff=2)],
            user=None,
        )
    assert count_queries(lambda: client.get(STAFF_TRAINED, params)) == few


def test_moving_a_course_to_the_province_changes_its_level(client, people):
    training = _saved(people)
    client.force_login(people.province_officer)
    data = _edit_data(training, unit=people.province.pk)
    response = client.post(reverse("training:training_edit", args=[training.pk]), data)
    assert response.status_code == 302
    training.refresh_from_db()
    assert (training.unit, training.level) == (people.province, "province")
