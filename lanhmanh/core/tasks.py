import datetime

from django.db import transaction
from django.utils import timezone, translation
from django_tasks import TaskResultStatus, task

from lanhmanh.core.models import ImportJob


@task()
def run_import_job(job_id: int, language: str):
    """Large imports run here, in the worker that script/server starts (manage.py db_worker)."""
    from lanhmanh.core.imports import run_import

    with translation.override(language):
        run_import(ImportJob.objects.select_related("user").get(pk=job_id))


# -- daily runs ------------------------------------------------------------------------------------------------------
# django-tasks has no periodic schedule, but its database backend runs deferred tasks (`run_after`): a daily task
# runs, then enqueues its next run itself, and `ensure_daily` (called by script/setup) starts the chain when no run
# is pending. Without a worker, cron can run the task's management command instead.


def next_daily_run(run_at: datetime.time, now=None) -> datetime.datetime:
    """The next `run_at` local time strictly after `now`."""
    now = timezone.localtime(now)
    candidate = timezone.make_aware(datetime.datetime.combine(now.date(), run_at))
    if candidate <= now:
        candidate = timezone.make_aware(datetime.datetime.combine(now.date() + datetime.timedelta(days=1), run_at))
    return candidate


def task_results(daily_task, *statuses):
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=daily_task.module_path, status__in=statuses)


def pending_runs(daily_task):
    """Runs waiting for their time (READY) or under way (RUNNING): a running one enqueues its successor itself."""
    return task_results(daily_task, TaskResultStatus.READY, TaskResultStatus.RUNNING)


def enqueue_next(daily_task, run_at: datetime.time):
    return daily_task.using(run_after=next_daily_run(run_at)).enqueue()


def chain_next(daily_task, run_at: datetime.time):
    """After a run (also a failed one, so one bad day does not stop the chain): tomorrow's, unless a run is already
    waiting (ensure_daily called while this one ran, or a duplicate)."""
    if not task_results(daily_task, TaskResultStatus.READY).exists():
        enqueue_next(daily_task, run_at)


@transaction.atomic
def ensure_daily(daily_task, run_at: datetime.time):
    """Enqueue one run for the next `run_at` unless one is waiting or running. Returns the new result, or None."""
    if pending_runs(daily_task).exists():
        return None
    return enqueue_next(daily_task, run_at)
