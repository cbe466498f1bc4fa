"""Answered inquiry packs: what each department sent back.

Rows are matched to the report by the hidden id column; the checksums written
with the pack tell which texts were changed and whether the read-only context
was overwritten. An empty answer cell is no answer (``AnsweredRow.blank``);
「削除」 alone in a cell clears the text. Continuation rows of a long text are
joined back to their row. Anything odd is listed in ``Answers.problems``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

from ...core import richtext
from ...core.inquiry import DELETE_WORD, AnsweredRow, Answers, checksum, text_checksum
from ...core.model import ReportError
from ...core.richtext import Run
from ..xlsx.cells import (
    Book,
    SheetFacts,
    blocks_from_runs,
    cell_runs,
    open_workbook,
    plain_row,
    plain_value,
)
from .kpisheet import KPI_SHEET, read_kpi_sheet
from .packs import (
    ANSWER_SHEET,
    COL_DEPARTMENTS,
    COL_DIRECTION,
    COL_GOAL,
    COL_ID,
    COL_JOIN,
    COL_LAST_SHOWN,
    COL_MEASURES,
    COL_PART,
    COL_SUM_ACTUAL,
    COL_SUM_CONTEXT,
    COL_SUM_PLAN,
    DATA_SHEET,
    FIRST_ROW,
    MARKER,
    VERSION,
    answer_columns,
)

logger = logging.getLogger(__name__)


def _cell_markup(value) -> str:
    # Runs already; a CellRichText is a list too, of its own parts.
    if isinstance(value, list) and all(isinstance(part, Run) for part in value):
        return richtext.serialise(blocks_from_runs(value))
    return richtext.serialise(blocks_from_runs(cell_runs(value)))


def read_answers(path: Path | str) -> Answers:
    """Read an answered pack; anything odd is listed in ``problems``."""
    path = Path(path)
    book = open_workbook(path, "照会の回答")
    try:
        return _read_book(path, book)
    except ReportError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise ReportError(f"{path.name} は大きすぎるか入れ子が深すぎるため読めません。") from exc
    except Exception as exc:
        # The cells are parsed while they are read: a damage no check foresaw
        # surfaces here, and is one message like every other.
        logger.warning("unexpected error reading answers %s", path, exc_info=True)
        raise ReportError(
            f"{path.name} を照会の回答として読めません。ファイルが壊れているか、"
            f"想定していない作りです({type(exc).__name__})。"
        ) from exc
    finally:
        book.close()


def _read_book(path: Path, book: Book) -> Answers:
    workbook = book.workbook
    if DATA_SHEET not in workbook.sheetnames or ANSWER_SHEET not in workbook.sheetnames:
        raise ReportError(
            f"{path.name} は照会用ファイルではありません(このエディタで作った"
            "照会用ファイルを選んでください)。"
        )
    data_sheet = workbook[DATA_SHEET]
    data_sheet.reset_dimensions()  # a claimed size is not trusted
    # The hidden sheet is data: read as plain text, whatever another program stored.
    data_rows = [plain_row(row) for row in data_sheet.iter_rows(values_only=True) if any(row)]
    if not data_rows or data_rows[0][0] != MARKER:
        raise ReportError(f"{path.name} は照会用ファイルではありません。")
    try:
        version = int(data_rows[0][1])
        if version > VERSION:  # 1 (no continuation rows) reads as 2
            raise ReportError(f"{path.name} は新しい版のエディタで作られた照会用ファイルです。")
        meta = json.loads(data_rows[0][2])
        sent: dict[str, dict[str, str]] = {}
        for line in data_rows[1:]:
            if line and isinstance(line[0], str):
                texts = json.loads("".join(str(p) for p in line[1:] if p is not None))
                sent[line[0]] = {k: richtext.sanitise(str(v)) for k, v in texts.items()}
        answers = Answers(
            path=path,
            department=str(meta["department"]),
            actual_year=int(meta["actual_year"]),
            report_id=str(meta["report_id"]),
            sent_at=str(meta["sent_at"]),
        )
    except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
        raise ReportError(
            f"{path.name} の照会の情報(隠しシート)が壊れているため読めません。"
            "作り直した照会用ファイルで回答を受け取ってください。"
        ) from exc
    sheet = workbook[ANSWER_SHEET]
    sheet.reset_dimensions()
    facts = book.facts.get(ANSWER_SHEET, SheetFacts())
    for cell in facts.uncached_formulas:
        answers.problems.append(
            f"{cell}: 計算結果が保存されていない数式があります。空欄として読みました"
            "(数式そのものは取り込みません)。"
        )
    # Only the two answer cells are read: last year's texts beside them are for the
    # department's eyes, and a change to them is no answer.
    answer_cells = dict(zip(("actual", "plan"), answer_columns(version), strict=True))
    col_actual, col_plan = answer_cells.values()
    read: dict[str, tuple[int, dict]] = {}  # id → (row, cells), in sheet order
    pieces: dict[str, dict[int, list[Run]]] = {}  # id → column → runs, continuations joined
    cells = sheet.iter_rows(min_row=FIRST_ROW, max_col=COL_JOIN, values_only=True)
    for row, line in enumerate(cells, start=FIRST_ROW):
        if not any(line):
            continue
        values = dict(enumerate(line, start=1))
        for column in (col_actual, col_plan):
            # Keeps the bold parts, which the fast reading loses in inline strings.
            values[column] = facts.runs(row, column, values[column])
        entry_id = plain_value(values[COL_ID])
        if not entry_id:
            text = "".join(
                richtext.to_plain(_cell_markup(values[c])) for c in (col_actual, col_plan)
            )
            if text.strip() or any(values[c] for c in range(1, COL_LAST_SHOWN + 1)):
                answers.added.append((row, text[:60]))
            continue
        entry_id = str(entry_id)
        if entry_id not in sent:
            answers.problems.append(f"{row}行目: 照会時になかった id です({entry_id[:8]}…)")
            continue
        if str(values.get(COL_PART) or "1") != "1":
            if entry_id not in pieces:
                answers.problems.append(f"{row}行目: 続きの行だけがあり、元の行がありません。")
                continue
            joins = str(values.get(COL_JOIN) or "")
            for index, column in enumerate((col_actual, col_plan)):
                runs = values[column]
                if runs and any(r.text for r in runs):
                    glue = joins[index : index + 1] or "n"
                    if pieces[entry_id][column] and glue == "n":
                        pieces[entry_id][column].append(Run("\n"))
                    pieces[entry_id][column].extend(runs)
            continue
        if entry_id in read:
            answers.problems.append(f"{row}行目: 同じ行が二度あります。最初の行だけを読みます。")
            continue
        read[entry_id] = (row, values)
        pieces[entry_id] = {col_actual: list(values[col_actual]), col_plan: list(values[col_plan])}
    for entry_id, (row, values) in read.items():
        answers.rows.append(
            _answered_row(answers, row, entry_id, sent[entry_id], values, pieces, answer_cells)
        )
    answers.deleted = [entry_id for entry_id in sent if entry_id not in read]
    read_kpi_sheet(workbook, answers, book.facts.get(KPI_SHEET))
    return answers


def _answered_row(
    answers: Answers, row: int, entry_id: str, sent, values, pieces, columns: dict[str, int]
) -> AnsweredRow:
    answered_row = AnsweredRow(row=row, entry_id=entry_id, sent=sent, answered={})
    context = "\n".join(
        richtext.to_plain(_cell_markup(values[c]))
        for c in (COL_GOAL, COL_DIRECTION, COL_MEASURES, COL_DEPARTMENTS)
    )
    if checksum(context) != str(plain_value(values[COL_SUM_CONTEXT])):
        answered_row.context_changed = True
        answers.problems.append(
            f"{row}行目: 記入欄の外(基本目標・基本的方向・施策・所管部署)が"
            "書き換えられています。その変更は取り込みません。"
        )
    for field_name, sum_column in (("actual", COL_SUM_ACTUAL), ("plan", COL_SUM_PLAN)):
        column = columns[field_name]
        shown = _cell_markup(pieces[entry_id][column])
        plain = richtext.to_plain(shown).strip(" \u3000\n")
        if not plain:
            answered_row.blank.append(field_name)  # no answer, never a deletion
        elif plain.strip("「」") == DELETE_WORD:
            if text_checksum("") != str(plain_value(values[sum_column])):
                answered_row.answered[field_name] = ""
        elif text_checksum(shown) != str(plain_value(values[sum_column])):
            answered_row.answered[field_name] = shown
    return answered_row
