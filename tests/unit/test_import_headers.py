"""Header aliases, normalisation, kind recognition and header mapping of import files (CONTRACTS.md §4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain.enums import ImportKind
from app.domain.import_rows import Issue, SourceRow
from app.services.importing.headers import (
    ALIASES,
    REQUIRED,
    UNKNOWN_COLUMN,
    canonical_column,
    map_header,
    normalise_header,
    recognise,
    recognise_kind,
    source_rows,
)
from app.services.importing.readers import open_table

# CONTRACTS §4, copied by hand as an independent check of the alias tables (canonical -> aliases).
CONTRACT_ALIASES = {
    ImportKind.ACCOUNTS: {
        "account_name": ["Account Name", "Importer Name", "Company Name"],
        "importer_number": ["IOR", "IOR Number", "Importer Number", "Importer of Record"],
        "center": ["Center", "CEE"],
        "ctpat_tier": ["CTPAT Tier", "C-TPAT Tier"],
        "ctpat_status": ["CTPAT Status"],
        "trade_compliance": ["Trade Compliance", "ISA"],
        "risk_segment": ["Risk", "Risk Segment"],
        "account_executive": ["AE", "Account Executive"],
        "city": ["City"],
        "state": ["State"],
        "country": ["Country"],
    },
    ImportKind.ENTRIES: {
        "entry_number": ["Entry Summary Number", "Entry Number", "Entry No"],
        "entry_type": ["Entry Type", "Entry Type Code"],
        "importer_number": ["Importer Number", "IOR Number", "Importer of Record Number"],
        "importer_name": ["Importer Name"],
        "port_of_entry": ["Port of Entry Code", "Entry Port Code", "Port Code"],
        "entry_date": ["Entry Date", "Entry Summary Date"],
        "release_date": ["Release Date"],
        "line_number": ["Entry Summary Line Number", "Line Number", "Line"],
        "hts_number": ["HTS Number", "Tariff Number", "HTS"],
        "country_of_origin": ["Country of Origin", "Country of Origin Code", "COO"],
        "mid": ["Manufacturer ID", "MID"],
        "entered_value": ["Line Goods Value Amount", "Line Entered Value", "Entered Value"],
        "duty": ["Line Duty Amount", "Duty Amount", "Duty"],
        "mode_of_transport": ["Mode of Transportation Code", "MOT"],
    },
    ImportKind.HOLDS: {
        "entry_number": ["Entry Number", "Entry No"],
        "hold_category": ["Hold Type", "Hold Category"],
        "disposition_code": ["Disposition Code", "Disp Code"],
        "agency": ["Agency", "PGA"],
        "port_code": ["Port", "Port Code"],
        "placed_at": ["Hold Date", "Placed", "Date Placed"],
        "released_at": ["Release Date", "Removed", "Date Removed"],
        "status_text": ["Status", "Status Text", "Remarks"],
        "exam_type": ["Exam Type"],
    },
    ImportKind.COMPLIANCE: {
        "importer_number": ["Importer Number", "IOR"],
        "event_type": ["Event Type", "Type"],
        "reference": ["Reference", "Case Number", "Reference Number"],
        "entry_number": ["Entry Number"],
        "opened_on": ["Date", "Opened", "Issued"],
        "due_on": ["Due", "Due Date"],
        "closed_on": ["Closed", "Closed Date"],
        "amount": ["Amount"],
        "outcome": ["Outcome", "Result"],
        "description": ["Description", "Details"],
    },
}

ALL_ALIASES = [
    (kind, canonical, alias)
    for kind, table in CONTRACT_ALIASES.items()
    for canonical, aliases in table.items()
    for alias in [*aliases, canonical]
]

# A minimal full header per kind: exactly the required columns, in display form.
MINIMAL_HEADERS = {
    ImportKind.ACCOUNTS: ["Account Name", "IOR"],
    ImportKind.ENTRIES: ["Entry Number", "Importer Number", "Entry Date", "Line Number"],
    ImportKind.HOLDS: ["Entry Number", "Hold Date"],
    ImportKind.COMPLIANCE: ["IOR", "Event Type", "Date"],
}


# --- aliases and normalisation ------------------------------------------------------------------------------


def test_alias_tables_are_exactly_the_contract() -> None:
    assert {
        kind: {c: list(a) for c, a in table.items()} for kind, table in ALIASES.items()
    } == CONTRACT_ALIASES


@pytest.mark.parametrize(("kind", "canonical", "alias"), ALL_ALIASES)
def test_every_alias_maps_to_its_canonical_column(kind: ImportKind, canonical: str, alias: str) -> None:
    assert canonical_column(kind, alias) == canonical
    assert canonical_column(kind, alias.upper()) == canonical
    assert canonical_column(kind, f"  {alias.lower().replace(' ', '_')} ") == canonical


@pytest.mark.parametrize("kind", list(ImportKind))
def test_no_alias_names_two_columns_of_one_kind(kind: ImportKind) -> None:
    seen: dict[str, str] = {}
    for canonical, aliases in ALIASES[kind].items():
        for name in (canonical, *aliases):
            key = normalise_header(name)
            assert seen.setdefault(key, canonical) == canonical, f"{name!r} is ambiguous in {kind}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Entry No.", "entryno"),
        ("ENTRY_NO", "entryno"),
        ("entry-no", "entryno"),
        ("Entry #", "entry"),
        ("  Entry\tNo  ", "entryno"),
        ("C-TPAT Tier", "ctpattier"),
        ("IOR #", "ior"),
    ],
)
def test_normalise_ignores_case_spaces_underscores_hyphens_dots_and_hash(text: str, expected: str) -> None:
    assert normalise_header(text) == expected


def test_punctuated_variants_match() -> None:
    assert canonical_column(ImportKind.HOLDS, "ENTRY NO.") == "entry_number"
    assert canonical_column(ImportKind.ENTRIES, "Entry #") is None  # "#" goes, "Number" is not implied
    assert canonical_column(ImportKind.ENTRIES, "entry_summary_line_number") == "line_number"
    assert canonical_column(ImportKind.ACCOUNTS, "C.T.P.A.T. tier") == "ctpat_tier"
    assert canonical_column(ImportKind.ACCOUNTS, "Importer of Record #") == "importer_number"


def test_alias_of_one_kind_is_not_an_alias_of_another() -> None:
    assert canonical_column(ImportKind.ENTRIES, "IOR") is None
    assert canonical_column(ImportKind.HOLDS, "Release Date") == "released_at"
    assert canonical_column(ImportKind.ENTRIES, "Release Date") == "release_date"
    assert canonical_column(ImportKind.ACCOUNTS, "Importer Name") == "account_name"
    assert canonical_column(ImportKind.ENTRIES, "Importer Name") == "importer_name"


# --- kind recognition ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(ImportKind))
def test_minimal_header_is_recognised(kind: ImportKind) -> None:
    assert recognise_kind(MINIMAL_HEADERS[kind]) == kind


@pytest.mark.parametrize("kind", list(ImportKind))
def test_full_header_in_any_alias_is_recognised(kind: ImportKind) -> None:
    header = [aliases[-1] for aliases in CONTRACT_ALIASES[kind].values()]
    assert recognise_kind(header) == kind


def test_recognition_prefers_the_kind_matching_most_columns() -> None:
    # Both holds (Entry Number + Hold Date) and compliance are complete; compliance matches four columns.
    header = ["Entry Number", "Hold Date", "IOR", "Type", "Date"]
    assert recognise_kind(header) == ImportKind.COMPLIANCE


def test_ambiguous_header_gives_no_kind_and_says_why() -> None:
    # accounts: account_name, importer_number, center; compliance: importer_number, event_type, opened_on.
    result = recognise(["Account Name", "IOR", "Type", "Date", "Center"])
    assert result.kind is None
    assert "accounts and compliance" in result.message
    assert "choose" in result.message


def test_unrecognised_header_names_the_missing_columns_of_the_closest_kind() -> None:
    result = recognise(["Entry Number", "Status", "Port"])
    assert result.kind is None
    assert "closest is holds" in result.message
    assert "Hold Date, Placed, Date Placed" in result.message


def test_header_missing_a_required_column_is_not_recognised() -> None:
    assert recognise_kind(["Entry Number", "Importer Number", "Entry Date", "HTS Number"]) is None


# --- mapping ------------------------------------------------------------------------------------------------


def test_map_header_gives_column_indexes() -> None:
    mapped = map_header(["Hold Date", "", "entry no.", "Remarks"], ImportKind.HOLDS)
    assert mapped.columns == {"placed_at": 0, "entry_number": 2, "status_text": 3}
    assert mapped.issues == []
    assert not mapped.has_errors


def test_unknown_columns_are_one_warning_each_on_row_zero() -> None:
    mapped = map_header(["Entry Number", "Broker Ref", "Hold Date", "Notes"], ImportKind.HOLDS)
    assert mapped.issues == [
        Issue(0, "Broker Ref", UNKNOWN_COLUMN, "warning"),
        Issue(0, "Notes", UNKNOWN_COLUMN, "warning"),
    ]
    assert not mapped.has_errors
    assert mapped.columns == {"entry_number": 0, "placed_at": 2}


def test_missing_required_columns_are_errors() -> None:
    mapped = map_header(["Entry Number", "HTS"], ImportKind.ENTRIES)
    errors = [issue for issue in mapped.issues if issue.severity == "error"]
    assert [issue.column for issue in errors] == ["entry_date", "importer_number", "line_number"]
    assert all(issue.row == 0 for issue in errors)
    assert "Entry Date, Entry Summary Date" in errors[0].message
    assert mapped.has_errors


def test_two_columns_for_one_canonical_are_an_error() -> None:
    mapped = map_header(["Entry Number", "Entry No", "Hold Date"], ImportKind.HOLDS)
    assert mapped.has_errors
    (issue,) = mapped.issues
    assert issue.row == 0
    assert issue.column == "entry_number"
    assert "'Entry Number' and 'Entry No'" in issue.message
    assert mapped.columns["entry_number"] == 0


# --- source rows --------------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "holds.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def read_rows(path: Path, kind: ImportKind) -> tuple[list[SourceRow], list[Issue]]:
    with open_table(path) as table:
        mapped = map_header(table.header, kind)
        rows = list(source_rows(table, mapped))
    return rows, mapped.issues


def test_source_rows_hold_only_mapped_columns_with_file_row_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "Entry Number,Broker Ref,Hold Date\nABC-1,x,11/03/2026\n\nABC-2,y,11/04/2026\n")
    rows, issues = read_rows(path, ImportKind.HOLDS)
    assert rows == [
        SourceRow(2, {"entry_number": "ABC-1", "placed_at": "11/03/2026"}),
        SourceRow(4, {"entry_number": "ABC-2", "placed_at": "11/04/2026"}),
    ]
    assert issues == [Issue(0, "Broker Ref", UNKNOWN_COLUMN, "warning")]


def test_short_rows_give_blank_values(tmp_path: Path) -> None:
    path = write(tmp_path, "Entry Number,Hold Date,Remarks\nABC-1\n")
    rows, _ = read_rows(path, ImportKind.HOLDS)
    assert rows == [SourceRow(2, {"entry_number": "ABC-1", "placed_at": "", "status_text": ""})]


def test_trailing_totals_row_is_skipped_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "Entry Number,Hold Date\nABC-1,11/03/2026\nABC-2,11/04/2026\n\nTotal: 2,\n,\n")
    rows, issues = read_rows(path, ImportKind.HOLDS)
    assert [row.row for row in rows] == [2, 3]
    assert issues == [Issue(5, "entry_number", "totals row skipped", "warning")]


def test_total_row_in_the_middle_is_data(tmp_path: Path) -> None:
    path = write(tmp_path, "Account Name,IOR\nTotal Foods LLC,20-1234567AB\nAcme,12-3456789\n", "a.csv")
    rows, issues = read_rows(path, ImportKind.ACCOUNTS)
    assert [row.values["account_name"] for row in rows] == ["Total Foods LLC", "Acme"]
    assert issues == []


def test_totals_warning_can_go_to_a_given_list(tmp_path: Path) -> None:
    path = write(tmp_path, "Entry Number,Hold Date\nABC-1,11/03/2026\nTOTALS,1\n")
    sink: list[Issue] = []
    with open_table(path) as table:
        mapped = map_header(table.header, ImportKind.HOLDS)
        rows = list(source_rows(table, mapped, issues=sink))
    assert len(rows) == 1
    assert sink == [Issue(3, "entry_number", "totals row skipped", "warning")]
    assert mapped.issues == []


def test_required_columns_are_declared_for_every_kind() -> None:
    for kind in ImportKind:
        assert REQUIRED[kind] <= ALIASES[kind].keys()
