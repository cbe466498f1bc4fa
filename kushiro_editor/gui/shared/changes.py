"""One text's change shown as removed and added parts (the inquiry review, a conflict)."""

from __future__ import annotations

import html
import logging

from ...core import diff, richtext

logger = logging.getLogger(__name__)

FIRST_CHANGE = "first-change"


def change_html(before: str, after: str, whole: bool = False) -> str:
    """One text's change as display HTML: removed parts struck out, added parts marked.

    ``whole`` shows a change as the old text struck and the new one: a number
    changed by a digit reads as two numbers, not as one with a digit struck.
    """
    old_text, new_text = richtext.to_plain(before), richtext.to_plain(after)
    spans = diff.compare(old_text, new_text)
    kept = sum(len(span.new) for span in spans if span.op == "equal")
    if (whole and old_text != new_text) or kept * 2 < max(len(old_text), len(new_text)):
        # Rewritten rather than edited: a character diff would interleave two texts.
        spans = [diff.Span("replace", old_text, new_text)]
    parts = []
    marked = False
    for index, span in enumerate(spans):
        old = html.escape(span.old).replace("\n", "<br>")
        new = html.escape(span.new).replace("\n", "<br>")
        if span.op == "equal":
            parts.append(new)
            continue
        if not marked:  # where the pane scrolls to: a long text's change may be far down
            parts.append(f'<a name="{FIRST_CHANGE}"></a>')
            marked = True
        # Removed and added paragraphs each start their own line, not after the last struck one.
        at_line_start = index == 0 or spans[index - 1].new.endswith("\n")
        if old:
            parts.append(
                f'<span style="background:#fde2e1;color:#8a1c1c;'
                f'text-decoration:line-through">{old}</span>'
            )
        if old and new and ("\n" in span.old or "\n" in span.new or at_line_start):
            parts.append("<br>")
        if new:
            parts.append(
                f'<span style="background:#dff3e4;color:#14532d;font-weight:bold">{new}</span>'
            )
    return "".join(parts) or "<i>(空欄)</i>"
