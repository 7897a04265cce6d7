"""Importer of Record numbers (DOMAIN.md §4.1): EIN-based, SSN-based and CBP-assigned.

Numbers are compared and stored normalised (spaces and hyphens dropped, upper case), keyed *with* the suffix.
SSN-based numbers are personal data: they are masked (``***-**-1234``) wherever they are shown unless the user
unmasks them, and no error message ever repeats their digits.

Telling the types apart. After normalising:

* 9 characters are an SSN-based number (``NNN-NN-NNNN``).
* 11 characters are either EIN-based (``NN-NNNNNNNXX``: 9-digit EIN + 2-character suffix) or CBP-assigned
  (``YYDDPP-NNNNN``). A suffix letter settles it (EIN). Otherwise, when the input has a hyphen, its first
  hyphen decides: after 2 characters it is an EIN, after 6 a CBP-assigned number. Without that hint the number
  is taken as an EIN when the EIN rules pass (valid IRS campus prefix), else as CBP-assigned when its port is
  known (or when no port list is given). EIN-based numbers are by far the most common, hence the preference;
  the user can always force the reading by typing the hyphen.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from app.domain.enums import IORType
from app.domain.errors import ValidationError
from app.domain.identifiers import compact

# Valid IRS campus prefixes of an EIN (IRS, "How EINs are assigned and valid EIN prefixes"): every two-digit
# number except those never issued. Tests cross-check the list against python-stdnum's `stdnum.us.ein`.
EIN_PREFIXES_NOT_ISSUED: frozenset[str] = frozenset(
    {"00", "07", "08", "09", "17", "18", "19", "28", "29", "49", "69", "70", "78", "79", "89", "96", "97"}
)
EIN_PREFIXES: frozenset[str] = frozenset(f"{n:02d}" for n in range(100)) - EIN_PREFIXES_NOT_ISSUED

# The suffix never contains I, O or Z (they read as 1, 0 and 2).
_EIN_SUFFIX = re.compile(r"^[0-9A-HJ-NP-Y]{2}$")
_ALNUM = re.compile(r"^[A-Z0-9]+$")


@dataclass(frozen=True)
class ImporterNumber:
    """A validated importer number. `normalized` is the key; `suffix` is set for EIN-based numbers only."""

    normalized: str
    ior_type: IORType
    suffix: str | None = None

    @property
    def display(self) -> str:
        n = self.normalized
        if self.ior_type is IORType.EIN:
            return f"{n[:2]}-{n[2:]}"
        if self.ior_type is IORType.SSN:
            return f"{n[:3]}-{n[3:5]}-{n[5:]}"
        return f"{n[:6]}-{n[6:]}"

    @property
    def masked(self) -> str:
        """The display form with an SSN's first five digits hidden; other types are not personal data."""
        if self.ior_type is IORType.SSN:
            return f"***-**-{self.normalized[5:]}"
        return self.display

    def display_for(self, unmask: bool) -> str:
        return self.display if unmask else self.masked

    def __str__(self) -> str:
        # Masked by default, so that an f-string in a log or a report never leaks an SSN.
        return self.masked


def normalize_importer_number(text: str) -> str:
    """Strip spaces and hyphens and upper-case: the stored, unique key of an importer number."""
    return compact(text)


def _parse_ssn(value: str) -> ImporterNumber:
    if not value.isascii() or not value.isdigit():
        raise ValidationError("ssn-based importer number must be 9 digits")
    area, group, serial = value[:3], value[3:5], value[5:]
    if area in ("000", "666") or area.startswith("9"):
        raise ValidationError("ssn area number (first 3 digits) cannot be 000, 666 or 900-999")
    if group == "00":
        raise ValidationError("ssn group number (digits 4-5) cannot be 00")
    if serial == "0000":
        raise ValidationError("ssn serial number (last 4 digits) cannot be 0000")
    return ImporterNumber(value, IORType.SSN)


def _parse_ein(value: str) -> ImporterNumber:
    ein, suffix = value[:9], value[9:]
    if not (ein.isascii() and ein.isdigit()):
        raise ValidationError("ein-based importer number must start with 9 digits")
    if ein[:2] not in EIN_PREFIXES:
        raise ValidationError(f"ein prefix {ein[:2]} is not a valid irs prefix")
    if not _EIN_SUFFIX.match(suffix):
        raise ValidationError("importer number suffix must be 2 letters or digits, never i, o or z")
    return ImporterNumber(value, IORType.EIN, suffix)


def _parse_cbp_assigned(value: str, known_ports: Collection[str] | None) -> ImporterNumber:
    if not (value.isascii() and value.isdigit()):
        raise ValidationError("cbp-assigned importer number must be 11 digits (yyddpp-nnnnn)")
    port = value[2:6]
    if known_ports is not None and port not in known_ports:
        raise ValidationError(f"cbp-assigned importer number names unknown port {port}")
    return ImporterNumber(value, IORType.CBP_ASSIGNED)


def _first_hyphen_at(text: str) -> int | None:
    """How many letters/digits come before the first hyphen, or None when there is no hyphen."""
    head, hyphen, _ = text.partition("-")
    return len(compact(head)) if hyphen else None


def _parse_eleven(value: str, hyphen_at: int | None, known_ports: Collection[str] | None) -> ImporterNumber:
    if hyphen_at == 2 or not value.isdigit():
        return _parse_ein(value)
    if hyphen_at == 6:
        return _parse_cbp_assigned(value, known_ports)
    try:
        return _parse_ein(value)
    except ValidationError as ein_error:
        try:
            return _parse_cbp_assigned(value, known_ports)
        except ValidationError as cbp_error:
            raise ValidationError(f"{ein_error}; read as cbp-assigned: {cbp_error}") from None


def parse_importer_number(text: str, known_ports: Collection[str] | None = None) -> ImporterNumber:
    """Validate and classify an importer number (see the module docstring for how the type is chosen).

    `known_ports` is the Schedule D list that a CBP-assigned number's port is checked against (None: skip).
    """
    value = normalize_importer_number(text)
    if not value:
        raise ValidationError("importer number is empty")
    if not _ALNUM.match(value):
        raise ValidationError("importer number may only contain letters, digits, hyphens and spaces")
    hyphen_at = _first_hyphen_at(text)
    if len(value) == 9:
        if hyphen_at == 2:
            raise ValidationError("ein-based importer number needs its 2-character suffix (usually 00)")
        return _parse_ssn(value)
    if len(value) == 11:
        return _parse_eleven(value, hyphen_at, known_ports)
    raise ValidationError(
        f"importer number must be 9 (ssn) or 11 (ein, cbp-assigned) characters, got {len(value)}"
    )
