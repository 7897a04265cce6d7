"""Reader for the bundled, versioned reference tables in `resources/reference/` (DOMAIN.md §8, §9.1).

Each table is a UTF-8 CSV file named after the table (`ports.csv`, …) with a header row; `VERSION` holds
the data version. Values come back as stripped strings, a blank cell as `""`: typing and validation belong to
the loader. The files are read-only at run time, so the helpers below cache what they read; they hand out
copies, never the cached objects.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Final

from app.locations import reference_dir

# In dependency order: a table only refers to tables listed before it (centers.office_port -> ports,
# hold_categories.agency -> agencies, disposition_codes.category -> hold_categories).
REFERENCE_FILES: Final[tuple[str, ...]] = (
    "ports",
    "centers",
    "entry_types",
    "transport_modes",
    "agencies",
    "hold_categories",
    "disposition_codes",
    "compliance_event_types",
    "countries",
    "province_codes",
)

VERSION_FILE: Final = "VERSION"
_VERSION_LINE = re.compile(r"""^\s*reference_version\s*=\s*["']([^"']+)["']\s*$""")

Row = MappingProxyType[str, str]


class ReferenceDataError(ValueError):
    """A bundled reference file is missing, unknown or malformed."""


def reference_path(name: str) -> Path:
    """Path of the CSV file for table `name` (one of `REFERENCE_FILES`)."""
    if name not in REFERENCE_FILES:
        known = ", ".join(REFERENCE_FILES)
        raise ReferenceDataError(f"unknown reference table {name!r}; expected one of {known}")
    return reference_dir() / f"{name}.csv"


def read_reference(name: str) -> list[dict[str, str]]:
    """All rows of table `name`, as dicts keyed by the header; values stripped, blank cells `""`."""
    path = reference_path(name)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle, restval="")
            if reader.fieldnames is None:
                raise ReferenceDataError(f"{path.name}: empty file, no header row")
            header = [field.strip() for field in reader.fieldnames]
            rows: list[dict[str, str]] = []
            for raw in reader:
                if None in raw:
                    where = f"{path.name}, line {reader.line_num}"
                    raise ReferenceDataError(f"{where}: more cells than header columns")
                values = [(value or "").strip() for value in raw.values()]
                if not any(values):
                    continue  # a blank line
                rows.append(dict(zip(header, values, strict=True)))
    except OSError as exc:
        raise ReferenceDataError(f"cannot read reference table {name!r}: {exc}") from exc
    return rows


def reference_version() -> str:
    """The data version of the bundled tables (`reference_version = "…"` in `VERSION`)."""
    path = reference_dir() / VERSION_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ReferenceDataError(f"cannot read {path}: {exc}") from exc
    for line in text.splitlines():
        match = _VERSION_LINE.match(line)
        if match:
            return match.group(1).strip()
    raise ReferenceDataError(f"{path}: no 'reference_version = \"…\"' line")


@cache
def _rows(name: str) -> tuple[Row, ...]:
    return tuple(MappingProxyType(row) for row in read_reference(name))


@cache
def known_port_codes() -> frozenset[str]:
    """The 4-digit Schedule D port codes of the bundled table (leading zeros kept)."""
    return frozenset(row["code"] for row in _rows("ports"))


@cache
def known_country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 country codes."""
    return frozenset(row["alpha2"] for row in _rows("countries"))


def port_names() -> dict[str, str]:
    """Port code -> port name (a fresh dict on every call)."""
    return {row["code"]: row["name"] for row in _rows("ports")}


def center_rows() -> list[dict[str, str]]:
    """The ten Centers in file order (fresh dicts on every call)."""
    return [dict(row) for row in _rows("centers")]


def clear_reference_cache() -> None:
    """Forget what the cached helpers read (for tests that point the app at other files)."""
    _rows.cache_clear()
    known_port_codes.cache_clear()
    known_country_codes.cache_clear()
