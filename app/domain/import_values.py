"""Cell parsers for import files (CONTRACTS.md §4 "Values", DOMAIN.md §9.3 "Amounts").

Each parser takes one raw cell — text from a CSV file, or the native date / datetime / int / float / bool an
XLSX cell holds — and returns the canonical value, ``None`` for a blank cell ("not given"), or raises
`ValueError` whose message says what was expected. Messages are short and lower case because the import
report shows them next to the row and column they belong to.

Dates are never guessed: ``13/45/2026`` is an error naming month 13, not a day-first reading, because US
extracts are month-first and a silent swap would file a hold on the wrong day.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import TypeVar

T = TypeVar("T")

DATE_FORMATS = "MM/DD/YYYY, YYYY-MM-DD or M/D/YY"
DATETIME_FORMATS = f"a date ({DATE_FORMATS}) with an optional time HH:MM[:SS]"

# Two-digit years pivot like POSIX strptime and Excel: 00-68 -> 2000-2068, 69-99 -> 1969-1999.
TWO_DIGIT_YEAR_PIVOT = 69

# Amounts above this many cents (ten trillion dollars) are a typo or a unit mix-up, and would not fit the
# 64-bit integer columns some databases use once summed.
MAX_AMOUNT_CENTS = 10**15 - 1

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([AaPp])\.?[Mm]\.?)?$")
_AMOUNT = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$")
# The usual spelling in extracts ("1234.56", "$1,234.56", "0"): read in one match, the rest by `_strip_sign`.
_PLAIN_AMOUNT = re.compile(r"\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")
_INTEGER = re.compile(r"^[+-]?\d+$")
_LOOKUP_NOISE = re.compile(r"[^0-9a-z]+")

_YES = frozenset({"y", "yes", "true", "t", "1", "x"})
_NO = frozenset({"n", "no", "false", "f", "0"})


def is_blank(raw: object) -> bool:
    """A cell that says nothing: missing, None, empty or only whitespace."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _number_text(raw: float) -> str:
    """A spreadsheet number as the text a person typed: 8542310000.0 -> "8542310000"."""
    if not math.isfinite(raw):
        raise ValueError("expected a value, got a non-finite number")
    return str(int(raw)) if raw.is_integer() else repr(raw)


def parse_text(raw: object) -> str | None:
    """Free text with surrounding blanks dropped; a number cell becomes the digits a person would type."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return "Y" if raw else "N"
    if isinstance(raw, float):
        return _number_text(raw)
    if isinstance(raw, datetime):
        return raw.isoformat(sep=" ")
    if isinstance(raw, date):
        return raw.isoformat()
    return str(raw).strip()


# --- dates and times ---------------------------------------------------------------------------------------


def _expand_year(text: str) -> int:
    year = int(text)
    if len(text) == 2:
        return year + (2000 if year < TWO_DIGIT_YEAR_PIVOT else 1900)
    return year


def _build_date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not valid: expected {DATE_FORMATS} (month first)")
    if year < 1900:
        raise ValueError(f"year {year} is out of range: expected a year from 1900")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"day {day} does not exist in {date(year, month, 1):%B %Y}") from None


def _date_from_text(text: str) -> date:
    if match := _ISO_DATE.match(text):
        return _build_date(int(match[1]), int(match[2]), int(match[3]))
    if match := _US_DATE.match(text):
        return _build_date(_expand_year(match[3]), int(match[1]), int(match[2]))
    raise ValueError(f"expected a date as {DATE_FORMATS}, got {text!r}")


def _time_from_text(text: str) -> time:
    match = _TIME.match(text)
    if not match:
        raise ValueError(f"expected a time as HH:MM[:SS], got {text!r}")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if meridiem := match[4]:
        if not 1 <= hour <= 12:
            raise ValueError(f"hour {hour} is not valid with AM/PM: expected 1 to 12")
        hour = hour % 12 + (12 if meridiem in "Pp" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"time {text} is not valid: expected HH:MM[:SS] on a 24-hour clock")
    return time(hour, minute, second)


def _split_date_time(text: str) -> tuple[str, str | None]:
    text = " ".join(text.split())
    if "T" in text and _ISO_DATE.match(text.split("T", 1)[0]):
        date_part, time_part = text.split("T", 1)
        return date_part, time_part
    date_part, _, time_part = text.partition(" ")
    return date_part, time_part or None


def parse_datetime(raw: object) -> datetime | None:
    """A date with an optional time of day (naive, as the extract gives it); a date alone is midnight."""
    if is_blank(raw):
        return None
    if isinstance(raw, datetime):
        return raw.replace(tzinfo=None, microsecond=0)
    if isinstance(raw, date):
        return datetime.combine(raw, time())
    if not isinstance(raw, str):
        raise ValueError(f"expected {DATETIME_FORMATS}, got the number {raw}")
    date_part, time_part = _split_date_time(raw.strip())
    day = _date_from_text(date_part)
    return datetime.combine(day, _time_from_text(time_part) if time_part else time())


def parse_date(raw: object) -> date | None:
    """A calendar date; a time of day is accepted only when it is midnight (spreadsheets add 00:00)."""
    if isinstance(raw, date) and not isinstance(raw, datetime):
        return raw
    value = parse_datetime(raw)
    if value is None:
        return None
    if value.time() != time():
        raise ValueError(f"expected a date without a time of day ({DATE_FORMATS})")
    return value.date()


# --- numbers -----------------------------------------------------------------------------------------------


def _check_cents(cents: int) -> int:
    if abs(cents) > MAX_AMOUNT_CENTS:
        raise ValueError("amount is too large: expected at most $9,999,999,999,999.99")
    return cents


def _strip_sign(text: str) -> tuple[bool, str]:
    """Take a sign off an amount: parentheses "(12.00)" or a minus before or after the "$"."""
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    if text.startswith("-") and not negative:
        negative, text = True, text[1:].strip()
    if text.startswith("$"):
        text = text[1:].strip()
    if text.startswith("-") and not negative:
        negative, text = True, text[1:].strip()
    return negative, text


def parse_amount_cents(raw: object) -> int | None:
    """An amount of dollars as whole cents: "$1,234.56" -> 123456, "(123.45)" -> -12345, blank -> None.

    Cents must be exact: more than two decimals is an error rather than a silent rounding.
    """
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise ValueError("expected an amount such as $1,234.56, got a yes/no value")
    if isinstance(raw, int):
        return _check_cents(raw * 100)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise ValueError("expected an amount such as $1,234.56")
        raw = repr(raw)
    if not isinstance(raw, str):
        raise ValueError(f"expected an amount such as $1,234.56, got {raw!r}")
    plain = _PLAIN_AMOUNT.fullmatch(raw)
    if plain is not None:
        dollars, cents = plain.groups()
        return _check_cents(int(dollars.replace(",", "")) * 100 + (int(cents.ljust(2, "0")) if cents else 0))
    return _cents_from_text(raw.strip())


def _cents_from_text(text: str) -> int:
    negative, body = _strip_sign(text)
    match = _AMOUNT.match(body) if "e" not in body.casefold() else None
    if not match or not (match[1] or match[2]):
        raise ValueError(f"expected an amount such as $1,234.56 or (1,234.56), got {text!r}")
    decimals = match[2] or ""
    if len(decimals) > 2:
        raise ValueError(f"amount {text} has more than 2 decimals: expected exact cents")
    # Whole dollars and cents as integers: exact, and much cheaper than Decimal on a million lines.
    cents = int((match[1] or "0").replace(",", "")) * 100 + int(decimals.ljust(2, "0"))
    return _check_cents(-cents if negative else cents)


def parse_int(raw: object, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A whole number, optionally within bounds; a spreadsheet's 3.0 is 3, but 3.5 is an error."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise ValueError("expected a whole number, got a yes/no value")
    if isinstance(raw, float):
        if not (math.isfinite(raw) and raw.is_integer()):
            raise ValueError(f"expected a whole number, got {raw}")
        raw = int(raw)
    if isinstance(raw, str):
        text = raw.strip()
        if text.endswith(".0"):
            text = text[:-2]
        if not _INTEGER.match(text) or len(text) > 18:
            raise ValueError(f"expected a whole number, got {raw.strip()!r}")
        raw = int(text)
    if not isinstance(raw, int):
        raise ValueError(f"expected a whole number, got {raw!r}")
    if minimum is not None and raw < minimum:
        raise ValueError(f"expected a whole number of at least {minimum}, got {raw}")
    if maximum is not None and raw > maximum:
        raise ValueError(f"expected a whole number of at most {maximum}, got {raw}")
    return raw


def parse_yes_no(raw: object) -> bool | None:
    """Y/N (also yes/no, true/false, 1/0) in any case."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return raw
    text = parse_text(raw) or ""
    if text.casefold() in _YES:
        return True
    if text.casefold() in _NO:
        return False
    raise ValueError(f"expected Y or N, got {text!r}")


# --- codes and labels --------------------------------------------------------------------------------------


def lookup_key(text: str) -> str:
    """How codes and labels compare: case, spaces and punctuation ignored ("CF-28" = "cf 28" = "CF28")."""
    return _LOOKUP_NOISE.sub("", text.casefold())


def make_lookup(spellings: Mapping[str, T]) -> dict[str, T]:
    """A table from every accepted spelling (code, label, alias) to its value, keyed by `lookup_key`."""
    return {lookup_key(text): value for text, value in spellings.items() if lookup_key(text)}


def parse_choice(raw: object, lookup: Mapping[str, T], *, expected: str) -> T | None:
    """A code or label from `lookup` (built with `make_lookup`); `expected` describes the accepted values."""
    text = parse_text(raw)
    if text is None:
        return None
    try:
        return lookup[lookup_key(text)]
    except KeyError:
        raise ValueError(f"unknown value {text!r}: expected {expected}") from None
