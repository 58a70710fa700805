from django.utils import translation
from django_tasks import task

from lanhmanh.core.models import ImportJob


@task()
def run_import_job(job_id: int, language: str):
    """Large imports run here, in the worker that script/server starts (manage.py db_worker)."""
    from lanhmanh.core.imports import run_import

    with translation.override(language):
        run_import(ImportJob.objects.select_related("user").get(pk=job_id))
