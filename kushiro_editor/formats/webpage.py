"""The report as one accessible web page for the city's website (``export --html``).

One self-contained HTML file: its styles inside, no script, nothing fetched from
elsewhere. ``lang="ja"``, a title, a heading for the report, each goal and each
direction, the measures and main projects as headings, paragraphs and lists, and
each direction's department rows as a data table whose row headers are the
departments and whose column headers are the two years, under a caption naming
the direction, so that a screen reader says where each cell belongs
(JIS X 8341-3:2016 / WCAG 2.1 AA). On a phone the table's rows stack, each cell
labelled with its column (the table's roles written out, as some browsers drop a
table's semantics once its display is changed); printed, it is A4 landscape.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from html import escape
from pathlib import Path

from ..core import fiscal, richtext
from ..core.kpi.fields import has_kpis
from ..core.model import Direction, Report
from ..core.richtext import Block
from . import webkpi
from .files import write_atomically
from .opendata import Publisher
from .table import layout

# Fonts a Japanese PC or phone has; the page names no web font (nothing is fetched).
FONTS = (
    '"BIZ UDPGothic", "Yu Gothic UI", "Yu Gothic", "Meiryo", "Hiragino Sans", '
    '"Noto Sans CJK JP", "Noto Sans JP", sans-serif'
)

# Colours with a contrast of at least 4.5:1 on their background (WCAG 1.4.3 AA).
STYLE = f"""
:root {{ color: #1a1a1a; background: #ffffff; font-family: {FONTS}; line-height: 1.7; }}
body {{ margin: 0 auto; padding: 1rem; max-width: 80rem; }}
h1 {{ font-size: 1.5rem; line-height: 1.4; margin: 0.5rem 0 1rem; }}
h2 {{ font-size: 1.3rem; border-bottom: 3px solid #1d4f91; padding-bottom: 0.2rem;
      margin-top: 2.5rem; }}
h3 {{ font-size: 1.15rem; background: #e8eef7; padding: 0.3rem 0.6rem; margin-top: 2rem; }}
h4 {{ font-size: 1rem; margin: 1.2rem 0 0.4rem; color: #1d4f91; }}
h5 {{ font-size: 1rem; margin: 0.8rem 0 0.2rem; }}
p, li {{ overflow-wrap: anywhere; }}
p {{ margin: 0.2rem 0; }}
ul.projects {{ columns: 15em; column-gap: 2.5em; margin: 0.2rem 0; }}
ul.items {{ list-style: none; padding-left: 0; margin: 0.2rem 0; }}
ul.items li {{ padding-left: 1em; text-indent: -1em; }}
a {{ color: #1d4f91; }}
a:focus-visible {{ outline: 3px solid #b34700; outline-offset: 2px; }}
nav ol {{ padding-left: 1.2rem; }}
nav ol ol {{ padding-left: 1rem; }}
table {{ border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; table-layout: auto; }}
caption {{ text-align: left; font-weight: bold; padding: 0.3rem 0; }}
th, td {{ border: 1px solid #5a5a5a; padding: 0.4rem 0.6rem; vertical-align: top;
          text-align: left; }}
thead th {{ background: #e8eef7; }}
tbody th {{ background: #f4f4f4; font-weight: bold; min-width: 6em; width: 12%; }}
td {{ width: 44%; }}
.label {{ display: none; }}
.empty {{ color: #595959; }}
@media (max-width: 40rem) {{
  body {{ padding: 0.6rem; }}
  h1 {{ font-size: 1.25rem; }}
  table, thead, tbody, tr, th, td, caption {{ display: block; width: auto; }}
  thead tr {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
              clip-path: inset(50%); }}
  tbody tr {{ border: 1px solid #5a5a5a; margin-bottom: 0.8rem; }}
  th, td {{ border: none; }}
  tbody th {{ border-bottom: 1px solid #5a5a5a; width: auto; }}
  .label {{ display: block; font-weight: bold; color: #1d4f91; }}
}}
@media print {{
  @page {{ size: A4 landscape; margin: 12mm; }}
  :root {{ font-size: 9.5pt; }}
  body {{ max-width: none; padding: 0; }}
  nav {{ display: none; }}
  thead {{ display: table-header-group; }}
  tr {{ break-inside: avoid; }}
  h2, h3 {{ break-after: avoid; }}
  a {{ color: inherit; text-decoration: none; }}
}}
"""


def _runs(block: Block) -> str:
    out = []
    for run in block.runs:
        text = escape(run.text).replace("\n", "<br>")
        out.append(f"<strong>{text}</strong>" if run.bold else text)
    return "".join(out)


def _blocks(blocks: Iterable[Block]) -> Iterator[str]:
    """Paragraphs as <p>, runs of list items as one list."""
    items: list[str] = []
    for block in blocks:
        if block.tag == "li":
            items.append(f"<li>{_runs(block)}</li>")
            continue
        if items:
            yield f'<ul class="items">{"".join(items)}</ul>'
            items = []
        yield f"<p>{_runs(block)}</p>"
    if items:
        yield f'<ul class="items">{"".join(items)}</ul>'


def _direction(
    report: Report, direction: Direction, heading: str, anchor: str, headings
) -> Iterator[str]:
    yield f'<section aria-labelledby="{anchor}">'
    yield f'<h3 id="{anchor}">{escape(heading)}</h3>'
    yield from webkpi.section(report, direction, f"{heading}の重要業績評価指標（KPI）", anchor)
    for number, measure in enumerate(direction.measures, start=1):
        yield from webkpi.section(
            report, measure, f"{measure.heading}の重要業績評価指標（KPI）", f"{anchor}-m{number}"
        )
    if direction.measures:
        yield "<h4>具体的な施策</h4>"
        # The printed table's left column: labels (ア イ ウ) from the measures' positions.
        for block in layout.left_blocks(direction):
            if block.role == "measure":
                yield f"<h5>{escape(block.block.text)}</h5>"
            elif block.role == "body":
                yield from _blocks([block.block])
    if direction.main_projects:
        yield f"<h4>{escape(layout.MAIN_PROJECTS_HEADING.strip('【】'))}</h4>"
        projects = "".join(f"<li>{escape(p.display)}</li>" for p in direction.main_projects)
        yield f'<ul class="projects">{projects}</ul>'
    yield from _table(direction, heading, anchor, headings)
    yield "</section>"


def _table(direction: Direction, heading: str, anchor: str, headings) -> Iterator[str]:
    department, actual, plan = headings.department, headings.actual, headings.plan
    if not direction.entries:
        yield f'<p class="empty">{escape(department)}ごとの実績・取組予定はありません。</p>'
        return
    yield f'<table role="table" aria-labelledby="{anchor}-caption">'
    yield (
        f'<caption id="{anchor}-caption">{escape(heading)}: '
        f"{escape(department)}ごとの実績と取組予定</caption>"
    )
    yield (
        '<thead role="rowgroup"><tr role="row">'
        f'<th scope="col" role="columnheader">{escape(department)}</th>'
        f'<th scope="col" role="columnheader">{escape(actual)}</th>'
        f'<th scope="col" role="columnheader">{escape(plan)}</th></tr></thead>'
    )
    yield '<tbody role="rowgroup">'
    for entry in direction.entries:
        names = "<br>".join(escape(name) for name in entry.departments) or "(所管部署なし)"
        cells = []
        for label, markup in ((actual, entry.actual), (plan, entry.plan)):
            blocks = list(_blocks(richtext.parse(markup)))
            body = "".join(blocks) if blocks else '<p class="empty">(記載なし)</p>'
            cells.append(
                f'<td role="cell"><span class="label" aria-hidden="true">{escape(label)}</span>'
                f"{body}</td>"
            )
        yield (f'<tr role="row"><th scope="row" role="rowheader">{names}</th>{"".join(cells)}</tr>')
    yield "</tbody></table>"


def render(report: Report, publisher: Publisher | None = None) -> str:
    """The whole page as text."""
    city = (publisher or Publisher()).name
    headings = layout.headings(report)
    title = headings.title
    years = (
        f"{fiscal.label_with_western(report.actual_year)}の実績と"
        f"{fiscal.label_with_western(report.plan_year)}の取組予定"
    )
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ja">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} | {escape(city)}</title>",
        f'<meta name="author" content="{escape(city)}">',
        # A report without KPIs is written exactly as before they existed.
        f"<style>{STYLE}{webkpi.STYLE if has_kpis(report) else ''}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f"<p>{escape(city)}が{escape(years)}をまとめたものです。</p>",
        "</header>",
        '<nav aria-labelledby="toc">',
        '<h2 id="toc">目次</h2>',
        "<ol>",
    ]
    body: list[str] = []
    goal_number = number = 0
    # The printed table's rows give the headings, numbered from positions as printed.
    for row in layout.rows(report):
        if row.level == "goal":
            if goal_number:
                parts.append("</ol></li>")
                body.append("</section>")
            goal_number, number = goal_number + 1, 0
            parts.append(f'<li><a href="#g{goal_number}">{escape(row.text)}</a><ol>')
            body.append(f'<section aria-labelledby="g{goal_number}">')
            body.append(f'<h2 id="g{goal_number}">{escape(row.text)}</h2>')
            body.extend(
                webkpi.section(report, row.node, f"{row.text}の数値目標", f"g{goal_number}")
            )
        elif row.level == "direction":
            number += 1
            anchor = f"g{goal_number}-d{number}"
            parts.append(f'<li><a href="#{anchor}">{escape(row.text)}</a></li>')
            body.extend(_direction(report, row.node, row.text, anchor, headings))
    if goal_number:
        parts.append("</ol></li>")
        body.append("</section>")
    parts += ["</ol>", "</nav>", "<main>", *body, "</main>", "</body>", "</html>", ""]
    return "\n".join(parts)


def write_file(report: Report, path: Path | str, publisher: Publisher | None = None) -> None:
    """Write the web page atomically, in UTF-8."""
    text = render(report, publisher).encode("utf-8")
    write_atomically(path, lambda handle: handle.write(text))
