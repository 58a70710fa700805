"""The narrative's rich text: only a few tags without attributes are stored; text and document blocks read it."""

from lanhmanh.core.documents import Bullet, Paragraph
from lanhmanh.reporting import richtext


def test_sanitize_keeps_the_editors_tags_without_attributes():
    html = ('<div class="x" onclick="steal()" style="color:red">Một <strong>hai</strong> <em>ba</em><br>bốn</div>'
            '<ol><li>a</li></ol><ul><li><b>b</b> <i>c</i></li></ul><p>đ</p>')
    assert richtext.sanitize(html) == ('<div>Một <strong>hai</strong> <em>ba</em><br>bốn</div><ol><li>a</li></ol>'
                                       '<ul><li><b>b</b> <i>c</i></li></ul><p>đ</p>')


def test_sanitize_strips_scripts_styles_links_and_handlers():
    html = ('<script>alert(1)</script><style>body{display:none}</style><img src=x onerror="alert(2)">'
            '<a href="javascript:alert(3)">bấm</a><iframe src="//evil"></iframe><!-- ghi chú -->'
            '<div onmouseover="alert(4)">chữ</div>')
    cleaned = richtext.sanitize(html)
    assert cleaned == "bấm<div>chữ</div>"
    for word in ("script", "alert", "style", "onerror", "onmouseover", "href", "iframe", "ghi chú", "<img"):
        assert word not in cleaned


def test_sanitize_escapes_plain_text_and_turns_headings_into_paragraphs():
    assert richtext.sanitize("a < b & c") == "<div>a &lt; b &amp; c</div>"
    assert richtext.sanitize("<h1>Tiêu đề</h1><blockquote>trích</blockquote>") == "<div>Tiêu đề</div><div>trích</div>"
    assert richtext.sanitize(None) == "" and richtext.sanitize("") == ""


def test_to_text_reads_paragraphs_lines_and_items():
    html = "<div>Một <strong>hai</strong><br>ba</div><ul><li>a</li><li><em>b</em></li></ul><script>x()</script>"
    assert richtext.to_text(html) == "Một hai\nba\n- a\n- b"
    assert richtext.to_text("<div>a &amp; b</div>") == "a & b"


def test_to_text_and_to_html_read_drafted_plain_text():
    drafted = "Đội kiểm tra đã tổ chức 12 buổi.\nTỷ lệ <50% & tăng."
    assert richtext.to_text(drafted) == drafted
    assert richtext.to_html(drafted) == ("<div>Đội kiểm tra đã tổ chức 12 buổi.</div>"
                                         "<div>Tỷ lệ &lt;50% &amp; tăng.</div>")
    assert richtext.to_html("<div onclick='x'>a</div>") == "<div>a</div>"


def test_to_blocks_gives_paragraphs_and_bullets():
    html = "<div><strong>Kết quả nổi bật</strong></div><div>Thường <em>nghiêng</em></div><ul><li>Một</li></ul>"
    assert richtext.to_blocks(html) == [
        Paragraph("Kết quả nổi bật", bold=True, italic=False),
        Paragraph("Thường nghiêng", runs=(("Thường ", False, False), ("nghiêng", False, True))),
        Bullet("Một"),
    ]
    assert richtext.to_blocks("Dòng 1\n\nDòng 2") == [Paragraph("Dòng 1"), Paragraph("Dòng 2")]


def test_to_blocks_keeps_words_styled_on_their_own_as_runs():
    html = "<div>Đã kiểm tra <strong>12  cơ sở</strong> , <em>2 vi phạm</em></div><ul><li><b>Một</b> hai</li></ul>"
    assert richtext.to_blocks(html) == [
        Paragraph("Đã kiểm tra 12 cơ sở , 2 vi phạm", runs=(
            ("Đã kiểm tra ", False, False), ("12 cơ sở", True, False), (" , ", False, False),
            ("2 vi phạm", False, True))),
        Bullet("Một hai", runs=(("Một", True, False), (" hai", False, False))),
    ]


def test_a_whole_bold_item_keeps_its_style_and_lone_spaces_add_no_gap():
    assert richtext.to_blocks("<ul><li><strong>Trọng tâm</strong></li></ul>") == [
        Bullet("Trọng tâm", runs=(("Trọng tâm", True, False),))]
    [paragraph] = richtext.to_blocks("<div>a <b> </b> <i>b</i> </div>")
    assert paragraph.text == "a b" and "".join(text for text, _b, _i in paragraph.runs) == "a b"


def test_plain_text_is_escaped_once_and_reads_back_as_typed():
    typed = "5 cơ sở & 3 quán <karaoke>"
    stored = richtext.sanitize(typed)  # e.g. sent over the API without tags
    assert stored == "<div>5 cơ sở &amp; 3 quán &lt;karaoke&gt;</div>"
    assert richtext.sanitize(stored) == stored  # stored again unchanged
    assert richtext.to_text(stored) == typed
    assert richtext.to_blocks(stored) == [Paragraph(typed, bold=False, italic=False)]
    assert richtext.to_html(stored) == stored  # the page shows "&", not "&amp;"
    assert richtext.sanitize("dòng 1\n\ndòng 2") == "<div>dòng 1</div><div><br></div><div>dòng 2</div>"
    assert richtext.to_text(richtext.sanitize("dòng 1\n\ndòng 2")) == "dòng 1\ndòng 2"
    # Text an earlier version stored escaped but without tags reads back unescaped, once.
    legacy = "5 cơ sở &amp; 3 quán &lt;karaoke&gt;"
    assert richtext.to_text(legacy) == typed
    assert richtext.to_blocks(legacy) == [Paragraph(typed)]
    assert richtext.to_html(legacy) == stored
    # A real tag still makes it HTML (and what is not allowed is dropped).
    assert richtext.sanitize("<div>a</div><script>x()</script>") == "<div>a</div>"
