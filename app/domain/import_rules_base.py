"""What the per-kind import rules share: the reference data they check codes against, and a row reader
that parses one cell at a time and collects the problems (CONTRACTS.md §4, DOMAIN.md §9.3).

Severity follows DOMAIN.md §9.3: a malformed identifier or a missing required value is an error (the row is
rejected); a code that is well formed but missing from reference data that may be stale (port, country, MID
prefix, entry type, transport mode) is a warning (the row is kept).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from app.domain.enums import CenterCode, ComplianceEventType, HoldCategory
from app.domain.errors import ValidationError
from app.domain.identifiers import check_country, check_port, parse_entry_number
from app.domain.import_rows import Issue, SourceRow
from app.domain.import_values import (
    make_lookup,
    parse_amount_cents,
    parse_date,
    parse_datetime,
    parse_text,
)
from app.domain.importer_number import parse_importer_number

T = TypeVar("T")

# Extract files repeat values endlessly (an entry's number and dates on each of its lines, a few importers,
# ports and tariff numbers): pure parsers remember what they made of each raw value, per import.
# (Amounts are left out: nearly every one is new, so remembering them costs more than it saves.)
_PURE_PARSERS = frozenset({parse_text, parse_date, parse_datetime})
_MEMO_LIMIT = 200_000


@dataclass(frozen=True)
class Reference:
    """Reference data the rules check codes against; the import service loads it from the database.

    The `*_spellings` mappings go from every accepted spelling (code, label, alias: matched ignoring case,
    spaces and punctuation) to the canonical value. `disposition_categories` maps a disposition code to the
    hold category it implies (None when the code implies none); `agency_categories` maps an agency code to
    its hold category (PGA agencies only: a CBP hold's category cannot be read from the agency).
    """

    ports: frozenset[str] = frozenset()
    countries: Mapping[str, str] = field(default_factory=dict)  # alpha-2 -> name
    entry_types: frozenset[str] = frozenset()
    transport_modes: frozenset[str] = frozenset()
    agencies: frozenset[str] = frozenset()
    center_spellings: Mapping[str, CenterCode] = field(default_factory=dict)
    hold_category_spellings: Mapping[str, HoldCategory] = field(default_factory=dict)
    event_type_spellings: Mapping[str, ComplianceEventType] = field(default_factory=dict)
    disposition_categories: Mapping[str, HoldCategory | None] = field(default_factory=dict)
    agency_categories: Mapping[str, HoldCategory] = field(default_factory=dict)

    def lookup(self, name: str) -> dict[str, object]:
        """The `make_lookup` table of one `*_spellings` field, built once per Reference."""
        cache: dict[str, dict[str, object]] = self.__dict__.setdefault("_lookups", {})
        if name not in cache:
            cache[name] = make_lookup(getattr(self, name))
        return cache[name]


def column_label(column: str) -> str:
    """How a canonical column is named in a message: "entry_number" -> "entry number"."""
    return column.replace("_", " ")


class RowReader:
    """Reads the cells of one `SourceRow`, turning parse failures into `Issue`s for that row and column."""

    def __init__(self, source_row: SourceRow, reference: Reference) -> None:
        self.row = source_row.row
        self.cells = source_row.values
        self.reference = reference
        self.issues: list[Issue] = []

    @property
    def has_errors(self) -> bool:
        return any(issue.severity == "error" for issue in self.issues)

    def error(self, column: str, message: str) -> None:
        self.issues.append(Issue(self.row, column, message, "error"))

    def warn(self, column: str, message: str) -> None:
        self.issues.append(Issue(self.row, column, message, "warning"))

    def read(self, column: str, parse: Callable[[object], T | None], *, required: bool = False) -> T | None:
        """Parse one cell; an unparsable cell is an error, and so is a blank one when `required`."""
        raw = self.cells.get(column)
        try:
            value = self.memo(parse, raw, parse) if parse in _PURE_PARSERS else parse(raw)
        except (ValueError, ValidationError) as exc:
            self.error(column, str(exc))
            return None
        if value is None and required:
            self.error(column, f"{column_label(column)} is required")
        return value

    def memo(self, kind: object, raw: object, compute: Callable[[object], T]) -> T:
        """`compute(raw)`, remembered per Reference (one import) under (kind, raw); a failure is remembered as
        its message and raised again as a ValueError."""
        cache: dict[tuple[object, object], tuple[bool, object]]
        cache = self.reference.__dict__.setdefault("_memo", {})
        key = (kind, raw)
        try:
            hit = cache.get(key)
        except TypeError:  # an unhashable cell: nothing to remember
            return compute(raw)
        if hit is None:
            try:
                hit = (True, compute(raw))
            except (ValueError, ValidationError) as exc:
                hit = (False, str(exc))
            if len(cache) >= _MEMO_LIMIT:
                cache.clear()
            cache[key] = hit
        ok, value = hit
        if not ok:
            raise ValueError(value)
        return value  # type: ignore[return-value]

    def read_soft(self, column: str, parse: Callable[[object], T | None]) -> T | None:
        """Parse a warning-level cell: a bad value is reported as a warning and the cell left out."""
        try:
            return parse(self.cells.get(column))
        except (ValueError, ValidationError) as exc:
            self.warn(column, f"{exc}; value left out")
            return None

    def text(self, column: str, *, required: bool = False) -> str | None:
        return self.read(column, parse_text, required=required)

    def date(self, column: str, *, required: bool = False) -> date | None:
        return self.read(column, parse_date, required=required)

    def datetime(self, column: str, *, required: bool = False) -> datetime | None:
        return self.read(column, parse_datetime, required=required)

    def cents(self, column: str) -> int | None:
        return self.read(column, parse_amount_cents)

    def entry_number(self, column: str, *, required: bool = False) -> str | None:
        """Canonical ``XXXNNNNNNNC``, check digit verified; the message quotes the number as written."""
        text = self.text(column, required=required)
        if text is None:
            return None
        try:
            return self.memo("entry_number", text, lambda raw: parse_entry_number(str(raw)).canonical)
        except (ValueError, ValidationError) as exc:
            self.error(column, f"entry number {text}: {exc}")
            return None

    def importer_number(self, column: str, *, required: bool = False) -> str | None:
        """The normalised importer number (letters and digits only, upper case)."""
        text = self.text(column, required=required)
        return None if text is None else self._importer_number(column, text)

    def _importer_number(self, column: str, text: str) -> str | None:
        try:
            return self.memo("importer_number", text, lambda raw: parse_importer_number(str(raw)).normalized)
        except (ValueError, ValidationError) as exc:
            self.error(column, f"importer number {text}: {exc}")
            return None

    def importer_numbers(self, column: str) -> tuple[str, ...] | None:
        """Several importer numbers separated by ``;`` (required: at least one), duplicates dropped."""
        text = self.text(column, required=True)
        if text is None:
            return None
        parts = [part.strip() for part in text.split(";") if part.strip()]
        if not parts:
            self.error(column, "importer number is required")
            return None
        numbers = [self._importer_number(column, part) for part in parts]
        if any(number is None for number in numbers):
            return None
        return tuple(dict.fromkeys(n for n in numbers if n is not None))

    def port(self, column: str) -> str | None:
        """A Schedule D port: malformed is an error, unknown a warning (CONTRACTS.md §3)."""
        text = self.text(column)
        if text is None:
            return None
        try:
            warning = check_port(text, self.reference.ports or None)
        except ValidationError as exc:
            self.error(column, str(exc))
            return None
        if warning:
            self.warn(column, f"{warning}: expected a Schedule D port")
        return text.strip()

    def country(self, column: str) -> str | None:
        """ISO alpha-2; warning-level (DOMAIN.md §9.3), an unknown code is kept with a warning."""
        text = self.text(column)
        if text is None:
            return None
        try:
            warning = check_country(text, self.reference.countries)
        except ValidationError as exc:
            self.warn(column, f"{exc}; value left out")
            return None
        if warning and self.reference.countries:
            self.warn(column, warning)
        return text.strip().upper()

    def code_in(self, column: str, known: frozenset[str], *, what: str, width: int = 2) -> str | None:
        """A short numeric code (entry type, transport mode) zero-padded to `width`; unknown is a warning."""
        text = self.text(column)
        if text is None:
            return None
        if not (text.isdigit() and len(text) <= width):
            self.error(column, f"{what} must be {width} digits, got {text!r}")
            return None
        code = text.zfill(width)
        if known and code not in known:
            self.warn(column, f"unknown {what} {code}: expected a code from the {what} table")
        return code
