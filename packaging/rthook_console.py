"""Runs first in the windowed ``KushiroEditor.exe``: give ``--check`` somewhere to print.

A program built without a console starts on Windows with ``sys.stdout`` and
``sys.stderr`` set to None, so ``KushiroEditor.exe --check`` would print
nothing. When it was started from a command prompt, attach to that prompt's
console and write there; when its output is redirected (a pipe or a file) the
streams already exist and are left alone; started by a double click there is no
console to attach to and the streams stay None (print then does nothing).
"""

import sys


def _attach_parent_console() -> None:
    import ctypes

    attach_parent_process = -1
    if not ctypes.windll.kernel32.AttachConsole(attach_parent_process):
        return
    # CONOUT$ is the attached console's screen, in the console's own code page
    # (932 on a Japanese PC) so that messages in Japanese read right; line
    # buffering so each line appears as it is printed.
    encoding = f"cp{ctypes.windll.kernel32.GetConsoleOutputCP()}"
    console = open("CONOUT$", "w", encoding=encoding, errors="replace", buffering=1)  # noqa: SIM115, PTH123
    if sys.stdout is None:
        sys.stdout = console
    if sys.stderr is None:
        sys.stderr = console


if sys.platform == "win32" and (sys.stdout is None or sys.stderr is None):
    _attach_parent_console()
