"""Recording and reading cases through the web pages: who may, what they see, and the access log."""

import datetime

from django.urls import reverse

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.core.models import AccessLog
from lanhmanh.core.testing import login_with_second_factor
from lanhmanh.enforcement.models import CaseType, EnforcementCase
from lanhmanh.enforcement.tests.factories import EnforcementCaseFactory
from lanhmanh.geo.tests.factories import AgencyFactory
from lanhmanh.inspections.tests.factories import InspectionVisitFactory

ADD = reverse("enforcement:enforcementcase_add")
LIST = reverse("enforcement:enforcementcase_list")
COMPARISON = reverse("enforcement:comparison")
D = datetime.date


def _form(unit, offences, **overrides):
    data = {
        "unit": unit.pk, "case_type": "criminal", "reference_number": "07/2026/VAHS", "detected_on": "10/03/2026",
        "offences": [o.pk for o in offences], "instituted_on": "12/03/2026", "people_arrested": "4",
        "people_prosecuted": "2", "people_fined_admin": "3", "fines_total": "4.500.000", "sellers_identified": "3",
        "sellers_referred": "2", "minors_identified": "", "summary": "Bắt quả tang hoạt động chứa mại dâm.",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_officer_records_a_criminal_case_and_reads_it(client, people, offences):
    business = BusinessFactory(unit=people.commune_a, name="Nhà nghỉ Bình An")
    # Handled by the province police: an agency above the commune, offered to the commune's officer.
    police = AgencyFactory(unit=people.province, name="Phòng Cảnh sát hình sự")
    AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
    client.force_login(people.officer_a)
    form = client.get(ADD).content.decode()
    assert f'value="{people.commune_a.pk}" selected' in form  # their only commune is pre-chosen
    assert "Phòng Cảnh sát hình sự" in form and "Công an phường Ngô Quyền" not in form
    assert "KHÔNG ghi họ tên" in form  # the summary's warning
    response = client.post(ADD, _form(people.commune_a, [offences["blhs2015-327"]], business=business.pk,
                                      agency=police.pk))
    case = EnforcementCase.objects.get()
    assert response["Location"] == case.get_absolute_url()
    assert (case.unit, case.case_type, case.detected_on, case.instituted_on) == (
        people.commune_a, CaseType.CRIMINAL, D(2026, 3, 10), D(2026, 3, 12))
    assert (case.fines_total, case.minors_identified, case.created_by) == (4_500_000, 0, people.officer_a)
    assert [o.code for o in case.offences.all()] == ["blhs2015-327"]

    page = client.get(case.get_absolute_url()).content.decode()
    assert "Vụ án hình sự số 07/2026/VAHS (phát hiện ngày 10/03/2026)" in page
    assert "Tội chứa mại dâm" in page and "Điều 327 Bộ luật Hình sự 2015" in page
    assert "12/03/2026" in page and "4.500.000 đ" in page and "Phòng Cảnh sát hình sự" in page
    assert f'<a href="{business.get_absolute_url()}">Nhà nghỉ Bình An</a>' in page
    assert "Tạo mới" in page  # history
    log = AccessLog.objects.get()  # a case is police information: the reading is logged
    assert (log.user, log.unit, log.object_id) == (people.officer_a, people.commune_a, str(case.pk))


def test_the_rules_are_explained_in_vietnamese_and_nothing_is_saved(client, people, offences):
    client.force_login(people.officer_a)
    page = client.post(ADD, _form(people.commune_a, [offences["nd144-harbouring"]], instituted_on="05/03/2026",
                                  sellers_referred="5")).content.decode()
    assert "Không thể trước ngày phát hiện (10/03/2026)." in page
    assert "là hành vi vi phạm hành chính, không dùng cho vụ án hình sự." in page
    assert "Số người được chuyển hỗ trợ không thể lớn hơn số người bán dâm được phát hiện." in page
    page = client.post(ADD, _form(people.commune_a, [], case_type="administrative")).content.decode()
    assert "Chỉ ghi với vụ án hình sự." in page and "Chỉ vụ án hình sự mới có bị can bị khởi tố." in page
    assert "Hãy chọn ít nhất một tội danh hoặc hành vi vi phạm." in page
    assert not EnforcementCase.objects.exists()


def test_a_commune_cannot_record_or_read_another_communes_cases(client, people, offences):
    case_b = EnforcementCaseFactory(unit=people.commune_b)
    client.force_login(people.officer_a)
    page = client.post(ADD, _form(people.commune_b, [offences["blhs2015-327"]])).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page
    assert client.get(case_b.get_absolute_url()).status_code == 404
    assert client.get(f"/api/enforcement-cases/{case_b.pk}/").status_code == 404
    assert EnforcementCase.objects.count() == 1


def test_police_see_and_record_cases(client, people, police_a, offences):
    case = EnforcementCaseFactory(unit=people.commune_a, offences=[offences["nd144-buying"]])
    login_with_second_factor(client, police_a)
    assert "Mua dâm" in client.get(LIST).content.decode()
    assert client.get(case.get_absolute_url()).status_code == 200
    response = client.post(ADD, _form(people.commune_a, [offences["blhs2015-328"]]))
    assert response.status_code == 302 and EnforcementCase.objects.count() == 2
    assert client.get(COMPARISON).status_code == 200


def test_viewers_inspectors_auditors_and_approvers_do_not_see_cases(client, people, viewer_a, inspector_a):
    case = EnforcementCaseFactory(unit=people.commune_a)
    business = BusinessFactory(unit=people.commune_a)
    case.business = business
    case.save()
    auditor = UserFactory(username="giamsat.a", roles=[(people.commune_a, Role.AUDITOR)])
    approver = UserFactory(username="lanhdao.a", roles=[(people.commune_a, Role.APPROVER)])
    for user in (viewer_a, inspector_a, auditor, approver):
        client.force_login(user)
        assert client.get(LIST).status_code == 403
        assert client.get(case.get_absolute_url()).status_code == 403
        assert client.get(COMPARISON).status_code == 403
        assert client.get("/api/enforcement-cases/").status_code == 403
        assert client.get("/api/enforcement-comparison/").status_code == 403
    client.force_login(inspector_a)  # sees the business, not its cases
    page = client.get(business.get_absolute_url()).content.decode()
    assert page.count("Vụ việc, vụ án liên quan") == 0
    assert not AccessLog.objects.exists()


def test_the_business_page_lists_its_cases_for_those_who_may_see_them(client, people, offences):
    business = BusinessFactory(unit=people.commune_a)
    EnforcementCaseFactory(unit=people.commune_a, business=business, detected_on=D(2026, 4, 2),
                           offences=[offences["nd144-harbouring"]])
    client.force_login(people.officer_a)
    page = client.get(business.get_absolute_url()).content.decode()
    assert "Vụ việc, vụ án liên quan" in page and "02/04/2026" in page and "Chứa mại dâm" in page
    assert f"{LIST}?business={business.pk}" in page
    assert AccessLog.objects.filter(user=people.officer_a).count() == 1


def test_links_name_a_record_the_user_may_not_open_without_linking_it(client, people):
    from lanhmanh.tips.models import Tip

    tip = Tip.objects.create(unit=people.commune_a, channel="hotline", kind="violation", content="Phản ánh")
    case = EnforcementCaseFactory(unit=people.commune_a, origin_tip=tip, detected_on=tip.received_on)
    clerk = UserFactory(username="nhaplieu.a", roles=[(people.commune_a, Role.DATA_CLERK)])  # no tips for clerks
    client.force_login(clerk)
    page = client.get(case.get_absolute_url()).content.decode()
    assert str(tip) in page and tip.get_absolute_url() not in page
    # The clerk edits the case without being offered tips; its tip stays.
    edit = reverse("enforcement:enforcementcase_edit", args=[case.pk])
    assert 'name="origin_tip"' not in client.get(edit).content.decode()
    response = client.post(edit, {"unit": people.commune_a.pk, "case_type": "administrative",
                                  "detected_on": tip.received_on.strftime("%d/%m/%Y"),
                                  "offences": [o.pk for o in case.offences.all()], "people_fined_admin": "4",
                                  "expected_version": case.version})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.people_fined_admin == 4 and case.origin_tip == tip
    client.force_login(people.officer_a)
    assert tip.get_absolute_url() in client.get(case.get_absolute_url()).content.decode()


def test_the_originating_visit_is_linked(client, people):
    visit = InspectionVisitFactory(session__team__unit=people.commune_a, session__date=D(2026, 3, 10))
    case = EnforcementCaseFactory(unit=people.commune_a, business=visit.business, origin_visit=visit)
    client.force_login(people.officer_a)
    page = client.get(case.get_absolute_url()).content.decode()
    assert f'<a href="{visit.get_absolute_url()}">' in page


def test_filters_find_cases_by_type_offence_period_and_business(client, people, offences):
    business = BusinessFactory(unit=people.commune_a)
    criminal = EnforcementCaseFactory(unit=people.commune_a, case_type="criminal", reference_number="01/VAHS",
                                      detected_on=D(2026, 1, 20), offences=[offences["blhs2015-328"]],
                                      people_fined_admin=0, fines_total=0)
    at_business = EnforcementCaseFactory(unit=people.commune_a, reference_number="02/VPHC", business=business,
                                         detected_on=D(2026, 5, 2), offences=[offences["nd144-harbouring"]])
    other = EnforcementCaseFactory(unit=people.commune_a, reference_number="03/VPHC", detected_on=D(2026, 8, 1))
    client.force_login(people.officer_a)

    def found(**query):
        page = client.get(LIST, query).content.decode()
        return {c.reference_number for c in (criminal, at_business, other) if c.get_absolute_url() in page}

    assert found() == {"01/VAHS", "02/VPHC", "03/VPHC"}
    assert found(case_type="criminal") == {"01/VAHS"}
    assert found(offence=offences["nd144-harbouring"].pk) == {"02/VPHC"}
    assert found(detected_on_after="01/02/2026", detected_on_before="31/07/2026") == {"02/VPHC"}
    assert found(business=business.pk) == {"02/VPHC"}
    assert found(q="vphc") == {"02/VPHC", "03/VPHC"}


def test_an_old_case_is_edited_under_the_decree_of_its_day(client, people, offences):
    case = EnforcementCaseFactory(unit=people.commune_a, detected_on=D(2021, 6, 1),
                                  offences=[offences["nd167-harbouring"]])
    client.force_login(people.officer_a)
    response = client.post(reverse("enforcement:enforcementcase_edit", args=[case.pk]), {
        "unit": people.commune_a.pk, "case_type": "administrative", "detected_on": "01/06/2021",
        "offences": [offences["nd167-harbouring"].pk], "people_fined_admin": "1", "fines_total": "30.000.000",
        "sellers_identified": "1", "expected_version": case.version,
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.fines_total == 30_000_000 and case.version == 2


def test_tip_page_links_to_the_case_it_led_to(client, people, offences):
    from lanhmanh.tips.tests.factories import TipFactory

    tip = TipFactory(unit=people.commune_a)
    case = EnforcementCaseFactory(unit=people.commune_a, origin_tip=tip)
    client.force_login(people.officer_a)
    page = client.get(tip.get_absolute_url()).content.decode()
    assert case.get_absolute_url() in page
