"""Generated valid entries files import and read back exactly; hostile files leave the database untouched."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import text

from app.domain.errors import ValidationError
from app.domain.identifiers import format_entry_number, make_entry_number
from app.services.importing.batches import list_batches
from app.services.importing.run import import_file
from app.services.workspace import Workspace
from tests.store.test_import_write import snapshot

HEADER = [
    "Entry Summary Number",
    "Entry Type Code",
    "Importer Number",
    "Importer Name",
    "Port of Entry Code",
    "Entry Date",
    "Entry Summary Line Number",
    "HTS Number",
    "Country of Origin Code",
    "Line Goods Value Amount",
    "Line Duty Amount",
]
IMPORTERS = ["20-584410200", "41-792897400", "75-181331200"]

tariff = st.tuples(
    st.sampled_from(["8471300100", "8517620090", "3004909290", "8708295060", "9903880300"]),
    st.integers(min_value=0, max_value=10**10),  # value, cents
    st.integers(min_value=0, max_value=10**9),  # duty, cents
)
line = st.tuples(
    st.sampled_from(["CN", "DE", "KR", "MX", "VN", "TW"]), st.lists(tariff, min_size=1, max_size=2)
)
entry = st.tuples(
    st.integers(min_value=1, max_value=9_999_999),  # transaction number
    st.sampled_from(["01", "03", "11"]),
    st.sampled_from(IMPORTERS),
    st.sampled_from(["2704", "1001", "3901", "5301"]),
    st.dates(min_value=date(2020, 1, 1), max_value=date(2026, 11, 1)),
    st.lists(line, min_size=1, max_size=3),
)
entries_file = st.lists(entry, min_size=1, max_size=6, unique_by=lambda item: item[0])


def money(cents: int) -> str:
    return f"${cents // 100:,}.{cents % 100:02d}"


def file_rows(entries: list[Any]) -> tuple[list[list[str]], dict[tuple[str, int, str], tuple[Any, ...]]]:
    """CSV rows for the generated entries, and what each (entry, line, hts) must read back as."""
    rows: list[list[str]] = []
    expected: dict[tuple[str, int, str], tuple[Any, ...]] = {}
    for transaction, entry_type, importer, port, entry_date, lines in entries:
        number = make_entry_number("K7X", transaction).canonical
        for line_number, (country, tariffs) in enumerate(lines, start=1):
            for hts, value, duty in {hts: (hts, value, duty) for hts, value, duty in tariffs}.values():
                rows.append(
                    [
                        format_entry_number(number),
                        entry_type,
                        importer,
                        "Importer",
                        port,
                        entry_date.strftime("%m/%d/%Y"),
                        str(line_number),
                        f"{hts[:4]}.{hts[4:6]}.{hts[6:]}",
                        country,
                        money(value),
                        money(duty),
                    ]
                )
                expected[(number, line_number, hts)] = (entry_type, port, entry_date, country, value, duty)
    return rows, expected


def read_back(ws: Workspace) -> dict[tuple[str, int, str], tuple[Any, ...]]:
    query = text(
        "SELECT e.entry_number, l.line_number, t.hts_number, e.entry_type, e.port_of_entry, e.entry_date, "
        "l.country_of_origin, t.entered_value_cents, t.duty_cents "
        "FROM line_tariffs t JOIN entry_lines l ON l.id = t.line_id "
        "JOIN entries e ON e.entry_number = l.entry_number"
    )
    with ws.database.session() as session:
        found = {}
        for row in session.execute(query):
            entry_date = row[5] if isinstance(row[5], date) else date.fromisoformat(row[5])
            found[(row[0], row[1], row[2])] = (row[3], row[4], entry_date, row[6], row[7], row[8])
        return found


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=entries_file)
def test_generated_valid_entries_round_trip(
    tmp_path_factory: pytest.TempPathFactory, entries: list[Any]
) -> None:
    folder = tmp_path_factory.mktemp("roundtrip")
    rows, expected = file_rows(entries)
    path = folder / "entries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    ws = Workspace.open(str(folder / "db.sqlite3"))
    try:
        result = import_file(ws, path, error_workbook=False)
        assert result.ok, result.errors
        assert (result.inserted, result.rows) == (len(rows), len(rows))
        assert read_back(ws) == expected
        with ws.database.session() as session:
            totals = session.execute(
                text(
                    "SELECT e.entered_value_cents, (SELECT sum(entered_value_cents) FROM entry_lines l "
                    "WHERE l.entry_number = e.entry_number) FROM entries e"
                )
            ).all()
            first_hts = session.execute(
                text(
                    "SELECT l.first_hts_number, (SELECT t.hts_number FROM line_tariffs t "
                    "WHERE t.line_id = l.id ORDER BY t.ordinal, t.id LIMIT 1) FROM entry_lines l"
                )
            ).all()
        assert all(total == lines for total, lines in totals)
        assert all(kept == first for kept, first in first_hts)  # the grid's HTS column and sort
        again = import_file(ws, path, error_workbook=False)
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, len(rows))
    finally:
        ws.close()


def _entries_csv(rows: int, tail: bytes = b"") -> bytes:
    lines = [",".join(HEADER).encode()]
    for index in range(rows):
        number = format_entry_number(make_entry_number("K7X", 1000 + index).canonical)
        day = (date(2026, 1, 1) + timedelta(days=index % 300)).strftime("%m/%d/%Y")
        lines.append(f"{number},01,20-584410200,Acme,2704,{day},1,8471.30.0100,CN,$10.00,0".encode())
    return b"\n".join(lines) + b"\n" + tail


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("garbage.csv", bytes(range(256)) * 64, "not a text CSV file"),
        ("empty.csv", b"", "the file is empty"),
        ("header.csv", ",".join(HEADER).encode() + b"\n", "header but no data rows"),
        # a cp1252 byte long after the first batch of rows was written: the whole file is rolled back
        (
            "mixed.csv",
            _entries_csv(2500, "K7X-0000001-0,01,20-584410200,Soci\xe9t\xe9".encode("cp1252")),
            "not UTF-8",
        ),
    ],
)
def test_hostile_files_are_one_clear_message_and_write_nothing(
    workspace: Workspace, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(workspace)
    with pytest.raises(ValidationError, match=message):
        import_file(workspace, path)
    assert snapshot(workspace) == before
    assert list_batches(workspace) == []


def test_a_huge_cell_mid_file_is_refused_and_nothing_is_written(workspace: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "entries.csv"
    path.write_bytes(_entries_csv(1500, b"K7X-0000001-0,01," + b"x" * (50 * 1024 * 1024) + b"\n"))
    before = snapshot(workspace)
    with pytest.raises(ValidationError, match="longer than 1,000,000 characters"):
        import_file(workspace, path)
    assert snapshot(workspace) == before
