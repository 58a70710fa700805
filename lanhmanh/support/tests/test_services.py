"""The rules of the support services, whatever page or API calls them: consent first, identity only for the owning
unit's support workers (each showing logged), the referral lifecycle, the "in need / reached" figures, and erasure
that leaves the counts unchanged and no identifying trace in the records, their history or what referrals shared."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from lanhmanh.accounts.models import Membership
from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.models import AccessLog
from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory
from lanhmanh.support import services
from lanhmanh.support.models import (
    IDENTITY_FIELDS,
    AgeGroup,
    ClientStatus,
    ConsentGiver,
    ErasureKind,
    ErasureRecord,
    NeedArea,
    Referral,
    ReferralStatus,
    ServiceDelivery,
    ServiceOutcome,
    SharedItem,
    SupportClient,
)
from lanhmanh.support.tests.factories import (
    NeedsAssessmentFactory,
    ServiceDeliveryFactory,
    ServiceTypeFactory,
    SupportClientFactory,
)

NAME = "Người Thử Nghiệm Một"
PHONE = "0900 000 111"
ID_NUMBER = "001199000111"
ADDRESS = "Số 1 ngõ Thử Nghiệm"
DAY = datetime.date(2026, 2, 2)


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def legal_aid(people):
    kind = AgencyTypeFactory(code="legal_aid", name="Trung tâm Trợ giúp pháp lý nhà nước")
    return AgencyFactory(unit=people.province, agency_type=kind, name="Trung tâm Trợ giúp pháp lý thử nghiệm")


@pytest.fixture
def social_work(people):
    kind = AgencyTypeFactory(code="social_work", name="Trung tâm Công tác xã hội")
    return AgencyFactory(unit=people.province, agency_type=kind, name="Trung tâm Công tác xã hội thử nghiệm")


@pytest.fixture
def child_protection(people):
    kind = AgencyTypeFactory(code="child_protection", name="Cơ quan, người làm công tác bảo vệ trẻ em")
    return AgencyFactory(unit=people.commune_a, agency_type=kind, name="Bảo vệ trẻ em thử nghiệm")


@pytest.fixture
def supervisor(people):
    return UserFactory(username="giamsat.a", roles=[(people.commune_a, Role.SUPPORT_SUPERVISOR)])


@pytest.fixture
def province_worker(people):
    return UserFactory(username="hotro.tinh", roles=[(people.province, Role.SUPPORT_WORKER)])


@pytest.fixture
def partner(people, legal_aid):
    user = UserFactory(username="tiepnhan.tgpl")
    Membership.objects.create(user=user, unit=people.province, role=Role.REFERRAL_PARTNER, agency=legal_aid)
    return user


def register(people, *, identity=None, agency_types=(), phone_consent=False, referral_consent=None, **fields):
    consent = {"for_services": True, "for_phone_contact": phone_consent,
               "for_referral": bool(agency_types) if referral_consent is None else referral_consent}
    return services.register_client(
        user=people.support_worker, unit=people.commune_a,
        fields={"registered_on": datetime.date(2026, 1, 10), "age_group": AgeGroup.FROM_25, **fields},
        consent_fields=consent, agency_types=[a.agency_type for a in agency_types], identity=identity,
    )


def messages(exc) -> str:
    return " ".join(exc.messages)


# -- consent ------------------------------------------------------------------------------------------------


def test_services_and_assessments_are_refused_without_consent(people):
    client = SupportClientFactory(unit=people.commune_a, consent=False)
    with pytest.raises(ValidationError) as exc:
        services.deliver_service(client, user=people.support_worker,
                                 fields={"service_type": ServiceTypeFactory(), "delivered_on": DAY})
    assert "chưa đồng ý (hoặc đã rút lại sự đồng ý) nhận dịch vụ hỗ trợ vào ngày 02/02/2026" in messages(exc.value)
    with pytest.raises(ValidationError):
        services.assess_needs(client, user=people.support_worker, assessed_on=DAY, needs=[NeedArea.HEALTH])
    assert not client.services.exists() and not client.assessments.exists()


def test_services_are_refused_after_the_consent_is_withdrawn(people):
    client = SupportClientFactory(unit=people.commune_a)
    consent = client.consents.get()
    services.withdraw_consent(consent, user=people.support_worker, on=datetime.date(2026, 2, 1), note="")
    service_type = ServiceTypeFactory()
    before = services.deliver_service(client, user=people.support_worker,
                                      fields={"service_type": service_type, "delivered_on": datetime.date(2026, 1, 31)})
    assert before.pk
    with pytest.raises(ValidationError) as exc:
        services.deliver_service(client, user=people.support_worker,
                                 fields={"service_type": service_type, "delivered_on": DAY})
    assert "Hãy ghi nhận sự đồng ý trước" in messages(exc.value)
    with pytest.raises(ValidationError, match="đã được rút lại"):
        services.withdraw_consent(consent, user=people.support_worker, on=DAY)


def test_referral_needs_a_consent_to_that_kind_of_agency(people, legal_aid, social_work):
    no_referral = register(people)
    with pytest.raises(ValidationError) as exc:
        services.send_referral(no_referral, user=people.support_worker, to_agency=legal_aid, sent_on=DAY,
                               reason="Cần trợ giúp pháp lý.", shared_items=[SharedItem.AGE_GROUP])
    assert "chưa đồng ý được chuyển gửi đến Trung tâm Trợ giúp pháp lý nhà nước" in messages(exc.value)
    assert "Không thể chuyển gửi khi chưa có sự đồng ý" in messages(exc.value)

    only_social_work = register(people, agency_types=[social_work])
    with pytest.raises(ValidationError):
        services.send_referral(only_social_work, user=people.support_worker, to_agency=legal_aid, sent_on=DAY,
                               reason="Cần trợ giúp pháp lý.", shared_items=[])
    referral = services.send_referral(only_social_work, user=people.support_worker, to_agency=social_work,
                                      sent_on=DAY, reason="Cần tư vấn tâm lý.", shared_items=[SharedItem.GENDER])
    assert referral.status == ReferralStatus.SENT and referral.shared_items == ["gender"]
    assert Referral.objects.count() == 1


def test_a_minor_is_referred_to_child_protection_without_a_referral_consent(people, child_protection, legal_aid):
    with pytest.raises(ValidationError) as exc:
        services.register_client(
            user=people.support_worker, unit=people.commune_a,
            fields={"registered_on": datetime.date(2026, 1, 10), "age_group": AgeGroup.FROM_16},
            consent_fields={"for_services": True, "given_by": ConsentGiver.GUARDIAN},
        )
    assert "child_protection_agency" in exc.value.message_dict
    assert not SupportClient.objects.exists()  # nothing kept of a refused registration

    minor = services.register_client(
        user=people.support_worker, unit=people.commune_a,
        fields={"registered_on": datetime.date(2026, 1, 10), "age_group": AgeGroup.FROM_16},
        consent_fields={"for_services": True, "given_by": ConsentGiver.GUARDIAN},
        child_protection_agency=child_protection,
    )
    assert minor.is_minor
    referral = minor.referrals.get()
    assert referral.is_child_protection and referral.to_agency == child_protection
    assert not services.needs_child_protection_referral(minor)
    # Another referral of the minor still needs a consent.
    with pytest.raises(ValidationError):
        services.send_referral(minor, user=people.support_worker, to_agency=legal_aid, sent_on=DAY, reason="Pháp lý.",
                               shared_items=[])
    # A second child-protection referral goes through without one too.
    again = services.send_referral(minor, user=people.support_worker, to_agency=child_protection, sent_on=DAY,
                                   reason="Theo dõi tiếp.", shared_items=[SharedItem.AGE_GROUP], child_protection=True)
    assert again.is_child_protection


def test_child_protection_referral_is_only_for_minors(people, child_protection):
    adult = register(people)
    with pytest.raises(ValidationError, match="trẻ em"):
        services.send_referral(adult, user=people.support_worker, to_agency=child_protection, sent_on=DAY,
                               reason="Thử.", shared_items=[], child_protection=True)


def test_a_phone_number_needs_the_phone_consent_and_goes_with_it(people):
    with pytest.raises(ValidationError) as exc:
        register(people, identity={"full_name": NAME, "phone": PHONE})
    assert "phone" in exc.value.message_dict
    assert "không lưu số điện thoại" in exc.value.message_dict["phone"][0]
    assert not SupportClient.objects.exists()

    client = register(people, identity={"full_name": NAME})
    with pytest.raises(ValidationError):
        services.update_identity(client, user=people.support_worker, identity={"phone": PHONE},
                                 expected_version=client.version)

    client = register(people, identity={"full_name": NAME, "phone": PHONE}, phone_consent=True)
    assert SupportClient.objects.get(pk=client.pk).phone == PHONE
    consent = client.consents.get()
    services.withdraw_consent(consent, user=people.support_worker, on=timezone.localdate(), note="")
    client.refresh_from_db()
    assert client.phone == "" and client.full_name == NAME


def test_a_minor_cannot_consent_alone(people):
    client = SupportClientFactory(unit=people.commune_a, age_group=AgeGroup.UNDER_16, consent=False)
    with pytest.raises(ValidationError) as exc:
        services.record_consent(client, user=people.support_worker,
                                fields={"given_on": DAY, "for_services": True, "given_by": ConsentGiver.SELF})
    assert "given_by" in exc.value.message_dict


# -- identity ----------------------------------------------------------------------------------------------


def test_reveal_identity_writes_exactly_one_log_entry(people):
    client = register(people, identity={"full_name": NAME, "id_number": ID_NUMBER})
    before = AccessLog.objects.count()
    shown = services.reveal_identity(client, user=people.support_worker, reason="Liên hệ hẹn tư vấn",
                                     endpoint="support:supportclient_detail")
    assert shown["full_name"] == NAME and shown["id_number"] == ID_NUMBER
    assert AccessLog.objects.count() == before + 1
    log = AccessLog.objects.latest("at")
    assert (log.user, log.object_id, log.reason) == (people.support_worker, str(client.pk), "Liên hệ hẹn tư vấn")
    assert NAME not in log.what and ID_NUMBER not in log.what

    with pytest.raises(ValidationError):
        services.reveal_identity(client, user=people.support_worker, reason="  ", endpoint="x")
    assert AccessLog.objects.count() == before + 1


def test_identity_is_refused_above_and_beside_the_owning_unit(people, province_worker, supervisor):
    client = register(people, identity={"full_name": NAME})
    assert services.may_see_identity(people.support_worker, client)
    assert services.may_see_identity(supervisor, client)
    for user in (province_worker, people.officer_a, people.province_officer, people.nobody):
        assert not services.may_see_identity(user, client)
        with pytest.raises(PermissionDenied):
            services.reveal_identity(client, user=user, reason="Kiểm tra", endpoint="x")
        with pytest.raises(PermissionDenied):
            services.update_identity(client, user=user, identity={"full_name": "Khác"},
                                     expected_version=client.version)
    assert not AccessLog.objects.exists()


def test_identifying_items_are_shared_only_by_those_who_may_see_them(people, province_worker, legal_aid):
    client = register(people, identity={"full_name": NAME}, agency_types=[legal_aid])
    with pytest.raises(PermissionDenied):
        services.send_referral(client, user=province_worker, to_agency=legal_aid, sent_on=DAY, reason="Pháp lý.",
                               shared_items=[SharedItem.AGE_GROUP, SharedItem.FULL_NAME])
    # Statistical items only: the province worker may refer.
    referral = services.send_referral(client, user=province_worker, to_agency=legal_aid, sent_on=DAY,
                                      reason="Pháp lý.", shared_items=[SharedItem.AGE_GROUP])
    assert not referral.shares_identity
    # An item the record does not have cannot be shared.
    with pytest.raises(ValidationError):
        services.send_referral(client, user=people.support_worker, to_agency=legal_aid, sent_on=DAY,
                               reason="Pháp lý.", shared_items=[SharedItem.PHONE])
    shared = services.send_referral(client, user=people.support_worker, to_agency=legal_aid, sent_on=DAY,
                                    reason="Pháp lý.", shared_items=[SharedItem.FULL_NAME, SharedItem.AGE_GROUP])
    assert services.shared_statistics(shared) == [("Nhóm tuổi", "Từ 25 đến 34 tuổi")]
    assert NAME not in str(services.shared_statistics(shared))


# -- referral lifecycle ------------------------------------------------------------------------------------


@pytest.fixture
def referral(people, legal_aid):
    client = register(people, agency_types=[legal_aid])
    return services.send_referral(client, user=people.support_worker, to_agency=legal_aid, sent_on=DAY,
                                  reason="Cần trợ giúp pháp lý.", shared_items=[SharedItem.AGE_GROUP])


def test_only_the_receiving_agency_answers(people, referral, partner, supervisor):
    for user in (people.support_worker, supervisor, people.officer_a):
        with pytest.raises(PermissionDenied):
            services.respond_referral(referral, user=user, accept=True)
    assert list(Referral.objects.incoming_for(partner)) == [referral]
    assert not Referral.objects.incoming_for(people.support_worker).exists()


def test_respond_and_complete(people, referral, partner):
    with pytest.raises(ValidationError, match="đã tiếp nhận"):
        services.complete_referral(referral, user=partner, on=DAY)
    with pytest.raises(ValidationError) as exc:
        services.respond_referral(referral, user=partner, accept=True, on=DAY - datetime.timedelta(days=1))
    assert "on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.respond_referral(referral, user=partner, accept=False, note=" ")
    assert "note" in exc.value.message_dict

    services.respond_referral(referral, user=partner, accept=True, note="Hẹn lịch tư vấn.",
                              on=datetime.date(2026, 2, 3))
    referral.refresh_from_db()
    assert (referral.status, referral.responded_by, referral.responded_on) == (
        ReferralStatus.ACCEPTED, partner, datetime.date(2026, 2, 3))
    with pytest.raises(ValidationError, match="Đã gửi"):
        services.respond_referral(referral, user=partner, accept=False, note="Không")
    with pytest.raises(ValidationError):
        services.complete_referral(referral, user=partner, on=DAY)  # before it was accepted

    service_type = ServiceTypeFactory(code="legal_aid", name="Trợ giúp pháp lý", area=NeedArea.LEGAL)
    services.complete_referral(referral, user=partner, on=datetime.date(2026, 2, 20), feedback="Đã hỗ trợ.",
                               service_type=service_type)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED and referral.feedback == "Đã hỗ trợ."
    service = ServiceDelivery.objects.get(referral=referral)
    assert (service.client, service.provider_agency, service.outcome, service.delivered_on) == (
        referral.client, referral.to_agency, ServiceOutcome.RECEIVED, datetime.date(2026, 2, 20))
    with pytest.raises(ValidationError):
        services.cancel_referral(referral, user=people.support_worker)


def test_declined_and_cancelled(people, referral, partner, legal_aid):
    services.respond_referral(referral, user=partner, accept=False, note="Không còn chỗ.", on=DAY)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DECLINED and referral.response_note == "Không còn chỗ."
    with pytest.raises(ValidationError):
        services.complete_referral(referral, user=partner)

    other = services.send_referral(referral.client, user=people.support_worker, to_agency=legal_aid, sent_on=DAY,
                                   reason="Gửi lại.", shared_items=[])
    with pytest.raises(PermissionDenied):
        services.cancel_referral(other, user=partner)
    services.cancel_referral(other, user=people.support_worker, note="Không còn nhu cầu.")
    other.refresh_from_db()
    assert other.status == ReferralStatus.CANCELLED
    with pytest.raises(PermissionDenied):
        services.respond_referral(other, user=people.support_worker, accept=True)
    with pytest.raises(ValidationError):
        services.respond_referral(other, user=partner, accept=True)


# -- figures -----------------------------------------------------------------------------------------------

START, END = datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)


def _client(unit, **kwargs):
    return SupportClientFactory(unit=unit, registered_on=datetime.date(2026, 1, 10), **kwargs)


def test_figures_in_need_and_reached(people):
    a = people.commune_a
    # Assessed in the period with needs, served in it: in need and reached.
    c1 = _client(a)
    NeedsAssessmentFactory(client=c1, assessed_on=datetime.date(2026, 4, 5))
    ServiceDeliveryFactory(client=c1, delivered_on=datetime.date(2026, 4, 10))
    # Latest assessment before the period had needs; served in the period.
    c2 = _client(a)
    NeedsAssessmentFactory(client=c2, assessed_on=datetime.date(2026, 2, 1))
    ServiceDeliveryFactory(client=c2, delivered_on=datetime.date(2026, 5, 1), outcome=ServiceOutcome.ONGOING)
    # Needs met before the period (the latest assessment before it has none): not in need.
    c3 = _client(a)
    NeedsAssessmentFactory(client=c3, assessed_on=datetime.date(2026, 2, 1))
    NeedsAssessmentFactory(client=c3, assessed_on=datetime.date(2026, 3, 1), needs=[])
    ServiceDeliveryFactory(client=c3, delivered_on=datetime.date(2026, 4, 2))
    # Closed before the period: not counted.
    c4 = _client(a, status=ClientStatus.CLOSED, closed_on=datetime.date(2026, 3, 15))
    NeedsAssessmentFactory(client=c4, assessed_on=datetime.date(2026, 2, 1))
    # In need, but declined the service: not reached. Served only before the period: not reached either.
    c5 = _client(a)
    NeedsAssessmentFactory(client=c5, assessed_on=datetime.date(2026, 4, 5))
    ServiceDeliveryFactory(client=c5, delivered_on=datetime.date(2026, 4, 20), outcome=ServiceOutcome.DECLINED)
    ServiceDeliveryFactory(client=c5, delivered_on=datetime.date(2026, 3, 20))
    # Needs assessed only after the period: not in need in it.
    c6 = _client(a)
    NeedsAssessmentFactory(client=c6, assessed_on=datetime.date(2026, 7, 2))
    # Commune B: counts for the province, not for A.
    c7 = _client(people.commune_b)
    NeedsAssessmentFactory(client=c7, assessed_on=datetime.date(2026, 4, 5))

    figures = services.figures(a, START, END)
    assert (figures.in_need, figures.reached) == (3, 2)
    assert figures.percent == 66.7
    assert set(services.in_need_clients(START, END, SupportClient.objects.filter(unit=a))) == {c1, c2, c5}
    province = services.figures(people.province, START, END)
    assert (province.in_need, province.reached) == (4, 2)
    # The first quarter: c2, c3 and c4 assessed with needs in it; c5 served in it, but its needs came later.
    q1 = services.figures(a, datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert (q1.in_need, q1.reached) == (3, 0)


def test_no_one_in_need_has_no_percentage(people):
    _client(people.commune_b)
    figures = services.figures(people.commune_b, START, END)
    assert (figures.in_need, figures.reached, figures.percent) == (0, 0, None)


# -- erasure -----------------------------------------------------------------------------------------------


@pytest.fixture
def identified(people, legal_aid):
    """A client with every identifying field, a changed identity (two history rows), notes, a referral sharing the
    name and the phone, and services in 2026."""
    client = register(people, agency_types=[legal_aid], phone_consent=True, birth_year=1995,
                      identity={"full_name": NAME, "phone": PHONE, "id_number": ID_NUMBER, "address": ADDRESS,
                                "date_of_birth": "03/04/1995"})
    client = services.update_identity(client, user=people.support_worker, identity={"address": ADDRESS + " B"},
                                      expected_version=client.version)
    services.assess_needs(client, user=people.support_worker, assessed_on=DAY, needs=[NeedArea.LEGAL],
                          note="Ghi chú đánh giá riêng")
    services.deliver_service(client, user=people.support_worker, fields={
        "service_type": ServiceTypeFactory(), "delivered_on": DAY, "note": "Ghi chú dịch vụ riêng"})
    services.send_referral(client, user=people.support_worker, to_agency=legal_aid, sent_on=DAY,
                           reason="Lý do chuyển gửi riêng",
                           shared_items=[SharedItem.FULL_NAME, SharedItem.PHONE, SharedItem.AGE_GROUP])
    # Another client with needs in 2026, so the counts have more than one row.
    other = _client(people.commune_a)
    NeedsAssessmentFactory(client=other, assessed_on=DAY)
    client.refresh_from_db()
    return client


SECRETS = (NAME, PHONE, ID_NUMBER, ADDRESS, "03/04/1995")


def _year_figures(people):
    year = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    return [services.figures(unit, *year) for unit in (people.commune_a, people.province)]


def _history_values(model, pk, fields):
    return [value for row in model.history.model.objects.filter(id=pk).values_list(*fields) for value in row]


def test_erasing_the_identity_keeps_the_counts_and_leaves_no_trace(people, identified, supervisor):
    assert SupportClient.history.model.objects.filter(id=identified.pk).count() >= 2
    assert NAME in _history_values(SupportClient, identified.pk, IDENTITY_FIELDS)
    before = _year_figures(people)
    assert before[0].in_need == 2 and before[0].reached == 1

    record = services.erase_client(identified, user=supervisor, kind=ErasureKind.REQUEST_IDENTITY,
                                   request_reference="Đơn yêu cầu ngày 02/03/2026",
                                   expected_version=identified.version)

    assert _year_figures(people) == before
    client = SupportClient.objects.get(pk=identified.pk)
    assert not client.has_identity and client.identity_purged_at is not None
    assert client.code == identified.code and client.birth_year == 1995  # only the identity goes
    assert not any(_history_values(SupportClient, client.pk, IDENTITY_FIELDS))
    referral = client.referrals.get()
    assert services.shared_values(referral) == {"age_group": "Từ 25 đến 34 tuổi"}
    assert not any(_history_values(Referral, referral.pk, ["shared_data"]))
    assert referral.reason == "Lý do chuyển gửi riêng"  # free text stays when only the identity is erased

    assert (record.kind, record.client, record.performed_by, record.unit) == (
        ErasureKind.REQUEST_IDENTITY, client, supervisor, people.commune_a)
    stored = " ".join(str(v) for v in ErasureRecord.objects.filter(pk=record.pk).values().get().values())
    assert not any(secret in stored for secret in SECRETS)
    assert "Đơn yêu cầu ngày 02/03/2026" in stored


def test_anonymising_keeps_the_counts_and_blanks_every_free_text(people, identified, supervisor):
    before = _year_figures(people)
    old_code = identified.code
    services.erase_client(identified, user=supervisor, kind=ErasureKind.REQUEST_ANONYMISE,
                          expected_version=identified.version)
    assert _year_figures(people) == before

    client = SupportClient.objects.get(pk=identified.pk)
    assert client.is_anonymised and not client.has_identity
    assert client.code != old_code and client.birth_year is None
    assert not SupportClient.history.model.objects.filter(code=old_code).exists()
    assert not any(_history_values(SupportClient, client.pk, IDENTITY_FIELDS))
    assert client.assessments.get().note == "" and client.services.get().note == ""
    referral = client.referrals.get()
    # Even the statistical snapshot goes: the shared items' names stay, so the receiver's list still reads right.
    assert referral.reason == "" and services.shared_values(referral) == {}
    assert referral.shared_items == ["age_group", "full_name", "phone"]
    assert not any(_history_values(Referral, referral.pk, ["reason", "shared_data"]))
    assessment = client.assessments.get()
    assert not any(_history_values(type(assessment), assessment.pk, ["note"]))
    assert client.erasures.get().kind == ErasureKind.REQUEST_ANONYMISE
    # Nothing more to erase; an anonymised record takes no identity any more.
    with pytest.raises(ValidationError):
        services.erase_client(client, user=supervisor, kind=ErasureKind.REQUEST_IDENTITY)
    with pytest.raises(ValidationError):
        services.update_identity(client, user=people.support_worker, identity={"full_name": NAME},
                                 expected_version=client.version)


def test_erasure_needs_the_erase_permission(people, identified, province_worker):
    for user in (people.support_worker, province_worker, people.officer_a):
        with pytest.raises(PermissionDenied):
            services.erase_client(identified, user=user, kind=ErasureKind.REQUEST_IDENTITY)
    assert SupportClient.objects.get(pk=identified.pk).full_name == NAME
    assert not ErasureRecord.objects.exists()


def test_erasure_of_another_unit_is_refused(people, identified):
    supervisor_b = UserFactory(username="giamsat.b", roles=[(people.commune_b, Role.SUPPORT_SUPERVISOR)])
    with pytest.raises(PermissionDenied):
        services.erase_client(identified, user=supervisor_b, kind=ErasureKind.REQUEST_ANONYMISE)


def test_referral_snapshot_is_encrypted_json(identified):
    # The snapshot the receiver reads holds what was shared, as it was when sent.
    referral = identified.referrals.get()
    assert json.loads(referral.shared_data)["full_name"] == NAME
    assert referral.shares_identity
