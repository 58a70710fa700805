"""Rules added after the review of the module: each closes a path by which data could leave its purpose."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from lanhmanh.core.models import AccessLog
from lanhmanh.core.testing import login_verified
from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory
from lanhmanh.support import services
from lanhmanh.support.models import AgeGroup, ConsentGiver, ErasureKind, Purpose, SupportClient
from lanhmanh.support.tests.factories import ConsentFactory, NeedsAssessmentFactory, SupportClientFactory

TODAY = timezone.localdate()


@pytest.fixture
def legal_aid(people):
    kind = AgencyTypeFactory(code="legal_aid", name="Trung tâm Trợ giúp pháp lý nhà nước")
    return AgencyFactory(unit=people.province, agency_type=kind, name="Trung tâm Trợ giúp pháp lý")


def _consenting(people, legal_aid, **kwargs):
    client = SupportClientFactory(unit=people.commune_a, registered_on=TODAY - datetime.timedelta(days=30),
                                  consent=False, full_name="Người Thử Xem Lại", **kwargs)
    consent = ConsentFactory(client=client, given_on=client.registered_on, for_referral=True,
                             given_by=ConsentGiver.GUARDIAN if client.is_minor else ConsentGiver.SELF)
    consent.referral_agency_types.add(legal_aid.agency_type)
    return client, consent


def test_the_child_protection_exemption_covers_only_child_protection_agencies(people, legal_aid):
    child = SupportClientFactory(unit=people.commune_a, age_group=AgeGroup.UNDER_16,
                                 consent__given_by=ConsentGiver.GUARDIAN)
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        services.send_referral(child, user=people.support_worker, to_agency=legal_aid, reason="Thử.",
                               shared_items=[], child_protection=True)
    assert "bảo vệ trẻ em" in str(refused.value)


def test_a_referral_dated_before_a_withdrawal_is_refused(people, legal_aid):
    client, consent = _consenting(people, legal_aid)
    services.withdraw_consent(consent, user=people.support_worker, on=TODAY - datetime.timedelta(days=5))
    with pytest.raises(ValidationError):
        services.send_referral(client, user=people.support_worker, to_agency=legal_aid, reason="Thử.",
                               shared_items=["full_name"], sent_on=TODAY - datetime.timedelta(days=10))


def test_the_receiver_no_longer_sees_shared_identity_once_the_referral_ended(people, legal_aid):
    client, _consent = _consenting(people, legal_aid)
    referral = services.send_referral(client, user=people.support_worker, to_agency=legal_aid, reason="Thử.",
                                      shared_items=["full_name"])
    from lanhmanh.accounts.roles import Role
    from lanhmanh.accounts.tests.factories import UserFactory

    partner = UserFactory(username="tgpl.xemlai", roles=[(people.province, Role.REFERRAL_PARTNER)])
    partner.memberships.update(agency=legal_aid)
    assert services.reveal_shared(referral, user=partner, reason="Liên hệ", endpoint="test")
    services.cancel_referral(referral, user=people.support_worker, note="Nhầm cơ quan")
    with pytest.raises(PermissionDenied):
        services.reveal_shared(referral, user=partner, reason="Liên hệ", endpoint="test")


def test_a_client_assessed_or_referred_recently_is_not_purged(people, settings, legal_aid):
    settings.SUPPORT_RETENTION_DAYS = 365
    old = TODAY - datetime.timedelta(days=800)
    client = SupportClientFactory(unit=people.commune_a, registered_on=old, full_name="Người Thử Lưu Trữ")
    NeedsAssessmentFactory(client=client, assessed_on=TODAY - datetime.timedelta(days=3))
    forgotten = SupportClientFactory(unit=people.commune_a, registered_on=old, full_name="Người Thử Hết Hạn")
    assert services.purge_expired_identities() == 1
    assert SupportClient.objects.get(pk=client.pk).full_name == "Người Thử Lưu Trữ"
    assert SupportClient.objects.get(pk=forgotten.pk).full_name == ""


def test_withdrawing_phone_consent_removes_the_number_from_the_history_too(people):
    client = SupportClientFactory(unit=people.commune_a, consent=False)
    consent = ConsentFactory(client=client, for_phone_contact=True)
    client.refresh_from_db()
    services.update_identity(client, user=people.support_worker, identity={"phone": "0900111999"},
                             expected_version=client.version)
    services.withdraw_consent(consent, user=people.support_worker, on=TODAY)
    assert services.valid_consent(client, Purpose.PHONE) is None
    assert set(SupportClient.history.filter(id=client.pk).values_list("phone", flat=True)) == {""}


def test_erasure_blanks_the_reasons_typed_when_the_record_was_read(people, legal_aid):
    client, _consent = _consenting(people, legal_aid)
    services.reveal_identity(client, user=people.support_worker, reason="Gọi cho chị Người Thử", endpoint="test")
    client.refresh_from_db()
    services.erase_client(client, user=people.admin, kind=ErasureKind.REQUEST_ANONYMISE,
                          expected_version=client.version)
    rows = AccessLog.objects.filter(content_type=ContentType.objects.get_for_model(SupportClient),
                                    object_id=str(client.pk))
    assert rows.count() == 1 and "Người Thử" not in rows.get().reason


def test_the_general_access_log_leaves_support_reads_to_support_supervisors(client, people, legal_aid):
    record, _consent = _consenting(people, legal_aid)
    services.reveal_identity(record, user=people.support_worker, reason="Hẹn khám sức khỏe", endpoint="test")
    login_verified(client, people.officer_a)
    page = client.get("/audit/accesslog/").content.decode()
    assert "Hẹn khám sức khỏe" not in page
    assert AccessLog.objects.visible_to(people.officer_a).count() == 0
