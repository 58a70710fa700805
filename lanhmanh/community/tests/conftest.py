import pytest

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory, ResidentialGroupFactory


@pytest.fixture
def group_a(people):
    return ResidentialGroupFactory(parent=people.commune_a, name="Tổ dân phố 3")


@pytest.fixture
def group_b(people):
    return ResidentialGroupFactory(parent=people.commune_b, name="Tổ dân phố 3")


@pytest.fixture
def womens_union_a(people):
    return AgencyFactory(
        unit=people.commune_a,
        name="Hội Liên hiệp Phụ nữ phường Hồng Bàng",
        agency_type=AgencyTypeFactory(code="womens_union", name="Hội Liên hiệp Phụ nữ"),
    )


@pytest.fixture
def health_department(people):
    return AgencyFactory(
        unit=people.province,
        name="Sở Y tế thành phố Hải Phòng",
        agency_type=AgencyTypeFactory(code="health", name="Y tế"),
    )


@pytest.fixture
def police_b(people):
    return AgencyFactory(unit=people.commune_b, name="Công an phường Ngô Quyền")


@pytest.fixture
def clerk_a(people):
    return UserFactory(username="nhaplieu.a", roles=[(people.commune_a, Role.DATA_CLERK)])


@pytest.fixture
def viewer_a(people):
    return UserFactory(username="xem.a", roles=[(people.commune_a, Role.VIEWER)])
