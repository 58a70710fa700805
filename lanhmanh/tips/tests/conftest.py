from importlib import import_module

import pytest

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory


@pytest.fixture(autouse=True)
def tip_catalogues(db):
    """The deadline rules and subjects of migration 0002 (reloaded: browser tests end with a flush)."""
    from django.apps import apps

    import_module("lanhmanh.tips.migrations.0002_catalogues").load(apps, None)


@pytest.fixture
def police_a(people):
    return UserFactory(username="congan.a", roles=[(people.commune_a, Role.POLICE)], email="congan.a@example.vn")


@pytest.fixture
def police_b(people):
    return UserFactory(username="congan.b", roles=[(people.commune_b, Role.POLICE)])
