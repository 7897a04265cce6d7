"""The import wizard's preview: header, kind, mapping and the first rows checked as the import would."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.enums import ImportKind
from app.domain.errors import NotFoundError, ValidationError
from app.domain.import_rows import Issue
from app.services.importing.preview import kind_columns, preview_file
from app.services.workspace import Workspace
from tests.store.test_import_validate import HOLD_HEADER, add_known_entry, hold, write_csv


def test_kind_columns_put_the_required_columns_first() -> None:
    assert kind_columns("holds") == [
        "entry_number",
        "placed_at",
        "hold_category",
        "disposition_code",
        "agency",
        "port_code",
        "released_at",
        "status_text",
        "exam_type",
    ]
    assert kind_columns(ImportKind.ACCOUNTS)[:2] == ["account_name", "importer_number"]


def test_a_holds_file_is_recognised_mapped_and_its_bad_cells_reported(
    workspace: Workspace, tmp_path: Path
) -> None:
    entry = add_known_entry(workspace)
    rows = [
        hold(entry),  # row 2: fine
        hold(entry, "13/45/2026 08:00"),  # row 3: not a date
        hold("ABC-7654321-6"),  # row 4: entry not in the database
        hold(entry),  # row 5: same key as row 2
    ]
    path = write_csv(tmp_path, "holds.csv", [*HOLD_HEADER, "Broker Ref"], [[*r, "x"] for r in rows])
    preview = preview_file(workspace, path)
    assert preview.kind is ImportKind.HOLDS
    assert preview.recognition_message == "recognised as holds (7 columns matched)"
    assert preview.header == [*HOLD_HEADER, "Broker Ref"]
    assert preview.mapping["Hold Date"] == "placed_at"
    assert preview.mapping["Broker Ref"] is None
    assert preview.header_issues == [Issue(0, "Broker Ref", "unknown column ignored", "warning")]
    assert [row.row for row in preview.rows] == [2, 3, 4, 5]
    assert preview.rows[0].issues == []
    assert preview.rows[0].cells == [*hold(entry), "x"]
    bad_date = preview.rows[1].issues
    assert [(i.column, i.severity) for i in bad_date] == [("placed_at", "error")]
    assert preview.column_index("placed_at") == HOLD_HEADER.index("Hold Date")
    assert preview.rows[2].issues == [
        Issue(
            4,
            "entry_number",
            "entry ABC-7654321-6 is not in the database: import its entry summary first",
            "error",
        )
    ]
    assert preview.rows[3].issues == [Issue(5, "entry_number", "same key as row 2", "error")]
    assert preview.missing_required == []


def test_the_limit_caps_the_rows_read(workspace: Workspace, tmp_path: Path) -> None:
    entry = add_known_entry(workspace)
    rows = [hold(entry, f"03/{day:02d}/2026 08:00") for day in range(1, 29)]
    preview = preview_file(workspace, write_csv(tmp_path, "holds.csv", HOLD_HEADER, rows), limit=5)
    assert [row.row for row in preview.rows] == [2, 3, 4, 5, 6]
    assert preview.issue_count == 0


def test_the_users_mapping_wins_and_a_missing_required_column_is_named(
    workspace: Workspace, tmp_path: Path
) -> None:
    entry = add_known_entry(workspace)
    header = ["Entry Number", "Hold Type", "When Held"]  # "When Held" matches no alias
    path = write_csv(tmp_path, "holds.csv", header, [[entry, "FDA hold", "03/05/2026 08:30"]])
    unmapped = preview_file(workspace, path, kind="holds")
    assert unmapped.kind is ImportKind.HOLDS
    assert unmapped.mapping == {
        "Entry Number": "entry_number",
        "Hold Type": "hold_category",
        "When Held": None,
    }
    assert unmapped.missing_required == ["placed_at"]
    assert any(i.column == "placed_at" and i.severity == "error" for i in unmapped.header_issues)
    assert unmapped.rows[0].cells == [entry, "FDA hold", "03/05/2026 08:30"]  # shown raw, not checked
    assert unmapped.rows[0].issues == []

    mapped = preview_file(workspace, path, kind="holds", mapping={"When Held": "placed_at"})
    assert mapped.mapping["When Held"] == "placed_at"
    assert mapped.missing_required == [] and mapped.header_issues == []
    assert mapped.rows[0].issues == []


def test_a_header_that_fits_no_kind_is_previewed_without_a_kind(workspace: Workspace, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "odd.csv", ["Colour", "Size"], [["red", "L"], ["", ""], ["blue", "M"]])
    preview = preview_file(workspace, path)
    assert preview.kind is None
    assert preview.recognition_message.startswith("the columns do not match any kind of import")
    assert preview.mapping == {"Colour": None, "Size": None}
    assert [(row.row, row.cells) for row in preview.rows] == [(2, ["red", "L"]), (4, ["blue", "M"])]


def test_unreadable_files_and_unknown_kinds_are_refused(workspace: Workspace, tmp_path: Path) -> None:
    garbage = tmp_path / "garbage.csv"
    garbage.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(ValidationError):
        preview_file(workspace, garbage)
    with pytest.raises(NotFoundError):
        preview_file(workspace, tmp_path / "missing.csv")
    path = write_csv(tmp_path, "holds.csv", HOLD_HEADER, [])
    with pytest.raises(ValidationError, match="unknown kind"):
        preview_file(workspace, path, kind="invoices")
