"""Text boxes in a table cell: read once, after the paragraph they are anchored in."""

from __future__ import annotations

import pytest

from kushiro_editor.formats import read_file
from tests.formats.docx.edits import edited
from tests.formats.handmade import entry_texts

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"


def _box_paragraphs(text: str) -> str:
    return f"<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>"


def drawing_box(text: str) -> str:
    """A text box as Word 2010 and later save it: DrawingML, with a VML copy to fall back on."""
    return (
        f'<w:r><mc:AlternateContent xmlns:mc="{MC}"><mc:Choice Requires="wps">'
        f'<w:drawing><wp:anchor xmlns:wp="{WP}" distT="0" distB="0" distL="0" distR="0" '
        'simplePos="0" relativeHeight="1" behindDoc="0" locked="0" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:extent cx="900000" cy="300000"/>'
        '<wp:docPr id="1" name="テキスト ボックス 1"/>'
        f'<a:graphic xmlns:a="{A}"><a:graphicData '
        f'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp xmlns:wps="{WPS}"><wps:txbx>{_box_paragraphs(text)}</wps:txbx>'
        "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing>"
        f'</mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="{V}" style="width:70pt;height:24pt">'
        f"<v:textbox>{_box_paragraphs(text)}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def vml_box(text: str) -> str:
    """A text box as Word 2003 saved it: VML only."""
    return (
        f'<w:r><w:pict><v:shape xmlns:v="{V}" style="width:70pt;height:24pt">'
        f"<v:textbox>{_box_paragraphs(text)}</v:textbox></v:shape></w:pict></w:r>"
    )


@pytest.mark.parametrize("box", [drawing_box, vml_box], ids=["drawingml-and-vml", "vml"])
def test_text_in_a_text_box_is_read_once_in_place(tmp_path, box):
    path = edited(
        tmp_path,
        "box.docx",
        (
            "<w:r><w:t>寄港を予定する。</w:t></w:r>",
            "<w:r><w:t>港で</w:t></w:r>" + box("寄港を予定する。"),
        ),
    )
    result = read_file(path)
    harbour = result.report.goals[0].directions[0].entries[1]
    assert harbour.plan == "<p>港で</p><p>寄港を予定する。</p>"
    boxed = [w for w in result.warnings if w.topic == "textbox"]
    assert len(boxed) == 1 and "テキストボックス" in boxed[0].message


def test_a_text_box_stored_twice_is_read_from_one_copy(tmp_path):
    """The Choice and the Fallback differ here only to show which one is read: one only."""
    both = drawing_box("寄港を予定する。").replace(
        "<v:textbox>" + _box_paragraphs("寄港を予定する。"),
        "<v:textbox>" + _box_paragraphs("古い複製"),
    )
    path = edited(tmp_path, "twice.docx", ("<w:r><w:t>寄港を予定する。</w:t></w:r>", both))
    plan = entry_texts(read_file(path).report)[1][2]
    assert plan == "寄港を予定する。"
