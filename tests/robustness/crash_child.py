"""A process to be killed: it types with autosave on, or imports reports in a loop.

Run by tests/test_crash.py as ``python -m tests.robustness.crash_child MODE STORE``. It
prints what it has done (with the monotonic clock) so that the test knows
what must have survived the kill.
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

KEYS = "あいうえおかきくけこさしすせそたちつてと"


def type_forever(path: str) -> None:
    """Type a character every 20 ms into both texts of an entry; autosave does the rest."""
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from kushiro_editor.core.store import Store
    from kushiro_editor.gui.editor.document import ReportDocument

    app = QApplication([])
    store = Store(path)
    document = ReportDocument(store, store.load())
    entry = document.report.goals[0].directions[0].entries[0]
    documents = [document.text_document(entry, f) for f in ("actual", "plan")]
    typed = 0

    def key() -> None:
        nonlocal typed
        for document in documents:
            cursor = QTextCursor(document)
            cursor.movePosition(QTextCursor.MoveOperation.End)
            cursor.insertText(KEYS[typed % len(KEYS)])
        typed += 1
        print(f"typed {typed} {time.monotonic():.4f}", flush=True)

    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(key)
    timer.start(20)
    print("ready", flush=True)
    app.exec()


def import_forever(path: str, scale: int) -> None:
    """Replace the report again and again with a large one, each a single transaction."""
    from benchmarks.synthetic import scaled
    from kushiro_editor.appdata import sample_path
    from kushiro_editor.core.store import Store
    from kushiro_editor.formats import read_file

    base = scaled(read_file(sample_path()).report, scale)
    store = Store(path)
    print("ready", flush=True)
    version = 0
    while True:
        version += 1
        report = scaled(read_file(sample_path()).report, scale) if version % 5 == 0 else base
        report.title = f"版{version}"
        for _g, _d, entry in report.entries():
            entry.plan = f"<p>版{version}</p>"
        store.save(report, replace=True)
        print(f"saved {version}", flush=True)


if __name__ == "__main__":
    mode, store_path = sys.argv[1], sys.argv[2]
    if mode == "type":
        type_forever(store_path)
    else:
        import_forever(store_path, int(sys.argv[3]))
