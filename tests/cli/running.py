"""The command line run in this process, as the tests of several folders drive it."""

from __future__ import annotations

from kushiro_editor.cli import main as cli


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """Run one command; its exit code and what it printed on stdout and stderr."""
    try:
        code = cli.main([str(a) for a in args])
    except SystemExit as exc:  # argparse refuses before the command runs
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err
