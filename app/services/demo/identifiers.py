"""Valid-by-construction identifiers for the demo: importer numbers and filer codes (DOMAIN.md §4.1, §4.2).

Each generator returns the normalised value; the unit tests run thousands of them through the domain's own
validators (`parse_importer_number`, `make_entry_number`).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date

from app.domain.importer_number import EIN_PREFIXES

# Sorted: a frozenset of strings iterates in a per-process hash order, which would break determinism.
EIN_PREFIX_LIST: tuple[str, ...] = tuple(sorted(EIN_PREFIXES))

# Division suffixes: never I, O or Z. "00" is by far the most common.
_EXTRA_SUFFIXES: tuple[str, ...] = ("01", "02", "03", "10", "A1", "B2")

# Years of assignment for CBP-assigned numbers whose two digits are NOT a valid EIN prefix (1996, 1997, 2000,
# 2007-2009, 2017-2019): the 11 digits then read unambiguously as CBP-assigned even when typed without the
# hyphen (an EIN reading is tried first, see app.domain.importer_number).
CBP_ASSIGNED_YEARS: tuple[int, ...] = tuple(
    y for y in range(1996, 2024) if f"{y % 100:02d}" not in EIN_PREFIXES
)

# The eight allowed filer-code patterns (A = letter, N = digit).
FILER_PATTERNS: tuple[str, ...] = ("NNN", "ANN", "AAN", "AAA", "ANA", "NAN", "NNA", "NAA")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"


def ein_number(rng: random.Random, suffix: str | None = None) -> str:
    """An EIN-based importer number `NNNNNNNNNXX`: valid IRS campus prefix, suffix usually 00."""
    prefix = rng.choice(EIN_PREFIX_LIST)
    if suffix is None:
        suffix = "00" if rng.random() < 0.85 else rng.choice(_EXTRA_SUFFIXES)
    return f"{prefix}{rng.randrange(10_000_000):07d}{suffix}"


def division_suffix(rng: random.Random, taken: list[str]) -> str:
    """A suffix for another division of the same EIN, not already used by the account."""
    free = [s for s in _EXTRA_SUFFIXES if s not in taken]
    return rng.choice(free) if free else "00"


def ssn_number(rng: random.Random) -> str:
    """An SSN-based importer number `NNNNNNNNN`: area not 000, 666 or 9xx; group not 00; serial not 0000."""
    area = rng.randrange(1, 899)
    if area >= 666:
        area += 1  # skip 666; 667-899 remain
    return f"{area:03d}{rng.randrange(1, 100):02d}{rng.randrange(1, 10_000):04d}"


def cbp_assigned_number(rng: random.Random, port_codes: list[str], today: date) -> str:
    """A CBP-assigned importer number `YYDDPPNNNNN`: year of assignment, assigning Schedule D port, serial."""
    years = [y for y in CBP_ASSIGNED_YEARS if y < today.year] or [CBP_ASSIGNED_YEARS[0]]
    year = rng.choice(years)
    return f"{year % 100:02d}{rng.choice(port_codes)}{rng.randrange(1, 100_000):05d}"


def display_ior(normalized: str, ior_type: str) -> str:
    """The hyphenated form importers write (the `raw` column)."""
    if ior_type == "EIN":
        return f"{normalized[:2]}-{normalized[2:]}"
    if ior_type == "SSN":
        return f"{normalized[:3]}-{normalized[3:5]}-{normalized[5:]}"
    return f"{normalized[:6]}-{normalized[6:]}"


def filer_code(rng: random.Random) -> str:
    """A 3-character filer code of one of the eight allowed patterns."""
    pattern = rng.choice(FILER_PATTERNS)
    return "".join(rng.choice(_LETTERS if p == "A" else _DIGITS) for p in pattern)


def unique_codes(rng: random.Random, count: int, make: Callable[[random.Random], str]) -> list[str]:
    """`count` distinct values of `make(rng)`, in the order drawn (a set only tests membership)."""
    seen: set[str] = set()
    codes: list[str] = []
    while len(codes) < count:
        code = make(rng)
        if code not in seen:
            seen.add(code)
            codes.append(code)
    return codes
