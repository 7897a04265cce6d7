"""Manufacturer Identification Code (MID): structure check and builder (DOMAIN.md §4.5).

The rules are those of the 19 CFR part 102 appendix. A MID is up to 15 characters, no spaces, upper case:
country (2) + first 3 characters of each of the first two words of the manufacturer's name (up to 6) + largest
number on the street address line (up to 4) + first 3 letters of the city (3). For Canada a province code
replaces ``CA``.

MID problems are warnings (DOMAIN.md §9.3): `normalize_mid` raises `ValidationError` for a malformed code and
the caller reports the message as a warning; `check_mid` adds the reference-data check of the country prefix.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from app.domain.errors import ValidationError

# Canadian province and territory codes used instead of CA.
CANADIAN_PROVINCE_CODES: dict[str, str] = {
    "XA": "Alberta",
    "XB": "New Brunswick",
    "XC": "British Columbia",
    "XM": "Manitoba",
    "XN": "Nova Scotia",
    "XO": "Ontario",
    "XP": "Prince Edward Island",
    "XQ": "Quebec",
    "XS": "Saskatchewan",
    "XT": "Northwest Territories",
    "XV": "Nunavut",
    "XW": "Newfoundland and Labrador",
    "XY": "Yukon",
}

# English words left out of the name part ("The Garment and Textiles Co." -> GARTEX).
IGNORED_NAME_WORDS: frozenset[str] = frozenset({"A", "AN", "AND", "OF", "THE"})

_MID = re.compile(r"^[A-Z]{2}[A-Z0-9]{1,13}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")
_SPACED_HYPHEN = re.compile(r"\s*-\s*")


def normalize_mid(text: str) -> str:
    """Check the structure of a MID and return it upper-cased (surrounding blanks dropped)."""
    value = text.strip().upper()
    if not _MID.match(value):
        raise ValidationError("mid must be 3 to 15 letters or digits, starting with a 2-letter country code")
    if value.startswith("CA"):
        raise ValidationError("canadian mids start with a province code (xa-xy), not ca")
    return value


def check_mid(text: str, known_countries: Collection[str]) -> str | None:
    """Raise on a malformed MID; warn when its prefix is neither a known ISO country nor a province code."""
    value = normalize_mid(text)
    prefix = value[:2]
    if prefix not in CANADIAN_PROVINCE_CODES and prefix not in known_countries:
        return f"mid starts with unknown country code {prefix}"
    return None


def _ascii_upper(text: str) -> str:
    """Upper-case and fold accents to plain letters ("Müller" -> "MULLER"); other non-ASCII is dropped."""
    decomposed = unicodedata.normalize("NFKD", text.upper())
    return decomposed.encode("ascii", "ignore").decode("ascii")


def _name_words(name: str) -> list[str]:
    """The words of a manufacturer's name that count, after the part 102 conventions."""
    # A hyphenated name is one word, also when written "Rawles - Aden".
    text = _SPACED_HYPHEN.sub("", _ascii_upper(name))
    words: list[str] = []
    letters: list[tuple[str, bool]] = []  # a run of one-letter words, each with "was followed by a period"
    for raw in text.split():
        word = _NOT_ALNUM.sub("", raw)
        if not word:  # "&" and other bare punctuation
            continue
        if len(word) == 1 and word.isalpha():
            letters.append((word, "." in raw))
            continue
        words.extend(_initials(letters))
        letters = []
        if word not in IGNORED_NAME_WORDS:
            words.append(word)
    words.extend(_initials(letters))
    return words


def _initials(letters: list[tuple[str, bool]]) -> list[str]:
    """Two or more initials together form one word ("A B C Company" -> ABC, like "A.B.C. Company")."""
    if len(letters) >= 2:
        return ["".join(letter for letter, _ in letters)]
    # One letter alone: with a period it is an initial ("A. Smith"), without one "A" is the ignored article.
    return [letter for letter, dotted in letters if dotted or letter not in IGNORED_NAME_WORDS]


def mid_name_part(name: str) -> str:
    """First 3 characters of the first two words of the name; digits count ("20th Century": 20TCEN)."""
    words = _name_words(name)
    if not words:
        raise ValidationError("manufacturer name has no letters or digits to build a mid from")
    return "".join(word[:3] for word in words[:2])


def mid_street_part(street_address: str) -> str:
    """First 4 digits of the largest number on the street address line; empty when it has none.

    Punctuation is ignored, so "12,34,56 Road" and "12-34 56 Road" read 123456 and 1234 (-> ``1234``). A word
    mixing digits and letters is a numbered street name ("12th St"), not a number.
    """
    numbers = [
        int(word)
        for raw in street_address.split()
        if (word := _NOT_ALNUM.sub("", _ascii_upper(raw))) and word.isdigit()
    ]
    return str(max(numbers))[:4] if numbers else ""


def mid_city_part(city: str) -> str:
    """First 3 letters of the city (spaces, punctuation and digits skipped: "St. Louis" -> STL)."""
    letters = "".join(ch for ch in _ascii_upper(city) if "A" <= ch <= "Z")
    if not letters:
        raise ValidationError("city has no letters to build a mid from")
    return letters[:3]


def build_mid(country: str, name: str, street_address: str, city: str) -> str:
    """Build the MID of a manufacturer.

    ("AU", "Ozrock", "92 Alice Springs Road", "Melbourne") -> ``AUOZR92MEL``.
    `country` is the ISO 3166-1 alpha-2 code of the country of origin, or for Canada the province code.
    """
    code = country.strip().upper()
    if code == "CA":
        raise ValidationError("for canada use the province code (xa-xy) instead of ca")
    if not _COUNTRY.match(code):
        raise ValidationError("country must be a 2-letter iso code or a canadian province code")
    return code + mid_name_part(name) + mid_street_part(street_address) + mid_city_part(city)
