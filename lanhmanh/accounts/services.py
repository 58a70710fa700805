from django.db import transaction

from lanhmanh.accounts.models import Membership, User
from lanhmanh.core.services import record_create


def user_create(*, by, username, password, unit, role, agency=None, **profile) -> User:
    """An official and their first membership, together or not at all."""
    with transaction.atomic():
        user = User(username=username, **profile)
        user.set_password(password)
        user._history_user = by
        user.save()
        record_create(Membership(user=user, unit=unit, role=role, agency=agency), user=by)
    return user
