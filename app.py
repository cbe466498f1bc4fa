"""釧路市 総合戦略 進捗報告エディタ: ``uv run app.py`` opens the editor."""

import time

STARTED = time.perf_counter()

if __name__ == "__main__":
    import sys

    from kushiro_editor.gui.app import main

    sys.exit(main(started=STARTED))
