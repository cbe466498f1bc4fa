"""作業の流れ: the year's work as a guide, each step with its state and a button that runs it.

The guide reads the store (inquiries, the check before submission, the last
export) and runs nothing itself: each step's button triggers an action of a
feature, handed to it by the window. It is the start page of a new
installation, and opens from the Help menu and on F1.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import analyser, fiscal, inquiryrecord, merge, review, snapshots
from ...core.model import Report, ReportError
from ...core.server import logins, rowstates
from ...core.server.roles import Login
from ...core.store import Store
from ...formats import registry
from ..editor.entrywidgets import section, tint
from ..session import Session
from ..shared.fit import fit_to_screen, scrolled

logger = logging.getLogger(__name__)

SEEN_KEY = "guide/seen"
EXPORT_KEY = "export/last_{0}"

SHORTCUTS = (
    "Ctrl+B 太字 / Ctrl+Shift+L「・」の箇条書き / Shift+Enter 改行(段落内)\n"
    "Alt+↓ / Alt+↑ 次・前の部署の行へ / F6 一覧と編集欄の切り替え\n"
    "Ctrl+Z 元に戻す / Ctrl+Y やり直し / Ctrl+F 検索 / Ctrl+H 置換\n"
    "F2 名前の変更 / Delete 削除 / Ctrl+Shift+↑↓ 並べ替え / F7 提出前の点検\n"
    "Ctrl+Shift+P 実績の下の「前年度の取組予定」 / Ctrl+Shift+T 実績を過去形にする\n"
    "Ctrl+E Word で書き出し / Ctrl+Shift+E Excel で書き出し / Ctrl+Shift+H 変更の履歴\n"
    "Ctrl+K 指標を追加 / Ctrl+↑↓ 指標の並べ替え / F8 指標の一覧"
)


@dataclass(frozen=True)
class Step:
    """One step of the year: its name, what it is for, and the action that runs it."""

    key: str
    title: str
    purpose: str
    button: str


STEPS = (
    Step(
        "rollover",
        "1. 新年度の報告を作る",
        "前年度の報告から、構成・所管部署・文章を引き継いだ今年度の報告を作ります。",
        "前年度から新年度を作成…",
    ),
    Step(
        "packs",
        "2. 各部署に照会する",
        "部署ごとに記入用の Excel を作り、メールなどで送ります。",
        "照会用ファイルを作成…",
    ),
    Step(
        "answers",
        "3. 回答を取り込む",
        "返ってきた Excel を確かめて、採用する回答を取り込みます。",
        "照会回答を取り込み…",
    ),
    Step(
        "review",
        "4. 提出前に点検する",
        "未記入・前年度のまま・時制・文字数などを点検します。",
        "提出前の点検",
    ),
    Step(
        "export",
        "5. 書き出す",
        "提出用の Word の表(A4 横)と、公開用の Excel を書き出します。",
        "Word で書き出し…",
    ),
)


YEAR_INTRO = (
    "毎年春の進捗報告は次の順に進めます。右の状態は開いている報告のもので、"
    "ボタンでその作業を始められます。"
)
DEPARTMENT_INTRO = (
    "{0} は部署の利用者です。担当の部署の行を次の順に書いて提出します"
    "(新年度の作成・照会・書き出しは企画担当の作業です)。"
)

# A department's login on the shared store has other work than the planners' year: its
# own rows, written in place and submitted (the year's steps are the planners', and the
# server refuses them to a department).
DEPARTMENT_STEPS = (
    Step(
        "write",
        "1. 担当の行を書く",
        "「所管部署」で担当の部署を選ぶと、その行だけが並びます。書いた実績・取組予定は"
        "共有のデータベースに自動で保存されます(ほかの部署の行は変更できません)。",
        "",
    ),
    Step(
        "review",
        "2. 提出前に点検する",
        "未記入・前年度のまま・時制・文字数などを点検します。",
        "提出前の点検",
    ),
    Step(
        "submit",
        "3. 提出する",
        "「照会状況」の「担当の行を提出する」で提出します。提出した行は企画担当が"
        "確認するまで変更できません。",
        "照会状況",
    ),
    Step(
        "returned",
        "4. 差し戻された行を直す",
        "企画担当が差し戻した行は記入中に戻り、理由が「照会状況」に表示されます。"
        "直して、もう一度提出します。",
        "",
    ),
)
# The action each department step's button runs (the window's, by key).
DEPARTMENT_ACTIONS = {"review": "review", "submit": "status"}


def department_of(store: Store) -> Login | None:
    """The connected login when it is a department's on the shared store, else None."""
    if not store.on_server:
        return None
    try:
        me = logins.whoami(store)
    except ReportError as exc:  # (a store not set up by server init: no departments)
        logger.info("no login mapping: %s", exc)
        return None
    return None if me.planner else me


def department_step_states(store: Store, report: Report | None, me: Login) -> dict[str, str]:
    """Each of a department's steps' state, for its own rows of the open report."""
    if report is None:
        return {
            step.key: "報告がありません" if step.key == "write" else "" for step in DEPARTMENT_STEPS
        }
    own = set(me.departments)
    rows = rowstates.rows(report, own)
    now = rowstates.states(store, report)
    counts = dict.fromkeys((rowstates.DRAFT, *rowstates.FROZEN), 0)
    returned = 0
    for row in rows:
        state = now[row.entry.id]
        counts[state.state] = counts.get(state.state, 0) + 1
        returned += state.state == rowstates.DRAFT and bool(state.comment)
    findings = [
        finding
        for finding in review.check(
            report,
            departments=inquiryrecord.known_departments(store, report.actual_year),
            use_analyser=analyser.is_loaded(),
        )
        if own.intersection(finding.entry.departments)
    ]
    return {
        "write": f"{'・'.join(me.departments) or '担当の部署なし'}の行 {len(rows)}",
        "review": f"点検 {len(findings)} 件" if findings else "点検で見つかったものはありません",
        "submit": "・".join(f"{state} {count}" for state, count in counts.items()),
        "returned": f"差し戻された行 {returned}" if returned else "差し戻された行はありません",
    }


def record_export(settings: QSettings, year: int, path: Path) -> None:
    """Remember when a report was last exported (a folder of inquiry packs is not)."""
    # The year's export is a document handed in or published (Word, Excel, PDF), not JSON.
    format_ = registry.of_path(path, registry.writable())
    if format_ is not None and format_.published:
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        settings.setValue(EXPORT_KEY.format(year), stamp)


def last_export(settings: QSettings, year: int) -> datetime | None:
    """When the report of ``year`` was last exported, if it ever was."""
    value = settings.value(EXPORT_KEY.format(year), "")
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def day_label(moment: datetime, today: datetime | None = None) -> str:
    """5月31日 (with the year when it is not this year's)."""
    today = today or datetime.now().astimezone()
    day = f"{moment.month}月{moment.day}日"
    return day if moment.year == today.year else f"{moment.year}年{day}"


def step_states(store: Store, settings: QSettings, report: Report | None) -> dict[str, str]:
    """Each step's state for the open report, as the guide shows it."""
    if report is None:
        return {step.key: "報告がありません" if step.key == "rollover" else "" for step in STEPS}
    status = merge.department_status(report, store.inquiries(report.id))
    total = len(status)
    sent = sum(1 for state in status.values() if state != "未照会")
    answered = sum(1 for state in status.values() if state == "回答済")
    # On the window's thread: the analyser is used only once the panel's background
    # check has loaded it (the first load may unpack its dictionary, seconds long).
    findings = review.check(
        report,
        departments=inquiryrecord.known_departments(store, report.actual_year),
        use_analyser=analyser.is_loaded(),
    )
    exported = last_export(settings, report.actual_year)
    years = store.years()
    newest = max(years) if years else report.actual_year
    return {
        "rollover": (
            f"{fiscal.short_label(report.actual_year)}の報告を編集中"
            + (
                ""
                if report.actual_year == newest
                else f"(新しい{fiscal.short_label(newest)}の報告があります)"
            )
        ),
        "packs": f"照会 {sent}/{total} 部署",
        "answers": f"{answered}/{total} 部署回答済み",
        "review": f"点検 {len(findings)} 件" if findings else "点検で見つかったものはありません",
        "export": f"最終書き出し {day_label(exported)}" if exported else "まだ書き出していません",
    }


class GuideDialog(QDialog):
    """ヘルプ → 作業の流れ: the year's steps, where the data is kept, snapshots."""

    def __init__(
        self,
        session: Session,
        actions: dict[str, QAction],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.actions = actions
        self.setWindowTitle(self.tr("作業の流れ"))
        fit_to_screen(self, QSize(780, 620))
        self.states: dict[str, QLabel] = {}
        self.buttons: dict[str, QPushButton] = {}
        page = QWidget()
        layout = QVBoxLayout(page)
        intro = QLabel(self.tr(YEAR_INTRO))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.intro = intro
        self.year_steps = self._steps(STEPS, {}, self.states, self.buttons)
        self.department_states: dict[str, QLabel] = {}
        self.department_buttons: dict[str, QPushButton] = {}
        self.department_steps = self._steps(
            DEPARTMENT_STEPS,
            DEPARTMENT_ACTIONS,
            self.department_states,
            self.department_buttons,
        )
        layout.addWidget(self.year_steps)
        layout.addWidget(self.department_steps)
        self.department: Login | None = None

        self.folder = QLabel()
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_folder_button = open_folder = QPushButton(self.tr("フォルダを開く"))
        open_folder.clicked.connect(self.open_folder)
        self.snapshot_note = QLabel()
        self.snapshot_button = QPushButton(self.tr("スナップショット…"))
        self.snapshot_button.clicked.connect(lambda: self.run("snapshots"))
        self.snapshot_button.setEnabled("snapshots" in actions)
        for title, text, button in (
            (self.tr("データの保存場所"), self.folder, open_folder),
            (
                self.tr("スナップショット(写し)を残す・戻す"),
                self.snapshot_note,
                self.snapshot_button,
            ),
        ):
            layout.addWidget(section(title))
            row = QGridLayout()
            row.setColumnStretch(0, 1)
            text.setWordWrap(True)
            row.addWidget(text, 0, 0)
            row.addWidget(button, 0, 1, Qt.AlignmentFlag.AlignTop)
            layout.addLayout(row)

        layout.addWidget(section(self.tr("キー操作")))
        keys = QLabel(self.tr(SHORTCUTS))
        keys.setWordWrap(True)
        # The last section has no button: Tab stops on the text itself, so that the
        # keyboard scrolls the guide down to it (and ↓ moves through it).
        keys.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        keys.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.keys = keys
        layout.addWidget(keys)
        layout.addStretch(1)

        scroll = scrolled(page)
        self.show_at_start = QCheckBox(self.tr("起動時にこの画面を表示する"))
        self.show_at_start.setChecked(not session.settings.value(SEEN_KEY, False, type=bool))
        self.show_at_start.toggled.connect(lambda on: session.settings.setValue(SEEN_KEY, not on))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.show_at_start)
        outer.addWidget(buttons)
        session.document_changed.connect(lambda _d: self.refresh())
        session.departments_changed.connect(self.refresh)
        self.refresh()

    def _steps(
        self,
        steps: tuple[Step, ...],
        keys: dict[str, str],
        states: dict[str, QLabel],
        buttons: dict[str, QPushButton],
    ) -> QWidget:
        """The steps in a grid: what each is for, its state, the button that runs its
        action (``keys``: a step's action when not named like the step)."""
        box = QWidget()
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(0, 1)
        grid.setHorizontalSpacing(12)
        for row, step in enumerate(steps):
            title = QLabel(f"<b>{self.tr(step.title)}</b><br>{self.tr(step.purpose)}")
            title.setWordWrap(True)
            state = QLabel()
            tint(state, "#1f3a5f", bold=True)
            grid.addWidget(title, row, 0)
            grid.addWidget(state, row, 1)
            states[step.key] = state
            if step.button:
                key = keys.get(step.key, step.key)
                button = QPushButton(self.tr(step.button))
                button.clicked.connect(lambda _c=False, key=key: self.run(key))
                grid.addWidget(button, row, 2)
                buttons[key] = button
        return box

    def refresh(self) -> None:
        """Count each step's state again (the open report or its inquiries changed)."""
        if not self.isVisible() and self.states["rollover"].text():
            self._stale = True
            return
        self._stale = False
        document = self.session.document
        report = document.report if document is not None else None
        store = self.session.store
        self.department = me = department_of(store)
        self.year_steps.setVisible(me is None)
        self.department_steps.setVisible(me is not None)
        if me is None:
            states, labels = step_states(store, self.session.settings, report), self.states
            self.intro.setText(self.tr(YEAR_INTRO))
        else:
            states, labels = department_step_states(store, report, me), self.department_states
            self.intro.setText(self.tr(DEPARTMENT_INTRO).replace("{0}", me.name))
        for key, label in labels.items():
            label.setText(states[key])
        for key, button in (*self.buttons.items(), *self.department_buttons.items()):
            action = self.actions.get(key)
            button.setEnabled(action is not None and action.isEnabled())
        path = self.session.store.path
        # A server's store has no folder on this PC to open.
        self.open_folder_button.setEnabled(path is not None)
        where = self.tr("データファイル") if path is not None else self.tr("共有のデータベース")
        self.folder.setText(
            self.tr("入力はすべて次の{1}に自動で保存されます:\n{0}")
            .replace("{1}", where)
            .replace("{0}", self.session.store.location)
        )
        if me is not None:
            # The server keeps the snapshots from a department: a count of 0 and a
            # button it would refuse would both mislead.
            self.snapshot_button.setEnabled(False)
            self.snapshot_note.setText(
                self.tr(
                    "共有のデータベースのスナップショット(写し)は企画担当が残し、戻します。"
                    "以前の文章は、その行の「変更の履歴」(Ctrl+Shift+H)で確かめられます。"
                )
            )
            return
        self.snapshot_button.setEnabled("snapshots" in self.actions)
        try:
            count = len(snapshots.snapshots(self.session.store))
        except ReportError:  # a login the server keeps its snapshots from
            count = 0
        self.snapshot_note.setText(
            self.tr(
                "取り込み・新年度作成・補完・回答の取り込みの前と毎日1回、{2}の写しを"
                "自動で残しています(今 {0} 件、{1})。提出した版は「スナップショット…」→"
                "「名前を付けて作成…」で残し、「この状態に戻す…」で戻せます"
                "(戻す前の状態も残るので、取り消せます)。"
            )
            .replace("{0}", str(count))
            .replace("{1}", snapshots.location_of(self.session.store))
            .replace("{2}", where)
        )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if getattr(self, "_stale", False):
            self.refresh()

    def run(self, key: str) -> None:
        """Start a step's work (the feature's own action)."""
        action = self.actions.get(key)
        if action is not None and action.isEnabled():
            if not (action.isCheckable() and action.isChecked()):  # (a panel shown stays)
                action.trigger()
            self.refresh()

    def open_folder(self) -> None:
        """Show the data folder in Explorer."""
        if self.session.store.path is None:  # a server's store has no folder to show
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.session.store.path.parent)))
