"""The daily retention purge (settings.SUPPORT_RETENTION_DAYS): identifying details of clients whose last contact is
older than the retention period are erased by `services.purge_expired_identities`.

It runs in the database task worker that script/server starts (manage.py db_worker), as a daily chain (see
core.tasks) at 02:00 local time; `ensure_scheduled()` (called by script/setup) starts it. Without a worker, cron can
run `manage.py purge_support_identities` instead."""

import datetime

from django_tasks import task

from lanhmanh.core import tasks as daily

RUN_AT = datetime.time(2, 0)


def next_run(now=None) -> datetime.datetime:
    """The next 02:00 local time strictly after `now`."""
    return daily.next_daily_run(RUN_AT, now)


def pending_runs():
    return daily.pending_runs(purge_support_identities)


@task()
def purge_support_identities() -> int:
    """Purge, then schedule tomorrow's run (also when the purge failed, so one bad day does not stop the chain)."""
    from lanhmanh.support.services import purge_expired_identities

    try:
        return purge_expired_identities()
    finally:
        daily.chain_next(purge_support_identities, RUN_AT)


def ensure_scheduled():
    """Enqueue one run for the next 02:00 unless one is waiting or running. Returns the new result, or None."""
    return daily.ensure_daily(purge_support_identities, RUN_AT)
