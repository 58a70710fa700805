import datetime
from importlib import import_module

import pytest

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.inspections.models import ViolationType
from lanhmanh.inspections.tests.factories import TeamFactory


@pytest.fixture
def violation_types(db):
    """The catalogue of migration 0002, by code (reloaded: browser tests end with a flush that empties it)."""
    from django.apps import apps

    import_module("lanhmanh.inspections.migrations.0002_violation_types").load(apps, None)
    return {v.code: v for v in ViolationType.objects.all()}


@pytest.fixture
def team_a(people):
    return TeamFactory(unit=people.commune_a, name="Đội kiểm tra liên ngành phường Hồng Bàng",
                       decision_date=datetime.date(2025, 7, 15))


@pytest.fixture
def province_team(people):
    return TeamFactory(unit=people.province, name="Đội kiểm tra liên ngành 178 thành phố",
                       decision_date=datetime.date(2024, 1, 10))


@pytest.fixture
def inspector_a(people):
    return UserFactory(username="kiemtra.a", roles=[(people.commune_a, Role.INSPECTOR)])


@pytest.fixture
def approver(people):
    return UserFactory(username="lanhdao.tinh", roles=[(people.province, Role.APPROVER)])
