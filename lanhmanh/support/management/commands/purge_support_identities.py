from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lanhmanh.support import services


class Command(BaseCommand):
    help = ("Erases the identifying details of support clients whose last contact is older than "
            "SUPPORT_RETENTION_DAYS. The task worker runs it daily (support.tasks); cron can run this instead.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only count the records that would be purged.")
        parser.add_argument("--schedule", action="store_true",
                            help="Purge nothing now; make sure the task worker has the nightly run queued.")

    def handle(self, *args, dry_run, schedule, **options):
        if schedule:
            from lanhmanh.support.tasks import ensure_scheduled

            ensure_scheduled()
            return
        if dry_run:
            count = services.expired_clients().count()
            self.stdout.write(_("%(count)s hồ sơ đã hết thời hạn lưu trữ, sẽ bị xóa thông tin nhận dạng (chạy thử: "
                                "chưa xóa gì).") % {"count": count})
            return
        count = services.purge_expired_identities()
        self.stdout.write(_("Đã xóa thông tin nhận dạng của %(count)s hồ sơ hết thời hạn lưu trữ.") % {"count": count})
