"""変更の履歴: who changed the text the keyboard is in, as the shared store's server recorded it."""
