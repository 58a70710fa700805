"""The demo clients are invented and pseudonymous, follow the rules of clients typed in, and give the figures and
every screen something to show."""

import datetime
import random
from importlib import import_module

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from lanhmanh.accounts.models import Membership
from lanhmanh.accounts.roles import Role
from lanhmanh.core.management.commands.seed_demo import SeedContext
from lanhmanh.geo import demo as geo_demo
from lanhmanh.geo.models import AdminUnit
from lanhmanh.support import demo, services
from lanhmanh.support.models import (
    IDENTITY_FIELDS,
    ClientStatus,
    Consent,
    NeedsAssessment,
    Purpose,
    Referral,
    ReferralStatus,
    ServiceDelivery,
    SupportClient,
)


@pytest.fixture
def seeded(db):
    # The catalogues of the data migrations (reloaded: browser tests end with a flush).
    import_module("lanhmanh.geo.migrations.0002_agency_types").load(apps, None)
    import_module("lanhmanh.geo.migrations.0003_support_agency_types").load(apps, None)
    import_module("lanhmanh.support.migrations.0002_service_types").load(apps, None)
    call_command("load_admin_units", stdout=None)
    provinces = list(AdminUnit.objects.filter(code__in=["31", "33"]).order_by("code"))
    communes = [c for p in provinces for c in AdminUnit.objects.filter(parent=p).order_by("code")[:6]]
    ctx = SeedContext("demo", random.Random(2026), provinces, communes, "khong-dung")
    geo_demo.seed(ctx)
    demo.seed(ctx)
    return ctx


def test_demo_clients_are_pseudonymous_and_valid(seeded):
    ctx = seeded
    assert "support clients" in ctx.log[-1]
    clients = list(SupportClient.objects.select_related("unit", "origin_province"))
    per_commune = {c.pk: 0 for c in ctx.detailed_communes}
    for client in clients:
        per_commune[client.unit_id] += 1
    assert all(15 <= n <= 40 for n in per_commune.values())
    assert Consent.objects.count() >= len(clients) and NeedsAssessment.objects.exists()
    assert ServiceDelivery.objects.exists() and Referral.objects.exists()

    # No identity at all: every identifying field blank, in the records and in their history.
    for client in clients:
        assert not any(getattr(client, name) for name in IDENTITY_FIELDS), client.code
        assert client.code.startswith(f"HT-{client.unit.code}-")
        client.full_clean()
    assert not any(any(row) for row in SupportClient.history.values_list(*IDENTITY_FIELDS))
    assert len({c.code for c in clients}) == len(clients)

    # Most come from other provinces; some cases closed; some consents withdrawn.
    elsewhere = sum(c.origin_province_id != c.unit.parent_id for c in clients)
    assert elsewhere > len(clients) / 2
    assert any(c.status == ClientStatus.CLOSED for c in clients)

    today = timezone.localdate()
    for model, field in ((Consent, "given_on"), (NeedsAssessment, "assessed_on"), (ServiceDelivery, "delivered_on"),
                         (Referral, "sent_on")):
        days = list(model.objects.values_list(field, flat=True))
        assert min(days) >= datetime.date(2025, 1, 1) and max(days) <= today
    for record in [*Consent.objects.all(), *NeedsAssessment.objects.all()[:300],
                   *ServiceDelivery.objects.select_related("client", "service_type")[:300],
                   *Referral.objects.select_related("client", "to_agency")]:
        record.full_clean()


def test_demo_follows_the_consent_and_child_protection_rules(seeded):
    assert {r.status for r in Referral.objects.all()} == set(ReferralStatus.values)
    for referral in Referral.objects.select_related("client", "to_agency__agency_type"):
        assert not referral.shares_identity
        if not referral.is_child_protection:
            assert services.valid_consent(referral.client, Purpose.REFERRAL, on=referral.sent_on,
                                          agency_type=referral.to_agency.agency_type) is not None
    for service in ServiceDelivery.objects.select_related("client"):
        assert services.valid_consent(service.client, Purpose.SERVICES, on=service.delivered_on) is not None

    minors = list(SupportClient.objects.filter(is_minor=True))
    assert minors
    for minor in minors:
        referral = minor.referrals.get(is_child_protection=True)
        assert referral.to_agency.agency_type.code == "child_protection"
        assert not services.needs_child_protection_referral(minor)


def test_demo_figures_and_users(seeded):
    ctx = seeded
    today = timezone.localdate()
    figures = services.figures(ctx.provinces[0], datetime.date(today.year, 1, 1), today)
    assert figures.in_need > 0 and 0 < figures.reached < figures.in_need

    commune = ctx.detailed_communes[0]
    assert {"demo.hotro1", "demo.giamsat", "demo.tiepnhan"} <= set(ctx.users)
    worker = Membership.objects.get(user__username="demo.hotro1")
    assert (worker.unit, worker.role) == (commune, Role.SUPPORT_WORKER)
    assert Membership.objects.get(user__username="demo.giamsat").role == Role.SUPPORT_SUPERVISOR
    partner = Membership.objects.select_related("user", "agency__agency_type").get(user__username="demo.tiepnhan")
    assert partner.role == Role.REFERRAL_PARTNER and partner.agency.agency_type.code == "legal_aid"
    assert partner.agency.unit_id == commune.parent_id
    # The partner has referrals waiting and answered; the worker sees a minor at his commune.
    incoming = Referral.objects.incoming_for(partner.user)
    assert incoming.exists() and not incoming.exclude(to_agency=partner.agency).exists()
    assert SupportClient.objects.filter(unit=commune, is_minor=True).exists()
