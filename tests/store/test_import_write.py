"""Import writes: upsert counts, all-or-nothing, skip invalid, dry run, re-import, undo (both backends)."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from app.domain.errors import ValidationError
from app.services.importing.batches import list_batches, undo_batch
from app.services.importing.run import FileSpec, dry_run_files, import_file
from app.services.progress import Cancelled, CancelToken
from app.services.workspace import Workspace
from app.store import orm

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
KINDS_IN_ORDER = ("accounts", "entries", "holds", "compliance")
# Bookkeeping that an undo may legitimately move: when a synced row was last written, and the team server's
# change stamp (docs/sync.md).
_VOLATILE = {"updated_at", "sync_seq"}
_NOT_DATA = {"import_batches", "import_changes", "meta", "account_metrics"}
_NOT_DATA |= {"sync_outbox", "sync_state", "sync_deletions", "sync_conflicts", "sync_scope", "sync_pins"}
# The audit trail is history, not data: an undo adds its removals to it rather than erasing the import's rows
# (test_undo_is_recorded_in_the_audit_trail).
_NOT_DATA |= {"audit_log"}


@pytest.fixture
def samples(tmp_path: Path) -> Path:
    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder)
    return folder


def snapshot(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every data table's rows (all columns but `updated_at`), sorted: equal snapshots mean equal data."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    with ws.database.session() as session:
        for name, table in orm.Base.metadata.tables.items():
            if name in _NOT_DATA:
                continue
            columns = [column for column in table.c if column.name not in _VOLATILE]
            rows = session.execute(select(*columns)).all()
            found[name] = sorted((tuple(row) for row in rows), key=repr)
    return found


def rows_of(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def rewrite(path: Path, change: Callable[[list[str], list[list[str]]], list[list[str]]]) -> Path:
    header, rows = rows_of(path)
    rows = change(header, rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def import_samples(ws: Workspace, folder: Path) -> None:
    for kind in KINDS_IN_ORDER:
        result = import_file(ws, folder / f"{kind}.csv", error_workbook=False)
        assert result.ok, result.errors


def scalar(ws: Workspace, sql: str, **params: Any) -> Any:
    with ws.database.session() as session:
        return session.execute(text(sql), params).scalar()


def test_the_samples_import_with_counts_and_stored_values(workspace: Workspace, samples: Path) -> None:
    entries = import_file(workspace, samples / "entries.csv", error_workbook=False)
    assert (entries.rows, entries.inserted, entries.updated, entries.unchanged) == (67, 67, 0, 0)
    assert entries.accounts_created == 5 and entries.written and entries.batch_id
    created = scalar(workspace, "SELECT count(*) FROM accounts WHERE created_by_import")
    assert created == 5
    # Each line's amounts are its row's; each entry's are the sums of its lines.
    assert scalar(
        workspace, "SELECT entered_value_cents FROM entries WHERE entry_number = 'K7X00041067'"
    ) == (16715403 + 19332360 + 19830305)
    line2 = "SELECT duty_cents FROM entry_lines WHERE entry_number = 'K7X00041067' AND line_number = 2"
    assert scalar(workspace, line2) == 483309
    holds = import_file(workspace, samples / "holds.csv", error_workbook=False)
    assert holds.inserted == 8 and holds.ok
    released = "SELECT outcome FROM holds WHERE entry_number = 'K7X00047338' AND category = 'NII'"
    assert scalar(workspace, released) == "RELEASED"
    accounts = import_file(workspace, samples / "accounts.csv", error_workbook=False)
    assert (accounts.inserted, accounts.updated) == (0, 5)  # the entries import created them
    assert scalar(workspace, "SELECT count(*) FROM accounts WHERE created_by_import") == 0
    assert (
        scalar(workspace, "SELECT name FROM accounts WHERE center_code = 'BM'")
        == "Sierra Steel Trading Corp."
    )
    tier = "SELECT tier FROM partnership_statuses WHERE program = 'CTPAT_SECURITY' AND state = 'VALIDATED'"
    assert scalar(workspace, tier + " ORDER BY tier DESC") == "TIER3"
    compliance = import_file(workspace, samples / "compliance.csv", error_workbook=False)
    assert compliance.inserted == 5
    penalty = "SELECT amount_cents FROM compliance_events WHERE reference = 'PEN-2025-3301'"
    assert scalar(workspace, penalty) == -480000


def test_importing_the_same_files_again_changes_nothing(workspace: Workspace, samples: Path) -> None:
    import_samples(workspace, samples)
    before = snapshot(workspace)
    batches = len(list_batches(workspace))
    for kind in KINDS_IN_ORDER:
        again = import_file(workspace, samples / f"{kind}.csv", error_workbook=False)
        assert (again.inserted, again.updated, again.accounts_created) == (0, 0, 0)
        assert again.unchanged == again.rows and again.batch_id is None and not again.written
    assert snapshot(workspace) == before
    assert len(list_batches(workspace)) == batches  # nothing changed: no batch recorded


def test_one_bad_row_rejects_the_whole_file_and_names_row_and_column(
    workspace: Workspace, samples: Path
) -> None:
    def break_row_5(header: list[str], rows: list[list[str]]) -> list[list[str]]:
        rows[3][header.index("Entry Summary Number")] = "K7X-0004106-8"  # wrong check digit
        return rows

    path = rewrite(samples / "entries.csv", break_row_5)
    before = snapshot(workspace)
    result = import_file(workspace, path)
    assert not result.ok and not result.written and result.batch_id is None
    assert (result.inserted, result.updated, result.skipped) == (0, 0, 0)
    error = result.errors[0]
    assert (error.row, error.column) == (5, "entry_number")
    assert "check digit should be 7" in error.message
    assert snapshot(workspace) == before
    assert list_batches(workspace) == []
    assert result.error_workbook == samples / "entries-errors.xlsx" and result.error_workbook.exists()


def test_skip_invalid_writes_the_good_rows_and_counts_the_rest(workspace: Workspace, samples: Path) -> None:
    def break_two(header: list[str], rows: list[list[str]]) -> list[list[str]]:
        rows[0][header.index("Entry Date")] = "13/45/2026"
        rows[10][header.index("HTS Number")] = "8471.30"
        return rows

    path = rewrite(samples / "entries.csv", break_two)
    result = import_file(workspace, path, skip_invalid=True, error_workbook=False)
    assert result.written and result.error_count == 2
    assert (result.inserted, result.skipped) == (65, 2)
    assert [issue.row for issue in result.errors] == [2, 12]
    assert scalar(workspace, "SELECT count(*) FROM line_tariffs") == 65
    batch = list_batches(workspace)[0]
    assert (batch.inserted, batch.skipped, batch.rows) == (65, 2, 67)


def test_a_dry_run_counts_exactly_what_the_import_would_do_and_writes_nothing(
    workspace: Workspace, samples: Path
) -> None:
    before = snapshot(workspace)
    dry = import_file(workspace, samples / "entries.csv", dry_run=True, error_workbook=False)
    assert dry.dry_run and not dry.written and dry.batch_id is None
    assert (dry.inserted, dry.accounts_created) == (67, 5)
    assert snapshot(workspace) == before and list_batches(workspace) == []
    real = import_file(workspace, samples / "entries.csv", error_workbook=False)
    assert (real.inserted, real.updated, real.unchanged, real.accounts_created) == (67, 0, 0, 5)


def test_an_update_changes_only_what_the_file_gives_and_undo_restores_it_exactly(
    workspace: Workspace, samples: Path
) -> None:
    import_samples(workspace, samples)
    before = snapshot(workspace)

    def change(header: list[str], rows: list[list[str]]) -> list[list[str]]:
        rows[0][header.index("Line Goods Value Amount")] = "$1.00"  # an update of a tariff row's value
        for row in rows[:3]:  # an entry-level change, on every row of the entry
            row[header.index("Port of Entry Code")] = "1001"
        rows[2][header.index("Release Date")] = ""  # blank: not given, keeps the stored date
        extra = list(rows[2])
        extra[header.index("HTS Number")] = "9903.88.0300"  # a second tariff on line 3
        extra[header.index("Line Goods Value Amount")] = "0"
        extra[header.index("Line Duty Amount")] = "100.00"
        return [*rows, extra]

    path = rewrite(samples / "entries.csv", change)
    result = import_file(workspace, path, error_workbook=False)
    assert result.ok, result.errors
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 66)  # the first row moved the port
    entry = "SELECT {} FROM entries WHERE entry_number = 'K7X00041067'"
    assert scalar(workspace, entry.format("port_of_entry")) == "1001"
    assert scalar(workspace, entry.format("release_date")) is not None
    assert scalar(workspace, entry.format("entered_value_cents")) == 100 + 19332360 + 19830305
    line3 = "SELECT duty_cents FROM entry_lines WHERE entry_number = 'K7X00041067' AND line_number = 3"
    assert scalar(workspace, line3) == 773382 + 10000
    assert snapshot(workspace) != before
    undone = undo_batch(workspace, result.batch_id or "")
    assert (undone.removed, undone.restored) == (1, 2)  # the tariff; the entry's port and a tariff's value
    assert snapshot(workspace) == before
    assert list_batches(workspace)[0].undone


def test_undo_of_everything_in_reverse_order_leaves_an_empty_portfolio(
    workspace: Workspace, samples: Path
) -> None:
    empty = snapshot(workspace)
    import_samples(workspace, samples)
    batches = list_batches(workspace)  # newest first
    with pytest.raises(ValidationError, match=r"undo batch .* first"):
        undo_batch(workspace, batches[-1].id)  # accounts: later batches touched the same accounts
    for batch in batches:
        undo_batch(workspace, batch.id)
    assert snapshot(workspace) == empty
    with pytest.raises(ValidationError, match="already undone"):
        undo_batch(workspace, batches[0].id)


def test_undo_is_recorded_in_the_audit_trail(workspace: Workspace, samples: Path) -> None:
    import_samples(workspace, samples)
    with workspace.database.session() as session:
        added = session.scalar(
            select(func.count()).select_from(orm.AuditRow).where(orm.AuditRow.action == "insert")
        )
    for batch in list_batches(workspace):
        undo_batch(workspace, batch.id)
    with workspace.database.session() as session:
        removed = session.scalar(
            select(func.count()).select_from(orm.AuditRow).where(orm.AuditRow.action == "delete")
        )
    assert added and removed == added  # every record the import added, and its removal by the undo


def test_undo_is_refused_after_an_edit_of_an_imported_record(workspace: Workspace, samples: Path) -> None:
    import_samples(workspace, samples)
    with workspace.database.session() as session:
        session.execute(
            text("UPDATE compliance_events SET version = version + 1, outcome = 'edited by the AE'")
        )
    compliance = list_batches(workspace)[0]
    with pytest.raises(ValidationError, match="edited since"):
        undo_batch(workspace, compliance.id)


def test_release_before_placement_and_unknown_entries_reject_holds(
    workspace: Workspace, samples: Path
) -> None:
    import_file(workspace, samples / "entries.csv", error_workbook=False)

    def spoil(header: list[str], rows: list[list[str]]) -> list[list[str]]:
        rows[0][header.index("Release Date")] = "11/01/2026 08:00"  # before the 11/03 placement
        rows[1][header.index("Entry Number")] = "K7X-0009999-1"
        return rows

    path = rewrite(samples / "holds.csv", spoil)
    result = import_file(workspace, path, error_workbook=False)
    assert not result.written
    problems = {(issue.row, issue.column) for issue in result.errors}
    assert problems == {(2, "released_at"), (3, "entry_number")}
    assert scalar(workspace, "SELECT count(*) FROM holds") == 0


def test_formula_like_text_is_stored_exactly(workspace: Workspace, samples: Path) -> None:
    def hostile(header: list[str], rows: list[list[str]]) -> list[list[str]]:
        rows[0][header.index("Account Name")] = '=HYPERLINK("http://x","y")'
        return rows

    result = import_file(workspace, rewrite(samples / "accounts.csv", hostile), error_workbook=False)
    assert result.ok
    assert (
        scalar(workspace, "SELECT count(*) FROM accounts WHERE name = :n", n='=HYPERLINK("http://x","y")')
        == 1
    )


def test_a_roster_row_naming_two_accounts_is_an_error(workspace: Workspace, samples: Path) -> None:
    import_file(workspace, samples / "accounts.csv", error_workbook=False)

    def merge(header: list[str], rows: list[list[str]]) -> list[list[str]]:
        column = header.index("IOR Number")
        rows[0][column] = f"{rows[0][column]};{rows[1][column]}"
        return rows

    result = import_file(workspace, rewrite(samples / "accounts.csv", merge), error_workbook=False)
    assert not result.written
    assert result.errors[0].row == 2 and "different accounts" in result.errors[0].message


def test_a_cancelled_import_writes_nothing(workspace: Workspace, samples: Path) -> None:
    token = CancelToken()

    def cancel_on_progress(_done: int, _total: int, _message: str) -> None:
        token.cancel()

    before = snapshot(workspace)
    with pytest.raises(Cancelled):
        import_file(workspace, samples / "entries.csv", progress=cancel_on_progress, cancel=token)
    assert snapshot(workspace) == before and list_batches(workspace) == []


def test_a_dry_run_of_several_files_sees_the_earlier_files_rows(workspace: Workspace, samples: Path) -> None:
    alone = import_file(workspace, samples / "holds.csv", dry_run=True, error_workbook=False)
    assert alone.error_count == 8  # no entry is in the database yet
    before = snapshot(workspace)
    specs = [FileSpec(samples / f"{kind}.csv") for kind in ("accounts", "entries", "holds", "compliance")]
    results = dry_run_files(workspace, specs)
    assert [(r.kind.value, r.inserted, r.error_count) for r in results] == [
        ("accounts", 5, 0),
        ("entries", 67, 0),
        ("holds", 8, 0),
        ("compliance", 5, 0),
    ]
    assert all(r.dry_run and not r.written and r.batch_id is None for r in results)
    assert snapshot(workspace) == before and list_batches(workspace) == []


def test_rows_of_one_entry_that_disagree_are_imported_with_a_warning(
    workspace: Workspace, samples: Path
) -> None:
    def second_row_elsewhere(header: list[str], rows: list[list[str]]) -> list[list[str]]:
        rows[1][header.index("Port of Entry Code")] = "1001"  # rows 2-4 are entry K7X-0004106-7
        return rows

    path = rewrite(samples / "entries.csv", second_row_elsewhere)
    result = import_file(workspace, path, error_workbook=False)
    assert result.ok and result.inserted == 67
    assert [(w.row, w.column) for w in result.warnings] == [(3, "port_of_entry"), (4, "port_of_entry")]
    assert "1001 here but 2704 on row 2" in result.warnings[0].message
    assert "2704 here but 1001 on row 3" in result.warnings[1].message  # the last row's value is kept
    assert scalar(workspace, "SELECT port_of_entry FROM entries WHERE entry_number = 'K7X00041067'") == "2704"
