"""Per-kind row rules for import files: the CONTRACTS.md §4 column tables, one reader function per kind.

Each function reads every canonical column of its kind from a `RowReader` and returns the canonical values
(None for "not given"); the reader collects the issues. Cross-field rules inside one row live here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.domain.enums import CTPATTier, ExamType, HoldCategory, PartnershipState, RiskSegment
from app.domain.identifiers import normalize_hts
from app.domain.import_rules_base import RowReader
from app.domain.import_values import (
    lookup_key,
    make_lookup,
    parse_choice,
    parse_int,
    parse_text,
    parse_yes_no,
)
from app.domain.mid import check_mid

Values = dict[str, Any]

_TIERS = {"0": CTPATTier.NONE, "1": CTPATTier.TIER1, "2": CTPATTier.TIER2, "3": CTPATTier.TIER3}
_TIER_LOOKUP = make_lookup({**{m.value: m for m in CTPATTier}, "none": CTPATTier.NONE})
_STATUS_LOOKUP = make_lookup({m.value: m for m in PartnershipState})
_RISK_LOOKUP = make_lookup({m.value: m for m in RiskSegment})
# Exam names as broker systems write them (DOMAIN.md §5.2), besides the ExamType codes themselves.
_EXAM_LOOKUP = make_lookup(
    {
        **{m.value: m for m in ExamType},
        "NII": ExamType.NII_VACIS,
        "VACIS": ExamType.NII_VACIS,
        "X-ray": ExamType.NII_VACIS,
        "Intensive": ExamType.INTENSIVE_CES,
        "CES": ExamType.INTENSIVE_CES,
        "MET": ExamType.CET,
        "PGA": ExamType.PGA_EXAM,
        "PGA exam": ExamType.PGA_EXAM,
    }
)
_EXAM_EXPECTED = "NII, Tailgate, CET, Intensive or PGA"
_HOLD_CATEGORY_EXPECTED = (
    "a hold category code (NII, PGA_FDA, UFLPA, …) or its label (FDA hold, Intensive exam)"
)
_EVENT_TYPE_EXPECTED = (
    "an event type code (CF28, CF29_PROPOSED, PENALTY_1592, …) or its label (CF-28, Protest)"
)
MAX_LINE_NUMBER = 99_999


def parse_ctpat_tier(raw: object) -> CTPATTier | None:
    """CTPAT tier as 0-3, "Tier 2", "TIER2" or "none"."""
    text = parse_text(raw)
    if text is None:
        return None
    key = lookup_key(text)
    digit = key.removeprefix("tier")
    if digit in _TIERS:
        return _TIERS[digit]
    if key in _TIER_LOOKUP:
        return _TIER_LOOKUP[key]
    raise ValueError(f"unknown ctpat tier {text!r}: expected 0 to 3 or Tier 1 to Tier 3")


def read_account(reader: RowReader) -> Values:
    ref = reader.reference
    return {
        "account_name": reader.text("account_name", required=True),
        "importer_numbers": reader.importer_numbers("importer_number"),
        "center": reader.read(
            "center",
            lambda raw: parse_choice(
                raw, ref.lookup("center_spellings"), expected="the code or name of one of the 10 Centers"
            ),
        ),
        "ctpat_tier": reader.read("ctpat_tier", parse_ctpat_tier),
        "ctpat_status": reader.read(
            "ctpat_status",
            lambda raw: parse_choice(
                raw,
                _STATUS_LOOKUP,
                expected="certified, validated, suspended, removed, inactive or pre-applicant",
            ),
        ),
        "trade_compliance": reader.read("trade_compliance", parse_yes_no),
        "risk_segment": reader.read(
            "risk_segment", lambda raw: parse_choice(raw, _RISK_LOOKUP, expected="low, medium or high")
        ),
        "account_executive": reader.text("account_executive"),
        "city": reader.text("city"),
        "state": reader.text("state"),
        "country": _account_country(reader),
    }


def _account_country(reader: RowReader) -> str | None:
    """An address country, written as an ISO alpha-2 code or a country name; unknown ones are left out."""
    countries = reader.reference.countries
    text = reader.text("country")
    if text is None or not countries:
        return text.upper() if text and len(text) == 2 else text
    spellings = make_lookup({**{code: code for code in countries}, **{n: c for c, n in countries.items()}})
    code = spellings.get(lookup_key(text))
    if code is None:
        reader.warn("country", f"unknown country {text!r}: expected an ISO alpha-2 code or a country name")
    return code


# An entries row: each canonical column is read from its own cell alone (no rule looks at two cells), which
# is what lets `import_rules.RowValidator` remember a clean cell's value for the rest of the file.
ENTRY_FIELDS: dict[str, Callable[[RowReader], Any]] = {
    "entry_number": lambda r: r.entry_number("entry_number", required=True),
    "entry_type": lambda r: r.code_in("entry_type", r.reference.entry_types, what="entry type"),
    "importer_number": lambda r: r.importer_number("importer_number", required=True),
    "importer_name": lambda r: r.text("importer_name"),
    "port_of_entry": lambda r: r.port("port_of_entry"),
    "entry_date": lambda r: r.date("entry_date", required=True),
    "release_date": lambda r: r.date("release_date"),
    "line_number": lambda r: r.read(
        "line_number", lambda raw: parse_int(raw, minimum=1, maximum=MAX_LINE_NUMBER), required=True
    ),
    "hts_number": lambda r: r.read("hts_number", _parse_hts, required=True),
    "country_of_origin": lambda r: r.country("country_of_origin"),
    "mid": lambda r: r.read_soft("mid", lambda raw: _parse_mid(r, raw)),
    "entered_value": lambda r: _line_amount(r, "entered_value"),
    "duty": lambda r: _line_amount(r, "duty"),
    "mode_of_transport": lambda r: r.code_in(
        "mode_of_transport", r.reference.transport_modes, what="mode of transport"
    ),
}


# Cells that rarely repeat (amounts): `RowValidator` reads them every time rather than remember them.
ENTRY_UNIQUE_FIELDS = frozenset({"entered_value", "duty"})


def read_entry(reader: RowReader) -> Values:
    return {name: read(reader) for name, read in ENTRY_FIELDS.items()}


def _line_amount(reader: RowReader, column: str) -> int | None:
    cents = reader.cents(column)
    if cents is not None and cents < 0:
        reader.warn(column, "negative amount: expected a line amount of zero or more")
    return cents


def _parse_hts(raw: object) -> str | None:
    text = parse_text(raw)
    return None if text is None else normalize_hts(text)


def _parse_mid(reader: RowReader, raw: object) -> str | None:
    text = parse_text(raw)
    if text is None:
        return None
    warning = check_mid(text, reader.reference.countries)
    if warning and reader.reference.countries:
        reader.warn("mid", warning)
    return text.strip().upper()


def read_hold(reader: RowReader) -> Values:
    ref = reader.reference
    values: Values = {
        "entry_number": reader.entry_number("entry_number", required=True),
        "hold_category": reader.read(
            "hold_category",
            lambda raw: parse_choice(
                raw,
                ref.lookup("hold_category_spellings"),
                expected=_HOLD_CATEGORY_EXPECTED,
            ),
        ),
        "disposition_code": _disposition_code(reader),
        "agency": _agency(reader),
        "port_code": reader.port("port_code"),
        "placed_at": reader.datetime("placed_at", required=True),
        "released_at": reader.datetime("released_at"),
        "status_text": reader.text("status_text"),
        "exam_type": reader.read_soft(
            "exam_type", lambda raw: parse_choice(raw, _EXAM_LOOKUP, expected=_EXAM_EXPECTED)
        ),
    }
    if values["hold_category"] is None and "hold_category" not in _columns_with_errors(reader):
        values["hold_category"] = _derive_hold_category(reader, values["disposition_code"], values["agency"])
    placed, released = values["placed_at"], values["released_at"]
    if placed is not None and released is not None and released < placed:
        reader.error(
            "released_at",
            f"release {released:%m/%d/%Y %H:%M} is before the hold was placed ({placed:%m/%d/%Y %H:%M}): "
            "expected a release on or after the hold date",
        )
    return values


def _columns_with_errors(reader: RowReader) -> set[str]:
    return {issue.column for issue in reader.issues if issue.severity == "error"}


def _disposition_code(reader: RowReader) -> str | None:
    text = reader.text("disposition_code")
    if text is None:
        return None
    code = text.upper()
    if len(code) != 2 or not code.isalnum():
        reader.error("disposition_code", f"disposition code must be 2 letters or digits, got {text!r}")
        return None
    known = reader.reference.disposition_categories
    if known and code not in known:
        reader.warn("disposition_code", f"unknown disposition code {code}: expected a CBP disposition code")
    return code


def _agency(reader: RowReader) -> str:
    """The agency holding the goods; blank means CBP (CONTRACTS.md §4)."""
    text = reader.text("agency")
    if text is None:
        return "CBP"
    code = text.upper()
    known = reader.reference.agencies
    if known and code not in known:
        reader.warn("agency", f"unknown agency {text!r}: expected an agency code such as CBP, FDA or APHIS")
    return code


def _derive_hold_category(reader: RowReader, disposition: str | None, agency: str) -> HoldCategory | None:
    """Blank category: a PGA agency names its own category; else the disposition code's category.

    The agency goes first because it is the more specific of the two (disposition 3H only says "other
    agency"). CBP alone says nothing about the kind of hold, so without a telling disposition code the
    category stays empty and a warning says so.
    """
    ref = reader.reference
    if agency in ref.agency_categories:
        return ref.agency_categories[agency]
    if disposition is not None and ref.disposition_categories.get(disposition) is not None:
        return ref.disposition_categories[disposition]
    basis = f"disposition code {disposition} and agency {agency}" if disposition else f"agency {agency}"
    reader.warn("hold_category", f"hold category not given and cannot be derived from {basis}")
    return None


def read_compliance(reader: RowReader) -> Values:
    ref = reader.reference
    values: Values = {
        "importer_number": reader.importer_number("importer_number", required=True),
        "event_type": reader.read(
            "event_type",
            lambda raw: parse_choice(
                raw,
                ref.lookup("event_type_spellings"),
                expected=_EVENT_TYPE_EXPECTED,
            ),
            required=True,
        ),
        "reference": reader.text("reference"),
        "entry_number": reader.entry_number("entry_number"),
        "opened_on": reader.date("opened_on", required=True),
        "due_on": reader.date("due_on"),
        "closed_on": reader.date("closed_on"),
        "amount": reader.cents("amount"),
        "outcome": reader.text("outcome"),
        "description": reader.text("description"),
    }
    _warn_if_before_opened(reader, values, "due_on", "due")
    _warn_if_before_opened(reader, values, "closed_on", "closed")
    return values


def _warn_if_before_opened(reader: RowReader, values: Values, column: str, what: str) -> None:
    """A date before the opening is kept with a warning: DOMAIN.md §9.3 grades date order as a warning."""
    opened, other = values["opened_on"], values[column]
    if opened is not None and other is not None and other < opened:
        reader.warn(
            column,
            f"{what} date {other:%m/%d/%Y} is before the event was opened ({opened:%m/%d/%Y}): "
            f"expected a {what} date on or after the opening",
        )
