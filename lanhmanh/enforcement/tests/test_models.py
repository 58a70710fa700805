"""The rules of a case record: procedural dates in order, criminal-only fields, counts that add up, links inside
the owning unit's area, and offences of the case's type in force on the day it was detected."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.enforcement.models import CaseType, EnforcementCase
from lanhmanh.enforcement.services import offence_errors
from lanhmanh.geo.tests.factories import AgencyFactory
from lanhmanh.inspections.tests.factories import InspectionVisitFactory

D = datetime.date


def errors_of(case) -> dict[str, list[str]]:
    try:
        case.clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def criminal(unit, **fields):
    return EnforcementCase(unit=unit, case_type=CaseType.CRIMINAL, **{"detected_on": D(2026, 2, 1), **fields})


def test_a_complete_criminal_case_is_valid(people):
    case = criminal(people.province, instituted_on=D(2026, 2, 3), indicted_on=D(2026, 5, 4), tried_on=D(2026, 7, 1),
                    people_arrested=4, people_prosecuted=2, people_fined_admin=3, fines_total=4_500_000,
                    sellers_identified=3, sellers_referred=2, minors_identified=1)
    assert errors_of(case) == {}


def test_procedural_dates_follow_each_other(people):
    assert errors_of(criminal(people.commune_a, instituted_on=D(2026, 1, 20))) == {
        "instituted_on": ["Không thể trước ngày phát hiện (01/02/2026)."]}
    assert errors_of(criminal(people.commune_a, instituted_on=D(2026, 2, 3), indicted_on=D(2026, 2, 2))) == {
        "indicted_on": ["Không thể trước ngày khởi tố vụ án (03/02/2026)."]}
    assert errors_of(criminal(people.commune_a, tried_on=D(2026, 6, 1), instituted_on=D(2026, 2, 3))) == {
        "tried_on": ["Hãy ghi ngày truy tố trước."]}
    assert errors_of(criminal(people.commune_a, indicted_on=D(2026, 6, 1))) == {
        "indicted_on": ["Hãy ghi ngày khởi tố vụ án trước."]}


def test_no_date_after_today(people):
    later = D(2099, 1, 1)
    errors = errors_of(criminal(people.commune_a, instituted_on=later))
    assert errors["instituted_on"] == ["Ngày không thể sau hôm nay."]
    case = EnforcementCase(unit=people.commune_a, case_type=CaseType.ADMINISTRATIVE, detected_on=later)
    assert errors_of(case)["detected_on"] == ["Ngày phát hiện không thể sau hôm nay."]


def test_an_administrative_case_has_no_criminal_proceedings(people):
    case = EnforcementCase(unit=people.commune_a, case_type=CaseType.ADMINISTRATIVE, detected_on=D(2026, 2, 1),
                           instituted_on=D(2026, 2, 2), tried_on=D(2026, 5, 1), people_prosecuted=1,
                           people_fined_admin=2, fines_total=2_000_000)
    assert errors_of(case) == {
        "instituted_on": ["Chỉ ghi với vụ án hình sự."], "tried_on": ["Chỉ ghi với vụ án hình sự."],
        "people_prosecuted": ["Chỉ vụ án hình sự mới có bị can bị khởi tố."],
    }


def test_accused_prosecuted_need_the_case_instituted(people):
    assert errors_of(criminal(people.commune_a, people_prosecuted=1)) == {
        "people_prosecuted": ["Có bị can bị khởi tố thì phải ghi ngày khởi tố vụ án."]}


def test_referred_and_minors_are_among_the_people_identified(people):
    case = criminal(people.commune_a, sellers_identified=2, sellers_referred=3, minors_identified=4)
    assert errors_of(case) == {
        "sellers_referred": ["Số người được chuyển hỗ trợ không thể lớn hơn số người bán dâm được phát hiện."],
        "minors_identified": ["Số người dưới 18 tuổi không thể lớn hơn số người bán dâm được phát hiện."],
    }


def test_business_tip_and_visit_must_be_in_the_units_area(people):
    from lanhmanh.tips.models import Tip

    business_b = BusinessFactory(unit=people.commune_b, name="Karaoke Ngô Quyền")
    tip_b = Tip.objects.create(unit=people.commune_b, channel="hotline", kind="violation", content="Phản ánh")
    visit_b = InspectionVisitFactory.in_unit(people.commune_b)
    case = criminal(people.commune_a, business=business_b, origin_tip=tip_b, origin_visit=visit_b)
    assert errors_of(case) == {
        "business": ["Cơ sở này không thuộc địa bàn của Phường Hồng Bàng."],
        "origin_tip": ["Tin báo này không thuộc địa bàn của Phường Hồng Bàng."],
        "origin_visit": ["Lượt kiểm tra này không thuộc địa bàn của Phường Hồng Bàng."],
    }
    # The province's case may name anything in its communes.
    case.unit = people.province
    case.origin_visit = None
    case.detected_on = tip_b.received_on
    assert errors_of(case) == {}


def test_the_originating_visit_is_at_the_business_and_before_detection(people):
    visit = InspectionVisitFactory(session__team__unit=people.commune_a, session__date=D(2026, 3, 10))
    other = BusinessFactory(unit=people.commune_a)
    case = criminal(people.commune_a, origin_visit=visit, business=other, detected_on=D(2026, 3, 10))
    assert errors_of(case) == {"origin_visit": ["Lượt kiểm tra này là ở cơ sở khác với cơ sở liên quan đã chọn."]}
    case = criminal(people.commune_a, origin_visit=visit, business=visit.business, detected_on=D(2026, 3, 9))
    assert errors_of(case) == {"origin_visit": ["Lượt kiểm tra ngày 10/03/2026, sau ngày phát hiện vụ việc."]}


def test_the_agency_belongs_to_the_unit_or_above(people):
    province_police = AgencyFactory(unit=people.province, name="Công an thành phố Hải Phòng")
    police_b = AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
    assert errors_of(criminal(people.commune_a, agency=province_police)) == {}
    assert errors_of(criminal(people.commune_a, agency=police_b)) == {
        "agency": ["Cơ quan thụ lý phải thuộc đơn vị này hoặc cấp trên."]}


def test_a_file_number_is_used_once_per_unit(people):
    criminal(people.commune_a, reference_number="12/2026/VAHS").save()
    assert errors_of(criminal(people.commune_a, reference_number="12/2026/vahs")) == {
        "reference_number": ["Đã có vụ việc, vụ án số 12/2026/vahs của Phường Hồng Bàng."]}
    assert errors_of(criminal(people.commune_b, reference_number="12/2026/VAHS")) == {}


def test_only_communes_and_provinces_own_cases(people):
    assert "unit" in errors_of(criminal(people.nation))


@pytest.mark.parametrize(("case_type", "codes", "day", "expected"), [
    (CaseType.CRIMINAL, ["blhs2015-327", "blhs2015-328"], D(2026, 1, 5), []),
    (CaseType.CRIMINAL, [], D(2026, 1, 5), ["Hãy chọn ít nhất một tội danh hoặc hành vi vi phạm."]),
    (CaseType.CRIMINAL, ["nd144-harbouring"], D(2026, 1, 5),
     ["“Chứa mại dâm” (Điều 26 Nghị định 144/2021/NĐ-CP) là hành vi vi phạm hành chính, không dùng cho vụ án hình "
      "sự."]),
    (CaseType.ADMINISTRATIVE, ["blhs2015-327"], D(2026, 1, 5),
     ["“Tội chứa mại dâm” (Điều 327 Bộ luật Hình sự 2015) là tội danh hình sự, không dùng cho vụ việc vi phạm hành "
      "chính."]),
    # The Penal Code 1999 ended on 31/12/2017; the 2015 code applies from 1/1/2018.
    (CaseType.CRIMINAL, ["blhs1999-254"], D(2017, 12, 31), []),
    (CaseType.CRIMINAL, ["blhs1999-254"], D(2018, 1, 1),
     ["“Tội chứa mại dâm” (Điều 254 Bộ luật Hình sự 1999) không áp dụng vào ngày phát hiện 01/01/2018."]),
    (CaseType.CRIMINAL, ["blhs2015-327"], D(2017, 12, 31),
     ["“Tội chứa mại dâm” (Điều 327 Bộ luật Hình sự 2015) không áp dụng vào ngày phát hiện 31/12/2017."]),
    (CaseType.ADMINISTRATIVE, ["nd167-harbouring"], D(2021, 12, 30), []),
    (CaseType.ADMINISTRATIVE, ["nd144-harbouring"], D(2021, 12, 30),
     ["“Chứa mại dâm” (Điều 26 Nghị định 144/2021/NĐ-CP) không áp dụng vào ngày phát hiện 30/12/2021."]),
])
def test_offences_match_the_case_type_and_the_law_in_force(offences, case_type, codes, day, expected):
    assert offence_errors(case_type, [offences[c] for c in codes], day) == expected


def test_an_expired_offence_the_case_already_had_stays_allowed(offences):
    old = offences["nd167-harbouring"]
    assert offence_errors(CaseType.ADMINISTRATIVE, [old], D(2022, 3, 1), previous=[old]) == []
