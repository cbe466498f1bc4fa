"""WordprocessingML written by hand: qualified names, elements, run properties, pictures.

The Word writer (``docx.writer``) and its KPI section (``docx.kpisection``)
build their paragraphs and tables from these.
"""

from __future__ import annotations

import logging

from lxml import etree

logger = logging.getLogger(__name__)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# The language of every run: Japanese for the East-Asian text and for the
# rest, so that Word's 「PDF として保存」 names the PDF's language ja-JP.
LANGUAGE = "ja-JP"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"


def w(tag: str) -> str:
    """A WordprocessingML qualified name."""
    return f"{{{W}}}{tag}"


def el(tag: str, attrs: dict[str, str] | None = None, *children: etree._Element) -> etree._Element:
    """An element of that tag with its attributes (in the w namespace) and children."""
    node = etree.Element(w(tag), {w(k): v for k, v in (attrs or {}).items()})
    node.extend(children)
    return node


def fonts(font: str) -> etree._Element:
    """The run fonts, the East-Asian one too: Word applies a Japanese font only through it."""
    return el("rFonts", {"ascii": font, "hAnsi": font, "eastAsia": font, "cs": font})


def run_props(font: str, size: float, bold: bool = False) -> etree._Element:
    """A run's properties: its font, size, weight and language."""
    rpr = el("rPr", None, fonts(font))
    if bold:
        rpr.append(el("b"))
        rpr.append(el("bCs"))
    half_points = str(round(size * 2))
    rpr.append(el("sz", {"val": half_points}))
    rpr.append(el("szCs", {"val": half_points}))
    rpr.append(el("lang", {"val": LANGUAGE, "eastAsia": LANGUAGE, "bidi": "ar-SA"}))
    return rpr


def line_spacing(size: float) -> dict[str, str]:
    """One line per point of size, whatever font the office suite puts in place.

    Word's single spacing takes the line from the font: one em in ＭＳ 明朝 and
    the IPA fonts, but 1.44 em in Noto CJK, which a PC without the MS fonts
    sets instead; the table then ran to half as many pages again.
    """
    return {"line": str(round(size * 20)), "lineRule": "exact"}


def paragraph_style(
    style_id: str,
    name: str,
    font: str,
    size: float,
    *,
    bold: bool = False,
    align: str = "",
    hanging: int = 0,
    indent: int = 0,
    before: int = 0,
    after: int = 0,
    keep_next: bool = False,
    page_break: bool = False,
    outline: bool = False,
    exact: bool = True,
    follow: str = "",
) -> etree._Element:
    """A custom paragraph style (``w:pPr``'s children in the schema's order).

    ``exact`` sets one line per point of size (text lines); otherwise the line
    is as tall as what it holds (a chart).
    """
    style = el("style", {"type": "paragraph", "customStyle": "1", "styleId": style_id})
    style.append(el("name", {"val": name}))
    style.append(el("basedOn", {"val": "Normal"}))
    if follow:
        style.append(el("next", {"val": follow}))
    style.append(el("qFormat"))
    ppr = el("pPr")
    if keep_next:
        ppr.append(el("keepNext"))
    if page_break:
        ppr.append(el("pageBreakBefore"))
    spacing = {"before": str(before), "after": str(after)}
    spacing.update(line_spacing(size) if exact else {"line": "240", "lineRule": "auto"})
    ppr.append(el("spacing", spacing))
    if hanging:
        ppr.append(el("ind", {"left": str(hanging), "hanging": str(hanging)}))
    elif indent:
        ppr.append(el("ind", {"left": str(indent)}))
    if align:
        ppr.append(el("jc", {"val": align}))
    if outline:
        ppr.append(el("outlineLvl", {"val": "0"}))
    style.append(ppr)
    style.append(run_props(font, size, bold))
    return style


CELL_MARGIN_X = 57  # 1 mm each side of a cell's text, in both tables
_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")


def ruled_borders() -> etree._Element:
    """A table's borders as the official table rules them: every edge and line thin and black."""
    rule = {"val": "single", "sz": "4", "space": "0", "color": "000000"}
    return el("tblBorders", None, *(el(side, rule) for side in _SIDES))


def cell_margins() -> etree._Element:
    """A table's cell margins: a little above and below, 1 mm either side."""
    return el(
        "tblCellMar",
        None,
        el("top", {"w": "28", "type": "dxa"}),
        el("left", {"w": str(CELL_MARGIN_X), "type": "dxa"}),
        el("bottom", {"w": "28", "type": "dxa"}),
        el("right", {"w": str(CELL_MARGIN_X), "type": "dxa"}),
    )


def text_runs(parent: etree._Element, text: str, bold: bool) -> None:
    """Append one run for ``text``, line breaks as ``w:br``."""
    run = el("r")
    if bold:
        run.append(el("rPr", None, el("b"), el("bCs")))
    for index, piece in enumerate(text.split("\n")):
        if index:
            run.append(el("br"))
        if piece:
            t = el("t")
            t.text = piece
            if piece != piece.strip(" "):
                t.set(XML_SPACE, "preserve")
            run.append(t)
    parent.append(run)


def add_picture(run, image, description: str, **size):
    """A picture in ``run`` (python-docx's ``add_picture``) with its text alternative.

    Every picture goes through here, so that Word's tagged PDF and a screen
    reader have words for it (``wp:docPr descr``); the KPI section's charts,
    which are chart parts, get theirs in ``docx.chartpart``.
    """
    if not description.strip():
        raise ValueError("a picture needs a text alternative")
    shape = run.add_picture(image, **size)
    describe(shape._inline, description)
    return shape


def describe(drawing: etree._Element, description: str) -> None:
    """Give a drawing's picture (``wp:inline`` or ``wp:anchor``) its text alternative."""
    doc_pr = drawing if drawing.tag == f"{{{WP}}}docPr" else drawing.find(f".//{{{WP}}}docPr")
    doc_pr.set("descr", description)
