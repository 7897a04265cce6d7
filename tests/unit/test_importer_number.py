"""Importer of Record numbers (DOMAIN.md §4.1)."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, strategies as st
from stdnum.us import ein as stdnum_ein, ssn as stdnum_ssn

from app.domain.enums import IORType
from app.domain.errors import ValidationError
from app.domain.importer_number import (
    EIN_PREFIXES,
    ImporterNumber,
    normalize_importer_number,
    parse_importer_number,
)

PORTS = frozenset({"2704", "2709", "0401", "1001"})
SUFFIX_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXY"  # no I, O, Z

# SSNs that python-stdnum rejects beyond the rules of DOMAIN.md §4.1 (numbers published in advertising, e.g.
# the Woolworth wallet card 078-05-1120). DOMAIN.md does not ask for them to be rejected.
STDNUM_SSN_BLACKLIST = {"078051120", "457555462", "219099999"}


def _error(text: str, known_ports: frozenset[str] | None = PORTS) -> str:
    with pytest.raises(ValidationError) as caught:
        parse_importer_number(text, known_ports)
    return str(caught.value)


# --- the examples of DOMAIN.md §4.1 and the shared sample roster --------------------------------------------


def test_ein_example() -> None:
    number = parse_importer_number("26-164751100", PORTS)
    assert number == ImporterNumber("26164751100", IORType.EIN, "00")
    assert number.display == "26-164751100"
    assert number.masked == number.display


def test_ssn_example_is_masked_by_default() -> None:
    number = parse_importer_number("123-45-6789", PORTS)
    assert number == ImporterNumber("123456789", IORType.SSN)
    assert number.display == "123-45-6789"
    assert number.masked == "***-**-6789"
    assert number.display_for(unmask=False) == "***-**-6789"
    assert number.display_for(unmask=True) == "123-45-6789"
    assert str(number) == "***-**-6789"
    assert f"{number}" == "***-**-6789"


def test_cbp_assigned_example() -> None:
    number = parse_importer_number("982704-12345", PORTS)
    assert number == ImporterNumber("98270412345", IORType.CBP_ASSIGNED)
    assert number.display == "982704-12345"
    assert number.display_for(unmask=False) == "982704-12345"


@pytest.mark.parametrize("text", ["20-584410200", "41-792897400", "75-181331200", "94-317403600"])
def test_sample_roster_numbers_are_ein_based(text: str) -> None:
    number = parse_importer_number(text)
    assert number.ior_type is IORType.EIN
    assert number.display == text


def test_normalisation_strips_spaces_hyphens_and_case() -> None:
    assert normalize_importer_number(" 26-1647511ab ") == "261647511AB"
    number = parse_importer_number("26 1647511 ab")
    assert number.normalized == "261647511AB"
    assert number.suffix == "AB"
    assert number.display == "26-1647511AB"


# --- EIN rules ----------------------------------------------------------------------------------------------


def test_ein_prefixes_agree_with_stdnum() -> None:
    for n in range(100):
        prefix = f"{n:02d}"
        assert (prefix in EIN_PREFIXES) == stdnum_ein.is_valid(f"{prefix}-1234567"), prefix


def test_ein_prefixes_agree_with_stdnum_campus_table() -> None:
    # The same list read from stdnum's campus database rather than through validate().
    from stdnum import numdb

    table = numdb.get("us/ein")
    with_campus = {f"{n:02d}" for n in range(100) if table.info(f"{n:02d}1234567")[0][1]}
    assert with_campus == EIN_PREFIXES


@pytest.mark.parametrize("suffix", ["I0", "0O", "Z1", "i0"])
def test_ein_suffix_never_contains_i_o_or_z(suffix: str) -> None:
    assert "never i, o or z" in _error(f"26-1647511{suffix}")


def test_invalid_ein_prefix_is_named() -> None:
    assert _error("07-164751100") == "ein prefix 07 is not a valid irs prefix"


def test_nine_digit_ein_without_suffix_is_explained() -> None:
    assert "suffix" in _error("26-1647511")


@given(
    st.sampled_from(sorted(EIN_PREFIXES)),
    st.text(string.digits, min_size=7, max_size=7),
    st.text(SUFFIX_ALPHABET, min_size=2, max_size=2),
)
def test_every_valid_ein_round_trips(prefix: str, serial: str, suffix: str) -> None:
    number = parse_importer_number(f"{prefix}-{serial}{suffix}", PORTS)
    assert number.ior_type is IORType.EIN
    assert number.suffix == suffix
    assert re.fullmatch(r"\d{2}-\d{7}[0-9A-HJ-NP-Y]{2}", number.display)
    assert parse_importer_number(number.display, PORTS) == number
    assert parse_importer_number(number.normalized.lower(), PORTS) == number


# --- SSN rules ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("000-12-3456", "area"),
        ("666-12-3456", "area"),
        ("900-12-3456", "area"),
        ("999-12-3456", "area"),
        ("123-00-4567", "group"),
        ("123-45-0000", "serial"),
    ],
)
def test_ssn_rules(text: str, part: str) -> None:
    message = _error(text)
    assert part in message
    # Personal data never goes into a message (it ends up in import reports).
    assert text not in message
    assert text.replace("-", "") not in message


@given(st.text(string.digits, min_size=9, max_size=9))
def test_ssn_rules_agree_with_stdnum(digits: str) -> None:
    try:
        parse_importer_number(f"{digits[:3]}-{digits[3:5]}-{digits[5:]}")
        ours = True
    except ValidationError:
        ours = False
    if digits in STDNUM_SSN_BLACKLIST:
        assert ours
    else:
        assert ours == stdnum_ssn.is_valid(digits)


def test_ssn_with_letters_is_rejected() -> None:
    assert "9 digits" in _error("12A-45-6789")


@given(st.integers(1, 899).filter(lambda a: a != 666), st.integers(1, 99), st.integers(1, 9999))
def test_masked_ssn_shows_only_the_last_four(area: int, group: int, serial: int) -> None:
    number = parse_importer_number(f"{area:03d}{group:02d}{serial:04d}")
    assert number.ior_type is IORType.SSN
    assert number.masked == f"***-**-{serial:04d}"
    assert parse_importer_number(number.display) == number


# --- CBP-assigned and telling the types apart ---------------------------------------------------------------


def test_cbp_assigned_port_must_be_known() -> None:
    assert _error("982799-12345") == "cbp-assigned importer number names unknown port 2799"
    # Without a port list the port is not checked.
    assert parse_importer_number("982799-12345", None).ior_type is IORType.CBP_ASSIGNED


def test_hyphen_after_two_characters_reads_an_ein() -> None:
    assert parse_importer_number("98-270412345", PORTS).ior_type is IORType.EIN
    assert "ein prefix 07" in _error("07-270412345")


def test_hyphen_after_six_characters_reads_a_cbp_assigned_number() -> None:
    # 26 is a valid EIN prefix, but the hyphen says CBP-assigned.
    assert parse_importer_number("262704-12345", PORTS).ior_type is IORType.CBP_ASSIGNED
    assert parse_importer_number("072704-12345", PORTS).ior_type is IORType.CBP_ASSIGNED


def test_without_a_hyphen_ein_is_preferred() -> None:
    # 98 is a valid IRS prefix, so the digits of the CBP-assigned example read as an EIN without the hyphen.
    assert parse_importer_number("98270412345", PORTS).ior_type is IORType.EIN


def test_without_a_hyphen_a_bad_ein_prefix_falls_back_to_cbp_assigned() -> None:
    number = parse_importer_number("07270412345", PORTS)
    assert number.ior_type is IORType.CBP_ASSIGNED
    assert number.display == "072704-12345"
    message = _error("07279912345")
    assert "ein prefix 07" in message
    assert "unknown port 2799" in message


def test_a_letter_suffix_can_only_be_an_ein() -> None:
    assert parse_importer_number("2627041234A", PORTS).ior_type is IORType.EIN
    assert "ein prefix 07" in _error("0727041234A")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("12345", "got 5"),
        ("26-16475110000", "got 13"),
        ("26/164751100", "letters, digits, hyphens and spaces"),
        ("2A-164751100", "9 digits"),
    ],
)
def test_malformed_numbers(text: str, fragment: str) -> None:
    message = _error(text)
    assert fragment in message
    assert message == message.lower()


@given(st.integers(0, 99), st.sampled_from(sorted(PORTS)), st.integers(0, 99999))
def test_cbp_assigned_round_trips_with_its_hyphen(year: int, port: str, serial: int) -> None:
    text = f"{year:02d}{port}-{serial:05d}"
    number = parse_importer_number(text, PORTS)
    assert number.ior_type is IORType.CBP_ASSIGNED
    assert number.suffix is None
    assert number.display == text
    assert parse_importer_number(number.display, PORTS) == number
