"""A folder of answered packs: which files answer a pack sent, which do not, who is missing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .inquiry import Answers, PackSent
from .model import ReportError

logger = logging.getLogger(__name__)


@dataclass
class FolderAnswers:
    """What a folder held: the answers to packs sent, the files refused, the departments missing."""

    answers: list[Answers] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def answer_files(folder: Path) -> list[Path]:
    """The Excel books of a folder, by name (Excel's lock files ~$… left out)."""
    return sorted(
        path
        for path in Path(folder).iterdir()
        if path.is_file() and path.suffix.lower() == ".xlsx" and not path.name.startswith("~$")
    )


def read_folder(
    folder: Path, sent: list[PackSent], read: Callable[[Path], Answers]
) -> FolderAnswers:
    """Every answer in a folder that matches a pack sent; one odd file does not stop the rest."""
    result = FolderAnswers()
    departments = [pack.department for pack in sent]
    answered: set[str] = set()
    for path in answer_files(folder):
        try:
            answers = read(path)
        except ReportError as exc:
            result.refused.append(str(exc))
            continue
        if answers.department not in departments:
            result.refused.append(
                f"{path.name}: {answers.department} には照会用ファイルを送っていないため"
                "取り込みません。"
            )
            continue
        answered.add(answers.department)
        result.answers.append(answers)
    # A department listed once however many packs it was sent.
    result.missing = [d for d in dict.fromkeys(departments) if d not in answered]
    return result
