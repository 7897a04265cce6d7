"""Trip packs end to end on the small demo: the folder's PDFs, workbook and sealed read-only database."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from app.domain.errors import StorageError, ValidationError
from app.services import notes
from app.services.accounts import list_portfolio
from app.services.demo import generate_demo
from app.services.progress import Cancelled, CancelToken
from app.services.sealed import PACK_FILE_NAME
from app.services.stats import data_as_of
from app.services.trip_pack import TripPackResult, make_trip_pack
from app.services.workspace import Workspace

TRIP = date(2026, 12, 1)
PASSPHRASE = "port of entry 2704"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = Workspace.open(str(tmp_path_factory.mktemp("trip-demo") / "demo.sqlite3"))
    generate_demo(ws, scale="small", seed=7)
    try:
        yield ws
    finally:
        ws.close()


@pytest.fixture(scope="module")
def names(demo: Workspace) -> dict[uuid.UUID, str]:
    return {row.account_id: row.name for row in list_portfolio(demo)}


@pytest.fixture(scope="module")
def chosen(demo: Workspace) -> list[uuid.UUID]:
    """The two accounts with the most entries, so the pack has trade data to carry."""
    rows = sorted(list_portfolio(demo), key=lambda row: (-row.entries_12m, row.name))
    return [rows[0].account_id, rows[1].account_id]


@pytest.fixture(scope="module")
def pack(
    demo: Workspace, chosen: list[uuid.UUID], tmp_path_factory: pytest.TempPathFactory
) -> TripPackResult:
    return make_trip_pack(demo, chosen, TRIP, tmp_path_factory.mktemp("trip-out"), PASSPHRASE)


def _pdf_text(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        return ""
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_folder_holds_a_summary_per_account_a_workbook_and_the_pack(
    pack: TripPackResult, chosen: list[uuid.UUID], names: dict[uuid.UUID, str]
) -> None:
    assert pack.folder.name == "Trip 2026-12-01"
    assert pack.accounts == 2
    assert sorted(path.name for path in pack.folder.iterdir()) == sorted(path.name for path in pack.files)
    pdfs = [path for path in pack.files if path.suffix == ".pdf"]
    assert len(pdfs) == 2
    for pdf in pdfs:
        assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 10_000
    texts = " ".join(" ".join(_pdf_text(pdf).split()) for pdf in pdfs)
    if texts:
        for account_id in chosen:
            assert names[account_id] in texts
    assert [path.suffix for path in pack.files].count(".xlsx") == 1
    assert (pack.folder / PACK_FILE_NAME) in pack.files
    assert not list(pack.folder.parent.glob(".Trip*"))  # no staging folder left over


def test_the_workbook_lists_only_the_trip_accounts(
    pack: TripPackResult, chosen: list[uuid.UUID], names: dict[uuid.UUID, str]
) -> None:
    workbook_path = next(path for path in pack.files if path.suffix == ".xlsx")
    workbook = openpyxl.load_workbook(workbook_path, read_only=True)
    try:
        for sheet in ("Accounts", "Entries"):
            values = {cell for row in workbook[sheet].iter_rows(values_only=True) for cell in row}
            listed = {name for name in names.values() if name in values}
            assert listed == {names[account_id] for account_id in chosen}, sheet
    finally:
        workbook.close()


def test_the_pack_opens_read_only_with_exactly_those_accounts(
    pack: TripPackResult, demo: Workspace, chosen: list[uuid.UUID]
) -> None:
    source = {row.account_id: row for row in list_portfolio(demo)}
    with Workspace.open_trip_pack(pack.folder / PACK_FILE_NAME, PASSPHRASE) as trip:
        assert trip.read_only and not demo.read_only
        assert trip.name == "Trip 2026-12-01"
        rows = list_portfolio(trip)  # refreshes the metrics cache in memory: allowed
        assert sorted(row.account_id for row in rows) == sorted(chosen)
        for row in rows:
            assert row == source[row.account_id]  # same figures, importer numbers, programs, holds
        assert data_as_of(trip) == data_as_of(demo)
        assert len(notes.list_notes(trip, str(chosen[0]))) == len(notes.list_notes(demo, str(chosen[0])))
        with pytest.raises(StorageError, match="read-only"):
            notes.add_note(trip, str(chosen[0]), "Met the broker at the port")
        assert len(notes.list_notes(trip, str(chosen[0]))) == len(notes.list_notes(demo, str(chosen[0])))


def test_a_wrong_passphrase_does_not_open_the_pack(pack: TripPackResult) -> None:
    with pytest.raises(ValidationError, match="wrong passphrase"):
        Workspace.open_trip_pack(pack.folder / PACK_FILE_NAME, "port of entry 2705")


def test_a_cancelled_pack_leaves_nothing_behind(
    demo: Workspace, chosen: list[uuid.UUID], tmp_path: Path
) -> None:
    token = CancelToken()
    seen: list[str] = []

    def progress(_done: int, _total: int, message: str) -> None:
        seen.append(message)
        if message.startswith("Copying"):
            token.cancel()

    with pytest.raises(Cancelled):
        make_trip_pack(demo, chosen, TRIP, tmp_path, PASSPHRASE, progress=progress, cancel=token)
    assert any(message.startswith("Copying") for message in seen)
    assert list(tmp_path.iterdir()) == []


def test_refuses_a_folder_that_is_not_empty(demo: Workspace, chosen: list[uuid.UUID], tmp_path: Path) -> None:
    (tmp_path / "Trip 2026-12-01").mkdir()
    (tmp_path / "Trip 2026-12-01" / "agenda.txt").write_text("9:00 Harbor Tools")
    with pytest.raises(ValidationError, match="Trip 2026-12-01") as caught:
        make_trip_pack(demo, chosen, TRIP, tmp_path, PASSPHRASE)
    assert "not empty" in str(caught.value)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["Trip 2026-12-01"]


def test_an_empty_folder_of_that_name_is_used(
    demo: Workspace, chosen: list[uuid.UUID], tmp_path: Path
) -> None:
    (tmp_path / "Trip 2026-12-01").mkdir()
    result = make_trip_pack(demo, chosen[:1], TRIP, tmp_path, PASSPHRASE)
    assert result.folder == tmp_path / "Trip 2026-12-01"
    assert len([path for path in result.files if path.suffix == ".pdf"]) == 1


@pytest.mark.parametrize(
    ("accounts", "passphrase", "message"),
    [([], PASSPHRASE, "at least one account"), (None, "short", "at least 8 characters")],
)
def test_refuses_no_accounts_and_a_short_passphrase(
    demo: Workspace,
    chosen: list[uuid.UUID],
    tmp_path: Path,
    accounts: list[uuid.UUID] | None,
    passphrase: str,
    message: str,
) -> None:
    with pytest.raises(ValidationError, match=message):
        make_trip_pack(demo, chosen if accounts is None else accounts, TRIP, tmp_path, passphrase)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE accounts SET name = 'X'",
        "DELETE FROM notes",
        "INSERT INTO contacts (id, name, role) VALUES (x'00', 'A', 'broker')",
        'insert or replace into "holds" (id) values (1)',
        "REPLACE INTO action_items (id) VALUES (1)",
    ],
)
def test_the_pack_refuses_every_write_but_its_caches(pack: TripPackResult, statement: str) -> None:
    with Workspace.open_trip_pack(pack.folder / PACK_FILE_NAME, PASSPHRASE) as trip:
        with pytest.raises(StorageError, match="read-only"), trip.database.engine.begin() as connection:
            connection.execute(text(statement))
        with trip.database.engine.begin() as connection:  # the app's own caches may change, in memory
            connection.execute(text("INSERT INTO meta (key, value) VALUES ('probe', '1')"))
            connection.execute(text("DELETE FROM account_metrics"))
