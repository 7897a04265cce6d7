"""The Reports screen: what the form offers per report, creating a report (a fake writer makes a small real
PDF), the preview, Cancel, the Portfolio's selection, and Account › Print summary."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.domain.errors import ValidationError
from app.reports.atomic import atomic_output
from app.services import reports as report_service
from app.services.accounts import list_portfolio
from app.services.search import search
from app.services.workspace import Workspace
from app.ui.dialogs.pdf_preview import PdfPreviewDialog
from app.ui.mainwindow import MainWindow
from app.ui.views.reports import FOLDER_KEY, ReportsView
from app.ui.views.reports_form import ONE, SELECTION, WHOLE, file_name
from tests.ui.test_pdf_preview import make_pdf, page_count

pytestmark = pytest.mark.gui

ACCOUNT = "Société Lumière SA"


class FakeWriter:
    """Stands in for write_report: records the requests and writes small real PDFs the way the real one
    does (through atomic_output), one per account for one file per account."""

    def __init__(self, pages: int = 2, before_write: Callable[..., None] | None = None) -> None:
        self.pages = pages
        self.before_write = before_write
        self.requests: list[Any] = []

    def __call__(self, ws, request, out: Path, *, progress, cancel=None) -> list[Path]:
        self.requests.append(request)
        if request.one_file_per_account:
            out.mkdir(exist_ok=True)
            targets = [out / f"Account {n + 1} summary.pdf" for n in range(len(request.account_ids))]
        else:
            targets = [out]
        for done, target in enumerate(targets):
            progress(done, len(targets), f"Writing {target.name}")
            if request.fmt == "pdf":
                with atomic_output(target) as temp:
                    make_pdf(temp, self.pages)
                    if self.before_write is not None:  # the temporary file exists: the target not yet
                        self.before_write(progress, cancel)
            else:
                target.write_bytes(b"PK\x03\x04")  # the workbook writer's business, not this screen's
        return targets


@pytest.fixture
def fake_writer(monkeypatch) -> FakeWriter:
    writer = FakeWriter()
    monkeypatch.setattr(report_service, "write_report", writer)
    return writer


@pytest.fixture
def view(qtbot, make_context, demo_workspace: Workspace) -> ReportsView:
    screen = ReportsView(make_context(demo_workspace))
    qtbot.addWidget(screen)
    with qtbot.waitSignal(screen.loaded):
        screen.reload()
    return screen


def choose_account(view: ReportsView, name: str = ACCOUNT) -> uuid.UUID:
    form = view.form
    form.account_combo.setEditText(name)
    form.set_scope(ONE)
    chosen = form.chosen_account()
    assert chosen is not None
    return chosen[0]


def answer_save_dialog(monkeypatch, view: ReportsView, out: Path | None) -> list[Any]:
    asked: list[Any] = []

    def ask(request: Any) -> Path | None:
        asked.append(request)
        return out

    monkeypatch.setattr(view, "ask_output", ask)
    return asked


def some_account_ids(workspace: Workspace, count: int) -> list[uuid.UUID]:
    return [row.account_id for row in list_portfolio(workspace)[:count]]


# --- the form -------------------------------------------------------------------------------------------


def test_the_picker_lists_every_account_and_completes_on_any_part_of_the_name(
    view: ReportsView, demo_workspace: Workspace
) -> None:
    combo = view.form.account_combo
    names = [row.name for row in list_portfolio(demo_workspace)]
    assert [combo.itemText(i) for i in range(combo.count())] == names
    completer = combo.completer()
    completer.setCompletionPrefix("lumière")
    assert completer.currentCompletion() == ACCOUNT
    assert view.summary() == "4 reports"


def test_the_account_summary_is_a_pdf_for_one_account_or_the_selection(view: ReportsView) -> None:
    form = view.form
    form.set_kind("account")
    assert [form.format_combo.itemText(i) for i in range(form.format_combo.count())] == ["PDF"]
    assert form.one_radio.isEnabled() and form.account_combo.isEnabled()
    assert not form.whole_radio.isEnabled()
    assert not form.selection_radio.isEnabled()  # nothing selected in the Portfolio yet
    assert not form.min_age_spin.isEnabled()
    assert not form.per_account_check.isEnabled()  # only for a selection
    assert form.scope() == ONE


@pytest.mark.parametrize(
    ("kind", "scope", "min_age"),
    [("portfolio", WHOLE, False), ("holds", WHOLE, True), ("compliance", ONE, False)],
)
def test_each_report_offers_only_its_scopes_and_both_formats(
    view: ReportsView, kind: str, scope: str, min_age: bool
) -> None:
    form = view.form
    form.set_kind(kind)
    assert form.scope() == scope
    assert [form.format_combo.itemData(i) for i in range(form.format_combo.count())] == ["pdf", "xlsx"]
    assert form.whole_radio.isEnabled() == (scope == WHOLE)
    assert form.one_radio.isEnabled() == (scope == ONE)
    assert not form.selection_radio.isEnabled()
    assert form.min_age_spin.isEnabled() == min_age


def test_the_format_chosen_is_kept_when_the_next_report_also_offers_it(view: ReportsView) -> None:
    form = view.form
    form.set_kind("portfolio")
    form.format_combo.setCurrentIndex(1)
    form.set_kind("holds")
    assert form.format_combo.currentData() == "xlsx"


def test_the_request_carries_the_form(view: ReportsView) -> None:
    form = view.form
    form.set_kind("holds")
    form.format_combo.setCurrentIndex(1)
    form.min_age_spin.setValue(5)
    form.marking_edit.setText("CUI // LES // SP-EXPT")
    request = form.request()
    assert request == report_service.ReportRequest(
        kind="holds", fmt="xlsx", min_age_days=5, marking="CUI // LES // SP-EXPT"
    )
    form.min_age_spin.setValue(0)  # "Any age"
    assert form.request().min_age_days is None


def test_the_request_needs_an_account_and_a_marking(view: ReportsView) -> None:
    form = view.form
    form.set_kind("compliance")
    form.account_combo.setEditText("No such importer")
    with pytest.raises(ValidationError, match="Choose an account"):
        form.request()
    account_id = choose_account(view)
    assert form.request().account_ids == (account_id,)
    form.marking_edit.setText("  ")
    with pytest.raises(ValidationError, match="marking"):
        form.request()


def test_file_names_are_safe_and_named_after_the_report(view: ReportsView) -> None:
    assert file_name('A/B: "C"?', "pdf") == "A_B_ _C_.pdf"
    form = view.form
    choose_account(view)
    assert form.default_file_name(form.request()) == f"{ACCOUNT} summary.pdf"
    form.set_kind("compliance")
    assert form.default_file_name(form.request()) == f"{ACCOUNT} compliance history.pdf"
    form.set_kind("portfolio")
    assert form.default_file_name(form.request()).startswith("Portfolio 20")


# --- the selection --------------------------------------------------------------------------------------


def test_the_selection_switches_the_account_summary_to_it(view: ReportsView, demo_workspace) -> None:
    ids = some_account_ids(demo_workspace, 3)
    view.apply_filter({"account_ids": [str(account_id) for account_id in ids]})
    form = view.form
    assert form.current_kind().key == "account"
    assert form.scope() == SELECTION
    assert form.selection() == tuple(ids)
    assert form.selection_radio.text() == "Se&lected in the Portfolio (3 accounts)"
    assert form.per_account_check.isEnabled()
    form.per_account_check.setChecked(True)
    request = form.request()
    assert request.account_ids == tuple(ids) and request.one_file_per_account
    view.set_selection([])
    assert form.scope() == ONE and not form.selection_radio.isEnabled()


def test_apply_filter_picks_one_account(view: ReportsView, demo_workspace) -> None:
    account_id = search(demo_workspace, ACCOUNT)[0].account_id
    view.apply_filter({"account_id": account_id, "kind": "compliance"})
    assert view.form.current_kind().key == "compliance"
    assert view.form.request().account_ids == (account_id,)


# --- creating -------------------------------------------------------------------------------------------


def test_create_writes_the_file_and_opens_it_in_the_preview(
    view: ReportsView, fake_writer: FakeWriter, monkeypatch, tmp_path: Path
) -> None:
    account_id = choose_account(view)
    out = tmp_path / "summary.pdf"
    asked = answer_save_dialog(monkeypatch, view, out)
    view.create_button.click()
    assert asked and fake_writer.requests == [
        report_service.ReportRequest(kind="account", fmt="pdf", account_ids=(account_id,))
    ]
    assert page_count(out) == 2
    assert view.written == [out]
    assert isinstance(view.preview, PdfPreviewDialog) and view.preview.isVisible()
    assert view.preview.page_count() == 2 and view.preview.path == out
    assert view.status_label.text() == f"Saved {out}"
    assert view.context.settings.store.value(FOLDER_KEY) == str(tmp_path)
    assert view.last_folder() == tmp_path
    assert not view.progress_bar.isVisible() and view.create_button.isEnabled()
    view.preview.close()


def test_a_workbook_is_written_but_not_previewed(
    view: ReportsView, fake_writer: FakeWriter, monkeypatch, tmp_path: Path
) -> None:
    view.form.set_kind("portfolio")
    view.form.format_combo.setCurrentIndex(1)
    out = tmp_path / "portfolio.xlsx"
    answer_save_dialog(monkeypatch, view, out)
    view.create_report()
    assert out.exists() and fake_writer.requests[0].fmt == "xlsx"
    assert view.preview is None


def test_one_file_per_account_goes_to_a_folder_without_a_preview_flood(
    view: ReportsView, fake_writer: FakeWriter, demo_workspace, monkeypatch, tmp_path: Path
) -> None:
    view.set_selection(some_account_ids(demo_workspace, 3))
    view.form.per_account_check.setChecked(True)
    folder = tmp_path / "summaries"
    answer_save_dialog(monkeypatch, view, folder)
    view.create_report()
    assert sorted(path.name for path in folder.iterdir()) == [f"Account {n} summary.pdf" for n in (1, 2, 3)]
    assert view.status_label.text() == f"Saved 3 files in {folder}"
    assert view.preview is None
    assert view.context.settings.store.value(FOLDER_KEY) == str(folder)


def test_cancelling_the_save_dialog_writes_nothing(
    view: ReportsView, fake_writer: FakeWriter, monkeypatch
) -> None:
    choose_account(view)
    answer_save_dialog(monkeypatch, view, None)
    view.create_report()
    assert fake_writer.requests == []


def test_an_incomplete_form_says_what_is_missing_before_asking_where(
    view: ReportsView, fake_writer: FakeWriter, monkeypatch
) -> None:
    view.form.account_combo.setEditText("")
    asked = answer_save_dialog(monkeypatch, view, None)
    view.create_report()
    assert asked == [] and fake_writer.requests == []
    assert view.message_bar.text() == "Choose an account from the list."


def test_a_writer_error_shows_in_the_message_bar(view: ReportsView, monkeypatch, tmp_path: Path) -> None:
    def failing(*_args: Any, **_kwargs: Any) -> list[Path]:
        raise ValidationError("the account summary is written as PDF only (.pdf)", field="fmt")

    monkeypatch.setattr(report_service, "write_report", failing)
    choose_account(view)
    answer_save_dialog(monkeypatch, view, tmp_path / "x.pdf")
    view.create_report()
    assert view.message_bar.text() == "the account summary is written as PDF only (.pdf)"
    assert view.preview is None and view.create_button.isEnabled()


def test_cancel_stops_the_report_and_leaves_no_file(
    qtbot, make_context, demo_workspace, threaded_runner, monkeypatch, tmp_path: Path
) -> None:
    started = threading.Event()

    def wait_for_cancel(progress, cancel) -> None:
        started.set()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cancel.raise_if_cancelled()
            time.sleep(0.01)
        raise AssertionError("never cancelled")

    monkeypatch.setattr(report_service, "write_report", FakeWriter(before_write=wait_for_cancel))
    view = ReportsView(make_context(demo_workspace, threaded_runner))
    qtbot.addWidget(view)
    view.show()
    with qtbot.waitSignal(view.loaded):
        view.reload()
    choose_account(view)
    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "cancelled.pdf"
    answer_save_dialog(monkeypatch, view, out)
    view.create_report()
    qtbot.waitUntil(started.is_set)
    assert len(list(out.parent.iterdir())) == 1  # the writer's temporary file, so far
    assert view.cancel_button.isVisible() and view.progress_bar.isVisible()
    assert not view.create_button.isEnabled()
    view.cancel_button.click()
    qtbot.waitUntil(lambda: view.task is None)
    assert view.status_label.text() == "Cancelled: no report was written."
    assert list(out.parent.iterdir()) == []  # neither the report nor its temporary file
    assert not view.cancel_button.isVisible() and view.create_button.isEnabled()
    assert view.message_bar.isHidden()


# --- from the main window -------------------------------------------------------------------------------


@pytest.fixture
def window(qtbot, make_context, demo_workspace) -> MainWindow:
    main = MainWindow(make_context(demo_workspace))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def test_the_portfolio_reports_on_its_selected_accounts(window: MainWindow) -> None:
    portfolio = window.show_screen("portfolio")
    table = portfolio.table  # type: ignore[attr-defined]
    table.selectRow(0)
    table.selectionModel().select(
        table.model().index(2, 0),
        table.selectionModel().SelectionFlag.Select | table.selectionModel().SelectionFlag.Rows,
    )
    wanted = portfolio.selected_account_ids()  # type: ignore[attr-defined]
    assert len(wanted) == 2
    portfolio.report_action.trigger()  # type: ignore[attr-defined]
    reports = window.current_screen()
    assert isinstance(reports, ReportsView)
    assert reports.form.selection() == tuple(wanted)
    assert reports.form.scope() == SELECTION


def test_ctrl_p_on_an_account_previews_its_summary_from_a_temporary_file(
    qtbot, window: MainWindow, fake_writer: FakeWriter, demo_workspace
) -> None:
    account_id = search(demo_workspace, ACCOUNT)[0].account_id
    view = window.open_account(account_id)
    print_action = next(action for action in window.account_actions if "summary" in action.text())
    assert print_action.shortcut().toString() == "Ctrl+P"
    print_action.trigger()
    assert fake_writer.requests[0].account_ids == (account_id,)
    assert fake_writer.requests[0].kind == "account"
    [preview] = view.findChildren(PdfPreviewDialog)
    assert preview.isVisible() and preview.temporary and preview.page_count() == 2
    assert preview.path.name == f"{ACCOUNT} summary.pdf"
    path = preview.path
    preview.close_button.click()
    assert not path.exists() and not path.parent.exists()


# --- with the real writers ------------------------------------------------------------------------------


def test_the_real_report_on_the_small_demo_opens_in_the_preview(
    view: ReportsView, monkeypatch, tmp_path: Path
) -> None:
    choose_account(view)
    out = tmp_path / "real summary.pdf"
    answer_save_dialog(monkeypatch, view, out)
    view.create_report()
    assert view.message_bar.isHidden(), view.message_bar.text()
    assert view.preview is not None and view.preview.page_count() >= 1
    assert view.preview.page_count() == page_count(out)
    view.preview.close()


def test_a_scope_is_always_chosen(qtbot, make_context, demo_workspace) -> None:
    from app.ui.views.reports import ReportsView

    view = ReportsView(make_context(demo_workspace))
    qtbot.addWidget(view)
    form = view.form
    for index in range(form.kind_combo.count()):
        form.kind_combo.setCurrentIndex(index)
        assert sum(radio.isChecked() for radio in form._radios().values()) == 1, form.kind_combo.currentText()
