"""Checking a whole import file against the row rules, the other rows and the database (the dry run)."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest

from app.domain.enums import CenterCode, ImportKind
from app.domain.errors import ValidationError
from app.domain.import_rows import Issue
from app.services.importing import validate
from app.services.importing.reference import load_reference
from app.services.importing.validate import validate_file
from app.services.progress import Cancelled, CancelToken
from app.services.workspace import Workspace
from tests.store import factories as f
from tests.unit.import_reference import csv_reference

HOLD_HEADER = ["Entry Number", "Hold Type", "Disp Code", "Agency", "Port", "Hold Date", "Release Date"]
COMPLIANCE_HEADER = ["IOR", "Event Type", "Case Number", "Date", "Amount"]
ENTRY_HEADER = [
    "Entry Summary Number",
    "Entry Type",
    "Importer Number",
    "Importer Name",
    "Port Code",
    "Entry Date",
    "Line Number",
    "HTS Number",
    "Country of Origin",
    "Line Entered Value",
    "Line Duty Amount",
]
KNOWN_IOR = "12-345678900"
NEW_IOR = "98-765432100"


def write_csv(folder: Path, name: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> Path:
    path = folder / name
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def add_known_entry(ws: Workspace) -> str:
    """An account holding KNOWN_IOR with one entry; returns the entry's canonical number (ABC12345676)."""
    with ws.database.session() as session:
        account: uuid.UUID = f.add_account(session, "Acme Electronics", [KNOWN_IOR])
        return f.add_entry(session, account, 1234567, date(2026, 3, 2))


def hold(entry: str, placed: str = "03/05/2026 08:30", category: str = "FDA hold") -> list[str]:
    return [entry, category, "3H", "FDA", "2704", placed, ""]


def entry_line(ior: str, line: str, *, name: str = "Acme") -> list[str]:
    return [
        "ABC-7654321-6",
        "01",
        ior,
        name,
        "2704",
        "03/02/2026",
        line,
        "8542.31.0000",
        "CN",
        "$1,000",
        "25",
    ]


def test_load_reference_reads_the_reference_tables(workspace: Workspace) -> None:
    reference = load_reference(workspace)
    assert set(reference.center_spellings.values()) == set(CenterCode)
    assert len(set(CenterCode)) == 10
    assert reference.center_spellings["Electronics"] is CenterCode.ELEC
    assert "2704" in reference.ports
    # The tables were loaded from the bundled CSVs: reading them back gives the same reference data.
    assert reference == csv_reference()


def test_a_valid_holds_file_has_no_errors_and_its_kind_is_recognised(
    workspace: Workspace, tmp_path: Path
) -> None:
    entry = add_known_entry(workspace)
    path = write_csv(tmp_path, "holds.csv", HOLD_HEADER, [hold(entry), hold(entry, "03/06/2026 09:00")])
    check = validate_file(workspace, path)
    assert (check.file, check.kind) == ("holds.csv", ImportKind.HOLDS)
    assert (check.rows, check.valid_rows) == (2, 2)
    assert check.errors == [] and check.error_count == 0 and check.ok
    assert check.warnings == []


def test_a_hold_for_an_entry_not_in_the_database_is_one_error_on_its_cell(
    workspace: Workspace, tmp_path: Path
) -> None:
    entry = add_known_entry(workspace)
    rows = [hold(entry), hold("ABC-7654321-6")]
    check = validate_file(workspace, write_csv(tmp_path, "holds.csv", HOLD_HEADER, rows), kind="holds")
    assert check.errors == [
        Issue(
            3,
            "entry_number",
            "entry ABC-7654321-6 is not in the database: import its entry summary first",
            "error",
        )
    ]
    assert (check.rows, check.valid_rows, check.error_count) == (2, 1, 1)
    assert not check.ok


def test_a_repeated_key_is_an_error_naming_the_first_row(workspace: Workspace, tmp_path: Path) -> None:
    entry = add_known_entry(workspace)
    # Row 4 repeats row 2's key spelled differently (category code instead of label, other date format).
    rows = [hold(entry), hold(entry, "03/06/2026 09:00"), hold(entry, "2026-03-05 08:30", "PGA_FDA")]
    check = validate_file(workspace, write_csv(tmp_path, "holds.csv", HOLD_HEADER, rows))
    assert check.errors == [Issue(4, "entry_number", "same key as row 2", "error")]
    assert check.valid_rows == 2


def test_duplicates_and_issue_order_hold_across_lookup_batches(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "BATCH_ROWS", 2)
    entry = add_known_entry(workspace)
    rows = [
        hold("ABC-7654321-6"),  # row 2: not in the database
        hold(entry, "03/05/2026 10:00", "bogus"),  # row 3: unknown hold type
        hold(entry),  # row 4
        hold("ABC-7654321-6"),  # row 5: a duplicate of row 2 (checked before the database)
        hold(entry, "2026-03-05 08:30", "PGA_FDA"),  # row 6: a duplicate of row 4, in the next batch
    ]
    check = validate_file(workspace, write_csv(tmp_path, "holds.csv", HOLD_HEADER, rows))
    assert [(issue.row, issue.column) for issue in check.errors] == [
        (2, "entry_number"),
        (3, "hold_category"),
        (5, "entry_number"),
        (6, "entry_number"),
    ]
    assert check.errors[2].message == "same key as row 2"
    assert check.errors[3].message == "same key as row 4"
    assert (check.rows, check.valid_rows) == (5, 1)


def test_compliance_for_an_importer_without_an_account_is_an_error(
    workspace: Workspace, tmp_path: Path
) -> None:
    add_known_entry(workspace)
    rows = [
        [KNOWN_IOR, "CF-28", "RFI-1", "2026-03-01", ""],
        [NEW_IOR, "CF-28", "RFI-2", "2026-03-01", ""],
        ["123-45-6789", "Penalty", "PEN-1", "2026-03-01", "$1,000"],
    ]
    check = validate_file(workspace, write_csv(tmp_path, "events.csv", COMPLIANCE_HEADER, rows))
    assert check.kind is ImportKind.COMPLIANCE
    assert [(issue.row, issue.column) for issue in check.errors] == [
        (3, "importer_number"),
        (4, "importer_number"),
    ]
    assert check.errors[0].message == (
        "importer number 98-765432100 does not belong to an account: import the accounts roster first"
    )
    assert "***-**-6789" in check.errors[1].message  # SSN-based numbers stay masked in messages
    assert "123-45" not in check.errors[1].message
    assert check.valid_rows == 1


def test_a_tombstoned_account_does_not_count_as_an_account(workspace: Workspace, tmp_path: Path) -> None:
    with workspace.database.session() as session:
        gone = f.add_account(session, "Gone", deleted=True)
        f.add_importer_number(session, gone, KNOWN_IOR)
    rows = [[KNOWN_IOR, "CF-28", "RFI-1", "2026-03-01", ""]]
    check = validate_file(workspace, write_csv(tmp_path, "events.csv", COMPLIANCE_HEADER, rows))
    assert [issue.row for issue in check.errors] == [2]


def test_entries_with_a_new_importer_count_an_account_to_create(workspace: Workspace, tmp_path: Path) -> None:
    add_known_entry(workspace)
    rows = [
        entry_line(KNOWN_IOR, "1"),
        entry_line(NEW_IOR, "2", name="Newco"),
        entry_line(NEW_IOR.replace("-", ""), "3", name="Newco"),  # the same number, spelled differently
    ]
    check = validate_file(workspace, write_csv(tmp_path, "es003.csv", ENTRY_HEADER, rows))
    assert check.kind is ImportKind.ENTRIES
    assert check.errors == []
    assert (check.rows, check.valid_rows, check.accounts_to_create) == (3, 3, 1)


def test_accounts_sharing_an_importer_number_name_the_first_row(workspace: Workspace, tmp_path: Path) -> None:
    header = ["Account Name", "IOR", "Center"]
    rows = [
        ["Acme", KNOWN_IOR, "ELEC"],
        ["Other", NEW_IOR, "ELEC"],
        ["Acme again", f"{NEW_IOR}; 11-111111100", ""],
    ]
    check = validate_file(workspace, write_csv(tmp_path, "roster.csv", header, rows))
    assert check.kind is ImportKind.ACCOUNTS
    assert check.errors == [
        Issue(4, "importer_number", "importer number 98-765432100 is also on row 3", "error")
    ]
    assert check.valid_rows == 2


def test_a_header_that_fits_no_kind_is_a_validation_error(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "mystery.csv", ["Colour", "Size"], [["red", "L"]])
    with pytest.raises(ValidationError, match=r"mystery\.csv: the columns do not match any kind of import"):
        validate_file(workspace, path)
    with pytest.raises(ValidationError, match="unknown kind of import 'shipments'"):
        validate_file(workspace, path, kind="shipments")


def test_header_problems_are_row_zero_issues(workspace: Workspace, tmp_path: Path) -> None:
    entry = add_known_entry(workspace)
    extra = write_csv(tmp_path, "holds.csv", [*HOLD_HEADER, "Broker Ref"], [[*hold(entry), "X1"]])
    check = validate_file(workspace, extra, kind=ImportKind.HOLDS)
    assert check.warnings == [Issue(0, "Broker Ref", "unknown column ignored", "warning")]
    assert (check.rows, check.valid_rows) == (1, 1)

    missing = write_csv(tmp_path, "no_dates.csv", ["Entry Number", "Hold Type"], [[entry, "FDA hold"]])
    check = validate_file(workspace, missing, kind="holds")
    assert [(issue.row, issue.column, issue.severity) for issue in check.errors] == [
        (0, "placed_at", "error")
    ]
    assert "Hold Date" in check.errors[0].message
    assert check.rows == 0  # rows are not read when the header cannot be mapped


def test_a_trailing_totals_row_is_skipped_with_a_warning(workspace: Workspace, tmp_path: Path) -> None:
    entry = add_known_entry(workspace)
    rows = [hold(entry), ["Total: 1", "", "", "", "", "", ""]]
    check = validate_file(workspace, write_csv(tmp_path, "holds.csv", HOLD_HEADER, rows))
    assert check.warnings == [Issue(3, "entry_number", "totals row skipped", "warning")]
    assert (check.rows, check.errors) == (1, [])


def test_issues_are_capped_but_all_counted(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "MAX_KEPT_ISSUES", 3)
    rows = [hold(f"ABC-{serial:07d}-0", "bad date") for serial in range(10)]
    check = validate_file(workspace, write_csv(tmp_path, "holds.csv", HOLD_HEADER, rows))
    assert check.error_count >= 10
    assert len(check.errors) == 3
    assert [issue.row for issue in check.errors] == sorted(issue.row for issue in check.errors)
    assert check.valid_rows == 0


def test_progress_is_reported_and_cancel_stops_the_check(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(validate, "BATCH_ROWS", 2)
    entry = add_known_entry(workspace)
    rows = [hold(entry, f"03/{day:02d}/2026 08:00") for day in range(1, 6)]
    path = write_csv(tmp_path, "holds.csv", HOLD_HEADER, rows)
    seen: list[int] = []
    check = validate_file(workspace, path, progress=lambda done, _total, _message: seen.append(done))
    assert seen == [2, 4, 5]
    assert check.valid_rows == 5

    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        validate_file(workspace, path, cancel=token)


def test_placed_dates_are_compared_as_values(workspace: Workspace, tmp_path: Path) -> None:
    """The duplicate key uses canonical values: a datetime, not the text as written."""
    entry = add_known_entry(workspace)
    rows = [hold(entry, "3/5/26 8:30"), hold(entry, "03/05/2026 08:30:00")]
    check = validate_file(workspace, write_csv(tmp_path, "holds.csv", HOLD_HEADER, rows))
    assert [issue.message for issue in check.errors] == ["same key as row 2"]
