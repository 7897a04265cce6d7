"""The Reports screen's form: which report, for which accounts, in which format — and the request it makes.

The form offers only what a report supports (`REPORTS`): the account summary is a PDF for one account or for
the accounts selected in the Portfolio (one PDF, or one file per account); the portfolio and held-shipments
reports cover the whole portfolio, as PDF or workbook (holds filtered by a minimum age); the compliance
history is for one account, as PDF or workbook.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ValidationError
from app.domain.views import PortfolioRow
from app.services.reports import ReportRequest, summary_file_name
from app.ui.formatting import plural

ONE, SELECTION, WHOLE = "one", "selection", "whole"
FORMAT_LABELS = {"pdf": "PDF", "xlsx": "Excel workbook"}
UNSAFE_IN_FILE_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


@dataclass(frozen=True)
class ReportKind:
    key: str  # ReportRequest.kind
    title: str
    scopes: tuple[str, ...]
    formats: tuple[str, ...]
    min_age: bool = False  # held shipments: only holds at least this many business days old


REPORTS: tuple[ReportKind, ...] = (
    ReportKind("account", "Account summary", (ONE, SELECTION), ("pdf",)),
    ReportKind("portfolio", "Portfolio", (WHOLE,), ("pdf", "xlsx")),
    ReportKind("holds", "Held shipments", (WHOLE,), ("pdf", "xlsx"), min_age=True),
    ReportKind("compliance", "Compliance history", (ONE,), ("pdf", "xlsx")),
)


def file_name(stem: str, fmt: str) -> str:
    """A file name from an account's or a report's name, safe on every platform."""
    cleaned = UNSAFE_IN_FILE_NAMES.sub("_", stem).strip(" .") or "report"
    return f"{cleaned}.{fmt}"


class ReportForm(QWidget):
    def __init__(self, marking: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reports-form")
        self._selection: tuple[uuid.UUID, ...] = ()
        self._pending_account: uuid.UUID | None = None  # to pick once the account list has loaded
        self._make_report_controls()
        self._make_scope_controls()
        self._make_option_controls(marking)
        self._layout()
        self.set_selection(())
        self._on_kind_changed()

    # --- widgets --------------------------------------------------------------------------------------------

    def _make_report_controls(self) -> None:
        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("reports-kind")
        self.kind_combo.setAccessibleName("Report")
        for kind in REPORTS:
            self.kind_combo.addItem(kind.title, kind.key)
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.format_combo = QComboBox(self)
        self.format_combo.setObjectName("reports-format")
        self.format_combo.setAccessibleName("Format")

    def _make_scope_controls(self) -> None:
        self.one_radio = QRadioButton("&One account", self)
        self.one_radio.setAccessibleName("Scope: one account")
        self.account_combo = QComboBox(self)
        self.account_combo.setObjectName("reports-account")
        self.account_combo.setAccessibleName("Account")
        self.account_combo.setEditable(True)
        self.account_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.account_combo.setMinimumContentsLength(32)
        editor = self.account_combo.lineEdit()
        assert editor is not None  # an editable combo box has one
        editor.setPlaceholderText("Type part of the account's name")
        completer = QCompleter(self.account_combo.model(), self.account_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.account_combo.setCompleter(completer)
        editor.textEdited.connect(lambda _text: self.one_radio.setChecked(True))
        self.selection_radio = QRadioButton(self)
        self.selection_radio.setAccessibleName("Scope: the accounts selected in the Portfolio")
        self.whole_radio = QRadioButton("&Whole portfolio", self)
        self.whole_radio.setAccessibleName("Scope: the whole portfolio")
        self.scope_group = QButtonGroup(self)
        for radio in (self.one_radio, self.selection_radio, self.whole_radio):
            self.scope_group.addButton(radio)
            radio.toggled.connect(self.update_controls)

    def _make_option_controls(self, marking: str) -> None:
        self.min_age_spin = QSpinBox(self)
        self.min_age_spin.setObjectName("reports-min-age")
        self.min_age_spin.setAccessibleName("Minimum hold age in business days")
        self.min_age_spin.setRange(0, 365)
        self.min_age_spin.setSpecialValueText("Any age")
        self.min_age_spin.setSuffix(" business days")
        self.per_account_check = QCheckBox("One file &per account", self)
        self.per_account_check.setAccessibleName("One file per account instead of one PDF")
        self.per_account_check.setToolTip("Unchecked: one PDF with every account, each on new pages")
        self.default_marking = marking  # the preference the field started from
        self.marking_edit = QLineEdit(marking, self)
        self.marking_edit.setObjectName("reports-marking")
        self.marking_edit.setAccessibleName("Handling marking")
        self.marking_edit.setMinimumWidth(self.marking_edit.fontMetrics().horizontalAdvance("M" * 24))
        self.marking_edit.setToolTip("Printed in the header or footer of every page and in every workbook")

    def follow_default_marking(self, marking: str) -> None:
        """The marking preference changed: the field takes it, unless the AE typed one for this report."""
        if self.marking_edit.text() == self.default_marking:
            self.marking_edit.setText(marking)
        self.default_marking = marking

    def _layout(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(self._buddy("&Report:", self.kind_combo), self.kind_combo)
        one = QHBoxLayout()
        one.addWidget(self.one_radio)
        one.addWidget(self.account_combo, 1)
        scope = QVBoxLayout()
        scope.addLayout(one)
        scope.addWidget(self.selection_radio)
        scope.addWidget(self.whole_radio)
        form.addRow(QLabel("Scope:", self), scope)
        form.addRow(self._buddy("For&mat:", self.format_combo), self.format_combo)
        form.addRow(self._buddy("Min a&ge:", self.min_age_spin), self.min_age_spin)
        form.addRow("", self.per_account_check)
        form.addRow(self._buddy("Mar&king:", self.marking_edit), self.marking_edit)
        for first, second in itertools.pairwise(self.controls()):
            QWidget.setTabOrder(first, second)

    def _buddy(self, text: str, widget: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(widget)
        return label

    def controls(self) -> list[QWidget]:
        """The form's controls in tab order."""
        return [
            self.kind_combo,
            self.one_radio,
            self.account_combo,
            self.selection_radio,
            self.whole_radio,
            self.format_combo,
            self.min_age_spin,
            self.per_account_check,
            self.marking_edit,
        ]

    # --- state ----------------------------------------------------------------------------------------------

    def current_kind(self) -> ReportKind:
        return REPORTS[max(self.kind_combo.currentIndex(), 0)]

    def set_kind(self, key: str) -> None:
        self.kind_combo.setCurrentIndex(next(i for i, kind in enumerate(REPORTS) if kind.key == key))

    def _radios(self) -> dict[str, QRadioButton]:
        return {ONE: self.one_radio, SELECTION: self.selection_radio, WHOLE: self.whole_radio}

    def scope(self) -> str:
        return next((key for key, radio in self._radios().items() if radio.isChecked()), ONE)

    def set_scope(self, scope: str) -> None:
        self._radios()[scope].setChecked(True)

    def _on_kind_changed(self, *_args: Any) -> None:
        kind = self.current_kind()
        fmt = self.format_combo.currentData()
        self.format_combo.clear()
        for key in kind.formats:
            self.format_combo.addItem(FORMAT_LABELS[key], key)
        if fmt in kind.formats:
            self.format_combo.setCurrentIndex(kind.formats.index(fmt))
        nothing_chosen = not any(radio.isChecked() for radio in self._radios().values())
        if nothing_chosen or self.scope() not in kind.scopes:
            prefer_selection = SELECTION in kind.scopes and self._selection
            self.set_scope(SELECTION if prefer_selection else kind.scopes[0])
        self.update_controls()

    def update_controls(self, *_args: Any) -> None:
        """Enable what the chosen report supports."""
        kind = self.current_kind()
        self.one_radio.setEnabled(ONE in kind.scopes)
        self.account_combo.setEnabled(ONE in kind.scopes)
        self.selection_radio.setEnabled(SELECTION in kind.scopes and bool(self._selection))
        self.whole_radio.setEnabled(WHOLE in kind.scopes)
        self.format_combo.setEnabled(len(kind.formats) > 1)
        self.min_age_spin.setEnabled(kind.min_age)
        self.per_account_check.setEnabled(kind.key == "account" and self.scope() == SELECTION)

    def set_selection(self, account_ids: Sequence[Any]) -> None:
        """The accounts selected in the Portfolio; a report that can cover them switches to them."""
        self._selection = tuple(dict.fromkeys(uuid.UUID(str(account_id)) for account_id in account_ids))
        count = len(self._selection)
        self.selection_radio.setText(f"Se&lected in the Portfolio ({plural(count, 'account')})")
        if count and SELECTION in self.current_kind().scopes:
            self.set_scope(SELECTION)
        elif not count and self.scope() == SELECTION:
            self.set_scope(self.current_kind().scopes[0])
        self.update_controls()

    def selection(self) -> tuple[uuid.UUID, ...]:
        return self._selection

    # --- the account picker ---------------------------------------------------------------------------------

    def set_accounts(self, rows: Sequence[PortfolioRow]) -> None:
        """Fill the picker, keeping the account chosen (or one asked for while loading)."""
        chosen = self.chosen_account()
        self.account_combo.clear()
        for row in rows:
            self.account_combo.addItem(row.name, row.account_id)
            if row.primary_importer_number:  # already masked when SSN-based
                last = self.account_combo.count() - 1
                self.account_combo.setItemData(last, row.primary_importer_number, Qt.ItemDataRole.ToolTipRole)
        wanted = self._pending_account or (chosen[0] if chosen else None)
        self._pending_account = None
        index = self._index_of(wanted)
        self.account_combo.setCurrentIndex(index)
        if index < 0:
            self.account_combo.setEditText("")

    def select_account(self, account_id: uuid.UUID) -> None:
        index = self._index_of(account_id)
        if index < 0:
            self._pending_account = account_id  # the list is still loading
        else:
            self.account_combo.setCurrentIndex(index)
        if ONE in self.current_kind().scopes:
            self.set_scope(ONE)

    def _index_of(self, account_id: uuid.UUID | None) -> int:
        # Not findData(): it compares the wrapped Python objects by identity, not by value.
        combo = self.account_combo
        return next((i for i in range(combo.count()) if combo.itemData(i) == account_id), -1)

    def chosen_account(self) -> tuple[uuid.UUID, str] | None:
        """The account named in the picker, when its text is exactly one of the portfolio's names."""
        index = self.account_combo.findText(self.account_combo.currentText().strip())
        if index < 0:
            return None
        return self.account_combo.itemData(index), self.account_combo.itemText(index)

    # --- the request ----------------------------------------------------------------------------------------

    def request(self) -> ReportRequest:
        """The request the form describes; ValidationError says what is missing."""
        kind, scope = self.current_kind(), self.scope()
        marking = self.marking_edit.text().strip()
        if not marking:
            raise ValidationError("Enter the handling marking to print on the report.", field="marking")
        account_ids: tuple[uuid.UUID, ...] = ()
        if scope == ONE:
            chosen = self.chosen_account()
            if chosen is None:
                raise ValidationError("Choose an account from the list.", field="account")
            account_ids = (chosen[0],)
        elif scope == SELECTION:
            if not self._selection:
                raise ValidationError("Select accounts in the Portfolio first.", field="account_ids")
            account_ids = self._selection
        return ReportRequest(
            kind=cast(Any, kind.key),
            fmt=cast(Any, self.format_combo.currentData() or kind.formats[0]),
            account_ids=account_ids,
            min_age_days=(self.min_age_spin.value() or None) if kind.min_age else None,
            one_file_per_account=self.per_account_check.isEnabled() and self.per_account_check.isChecked(),
            marking=marking,
        )

    def default_file_name(self, request: ReportRequest) -> str:
        chosen = self.chosen_account()
        if request.kind == "account" and len(request.account_ids) == 1 and chosen:
            return summary_file_name(chosen[1])
        if request.kind == "compliance" and chosen:
            return file_name(f"{chosen[1]} compliance history", request.fmt)
        title = "Account summaries" if request.kind == "account" else self.current_kind().title
        return file_name(f"{title} {date.today().isoformat()}", request.fmt)


__all__ = ["REPORTS", "ReportForm", "ReportKind", "file_name"]
