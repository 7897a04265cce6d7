"""The Compliance screen's filter controls: the state choices and the event-type menu button."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from app.domain.compliance import ComplianceState

S = ComplianceState
# The state choices: data is the set of states shown, as a tuple of values (Qt keeps plain types).
STATE_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("All states", ()),
    ("To act on (open or overdue)", (S.OPEN.value, S.OVERDUE.value)),
    ("Open", (S.OPEN.value,)),
    ("Overdue", (S.OVERDUE.value,)),
    ("Responded", (S.RESPONDED.value,)),
    ("Closed", (S.CLOSED.value,)),
)


def states_from(values: object) -> frozenset[ComplianceState]:
    """The known states among `values` (a saved view's list, a choice's tuple); anything else is dropped."""
    if not isinstance(values, list | tuple):
        return frozenset()
    known = {state.value for state in ComplianceState}
    return frozenset(ComplianceState(value) for value in values if value in known)


def state_choice(states: frozenset[ComplianceState]) -> int:
    """The STATE_CHOICES row showing exactly `states`; 0 (all) when none does."""
    wanted = sorted(state.value for state in states)
    return next((row for row, (_label, values) in enumerate(STATE_CHOICES) if sorted(values) == wanted), 0)


class EventTypeButton(QToolButton):
    """ "Types: …" with a menu of checkable event types (names from the reference table); none = all."""

    changed = Signal(frozenset)  # the chosen type codes

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compliance-types")
        self.setAccessibleName("Event types shown")
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self._labels: dict[str, str] = {}
        self._chosen: frozenset[str] = frozenset()
        self._actions: dict[str, QAction] = {}
        self.setMenu(QMenu(self))
        self._every = self.menu().addAction("All types")
        self._every.setCheckable(True)
        self._every.triggered.connect(lambda: self._choose(frozenset()))
        self.menu().addSeparator()
        self._sync()

    @property
    def chosen(self) -> frozenset[str]:
        return self._chosen

    def set_labels(self, labels: dict[str, str]) -> None:
        """The types offered, code -> name, in menu order (once per load: actions are rebuilt)."""
        if labels == self._labels:
            return
        for action in self._actions.values():
            self.menu().removeAction(action)
            action.deleteLater()
        self._labels = dict(labels)
        self._actions = {}
        for code, label in self._labels.items():
            action = self.menu().addAction(label)
            action.setCheckable(True)
            action.triggered.connect(lambda on, code=code: self.toggle_type(code, on))
            self._actions[code] = action
        self._sync()

    def set_chosen(self, codes: frozenset[str]) -> None:
        """Show `codes` as chosen, without emitting `changed` (the caller applies them)."""
        self._chosen = frozenset(codes)
        self._sync()

    def toggle_type(self, code: str, on: bool) -> None:
        self._choose(self._chosen | {code} if on else self._chosen - {code})

    def _choose(self, codes: frozenset[str]) -> None:
        self.set_chosen(codes)
        self.changed.emit(self._chosen)

    def _sync(self) -> None:
        self._every.setChecked(not self._chosen)
        for code, action in self._actions.items():
            action.setChecked(code in self._chosen)
        names = [self._labels.get(code, code) for code in sorted(self._chosen)]
        shown = "All types" if not names else names[0] if len(names) == 1 else f"{len(names)} types"
        self.setText(f"Types: {shown}")
        self.setToolTip(", ".join(names) if names else "Show only some kinds of event")
