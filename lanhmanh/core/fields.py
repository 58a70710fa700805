"""An encrypted text field for identifying data (names, phone numbers, ID numbers).

Values are encrypted with Fernet (AES-128-CBC + HMAC) under the first key of FIELD_ENCRYPTION_KEYS and
decrypted with any of them (MultiFernet), so keys rotate: add a new key first, run
`manage.py rotate_encryption_keys`, then drop the old one. A database dump shows only tokens.
Encrypted columns cannot be searched or sorted; keep whatever needs that in clear, non-identifying fields.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS holds an invalid Fernet key.") from exc


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        # Never fall back to returning the stored value: it would hide a lost key.
        raise ImproperlyConfigured("Cannot decrypt a field: its key is not in FIELD_ENCRYPTION_KEYS.") from exc


class EncryptedTextField(models.TextField):
    """Stores `encrypt(value)`; empty strings and NULL are stored as they are."""

    # Generic pages (detail, history, export) never display a sensitive field.
    sensitive = True

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(str(value))

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_lookup(self, lookup_name):
        # Equality against a ciphertext can never match (Fernet tokens are randomised).
        if lookup_name not in ("isnull",):
            return None
        return super().get_lookup(lookup_name)
