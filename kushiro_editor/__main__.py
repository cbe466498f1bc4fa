"""``python -m kushiro_editor``: the command line."""

import sys

from .cli.main import main

sys.exit(main())
