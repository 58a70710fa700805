"""The activity and population pages: the full form with its audiences, the quick form for phones, filters,
export, attachments, optimistic locking and the unit summary."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.testing import count_queries
from lanhmanh.geo.tests.factories import AdminUnitFactory
from lanhmanh.outreach.models import ActivityAttachment, ActivityKind, CommunicationActivity, TargetGroup
from lanhmanh.outreach.tests.factories import CommunicationActivityFactory, TargetPopulationFactory

D = datetime.date
G = TargetGroup
ADD = reverse("outreach:communicationactivity_add")
QUICK = reverse("outreach:communicationactivity_quick")
LIST = reverse("outreach:communicationactivity_list")
SUMMARY = reverse("outreach:summary")


def formset_data(rows, *, initial=0):
    data = {
        "audiences-TOTAL_FORMS": str(len(rows)),
        "audiences-INITIAL_FORMS": str(initial),
        "audiences-MIN_NUM_FORMS": "0",
        "audiences-MAX_NUM_FORMS": "7",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"audiences-{i}-{key}"] = "" if value is None else value
    return data


def activity_data(people, **fields):
    return {
        "unit": people.commune_a.pk,
        "kind": "school_workplace",
        "held_on": "02/04/2026",
        "title": "Ngoại khóa phòng, chống tệ nạn xã hội tại Trường THCS Hồng Bàng",
        "materials_count": "300",
        "description": "",
        **fields,
    }


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("anh buoi tuyen truyen.png", buffer.getvalue(), content_type="image/png")


# -- the full form -------------------------------------------------------------------------------------------


def test_officer_records_an_activity_with_its_audiences(client, people, culture_a, health_p):
    client.force_login(people.officer_a)
    page = client.get(ADD).content.decode()
    assert 'name="audiences-TOTAL_FORMS"' in page and "Nhóm đối tượng và số người tham dự" in page
    response = client.post(
        ADD,
        {
            **activity_data(people, organiser=culture_a.pk, cooperating_agencies=[health_p.pk]),
            **formset_data(
                [
                    {"target_group": "students", "participants": "420"},
                    {"target_group": "officials", "participants": "18"},
                    {"target_group": "", "participants": ""},
                ]
            ),
        },
    )
    activity = CommunicationActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert (activity.participants_total, activity.materials_count, activity.created_by) == (438, 300, people.officer_a)
    assert list(activity.cooperating_agencies.all()) == [health_p]

    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "Học sinh, sinh viên" in detail and "420" in detail and "Sở Y tế" in detail
    assert "Tạo mới" in detail  # the history


def test_the_form_explains_what_is_wrong_and_saves_nothing(client, people, group_b):
    client.force_login(people.officer_a)
    no_group = client.post(ADD, {**activity_data(people), **formset_data([{"target_group": ""}])}).content.decode()
    assert "Hãy chọn ít nhất một nhóm đối tượng được tuyên truyền." in no_group
    twice = client.post(
        ADD,
        {
            **activity_data(people),
            **formset_data(
                [{"target_group": "students", "participants": "5"}, {"target_group": "students", "participants": "6"}]
            ),
        },
    )
    assert "Nhóm đối tượng “Học sinh, sinh viên” được ghi hai lần." in twice.content.decode()
    future = (datetime.date.today() + datetime.timedelta(days=3)).strftime("%d/%m/%Y")
    late = client.post(
        ADD, {**activity_data(people, held_on=future), **formset_data([{"target_group": "residents"}])}
    ).content.decode()
    assert "Ngày thực hiện không thể sau hôm nay." in late
    other = client.post(
        ADD, {**activity_data(people, residential_group=group_b.pk), **formset_data([{"target_group": "residents"}])}
    )
    assert "residential_group" in other.context["form"].errors  # B's groups are not even offered
    client.force_login(people.province_officer)
    other = client.post(
        ADD, {**activity_data(people, residential_group=group_b.pk), **formset_data([{"target_group": "residents"}])}
    ).content.decode()
    assert "Tổ dân phố, thôn này không thuộc Phường Hồng Bàng." in other
    assert not CommunicationActivity.objects.exists()


def test_an_officer_cannot_record_for_another_commune(client, people):
    client.force_login(people.officer_a)
    page = client.post(
        ADD, {**activity_data(people, unit=people.commune_b.pk), **formset_data([{"target_group": "residents"}])}
    )
    assert page.status_code == 200 and not CommunicationActivity.objects.exists()


def test_editing_replaces_the_audiences_and_refuses_a_stale_page(client, people):
    activity = CommunicationActivityFactory(
        unit=people.commune_a, held_on=D(2026, 4, 2), audiences=[(G.STUDENTS, 100), (G.OFFICIALS, 5)]
    )
    audiences = {a.target_group: a for a in activity.audiences.all()}
    url = reverse("outreach:communicationactivity_edit", args=[activity.pk])
    client.force_login(people.officer_a)
    assert 'value="100"' in client.get(url).content.decode()
    rows = [
        {
            "id": audiences["officials"].pk,
            "activity": activity.pk,
            "target_group": "officials",
            "participants": "5",
            "DELETE": "on",
        },
        {"id": audiences["students"].pk, "activity": activity.pk, "target_group": "students", "participants": "150"},
        {"activity": activity.pk, "target_group": "residents", "participants": ""},
    ]
    data = {**activity_data(people, expected_version="1"), **formset_data(rows, initial=2)}
    assert client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.participants_total == 150 and activity.version == 2
    assert {(a.target_group, a.participants) for a in activity.audiences.all()} == {
        ("students", 150),
        ("residents", None),
    }

    stale = client.post(url, {**data, "title": "Sửa từ trang cũ", "expected_version": "1"})
    assert stale.status_code == 200 and "CHƯA được lưu" in stale.content.decode()
    activity.refresh_from_db()
    assert activity.title != "Sửa từ trang cũ" and activity.version == 2


# -- the quick form --------------------------------------------------------------------------------------------


def test_the_quick_form_records_the_common_case(client, people, groups_a, culture_a):
    client.force_login(people.officer_a)
    page = client.get(QUICK).content.decode()
    # The officer's only commune is chosen for them; only its residential groups are offered.
    assert f'<option value="{people.commune_a.pk}" selected>' in page
    assert "Tổ dân phố 1 — Phường Hồng Bàng" in page and "Ngô Quyền" not in page
    response = client.post(
        QUICK,
        {
            "unit": people.commune_a.pk,
            "kind": "group_session",
            "held_on": "12/05/2026",
            "residential_group": groups_a[1].pk,
            "organiser": culture_a.pk,
            "materials_count": "",
            "participants_residents": "65",
            "participants_business_owners": "7",
            "reached_officials": "on",
        },
    )
    activity = CommunicationActivity.objects.get()
    assert response.status_code == 302
    assert activity.title == "Sinh hoạt tổ dân phố, thôn tại Tổ dân phố 2"
    assert (activity.participants_total, activity.materials_count) == (72, 0)
    assert {(a.target_group, a.participants) for a in activity.audiences.all()} == {
        ("residents", 65),
        ("business_owners", 7),
        ("officials", None),
    }


def test_the_quick_form_needs_a_target_group(client, people):
    client.force_login(people.officer_a)
    negative = client.post(
        QUICK,
        {"unit": people.commune_a.pk, "kind": "loudspeaker", "held_on": "12/05/2026", "participants_students": "-4"},
    )
    assert not CommunicationActivity.objects.exists()
    assert "participants_students" in negative.context["form"].errors
    assert "invalid-feedback" in negative.content.decode()
    page = client.post(
        QUICK, {"unit": people.commune_a.pk, "kind": "loudspeaker", "held_on": "12/05/2026"}
    ).content.decode()
    assert "Hãy chọn ít nhất một nhóm đối tượng được tuyên truyền." in page


def test_a_viewer_cannot_open_the_forms(client, people, viewer_a):
    client.force_login(viewer_a)
    assert client.get(LIST).status_code == 200
    assert client.get(QUICK).status_code == 403 and client.get(ADD).status_code == 403


# -- list, filters, export -------------------------------------------------------------------------------------


def test_filters_find_activities_by_group_kind_period_and_place(client, people, groups_a):
    school = CommunicationActivityFactory(
        unit=people.commune_a,
        kind=ActivityKind.SCHOOL_WORKPLACE,
        held_on=D(2026, 4, 2),
        audiences=[(G.STUDENTS, 300), (G.OFFICIALS, 10)],
        title="Ngoại khóa ở trường",
    )
    session = CommunicationActivityFactory(
        unit=people.commune_a, held_on=D(2026, 2, 1), title="Sinh hoạt tổ 1", residential_group=groups_a[0]
    )
    CommunicationActivityFactory(
        unit=people.commune_b,
        held_on=D(2026, 4, 2),
        audiences=[(G.STUDENTS, 10)],
        title="Ở phường khác",
        kind=ActivityKind.CONTEST,
    )
    client.force_login(people.province_officer)

    def titles(**params):
        return [r.title for r in client.get(LIST, params).context["table"].data]

    assert titles(target_group="students", unit=people.commune_a.pk) == ["Ngoại khóa ở trường"]
    assert titles(kind="group_session") == ["Sinh hoạt tổ 1"]
    assert titles(residential_group=groups_a[0].pk) == ["Sinh hoạt tổ 1"]
    assert sorted(titles(held_on_after="01/03/2026", held_on_before="30/04/2026")) == [
        "Ngoại khóa ở trường",
        "Ở phường khác",
    ]
    assert titles(q="trường") == ["Ngoại khóa ở trường"]
    page = client.get(LIST).content.decode()
    assert "Học sinh, sinh viên: 300" in page and school.get_absolute_url() in page
    assert session.get_absolute_url() in page


def test_the_export_has_a_column_per_target_group(client, people):
    CommunicationActivityFactory(
        unit=people.commune_a, audiences=[(G.STUDENTS, 300), (G.RESIDENTS, None)], materials_count=1200
    )
    client.force_login(people.officer_a)
    sheet = load_workbook(io.BytesIO(client.get(LIST, {"export": "xlsx"}).content)).active
    header = [c.value for c in sheet[1]]
    row = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert {
        "Học sinh, sinh viên",
        "Người lao động tại cơ sở kinh doanh dịch vụ",
        "Công nhân khu công nghiệp",
        "Nhân dân",
        "Người bán dâm",
    } <= set(header)
    assert row["Học sinh, sinh viên"] == 300 and row["Nhân dân"] == "x" and row["Người bán dâm"] in ("", None)
    assert row["Tổng số người tham dự"] == 300 and row["Số tài liệu, tờ rơi, áp phích"] == 1200


# -- attachments -----------------------------------------------------------------------------------------------


def test_photos_are_attached_and_served_only_within_the_scope(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = CommunicationActivityFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    response = client.post(
        reverse("outreach:communicationactivity_attach", args=[activity.pk]),
        {"file": png(), "description": "Ảnh buổi sinh hoạt"},
        follow=True,
    )
    assert "Đã đính kèm tệp." in response.content.decode()
    attachment = ActivityAttachment.objects.get()
    assert "buoi" not in attachment.file.name and attachment.file.name.startswith("private/outreach/")
    url = reverse("outreach:communicationactivity_attachment", args=[activity.pk, attachment.pk])
    download = client.get(url)
    assert download.status_code == 200 and download["Cache-Control"] == "private, no-store"
    client.force_login(people.officer_b)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("outreach:communicationactivity_attach", args=[activity.pk]), {"file": png()}).status_code
        == 404
    )


def test_a_file_that_is_not_a_photo_or_pdf_is_refused(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = CommunicationActivityFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    fake = SimpleUploadedFile("virus.png", b"MZ not an image", content_type="image/png")
    page = client.post(
        reverse("outreach:communicationactivity_attach", args=[activity.pk]), {"file": fake}, follow=True
    ).content.decode()
    assert "Chỉ nhận ảnh JPG, PNG hoặc tệp PDF." in page and not ActivityAttachment.objects.exists()


# -- populations -----------------------------------------------------------------------------------------------


def test_the_population_pages_show_the_recorded_and_the_registry_figures(client, people):
    BusinessFactory(unit=people.commune_a, workers_total=12, workforce_as_of=D(2026, 1, 1))
    BusinessFactory(unit=people.commune_a, workers_total=8, workforce_as_of=D(2026, 1, 1))
    population = TargetPopulationFactory(unit=people.commune_a, year=2026, students=1500, risk_workers=None)
    client.force_login(people.officer_a)
    listing = client.get(reverse("outreach:targetpopulation_list"))
    row = listing.context["table"].data[0]
    assert (row.registry_risk_workers, row.geo_residential_groups) == (20, None)
    assert "2026" in listing.content.decode()
    detail = client.get(population.get_absolute_url()).content.decode()
    assert "chưa ghi" in detail and ">20<" in detail


def test_a_population_is_recorded_through_the_form(client, people):
    client.force_login(people.officer_a)
    url = reverse("outreach:targetpopulation_add")
    response = client.post(
        url,
        {
            "unit": people.commune_a.pk,
            "year": "2026",
            "students": "2300",
            "iz_workers": "",
            "risk_workers": "",
            "residential_groups": "",
            "source": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    again = client.post(url, {"unit": people.commune_a.pk, "year": "2026", "students": "10"}).content.decode()
    assert "Đã có số liệu năm 2026 của Phường Hồng Bàng." in again


# -- the summary -----------------------------------------------------------------------------------------------


def test_the_summary_shows_no_data_where_there_is_no_denominator(client, people):
    TargetPopulationFactory(unit=people.commune_a, year=2026, students=1000)
    CommunicationActivityFactory(unit=people.commune_a, held_on=D(2026, 3, 1), audiences=[(G.STUDENTS, 250)])
    CommunicationActivityFactory(unit=people.commune_b, held_on=D(2026, 3, 1), audiences=[(G.IZ_WORKERS, 90)])
    client.force_login(people.province_officer)
    response = client.get(SUMMARY, {"unit": people.province.pk, "year": 2026})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="activities"><a href="' in page and ">2</a>" in page
    assert "25%" in page and "Chưa có số liệu" in page and "1/2 xã, phường có số liệu" in page
    children = response.context["children"]
    assert [row.unit.code for row, _l, _s in children] == ["11311", "11329"]
    assert "target_group=students" in page and "held_on_after=01%2F01%2F2026" in page


def test_the_summary_defaults_to_the_users_unit_and_this_year(client, people):
    client.force_login(people.officer_a)
    response = client.get(SUMMARY)
    assert response.context["summary"].unit == people.commune_a
    assert response.context["summary"].year == datetime.date.today().year
    # A unit outside the officer's subtree is refused, not summarised.
    refused = client.get(SUMMARY, {"unit": people.province.pk, "year": 2026})
    assert "summary" not in refused.context


def test_the_summary_page_takes_the_same_queries_however_many_communes(client, people):
    client.force_login(people.province_officer)
    CommunicationActivityFactory(unit=people.commune_a, held_on=D(2026, 3, 1))
    params = {"unit": people.province.pk, "year": 2026}
    client.get(SUMMARY, params)  # warm caches
    few = count_queries(lambda: client.get(SUMMARY, params))
    for n in range(6):
        commune = AdminUnitFactory(code=f"1150{n}", parent=people.province, name=f"Phường Thử {n}")
        TargetPopulationFactory(unit=commune, year=2026)
        CommunicationActivityFactory(unit=commune, held_on=D(2026, 5, 1), audiences=[(G.STUDENTS, 40)])
    assert count_queries(lambda: client.get(SUMMARY, params)) == few
