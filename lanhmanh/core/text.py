"""Text for Vietnamese readers: what a search or a duplicate check should treat as equal, and times as read."""

import re
import unicodedata

from django.utils import timezone

_NOT_WORD = re.compile(r"[\W_]+")


def normalise_text(value) -> str:
    """Lowercase, without diacritics (đ → d), punctuation as spaces, spaces collapsed:
    "Karaoke  Hoa-Hồng, số 5" → "karaoke hoa hong so 5"."""
    text = unicodedata.normalize("NFKD", str(value or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _NOT_WORD.sub(" ", text).strip()


def local_time(moment) -> str:
    """A stored (UTC) time as the reader reads it: "15/01/2026 14:30" in the site's time zone; "" for none."""
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else ""
