"""Property: generated valid rows of every kind validate without errors, and their canonical values survive
being written back as text and validated again (the spellings a file may use all lead to one value)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from app.domain.enums import CTPATTier, ImportKind, PartnershipState, RiskSegment
from app.domain.identifiers import make_entry_number
from app.domain.import_rows import SourceRow
from app.domain.import_rules import validate_row
from app.domain.importer_number import EIN_PREFIXES
from tests.unit.import_reference import csv_reference

REF = csv_reference()
AMOUNT_COLUMNS = {"entered_value", "duty", "amount"}
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

Draw = Callable[[st.SearchStrategy[Any]], Any]


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.just(""), strategy)


words = st.text(
    alphabet=st.characters(blacklist_categories=["Cc", "Cs", "Zl", "Zp"]), min_size=1, max_size=30
).filter(lambda text: text.strip() != "")
entry_numbers = st.builds(
    lambda filer, serial, hyphens: (
        make_entry_number(filer, serial).display
        if hyphens
        else make_entry_number(filer, serial).canonical.lower()
    ),
    st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=3, max_size=3),
    st.integers(0, 9_999_999),
    st.booleans(),
)
ein_numbers = st.builds(
    lambda prefix, body: f"{prefix}-{body:07d}00",
    st.sampled_from(sorted(EIN_PREFIXES)),
    st.integers(0, 9_999_999),
)
ssn_numbers = st.builds(
    lambda area, group, serial: f"{area:03d}-{group:02d}-{serial:04d}",
    st.integers(1, 665),
    st.integers(1, 99),
    st.integers(1, 9999),
)
importer_numbers = st.one_of(ein_numbers, ssn_numbers)
dates = st.dates(min_value=date(1969, 1, 1), max_value=date(2068, 12, 31))


@st.composite
def date_texts(draw: Draw) -> str:
    day = draw(dates)
    style = draw(st.sampled_from(["us", "iso", "short"]))
    if style == "iso":
        return day.isoformat()
    year = f"{day.year % 100:02d}" if style == "short" else str(day.year)
    return f"{day.month}/{day.day}/{year}"


@st.composite
def amount_texts(draw: Draw) -> str:
    cents = draw(st.integers(-(10**12), 10**12))
    body = f"{abs(cents) // 100:,}.{abs(cents) % 100:02d}"
    if draw(st.booleans()):
        body = "$" + body
    if cents < 0:
        return f"({body})" if draw(st.booleans()) else "-" + body
    return body


def spellings(mapping: dict[str, Any]) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(mapping)).map(lambda text: text.upper() if len(text) % 2 else text)


def enum_spellings(enum: type[Enum]) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in enum])  # type: ignore[attr-defined]


@st.composite
def account_rows(draw: Draw) -> dict[str, object]:
    numbers = draw(st.lists(importer_numbers, min_size=1, max_size=3))
    return {
        "account_name": draw(words),
        "importer_number": "; ".join(numbers),
        "center": draw(optional(spellings(dict(REF.center_spellings)))),
        "ctpat_tier": draw(optional(st.sampled_from(["0", "1", "Tier 2", "TIER3", *CTPATTier]))),
        "ctpat_status": draw(optional(enum_spellings(PartnershipState))),
        "trade_compliance": draw(optional(st.sampled_from(["Y", "N", "yes", "no"]))),
        "risk_segment": draw(optional(enum_spellings(RiskSegment))),
        "account_executive": draw(optional(words)),
        "city": draw(optional(words)),
        "state": draw(optional(st.sampled_from(["CA", "NY", "TX"]))),
        "country": draw(optional(st.sampled_from(sorted(REF.countries)))),
    }


@st.composite
def entry_rows(draw: Draw) -> dict[str, object]:
    return {
        "entry_number": draw(entry_numbers),
        "entry_type": draw(optional(st.sampled_from(sorted(REF.entry_types)))),
        "importer_number": draw(importer_numbers),
        "importer_name": draw(optional(words)),
        "port_of_entry": draw(optional(st.sampled_from(sorted(REF.ports)))),
        "entry_date": draw(date_texts()),
        "release_date": draw(optional(date_texts())),
        "line_number": str(draw(st.integers(1, 999))),
        "hts_number": draw(
            st.from_regex(r"\A(0[1-9]|[1-689][0-9]|7[0-689])[0-9]{2}\.?[0-9]{2}\.?[0-9]{4}\Z")
        ),
        "country_of_origin": draw(optional(st.sampled_from(sorted(REF.countries)).map(str.lower))),
        "mid": draw(optional(st.just("CNACMSHE123SHA"))),
        "entered_value": draw(optional(amount_texts())),
        "duty": draw(optional(amount_texts())),
        "mode_of_transport": draw(optional(st.sampled_from(sorted(REF.transport_modes)))),
    }


@st.composite
def hold_rows(draw: Draw) -> dict[str, object]:
    placed = datetime.combine(draw(dates), draw(st.times()).replace(microsecond=0))
    released = placed + draw(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=90)))
    return {
        "entry_number": draw(entry_numbers),
        "hold_category": draw(optional(spellings(dict(REF.hold_category_spellings)))),
        "disposition_code": draw(optional(st.sampled_from(sorted(REF.disposition_categories)))),
        "agency": draw(optional(st.sampled_from(sorted(REF.agencies)))),
        "port_code": draw(optional(st.sampled_from(sorted(REF.ports)))),
        "placed_at": f"{placed:%m/%d/%Y %H:%M:%S}",
        "released_at": draw(st.sampled_from(["", f"{released.replace(microsecond=0):%Y-%m-%dT%H:%M:%S}"])),
        "status_text": draw(optional(words)),
        "exam_type": draw(optional(st.sampled_from(["NII", "Tailgate", "INTENSIVE_CES", "PGA exam"]))),
    }


@st.composite
def compliance_rows(draw: Draw) -> dict[str, object]:
    return {
        "importer_number": draw(importer_numbers),
        "event_type": draw(spellings(dict(REF.event_type_spellings))),
        "reference": draw(optional(words)),
        "entry_number": draw(optional(entry_numbers)),
        "opened_on": draw(date_texts()),
        "due_on": draw(optional(date_texts())),
        "closed_on": draw(optional(date_texts())),
        "amount": draw(optional(amount_texts())),
        "outcome": draw(optional(words)),
        "description": draw(optional(words)),
    }


def as_text(column: str, value: object) -> str:
    """A canonical value written back the way a person would type it in a file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if column in AMOUNT_COLUMNS and isinstance(value, int):
        text = f"${abs(value) // 100:,}.{abs(value) % 100:02d}"
        return f"({text})" if value < 0 else text
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M:%S}" if value.time() != time() else f"{value:%m/%d/%Y}"
    if isinstance(value, date):
        return f"{value:%m/%d/%Y}"
    if isinstance(value, tuple):
        return ";".join(value)
    return str(value)


def assert_round_trip(kind: ImportKind, cells: dict[str, object]) -> None:
    values, issues = validate_row(kind, SourceRow(2, cells), REF)
    assert [i for i in issues if i.severity == "error"] == []
    assert values is not None
    written = {
        ("importer_number" if c == "importer_numbers" else c): as_text(c, v) for c, v in values.items()
    }
    again, issues_again = validate_row(kind, SourceRow(2, written), REF)
    assert again == values
    assert [i for i in issues_again if i.severity == "error"] == []


@PROPERTY
@given(account_rows())
def test_account_rows_round_trip(cells: dict[str, object]) -> None:
    assert_round_trip(ImportKind.ACCOUNTS, cells)


@PROPERTY
@given(entry_rows())
def test_entry_rows_round_trip(cells: dict[str, object]) -> None:
    assert_round_trip(ImportKind.ENTRIES, cells)


@PROPERTY
@given(hold_rows())
def test_hold_rows_round_trip(cells: dict[str, object]) -> None:
    assert_round_trip(ImportKind.HOLDS, cells)


@PROPERTY
@given(compliance_rows())
def test_compliance_rows_round_trip(cells: dict[str, object]) -> None:
    assert_round_trip(ImportKind.COMPLIANCE, cells)
