"""Edit account: the form's inline validation, the changes it hands back, and the undoable command."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QUndoStack

from app.domain.enums import AccountStatus, RiskSegment
from app.services import account_edit as service
from app.services.workspace import Workspace
from app.ui.account.account_dialog import EditAccountCommand, EditAccountDialog
from app.ui.changes import ACCOUNTS
from tests.store import factories as f

pytestmark = pytest.mark.gui


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    """A database of its own: these tests write."""
    ws = Workspace.open(str(tmp_path / "account.sqlite3"))
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def account_id(workspace: Workspace) -> uuid.UUID:
    with workspace.database.session() as s:
        return f.add_account(s, "Acme Imports LLC", ["12-3456789AB"], dba="Acme")


@pytest.fixture
def context(make_context, workspace: Workspace):
    return make_context(workspace)


@pytest.fixture
def dialog(qtbot, context, account_id: uuid.UUID) -> EditAccountDialog:
    widget = EditAccountDialog(context, account_id)
    qtbot.addWidget(widget)
    return widget


def state(workspace: Workspace, account_id: uuid.UUID) -> tuple:
    account = service.get_account(workspace, account_id)
    return (account.name, account.dba, account.primary_hts_chapters, account.risk_segment, account.country)


def test_the_form_shows_the_account_as_stored(dialog: EditAccountDialog) -> None:
    assert (dialog.name.text(), dialog.dba.text(), dialog.country.text()) == (
        "Acme Imports LLC",
        "Acme",
        "US",
    )
    assert dialog.risk_segment.currentData() == RiskSegment.MEDIUM.value
    assert dialog.status.currentData() == AccountStatus.ACTIVE.value
    assert dialog.original().name == "Acme Imports LLC"
    for widget in dialog.form.fields.values():
        assert widget.accessibleName()


def test_accept_hands_back_only_the_normalised_changes(dialog: EditAccountDialog) -> None:
    dialog.primary_hts_chapters.setText("85, 84")
    dialog.risk_segment.setCurrentIndex(dialog.risk_segment.findData(RiskSegment.HIGH.value))
    dialog.country.setText("mx")
    dialog.accept()
    assert dialog.result() == 1
    assert dialog.changes() == {"primary_hts_chapters": "85 84", "risk_segment": "high", "country": "MX"}


@pytest.mark.parametrize(
    ("widget", "text", "field", "message"),
    [
        ("name", "  ", "name", "an account needs a name"),
        ("primary_hts_chapters", "84 77", "primary_hts_chapters", "HTS chapter 77 is reserved"),
        ("country", "XX", "country", "unknown country code XX (ISO 3166-1 alpha-2)"),
    ],
)
def test_invalid_input_stays_in_the_dialog_with_the_message(
    dialog: EditAccountDialog, workspace, account_id, widget: str, text: str, field: str, message: str
) -> None:
    before = state(workspace, account_id)
    getattr(dialog, widget).setText(text)
    dialog.accept()
    assert dialog.result() == 0
    assert dialog.form.error_text(field) == message
    assert state(workspace, account_id) == before


def test_command_writes_undoes_and_redoes_exactly(qtbot, dialog, context, workspace, account_id) -> None:
    before = state(workspace, account_id)
    dialog.name.setText("Acme Global LLC")
    dialog.dba.setText("")
    dialog.primary_hts_chapters.setText("84")
    dialog.accept()
    stack = QUndoStack()
    errors: list[BaseException] = []
    command = EditAccountCommand(
        context, account_id, dialog.original(), dialog.changes(), report_error=errors.append
    )
    with qtbot.waitSignal(context.changes.changed) as announced:
        stack.push(command)
    assert announced.args == [frozenset({ACCOUNTS})]
    edited = ("Acme Global LLC", "", "84", RiskSegment.MEDIUM, "US")
    assert state(workspace, account_id) == edited
    stack.undo()
    assert state(workspace, account_id) == before
    stack.redo()
    assert state(workspace, account_id) == edited
    assert errors == []
    assert stack.undoText() == "Edit account name, dba, primary hts chapters"


def test_a_conflicting_edit_is_reported_not_overwritten(context, workspace, account_id) -> None:
    original = service.get_account(workspace, account_id)
    service.update_account(workspace, account_id, {"city": "Reno"}, original.version)  # someone else
    stack = QUndoStack()
    errors: list[BaseException] = []
    stack.push(
        EditAccountCommand(context, account_id, original, {"city": "Elko"}, report_error=errors.append)
    )
    assert "changed elsewhere" in str(errors[0])
    assert stack.count() == 0  # nothing written, nothing to undo
    assert service.get_account(workspace, account_id).city == "Reno"


def test_no_changes_push_nothing(context, workspace, account_id) -> None:
    stack = QUndoStack()
    original = service.get_account(workspace, account_id)
    stack.push(EditAccountCommand(context, account_id, original, {}, report_error=pytest.fail))
    assert stack.count() == 0
    assert service.get_account(workspace, account_id).version == original.version
