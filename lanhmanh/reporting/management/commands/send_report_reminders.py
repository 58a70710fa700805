import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = ("E-mails programme officers their units' reports coming due or overdue, and upper units a summary of "
            "the children that have not submitted (REPORT_REMINDER_DAYS). The task worker runs it daily with "
            "--open (reporting.tasks); cron can run it instead, once a day.")

    def add_arguments(self, parser):
        parser.add_argument("--open", action="store_true", dest="open_due",
                            help="First open the current periods' reports (as manage.py open_reports does).")
        parser.add_argument("--date", type=datetime.date.fromisoformat, default=None,
                            help="Act as on this day (YYYY-MM-DD) instead of today.")
        parser.add_argument("--dry-run", action="store_true", help="Only count the e-mails; send nothing.")
        parser.add_argument("--schedule", action="store_true",
                            help="Send nothing now; make sure the task worker has the daily run queued.")

    def handle(self, *args, open_due, date, dry_run, schedule, **options):
        if schedule:
            from lanhmanh.reporting.tasks import ensure_scheduled

            ensure_scheduled()
            return
        from lanhmanh.reporting import reminders
        from lanhmanh.reporting.services import open_due_reports

        today = date or timezone.localdate()
        if open_due and not dry_run:
            for code, count in open_due_reports(today).items():
                self.stdout.write(f"{code}: {count} report(s) opened")
        if dry_run:
            self.stdout.write(f"{len(reminders.messages(today))} reminder e-mail(s) would be sent (dry run).")
            return
        sent = reminders.send_report_reminders(today)
        self.stdout.write(f"{sent} reminder e-mail(s) sent.")
