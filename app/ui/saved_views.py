"""Saved views: a screen's filter, sort, columns (and grouping) stored under a name the user chose.

Each screen that sets `Screen.supports_saved_views` describes itself with `view_state()` (a JSON-ready dict)
and takes one back with `apply_view_state()`. The list of a screen's views lives in the UiState half of the
settings file, one JSON array per screen under `ui/saved_views/<screen key>`: losing it costs the user
nothing they cannot rebuild, so a damaged value is logged and ignored rather than stopping start-up.

Names are unique per screen ignoring case (and surrounding blanks); the list keeps the user's order, new
views last. The helpers at the bottom turn a table header into the columns part of a view state and back,
by column key, so a state stays meaningful when a later version adds, drops or reorders columns.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QHeaderView

log = logging.getLogger(__name__)

MAX_NAME_LENGTH = 60


class SavedViewError(ValueError):
    """A name the user must change (empty, too long, already used); the message is meant for them."""


@dataclass(frozen=True)
class SavedView:
    name: str
    state: dict[str, Any]


def _fold(name: str) -> str:
    return name.strip().casefold()


class SavedViewStore:
    """The saved views of every screen, read from and written straight through to `store`."""

    def __init__(self, store: QSettings) -> None:
        self.store = store

    def _key(self, screen: str) -> str:
        return f"ui/saved_views/{screen}"

    def views(self, screen: str) -> list[SavedView]:
        raw = self.store.value(self._key(screen))
        if not raw:
            return []
        try:
            items = json.loads(str(raw))
            views = [SavedView(str(item["name"]), dict(item["state"])) for item in items]
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("ignoring the saved views of %s: the stored value is damaged (%s)", screen, exc)
            return []
        return [view for view in views if view.name.strip()]

    def names(self, screen: str) -> list[str]:
        return [view.name for view in self.views(screen)]

    def find(self, screen: str, name: str) -> SavedView | None:
        return next((view for view in self.views(screen) if _fold(view.name) == _fold(name)), None)

    def _write(self, screen: str, views: Sequence[SavedView]) -> None:
        payload = [{"name": view.name, "state": view.state} for view in views]
        self.store.setValue(self._key(screen), json.dumps(payload, ensure_ascii=False))

    def check_name(self, screen: str, name: str, *, allow: str | None = None) -> str:
        """The name as it will be stored; raises SavedViewError if it cannot be used (`allow`: its own)."""
        clean = " ".join(name.split())
        if not clean:
            raise SavedViewError("A saved view needs a name.")
        if len(clean) > MAX_NAME_LENGTH:
            raise SavedViewError(f"Keep the name under {MAX_NAME_LENGTH} characters.")
        existing = self.find(screen, clean)
        if existing is not None and (allow is None or _fold(existing.name) != _fold(allow)):
            raise SavedViewError(f"There is already a saved view named “{existing.name}” here.")
        return clean

    def add(self, screen: str, name: str, state: dict[str, Any], *, position: int | None = None) -> SavedView:
        view = SavedView(self.check_name(screen, name), state)
        views = self.views(screen)
        views.insert(len(views) if position is None else position, view)
        self._write(screen, views)
        return view

    def rename(self, screen: str, old: str, new: str) -> SavedView:
        clean = self.check_name(screen, new, allow=old)
        views = self.views(screen)
        position = self._position(views, old)
        views[position] = SavedView(clean, views[position].state)
        self._write(screen, views)
        return views[position]

    def update(self, screen: str, name: str, state: dict[str, Any]) -> SavedView:
        """Overwrite a view's state ("Update with current view"), keeping its name and place."""
        views = self.views(screen)
        position = self._position(views, name)
        views[position] = SavedView(views[position].name, state)
        self._write(screen, views)
        return views[position]

    def delete(self, screen: str, name: str) -> tuple[int, SavedView]:
        """Remove a view; returns where it was and what it held, so the deletion can be undone."""
        views = self.views(screen)
        position = self._position(views, name)
        removed = views.pop(position)
        self._write(screen, views)
        return position, removed

    def expanded_screens(self) -> list[str] | None:
        """The screens whose saved views the sidebar showed unfolded; None if never saved (or damaged)."""
        raw = self.store.value("ui/sidebar/expanded")
        if raw is None:
            return None
        try:
            keys = json.loads(str(raw))
        except ValueError:
            log.warning("ignoring the sidebar's expanded screens: the stored value is damaged")
            return None
        return _strings(keys) if isinstance(keys, list) else None

    def save_expanded_screens(self, keys: Sequence[str]) -> None:
        self.store.setValue("ui/sidebar/expanded", json.dumps(list(keys)))

    def _position(self, views: list[SavedView], name: str) -> int:
        for position, view in enumerate(views):
            if _fold(view.name) == _fold(name):
                return position
        raise SavedViewError(f"There is no saved view named “{name}” any more.")


# --- column state by key ------------------------------------------------------------------------------------


def header_view_state(header: QHeaderView, keys: Sequence[str], *, sortable: bool = True) -> dict[str, Any]:
    """Columns in on-screen order, the hidden ones, and (if the header sorts) the sort column and order."""
    logical = [header.logicalIndex(visual) for visual in range(header.count())]
    order = [keys[index] for index in logical if 0 <= index < len(keys)]
    state: dict[str, Any] = {
        "columns": order,
        "hidden": [key for index, key in enumerate(keys) if header.isSectionHidden(index)],
    }
    if sortable and 0 <= header.sortIndicatorSection() < len(keys):
        state["sort"] = keys[header.sortIndicatorSection()]
        state["descending"] = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    return state


def apply_header_columns(
    header: QHeaderView, keys: Sequence[str], state: dict[str, Any], *, always_shown: str | None = None
) -> None:
    """Put the columns of `state` back: order and visibility; keys this version lacks are skipped, and
    columns the state does not mention (added since) keep their place after the ones it names."""
    position = {key: logical for logical, key in enumerate(keys)}
    order = [key for key in _strings(state.get("columns")) if key in position]
    for visual, key in enumerate(order):
        header.moveSection(header.visualIndex(position[key]), visual)
    if "hidden" in state:
        hidden = set(_strings(state.get("hidden")))
        for logical, key in enumerate(keys):
            header.setSectionHidden(logical, key in hidden and key != always_shown)


def sort_of(state: dict[str, Any], keys: Sequence[str]) -> tuple[int, Qt.SortOrder] | None:
    """The (column, order) a state asks for, or None when it names no column this version has."""
    key = state.get("sort")
    if not isinstance(key, str) or key not in keys:
        return None
    order = Qt.SortOrder.DescendingOrder if state.get("descending") else Qt.SortOrder.AscendingOrder
    return list(keys).index(key), order


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
