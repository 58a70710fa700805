"""The daily retention purge (settings.SUPPORT_RETENTION_DAYS): identifying details of clients whose last contact is
older than the retention period are erased by `services.purge_expired_identities`.

It runs in the database task worker that script/server starts (manage.py db_worker). django-tasks has no periodic
schedule, but the database backend supports deferred tasks (`run_after`), so each run enqueues the next one for
02:00 local time; `ensure_scheduled()` (called by script/setup) starts the chain if no run is pending. Without a
worker, cron can run `manage.py purge_support_identities` instead."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

RUN_AT = datetime.time(2, 0)


def next_run(now=None) -> datetime.datetime:
    """The next 02:00 local time strictly after `now`."""
    now = timezone.localtime(now)
    candidate = timezone.make_aware(datetime.datetime.combine(now.date(), RUN_AT))
    if candidate <= now:
        candidate = timezone.make_aware(datetime.datetime.combine(now.date() + datetime.timedelta(days=1), RUN_AT))
    return candidate


def _results(*statuses):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=purge_support_identities.module_path, status__in=statuses)


def pending_runs():
    """Runs waiting for their time (READY) or under way (RUNNING): a running one enqueues its successor itself."""
    return _results(TaskResultStatus.READY, TaskResultStatus.RUNNING)


def _enqueue_next():
    return purge_support_identities.using(run_after=next_run()).enqueue()


@task()
def purge_support_identities() -> int:
    """Purge, then schedule tomorrow's run (also when the purge failed, so one bad day does not stop the chain)."""
    from lanhmanh.support.services import purge_expired_identities

    try:
        return purge_expired_identities()
    finally:
        # Not when another run is already waiting (ensure_scheduled called while this one ran, or a duplicate).
        if not _results(TaskResultStatus.READY).exists():
            _enqueue_next()


@transaction.atomic
def ensure_scheduled():
    """Enqueue one run for the next 02:00 unless one is waiting or running. Returns the new result, or None."""
    if pending_runs().exists():
        return None
    return _enqueue_next()
