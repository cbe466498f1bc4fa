"""The command line as the folder's console program ``kushiro-editor``.

A separate console executable because the editor's own is windowed: on Windows
a windowed program has no console, so the command line's output and exit
status would not reach the command prompt or a batch file.
"""

from __future__ import annotations

import sys

from kushiro_editor.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
