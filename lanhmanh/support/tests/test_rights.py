"""The person's right to know what is held: everything about one client as JSON and as a DOCX document, only for the
owning unit's support workers, one access-log entry per export, and the log of who read the data inside."""

import datetime
import io
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from docx import Document

from lanhmanh.accounts.models import Membership
from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.models import AccessLog
from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory
from lanhmanh.support import rights, services
from lanhmanh.support.models import AgeGroup, ErasureKind, NeedArea, SharedItem
from lanhmanh.support.tests.factories import ServiceTypeFactory

NAME = "Người Thử Nghiệm Ba"
ID_NUMBER = "001199000333"
DAY = datetime.date(2026, 2, 2)
REASON = "Yêu cầu của người được hỗ trợ ngày 20/11/2026"
ENDPOINT = "support:supportclient_export"


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def legal_aid(people):
    kind = AgencyTypeFactory(code="legal_aid", name="Trung tâm Trợ giúp pháp lý nhà nước")
    return AgencyFactory(unit=people.province, agency_type=kind, name="Trung tâm Trợ giúp pháp lý thử nghiệm")


@pytest.fixture
def partner(people, legal_aid):
    user = UserFactory(username="tiepnhan.tgpl", full_name="Cán bộ tiếp nhận thử nghiệm")
    Membership.objects.create(user=user, unit=people.province, role=Role.REFERRAL_PARTNER, agency=legal_aid)
    return user


@pytest.fixture
def client_file(people, legal_aid, partner):
    """A client with identity, consent to referral, an assessment, a service, a referral sharing the name (answered
    by the partner, who read the name), and one earlier showing of the identity."""
    worker = people.support_worker
    client = services.register_client(
        user=worker, unit=people.commune_a,
        fields={"registered_on": datetime.date(2026, 1, 10), "age_group": AgeGroup.FROM_18, "birth_year": 2004,
                "origin_province": people.province},
        consent_fields={"for_services": True, "for_referral": True}, agency_types=[legal_aid.agency_type],
        identity={"full_name": NAME, "id_number": ID_NUMBER},
    )
    services.assess_needs(client, user=worker, assessed_on=DAY, needs=[NeedArea.LEGAL, NeedArea.VOCATIONAL],
                          note="Đánh giá tại điểm tư vấn.")
    services.deliver_service(client, user=worker, fields={"service_type": ServiceTypeFactory(), "delivered_on": DAY})
    referral = services.send_referral(client, user=worker, to_agency=legal_aid, sent_on=DAY,
                                      reason="Cần trợ giúp pháp lý.",
                                      shared_items=[SharedItem.FULL_NAME, SharedItem.AGE_GROUP])
    services.respond_referral(referral, user=partner, accept=True, note="Hẹn lịch tư vấn.", on=DAY)
    services.reveal_shared(referral, user=partner, reason="Liên hệ hẹn lịch", endpoint="support:incoming_detail")
    services.reveal_identity(client, user=worker, reason="Gọi điện hẹn lịch", endpoint="support:supportclient_detail")
    client.refresh_from_db()
    return client


def test_json_export_holds_everything_and_is_logged_once(people, client_file, partner):
    before = AccessLog.objects.count()
    content = rights.export_json(client_file, user=people.support_worker, reason=REASON, endpoint=ENDPOINT)
    assert AccessLog.objects.count() == before + 1
    log = AccessLog.objects.latest("at")
    assert (log.user, log.object_id, log.what, log.reason, log.endpoint) == (
        people.support_worker, str(client_file.pk), "Xuất toàn bộ dữ liệu (JSON)", REASON, ENDPOINT)

    assert NAME.encode() in content  # UTF-8, not \u escapes
    data = json.loads(content)["client"]
    assert data["code"] == client_file.code
    assert data["unit"] == {"code": people.commune_a.code, "name": people.commune_a.name}
    assert data["statistics"]["age_group"] == {"code": "18_24", "label": "Từ 18 đến 24 tuổi"}
    assert data["statistics"]["birth_year"] == 2004 and data["statistics"]["registered_on"] == "2026-01-10"
    assert data["identity"]["full_name"] == NAME and data["identity"]["id_number"] == ID_NUMBER
    assert data["identity"]["phone"] == "" and data["identity_purged_at"] is None

    [consent] = data["consents"]
    assert consent["given_on"] == "2026-01-10" and consent["withdrawn_on"] is None
    assert [p["code"] for p in consent["purposes"]] == ["services", "referral"]
    assert consent["referral_agency_types"] == [{"code": "legal_aid", "name": "Trung tâm Trợ giúp pháp lý nhà nước"}]
    assert consent["signed_form_on_file"] is False
    [assessment] = data["assessments"]
    assert [n["label"] for n in assessment["needs"]] == ["Pháp lý", "Học nghề"]
    [service] = data["services"]
    assert service["delivered_on"] == "2026-02-02" and service["outcome"]["code"] == "received"
    [referral] = data["referrals"]
    assert referral["status"]["label"] == "Đã tiếp nhận" and referral["response_note"] == "Hẹn lịch tư vấn."
    assert {s["item"]: s["value"] for s in referral["shared"]} == {"age_group": "Từ 18 đến 24 tuổi",
                                                                    "full_name": NAME}
    assert referral["to_agency"]["name"] == "Trung tâm Trợ giúp pháp lý thử nghiệm"

    # Who read the data, before this export (which shows in the next one).
    log_rows = data["access_log"]
    assert [(row["user"]["username"], row["reason"]) for row in log_rows] == [
        (partner.username, "Liên hệ hẹn lịch"), (people.support_worker.username, "Gọi điện hẹn lịch")]
    assert log_rows[0]["user"]["full_name"] == "Cán bộ tiếp nhận thử nghiệm"
    assert all(datetime.datetime.fromisoformat(row["at"]).tzinfo for row in log_rows)
    again = json.loads(rights.export_json(client_file, user=people.support_worker, reason=REASON,
                                          endpoint=ENDPOINT))["client"]["access_log"]
    assert again[-1]["what"] == "Xuất toàn bộ dữ liệu (JSON)" and len(again) == 3


def test_client_record_is_json_serialisable(client_file):
    record = rights.client_record(client_file)
    assert json.loads(json.dumps(record)) == record


def test_export_is_refused_outside_the_owning_unit_and_without_the_permission(people, client_file, partner):
    province_worker = UserFactory(username="hotro.tinh", roles=[(people.province, Role.SUPPORT_WORKER)])
    worker_b = UserFactory(username="hotro.b", roles=[(people.commune_b, Role.SUPPORT_WORKER)])
    before = AccessLog.objects.count()
    for user in (province_worker, worker_b, people.officer_a, people.province_officer, partner, people.nobody):
        for export in (rights.export_json, rights.export_docx):
            with pytest.raises(PermissionDenied):
                export(client_file, user=user, reason=REASON, endpoint=ENDPOINT)
    assert AccessLog.objects.count() == before


def test_export_needs_a_reason(people, client_file):
    before = AccessLog.objects.count()
    with pytest.raises(ValidationError) as exc:
        rights.export_json(client_file, user=people.support_worker, reason="  ", endpoint=ENDPOINT)
    assert "lý do" in exc.value.message_dict["reason"][0]
    assert AccessLog.objects.count() == before


def test_supervisor_exports_too(people, client_file):
    supervisor = UserFactory(username="giamsat.a", roles=[(people.commune_a, Role.SUPPORT_SUPERVISOR)])
    data = json.loads(rights.export_json(client_file, user=supervisor, reason=REASON, endpoint=ENDPOINT))
    assert data["client"]["identity"]["full_name"] == NAME


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts)


def test_docx_export_is_a_readable_vietnamese_document(people, client_file):
    before = AccessLog.objects.count()
    with translation.override("en"):  # the document is Vietnamese whatever the interface language
        content = rights.export_docx(client_file, user=people.support_worker, reason=REASON, endpoint=ENDPOINT)
    assert AccessLog.objects.count() == before + 1
    assert AccessLog.objects.latest("at").what == "Xuất toàn bộ dữ liệu (DOCX)"

    document = Document(io.BytesIO(content))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    assert document.styles["Normal"].font.name == "Times New Roman"
    text = _docx_text(content)
    assert "THÔNG TIN CÁ NHÂN ĐANG ĐƯỢC LƯU GIỮ" in text
    assert client_file.code in text and NAME in text and ID_NUMBER in text
    assert people.commune_a.name.upper() in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert f"Ngày xuất: {timezone.localdate():%d/%m/%Y}" in text
    for heading in ("Thông tin chung", "Thông tin nhận dạng", "Sự đồng ý", "Đánh giá nhu cầu",
                    "Dịch vụ đã cung cấp", "Chuyển gửi", "Các lần xóa dữ liệu", "Nhật ký truy cập dữ liệu"):
        assert heading in text
    assert "10/01/2026" in text and "Pháp lý; Học nghề" in text
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    assert ["Họ và tên", NAME] in rows and ["Mã số", client_file.code] in rows
    assert "Gọi điện hẹn lịch" in text and "Cán bộ tiếp nhận thử nghiệm" in text


def test_export_after_erasure_shows_the_erasure_and_no_identity(people, client_file):
    supervisor = UserFactory(username="giamsat.a", roles=[(people.commune_a, Role.SUPPORT_SUPERVISOR)])
    services.erase_client(client_file, user=supervisor, kind=ErasureKind.REQUEST_IDENTITY,
                          request_reference="Đơn yêu cầu ngày 21/11/2026")
    client_file.refresh_from_db()
    content = rights.export_json(client_file, user=supervisor, reason=REASON, endpoint=ENDPOINT)
    assert NAME.encode() not in content and ID_NUMBER.encode() not in content
    data = json.loads(content)["client"]
    assert data["identity_purged_at"] and not any(data["identity"].values())
    assert [(e["kind"]["code"], e["request_reference"]) for e in data["erasures"]] == [
        ("request_identity", "Đơn yêu cầu ngày 21/11/2026")]
    docx = _docx_text(rights.export_docx(client_file, user=supervisor, reason=REASON, endpoint=ENDPOINT))
    assert NAME not in docx and "(không lưu giữ)" in docx and "Xóa thông tin nhận dạng theo yêu cầu" in docx


def test_file_name_carries_the_code_only(client_file):
    assert rights.export_filename(client_file, "json") == f"ho-so-{client_file.code}.json"
    assert rights.export_filename(client_file, "docx") == f"ho-so-{client_file.code}.docx"
