"""Commendations: the rules of a proposal and its decision (form, API and import alike), the figures of a period,
and the pages."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from lanhmanh.commendations.models import Commendation, Status
from lanhmanh.commendations.services import figures
from lanhmanh.commendations.tests.factories import CommendationFactory
from lanhmanh.core.models import ImportJob
from lanhmanh.core.testing import proposed_mapping

D = datetime.date
ADD = reverse("commendations:commendation_add")
API = "/api/commendations/"


def form_data(unit, **values):
    return {
        "unit": unit.pk,
        "year": "2025",
        "recipient_kind": "individual",
        "recipient_name": "Nguyễn Thị Lan",
        "recipient_position": "Cán bộ Văn hóa - Xã hội",
        "award_form": "merit_commune",
        "achievement": "Tham mưu tốt công tác tuyên truyền phòng, chống mại dâm.",
        "proposed_on": "05/12/2025",
        "status": "proposed",
        **values,
    }


def test_an_officer_proposes_then_records_the_decision_with_the_reward(client, people):
    client.force_login(people.officer_a)
    response = client.post(ADD, form_data(people.commune_a))
    assert response.status_code == 302
    record = Commendation.objects.get()
    assert record.status == Status.PROPOSED and record.created_by == people.officer_a
    edit = reverse("commendations:commendation_edit", args=[record.pk])
    response = client.post(
        edit,
        form_data(
            people.commune_a,
            status="granted",
            decision_number="25/QĐ-UBND",
            decided_on="15/01/2026",
            decided_by="Chủ tịch UBND phường",
            reward_amount="1.500.000",
            expected_version=record.version,
        ),
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.status, record.decision_number, record.reward_amount) == (Status.GRANTED, "25/QĐ-UBND", 1_500_000)
    page = client.get(record.get_absolute_url()).content.decode()
    assert "25/QĐ-UBND" in page and "1.500.000" in page and "15/01/2026" in page


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"status": "granted"}, "decision_number", "Đã khen thưởng thì phải ghi số quyết định."),
        ({"status": "granted", "decision_number": "25/QĐ-UBND"}, "decided_on", "Đã khen thưởng thì phải ghi ngày"),
        ({"decision_number": "25/QĐ-UBND", "decided_on": "15/01/2026"}, "status", "Đã có quyết định thì hãy chọn"),
        (
            {"status": "granted", "decision_number": "1/QĐ", "decided_on": "01/12/2025"},
            "decided_on",
            "không thể trước ngày đề nghị (05/12/2025)",
        ),
        ({"reward_amount": "2.000.000"}, "reward_amount", "Chỉ ghi tiền thưởng khi đã có quyết định"),
        ({"proposed_on": "05/12/2024"}, "proposed_on", "không thể trước năm thành tích 2025"),
        ({"year": "2099"}, "year", "Năm thành tích phải từ 2000 đến năm nay."),
        ({"recipient_name": "   "}, "recipient_name", "Trường này là bắt buộc"),
    ],
)
def test_an_inconsistent_proposal_is_refused_with_a_clear_message(client, people, values, field, message):
    client.force_login(people.officer_a)
    response = client.post(ADD, form_data(people.commune_a, **values))
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors
    assert not Commendation.objects.exists()


def test_a_commune_officer_cannot_propose_for_another_commune(client, people):
    client.force_login(people.officer_a)
    response = client.post(ADD, form_data(people.commune_b))
    assert response.status_code == 200 and not Commendation.objects.exists()


def test_figures_count_proposals_and_grants_of_the_period_in_the_subtree(people):
    CommendationFactory(unit=people.commune_a, proposed_on=D(2025, 12, 5))
    CommendationFactory(
        unit=people.commune_a,
        recipient_kind="individual",
        proposed_on=D(2025, 12, 5),
        status=Status.GRANTED,
        decision_number="3/QĐ",
        decided_on=D(2026, 1, 10),
        reward_amount=2_000_000,
    )
    CommendationFactory(
        unit=people.commune_b,
        proposed_on=D(2025, 12, 6),
        status=Status.GRANTED,
        decision_number="4/QĐ",
        decided_on=D(2026, 1, 12),
        reward_amount=3_000_000,
    )
    year_2025 = figures(people.province, D(2025, 1, 1), D(2025, 12, 31))
    assert (year_2025["proposed_collective"], year_2025["proposed_individual"]) == (2, 1)
    assert year_2025["granted_collective"] + year_2025["granted_individual"] == 0
    year_2026 = figures(people.province, D(2026, 1, 1), D(2026, 12, 31))
    assert (year_2026["granted_collective"], year_2026["granted_individual"], year_2026["reward_total"]) == (
        1,
        1,
        5_000_000,
    )
    commune = figures(people.commune_a, D(2026, 1, 1), D(2026, 12, 31))
    assert (commune["granted_individual"], commune["reward_total"]) == (1, 2_000_000)
    assert figures(people.commune_a, D(2020, 1, 1), D(2020, 12, 31))["reward_total"] == 0


def test_api_creates_and_refuses_a_stale_edit(client, people):
    client.force_login(people.officer_a)
    payload = {
        "unit": "11311",
        "year": 2025,
        "recipient_kind": "collective",
        "recipient_name": "Tổ dân phố số 3",
        "award_form": "merit_commune",
        "achievement": "Không có tệ nạn xã hội trên địa bàn.",
        "proposed_on": "2025-12-05",
    }
    response = client.post(API, payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    granted = {"status": "granted", "decision_number": "7/QĐ-UBND", "decided_on": "2026-01-20", "version": 1}
    assert client.patch(f"{API}{pk}/", granted, content_type="application/json").status_code == 200
    stale = client.patch(f"{API}{pk}/", {"note": "x", "version": 1}, content_type="application/json")
    assert stale.status_code == 409
    bad = client.post(API, {**payload, "status": "granted"}, content_type="application/json")
    assert bad.status_code == 400 and "decision_number" in bad.json()
    other = client.post(API, {**payload, "unit": "11329"}, content_type="application/json")
    assert other.status_code == 400


def _sheet(rows):
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "STT",
            "Đơn vị",
            "Năm thành tích",
            "Tập thể/cá nhân",
            "Họ và tên",
            "Hình thức khen thưởng",
            "Thành tích",
            "Ngày đề nghị",
        ]
    )
    for number, row in enumerate(rows, start=1):
        ws.append([number, *row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return SimpleUploadedFile("de nghi khen thuong.xlsx", buffer.getvalue())


def _import(client, rows):
    """Upload an officer's own list and accept the proposed column mapping."""
    client.post(reverse("commendations:commendation_import"), {"file": _sheet(rows)})
    job = ImportJob.objects.order_by("-pk").first()
    assert job.status == ImportJob.Status.MAPPING
    client.post(reverse("import_job_mapping", args=[job.pk]), proposed_mapping(client, job))
    job.refresh_from_db()
    return job


def test_import_of_an_officers_own_list_is_all_or_nothing(client, people):
    client.force_login(people.officer_a)
    good = [
        "11311",
        2025,
        "Cá nhân",
        "Trần Văn Hải",
        "Giấy khen của Chủ tịch UBND xã, phường",
        "Tham gia kiểm tra, phát hiện vi phạm",
        "10/12/2025",
    ]
    bad = ["11311", 2025, "Tập thể", "Công an phường", "Huân chương Sao Vàng", "Thành tích", "10/12/2025"]
    job = _import(client, [good, bad])
    assert job.status == ImportJob.Status.FAILED
    assert [(e["row"], e["field"]) for e in job.errors] == [(3, "Hình thức khen thưởng")]
    assert not Commendation.objects.exists()
    job = _import(client, [good])
    assert job.status == ImportJob.Status.DONE, job.errors
    record = Commendation.objects.get()
    assert (record.recipient_name, record.recipient_kind, record.award_form, record.unit) == (
        "Trần Văn Hải",
        "individual",
        "merit_commune",
        people.commune_a,
    )
