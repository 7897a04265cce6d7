"""Header matching for import files (CONTRACTS.md §4): aliases, kind recognition, canonical rows.

Header text is compared after `normalise_header`: case, spaces, underscores, hyphens, dots and `#` do not
count, so "Entry No.", "ENTRY_NO" and "entry-no" are one column. Each canonical column answers to its own name
and to exactly the aliases listed in CONTRACTS §4.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.enums import ImportKind
from app.domain.import_rows import Issue, SourceRow
from app.services.importing.readers import NumberedRow, TableSource, is_blank

_IGNORED = re.compile(r"[\s_\-.#]+")

ALIASES: Mapping[ImportKind, Mapping[str, tuple[str, ...]]] = {
    ImportKind.ACCOUNTS: {
        "account_name": ("Account Name", "Importer Name", "Company Name"),
        "importer_number": ("IOR", "IOR Number", "Importer Number", "Importer of Record"),
        "center": ("Center", "CEE"),
        "ctpat_tier": ("CTPAT Tier", "C-TPAT Tier"),
        "ctpat_status": ("CTPAT Status",),
        "trade_compliance": ("Trade Compliance", "ISA"),
        "risk_segment": ("Risk", "Risk Segment"),
        "account_executive": ("AE", "Account Executive"),
        "city": ("City",),
        "state": ("State",),
        "country": ("Country",),
    },
    ImportKind.ENTRIES: {
        "entry_number": ("Entry Summary Number", "Entry Number", "Entry No"),
        "entry_type": ("Entry Type", "Entry Type Code"),
        "importer_number": ("Importer Number", "IOR Number", "Importer of Record Number"),
        "importer_name": ("Importer Name",),
        "port_of_entry": ("Port of Entry Code", "Entry Port Code", "Port Code"),
        "entry_date": ("Entry Date", "Entry Summary Date"),
        "release_date": ("Release Date",),
        "line_number": ("Entry Summary Line Number", "Line Number", "Line"),
        "hts_number": ("HTS Number", "Tariff Number", "HTS"),
        "country_of_origin": ("Country of Origin", "Country of Origin Code", "COO"),
        "mid": ("Manufacturer ID", "MID"),
        "entered_value": ("Line Goods Value Amount", "Line Entered Value", "Entered Value"),
        "duty": ("Line Duty Amount", "Duty Amount", "Duty"),
        "mode_of_transport": ("Mode of Transportation Code", "MOT"),
    },
    ImportKind.HOLDS: {
        "entry_number": ("Entry Number", "Entry No"),
        "hold_category": ("Hold Type", "Hold Category"),
        "disposition_code": ("Disposition Code", "Disp Code"),
        "agency": ("Agency", "PGA"),
        "port_code": ("Port", "Port Code"),
        "placed_at": ("Hold Date", "Placed", "Date Placed"),
        "released_at": ("Release Date", "Removed", "Date Removed"),
        "status_text": ("Status", "Status Text", "Remarks"),
        "exam_type": ("Exam Type",),
    },
    ImportKind.COMPLIANCE: {
        "importer_number": ("Importer Number", "IOR"),
        "event_type": ("Event Type", "Type"),
        "reference": ("Reference", "Case Number", "Reference Number"),
        "entry_number": ("Entry Number",),
        "opened_on": ("Date", "Opened", "Issued"),
        "due_on": ("Due", "Due Date"),
        "closed_on": ("Closed", "Closed Date"),
        "amount": ("Amount",),
        "outcome": ("Outcome", "Result"),
        "description": ("Description", "Details"),
    },
}

REQUIRED: Mapping[ImportKind, frozenset[str]] = {
    ImportKind.ACCOUNTS: frozenset({"account_name", "importer_number"}),
    ImportKind.ENTRIES: frozenset({"entry_number", "importer_number", "entry_date", "line_number"}),
    ImportKind.HOLDS: frozenset({"entry_number", "placed_at"}),
    ImportKind.COMPLIANCE: frozenset({"importer_number", "event_type", "opened_on"}),
}

UNKNOWN_COLUMN = "unknown column ignored"


def normalise_header(text: str) -> str:
    """The form header cells are compared in: lower case without spaces, `_`, `-`, `.` or `#`."""
    return _IGNORED.sub("", text).casefold()


def _build_lookup(kind: ImportKind) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for canonical, aliases in ALIASES[kind].items():
        for name in (canonical, *aliases):
            lookup[normalise_header(name)] = canonical
    return lookup


_LOOKUP: Mapping[ImportKind, Mapping[str, str]] = {kind: _build_lookup(kind) for kind in ImportKind}


def canonical_column(kind: ImportKind, header_text: str) -> str | None:
    """The canonical column a header cell names for `kind`, or None when it names none."""
    return _LOOKUP[kind].get(normalise_header(header_text))


def display_names(kind: ImportKind, canonical: str) -> str:
    """How to tell a person which header is expected: "Entry Number, Entry No"."""
    return ", ".join(ALIASES[kind][canonical])


# --- kind recognition ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recognition:
    """The outcome of recognising a header: the kind, or None with a message saying why not."""

    kind: ImportKind | None
    message: str


def recognise(header: Sequence[str]) -> Recognition:
    """Pick the kind whose required columns are all present and that matches the most columns."""
    matched = {kind: _matched_columns(kind, header) for kind in ImportKind}
    complete = [kind for kind in ImportKind if REQUIRED[kind] <= matched[kind]]
    if not complete:
        return Recognition(None, _nothing_matches(matched))
    best = max(len(matched[kind]) for kind in complete)
    leaders = [kind for kind in complete if len(matched[kind]) == best]
    if len(leaders) > 1:
        names = " and ".join(str(kind) for kind in leaders)
        return Recognition(None, f"the columns fit {names} equally well; choose the kind of import")
    return Recognition(leaders[0], f"recognised as {leaders[0]} ({best} columns matched)")


def recognise_kind(header: Sequence[str]) -> ImportKind | None:
    """The kind `recognise` picks, or None when no kind or more than one fits."""
    return recognise(header).kind


def _matched_columns(kind: ImportKind, header: Sequence[str]) -> set[str]:
    found = (canonical_column(kind, text) for text in header)
    return {canonical for canonical in found if canonical is not None}


def _nothing_matches(matched: Mapping[ImportKind, set[str]]) -> str:
    # Closest: fewest required columns missing, then most columns matched.
    closest = max(ImportKind, key=lambda kind: (-len(REQUIRED[kind] - matched[kind]), len(matched[kind])))
    missing = sorted(REQUIRED[closest] - matched[closest])
    wanted = "; ".join(display_names(closest, canonical) for canonical in missing)
    return (
        "the columns do not match any kind of import (accounts, entries, holds, compliance); "
        f"closest is {closest}, which also needs: {wanted}"
    )


# --- mapping ------------------------------------------------------------------------------------------------


@dataclass
class HeaderMap:
    """Which file column holds each canonical column of `kind`, and the problems found in the header.

    `issues` are row-0 issues (CONTRACTS §4): a warning per unknown column, an error per missing required or
    duplicated column. `source_rows` appends row warnings (a skipped totals row) here unless given a list.
    """

    kind: ImportKind
    columns: dict[str, int]
    issues: list[Issue] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return any(issue.severity == "error" for issue in self.issues)


def map_header(
    header: Sequence[str], kind: ImportKind, overrides: Mapping[str, str | None] | None = None
) -> HeaderMap:
    """Map header cells to the canonical columns of `kind`; blank header cells are skipped silently.

    `overrides` is the user's own mapping (the import wizard's): header text as written -> canonical column,
    or None to ignore that column. It wins over the aliases; a canonical name that `kind` lacks is ignored.
    """
    columns: dict[str, int] = {}
    issues: list[Issue] = []
    chosen = overrides or {}
    for index, text in enumerate(header):
        if not text.strip():
            continue
        canonical = _chosen_column(kind, text, chosen)
        if canonical is None:
            issues.append(Issue(0, text, UNKNOWN_COLUMN, "warning"))
        elif canonical in columns:
            first = header[columns[canonical]]
            message = f"columns '{first}' and '{text}' are both {canonical}; keep only one of them"
            issues.append(Issue(0, canonical, message, "error"))
        else:
            columns[canonical] = index
    for canonical in sorted(REQUIRED[kind] - columns.keys()):
        message = f"required column missing; expected a header like {display_names(kind, canonical)}"
        issues.append(Issue(0, canonical, message, "error"))
    return HeaderMap(kind, columns, issues)


def _chosen_column(kind: ImportKind, text: str, overrides: Mapping[str, str | None]) -> str | None:
    if text in overrides:
        wanted = overrides[text]
        return wanted if wanted in ALIASES[kind] else None
    return canonical_column(kind, text)


# --- rows ---------------------------------------------------------------------------------------------------


def source_rows(
    table: TableSource, header_map: HeaderMap, *, issues: list[Issue] | None = None
) -> Iterator[SourceRow]:
    """The table's data rows as `SourceRow`s holding only the mapped columns, blank rows skipped.

    A trailing totals row (first cell starting with "Total") is skipped with a warning added to `issues`
    (default: `header_map.issues`). A "Total…" row followed by more data is ordinary data.
    """
    sink = header_map.issues if issues is None else issues
    pending: NumberedRow | None = None
    for numbered in table.rows():
        if is_blank(numbered[1]):
            continue
        if pending is not None:
            yield _source_row(pending, header_map.columns)
        pending = numbered
    if pending is None:
        return
    if _is_totals_row(pending[1]):
        sink.append(Issue(pending[0], _first_column(table, header_map), "totals row skipped", "warning"))
    else:
        yield _source_row(pending, header_map.columns)


def _source_row(numbered: NumberedRow, columns: Mapping[str, int]) -> SourceRow:
    number, cells = numbered
    width = len(cells)
    values = {
        canonical: ("" if index >= width or cells[index] is None else cells[index])
        for canonical, index in columns.items()
    }
    return SourceRow(number, values, cells)


def _is_totals_row(cells: list[object]) -> bool:
    first = cells[0] if cells else None
    return isinstance(first, str) and first.strip().casefold().startswith("total")


def _first_column(table: TableSource, header_map: HeaderMap) -> str:
    """The name an issue about the first cell uses: canonical when that column is mapped, else its header."""
    mapped = [canonical for canonical, index in header_map.columns.items() if index == 0]
    if mapped:
        return mapped[0]
    return table.header[0] if table.header else ""
