from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from lanhmanh.core.fields import EncryptedTextField, fernet


class Command(BaseCommand):
    help = (
        "Re-encrypts every encrypted field under the first key of FIELD_ENCRYPTION_KEYS. To rotate: put the new "
        "key first (keeping the old one after it), run this, then remove the old key."
    )

    def handle(self, *args, **options):
        total = 0
        for model in apps.get_models():
            names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not names:
                continue
            rows = list(model._base_manager.values_list("pk", *names))
            with transaction.atomic():
                for pk, *values in rows:
                    # Reading decrypted with any key; writing encrypts with the newest. update() keeps
                    # versions and history untouched: the content did not change.
                    model._base_manager.filter(pk=pk).update(**dict(zip(names, values, strict=True)))
                    total += 1
            self.stdout.write(f"{model._meta.label}: re-encrypted {', '.join(names)}")
        for model in apps.get_models():
            for name in getattr(model, "encrypted_file_fields", ()):
                files = 0
                for record in model._base_manager.exclude(**{name: ""}).iterator():
                    stored = getattr(record, name)
                    with stored.open("rb") as fh:
                        token = fh.read()
                    rotated = fernet().rotate(token)
                    with stored.storage.open(stored.name, "wb") as fh:
                        fh.write(rotated)
                    files += 1
                self.stdout.write(f"{model._meta.label}: re-encrypted {files} files ({name})")
        self.stdout.write(f"Done: {total} rows.")
