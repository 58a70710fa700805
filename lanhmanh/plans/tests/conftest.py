import pytest
from django.utils import translation

from lanhmanh.accounts.roles import Role
from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.geo.tests.factories import AgencyFactory, AgencyTypeFactory


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def approver(people):
    """The province's leader who signs plans (KT. CHỦ TỊCH / PHÓ CHỦ TỊCH)."""
    return UserFactory(username="lanhdao.tinh", roles=[(people.province, Role.APPROVER)])


@pytest.fixture
def agencies(people):
    """The province's health department and police, and commune A's police and culture-society office."""
    health = AgencyTypeFactory(code="health", name="Y tế")
    police = AgencyTypeFactory(code="police", name="Công an")
    culture = AgencyTypeFactory(code="culture_society", name="Văn hóa - Xã hội")
    return {
        "province_health": AgencyFactory(unit=people.province, agency_type=health, name="Sở Y tế thành phố Hải Phòng"),
        "province_police": AgencyFactory(unit=people.province, agency_type=police, name="Công an thành phố Hải Phòng"),
        "police_a": AgencyFactory(unit=people.commune_a, agency_type=police, name="Công an phường Hồng Bàng"),
        "culture_a": AgencyFactory(unit=people.commune_a, agency_type=culture,
                                   name="Phòng Văn hóa - Xã hội phường Hồng Bàng"),
        "police_b": AgencyFactory(unit=people.commune_b, agency_type=police, name="Công an phường Ngô Quyền"),
    }
