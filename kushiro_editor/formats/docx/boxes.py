"""Text boxes: the text a shape holds, read once, and the branch of mc:AlternateContent read.

Word 2010 and later store a text box twice, inside ``mc:AlternateContent``:
as a DrawingML shape (``mc:Choice Requires="wps"``) and as VML for older
programs (``mc:Fallback``, ``w:pict``/``v:textbox``). Both hold the same
``w:txbxContent``, so the reader takes one branch, always the same one.
"""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree.ElementTree import Element

from .numbering import MC
from .writer import w

ALTERNATE = f"{{{MC}}}AlternateContent"


def chosen(alternate: Element) -> Element | None:
    """The branch of an mc:AlternateContent the reader reads: the first Choice, else the Fallback.

    Every Choice Word writes for a text box (DrawingML) holds its text as
    w:txbxContent, which this reader reads; the Fallback is the copy.
    """
    choice = alternate.find(f"{{{MC}}}Choice")
    return choice if choice is not None else alternate.find(f"{{{MC}}}Fallback")


def text_boxes(p: Element) -> Iterator[Element]:
    """The w:txbxContent of the text boxes anchored in a paragraph, in order, each once.

    Not looked into: a text box's own paragraphs (Word puts no text box in
    a text box) and deleted text.
    """
    box = w("txbxContent")
    skipped = {w("del"), w("moveFrom"), w("pPr"), w("rPr")}
    stack = [iter(p)]
    while stack:
        element = next(stack[-1], None)
        if element is None:
            stack.pop()
        elif element.tag == box:
            yield element
        elif element.tag == ALTERNATE:
            branch = chosen(element)
            if branch is not None:
                stack.append(iter(branch))
        elif element.tag not in skipped:
            stack.append(iter(element))
