from importlib import import_module

import pytest


@pytest.fixture(autouse=True)
def tip_catalogues(db):
    """The deadline rules and subjects of migration tips 0002 (reloaded: browser tests end with a flush)."""
    from django.apps import apps

    import_module("lanhmanh.tips.migrations.0002_catalogues").load(apps, None)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    # Photos sent through the form are written here, not into var/media.
    settings.MEDIA_ROOT = tmp_path
