from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from lanhmanh.accounts.models import User
from lanhmanh.accounts.tests.factories import UserFactory

PHONE = "0912 345 678"


def _raw_phone(user):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone FROM {User._meta.db_table} WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def test_round_trip(db):
    user = UserFactory(phone=PHONE)
    assert User.objects.get(pk=user.pk).phone == PHONE


def test_the_database_holds_no_plaintext(db):
    user = UserFactory(phone=PHONE)
    raw = _raw_phone(user)
    assert raw and PHONE not in raw and "345" not in raw
    history_table = User.history.model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT phone FROM {history_table} WHERE id = %s", [user.pk])
        assert all(PHONE not in (row[0] or "") for row in cursor.fetchall())


def test_empty_values_stay_empty(db):
    user = UserFactory(phone="")
    assert _raw_phone(user) == ""


def test_key_rotation_re_encrypts_under_the_new_key(db, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    user = UserFactory(phone=PHONE)
    new_key = Fernet.generate_key().decode()
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, old_key]):
        call_command("rotate_encryption_keys", verbosity=0)
    token = _raw_phone(user)
    assert Fernet(new_key.encode()).decrypt(token.encode()).decode() == PHONE
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key]):
        assert User.objects.get(pk=user.pk).phone == PHONE
