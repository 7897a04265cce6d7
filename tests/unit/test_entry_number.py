"""Entry numbers and their check digit (DOMAIN.md §4.2)."""

from __future__ import annotations

import string

import pytest
from hypothesis import given, strategies as st
from stdnum import luhn

from app.domain.errors import ValidationError
from app.domain.identifiers import (
    ENTRY_LETTER_VALUES,
    EntryNumber,
    entry_check_digit,
    format_entry_number,
    make_entry_number,
    parse_entry_number,
)

# The worked examples of DOMAIN.md §4.2: filer code, transaction, check digit, full entry number.
WORKED_EXAMPLES = [
    ("ABC", "1234567", 6, "ABC-1234567-6"),
    ("999", "9999999", 0, "999-9999999-0"),
    ("316", "0123456", 5, "316-0123456-5"),
    ("M2X", "0004512", 5, "M2X-0004512-5"),
    ("EA7", "1049385", 2, "EA7-1049385-2"),
]

# The letter table of DOMAIN.md §4.2 as printed there.
DOC_LETTER_TABLE = "A1 B2 C3 D4 E5 F6 G7 H8 I9 J1 K2 L3 M4 N5 O6 P7 Q8 R9 S2 T3 U4 V5 W6 X7 Y8 Z9"

FILER_ALPHABET = string.ascii_uppercase + string.digits
filer_codes = st.text(FILER_ALPHABET, min_size=3, max_size=3)
transactions = st.text(string.digits, min_size=7, max_size=7)
entry_numbers = st.builds(make_entry_number, filer_codes, transactions)


def _mapped(char: str) -> int:
    return int(char) if char.isdigit() else ENTRY_LETTER_VALUES[char]


@pytest.mark.parametrize(("filer", "transaction", "digit", "full"), WORKED_EXAMPLES)
def test_worked_examples(filer: str, transaction: str, digit: int, full: str) -> None:
    assert entry_check_digit(filer + transaction) == digit
    entry = parse_entry_number(full)
    assert (entry.filer_code, entry.transaction, entry.check_digit) == (filer, transaction, digit)
    assert entry.display == full
    assert entry.canonical == full.replace("-", "")
    assert make_entry_number(filer, transaction) == entry


def test_letter_values_match_the_published_table() -> None:
    expected = {pair[0]: int(pair[1]) for pair in DOC_LETTER_TABLE.split()}
    assert expected == ENTRY_LETTER_VALUES


@pytest.mark.parametrize(
    "text",
    ["ABC-1234567-6", "ABC12345676", "abc-1234567-6", " abc 1234567 6 ", "ABC - 1234567 - 6", "aBc1234-5676"],
)
def test_accepts_hyphens_spaces_and_any_case(text: str) -> None:
    assert parse_entry_number(text).canonical == "ABC12345676"


def test_wrong_check_digit_names_the_expected_digit() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_entry_number("ABC-1234567-5")
    assert str(caught.value) == "check digit should be 6"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("ABC-123456-6", "must be 11 characters"),
        ("ABC-12345678-6", "got 12"),
        ("ABC/1234567-6", "letters, digits, hyphens and spaces"),
        ("AB_-1234567-6", "letters, digits, hyphens and spaces"),
        ("ABC-12345A7-6", "transaction number must be 7 digits"),
        ("ABC-1234567-X", "check digit"),
    ],
)
def test_malformed_numbers_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_entry_number(text)
    message = str(caught.value)
    assert fragment in message
    assert message == message.lower()
    assert "\n" not in message


@pytest.mark.parametrize("filer", ["123", "A12", "AB1", "ABC", "A1B", "1A2", "12A", "1AB"])
def test_every_allowed_filer_code_pattern(filer: str) -> None:
    # NNN, ANN, AAN, AAA, ANA, NAN, NNA, NAA
    entry = make_entry_number(filer, "7654321")
    assert parse_entry_number(entry.display) == entry


def test_unverified_parse_keeps_a_flagged_number() -> None:
    entry = parse_entry_number("ABC12345675", verify_check_digit=False)
    assert entry.check_digit == 5
    assert not entry.has_valid_check_digit
    assert entry.expected_check_digit == 6
    assert format_entry_number("ABC12345675") == "ABC-1234567-5"
    assert parse_entry_number("ABC12345676").has_valid_check_digit


def test_format_still_checks_the_structure() -> None:
    with pytest.raises(ValidationError):
        format_entry_number("ABC1234567")


def test_make_pads_an_integer_transaction_number() -> None:
    assert make_entry_number("abc", 45) == EntryNumber("ABC", "0000045", entry_check_digit("ABC0000045"))
    with pytest.raises(ValidationError):
        make_entry_number("ABC", 10_000_000)
    with pytest.raises(ValidationError):
        make_entry_number("ABCD", "1234567")
    with pytest.raises(ValidationError):
        make_entry_number("ABC", "123456")


def test_check_digit_of_a_malformed_base_is_an_error() -> None:
    with pytest.raises(ValidationError, match="10 characters"):
        entry_check_digit("ABC123456")
    with pytest.raises(ValidationError, match="transaction number"):
        entry_check_digit("ABC123456A")


@given(filer_codes, transactions)
def test_check_digit_is_luhn_over_the_mapped_digits(filer: str, transaction: str) -> None:
    mapped = "".join(str(_mapped(char)) for char in filer + transaction)
    assert entry_check_digit(filer + transaction) == int(luhn.calc_check_digit(mapped))


@given(entry_numbers)
def test_round_trip_through_canonical_and_display(entry: EntryNumber) -> None:
    assert entry.has_valid_check_digit
    assert parse_entry_number(entry.canonical) == entry
    assert parse_entry_number(entry.display) == entry
    assert parse_entry_number(entry.display.lower()) == entry
    assert parse_entry_number(" ".join(entry.canonical)) == entry
    assert format_entry_number(entry.canonical) == entry.display
    assert len(entry.canonical) == 11
    assert entry.display[3] == entry.display[11] == "-"


@given(entry_numbers, st.integers(3, 10), st.sampled_from(string.digits))
def test_any_change_to_a_digit_of_the_number_or_check_digit_is_caught(
    entry: EntryNumber, position: int, digit: str
) -> None:
    # Luhn catches every single-digit substitution: adding, and doubling-then-reducing, are both one-to-one on
    # 0-9, so the sum changes by a non-zero amount below 10.
    canonical = entry.canonical
    if canonical[position] == digit:
        return
    changed = canonical[:position] + digit + canonical[position + 1 :]
    with pytest.raises(ValidationError, match="check digit should be"):
        parse_entry_number(changed)


@given(entry_numbers, st.integers(0, 2), st.sampled_from(FILER_ALPHABET))
def test_a_filer_code_change_is_caught_unless_the_characters_share_a_value(
    entry: EntryNumber, position: int, char: str
) -> None:
    # The check digit sees only the mapped values (A, J and 1 are all 1; S and B are both 2, ...). So a change
    # between characters of the same value cannot be caught: DOMAIN.md §4.2 defines it so, and the new number
    # is itself valid. Every change between characters of different values is caught, as for digits.
    canonical = entry.canonical
    original = canonical[position]
    if char == original:
        return
    changed = canonical[:position] + char + canonical[position + 1 :]
    if _mapped(char) == _mapped(original):
        assert parse_entry_number(changed).check_digit == entry.check_digit
    else:
        with pytest.raises(ValidationError, match="check digit should be"):
            parse_entry_number(changed)


def test_letters_of_the_same_value_give_the_same_check_digit() -> None:
    # The documented blind spot of the algorithm, stated once with real values.
    assert parse_entry_number("ABC-1234567-6")
    assert parse_entry_number("JBC-1234567-6")
    assert parse_entry_number("1BC-1234567-6")
    assert parse_entry_number("ASC-1234567-6")  # S = 2 = B


@given(entry_numbers, st.integers(3, 10), st.sampled_from(string.ascii_uppercase))
def test_a_letter_in_the_digit_part_is_a_format_error(entry: EntryNumber, position: int, letter: str) -> None:
    canonical = entry.canonical
    changed = canonical[:position] + letter + canonical[position + 1 :]
    with pytest.raises(ValidationError, match=r"must be 7 digits|must be a digit"):
        parse_entry_number(changed)
