"""Dialogs opened from the menus: the Tools calculators and quick-find (Ctrl+K)."""
