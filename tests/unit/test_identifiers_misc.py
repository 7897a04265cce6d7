"""Ports, HTS numbers, MIDs, countries, containers and air waybills (DOMAIN.md §4.3-4.6)."""

from __future__ import annotations

import string
from collections.abc import Callable

import pytest
from hypothesis import given, strategies as st
from stdnum import iso6346

from app.domain.errors import ValidationError
from app.domain.identifiers import (
    CONTAINER_LETTER_VALUES,
    awb_check_digit,
    check_country,
    check_hts,
    check_port,
    container_check_digit,
    format_awb,
    format_hts,
    hts_chapter,
    normalize_awb,
    normalize_container,
    normalize_hts,
    normalize_port,
)
from app.domain.mid import (
    CANADIAN_PROVINCE_CODES,
    build_mid,
    check_mid,
    mid_city_part,
    mid_name_part,
    mid_street_part,
    normalize_mid,
)

PORTS = frozenset({"0401", "2704", "2709", "3901"})
COUNTRIES = frozenset({"AU", "CA", "CN", "DE", "KR", "TW", "US"})


def _message(call: Callable[..., object], *args: object) -> str:
    with pytest.raises(ValidationError) as caught:
        call(*args)
    return str(caught.value)


# --- ports --------------------------------------------------------------------------------------------------


def test_port_keeps_its_leading_zero() -> None:
    assert normalize_port(" 0401 ") == "0401"
    assert check_port("0401", PORTS) is None


def test_port_with_a_lost_leading_zero_suggests_it() -> None:
    assert _message(normalize_port, "401") == "port code must be 4 digits (leading zero lost? 0401)"


@pytest.mark.parametrize("text", ["", "04011", "04A1", "04-01", "٠٤٠١"])
def test_malformed_port_is_an_error(text: str) -> None:
    assert "port code must be 4 digits" in _message(check_port, text, PORTS)


def test_unknown_port_is_a_warning() -> None:
    assert check_port("9999", PORTS) == "unknown port code 9999"
    assert check_port("9999", None) is None


# --- HTS ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["8542.31.0000", "8542310000", " 8542 31 0000 ", "8542.31.00.00"])
def test_hts_is_stored_without_dots(text: str) -> None:
    assert normalize_hts(text) == "8542310000"
    assert format_hts(text) == "8542.31.0000"


@pytest.mark.parametrize(
    ("text", "chapter"), [("0101.21.0010", 1), ("8542.31.0000", 85), ("9903.88.0015", 99)]
)
def test_hts_chapter(text: str, chapter: int) -> None:
    assert hts_chapter(text) == chapter


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("7701.00.0000", "hts chapter 77 is reserved"),
        ("0012.34.5678", "hts chapter 00 does not exist"),
        ("8542.31.00", "hts number must be 10 digits, got 8"),
        ("8542.31.00000", "hts number must be 10 digits, got 11"),
        ("8542-31-0000", "hts number may only contain digits and dots"),
        ("8542.3A.0000", "hts number may only contain digits and dots"),
    ],
)
def test_malformed_hts(text: str, message: str) -> None:
    assert _message(normalize_hts, text) == message


def test_hts_missing_from_the_schedule_is_a_warning() -> None:
    known = {"8542310000"}
    assert check_hts("8542.31.0000", known) is None
    assert check_hts("8542.39.0000", known) == "hts number 8542.39.0000 is not in the tariff schedule"
    assert check_hts("8542.39.0000") is None


# --- MID builder: every example of DOMAIN.md §4.5 (and the 19 CFR part 102 appendix) ------------------------


def test_mid_full_example() -> None:
    # "Ozrock, 92 Alice Springs Road, Melbourne, Australia"
    assert build_mid("AU", "Ozrock", "92 Alice Springs Road", "Melbourne") == "AUOZR92MEL"


def test_mid_name_and_largest_number_truncated_to_four_digits() -> None:
    # "Amalgamated Plastics Corp., 11455 Main St, Suite 9999": 11455 is the largest number, cut to 4 digits.
    name_and_number = mid_name_part("Amalgamated Plastics Corp.") + mid_street_part(
        "11455 Main St, Suite 9999"
    )
    assert name_and_number == "AMAPLA1145"


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("A.B.C. Company", "ABCCOM"),  # initials together form one word
        ("A B C Company", "ABCCOM"),  # the same initials written with spaces (19 CFR 102 appendix)
        ("The Garment and Textiles Co.", "GARTEX"),  # a, an, and, of, the are ignored
        ("Rawles-Aden Corp.", "RAWCOR"),  # a hyphenated name is one word
        ("20th Century Fox", "20TCEN"),  # digits count as characters
        ("Bergstrom", "BER"),  # one-word name: 3 letters (19 CFR 102 appendix)
        ("Ozrock", "OZR"),
        ("Amalgamated Plastics Corp.", "AMAPLA"),
    ],
)
def test_mid_name_examples(name: str, part: str) -> None:
    assert mid_name_part(name) == part


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("An Apple of Gold Ltd", "APPGOL"),  # constructed: every ignored word before and between
        ("Rawles - Aden Corp.", "RAWCOR"),  # a hyphen written with spaces still joins the name
        ("A Company Ltd", "COMLTD"),  # a lone "A" is the article
        ("A. Smith Ltd", "ASMI"),  # a lone "A." is an initial
        ("J K Textiles", "JKTEX"),  # two initials are already "two or more initials together"
        ("Xi Li Textiles", "XILI"),  # words shorter than 3 characters are used whole
        ("Müller & Söhne GmbH", "MULSOH"),  # accents folded, "&" ignored
    ],
)
def test_mid_name_conventions_beyond_the_examples(name: str, part: str) -> None:
    assert mid_name_part(name) == part


@pytest.mark.parametrize(
    ("street", "part"),
    [
        ("12,34,56 Road", "1234"),  # punctuation ignored: 123456, first 4 digits
        ("12-34 56 Akasaka Road", "1234"),
        ("11455 Main St, Suite 9999", "1145"),
        ("92 Alice Springs Road", "92"),
        ("7 12th Street", "7"),  # a numbered street name is not a number
        ("12th St", ""),  # ... so this line has no number: the part is omitted
        ("Alice Springs Road", ""),
    ],
)
def test_mid_street_number_examples(street: str, part: str) -> None:
    assert mid_street_part(street) == part


@pytest.mark.parametrize(
    ("city", "part"), [("Melbourne", "MEL"), ("St. Louis", "STL"), ("Ho Chi Minh", "HOC")]
)
def test_mid_city_part(city: str, part: str) -> None:
    assert mid_city_part(city) == part


def test_mid_for_canada_uses_the_province_code() -> None:
    assert build_mid("xo", "Maple Leaf Mills", "100 King St W", "Toronto") == "XOMAPLEA100TOR"
    assert "province code" in _message(build_mid, "CA", "Maple Leaf Mills", "100 King St W", "Toronto")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("AUS", "Ozrock", "92 Road", "Melbourne"), "2-letter"),
        (("AU", "The And Of", "92 Road", "Melbourne"), "manufacturer name"),
        (("AU", "Ozrock", "92 Road", "123"), "city"),
    ],
)
def test_mid_builder_errors(args: tuple[str, str, str, str], fragment: str) -> None:
    assert fragment in _message(build_mid, *args)


words = st.text(string.ascii_letters + string.digits + ".,-'& ", min_size=1, max_size=40)


@given(
    st.sampled_from(sorted((COUNTRIES - {"CA"}) | set(CANADIAN_PROVINCE_CODES))),
    words.filter(lambda s: any(c.isalnum() for c in s)),
    words,
    words.filter(lambda s: any(c.isalpha() for c in s)),
)
def test_every_built_mid_passes_the_structure_check(country: str, name: str, street: str, city: str) -> None:
    try:
        mid = build_mid(country, name, street, city)
    except ValidationError as error:
        # Only a name made of ignored words alone ("The", "and of") has nothing to build from.
        assert "manufacturer name" in str(error)
        return
    assert normalize_mid(mid) == mid
    assert check_mid(mid, COUNTRIES) is None
    assert len(mid) <= 15


# --- MID structure check ------------------------------------------------------------------------------------


def test_mid_structure() -> None:
    assert normalize_mid(" auozr92mel ") == "AUOZR92MEL"
    assert normalize_mid("XOABCCOM12TOR") == "XOABCCOM12TOR"
    for bad in ["A", "AU", "AUOZR 92MEL", "AUOZR92MEL1234567", "1UOZR", "AU-OZR"]:
        with pytest.raises(ValidationError):
            normalize_mid(bad)
    assert "province code" in _message(normalize_mid, "CAMAPLEA100TOR")


def test_mid_country_prefix_is_checked_against_reference_data() -> None:
    assert check_mid("AUOZR92MEL", COUNTRIES) is None
    assert check_mid("XQABCCOM1MON", COUNTRIES) is None
    assert check_mid("QQOZR92MEL", COUNTRIES) == "mid starts with unknown country code QQ"


def test_province_codes_are_the_thirteen_of_the_doc() -> None:
    assert set(CANADIAN_PROVINCE_CODES) == {
        "XA",
        "XB",
        "XC",
        "XM",
        "XN",
        "XO",
        "XP",
        "XQ",
        "XS",
        "XT",
        "XV",
        "XW",
        "XY",
    }


# --- country ------------------------------------------------------------------------------------------------


def test_country() -> None:
    assert check_country(" us ", COUNTRIES) is None
    assert check_country("XX", COUNTRIES) == "unknown country code XX"
    for bad in ["USA", "U1", "", "Ü"]:
        with pytest.raises(ValidationError, match="2 letters"):
            check_country(bad, COUNTRIES)


# --- containers (ISO 6346) and air waybills -----------------------------------------------------------------


def test_container_letter_values_skip_multiples_of_eleven() -> None:
    values = CONTAINER_LETTER_VALUES
    assert (values["A"], values["B"], values["K"], values["L"], values["U"], values["V"], values["Z"]) == (
        10,
        12,
        21,
        23,
        32,
        34,
        38,
    )
    assert not any(value % 11 == 0 for value in values.values())


def test_container_doc_example() -> None:
    assert normalize_container("CSQU3054383") == "CSQU3054383"
    assert normalize_container("csqu 305438 3") == "CSQU3054383"
    assert _message(normalize_container, "CSQU3054384") == "container check digit should be 3"


@pytest.mark.parametrize("text", ["CSQX3054383", "CSQR3054383", "CS1U3054383", "CSQU30543A3", "CSQU305438"])
def test_malformed_container(text: str) -> None:
    with pytest.raises(ValidationError):
        normalize_container(text)


@given(
    st.text(string.ascii_uppercase, min_size=3, max_size=3),
    st.sampled_from("UJZ"),
    st.text(string.digits, min_size=6, max_size=6),
)
def test_container_check_digit_agrees_with_stdnum(owner: str, category: str, serial: str) -> None:
    base = owner + category + serial
    digit = container_check_digit(base)
    assert digit == int(iso6346.calc_check_digit(base))
    assert iso6346.is_valid(f"{base}{digit}")
    assert normalize_container(f"{base}{digit}") == f"{base}{digit}"


def test_air_waybill_doc_example() -> None:
    assert awb_check_digit("1234567") == 5
    assert normalize_awb("176-12345675") == "17612345675"
    assert format_awb("17612345675") == "176-12345675"
    assert _message(normalize_awb, "176-12345670") == "air waybill check digit should be 5"


@pytest.mark.parametrize("text", ["176-1234567", "176-123456755", "17A-12345675", ""])
def test_malformed_air_waybill(text: str) -> None:
    assert "11 digits" in _message(normalize_awb, text)
