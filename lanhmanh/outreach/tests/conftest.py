import pytest

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory, ResidentialGroupFactory


@pytest.fixture
def clerk_a(people):
    return UserFactory(username="nhaplieu.a", roles=[(people.commune_a, Role.DATA_CLERK)])


@pytest.fixture
def viewer_a(people):
    return UserFactory(username="xem.a", roles=[(people.commune_a, Role.VIEWER)])


@pytest.fixture
def groups_a(people):
    return [ResidentialGroupFactory(parent=people.commune_a, name=f"Tổ dân phố {n}") for n in (1, 2, 3)]


@pytest.fixture
def group_b(people):
    return ResidentialGroupFactory(parent=people.commune_b, name="Tổ dân phố 1")


@pytest.fixture
def culture_a(people):
    kind = AgencyTypeFactory(code="culture_society", name="Văn hóa - Xã hội")
    return AgencyFactory(unit=people.commune_a, agency_type=kind, name="Phòng Văn hóa - Xã hội phường Hồng Bàng")


@pytest.fixture
def health_p(people):
    kind = AgencyTypeFactory(code="health", name="Y tế")
    return AgencyFactory(unit=people.province, agency_type=kind, name="Sở Y tế")


@pytest.fixture
def police_b(people):
    return AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")
