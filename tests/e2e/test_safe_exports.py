"""Safe exports: formula-like text goes in through every import kind and `note add`, and every workbook the
workbench writes keeps it as plain text.

The text: `=cmd|' /C calc'!A0`, `+SUM(1)`, `@A1`, `-2+3`, a tab and a CR variant, and one behind a control
character that no cell can hold (the writer drops it, so it must judge the text without it). It goes into the
accounts roster (name, city, state, AE), the entries extract (importer name, which names the accounts the
import creates, and manufacturer ID, which is validated and left out), the holds (status text), the
compliance events (reference, outcome, description), notes (`note add`), and the rows an import rejects.
Then each workbook is written (portfolio, open holds, compliance history, the trip pack's workbook, the
error workbook of rejected rows) and read back with openpyxl (not read-only), cell by cell:

- no cell is a formula (data type "f");
- every text cell a spreadsheet would evaluate (it begins with =, +, -, @, tab or CR) is a string cell with
  the quote-prefix style: that is how app/reports/xlsx.py and the error workbook neutralise it, keeping the
  visible text exactly as it was;
- the text shows exactly as stored. Two adjustments are by design: an import and `note add` drop blanks
  around a value (so a leading tab or CR never reaches the database), and a workbook stores a CR as LF and
  drops the control characters its XML cannot hold. The error workbook keeps the cells as the file gave
  them, with those two adjustments only.
"""

from __future__ import annotations

import csv
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from app.domain.identifiers import make_entry_number
from tests.e2e.clirunner import Cli, assert_ok

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
HOSTILE = ("=cmd|' /C calc'!A0", "+SUM(1)", "@A1", "-2+3")
TAB_VARIANT = "\t=1+2"
CR_VARIANT = "\r=3+4\r=5+6"
CONTROL_VARIANT = '\x01=HYPERLINK("http://example.com","x")'
TEXTS = (*HOSTILE, TAB_VARIANT, CR_VARIANT, CONTROL_VARIANT)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEW_IMPORTERS = ("27-318412300", "27-318412400")  # in no roster: the entries import creates their accounts
PASSPHRASE = "correct horse battery staple"


def stored(text: str) -> str:
    """The value an import or `note add` keeps: surrounding blanks dropped."""
    return text.strip()


def shown(text: str) -> str:
    """The text a workbook cell holds: a CR becomes LF and XML-illegal control characters are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def nth(offset: int) -> str:
    return TEXTS[offset % len(TEXTS)]


# --- the hostile database -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Hostile:
    cli: Cli
    folder: Path
    names: dict[str, str]  # importer number -> account name, as stored
    events: dict[str, tuple[str, str]]  # importer number -> (reference, outcome) of its compliance event


def _read(name: str) -> tuple[list[str], list[list[str]]]:
    with (SAMPLES / name).open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return header, rows


def _write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])
    return path


def _roster(folder: Path) -> tuple[Path, dict[str, str]]:
    """The sample roster with hostile names, cities, states and AEs; the file and the names it gives."""
    header, accounts = _read("accounts.csv")
    names: dict[str, str] = {}
    for index, row in enumerate(accounts):
        for offset, column in enumerate(("Account Name", "City", "State", "Account Executive")):
            row[header.index(column)] = nth(index + offset)
        names[row[header.index("IOR Number")]] = row[header.index("Account Name")]
    return _write(folder / "accounts.csv", header, accounts), names


def _extract(folder: Path, names: dict[str, str]) -> Path:
    """The sample entries under the roster's names, plus one entry for each new importer, whose account the
    import creates under the next hostile text (added to `names`); a hostile manufacturer ID too."""
    header, entries = _read("entries.csv")
    for row in entries:
        row[header.index("Importer Name")] = names[row[header.index("Importer Number")]]
    entries[0][header.index("Manufacturer ID")] = HOSTILE[0]
    for serial, (importer, text) in enumerate(zip(NEW_IMPORTERS, TEXTS[len(names) :], strict=True)):
        created = list(entries[0])
        created[header.index("Entry Summary Number")] = make_entry_number("K7X", 9990 + serial).display
        created[header.index("Importer Number")] = importer
        created[header.index("Importer Name")] = names[importer] = text
        entries.append(created)
    return _write(folder / "entries.csv", header, entries)


def _holds(folder: Path) -> Path:
    header, holds = _read("holds.csv")
    for index, row in enumerate(holds):
        row[header.index("Status Text")] = nth(index)
        row[header.index("Disposition Code")] = ""  # the status is shown as given, without a code before it
    return _write(folder / "holds.csv", header, holds)


def _events(folder: Path) -> tuple[Path, dict[str, tuple[str, str]]]:
    """Hostile references, outcomes and descriptions; the file and each importer's (reference, outcome)."""
    header, events = _read("compliance.csv")
    by_importer: dict[str, tuple[str, str]] = {}
    for index, row in enumerate(events):
        for offset, column in enumerate(("Reference", "Outcome", "Description")):
            row[header.index(column)] = nth(index + offset)
        by_importer[row[header.index("Importer Number")]] = (nth(index), nth(index + 1))
    return _write(folder / "compliance.csv", header, events), by_importer


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Hostile:
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.sqlite3"
    cli = Cli(folder / "data", db)
    roster, names = _roster(folder)
    extract = _extract(folder, names)
    compliance, events = _events(folder)
    assert_ok(cli("import", *map(str, (roster, extract, _holds(folder), compliance))))
    for text in TEXTS:  # `--` before the text: "-2+3" would read as an option
        assert_ok(Cli(cli.data_dir)("note", "add", "--db", str(db), "20-584410200", "--", text))
    stored_events = {ior: (stored(ref), stored(outcome)) for ior, (ref, outcome) in events.items()}
    return Hostile(cli, folder, {ior: stored(name) for ior, name in names.items()}, stored_events)


# --- reading workbooks back ---------------------------------------------------------------------------------


def cells(workbook: Workbook) -> Iterator[tuple[str, Cell]]:
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                yield sheet.title, cell


def open_safe(path: Path) -> Workbook:
    """Open `path` and check it: no formula, and every formula-like text is a quote-prefixed string."""
    workbook = openpyxl.load_workbook(path)  # not read-only: the cells' styles are read too
    formulas = [f"{title}!{cell.coordinate}" for title, cell in cells(workbook) if cell.data_type == "f"]
    assert formulas == [], f"{path.name}: live formulas in {formulas}"
    unguarded = [
        f"{title}!{cell.coordinate} {cell.value!r}"
        for title, cell in cells(workbook)
        if isinstance(cell.value, str)
        and cell.value.startswith(FORMULA_STARTS)
        and not (cell.quotePrefix and cell.data_type == "s")
    ]
    assert unguarded == [], f"{path.name}: formula-like text without the quote prefix: {unguarded}"
    return workbook


def column(sheet: Worksheet, heading: str) -> list[Any]:
    """A table sheet's values under `heading` (row 2 holds the headings, data starts in row 3)."""
    headings = [cell.value for cell in sheet[2]]
    index = headings.index(heading) + 1
    return [sheet.cell(row, index).value for row in range(3, sheet.max_row + 1)]


def guarded(sheet: Worksheet, text: str) -> bool:
    """Does `sheet` hold `text` (as a workbook shows it) in a quote-prefixed string cell?"""
    wanted = shown(text)
    found = [cell for row in sheet.iter_rows() for cell in row if cell.value == wanted]
    return bool(found) and all(cell.quotePrefix and cell.data_type == "s" for cell in found)


def account_ids(db: Path) -> list[uuid.UUID]:
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute("SELECT id FROM accounts WHERE deleted_at IS NULL").fetchall()
    return [uuid.UUID(bytes=raw) if isinstance(raw, bytes) else uuid.UUID(str(raw)) for (raw,) in rows]


# --- the workbooks ------------------------------------------------------------------------------------------


def test_the_imported_text_is_stored_exactly(hostile: Hostile) -> None:
    notes = assert_ok(hostile.cli("notes", "20-584410200", "--json")).json()
    assert sorted(note["text"] for note in notes) == sorted(stored(text) for text in TEXTS)
    assert set(hostile.names.values()) == {stored(text) for text in TEXTS}  # every text names an account
    assert hostile.cli.db is not None
    with closing(sqlite3.connect(hostile.cli.db)) as connection:
        statuses = [status for (status,) in connection.execute("SELECT status_text FROM holds")]
        descriptions = [text for (text,) in connection.execute("SELECT description FROM compliance_events")]
    assert sorted(statuses) == sorted(stored(nth(index)) for index in range(len(statuses)))
    assert sorted(descriptions) == sorted(stored(nth(index + 2)) for index in range(len(descriptions)))


def test_portfolio_workbook_shows_every_name_as_text(hostile: Hostile) -> None:
    out = hostile.folder / "portfolio.xlsx"
    assert_ok(hostile.cli("report", "portfolio", "--out", str(out)))
    workbook = open_safe(out)
    assert sorted(column(workbook["Accounts"], "Account")) == sorted(map(shown, hostile.names.values()))
    accounts = {shown(name) for name in hostile.names.values()}
    for sheet in ("Entries", "Open holds", "Compliance events"):  # which rows: a matter of today's date
        assert set(column(workbook[sheet], "Account")) <= accounts
    references = {shown(reference) for reference, _ in hostile.events.values()}
    assert set(column(workbook["Compliance events"], "Reference")) <= references


def test_holds_workbook_shows_the_names_as_text(hostile: Hostile) -> None:
    out = hostile.folder / "holds.xlsx"
    assert_ok(hostile.cli("report", "holds", "--out", str(out)))
    held = column(open_safe(out)["Open holds"], "Account")  # which holds are open: a matter of today's date
    assert set(held) <= {shown(name) for name in hostile.names.values()}


def test_compliance_workbooks_show_names_and_events_as_text(hostile: Hostile) -> None:
    for importer, name in hostile.names.items():
        out = hostile.folder / f"compliance-{importer}.xlsx"
        assert_ok(hostile.cli("report", "compliance", importer, "--out", str(out)))
        workbook = open_safe(out)  # a control character in the title once made the file unreadable
        assert guarded(workbook["About"], name), importer  # the report's title
        assert workbook.properties.title == shown(name), importer
        if importer in hostile.events:
            reference, outcome = hostile.events[importer]
            events = workbook["Compliance events"]
            assert column(events, "Reference") == [shown(reference)], importer
            assert column(events, "Outcome") == [shown(outcome)], importer
            assert guarded(events, reference) and guarded(events, outcome), importer


def test_notes_reach_a_workbook_only_as_text(hostile: Hostile) -> None:
    out = hostile.folder / "compliance-notes.xlsx"
    assert_ok(hostile.cli("report", "compliance", "20-584410200", "--out", str(out)))
    workbook = open_safe(out)
    if "Change history" in workbook.sheetnames:  # the only workbook sheet that names notes: by their words
        which = column(workbook["Change history"], "Which")
        assert {shown(" ".join(stored(text).split())) for text in TEXTS} <= set(which)


def test_trip_pack_workbook_shows_every_name_as_text(hostile: Hostile, tmp_path: Path) -> None:
    from app.services.trip_pack import make_trip_pack, workbook_name
    from app.services.workspace import Workspace

    assert hostile.cli.db is not None
    workspace = Workspace.open(str(hostile.cli.db))
    try:
        ids = account_ids(Path(hostile.cli.db))
        pack = make_trip_pack(workspace, ids, date(2026, 5, 6), tmp_path, PASSPHRASE)
    finally:
        workspace.close()
    workbook = open_safe(pack.folder / workbook_name(date(2026, 5, 6)))
    assert sorted(column(workbook["Accounts"], "Account")) == sorted(map(shown, hostile.names.values()))


def test_error_workbook_keeps_the_rejected_cells_as_text(hostile: Hostile, tmp_path: Path) -> None:
    header, accounts = _read("accounts.csv")
    header.append('=HYPERLINK("http://example.com")')  # an unknown column: kept in the error workbook
    rows = []
    for text in TEXTS:
        row = [*accounts[0], text]
        row[header.index("Account Name")] = text
        row[header.index("IOR Number")] = "not a number"  # rejected
        rows.append(row)
    source = _write(tmp_path / "rejected.csv", header, rows)
    result = hostile.cli("import", str(source), "--skip-invalid", "--errors-to", str(tmp_path))
    assert "rejected rows written to" in result.stdout, result.stdout + result.stderr

    workbook = open_safe(tmp_path / "rejected-errors.xlsx")
    sheet = workbook.worksheets[0]
    headings = [cell.value for cell in sheet[1]]
    assert headings[1:-1] == header
    assert guarded(sheet, header[-1])
    for line, text in enumerate(TEXTS, start=2):
        values = [cell.value for cell in sheet[line]][1 : len(header) + 1]
        assert values[header.index("Account Name")] == shown(text)  # as the file gave it, blanks and all
        assert values[-1] == shown(text)
    assert all(guarded(sheet, text) for text in TEXTS)
