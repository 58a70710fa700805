"""The daily reporting run: open each period's reports for every unit that must submit them
(services.open_due_reports), then e-mail the reminders of reports coming due or overdue (reminders).

It runs in the database task worker that script/server starts (manage.py db_worker), as a daily chain (see
core.tasks) at 06:00 local time, so reminders arrive before the working day; `ensure_scheduled()` (called by
script/setup through `manage.py send_report_reminders --schedule`) starts it. Without a worker, cron can run
`manage.py send_report_reminders --open` instead."""

import datetime

from django.utils import timezone
from django_tasks import task

from lanhmanh.core import tasks as daily

RUN_AT = datetime.time(6, 0)


def next_run(now=None) -> datetime.datetime:
    """The next 06:00 local time strictly after `now`."""
    return daily.next_daily_run(RUN_AT, now)


def pending_runs():
    return daily.pending_runs(daily_reporting)


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
        daily.chain_next(daily_reporting, RUN_AT)


def ensure_scheduled():
    """Enqueue one run for the next 06:00 unless one is waiting or running. Returns the new result, or None."""
    return daily.ensure_daily(daily_reporting, RUN_AT)
