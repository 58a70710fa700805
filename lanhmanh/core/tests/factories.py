import factory
from django.contrib.contenttypes.models import ContentType

from lanhmanh.accounts.tests.factories import UserFactory
from lanhmanh.core.models import AccessLog
from lanhmanh.geo.models import Agency
from lanhmanh.geo.tests.factories import AdminUnitFactory


class AccessLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccessLog

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(AdminUnitFactory)
    content_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Agency))
    object_id = "1"
    what = "số điện thoại"
    endpoint = "geo:agency_detail"
