"""The import wizard: files, kind and mapping (remembered), preview highlights, dry run, import, cancel."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QBrush, QDropEvent, QIcon
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QComboBox, QWizard

from app.domain.enums import ImportKind
from app.services.importing import validate
from app.services.stats import database_stats
from app.services.workspace import Workspace
from app.ui import changes, tasks
from app.ui.dialogs.import_wizard import ImportWizard, MappingMemory, header_key
from app.ui.models.imports import ERROR_TINT, ISSUES_ROLE

pytestmark = pytest.mark.gui

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
NAMES = ("accounts.csv", "entries.csv", "holds.csv", "compliance.csv")


@pytest.fixture
def samples(tmp_path: Path) -> dict[str, Path]:
    folder = tmp_path / "samples"
    folder.mkdir()
    return {name: Path(shutil.copy(SAMPLES / name, folder / name)) for name in NAMES}


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.open(str(tmp_path / "imports.sqlite3"))
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture
def context(make_context, workspace: Workspace):
    return make_context(workspace)


def make_wizard(qtbot, context, paths: list[Path]) -> ImportWizard:
    wizard = ImportWizard(context)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.add_files(paths)
    return wizard


def next_enabled(wizard: ImportWizard) -> bool:
    button = wizard.button(QWizard.WizardButton.CommitButton)
    if not button.isVisible():
        button = wizard.button(QWizard.WizardButton.NextButton)
    return button.isEnabled()


def rewrite_csv(path: Path, change) -> Path:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_files_are_listed_with_their_recognised_kind_and_the_wizard_imports_them(
    qtbot, context, workspace: Workspace, samples: dict[str, Path]
) -> None:
    announced: list[frozenset[str]] = []
    context.changes.changed.connect(announced.append)
    # Chosen out of order: the import still goes accounts, entries, holds, compliance.
    wizard = make_wizard(qtbot, context, [samples[n] for n in reversed(NAMES)])
    table = wizard.files_page.file_table
    kinds = {table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())}
    assert kinds == {
        "compliance.csv": "Compliance events",
        "holds.csv": "Holds",
        "entries.csv": "Entry summary lines",
        "accounts.csv": "Accounts roster",
    }
    assert next_enabled(wizard)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    assert wizard.mapping_page.kind_combo.currentData() == "compliance"
    assert next_enabled(wizard)
    wizard.next()
    dry = wizard.dry_run_page
    assert wizard.currentPage() is dry
    files = [dry.counts_table.item(row, 0).text() for row in range(dry.counts_table.rowCount())]
    assert files == ["accounts.csv", "entries.csv", "holds.csv", "compliance.csv"]
    accounts = dry.results[0]
    assert (accounts.rows, accounts.inserted, accounts.error_count, accounts.written) == (5, 5, 0, False)
    assert dry.counts_table.item(0, 3).text() == "5"  # would insert
    # holds see the entries of the entries file before them: no "entry not in the database" errors
    assert [result.error_count for result in dry.results] == [0, 0, 0, 0]
    assert dry.results[2].inserted == 8
    assert database_stats(workspace)["accounts"] == 0  # the dry run wrote nothing
    assert database_stats(workspace)["import_batches"] == 0
    assert announced == []
    assert next_enabled(wizard)  # the holds' entries come with entries.csv, imported before them
    wizard.next()
    page = wizard.import_page
    assert wizard.currentPage() is page
    assert [result.written for result in page.results] == [True, True, True, True]
    assert [result.error_count for result in page.results] == [0, 0, 0, 0]
    stats = database_stats(workspace)
    assert stats["accounts"] >= 5 and stats["holds"] == page.results[2].inserted > 0
    assert stats["import_batches"] == 4
    assert page.status_label.text() == "Imported 4 files."
    assert page.counts_table.item(1, 3).text() == str(page.results[1].inserted)
    assert not page.open_folder_button.isVisible()
    assert announced == [frozenset({changes.ACCOUNTS, changes.TRADE, changes.COMPLIANCE})]
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_files_can_be_dropped_on_the_first_page_and_only_once(qtbot, context, samples) -> None:
    wizard = make_wizard(qtbot, context, [])
    assert not next_enabled(wizard)
    mime = QMimeData()
    mime.setUrls(
        [QUrl.fromLocalFile(str(samples["holds.csv"])), QUrl.fromLocalFile(str(samples["holds.csv"]))]
    )
    drop = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    wizard.files_page.dropEvent(drop)
    assert [item.name for item in wizard.files] == ["holds.csv"]
    assert wizard.files_page.file_table.item(0, 1).text() == "Holds"
    assert next_enabled(wizard)


def test_an_unreadable_file_is_explained_and_blocks_until_removed(qtbot, context, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 40)
    wizard = make_wizard(qtbot, context, [garbage])
    assert wizard.files_page.file_table.item(0, 1).text().startswith("Cannot be read: garbage.csv")
    assert not next_enabled(wizard)
    wizard.files_page.file_table.selectRow(0)
    wizard.files_page.remove_button.click()
    assert wizard.files == [] and wizard.files_page.file_table.rowCount() == 0


def test_a_mapping_fixed_by_hand_is_remembered_for_the_same_header(
    qtbot, context, workspace: Workspace, samples, tmp_path: Path
) -> None:
    def rename(rows: list[list[str]]) -> None:
        rows[0][rows[0].index("Hold Date")] = "When Held"

    path = rewrite_csv(samples["holds.csv"], rename)
    wizard = make_wizard(qtbot, context, [path])
    assert wizard.files_page.file_table.item(0, 1).text() == "Kind not recognised: choose it on the next page"
    wizard.next()
    page = wizard.mapping_page
    assert page.missing_label.text().startswith("Choose the kind of import")
    assert not next_enabled(wizard)
    page.kind_combo.setCurrentIndex(page.kind_combo.findData("holds"))
    page.kind_combo.activated.emit(page.kind_combo.currentIndex())
    assert page.missing_label.isVisible()
    assert page.missing_label.text().startswith("Required but missing: placed at.")
    assert not next_enabled(wizard)
    page.set_column("When Held", "placed_at")
    assert not page.missing_label.isVisible()
    assert next_enabled(wizard)
    wizard.next()  # leaving the page remembers the mapping
    header = wizard.files[0].preview.header
    assert context.settings.store.value(f"ui/import_mappings/{header_key(header)}")

    again = make_wizard(qtbot, context, [path])
    assert again.files[0].kind == "holds" and again.files[0].overrides == {"When Held": "placed_at"}
    assert again.files_page.file_table.item(0, 1).text() == "Holds"
    again.next()
    row = next(r for r in range(again.mapping_page.mapping_table.rowCount())
               if again.mapping_page.mapping_table.item(r, 0).text() == "When Held")  # fmt: skip
    combo = again.mapping_page.mapping_table.cellWidget(row, 1)
    assert isinstance(combo, QComboBox) and combo.currentData() == "placed_at"
    assert next_enabled(again)


def test_the_preview_highlights_a_bad_cell_and_lists_its_issue(
    qtbot, qtmodeltester, context, samples
) -> None:
    def break_check_digit(rows: list[list[str]]) -> None:
        rows[2][0] = rows[2][0][:-1] + str((int(rows[2][0][-1]) + 1) % 10)

    path = rewrite_csv(samples["entries.csv"], break_check_digit)
    wizard = make_wizard(qtbot, context, [path])
    wizard.next()
    model = wizard.mapping_page.preview_model
    qtmodeltester.check(model)
    assert model.rowCount() == 67
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Entry Summary Number"
    bad = model.index(1, 1)  # file row 3, the entry number
    assert model.data(model.index(1, 0)) == "3"
    assert isinstance(model.data(bad, Qt.ItemDataRole.BackgroundRole), QBrush)
    assert model.data(bad, Qt.ItemDataRole.BackgroundRole).color() == ERROR_TINT
    assert isinstance(model.data(bad, Qt.ItemDataRole.DecorationRole), QIcon)
    assert "check digit should be" in model.data(bad, Qt.ItemDataRole.ToolTipRole)
    assert [issue.row for issue in model.data(bad, ISSUES_ROLE)] == [3]
    assert model.data(model.index(0, 1), Qt.ItemDataRole.BackgroundRole) is None
    issues = wizard.mapping_page.issue_list
    assert issues.count() == 1 and issues.item(0).text().startswith(
        "Row 3, entry number: entry number K7X-0004106-8: check digit should be 7"
    )
    assert wizard.mapping_page.issue_label.text() == "First 67 rows: 1 error, 0 warnings"


def test_errors_import_nothing_unless_invalid_rows_are_skipped(
    qtbot, context, workspace: Workspace, samples
) -> None:
    def break_row(rows: list[list[str]]) -> None:
        rows[2][5] = "13/45/2026"  # entry date

    path = rewrite_csv(samples["entries.csv"], break_row)
    wizard = make_wizard(qtbot, context, [path])
    wizard.next()
    wizard.next()
    dry = wizard.dry_run_page
    assert dry.results[0].error_count >= 1
    assert "a file with any error imports nothing" in dry.status_label.text()
    dry.skip_invalid_check.setChecked(True)
    assert "will be left out" in dry.status_label.text()
    wizard.next()
    result = wizard.import_page.results[0]
    assert result.written and result.skipped >= 1
    assert database_stats(workspace)["entry_lines"] == result.rows - result.skipped
    assert result.error_workbook is not None and result.error_workbook.exists()
    assert wizard.import_page.open_folder_button.isVisibleTo(wizard.import_page)
    assert str(result.error_workbook) in wizard.import_page.workbook_label.text()


def test_cancel_rolls_the_import_back(
    qtbot, context, workspace: Workspace, samples, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "BATCH_ROWS", 10)  # progress (and the cancel check) every 10 rows
    monkeypatch.setattr(tasks, "PROGRESS_INTERVAL_S", 0.0)  # every progress report reaches the page
    wizard = make_wizard(qtbot, context, [samples["accounts.csv"], samples["entries.csv"]])
    wizard.next()
    wizard.next()
    page = wizard.import_page
    seen: list[str] = []

    def cancel_in_entries(_done: int, _total: int, message: str) -> None:
        seen.append(message)
        if "entries.csv" in message:
            page.cancel_import()

    page.progressed.connect(cancel_in_entries)
    wizard.next()
    assert any("entries.csv" in message for message in seen)
    assert page.status_label.text().startswith("Import cancelled: nothing from entries.csv was written")
    assert "Imported before it: accounts.csv." in page.status_label.text()
    stats = database_stats(workspace)
    assert (stats["entries"], stats["entry_lines"]) == (0, 0)
    assert stats["accounts"] == 5 and stats["import_batches"] == 1
    assert not page.cancel_button.isVisible()


def test_escape_while_importing_cancels_instead_of_closing(qtbot, context, samples) -> None:
    wizard = make_wizard(qtbot, context, [samples["accounts.csv"]])
    page = wizard.import_page
    page.running = True  # as while the worker runs
    token = validate.CancelToken()
    page._token = token
    wizard.reject()
    assert token.cancelled and wizard.isVisible()
    assert page.status_label.text().startswith("Cancelling")
    page.running = False
    wizard.reject()
    assert not wizard.isVisible()


def test_every_control_has_an_accessible_name(qtbot, context, samples) -> None:
    wizard = make_wizard(qtbot, context, [samples["holds.csv"]])
    wizard.next()
    for page in (wizard.files_page, wizard.mapping_page, wizard.dry_run_page, wizard.import_page):
        controls = [
            *page.findChildren(QAbstractButton),
            *page.findChildren(QComboBox),
            *page.findChildren(QAbstractItemView),
        ]
        for control in controls:
            if control.isVisibleTo(page) and control.focusPolicy() != Qt.FocusPolicy.NoFocus:
                assert control.accessibleName(), (page.title(), control)


def test_the_wizard_works_with_the_threaded_runner(
    qtbot, make_context, threaded_runner, workspace: Workspace, samples
) -> None:
    context = make_context(workspace, threaded_runner)
    wizard = make_wizard(qtbot, context, [samples["accounts.csv"]])
    qtbot.waitUntil(lambda: next_enabled(wizard))
    wizard.next()
    assert wizard.mapping_page.kind_combo.currentData() == "accounts"
    wizard.next()
    qtbot.waitUntil(lambda: next_enabled(wizard))
    assert database_stats(workspace)["accounts"] == 0
    wizard.next()
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.FinishButton).isEnabled(), timeout=10_000)
    assert wizard.import_page.status_label.text() == "Imported 1 file."
    assert database_stats(workspace)["accounts"] == 5


def test_file_import_in_the_main_window_opens_the_wizard(qtbot, make_context, workspace: Workspace) -> None:
    from app.ui.mainwindow import MainWindow

    window = MainWindow(make_context(workspace))
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    action = next(a for a in file_menu.actions() if a.text() == "&Import…")
    assert action.shortcut().toString() == "Ctrl+I"
    action.trigger()
    wizards = window.findChildren(ImportWizard)
    assert len(wizards) == 1 and wizards[0].isVisible()
    wizards[0].reject()


def test_a_remembered_mapping_applies_to_the_same_header_spelled_differently(qtbot, context, samples) -> None:
    def rename(rows: list[list[str]]) -> None:
        rows[0][rows[0].index("Hold Date")] = "When Held"

    path = rewrite_csv(samples["holds.csv"], rename)
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    MappingMemory(context.settings).remember(header, ImportKind.HOLDS, {"When Held": "placed_at"})

    def respell(rows: list[list[str]]) -> None:
        rows[0] = [text.upper().replace(" ", "_") for text in rows[0]]

    rewrite_csv(path, respell)
    wizard = make_wizard(qtbot, context, [path])
    assert wizard.files[0].overrides == {"WHEN_HELD": "placed_at"}
    assert wizard.files[0].ready
