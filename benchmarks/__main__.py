"""``python -m benchmarks [--scale N ...] [--server URL]``: speed and scale against the floor.

Prints a table and writes ``benchmarks/results.json``. Each figure is the
median of several runs; start and memory are whole processes (the editor's
``app.py --check`` against a bare PySide6 window), the rest is measured in
this process on a real window and a real store. The shared store's figures
come from a PostgreSQL server (:mod:`.server`): the one given, or a
throw-away cluster on this PC.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCALES = (1, 5, 20)


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _timed(work, repeat: int) -> list[float]:
    """Milliseconds of each run of ``work``."""
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        out.append((time.perf_counter() - start) * 1000)
    return out


# Run in a fresh interpreter so that its children's peak memory is only the
# measured program's: the time from starting the program to its "ready" line
# (both programs print one once their window is shown), and its peak memory.
PROBE = """
import resource, subprocess, sys, time
start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
elapsed = -1.0
for line in child.stdout:
    if line.startswith("ready") and elapsed < 0:
        elapsed = (time.perf_counter() - start) * 1000
code = child.wait()
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code if elapsed >= 0 else 1)
"""


def _process(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Milliseconds from starting a program to its "ready" line, and its peak memory in KiB."""
    probe = PROBE
    result = subprocess.run(
        [sys.executable, "-c", probe, *command], env=env, capture_output=True, text=True, check=True
    )
    elapsed, rss, code = result.stdout.split()
    if int(code) != 0:
        raise RuntimeError(f"{command} failed")
    return float(elapsed), int(rss)


def measure_start(store: Path, work: Path, repeat: int) -> dict[str, float]:
    """app.py --check against a bare window: wall time and peak memory."""
    bare = work / "bare_window.py"
    from .floors import BARE_WINDOW

    bare.write_text(BARE_WINDOW, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(work / "cfg")}
    app, app_rss, floor, floor_rss = [], [], [], []
    for _ in range(repeat):
        ms, rss = _process(
            [sys.executable, str(ROOT / "app.py"), "--check", "--db", str(store)], env
        )
        app.append(ms)
        app_rss.append(rss)
        ms, rss = _process([sys.executable, str(bare)], env)
        floor.append(ms)
        floor_rss.append(rss)
    return {
        "start_ms": _median(app),
        "bare_start_ms": _median(floor),
        "start_ratio": _median(app) / _median(floor),
        "memory_mib": max(app_rss) / 1024,
        "bare_memory_mib": max(floor_rss) / 1024,
    }


def measure_window(store: Path, work: Path) -> dict[str, float]:
    """Switching directions, moving between entries, one autosave, find."""
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    from kushiro_editor.core import search
    from kushiro_editor.core.store import Store
    from kushiro_editor.gui.app import create_application
    from kushiro_editor.gui.mainwindow import MainWindow

    app = create_application([])
    settings = QSettings(str(work / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Store(store), settings)
    window.resize(1400, 900)
    window.show()
    for _ in range(5):
        app.processEvents()
    report = window.document.report
    directions = [d for _g, d in report.directions()]
    switch = []
    for direction in [*directions[1:], directions[0]]:
        start = time.perf_counter()
        window.pane.select_node(direction)
        app.processEvents()
        switch.append((time.perf_counter() - start) * 1000)
    busiest = max(directions, key=lambda d: len(d.entries))
    window.pane.select_node(busiest)
    app.processEvents()
    widgets = [w for w in window.pane.view._entries if w.isVisible()]
    moves = []
    for _round in range(3):
        widgets[0].actual.setFocus()
        app.processEvents()
        for _ in widgets[1:]:
            start = time.perf_counter()
            window.pane.view.focus_neighbour(1)
            app.processEvents()
            moves.append((time.perf_counter() - start) * 1000)
    entry = busiest.entries[0]
    document = window.document.text_document(entry, "actual")
    saves = []
    for index in range(30):
        cursor = QTextCursor(document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertText("あいうえお"[index % 5])
        start = time.perf_counter()
        window.document.flush()
        saves.append((time.perf_counter() - start) * 1000)
    finds = _timed(lambda: search.find(report, "事業", fold_width=True), 5)
    window.document.undo_stack.clear()
    window.close()
    window.store.close()
    QApplication.processEvents()
    return {
        "switch_median_ms": _median(switch),
        "switch_worst_ms": max(switch),
        "move_median_ms": _median(moves),
        "move_worst_ms": max(moves),
        "autosave_ms": _median(saves),
        "find_ms": _median(finds),
        "directions": len(directions),
        "busiest_entries": len(busiest.entries),
    }


def measure_review(store: Path, work: Path, repeat: int) -> dict[str, float]:
    """提出前の点検 in the window: how long a refresh holds the window's thread, in ms.

    The longest single stretch the window's thread is busy (the request, then
    each turn of the event loop until the findings and the notation findings
    are shown: a keystroke waits at most this long), and the time until both
    are shown.
    """
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from kushiro_editor.core.store import Store
    from kushiro_editor.gui.app import create_application
    from kushiro_editor.gui.mainwindow import MainWindow

    app = create_application([])
    settings = QSettings(str(work / "bench-review.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Store(store), settings)
    window.resize(1400, 900)
    window.show()
    window.review.show_review()
    panel = window.review.panel

    def settled() -> bool:
        return not getattr(panel, "busy", False) and not panel.checker.busy

    def refresh() -> tuple[float, float]:
        start = time.perf_counter()
        panel.refresh()
        longest = (time.perf_counter() - start) * 1000
        while not settled():
            turn = time.perf_counter()
            app.processEvents()
            longest = max(longest, (time.perf_counter() - turn) * 1000)
        return longest, (time.perf_counter() - start) * 1000

    refresh()  # the analyser loaded, the rows made once
    runs = [refresh() for _ in range(repeat)]
    window.close()
    window.store.close()
    QApplication.processEvents()
    return {
        "review_block_ms": _median([r[0] for r in runs]),
        "review_ready_ms": _median([r[1] for r in runs]),
    }


def measure_files(report, work: Path, repeat: int) -> dict[str, float]:
    """Import, Word/Excel export against bare python-docx / openpyxl, PDF, web page, CSV."""
    from kushiro_editor.core.store import Store
    from kushiro_editor.formats import opendata, read_file, webpage
    from kushiro_editor.formats.docx import writer as docx_writer
    from kushiro_editor.formats.pdf import writer as pdf_writer
    from kushiro_editor.formats.xlsx import writer as xlsx_writer

    from .floors import bare_docx, bare_xlsx, cells

    rows = cells(report)
    out: dict[str, float] = {}
    out["docx_ms"] = _median(
        _timed(lambda: docx_writer.write_file(report, work / "r.docx"), repeat)
    )
    out["bare_docx_ms"] = _median(_timed(lambda: bare_docx(rows, work / "b.docx"), repeat))
    out["xlsx_ms"] = _median(
        _timed(lambda: xlsx_writer.write_file(report, work / "r.xlsx"), repeat)
    )
    out["bare_xlsx_ms"] = _median(_timed(lambda: bare_xlsx(rows, work / "b.xlsx"), repeat))
    out["pdf_ms"] = _median(_timed(lambda: pdf_writer.write_file(report, work / "r.pdf"), repeat))
    out["html_ms"] = _median(_timed(lambda: webpage.write_file(report, work / "r.html"), repeat))
    out["csv_ms"] = _median(_timed(lambda: opendata.write_file(report, work / "r.csv"), repeat))
    out["docx_ratio"] = out["docx_ms"] / out["bare_docx_ms"]
    out["xlsx_ratio"] = out["xlsx_ms"] / out["bare_xlsx_ms"]

    def import_word() -> None:
        target = work / "import.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        result = read_file(work / "r.docx")
        with Store(target) as store:
            store.save(result.report, result.warnings)

    out["import_docx_ms"] = _median(_timed(import_word, repeat))
    return out


KPI_FORMATS = ("docx", "xlsx", "pdf", "html", "csv")


def measure_kpis(report, work: Path, repeat: int, plain: dict[str, float]) -> dict[str, float]:
    """Each export of ``report`` with three KPIs on every direction, against the same without.

    ``plain`` holds the exports without KPIs measured just before (measure_files).
    """
    import copy

    from kushiro_editor.formats import registry

    from .synthetic import with_kpis

    kpis = with_kpis(copy.deepcopy(report))
    out: dict[str, float] = {}
    for key in KPI_FORMATS:
        format_ = registry.get(key)
        target = work / f"k{format_.suffix}"
        out[f"kpi_{key}_ms"] = _median(_timed(lambda f=format_, t=target: f.write(kpis, t), repeat))
        out[f"kpi_{key}_ratio"] = out[f"kpi_{key}_ms"] / plain[f"{key}_ms"]
    out["kpi_worst_ratio"] = max(out[f"kpi_{key}_ratio"] for key in KPI_FORMATS)
    return out


# A PDF of the 20x report would pass the importer's page limit; 1x and 5x are measured.
PDF_SCALES = (1, 5)


def measure_pdf(work: Path, repeat: int) -> dict[str, float]:
    """Importing the Word export printed to PDF by LibreOffice (made once), in ms.

    Without LibreOffice, the editor's own PDF export (``r.pdf``) is imported.
    """
    import os
    import shutil
    import subprocess

    from kushiro_editor.core.store import Store
    from kushiro_editor.formats import read_file

    pdf = work / "r.pdf"  # written by measure_files
    if shutil.which("soffice"):
        env = {**os.environ, "FONTCONFIG_FILE": str(ROOT / "tests" / "fonts" / "fonts.conf")}
        profile = (work / "lo-profile").as_uri()
        printed = work / "printed"
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(printed),
                str(work / "r.docx"),
            ],
            env=env,
            check=True,
            capture_output=True,
            timeout=600,
        )
        pdf = printed / "r.pdf"
    else:
        print(
            "  LibreOffice がないため、エディタが書き出した PDF の取り込みを測ります",
            file=sys.stderr,
        )

    def import_pdf() -> None:
        target = work / "import-pdf.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        result = read_file(pdf)
        with Store(target) as store:
            store.save(result.report, result.warnings)

    return {"import_pdf_ms": _median(_timed(import_pdf, repeat))}


def measure_notation(report, repeat: int) -> dict[str, float]:
    """The notation check on the whole report: the first use (loading the analyser) and after."""
    from kushiro_editor.core import analyser, notation, notationfile

    rules = notationfile.default_rules()
    out: dict[str, float] = {}
    if not analyser.is_loaded():
        out["notation_first_ms"] = _timed(lambda: notation.find(report, rules), 1)[0]

    def fresh() -> None:
        # Nothing remembered from the run before: every line is analysed again.
        analyser.forget()
        notation.find(report, rules)

    out["notation_ms"] = _median(_timed(fresh, repeat))
    return out


def measure_past_tense(report, repeat: int) -> dict[str, float]:
    """The past-tense drafts of the new year made from ``report``: proposing every sentence."""
    from kushiro_editor.core import analyser, pastdrafts, yearly

    new_year = yearly.rollover(report)

    def fresh() -> None:
        analyser.forget()
        pastdrafts.drafts(new_year)

    return {"past_tense_ms": _median(_timed(fresh, repeat))}


def prepare(scales: list[int], work: Path) -> dict[int, tuple[Path, object]]:
    """A store per scale, from the sample grown by the synthetic generator."""
    from kushiro_editor.appdata import sample_path
    from kushiro_editor.core.store import Store
    from kushiro_editor.formats import read_file

    from .synthetic import scaled

    sample = read_file(sample_path()).report
    stores = {}
    for scale in scales:
        report = scaled(sample, scale)
        path = work / f"scale{scale}.sqlite3"
        with Store(path) as store:
            store.save(report)
        stores[scale] = (path, report)
    return stores


def import_sample(repeat: int, work: Path) -> float:
    """Reading the sample's text form and storing it, in ms."""
    from kushiro_editor.appdata import sample_path
    from kushiro_editor.core.store import Store
    from kushiro_editor.formats import read_file

    def once() -> None:
        target = work / "sample.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        result = read_file(sample_path())
        with Store(target) as store:
            store.save(result.report, result.warnings)

    return _median(_timed(once, repeat))


def import_left_only(work: Path, repeat: int) -> dict[str, float]:
    """Reading tables whose left column continues over 2,000 and 20,000 rows, in ms."""
    from kushiro_editor.formats import read_file

    from .shapes import left_only_docx, left_only_xlsx

    out: dict[str, float] = {}
    for count in (2000, 20000):
        for kind, make in (("xlsx", left_only_xlsx), ("docx", left_only_docx)):
            path = make(work / f"left{count}.{kind}", count)
            out[f"left_only_{count}_{kind}_ms"] = _median(
                _timed(lambda path=path: read_file(path), repeat)
            )
    return out


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    import PySide6

    cpu = platform.processor() or platform.machine()
    try:
        with Path("/proc/cpuinfo").open(encoding="utf-8") as handle:
            cpu = next(
                line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")
            )
    except (OSError, StopIteration):
        pass
    return {
        "os": platform.platform(),
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "pyside6": PySide6.__version__,
    }


def measure_file(path: Path, report, work: Path, repeat: int, scale: int) -> dict[str, float]:
    """Every figure of the store file holding ``report``."""
    figures: dict[str, float] = {"entries": sum(1 for _ in report.entries())}
    figures.update(measure_start(path, work, repeat))
    figures.update(measure_window(path, work))
    # Before the review panel's refresh, which loads the analyser in its
    # background check: the first notation check includes the loading.
    figures.update(measure_notation(report, repeat))
    figures.update(measure_past_tense(report, max(1, repeat // 2)))
    figures.update(measure_review(path, work, repeat))
    figures.update(measure_files(report, work, max(3, repeat // 2)))
    figures.update(measure_kpis(report, work, max(3, repeat // 2), figures))
    if scale in PDF_SCALES:
        figures.update(measure_pdf(work, max(1, repeat // 3)))
    return figures


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the table."""
    from .report import TARGETS, table

    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument(
        "--scale",
        type=int,
        nargs="+",
        default=list(DEFAULT_SCALES),
        help="何倍の報告で測るか(既定: 1 5 20)",
    )
    parser.add_argument("--repeat", type=int, default=5, help="各測定の回数(中央値を取る)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results.json")
    parser.add_argument(
        "--server",
        metavar="URL",
        help="共有のデータベースを測る PostgreSQL サーバー(データベースを作れる利用者の"
        " postgresql://…)。省くと一時的なクラスタをこの PC に作ります",
    )
    parser.add_argument(
        "--no-server", action="store_true", help="共有のデータベース(サーバー)は測らない"
    )
    parser.add_argument(
        "--server-only",
        action="store_true",
        help="共有のデータベースの表だけを測り直す(ほかの数字は --out の前の結果のまま)",
    )
    args = parser.parse_args(argv)
    results: dict[str, object] = {"machine": machine(), "scales": {}}
    if args.server_only:
        if args.no_server or not args.out.exists():
            parser.error("--server-only には共有のデータベースと前の結果(--out)が要ります")
        results = json.loads(args.out.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder, ExitStack() as stack:
        work = Path(folder)
        server_url = None
        if not args.no_server:
            from . import server

            server_url = stack.enter_context(
                server.database(stack.enter_context(server.server(args.server)))
            )
            results["shared_store"] = {"scales": {}}
        stores = prepare(args.scale, work)
        if not args.server_only:
            results["import_sample_ms"] = import_sample(args.repeat, work)
            results["import_left_only"] = import_left_only(work, max(1, args.repeat // 2))
        for scale, (path, report) in stores.items():
            print(f"… {scale}倍 ({sum(1 for _ in report.entries())} 行)", file=sys.stderr)
            if not args.server_only:
                results["scales"][str(scale)] = measure_file(path, report, work, args.repeat, scale)
            if server_url is not None:
                print(f"… {scale}倍 共有のデータベース", file=sys.stderr)
                results["shared_store"]["scales"][str(scale)] = server.measure(
                    path, server_url, report, work, args.repeat
                )
    results["targets"] = TARGETS
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(results))
    print(f"\n書き出しました: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
