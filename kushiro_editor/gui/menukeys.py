"""Menus whose every entry has its own access key, though several features name them."""

from __future__ import annotations

import re
import string

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

ACCESS_KEY = re.compile(r"&([0-9A-Za-z])")


def unique_access_keys(menu: QMenu, keep: tuple[QAction, ...] = ()) -> None:
    """One access key per letter in a menu: a later duplicate takes a free letter.

    The menus gather actions of several features, each named on its own;
    ``keep`` (終了(&X)) keeps its conventional letter.
    """
    actions = [a for a in menu.actions() if not a.isSeparator()]
    used = {m.group(1).upper() for a in actions if a in keep and (m := ACCESS_KEY.search(a.text()))}
    for action in actions:
        found = ACCESS_KEY.search(action.text())
        if found is None or action in keep:
            continue
        letter = found.group(1).upper()
        if letter in used:
            latin = [c.upper() for c in ACCESS_KEY.sub("", action.text()) if c.isascii()]
            free = [c for c in latin if c.isalpha() and c not in used] or [
                c for c in string.ascii_uppercase if c not in used
            ]
            if not free:
                continue
            letter = free[0]
            action.setText(
                action.text()[: found.start()] + "&" + letter + action.text()[found.end() :]
            )
        used.add(letter)
