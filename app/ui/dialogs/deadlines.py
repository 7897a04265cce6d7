"""Tools > Deadline calculator: pick a rule and its date(s), read the due dates with their weekday."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.ui.dialogs.deadline_rules import RULES, RULES_BY_KEY, compute


def _date_edit(parent: QWidget, accessible: str) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("MM/dd/yyyy")
    edit.setAccessibleName(accessible)
    return edit


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class DeadlineDialog(QDialog):
    """Non-modal. `today` is injectable so tests (and "days left") do not depend on the wall clock."""

    def __init__(self, parent: QWidget | None = None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Deadline calculator")
        self.setObjectName("deadline-dialog")
        self._fixed_today = today
        self.rule = QComboBox(self)
        self.rule.setAccessibleName("Rule")
        for rule in RULES:
            self.rule.addItem(rule.title, rule.key)
        self.first = _date_edit(self, "First date")
        self.first_label = QLabel(self)
        self.first_label.setBuddy(self.first)
        # An optional second date (PSC: scheduled liquidation) is switched on by a checkbox; a required one
        # (detention: "as of") has a plain label. Both sit in the row's label cell, one of them shown.
        self.second_caption = QWidget(self)
        self.use_second = QCheckBox(self.second_caption)
        self.use_second.setAccessibleName("Use the second date")
        self.second_label = QLabel(self.second_caption)
        caption_layout = QHBoxLayout(self.second_caption)
        caption_layout.setContentsMargins(0, 0, 0, 0)
        caption_layout.addWidget(self.use_second)
        caption_layout.addWidget(self.second_label)
        self.second = _date_edit(self, "Second date")
        self.second_label.setBuddy(self.second)
        self.results = QFormLayout()
        self.rule_text = QLabel(self)
        self.rule_text.setWordWrap(True)
        self.rule_text.setAccessibleName("Rule text")
        self._lay_out()
        for edit in (self.first, self.second):
            edit.setDate(QDate(self.today.year, self.today.month, self.today.day))
        self.rule.currentIndexChanged.connect(self._rule_changed)
        self.first.dateChanged.connect(self._update)
        self.second.dateChanged.connect(self._update)
        self.use_second.toggled.connect(self._update)
        self._rule_changed()

    @property
    def today(self) -> date:
        # Read at each update: a dialog left open overnight counts "days left" from the new day.
        return self._fixed_today or date.today()

    def _lay_out(self) -> None:
        inputs = QFormLayout()
        inputs.addRow("&Rule:", self.rule)
        inputs.addRow(self.first_label, self.first)
        inputs.addRow(self.second_caption, self.second)
        layout = QVBoxLayout(self)
        layout.addLayout(inputs)
        layout.addLayout(self.results)
        layout.addWidget(self.rule_text)
        self.setTabOrder(self.rule, self.first)
        self.setTabOrder(self.first, self.use_second)
        self.setTabOrder(self.use_second, self.second)

    def select_rule(self, key: str) -> None:
        self.rule.setCurrentIndex(self.rule.findData(key))

    def _rule_changed(self) -> None:
        rule = RULES_BY_KEY[self.rule.currentData()]
        self.first_label.setText(f"&{rule.first_label}:")
        self.first.setAccessibleName(rule.first_label)
        has_second = bool(rule.second_label)
        self.second_caption.setVisible(has_second)
        self.second.setVisible(has_second)
        self.use_second.setVisible(rule.second_optional)
        self.second_label.setVisible(not rule.second_optional)
        self.use_second.setText(f"&{rule.second_label}:")
        self.second_label.setText(f"&{rule.second_label}:")
        self.use_second.setAccessibleName(f"Use {rule.second_label.lower()}")
        self.second.setAccessibleName(rule.second_label)
        # A required second date is always used; an optional one starts off (the rule's default applies).
        self.use_second.setChecked(has_second and not rule.second_optional)
        self.rule_text.setText(rule.text)
        self._update()

    def _update(self) -> None:
        self.second.setEnabled(self.use_second.isChecked())
        first = _to_date(self.first.date())
        second = _to_date(self.second.date()) if self.use_second.isChecked() else None
        lines = compute(self.rule.currentData(), first, second, self.today)
        while self.results.rowCount():
            self.results.removeRow(0)
        for label, value in lines:
            shown = QLabel(value, self)
            shown.setAccessibleName(label)
            self.results.addRow(f"{label}:", shown)

    def result_lines(self) -> list[tuple[str, str]]:
        """What is on screen, as (label, value) pairs (for tests and copy)."""
        lines = []
        for row in range(self.results.rowCount()):
            item = self.results.itemAt(row, QFormLayout.ItemRole.FieldRole)
            field = item.widget() if item is not None else None
            assert isinstance(field, QLabel)
            lines.append((field.accessibleName(), field.text()))
        return lines
