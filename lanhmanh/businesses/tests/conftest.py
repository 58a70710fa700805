from importlib import import_module

import pytest

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.businesses.models import BusinessType


@pytest.fixture
def types(db):
    """The catalogue loaded by migration 0002, by code. Loaded again here because tests that run outside
    a transaction (the browser tests) end with a flush that empties it."""
    from django.apps import apps

    import_module("lanhmanh.businesses.migrations.0002_business_types").load(apps, None)
    return {t.code: t for t in BusinessType.objects.all()}


@pytest.fixture
def police_a(people):
    return UserFactory(username="congan.a", roles=[(people.commune_a, Role.POLICE)])


@pytest.fixture
def inspector_a(people):
    return UserFactory(username="kiemtra.a", roles=[(people.commune_a, Role.INSPECTOR)])
