"""Text comparison for Vietnamese: what a search or a duplicate check should treat as equal."""

import re
import unicodedata

_NOT_WORD = re.compile(r"[\W_]+")


def normalise_text(value) -> str:
    """Lowercase, without diacritics (đ → d), punctuation as spaces, spaces collapsed:
    "Karaoke  Hoa-Hồng, số 5" → "karaoke hoa hong so 5"."""
    text = unicodedata.normalize("NFKD", str(value or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return _NOT_WORD.sub(" ", text).strip()
