"""What the issue's "done when" asks of privacy, checked end to end: a database dump holds no plaintext identifying
field, and nobody without the role and the second factor ever sees one, in any page, API response, export or
error."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory
from lanhmanh.support import services
from lanhmanh.support.models import AgeGroup, Gender, SupportClient

# Invented values, distinctive enough that a match anywhere can only come from them.
IDENTITY = {
    "full_name": "Trần Thị Riêngtư Zq",
    "date_of_birth": "07/03/1999",
    "phone": "0912000777",
    "id_number": "031199000777",
    "address": "Số 9 ngõ Bímật Zq",
}
MARKERS = ["Riêngtư", "Riengtu", "0912000777", "031199000777", "Bímật", "07/03/1999"]


def _pdf_with(text: str) -> SimpleUploadedFile:
    body = f"%PDF-1.4\n% signed consent form of {text}\n%%EOF\n".encode()
    return SimpleUploadedFile("phieu-dong-y.pdf", body, content_type="application/pdf")


def _client_with_everything(people):
    legal = AgencyTypeFactory(code="legal_aid", name="Trung tâm Trợ giúp pháp lý nhà nước")
    centre = AgencyFactory(unit=people.province, agency_type=legal, name="Trung tâm Trợ giúp pháp lý")
    worker = people.support_worker
    client = services.register_client(
        user=worker, unit=people.commune_a,
        fields={"registered_on": datetime.date(2026, 3, 2), "age_group": AgeGroup.FROM_25, "gender": Gender.FEMALE},
        consent_fields={"for_services": True, "for_referral": True, "for_phone_contact": True},
        agency_types=[legal], identity=IDENTITY, signed_form=_pdf_with(IDENTITY["full_name"]),
    )
    services.send_referral(client, user=worker, to_agency=centre, reason="Cần trợ giúp pháp lý.",
                           shared_items=["age_group", "full_name", "phone"], sent_on=datetime.date(2026, 3, 3))
    client.refresh_from_db()
    # A correction: the history now holds two versions of the identity.
    services.update_identity(client, user=worker, identity={"address": IDENTITY["address"] + " (mới)"},
                             expected_version=client.version)
    services.reveal_identity(client, user=worker, reason="Liên hệ hẹn khám", endpoint="test")
    return client


def _database_text() -> str:
    """Every value of every table, as text: what a dump of the database would show."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                chunks.extend(str(value) for value in row if value is not None)
    return "\n".join(chunks)


def test_a_database_dump_holds_no_plaintext_identifying_field(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = _client_with_everything(people)
    assert SupportClient.objects.get(pk=client.pk).full_name == IDENTITY["full_name"]  # stored, and readable
    dump = _database_text()
    if connection.vendor == "sqlite":
        dump += "\n".join(connection.connection.iterdump())
    found = [m for m in MARKERS if m in dump]
    assert found == []
    # The scan of the signed form is encrypted at rest too.
    stored = b"".join(path.read_bytes() for path in tmp_path.rglob("*") if path.is_file())
    assert stored and "Riêngtư".encode() not in stored and b"%PDF" not in stored


def test_the_signed_form_reads_back_as_uploaded(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = _client_with_everything(people)
    consent = client.consents.get()
    data, content_type = services.read_signed_form(consent)
    assert content_type == "application/pdf" and data.startswith(b"%PDF") and b"signed consent form" in data
    assert io.BytesIO(data).read(4) == b"%PDF"


def test_key_rotation_re_encrypts_the_signed_forms(people, settings, tmp_path):
    from cryptography.fernet import Fernet
    from django.core.management import call_command
    from django.test import override_settings

    settings.MEDIA_ROOT = tmp_path
    client = _client_with_everything(people)
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("rotate_encryption_keys", verbosity=0)
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        consent = client.consents.get()
        data, _type = services.read_signed_form(consent)
        assert data.startswith(b"%PDF")
        assert SupportClient.objects.get(pk=client.pk).phone == IDENTITY["phone"]


def _readable(response) -> str:
    """The response as text, unzipping XLSX/DOCX so that their cells and paragraphs are searched too."""
    import zipfile

    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")


def _requests(client_record, referral, consent):
    pk, ref, con = client_record.pk, referral.pk, consent.pk
    gets = [
        "/support/supportclient/", "/support/supportclient/?export=xlsx", "/support/supportclient/?export=csv",
        f"/support/supportclient/?code={client_record.code}", f"/support/supportclient/{pk}/",
        "/support/supportclient/register/", f"/support/consent/{con}/signed-form/",
        "/support/incoming/", f"/support/incoming/{ref}/", "/support/access-review/",
        "/support/access-review/?export=xlsx", "/support/supportclient/999999/",
        "/api/support-clients/", f"/api/support-clients/{pk}/", "/api/consents/", f"/api/consents/{con}/",
        "/api/needs-assessments/", "/api/service-deliveries/", "/api/referrals/", f"/api/referrals/{ref}/",
        "/api/incoming-referrals/", f"/api/incoming-referrals/{ref}/", "/api/support-access-log/",
        "/api/service-types/",
    ]
    posts = [
        (f"/support/supportclient/{pk}/reveal/", {"reason": "service", "detail": "Thử"}),
        (f"/support/supportclient/{pk}/export/", {"reason": "Yêu cầu", "format": "json"}),
        (f"/support/incoming/{ref}/reveal/", {"reason": "Tiếp nhận"}),
        (f"/api/support-clients/{pk}/identity/", {"reason": "Thử"}),
        (f"/api/support-clients/{pk}/export/", {"reason": "Thử", "format": "json"}),
        (f"/api/incoming-referrals/{ref}/shared-identity/", {"reason": "Thử"}),
    ]
    return gets, posts


def test_no_one_without_the_role_and_the_second_factor_sees_an_identifying_field(client, people, settings, tmp_path):
    from lanhmanh.accounts.roles import Role
    from lanhmanh.accounts.tests.factories import UserFactory
    from lanhmanh.core.testing import login_verified

    settings.MEDIA_ROOT = tmp_path
    record = _client_with_everything(people)
    referral, consent = record.referrals.get(), record.consents.get()
    other_agency = AgencyFactory(unit=people.province, agency_type=AgencyTypeFactory(code="vocational"))
    partner_elsewhere = UserFactory(username="doitac.khac", roles=[(people.province, Role.REFERRAL_PARTNER)])
    partner_elsewhere.memberships.update(agency=other_agency)
    verified_users = [
        people.officer_a, people.province_officer, people.admin,
        UserFactory(username="hotro.tinh", roles=[(people.province, Role.SUPPORT_WORKER)]),
        UserFactory(username="giamsat.tinh", roles=[(people.province, Role.SUPPORT_SUPERVISOR)]),
        UserFactory(username="hotro.b", roles=[(people.commune_b, Role.SUPPORT_WORKER)]),
        UserFactory(username="xem.tinh", roles=[(people.province, Role.VIEWER)]),
        UserFactory(username="kiemtra.tinh", roles=[(people.province, Role.AUDITOR)]),
        partner_elsewhere,
    ]
    gets, posts = _requests(record, referral, consent)
    seen = []

    def sweep(label):
        for url in gets:
            text = _readable(client.get(url))
            seen.extend((label, url, m) for m in MARKERS if m in text)
        for url, data in posts:
            text = _readable(client.post(url, data) if url.startswith("/support/")
                             else client.post(url, data, content_type="application/json"))
            seen.extend((label, url, m) for m in MARKERS if m in text)

    for user in verified_users:
        login_verified(client, user)
        sweep(user.username)
    # The owning unit's own support worker, before passing the second factor: nothing either.
    client.logout()
    client.force_login(people.support_worker)
    sweep("hotro.a without 2FA")
    client.logout()
    sweep("anonymous")
    assert seen == []

    # The control: with the role at the owning unit and the second factor, the reveal does show it.
    login_verified(client, people.support_worker)
    response = client.post(f"/api/support-clients/{record.pk}/identity/", {"reason": "Thử"},
                           content_type="application/json")
    assert response.json()["full_name"] == IDENTITY["full_name"]
