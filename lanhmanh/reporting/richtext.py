"""A report's narrative sections as rich text: the editor (Trix, vendored) sends HTML, which is stored only after
`sanitize` keeps a handful of tags with no attributes (no scripts, handlers, styles or links can reach another
reader's page or the document). Sections drafted by the system (drafting.start_narrative) are plain text, one
sentence a line; every function here reads both kinds.

- `sanitize(html)`: the HTML as stored; plain text (no HTML tags, e.g. sent over the API) becomes one <div> a line
  with its text escaped once, so it is not read back as plain text and escaped again.
- `to_html(value)`: what the editor loads (plain text becomes one <div> a line).
- `to_text(value)`: plain text, one paragraph or list item a line ("- " before an item) — for diffs and search.
- `to_blocks(value)`: the lanhmanh.core.documents blocks of the section (Paragraph, Bullet) for the DOCX."""

import html
import re
from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "ul", "ol", "li", "div"}
BLOCK_TAGS = {"p", "div", "li", "ul", "ol"}
BOLD_TAGS = {"strong", "b"}
ITALIC_TAGS = {"em", "i"}
# Whether a stored value is HTML (from the editor) or the drafted plain text.
# Blocks the editor or a paste may bring that are not kept as such: their text stays a paragraph of its own.
_OTHER_BLOCKS = re.compile(r"<(/?)\s*(?:h[1-6]|blockquote|pre|section|article|header|footer|table|tr)\b[^>]*>",
                           re.IGNORECASE)
# Only the names of HTML elements make a value HTML: "3 quán <karaoke>" typed as plain text stays text.
HTML_ELEMENTS = frozenset("""
    a abbr address area article aside audio b base bdi bdo blockquote body br button canvas caption cite code col
    colgroup data datalist dd del details dfn dialog div dl dt em embed fieldset figcaption figure font footer form
    h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe img input ins kbd label legend li link main map mark math
    menu meta meter nav noscript object ol optgroup option output p param picture pre progress q rp rt ruby s samp
    script search section select slot small source span strike strong style sub summary sup svg table tbody td
    template textarea tfoot th thead time title tr track u ul var video wbr
""".split())
_HTML = re.compile(r"<\s*/?\s*([a-z][a-z0-9]*)\b[^>]*>|<!--", re.IGNORECASE)


def is_html(value: str | None) -> bool:
    """Whether `value` holds HTML: a tag of a known HTML element, or a comment."""
    if not value:
        return False
    return any(match.group(1) is None or match.group(1).lower() in HTML_ELEMENTS
               for match in _HTML.finditer(str(value)))


def _plain_lines(value: str) -> list[str]:
    """The lines of plain text, with entities unescaped once (text an older version stored escaped reads "&", not
    "&amp;")."""
    return [html.unescape(line) for line in str(value).splitlines()]


def _plain_html(value: str) -> str:
    return "".join(f"<div>{html.escape(line, quote=False) or '<br>'}</div>" for line in _plain_lines(value))


def sanitize(value: str | None) -> str:
    """`value` with only ALLOWED_TAGS kept, every attribute dropped, scripts and styles removed with their content,
    comments removed. Plain text (no HTML tags) comes back as one <div> a line, its text escaped once (so "a < b"
    stays text and reads back as typed)."""
    if not value:
        return ""
    if not is_html(value):
        return _plain_html(value) if str(value).strip() else ""
    cleaned = nh3.clean(_OTHER_BLOCKS.sub(r"<\1div>", str(value)), tags=ALLOWED_TAGS, attributes={},
                        clean_content_tags={"script", "style"}, strip_comments=True, link_rel=None)
    return cleaned.strip()


def to_html(value: str | None) -> str:
    """The section as the editor loads it: stored HTML sanitized again (it may predate a change of the allowed
    tags), drafted plain text as one <div> a line."""
    if not value:
        return ""
    if is_html(value):
        return sanitize(value)
    return _plain_html(value)


class _Reader(HTMLParser):
    """Walks sanitized HTML into blocks of runs: [(kind "p"/"li", [(text, bold, italic)])]."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str, list[tuple[str, bool, bool]]]] = []
        self.current: list[tuple[str, bool, bool]] | None = None
        self.kind = "p"
        self.bold = 0
        self.italic = 0

    def _close(self):
        if self.current is not None and "".join(text for text, _b, _i in self.current).strip():
            self.blocks.append((self.kind, self.current))
        self.current = None
        self.kind = "p"

    def handle_starttag(self, tag, attrs):
        if tag in BOLD_TAGS:
            self.bold += 1
        elif tag in ITALIC_TAGS:
            self.italic += 1
        elif tag == "br":
            self._close()
        elif tag in BLOCK_TAGS:
            self._close()
            if tag == "li":
                self.kind = "li"
                self.current = []

    def handle_endtag(self, tag):
        if tag in BOLD_TAGS:
            self.bold = max(0, self.bold - 1)
        elif tag in ITALIC_TAGS:
            self.italic = max(0, self.italic - 1)
        elif tag in BLOCK_TAGS:
            self._close()

    def handle_data(self, data):
        if self.current is None:
            self.current = []
        self.current.append((data, self.bold > 0, self.italic > 0))

    def close(self):
        super().close()
        self._close()
        return self.blocks


def _blocks(value: str | None) -> list[tuple[str, list[tuple[str, bool, bool]]]]:
    if not value:
        return []
    if not is_html(value):
        return [("p", [(line, False, False)]) for line in _plain_lines(value) if line.strip()]
    reader = _Reader()
    reader.feed(sanitize(value))
    return reader.close()


def _text(runs) -> str:
    return re.sub(r"\s+", " ", "".join(text for text, _b, _i in runs)).strip()


def to_text(value: str | None) -> str:
    """Plain text: one paragraph a line, list items as "- item"."""
    lines = []
    for kind, runs in _blocks(value):
        text = _text(runs)
        lines.append(f"- {text}" if kind == "li" else text)
    return "\n".join(lines)


def to_blocks(value: str | None) -> list:
    """The section as document blocks: a Paragraph per paragraph or line, a Bullet per list item. A paragraph all
    bold (or italic) is styled as a whole; one with only some parts bold or italic keeps them as runs."""
    from lanhmanh.core.documents import Bullet, Paragraph

    found = []
    for kind, runs in _blocks(value):
        text = _text(runs)
        written = [(part, bold, italic) for part, bold, italic in runs if part.strip()]
        bold, italic = all(b for _p, b, _i in written), all(i for _p, _b, i in written)
        mixed = any(b != bold or i != italic for _p, b, i in written)
        parts = _runs(runs) if mixed else None
        if kind == "li":
            # A dash item has no style of its own: any bold or italic in it is kept as runs.
            styled = any(b or i for _p, b, i in written)
            found.append(Bullet(text, runs=_runs(runs) if styled else None))
        else:
            found.append(Paragraph(text, bold=bold and not mixed, italic=italic and not mixed, runs=parts))
    return found


def _runs(runs) -> tuple:
    """The runs with whitespace collapsed as in `_text`, neighbours of the same style merged."""
    merged: list[list] = []
    for text, bold, italic in runs:
        text = re.sub(r"\s+", " ", text)
        if merged and merged[-1][0].endswith(" "):
            text = text.lstrip()
        if not text:
            continue
        if merged and merged[-1][1:] == [bold, italic]:
            merged[-1][0] += text
        elif merged and not text.strip():  # a space styled on its own: no style of its own to keep
            merged[-1][0] += text
        else:
            merged.append([text, bold, italic])
    if merged:
        merged[0][0] = merged[0][0].lstrip()
        merged[-1][0] = merged[-1][0].rstrip()
    return tuple((text, bold, italic) for text, bold, italic in merged if text)
