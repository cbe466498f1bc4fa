"""``snapshot`` on the shared store: kept on the server, listed, compared and restored."""

from __future__ import annotations

from kushiro_editor.core import earlier, edits, richtext, snapshots
from kushiro_editor.core.store import Store
from tests.cli.running import run_cli


def test_create_list_diff_restore_on_the_server(capsys, pg_url, sample_file, tmp_path):
    assert run_cli(capsys, "import", sample_file, "--db", pg_url)[0] == 0
    code, out, err = run_cli(capsys, "snapshot", "create", "提出版", "--db", pg_url)
    assert code == 0, err
    assert "提出版" in out
    with Store(pg_url) as store:
        report = store.load(2020)
        entry = next(entry for _g, _d, entry in report.entries())
        original = entry.actual
        edits.apply(store, report, [edits.SetField(entry, "actual", "<p>提出後の書き換え</p>")])
        [taken] = snapshots.snapshots(store)
    assert not list(tmp_path.glob("**/*.snapshots"))  # nothing beside any file
    code, out, _err = run_cli(capsys, "snapshot", "list", "--db", pg_url)
    assert code == 0 and taken.id in out and "名前付き" in out
    code, out, err = run_cli(capsys, "snapshot", "diff", "提出版", "--db", pg_url)
    assert code == 0 and "実績" in out and "違いのある箇所: 1 件" in err
    code, out, err = run_cli(capsys, "snapshot", "restore", taken.id, "--db", pg_url)
    assert code == 0, err
    with Store(pg_url) as store:
        back = store.load(2020)
        assert next(e for _g, _d, e in back.entries()).actual == original
        listed = snapshots.snapshots(store)
        assert [s.reason for s in listed] == ["restore", "manual"]
        # The one made before restoring holds the text that was replaced.
        with snapshots.open_snapshot(listed[0]) as old:
            replaced = next(e for _g, _d, e in old.load(2020).entries()).actual
        assert richtext.to_plain(replaced) == "提出後の書き換え"
        # A named server snapshot is offered as an earlier report to compare with.
        offered = earlier.choices(store, back, named_only=True)
        assert [choice.snapshot for choice in offered] == [taken]


def test_a_server_snapshot_is_taken_before_an_import_replaces_the_report(
    capsys, pg_url, sample_file
):
    assert run_cli(capsys, "import", sample_file, "--db", pg_url)[0] == 0
    assert run_cli(capsys, "import", sample_file, "--db", pg_url, "--replace")[0] == 0
    with Store(pg_url) as store:
        assert [s.reason for s in snapshots.snapshots(store)] == ["import"]
        assert store.conn.execute("SELECT years FROM server_snapshot").fetchone()[0] == [2020]
