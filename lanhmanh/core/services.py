"""Writes every module shares: creating a record as a user, saving with optimistic locking, and the
access log for reads of identified personal data."""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _


class ConcurrentEditError(Exception):
    """Someone saved the record after the editor loaded it; `current` is the record as it is now."""

    def __init__(self, current):
        self.current = current
        super().__init__(_("Hồ sơ đã được người khác cập nhật sau khi bạn mở nó."))


def _stamp(instance, user, *, creating: bool):
    if user is not None and getattr(user, "is_authenticated", False):
        if creating and hasattr(instance, "created_by_id"):
            instance.created_by = user
        if hasattr(instance, "updated_by_id"):
            instance.updated_by = user
        instance._history_user = user


def record_create(instance, *, user):
    _stamp(instance, user, creating=True)
    instance.save()
    return instance


def save_versioned(instance, *, expected_version: int, user):
    """Save `instance` only if nobody saved it since `expected_version` was read.

    The version check and bump are one UPDATE … WHERE version = %s, so two concurrent saves cannot both
    pass it, on SQLite or PostgreSQL. Raises ConcurrentEditError (nothing written) otherwise."""
    model = type(instance)
    with transaction.atomic():
        bumped = model._base_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if not bumped:
            raise ConcurrentEditError(model._base_manager.get(pk=instance.pk))
        instance.version = expected_version + 1
        _stamp(instance, user, creating=False)
        instance.save()
    return instance


def log_access(*, user, obj, what: str, endpoint: str, reason: str = ""):
    """Record that `user` was shown identified personal data of `obj`. Call it where the data is shown.

    The log row carries the record's unit, so auditors of that subtree can review it."""
    from lanhmanh.core.models import AccessLog

    return AccessLog.objects.create(
        user=user,
        unit=obj.unit,
        content_type=ContentType.objects.get_for_model(type(obj), for_concrete_model=False),
        object_id=str(obj.pk),
        what=what[:200],
        endpoint=endpoint[:200],
        reason=reason[:500],
    )


def log_reads(*, user, objects, what: str, endpoint: str):
    """log_access for every record of a list page, export or API page, in one query."""
    from lanhmanh.core.models import AccessLog

    objects = list(objects)
    if not objects:
        return []
    content_type = ContentType.objects.get_for_model(type(objects[0]), for_concrete_model=False)
    return AccessLog.objects.bulk_create(
        AccessLog(user=user, unit_id=obj.unit_id, content_type=content_type, object_id=str(obj.pk),
                  what=what[:200], endpoint=endpoint[:200])
        for obj in objects
    )
