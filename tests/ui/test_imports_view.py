"""The Imports screen: the batches model, the list after an import, Undo (confirmed, refused), reloads."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from app.domain.enums import ImportKind
from app.services.importing.batches import list_batches
from app.services.importing.results import BatchSummary
from app.services.importing.run import import_file
from app.services.stats import database_stats
from app.services.workspace import Workspace
from app.ui import changes
from app.ui.models.imports import MUTED, BatchesModel
from app.ui.views.imports import ImportsView

pytestmark = pytest.mark.gui

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(str(tmp_path / "imports.sqlite3"))
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def sample(tmp_path: Path):
    def copy(name: str) -> Path:
        return Path(shutil.copy(SAMPLES / name, tmp_path / name))

    return copy


def batch(name: str, *, undone: bool = False, inserted: int = 3) -> BatchSummary:
    return BatchSummary(
        id=f"0190{name:0>28}"[:32],
        kind=ImportKind.HOLDS,
        source_name=name,
        source_sha256="0" * 64,
        imported_at=datetime(2026, 11, 20, 14, 30),
        imported_by="jrivera",
        rows=5,
        inserted=inserted,
        updated=1,
        unchanged=1,
        skipped=0,
        accounts_created=0,
        undone_at=datetime(2026, 11, 21, 9, 0) if undone else None,
    )


def make_view(qtbot, make_context, workspace: Workspace) -> ImportsView:
    view = ImportsView(make_context(workspace))
    qtbot.addWidget(view)
    view.resize(1400, 600)
    view.show()
    view.reload()
    return view


def test_the_batches_model_passes_the_model_tester_and_greys_undone_batches(qtmodeltester) -> None:
    model = BatchesModel()
    model.set_rows([batch("holds.csv"), batch("old.csv", undone=True)])
    qtmodeltester.check(model)
    assert model.rowCount() == 2 and model.columnCount() == 11
    assert model.data(model.index(0, 3)) == "holds.csv"
    assert model.data(model.index(0, 5)) == "3"
    assert model.data(model.index(0, 10)) == "Imported"
    assert model.data(model.index(1, 10)).startswith("Undone ")
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is None
    grey = model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole)
    assert isinstance(grey, QBrush) and grey.color() == MUTED
    assert model.headerData(9, Qt.Orientation.Horizontal) == "Accounts created"
    model.set_rows([])
    qtmodeltester.check(model)


def test_an_empty_database_shows_the_hint(qtbot, make_context, workspace: Workspace) -> None:
    view = make_view(qtbot, make_context, workspace)
    assert view.model.rowCount() == 0
    assert view.empty_hint.isVisible()
    assert "No imports yet" in view.empty_hint.text()
    assert not view.undo_button.isEnabled()
    assert view.summary() == "0 imports (0 standing)"


def test_an_import_is_listed_and_undo_removes_it(
    qtbot, make_context, workspace: Workspace, sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(workspace, sample("accounts.csv"))
    import_file(workspace, sample("entries.csv"))
    view = make_view(qtbot, make_context, workspace)
    assert view.model.rowCount() == 2
    result = import_file(workspace, sample("holds.csv"), user="jrivera")
    assert result.written
    view.context.changes.announce({changes.TRADE})  # as the wizard does: the screen reloads
    assert view.model.rowCount() == 3 and not view.empty_hint.isVisible()
    row = [view.model.data(view.model.index(0, column)) for column in range(11)]
    assert row[1:] == ["jrivera", "Holds", "holds.csv", "8", "8", "0", "0", "0", "0", "Imported"]
    assert view.summary() == "3 imports (3 standing)"

    asked: list[str] = []
    monkeypatch.setattr(view, "confirm_undo", lambda b: asked.append(b.source_name) or False)
    view.table.selectRow(0)
    assert view.undo_button.isEnabled()
    view.undo_button.click()
    assert asked == ["holds.csv"] and database_stats(workspace)["holds"] == 8  # declined: nothing done
    view.activateWindow()  # Del is a shortcut of the table: it works in the active window
    qtbot.waitUntil(view.isActiveWindow)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert asked == ["holds.csv", "holds.csv"]  # Del asks the same question

    announced: list[frozenset[str]] = []
    view.context.changes.changed.connect(announced.append)
    monkeypatch.setattr(view, "confirm_undo", lambda b: True)
    view.undo_button.click()
    assert database_stats(workspace)["holds"] == 0
    assert announced == [frozenset({changes.TRADE})]
    assert view.model.batch_at(0).undone and not view.model.batch_at(1).undone
    assert view.model.data(view.model.index(0, 10)).startswith("Undone ")
    assert view.count_label.text() == "3 imports (2 standing) · undone holds.csv: 8 removed, 0 restored"
    assert not view.undo_button.isEnabled()  # the selection stayed on the batch, now undone
    assert not view.message_bar.isVisible()


def test_an_undo_the_service_refuses_is_explained_in_the_message_bar(
    qtbot, make_context, workspace: Workspace, sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_file(workspace, sample("accounts.csv"))
    import_file(workspace, sample("entries.csv"))
    import_file(workspace, sample("holds.csv"))
    view = make_view(qtbot, make_context, workspace)
    assert [view.model.batch_at(row).source_name for row in range(3)] == [
        "holds.csv",
        "entries.csv",
        "accounts.csv",
    ]
    monkeypatch.setattr(view, "confirm_undo", lambda b: True)
    view.table.selectRow(1)  # entries, while the holds imported on top of them still stand
    view.undo_button.click()
    assert view.message_bar.isVisible()
    assert "holds.csv" in view.message_bar.text()
    assert database_stats(workspace)["entries"] > 0
    assert [b.undone for b in list_batches(workspace)] == [False, False, False]


def test_the_screen_is_listed_in_the_main_window(qtbot, make_context, workspace: Workspace) -> None:
    from app.ui.mainwindow import MainWindow

    window = MainWindow(make_context(workspace))
    qtbot.addWidget(window)
    screen = window.show_screen("imports")
    assert isinstance(screen, ImportsView)
    assert "imports" in window.enabled_screen_keys()
