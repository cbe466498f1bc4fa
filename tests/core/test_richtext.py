"""The rich-text subset: sanitising, canonical form, plain text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kushiro_editor.core import richtext
from kushiro_editor.core.richtext import Block, Run
from tests.strategies import rich_texts


def test_subset_is_kept_as_is():
    html = "<p>前文<b>太字</b><br>次の行</p><ul><li>・項目1</li><li>・項目2</li></ul><p>後</p>"
    assert richtext.sanitise(html) == html


def test_sample_markup_is_canonicalised():
    html = (
        '<p>農林課</p> <ul style="list-style-type: none"> <li>・農業</li> </ul>'
        " <p>&lt;主な事業&gt;</p>"
    )
    assert richtext.sanitise(html) == "<p>農林課</p><ul><li>・農業</li></ul><p>&lt;主な事業&gt;</p>"


def test_bare_text_becomes_a_paragraph():
    assert richtext.sanitise("ただの文章") == "<p>ただの文章</p>"


def test_scripts_styles_images_links_and_tables_are_removed():
    html = (
        "<html><head><title>x</title><style>p{color:red}</style></head><body>"
        '<script>alert("x")</script><p style="color:red;font-family:MS Gothic">'
        '<font color="red">赤い</font><img src="http://example.invalid/a.png">'
        '<a href="http://example.invalid">リンク</a></p>'
        "<table><tr><td>表1</td><td>表2</td></tr></table></body></html>"
    )
    out = richtext.sanitise(html)
    assert out == "<p>赤いリンク</p><p>表1 表2</p>"
    for word in ("script", "alert", "img", "href", "style", "color", "table", "font"):
        assert word not in out


def test_bold_from_styles_as_word_and_qt_write_it():
    html = (
        '<p><span style=" font-weight:700;">Qt太字</span>'
        '<span style="font-weight:normal">標準</span><strong>強調</strong></p>'
    )
    assert richtext.sanitise(html) == "<p><b>Qt太字</b>標準<b>強調</b></p>"


def test_word_list_paragraphs_become_list_items():
    html = (
        "<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'>・項目</p>"
        "<p class=MsoNormal>本文</p>"
    )
    assert richtext.sanitise(html) == "<ul><li>・項目</li></ul><p>本文</p>"


def test_source_line_breaks_between_japanese_vanish_and_elsewhere_become_spaces():
    html = "<p>釧路市の\r\n水産業 and\nfishery</p>"
    assert richtext.sanitise(html) == "<p>釧路市の水産業 and fishery</p>"


def test_forbidden_and_invisible_characters_are_removed():
    html = "<p>a\x00b\x0bc\u200bd\ufeffe\x7ff\tg</p>"
    assert richtext.sanitise(html) == "<p>abcdef g</p>"


def test_empty_blocks_and_edge_whitespace_are_dropped_but_ideographic_space_kept():
    html = "<p>  </p><p> <br> \u3000字下げ <br></p><ul><li></li></ul>"
    assert richtext.sanitise(html) == "<p>\u3000字下げ</p>"


def test_plain_text_and_count():
    html = "<p>一行目<br>二行目</p><ul><li>・三</li></ul>"
    assert richtext.to_plain(html) == "一行目\n二行目\n・三"
    assert richtext.char_count(html) == 8


def test_from_plain_makes_bullets_list_items():
    assert richtext.from_plain("本文\n・項目\n\u3000・字下げ項目") == (
        "<p>本文</p><ul><li>・項目</li><li>\u3000・字下げ項目</li></ul>"
    )


def test_special_characters_are_escaped():
    blocks = [Block("p", (Run("a<b>&c"),))]
    assert richtext.serialise(blocks) == "<p>a&lt;b&gt;&amp;c</p>"
    assert richtext.parse(richtext.serialise(blocks)) == tuple(blocks)


@given(rich_texts())
def test_canonical_form_is_a_fixed_point(html):
    assert richtext.sanitise(html) == html
    assert richtext.serialise(richtext.parse(html)) == html


@given(st.text(max_size=200))
def test_any_text_sanitises_to_a_fixed_point(text):
    once = richtext.sanitise(text)
    assert richtext.sanitise(once) == once
