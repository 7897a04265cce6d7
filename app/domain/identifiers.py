"""Customs identifiers: entry numbers, ports, HTS numbers, countries, containers and air waybills.

The rules are those of DOMAIN.md §4 (importer numbers live in `importer_number.py`, MIDs in `mid.py`).

Two kinds of function, used the same way for every identifier:

* `parse_*` / `normalize_*` / `format_*` return the canonical value or raise `ValidationError` when the value
  is malformed. The message is short, lower case and one line, because it is shown to a person as is (in an
  import report: ``{"row": 7, "column": "entry_number", "message": "check digit should be 6"}``).
* `check_*` handle the rules that DOMAIN.md §9.3 grades as *warnings* because they depend on reference data
  that may be stale (an unknown port, country or HTS number): they return ``None`` when all is well, else one
  warning message, and raise `ValidationError` only when the value is malformed.

The caller decides the severity of a column: where a whole field is warning-level (MID, container, air
waybill), it catches `ValidationError` and reports its message as a warning.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from app.domain.errors import ValidationError

_SEPARATORS = re.compile(r"[\s\-]+")
_ALNUM = re.compile(r"^[A-Z0-9]*$")
_DIGITS = "0123456789"


def compact(text: str) -> str:
    """Upper-case `text` and drop spaces and hyphens: the normal form every identifier is compared in."""
    return _SEPARATORS.sub("", text).upper()


def _all_digits(text: str) -> bool:
    # str.isdigit() would accept "²" or Arabic-Indic digits, which no customs identifier contains.
    return all(ch in _DIGITS for ch in text)


# --- entry number (DOMAIN.md §4.2) --------------------------------------------------------------------------


def _letter_values() -> dict[str, int]:
    # CATAIR "AE Table 1": A-I -> 1-9, J-R -> 1-9, S-Z -> 2-9. Several characters share a value (A, J and 1
    # are all 1), so swapping one for another in the filer code keeps the check digit: the published rule.
    groups = (("ABCDEFGHI", 1), ("JKLMNOPQR", 1), ("STUVWXYZ", 2))
    return {letter: first + i for letters, first in groups for i, letter in enumerate(letters)}


ENTRY_LETTER_VALUES: dict[str, int] = _letter_values()

# The eight allowed filer-code patterns (NNN, ANN, AAN, AAA, ANA, NAN, NNA, NAA) are every mix of letters and
# digits, so the rule reduces to "three letters or digits, no special characters".
_FILER_CODE = re.compile(r"^[A-Z0-9]{3}$")


@dataclass(frozen=True)
class EntryNumber:
    """An entry number split into its parts. Build it with `parse_entry_number` or `make_entry_number`."""

    filer_code: str
    transaction: str
    check_digit: int

    @property
    def canonical(self) -> str:
        """The stored form, ``XXXNNNNNNNC``."""
        return f"{self.filer_code}{self.transaction}{self.check_digit}"

    @property
    def display(self) -> str:
        """The form people read, ``XXX-NNNNNNN-C``."""
        return f"{self.filer_code}-{self.transaction}-{self.check_digit}"

    @property
    def expected_check_digit(self) -> int:
        return entry_check_digit(self.filer_code + self.transaction)

    @property
    def has_valid_check_digit(self) -> bool:
        return self.check_digit == self.expected_check_digit

    def __str__(self) -> str:
        return self.display


def _split_entry_base(base: str) -> tuple[str, str]:
    """Check the 10-character base (filer code + transaction number) and return its two parts."""
    if not _FILER_CODE.match(base[:3]):
        raise ValidationError("filer code must be 3 letters or digits")
    if not _all_digits(base[3:]):
        raise ValidationError("transaction number must be 7 digits")
    return base[:3], base[3:]


def entry_check_digit(base10: str) -> int:
    """The check digit of a filer code + transaction number (10 characters; hyphens and spaces ignored).

    It is the Luhn check digit of the 10 mapped digits: odd positions (from the left) count as they are, even
    positions are doubled and reduced to one digit, and the digit brings the sum to a multiple of 10.
    """
    base = compact(base10)
    if len(base) != 10:
        raise ValidationError(f"filer code and transaction number must be 10 characters, got {len(base)}")
    _split_entry_base(base)
    total = 0
    for position, char in enumerate(base, start=1):
        value = int(char) if char in _DIGITS else ENTRY_LETTER_VALUES[char]
        if position % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return (10 - total % 10) % 10


def parse_entry_number(text: str, *, verify_check_digit: bool = True) -> EntryNumber:
    """Read an entry number written with or without hyphens and spaces, in any case.

    With ``verify_check_digit=False`` a wrong check digit is accepted (the structure is still checked), so
    that stored rows flagged at import can be read back; `EntryNumber.has_valid_check_digit` tells them apart.
    """
    value = compact(text)
    if not value:
        raise ValidationError("entry number is empty")
    if not _ALNUM.match(value):
        raise ValidationError("entry number may only contain letters, digits, hyphens and spaces")
    if len(value) != 11:
        raise ValidationError(
            f"entry number must be 11 characters (filer code, 7 digits, check digit), got {len(value)}"
        )
    filer_code, transaction = _split_entry_base(value[:10])
    if value[10] not in _DIGITS:
        raise ValidationError("check digit (the last character) must be a digit")
    entry = EntryNumber(filer_code, transaction, int(value[10]))
    if verify_check_digit and not entry.has_valid_check_digit:
        raise ValidationError(f"check digit should be {entry.expected_check_digit}")
    return entry


def format_entry_number(canonical: str) -> str:
    """``XXXNNNNNNNC`` -> ``XXX-NNNNNNN-C``; the check digit is not verified (stored rows may be flagged)."""
    return parse_entry_number(canonical, verify_check_digit=False).display


def make_entry_number(filer_code: str, transaction: str | int) -> EntryNumber:
    """Build a valid entry number (with its check digit) from a filer code and a transaction number.

    An integer transaction number is zero-padded to 7 digits, as filers number their entries.
    """
    if isinstance(transaction, int):
        if not 0 <= transaction <= 9_999_999:
            raise ValidationError("transaction number must be 7 digits")
        transaction = f"{transaction:07d}"
    filer, serial = compact(filer_code), compact(transaction)
    if len(filer) != 3:
        raise ValidationError("filer code must be 3 letters or digits")
    if len(serial) != 7:
        raise ValidationError("transaction number must be 7 digits")
    filer, serial = _split_entry_base(filer + serial)
    return EntryNumber(filer, serial, entry_check_digit(filer + serial))


# --- port (Schedule D, DOMAIN.md §4.3) ----------------------------------------------------------------------


def normalize_port(text: str) -> str:
    """A Schedule D port code as its 4-character string; the leading zero is part of the code (``0401``)."""
    value = text.strip()
    if len(value) == 4 and _all_digits(value):
        return value
    if len(value) == 3 and _all_digits(value):
        # Spreadsheets drop the leading zero: say so rather than guess (401 could be a typo for 4101 too).
        raise ValidationError(f"port code must be 4 digits (leading zero lost? 0{value})")
    raise ValidationError("port code must be 4 digits")


def check_port(code: str, known_ports: Collection[str] | None) -> str | None:
    """Raise on a malformed port code; warn when it is not in Schedule D (`known_ports` None: no check)."""
    port = normalize_port(code)
    if known_ports is not None and port not in known_ports:
        return f"unknown port code {port}"
    return None


# --- HTS number (DOMAIN.md §4.4) ----------------------------------------------------------------------------

_HTS_SEPARATORS = re.compile(r"[\s.]+")


def normalize_hts(text: str) -> str:
    """A 10-digit HTSUS number as stored (no dots); dots and spaces in the input are ignored."""
    value = _HTS_SEPARATORS.sub("", text)
    if not (len(value) == 10 and _all_digits(value)):
        digits = sum(ch in _DIGITS for ch in value)
        if len(value) == digits:
            raise ValidationError(f"hts number must be 10 digits, got {digits}")
        raise ValidationError("hts number may only contain digits and dots")
    chapter = value[:2]
    if chapter == "00":
        raise ValidationError("hts chapter 00 does not exist")
    if chapter == "77":
        raise ValidationError("hts chapter 77 is reserved")
    return value


def format_hts(code: str) -> str:
    """``8542310000`` -> ``8542.31.0000``."""
    value = normalize_hts(code)
    return f"{value[:4]}.{value[4:6]}.{value[6:]}"


def hts_chapter(code: str) -> int:
    """The chapter (1-99) of an HTS number: 98 special classifications, 99 temporary and additional duties."""
    return int(normalize_hts(code)[:2])


def check_hts(code: str, known_hts: Collection[str] | None = None) -> str | None:
    """Raise on a malformed HTS number; warn when it is missing from the HTS revision given (None: skip)."""
    value = normalize_hts(code)
    if known_hts is not None and value not in known_hts:
        return f"hts number {format_hts(value)} is not in the tariff schedule"
    return None


# --- country (ISO 3166-1 alpha-2) ---------------------------------------------------------------------------


def normalize_country(text: str) -> str:
    value = text.strip().upper()
    if len(value) != 2 or not ("A" <= value[0] <= "Z" and "A" <= value[1] <= "Z"):
        raise ValidationError("country code must be 2 letters (iso alpha-2)")
    return value


def check_country(code: str, known_countries: Collection[str]) -> str | None:
    """Raise on a malformed country code; warn when it is not an ISO 3166-1 alpha-2 code we know."""
    value = normalize_country(code)
    if value not in known_countries:
        return f"unknown country code {value}"
    return None


# --- container number (ISO 6346) and air waybill (DOMAIN.md §4.6) -------------------------------------------


def _container_letter_values() -> dict[str, int]:
    # A=10, B=12, ... Z=38: counting up from 10 and skipping the multiples of 11 (11, 22, 33).
    values: dict[str, int] = {}
    value = 10
    for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        if value % 11 == 0:
            value += 1
        values[letter] = value
        value += 1
    return values


CONTAINER_LETTER_VALUES: dict[str, int] = _container_letter_values()
_CONTAINER_BASE = re.compile(r"^[A-Z]{3}[UJZ][0-9]{6}$")


def container_check_digit(base: str) -> int:
    """ISO 6346 check digit of owner code + category letter + 6-digit serial (10 characters)."""
    value = compact(base)
    if not _CONTAINER_BASE.match(value):
        raise ValidationError("container number must be 4 letters (the 4th u, j or z) and 6 digits")
    total = sum(
        (int(ch) if ch in _DIGITS else CONTAINER_LETTER_VALUES[ch]) * 2**position
        for position, ch in enumerate(value)
    )
    return total % 11 % 10


def normalize_container(text: str) -> str:
    """An ISO 6346 container number such as ``CSQU3054383`` (spaces, hyphens ignored), check digit checked."""
    value = compact(text)
    if len(value) != 11:
        raise ValidationError(f"container number must be 11 characters, got {len(value)}")
    expected = container_check_digit(value[:10])
    if value[10] != str(expected):
        raise ValidationError(f"container check digit should be {expected}")
    return value


def awb_check_digit(serial: str) -> int:
    """Air waybill check digit: the 7-digit serial number modulo 7."""
    if not (len(serial) == 7 and _all_digits(serial)):
        raise ValidationError("air waybill serial must be 7 digits")
    return int(serial) % 7


def normalize_awb(text: str) -> str:
    """A master air waybill as 11 digits: airline prefix (3), serial (7), check digit (serial mod 7)."""
    value = compact(text)
    if not (len(value) == 11 and _all_digits(value)):
        raise ValidationError("air waybill must be 11 digits (airline prefix, serial, check digit)")
    expected = awb_check_digit(value[3:10])
    if int(value[10]) != expected:
        raise ValidationError(f"air waybill check digit should be {expected}")
    return value


def format_awb(text: str) -> str:
    """``17612345675`` -> ``176-12345675``."""
    value = normalize_awb(text)
    return f"{value[:3]}-{value[3:]}"
