"""Cell parsers for import files: every accepted format, and hostile values that must be refused."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from app.domain.enums import RiskSegment
from app.domain.import_values import (
    MAX_AMOUNT_CENTS,
    is_blank,
    make_lookup,
    parse_amount_cents,
    parse_choice,
    parse_date,
    parse_datetime,
    parse_int,
    parse_text,
    parse_yes_no,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03/07/2026", date(2026, 3, 7)),
        ("3/7/2026", date(2026, 3, 7)),
        ("2026-03-07", date(2026, 3, 7)),
        ("3/7/26", date(2026, 3, 7)),
        ("12/31/68", date(2068, 12, 31)),
        ("1/1/69", date(1969, 1, 1)),
        ("  02/29/2024 ", date(2024, 2, 29)),
        ("03/07/2026 00:00", date(2026, 3, 7)),
        (date(2026, 3, 7), date(2026, 3, 7)),
        (datetime(2026, 3, 7), date(2026, 3, 7)),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_dates_in_every_accepted_format(raw: object, expected: date | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("13/45/2026", "month 13 is not valid"),
        ("13/01/2026", "month 13 is not valid"),  # day-first is never guessed
        ("02/30/2026", "day 30 does not exist in February 2026"),
        ("02/29/2025", "day 29 does not exist in February 2025"),
        ("2026-00-10", "month 0 is not valid"),
        ("07.03.2026", "expected a date as MM/DD/YYYY, YYYY-MM-DD or M/D/YY"),
        ("March 7", "expected a date as"),
        ("1/1/0026", "year 26 is out of range"),
        ("03/07/2026 10:30", "expected a date without a time of day"),
        (45000, "got the number 45000"),
    ],
)
def test_bad_dates_say_what_was_expected(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("03/07/2026 14:05", datetime(2026, 3, 7, 14, 5)),
        ("03/07/2026 14:05:09", datetime(2026, 3, 7, 14, 5, 9)),
        ("2026-03-07T14:05:09", datetime(2026, 3, 7, 14, 5, 9)),
        ("2026-03-07 2:05 PM", datetime(2026, 3, 7, 14, 5)),
        ("2026-03-07 12:05 am", datetime(2026, 3, 7, 0, 5)),
        ("3/7/26", datetime(2026, 3, 7)),
        (datetime(2026, 3, 7, 14, 5, 9, 500), datetime(2026, 3, 7, 14, 5, 9)),
        (date(2026, 3, 7), datetime(2026, 3, 7)),
        ("", None),
    ],
)
def test_date_times(raw: object, expected: datetime | None) -> None:
    assert parse_datetime(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("03/07/2026 24:00", "time 24:00 is not valid"),
        ("03/07/2026 10:60", "time 10:60 is not valid"),
        ("03/07/2026 13:00 PM", "hour 13 is not valid with AM/PM"),
        ("03/07/2026 noon", "expected a time as HH:MM"),
        ("13/07/2026 10:00", "month 13"),
    ],
)
def test_bad_date_times(raw: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_datetime(raw)


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        ("1234.56", 123456),
        ("$1,234.56", 123456),
        ("$1,234", 123400),
        ("(1,234.56)", -123456),
        ("($1,234.56)", -123456),
        ("-$12.50", -1250),
        ("$-12.5", -1250),
        (" 0.07 ", 7),
        ("12.", 1200),
        (".5", 50),
        ("1234567", 123456700),
        (1234, 123400),
        (12.34, 1234),
        (0.1, 10),
        ("", None),
        (None, None),
        ("9,999,999,999,999.99", MAX_AMOUNT_CENTS),
    ],
)
def test_amounts_become_exact_cents(raw: object, cents: int | None) -> None:
    assert parse_amount_cents(raw) == cents


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("1,2,3", "expected an amount such as"),
        ("1.2.3", "expected an amount such as"),
        ("$", "expected an amount such as"),
        ("12.345", "more than 2 decimals: expected exact cents"),
        ("12,34", "expected an amount such as"),
        ("1e5", "expected an amount such as"),
        ("USD 12", "expected an amount such as"),
        ("--5", "expected an amount such as"),
        ("10,000,000,000,000.00", "amount is too large"),
        (10**20, "amount is too large"),
        (float("nan"), "expected an amount"),
        (True, "yes/no value"),
    ],
)
def test_bad_amounts(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_amount_cents(raw)


def test_integers() -> None:
    assert parse_int("  42 ") == 42
    assert parse_int(3.0) == 3
    assert parse_int("3.0") == 3
    assert parse_int("") is None
    assert parse_int("-2") == -2
    with pytest.raises(ValueError, match=r"expected a whole number, got 3\.5"):
        parse_int(3.5)
    with pytest.raises(ValueError, match="expected a whole number, got '1,000'"):
        parse_int("1,000")
    with pytest.raises(ValueError, match="expected a whole number"):
        parse_int("9" * 40)
    with pytest.raises(ValueError, match="at least 1, got 0"):
        parse_int("0", minimum=1)
    with pytest.raises(ValueError, match="at most 10, got 11"):
        parse_int(11, maximum=10)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Y", True),
        ("y", True),
        ("Yes", True),
        ("N", False),
        (" no ", False),
        (True, True),
        (0.0, False),
        ("", None),
    ],
)
def test_yes_no(raw: object, expected: bool | None) -> None:
    assert parse_yes_no(raw) == expected


def test_yes_no_refuses_other_words() -> None:
    with pytest.raises(ValueError, match="expected Y or N, got 'maybe'"):
        parse_yes_no("maybe")


def test_choices_by_code_or_label_in_any_case() -> None:
    lookup = make_lookup({"low": RiskSegment.LOW, "High risk": RiskSegment.HIGH})
    assert parse_choice(" LOW ", lookup, expected="low or high") is RiskSegment.LOW
    assert parse_choice("high-risk", lookup, expected="low or high") is RiskSegment.HIGH
    assert parse_choice("", lookup, expected="low or high") is None
    with pytest.raises(ValueError, match="unknown value 'extreme': expected low or high"):
        parse_choice("extreme", lookup, expected="low or high")


def test_text_and_blank_cells() -> None:
    assert is_blank("  \t")
    assert not is_blank(0)
    assert parse_text("  Acme  ") == "Acme"
    assert parse_text(8542310000.0) == "8542310000"
    assert parse_text(12) == "12"
    assert parse_text("\u00a0") is None
