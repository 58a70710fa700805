"""Reports over the API: reading, editing with the version read (409 when stale), the workflow's actions, the diff,
the consolidation and the completeness of an upper unit's children."""

import datetime

import pytest
from django.utils import timezone

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.services import save_versioned
from lanhmanh.core.testing import count_queries, login_verified
from lanhmanh.reporting import workflow
from lanhmanh.reporting.models import Report, ReportStatus
from lanhmanh.reporting.tests.factories import ReportFactory
from lanhmanh.reporting.tests.test_pages import END, FIGURES, make_report, submitted

API = "/api/reports/"


@pytest.fixture
def approver(people):
    return UserFactory(username="lanhdao.tinh", roles=[(people.province, Role.APPROVER)])


def test_detail_has_figures_narrative_and_versions(client, people):
    report = submitted(make_report(people.commune_a), people.officer_a, situation="<div>Ổn định.</div>")
    login_verified(client, people.officer_a)
    body = client.get(f"{API}{report.pk}/").json()
    assert body["figures"] == FIGURES and body["narrative"]["situation"] == "<div>Ổn định.</div>"
    assert [v["number"] for v in body["versions"]] == [1] and body["status"] == "submitted"
    assert body["sections"][0] == {"key": "situation", "title": "Tình hình"}
    assert body["can_edit"] is False and body["can_review"] is False
    listing = client.get(API).json()
    assert [row["id"] for row in listing["results"]] == [report.pk] and "figures" not in listing["results"][0]


def test_list_queries_do_not_grow(client, people):
    login_verified(client, people.province_officer)
    make_report(people.commune_a)
    client.get(API)
    few = count_queries(lambda: client.get(API))
    for _ in range(5):
        submitted(ReportFactory(unit=people.commune_b, figures=FIGURES, figures_at=timezone.now(), deadline=END),
                  people.officer_b)
    assert count_queries(lambda: client.get(API)) == few


def test_patch_saves_sanitized_text_with_the_version(client, people):
    report = make_report(people.commune_a, narrative={"results": "Giữ nguyên."})
    login_verified(client, people.officer_a)
    response = client.patch(f"{API}{report.pk}/", {
        "version": report.version, "title": "Báo cáo 6 tháng", "signer_name": "Nguyễn Văn A",
        "narrative": {"situation": '<div onclick="x()">Tình hình <em>tốt</em></div><script>alert(1)</script>'},
    }, content_type="application/json")
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert report.narrative == {"results": "Giữ nguyên.", "situation": "<div>Tình hình <em>tốt</em></div>"}
    assert (report.title, report.signer_name, report.version) == ("Báo cáo 6 tháng", "Nguyễn Văn A", 2)
    bad = client.patch(f"{API}{report.pk}/", {"version": report.version, "narrative": {"nope": "x"}},
                       content_type="application/json")
    assert bad.status_code == 400


def test_a_stale_patch_is_409_and_says_who(client, people):
    report = make_report(people.commune_a)
    loaded = report.version
    other = Report.objects.get(pk=report.pk)
    other.title = "Của người khác"
    save_versioned(other, expected_version=loaded, user=people.province_officer)
    login_verified(client, people.officer_a)
    response = client.patch(f"{API}{report.pk}/", {"version": loaded, "title": "Của tôi"},
                            content_type="application/json")
    assert response.status_code == 409
    assert str(people.province_officer) in response.json()["detail"]
    report.refresh_from_db()
    assert report.title == "Của người khác"


def test_scoping_and_frozen_reports(client, people):
    report = make_report(people.commune_a)
    login_verified(client, people.officer_b)
    assert client.get(f"{API}{report.pk}/").status_code == 404
    assert client.patch(f"{API}{report.pk}/", {"version": 1, "title": "x"},
                        content_type="application/json").status_code == 404
    assert client.post(f"{API}{report.pk}/submit/", {"version": 1}).status_code == 404
    assert client.post(API, {}).status_code == 405
    login_verified(client, people.officer_a)
    submitted(report, people.officer_a)
    response = client.patch(f"{API}{report.pk}/", {"version": report.version, "title": "x"},
                            content_type="application/json")
    assert response.status_code == 400


def test_refresh_draft_and_submit(client, people):
    report = make_report(people.commune_a, narrative={"situation": "Của tôi."})
    login_verified(client, people.officer_a)
    body = client.post(f"{API}{report.pk}/refresh/", {"version": report.version}).json()
    assert body["figures"]["period"]["end"] == "2026-06-14" and body["version"] == 2
    body = client.post(f"{API}{report.pk}/draft/", {"version": body["version"]}).json()
    assert body["narrative"]["situation"] == "Của tôi." and body["version"] == 3
    assert client.post(f"{API}{report.pk}/submit/", {"version": 1}).status_code == 409
    body = client.post(f"{API}{report.pk}/submit/", {"version": 3}).json()
    assert body["status"] == "submitted" and [v["number"] for v in body["versions"]] == [1]


def test_approve_and_return_by_the_upper_unit_only(client, people, approver):
    report = submitted(make_report(people.commune_a), people.officer_a)
    login_verified(client, people.officer_a)
    assert client.post(f"{API}{report.pk}/approve/", {"version": report.version}).status_code == 403
    login_verified(client, approver)
    assert client.get(f"{API}{report.pk}/").json()["can_review"] is True
    response = client.post(f"{API}{report.pk}/return/", {"version": report.version, "comment": ""})
    assert response.status_code == 400
    assert client.post(f"{API}{report.pk}/return/", {"version": report.version - 1,
                                                     "comment": "Sửa."}).status_code == 409
    body = client.post(f"{API}{report.pk}/return/", {"version": report.version, "comment": "Bổ sung."}).json()
    assert body["status"] == "returned" and body["reviews"][0]["comment"] == "Bổ sung."
    report.refresh_from_db()
    submitted(report, people.officer_a)
    body = client.post(f"{API}{report.pk}/approve/", {"version": report.version}).json()
    assert body["status"] == "approved"
    assert Report.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def test_diff(client, people, approver):
    report = submitted(make_report(people.commune_a), people.officer_a, situation="<div>Câu cũ.</div>")
    workflow.return_report(report, approver, "Sửa.")
    report.refresh_from_db()
    submitted(report, people.officer_a, situation="<div>Câu mới.</div>")
    login_verified(client, people.officer_a)
    body = client.get(f"{API}{report.pk}/diff/", {"a": 1, "b": 2}).json()
    section = next(c for c in body["changes"] if c["kind"] == "section")
    assert section["key"] == "situation" and "-Câu cũ." in section["diff"] and "+Câu mới." in section["diff"]
    assert client.get(f"{API}{report.pk}/diff/", {"a": 1, "b": 9}).status_code == 404


def test_consolidation_and_completeness(client, people, approver):
    child = submitted(make_report(people.commune_a), people.officer_a)
    workflow.approve(child, approver)
    province_report = make_report(people.province)
    login_verified(client, people.province_officer)
    body = client.get(f"{API}{province_report.pk}/consolidation/").json()
    assert body["completeness"]["submitted"] == 1 and body["not_counted"][0]["unit"] == "11329"
    assert client.get(f"{API}{child.pk}/consolidation/").status_code == 404  # a commune: nothing below
    body = client.get("/api/report-completeness/", {"type": "programme-half", "year": 2026, "unit": "31"}).json()
    assert body["summary"]["total"] == 2 and body["summary"]["approved"] == 1
    rows = {row["unit"]: row for row in body["rows"]}
    assert rows["11311"]["status"] == "approved" and rows["11329"]["status"] == "missing"
    assert rows["11329"]["deadline"] == "2026-06-15"  # no report opened: the rule's deadline
    login_verified(client, people.officer_b)
    assert client.get("/api/report-completeness/", {"type": "programme-half", "year": 2026,
                                                    "unit": "31"}).status_code == 404
    assert client.get("/api/report-completeness/", {"type": "nope", "year": 2026}).status_code == 400


def test_only_the_own_unit_submits_and_only_fresh_figures(client, people):
    report = make_report(people.commune_a, figures_at=timezone.now() - datetime.timedelta(hours=30))
    login_verified(client, people.province_officer)
    assert client.get(f"{API}{report.pk}/").json()["can_edit"] is False
    assert client.post(f"{API}{report.pk}/submit/", {"version": report.version}).status_code == 403
    assert client.post(f"{API}{report.pk}/refresh/", {"version": report.version}).status_code == 403
    login_verified(client, people.officer_a)
    response = client.post(f"{API}{report.pk}/submit/", {"version": report.version})
    assert response.status_code == 400 and "Làm mới số liệu" in response.json()[0]
    assert Report.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    version = client.post(f"{API}{report.pk}/refresh/", {"version": report.version}).json()["version"]
    assert client.post(f"{API}{report.pk}/submit/", {"version": version}).json()["status"] == "submitted"


def test_the_submitter_may_not_review(client, people, approver):
    both = UserFactory(username="xa.va.tinh", roles=[(people.commune_a, Role.PROGRAMME_OFFICER),
                                                    (people.province, Role.APPROVER)])
    report = submitted(make_report(people.commune_a), both)
    login_verified(client, both)
    assert client.get(f"{API}{report.pk}/").json()["can_review"] is False
    assert client.post(f"{API}{report.pk}/approve/", {"version": report.version}).status_code == 403
    assert Report.objects.get(pk=report.pk).status == ReportStatus.SUBMITTED
