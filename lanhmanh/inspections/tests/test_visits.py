"""Recording sessions and visits in the browser's forms, and every rule that refuses bad input."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from lanhmanh.businesses.tests.factories import BusinessFactory
from lanhmanh.inspections.models import InspectionSession, InspectionVisit
from lanhmanh.inspections.tests.factories import InspectionSessionFactory, InspectionVisitFactory, TeamFactory

SESSION_ADD = reverse("inspections:inspectionsession_add")
VISIT_ADD = reverse("inspections:inspectionvisit_add")
PDF = b"%PDF-1.4 bien ban"


def _visit(session, business, **overrides):
    data = {"session": session.pk, "business": business.pk, "time": "19:30", "outcome": "no_violation",
            "attendees": "Đoàn kiểm tra; chủ cơ sở", "expected_version": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_inspector_records_a_session_then_its_visits(client, people, team_a, inspector_a, violation_types):
    karaoke = BusinessFactory(unit=people.commune_a, name="Karaoke Sao Mai")
    guest_house = BusinessFactory(unit=people.commune_a, name="Nhà nghỉ Bình An")
    client.force_login(inspector_a)
    form = client.get(SESSION_ADD).content.decode()
    assert f'value="{team_a.pk}" selected' in form  # the only team in reach is chosen
    response = client.post(SESSION_ADD, {"team": team_a.pk, "date": "10/03/2026", "kind": "surprise"})
    session = InspectionSession.objects.get()
    assert response["Location"] == session.get_absolute_url() and session.unit == people.commune_a

    form = client.get(VISIT_ADD, {"session": session.pk}).content.decode()
    assert "Karaoke Sao Mai" in form and "Nghị định 167/2013" not in form  # expired entries are not offered
    response = client.post(VISIT_ADD, _visit(session, karaoke, outcome="reminder",
                                             findings="Phòng hát không có ô kính"))
    assert response["Location"] == session.get_absolute_url()  # back to the session for the next business
    response = client.post(VISIT_ADD, _visit(
        session, guest_house, outcome="violation", violations=[violation_types["nd144-residence"].pk],
        fine_amount="7.500.000", sanction_stage="applied", sanction_authority="Chủ tịch UBND phường",
        sanction_decision_number="12/QĐ-XPHC", sanction_decision_date="12/03/2026", follow_up_due="10/04/2026",
        minutes_scan=SimpleUploadedFile("bien ban Binh An.pdf", PDF, content_type="application/pdf")))
    assert response.status_code == 302
    fined = InspectionVisit.objects.get(business=guest_house)
    assert fined.fine_amount == 7_500_000 and fined.visited_on == datetime.date(2026, 3, 10)
    assert fined.unit == people.commune_a and "Binh" not in fined.minutes_scan.name
    page = client.get(session.get_absolute_url()).content.decode()
    assert "2 lượt cơ sở" in page and "Lập biên bản nhắc nhở" in page and "Phạt 7.500.000 đ" in page
    assert "kiểm tra lại 10/04/2026" in page
    detail = client.get(fined.get_absolute_url()).content.decode()
    assert "Điều 9 Nghị định 144/2021/NĐ-CP" in detail and "quá hạn" in detail  # 10/04/2026 has passed
    scan = client.get(reverse("inspections:inspectionvisit_minutes", args=[fined.pk]))
    assert b"".join(scan.streaming_content) == PDF and scan["Cache-Control"] == "private, no-store"


def test_a_visit_outside_the_teams_area_is_refused(client, people, team_a):
    elsewhere = BusinessFactory(unit=people.commune_b, name="Massage Hải Âu")
    session = InspectionSessionFactory(team=team_a)
    client.force_login(people.province_officer)  # may write in both communes, still not for this team
    page = client.post(VISIT_ADD, _visit(session, elsewhere)).content.decode()
    assert "Massage Hải Âu (Phường Ngô Quyền) nằm ngoài địa bàn của Đội kiểm tra liên ngành phường Hồng Bàng" in page
    assert not InspectionVisit.objects.exists()


def test_a_province_team_may_visit_any_commune_of_the_province(client, people, province_team):
    business = BusinessFactory(unit=people.commune_b)
    session = InspectionSessionFactory(team=province_team)
    client.force_login(people.province_officer)
    assert client.post(VISIT_ADD, _visit(session, business)).status_code == 302
    visit = InspectionVisit.objects.get()
    # The commune sees the visit to its business, not the province team's session.
    client.force_login(people.officer_b)
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.get(session.get_absolute_url()).status_code == 404
    client.force_login(people.officer_a)
    assert client.get(visit.get_absolute_url()).status_code == 404


def test_dates_before_opening_or_in_the_future_are_refused(client, people, team_a):
    business = BusinessFactory(unit=people.commune_a, opened_on=datetime.date(2026, 5, 1))
    session = InspectionSessionFactory(team=team_a, date=datetime.date(2026, 3, 10))
    client.force_login(people.officer_a)
    page = client.post(VISIT_ADD, _visit(session, business)).content.decode()
    assert "Ngày kiểm tra 10/03/2026 trước ngày cơ sở bắt đầu hoạt động (01/05/2026)." in page
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    page = client.post(SESSION_ADD, {"team": team_a.pk, "date": tomorrow, "kind": "planned"}).content.decode()
    assert "Ngày kiểm tra không thể sau hôm nay." in page
    page = client.post(SESSION_ADD, {"team": team_a.pk, "date": "01/07/2025", "kind": "planned"}).content.decode()
    assert "đội chưa được thành lập hoặc đã giải thể" in page  # the team was set up on 15/07/2025
    assert not InspectionVisit.objects.exists() and InspectionSession.objects.count() == 1


def test_sanction_rules_explain_what_is_missing(client, people, team_a, violation_types):
    business = BusinessFactory(unit=people.commune_a)
    session = InspectionSessionFactory(team=team_a)
    client.force_login(people.officer_a)
    harbouring = violation_types["nd144-harbouring"].pk
    page = client.post(VISIT_ADD, _visit(session, business, outcome="violation", violations=[harbouring],
                                         fine_amount="5000000", sanction_stage="proposed")).content.decode()
    assert "Có số tiền phạt thì phải ghi người, cơ quan quyết định xử phạt." in page
    page = client.post(VISIT_ADD, _visit(session, business, outcome="violation", violations=[harbouring],
                                         fine_amount="5000000", sanction_authority="Chủ tịch UBND phường",
                                         sanction_stage="applied")).content.decode()
    assert "Đã ra quyết định xử phạt thì phải ghi số quyết định." in page
    page = client.post(VISIT_ADD, _visit(session, business, outcome="no_violation", fine_amount="5000000",
                                         sanction_authority="UBND", sanction_stage="proposed")).content.decode()
    assert "Có xử phạt thì kết quả kiểm tra phải là “Phát hiện vi phạm”." in page
    page = client.post(VISIT_ADD, _visit(session, business, suspended_from="20/03/2026",
                                         suspended_until="15/03/2026", suspension_reason="epidemic")).content.decode()
    assert "Ngày kết thúc đình chỉ không thể trước ngày bắt đầu." in page
    page = client.post(VISIT_ADD, _visit(session, business, outcome="violation")).content.decode()
    assert "phải chọn ít nhất một hành vi vi phạm" in page
    assert not InspectionVisit.objects.exists()


def test_epidemic_suspension_needs_no_violation(client, people, team_a):
    business = BusinessFactory(unit=people.commune_a)
    session = InspectionSessionFactory(team=team_a)
    client.force_login(people.officer_a)
    response = client.post(VISIT_ADD, _visit(session, business, suspended_from="10/03/2026",
                                             suspended_until="10/04/2026", suspension_reason="epidemic"))
    assert response.status_code == 302
    assert InspectionVisit.objects.get().get_suspension_reason_display() == "Phòng, chống dịch bệnh"


def test_expired_catalogue_entries_cannot_be_chosen_but_old_visits_keep_them(client, people, team_a,
                                                                               violation_types):
    old = violation_types["nd167-harbouring"]
    business = BusinessFactory(unit=people.commune_a)
    session = InspectionSessionFactory(team=team_a)
    client.force_login(people.officer_a)
    page = client.post(VISIT_ADD, _visit(session, business, outcome="violation", violations=[old.pk])).content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page  # not even offered
    team_2021 = TeamFactory(unit=people.commune_a, decision_date=datetime.date(2020, 1, 1))
    visit = InspectionVisitFactory(session__team=team_2021, session__date=datetime.date(2021, 6, 1), business=business,
                                   outcome="violation", violations=[old])
    edit = client.get(reverse("inspections:inspectionvisit_edit", args=[visit.pk])).content.decode()
    assert "Điều 24 Nghị định 167/2013/NĐ-CP" in edit
    response = client.post(reverse("inspections:inspectionvisit_edit", args=[visit.pk]), {
        "outcome": "violation", "violations": [old.pk], "findings": "Bổ sung nội dung", "time": "",
        "expected_version": visit.version})
    assert response.status_code == 302
    assert list(InspectionVisit.objects.get(pk=visit.pk).violations.all()) == [old]
    assert "Điều 24 Nghị định 167/2013/NĐ-CP" in client.get(visit.get_absolute_url()).content.decode()


def test_a_follow_up_visit_closes_the_follow_up(client, people, team_a):
    business = BusinessFactory(unit=people.commune_a, name="Karaoke Hoa Hồng")
    first = InspectionVisitFactory(session__team=team_a, session__date=datetime.date(2026, 3, 10), business=business,
                                   outcome="reminder", follow_up_due=datetime.date(2026, 4, 10))
    client.force_login(people.officer_a)
    page = client.get(business.get_absolute_url()).content.decode()
    assert "Cần kiểm tra lại trước ngày 10/04/2026" in page and "quá hạn" in page
    later = InspectionSessionFactory(team=team_a, date=datetime.date(2026, 4, 8), kind="follow_up")
    other = BusinessFactory(unit=people.commune_a)
    page = client.post(VISIT_ADD, _visit(later, other, follow_up_of=first.pk)).content.decode()
    assert "Lượt kiểm tra lại phải là của cùng cơ sở." in page
    assert client.post(VISIT_ADD, _visit(later, business, follow_up_of=first.pk)).status_code == 302
    page = client.get(business.get_absolute_url()).content.decode()
    assert "Cần kiểm tra lại" not in page and "08/04/2026" in page and "10/03/2026" in page
    overdue = client.get(reverse("inspections:inspectionvisit_list"), {"follow_up": "overdue"}).content.decode()
    assert "Karaoke Hoa Hồng" not in overdue


def test_findings_raise_the_suggested_risk(client, people, team_a, violation_types):
    business = BusinessFactory(unit=people.commune_a, business_type__code="test-low", business_type__risk_points=0)
    client.force_login(people.officer_a)
    page = client.get(business.get_absolute_url()).content.decode()
    assert 'data-testid="suggested-risk">Gợi ý theo quy tắc: <strong>Thấp' in page
    recent = timezone.localdate() - datetime.timedelta(days=30)
    for days in (30, 60):
        InspectionVisitFactory(session__team=team_a, session__date=timezone.localdate() - datetime.timedelta(days=days),
                               business=business, outcome="violation",
                               violations=[violation_types["nd144-harbouring"]])
    page = client.get(business.get_absolute_url()).content.decode()
    assert 'data-testid="suggested-risk">Gợi ý theo quy tắc: <strong>Cao' in page
    assert f"Phát hiện vi phạm khi kiểm tra ngày {recent:%d/%m/%Y}" in page


def test_the_session_and_business_pages_use_a_fixed_number_of_queries(client, people, team_a):
    from lanhmanh.core.testing import count_queries

    business = BusinessFactory(unit=people.commune_a)
    session = InspectionSessionFactory(team=team_a)
    InspectionVisitFactory(session=session, business=business)
    client.force_login(people.officer_a)
    client.get(session.get_absolute_url())
    few = (count_queries(lambda: client.get(session.get_absolute_url())),
           count_queries(lambda: client.get(business.get_absolute_url())))
    for _n in range(5):
        InspectionVisitFactory(session=session, business=business, outcome="reminder",
                               follow_up_due=datetime.date(2026, 4, 1))
    many = (count_queries(lambda: client.get(session.get_absolute_url())),
            count_queries(lambda: client.get(business.get_absolute_url())))
    assert many == few


def test_a_session_with_visits_cannot_move_to_a_team_of_another_area(client, people, team_a):
    team_b = TeamFactory(unit=people.commune_b)
    visit = InspectionVisitFactory(session__team=team_a, business__unit=people.commune_a)
    session = visit.session
    client.force_login(people.province_officer)
    page = client.post(reverse("inspections:inspectionsession_edit", args=[session.pk]), {
        "team": team_b.pk, "date": "10/03/2026", "kind": "planned", "expected_version": session.version,
    }).content.decode()
    assert "Buổi kiểm tra đã có lượt kiểm tra cơ sở nằm ngoài địa bàn của đội này." in page
    session.refresh_from_db()
    assert session.team == team_a


def test_follow_up_filters_and_editing_a_follow_up_visit(client, people, team_a):
    asked = BusinessFactory(unit=people.commune_a, name="Nhà nghỉ Hải Âu")
    done = BusinessFactory(unit=people.commune_a, name="Karaoke Minh Châu")
    InspectionVisitFactory(session__team=team_a, business=asked, follow_up_due=datetime.date(2026, 4, 1))
    first = InspectionVisitFactory(session__team=team_a, business=done, follow_up_due=datetime.date(2026, 4, 1))
    later = InspectionVisitFactory(session__team=team_a, session__date=datetime.date(2026, 3, 20), business=done,
                                   follow_up_of=first)
    client.force_login(people.officer_a)
    url = reverse("inspections:inspectionvisit_list")
    open_page = client.get(url, {"follow_up": "open"}).content.decode()
    done_page = client.get(url, {"follow_up": "done"}).content.decode()
    assert "Nhà nghỉ Hải Âu" in open_page and "Karaoke Minh Châu" not in open_page
    assert "Karaoke Minh Châu" in done_page and "Nhà nghỉ Hải Âu" not in done_page
    edit = client.get(reverse("inspections:inspectionvisit_edit", args=[later.pk])).content.decode()
    assert f'<option value="{first.pk}" selected>' in edit  # the closed follow-up stays chosen
