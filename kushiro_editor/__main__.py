"""``python -m kushiro_editor``: the command line."""

import sys

from .cli import main

sys.exit(main())
