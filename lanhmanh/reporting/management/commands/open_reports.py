from django.core.management.base import BaseCommand
from django.utils import timezone

from lanhmanh.reporting.services import open_due_reports


class Command(BaseCommand):
    help = "Opens each report type's reports of the current periods for every unit that must submit them (daily)."

    def handle(self, *args, **options):
        for code, count in open_due_reports(timezone.localdate()).items():
            self.stdout.write(f"{code}: {count} report(s) opened")
