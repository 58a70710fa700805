from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from lanhmanh.accounts.models import User


class Command(BaseCommand):
    help = "Creates (or replaces) the personal API token of USERNAME and prints it once."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"No active user named {username!r}.") from None
        Token.objects.filter(user=user).delete()
        self.stdout.write(Token.objects.create(user=user).key)
