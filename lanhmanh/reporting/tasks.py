"""The daily reporting run: open each period's reports for every unit that must submit them
(services.open_due_reports), then e-mail the reminders of reports coming due or overdue (reminders).

It runs in the database task worker that script/server starts (manage.py db_worker), like support.tasks: django-tasks
has no periodic schedule, but the database backend supports deferred tasks (`run_after`), so each run enqueues the
next one for 06:00 local time (reminders arrive before the working day); `ensure_scheduled()` (called by
script/setup through `manage.py send_report_reminders --schedule`) starts the chain if no run is pending. Without a
worker, cron can run `manage.py send_report_reminders --open` instead."""

import datetime

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task

RUN_AT = datetime.time(6, 0)


def next_run(now=None) -> datetime.datetime:
    """The next 06:00 local time strictly after `now`."""
    now = timezone.localtime(now)
    candidate = timezone.make_aware(datetime.datetime.combine(now.date(), RUN_AT))
    if candidate <= now:
        candidate = timezone.make_aware(datetime.datetime.combine(now.date() + datetime.timedelta(days=1), RUN_AT))
    return candidate


def _results(*statuses):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=daily_reporting.module_path, status__in=statuses)


def pending_runs():
    """Runs waiting for their time (READY) or under way (RUNNING): a running one enqueues its successor itself."""
    return _results(TaskResultStatus.READY, TaskResultStatus.RUNNING)


def _enqueue_next():
    return daily_reporting.using(run_after=next_run()).enqueue()


def run_daily(today: datetime.date | None = None) -> dict:
    """Open the due reports, then send the reminders. {"opened": {type code: n}, "reminders": e-mails sent}."""
    from lanhmanh.reporting.reminders import send_report_reminders
    from lanhmanh.reporting.services import open_due_reports

    today = today or timezone.localdate()
    opened = open_due_reports(today)
    return {"opened": opened, "reminders": send_report_reminders(today)}


@task()
def daily_reporting() -> dict:
    """Today's run, then tomorrow's scheduled (also when today's failed, so one bad day does not stop the chain)."""
    try:
        return run_daily()
    finally:
        # Not when another run is already waiting (ensure_scheduled called while this one ran, or a duplicate).
        if not _results(TaskResultStatus.READY).exists():
            _enqueue_next()


@transaction.atomic
def ensure_scheduled():
    """Enqueue one run for the next 06:00 unless one is waiting or running. Returns the new result, or None."""
    if pending_runs().exists():
        return None
    return _enqueue_next()
