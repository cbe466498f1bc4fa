"""The real window on a real store file, with private settings."""

from __future__ import annotations

import pytest

from kushiro_editor.core.store import Store


@pytest.fixture
def window(make_window, sample_store, store_path):
    """The window on the sample report (the sample store's connection stays open too)."""
    return make_window(store_path)


def fresh(store_path):
    """A second connection to the store, as a new session would see it."""
    store = Store(store_path)
    try:
        return store.load()
    finally:
        store.close()
