"""Registering, finding and reviewing businesses through the web pages."""

import datetime

from django.urls import reverse
from django.utils import timezone

from lanhmanh.businesses.models import Business
from lanhmanh.businesses.tests.factories import BusinessFactory, CommitmentFactory
from lanhmanh.core.testing import count_queries
from lanhmanh.geo.tests.factories import ResidentialGroupFactory

ADD = reverse("businesses:business_add")
LIST = reverse("businesses:business_list")


def _form(unit, business_type, **overrides):
    data = {
        "unit": unit.pk, "name": "Karaoke Hoa Hồng", "business_type": business_type.pk,
        "address": "Số 12 đường Lạch Tray", "owner_name": "Nguyễn Văn An", "owner_phone": "0912 345 678",
        "licence_number": "0201/HKD", "licence_date": "15/03/2019", "status": "operating",
        "subject_to_management": "on", "workers_total": "12", "workers_female": "8",
        "workers_other_province": "5", "workforce_as_of": "01/10/2026", "risk_level": "medium",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_officer_registers_a_business_of_their_commune(client, people, types):
    client.force_login(people.officer_a)
    form = client.get(ADD).content.decode()
    assert f'value="{people.commune_a.pk}" selected' in form  # their only commune is pre-chosen
    response = client.post(ADD, _form(people.commune_a, types["karaoke"]))
    business = Business.objects.get()
    assert response["Location"] == business.get_absolute_url()
    assert business.unit == people.commune_a and business.created_by == people.officer_a
    assert business.licence_date == datetime.date(2019, 3, 15)
    page = client.get(business.get_absolute_url()).content.decode()
    assert "Karaoke Hoa Hồng" in page and "15/03/2019" in page and "Chưa có bản cam kết nào" in page
    assert "Tạo mới" in page  # history


def test_rules_are_explained_in_vietnamese_and_nothing_is_saved(client, people, types):
    other_group = ResidentialGroupFactory(parent=people.commune_b)
    client.force_login(people.officer_a)
    page = client.post(ADD, _form(people.commune_a, types["karaoke"], workers_female="20", status="suspended",
                                  residential_group=other_group.pk, licence_date="31/02/2019")).content.decode()
    assert "Số lao động nữ không thể lớn hơn tổng số lao động." in page
    assert "tạm ngừng hoặc ngừng hoạt động từ ngày nào" in page
    assert "Nhập một ngày hợp lệ." in page  # 31/02 does not exist
    assert Business.objects.count() == 0


def test_commune_officer_cannot_register_for_another_commune(client, people, types):
    client.force_login(people.officer_a)
    page = client.post(ADD, _form(people.commune_b, types["karaoke"])).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page and Business.objects.count() == 0


def test_duplicates_are_found_by_licence_or_by_name_and_address(client, people, types):
    BusinessFactory(unit=people.commune_b, name="Karaoke Hoa Hồng", address="Số 12 đường Lạch Tray",
                    licence_number="0201/HKD")
    client.force_login(people.officer_a)
    by_licence = client.post(ADD, _form(people.commune_a, types["karaoke"], name="KARAOKE MỚI")).content.decode()
    assert "cùng số giấy đăng ký kinh doanh tại Phường Ngô Quyền" in by_licence
    by_name = client.post(ADD, _form(people.commune_a, types["karaoke"], name="karaoke  hoa hong",
                                     address="số 12, đường Lạch Tray", licence_number="")).content.decode()
    assert "cùng tên và địa chỉ" in by_name
    assert Business.objects.count() == 1


def test_filters_find_businesses_by_what_officers_ask(client, people, types):
    group = ResidentialGroupFactory(parent=people.commune_a, name="Tổ dân phố 3")
    signed = BusinessFactory(unit=people.commune_a, name="Nhà nghỉ Bình An", business_type=types["guest_house"],
                             risk_level="high", residential_group=group)
    CommitmentFactory(business=signed, signed_on=timezone.localdate() - datetime.timedelta(days=10),
                      valid_until=timezone.localdate() + datetime.timedelta(days=100))
    unsigned = BusinessFactory(unit=people.commune_a, name="Karaoke Sao Mai", business_type=types["karaoke"],
                               risk_level="low")
    expired = BusinessFactory(unit=people.commune_a, name="Massage Hải Âu", business_type=types["massage"])
    CommitmentFactory(business=expired, signed_on=datetime.date(2024, 1, 1), valid_until=datetime.date(2024, 12, 31))
    elsewhere = BusinessFactory(unit=people.commune_b, name="Karaoke Biển Xanh", business_type=types["karaoke"])
    client.force_login(people.province_officer)

    def names(**params):
        page = client.get(LIST, params).content.decode()
        return {b.name for b in (signed, unsigned, expired, elsewhere) if b.name in page}

    assert names() == {"Nhà nghỉ Bình An", "Karaoke Sao Mai", "Massage Hải Âu", "Karaoke Biển Xanh"}
    assert names(commitment="missing") == {"Karaoke Sao Mai", "Massage Hải Âu", "Karaoke Biển Xanh"}
    assert names(commitment="valid") == {"Nhà nghỉ Bình An"}
    assert names(business_type=types["karaoke"].pk) == {"Karaoke Sao Mai", "Karaoke Biển Xanh"}
    assert names(risk_level="high") == {"Nhà nghỉ Bình An"}
    assert names(residential_group=group.pk) == {"Nhà nghỉ Bình An"}
    assert names(unit=people.commune_b.pk) == {"Karaoke Biển Xanh"}
    assert names(q="nha nghi binh an") == {"Nhà nghỉ Bình An"}  # typed without diacritics


def test_officer_of_a_commune_never_sees_another_communes_businesses(client, people):
    BusinessFactory(unit=people.commune_b, name="Karaoke Biển Xanh")
    client.force_login(people.officer_a)
    assert "Karaoke Biển Xanh" not in client.get(LIST).content.decode()
    assert "Karaoke Biển Xanh" not in client.get(LIST, {"q": "Biển Xanh"}).content.decode()


def test_one_click_review_is_recorded_with_who_and_when(client, people):
    business = BusinessFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    response = client.post(reverse("businesses:business_review", args=[business.pk]), follow=True)
    business.refresh_from_db()
    assert business.last_reviewed_on == timezone.localdate()
    assert business.last_reviewed_by == people.officer_a and business.version == 2
    page = response.content.decode()
    assert f"Rà soát gần nhất ngày {timezone.localdate():%d/%m/%Y}" in page
    assert business.history.first().history_change_reason == "Rà soát định kỳ"


def test_bulk_review_marks_exactly_the_filtered_list(client, people, types):
    karaoke = [BusinessFactory(unit=people.commune_a, business_type=types["karaoke"]) for _ in range(3)]
    lodging = BusinessFactory(unit=people.commune_a, business_type=types["hotel"])
    elsewhere = BusinessFactory(unit=people.commune_b, business_type=types["karaoke"])
    client.force_login(people.officer_a)
    page = client.post(reverse("businesses:business_review_filtered"),
                       {"business_type": types["karaoke"].pk}, follow=True).content.decode()
    assert "Đã ghi nhận rà soát 3 cơ sở" in page
    reviewed = set(Business.objects.filter(last_reviewed_on=timezone.localdate()).values_list("pk", flat=True))
    assert reviewed == {b.pk for b in karaoke}
    assert lodging.pk not in reviewed and elsewhere.pk not in reviewed
    not_reviewed = client.get(LIST, {"reviewed_this_year": "no"}).content.decode()
    assert lodging.name in not_reviewed and karaoke[0].name not in not_reviewed


def test_viewer_cannot_review(client, people):
    from lanhmanh.accounts.roles import Role
    from lanhmanh.accounts.tests.factories import UserFactory

    viewer = UserFactory(roles=[(people.commune_a, Role.VIEWER)])
    business = BusinessFactory(unit=people.commune_a)
    client.force_login(viewer)
    assert client.post(reverse("businesses:business_review", args=[business.pk])).status_code == 403
    assert "Rà soát cả danh sách" not in client.get(LIST).content.decode()


def test_detail_page_query_count_is_constant(client, people):
    business = BusinessFactory(unit=people.commune_a)
    client.force_login(people.officer_a)
    url = business.get_absolute_url()
    before = count_queries(lambda: client.get(url))
    for _ in range(5):
        CommitmentFactory(business=business)
    client.post(reverse("businesses:business_review", args=[business.pk]))
    assert count_queries(lambda: client.get(url)) == before
