"""The English catalogue is complete, and a user who switches to English sees the app in English."""

import io
import re
from pathlib import Path

import polib
import pytest
from asgiref.local import Local
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import trans_real

EN_PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\{\s*\w+\s*\}\}")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """The .mo files are not in git: compile them as script/setup and script/test do (a no-op when fresh)."""
    out = io.StringIO()
    call_command("compile_translations", stdout=out)
    if out.getvalue():  # something was (re)compiled: drop catalogues this process may have cached already
        trans_real._translations = {}
        trans_real._default = None
        trans_real._active = Local()


def _english_entries():
    return [entry for entry in polib.pofile(str(EN_PO)) if not entry.obsolete]


def test_english_catalogue_is_complete():
    entries = _english_entries()
    assert entries
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == [], "Untranslated: translate them in lanhmanh/locale/en/LC_MESSAGES/django.po"
    assert fuzzy == [], "Fuzzy: check the translations and remove the fuzzy flag"


def test_english_translations_keep_every_placeholder():
    for entry in _english_entries():
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert sorted(PLACEHOLDER.findall(translation)) == expected, entry.msgid


def test_login_page_is_vietnamese_by_default_and_english_after_switching(client, db):
    login_url = reverse("login")
    vietnamese = client.get(login_url).content.decode()
    assert "Đăng nhập" in vietnamese and '<html lang="vi">' in vietnamese

    switched = client.post(reverse("set_language"), {"language": "en", "next": login_url})
    assert switched.status_code == 302 and switched["Location"] == login_url

    english = client.get(login_url).content.decode()
    assert '<html lang="en">' in english
    assert "Log in" in english
    assert "Đăng nhập" not in english


def test_logged_in_english_user_sees_english_list_page(client, people):
    client.force_login(people.officer_a)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    page = client.get(reverse("geo:residentialgroup_list")).content.decode()
    assert "<title>Residential group (tổ dân phố / thôn) · Lành Mạnh</title>" in page
    assert "Residential group (tổ dân phố / thôn)</h1>" in page
    assert "Add new" in page and "Filter" in page and "Log out" in page
    assert "Thêm mới" not in page and "Đăng xuất" not in page
