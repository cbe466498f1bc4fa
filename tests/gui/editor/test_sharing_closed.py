"""A window closed on the shared store hears no more: others' changes after it reach nothing."""

from __future__ import annotations

from kushiro_editor.core import edits
from kushiro_editor.core.store import Store


def test_a_closed_window_stops_listening(make_window, pg_url, sample_result, qtbot):
    with Store(pg_url) as store:
        store.save(sample_result.report, sample_result.warnings)
    window = make_window(pg_url)
    sharing = window.document.sharing
    assert sharing._listener is not None
    window.close()
    window.store.close()
    assert sharing._listener is None
    with Store(pg_url) as other:
        report = other.load()
        entry = next(e for _g, _d, e in report.entries())
        edits.apply(other, report, [edits.SetField(entry, "plan", "<p>閉じた後の変更</p>")])
    qtbot.wait(300)  # (an exception in the event loop would fail the test)
