from django.core.management.base import BaseCommand

from lanhmanh.tips.digest import send_digests


class Command(BaseCommand):
    help = "E-mails each officer their tips that are overdue or due soon. Run once a day (cron, systemd timer)."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"{sent} digest e-mail(s) sent.")
