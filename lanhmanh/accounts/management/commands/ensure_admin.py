import os
import secrets

from django.core.management.base import BaseCommand

from lanhmanh.accounts.models import User


class Command(BaseCommand):
    help = (
        "Creates the 'admin' superuser once. Password from LANHMANH_ADMIN_PASSWORD, else generated and "
        "printed this one time. Does nothing when the account exists."
    )

    def handle(self, *args, **options):
        if User.objects.filter(username="admin").exists():
            return
        password = os.environ.get("LANHMANH_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", email="", password=password, full_name="Quản trị hệ thống")
        if os.environ.get("LANHMANH_ADMIN_PASSWORD"):
            self.stdout.write("Administrator account 'admin' created with the password from LANHMANH_ADMIN_PASSWORD.")
        else:
            self.stdout.write(
                self.style.WARNING(
                    f"Administrator account created. Username: admin  Password: {password}\n"
                    "This password is shown only once: write it down now."
                )
            )
