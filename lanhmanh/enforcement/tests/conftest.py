from importlib import import_module

import pytest

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.enforcement.models import Offence


@pytest.fixture
def offences(db):
    """The catalogue of migration 0002, by code (reloaded: browser tests end with a flush that empties it)."""
    from django.apps import apps

    import_module("lanhmanh.enforcement.migrations.0002_offences").load(apps, None)
    return {o.code: o for o in Offence.objects.all()}


@pytest.fixture
def police_a(people):
    return UserFactory(username="congan.a", roles=[(people.commune_a, Role.POLICE)])


@pytest.fixture
def inspector_a(people):
    return UserFactory(username="kiemtra.a", roles=[(people.commune_a, Role.INSPECTOR)])


@pytest.fixture
def viewer_a(people):
    return UserFactory(username="xem.a", roles=[(people.commune_a, Role.VIEWER)])
