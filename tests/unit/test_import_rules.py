"""Row rules for import files: per kind, a valid row gives canonical values, each broken rule one issue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest

from app.domain.enums import (
    CenterCode,
    ComplianceEventType,
    CTPATTier,
    ExamType,
    HoldCategory,
    ImportKind,
    PartnershipState,
    RiskSegment,
)
from app.domain.import_rows import Issue, SourceRow
from app.domain.import_rules import row_key, validate_row
from tests.unit.import_reference import csv_reference

ROW = 7

ACCOUNT = {
    "account_name": " Acme Electronics Inc ",
    "importer_number": "12-345678900; 123-45-6789",
    "center": "Electronics",
    "ctpat_tier": "Tier 2",
    "ctpat_status": "Pre-Applicant",
    "trade_compliance": "Y",
    "risk_segment": "LOW",
    "account_executive": "J. Rivera",
    "city": "Long Beach",
    "state": "CA",
    "country": "United States",
}
ENTRY = {
    "entry_number": "abc-1234567-6",
    "entry_type": "1",
    "importer_number": "12-3456789 00",
    "importer_name": "Acme",
    "port_of_entry": "2704",
    "entry_date": "03/02/2026",
    "release_date": "2026-03-04",
    "line_number": "1",
    "hts_number": "8542.31.0000",
    "country_of_origin": "cn",
    "mid": "CNACMSHE123SHA",
    "entered_value": "$12,500.00",
    "duty": "(25.10)",
    "mode_of_transport": "11",
}
HOLD = {
    "entry_number": "ABC12345676",
    "hold_category": "FDA hold",
    "disposition_code": "3H",
    "agency": "fda",
    "port_code": "2704",
    "placed_at": "03/05/2026 08:30",
    "released_at": "03/09/2026 16:00",
    "status_text": "Hold Intact",
    "exam_type": "PGA exam",
}
COMPLIANCE = {
    "importer_number": "12-345678900",
    "event_type": "CF-29",
    "reference": "NOA-2026-0042",
    "entry_number": "ABC-1234567-6",
    "opened_on": "2026-03-01",
    "due_on": "3/21/26",
    "closed_on": "",
    "amount": "$1,000",
    "outcome": "",
    "description": "Rate advance on HTS 8542",
}


def check(kind: ImportKind, cells: dict[str, object]) -> tuple[dict[str, Any] | None, list[Issue]]:
    return validate_row(kind, SourceRow(ROW, cells), csv_reference())


def only_issue(kind: ImportKind, base: dict[str, object], **changes: object) -> Issue:
    values, issues = check(kind, {**base, **changes})
    assert len(issues) == 1, issues
    assert values is None if issues[0].severity == "error" else values is not None
    assert issues[0].row == ROW
    return issues[0]


def test_valid_account_row() -> None:
    values, issues = check(ImportKind.ACCOUNTS, ACCOUNT)
    assert issues == []
    assert values == {
        "account_name": "Acme Electronics Inc",
        "importer_numbers": ("12345678900", "123456789"),
        "center": CenterCode.ELEC,
        "ctpat_tier": CTPATTier.TIER2,
        "ctpat_status": PartnershipState.PRE_APPLICANT,
        "trade_compliance": True,
        "risk_segment": RiskSegment.LOW,
        "account_executive": "J. Rivera",
        "city": "Long Beach",
        "state": "CA",
        "country": "US",
    }
    assert row_key(ImportKind.ACCOUNTS, values) == ("123456789", "12345678900")


@pytest.mark.parametrize(
    ("column", "raw", "message", "severity"),
    [
        ("account_name", "  ", "account name is required", "error"),
        ("importer_number", "", "importer number is required", "error"),
        ("importer_number", "12-345678900; 12345", "importer number 12345: importer number must be", "error"),
        (
            "center",
            "Textiles",
            "unknown value 'Textiles': expected the code or name of one of the 10",
            "error",
        ),
        ("ctpat_tier", "Tier 5", "unknown ctpat tier 'Tier 5': expected 0 to 3", "error"),
        ("ctpat_status", "approved", "unknown value 'approved': expected certified, validated", "error"),
        ("trade_compliance", "perhaps", "expected Y or N, got 'perhaps'", "error"),
        ("risk_segment", "extreme", "expected low, medium or high", "error"),
        ("country", "Atlantis", "unknown country 'Atlantis': expected an ISO alpha-2 code", "warning"),
    ],
)
def test_account_rules(column: str, raw: str, message: str, severity: str) -> None:
    issue = only_issue(ImportKind.ACCOUNTS, ACCOUNT, **{column: raw})
    assert (issue.column, issue.severity) == (column, severity)
    assert message in issue.message


def test_account_tiers_and_duplicate_numbers() -> None:
    for raw, tier in [("0", CTPATTier.NONE), (3, CTPATTier.TIER3), ("TIER1", CTPATTier.TIER1), ("", None)]:
        values, _ = check(ImportKind.ACCOUNTS, {**ACCOUNT, "ctpat_tier": raw})
        assert values is not None and values["ctpat_tier"] == tier
    values, _ = check(ImportKind.ACCOUNTS, {**ACCOUNT, "importer_number": "12-345678900;12345678900;"})
    assert values is not None and values["importer_numbers"] == ("12345678900",)


def test_valid_entry_row() -> None:
    values, issues = check(ImportKind.ENTRIES, ENTRY)
    assert [i for i in issues if i.severity == "error"] == []
    assert issues == [
        Issue(ROW, "duty", "negative amount: expected a line amount of zero or more", "warning")
    ]
    assert values == {
        "entry_number": "ABC12345676",
        "entry_type": "01",
        "importer_number": "12345678900",
        "importer_name": "Acme",
        "port_of_entry": "2704",
        "entry_date": date(2026, 3, 2),
        "release_date": date(2026, 3, 4),
        "line_number": 1,
        "hts_number": "8542310000",
        "country_of_origin": "CN",
        "mid": "CNACMSHE123SHA",
        "entered_value": 1_250_000,
        "duty": -2510,
        "mode_of_transport": "11",
    }
    assert row_key(ImportKind.ENTRIES, values) == ("ABC12345676", 1, "8542310000")


@pytest.mark.parametrize(
    ("column", "raw", "message", "severity"),
    [
        ("entry_number", "ABC-1234567-1", "entry number ABC-1234567-1: check digit should be 6", "error"),
        ("entry_number", "", "entry number is required", "error"),
        ("entry_type", "1A", "entry type must be 2 digits, got '1A'", "error"),
        ("entry_type", "99", "unknown entry type 99", "warning"),
        ("importer_number", "", "importer number is required", "error"),
        ("port_of_entry", "401", "port code must be 4 digits (leading zero lost? 0401)", "error"),
        ("port_of_entry", "9999", "unknown port code 9999: expected a Schedule D port", "warning"),
        ("entry_date", "02/30/2026", "day 30 does not exist in February 2026", "error"),
        ("entry_date", None, "entry date is required", "error"),
        ("line_number", "0", "expected a whole number of at least 1, got 0", "error"),
        ("line_number", "", "line number is required", "error"),
        ("hts_number", "8542.31", "hts number must be 10 digits, got 6", "error"),
        (
            "country_of_origin",
            "China",
            "country code must be 2 letters (iso alpha-2); value left out",
            "warning",
        ),
        ("country_of_origin", "QQ", "unknown country code QQ", "warning"),
        ("mid", "CA12", "canadian mids start with a province code", "warning"),
        ("entered_value", "12.345", "more than 2 decimals: expected exact cents", "error"),
        ("mode_of_transport", "99", "unknown mode of transport 99", "warning"),
    ],
)
def test_entry_rules(column: str, raw: object, message: str, severity: str) -> None:
    issue = only_issue(ImportKind.ENTRIES, {**ENTRY, "duty": "25.10"}, **{column: raw})
    assert (issue.column, issue.severity) == (column, severity)
    assert message in issue.message


def test_valid_hold_row() -> None:
    values, issues = check(ImportKind.HOLDS, HOLD)
    assert issues == []
    assert values == {
        "entry_number": "ABC12345676",
        "hold_category": HoldCategory.PGA_FDA,
        "disposition_code": "3H",
        "agency": "FDA",
        "port_code": "2704",
        "placed_at": datetime(2026, 3, 5, 8, 30),
        "released_at": datetime(2026, 3, 9, 16),
        "status_text": "Hold Intact",
        "exam_type": ExamType.PGA_EXAM,
    }
    assert row_key(ImportKind.HOLDS, values) == (
        "ABC12345676",
        HoldCategory.PGA_FDA,
        datetime(2026, 3, 5, 8, 30),
    )


@pytest.mark.parametrize(
    ("changes", "category"),
    [
        ({"hold_category": "PGA_FDA"}, HoldCategory.PGA_FDA),
        ({"hold_category": "intensive exam"}, HoldCategory.CBP_INTENSIVE),
        ({"hold_category": "", "agency": "", "disposition_code": "5H"}, HoldCategory.DOC_REVIEW),
        ({"hold_category": "", "agency": "CBP", "disposition_code": "1H"}, HoldCategory.MANIFEST),
        ({"hold_category": "", "agency": "APHIS", "disposition_code": "3H"}, HoldCategory.PGA_USDA_APHIS),
        ({"hold_category": "", "agency": "", "disposition_code": "3H"}, HoldCategory.PGA_OTHER),
    ],
)
def test_hold_category_by_code_label_or_derived(changes: dict[str, str], category: HoldCategory) -> None:
    values, issues = check(ImportKind.HOLDS, {**HOLD, **changes})
    assert issues == []
    assert values is not None and values["hold_category"] is category


@pytest.mark.parametrize(
    ("column", "raw", "message", "severity"),
    [
        ("entry_number", "ABC-1234567-0", "check digit should be 6", "error"),
        (
            "hold_category",
            "Lunch break",
            "unknown value 'Lunch break': expected a hold category code",
            "error",
        ),
        ("disposition_code", "1HX", "disposition code must be 2 letters or digits, got '1HX'", "error"),
        ("disposition_code", "ZZ", "unknown disposition code ZZ", "warning"),
        ("agency", "NASA", "unknown agency 'NASA'", "warning"),
        ("port_code", "27O4", "port code must be 4 digits", "error"),
        ("placed_at", "", "placed at is required", "error"),
        ("placed_at", "03/05/2026 25:00", "time 25:00 is not valid", "error"),
        ("released_at", "03/05/2026 08:00", "is before the hold was placed (03/05/2026 08:30)", "error"),
        ("exam_type", "Sniffer dog", "unknown value 'Sniffer dog'", "warning"),
    ],
)
def test_hold_rules(column: str, raw: str, message: str, severity: str) -> None:
    issue = only_issue(ImportKind.HOLDS, HOLD, **{column: raw})
    assert (issue.column, issue.severity) == (column, severity)
    assert message in issue.message


def test_hold_category_that_cannot_be_derived_is_left_empty_with_a_warning() -> None:
    issue = only_issue(ImportKind.HOLDS, HOLD, hold_category="", agency="", disposition_code="1C")
    assert issue == Issue(
        ROW,
        "hold_category",
        "hold category not given and cannot be derived from disposition code 1C and agency CBP",
        "warning",
    )
    values, _ = check(ImportKind.HOLDS, {**HOLD, "hold_category": "", "agency": "", "disposition_code": ""})
    assert values is not None and values["hold_category"] is None and values["agency"] == "CBP"


def test_still_held_when_release_is_blank() -> None:
    values, issues = check(ImportKind.HOLDS, {**HOLD, "released_at": " "})
    assert issues == [] and values is not None and values["released_at"] is None


def test_valid_compliance_row() -> None:
    values, issues = check(ImportKind.COMPLIANCE, COMPLIANCE)
    assert issues == []
    assert values == {
        "importer_number": "12345678900",
        "event_type": ComplianceEventType.CF29_PROPOSED,
        "reference": "NOA-2026-0042",
        "entry_number": "ABC12345676",
        "opened_on": date(2026, 3, 1),
        "due_on": date(2026, 3, 21),
        "closed_on": None,
        "amount": 100_000,
        "outcome": None,
        "description": "Rate advance on HTS 8542",
    }
    assert row_key(ImportKind.COMPLIANCE, values) == (
        "12345678900",
        ComplianceEventType.CF29_PROPOSED,
        "NOA-2026-0042",
    )
    keyless = {**values, "reference": None}
    assert row_key(ImportKind.COMPLIANCE, keyless) == (
        "12345678900",
        ComplianceEventType.CF29_PROPOSED,
        date(2026, 3, 1),
        "ABC12345676",
    )


@pytest.mark.parametrize(
    ("label", "event_type"),
    [
        ("CF-28", ComplianceEventType.CF28),
        ("Request for Information", ComplianceEventType.CF28),
        ("cf29_proposed", ComplianceEventType.CF29_PROPOSED),
        ("PSC", ComplianceEventType.PSC),
        ("Prior Disclosure", ComplianceEventType.PRIOR_DISCLOSURE),
        ("Penalty", ComplianceEventType.PENALTY_1592),
        ("Liquidated Damages", ComplianceEventType.LD_CLAIM),
        ("Focused Assessment", ComplianceEventType.AUDIT_FA),
    ],
)
def test_event_types_by_code_or_label(label: str, event_type: ComplianceEventType) -> None:
    values, issues = check(ImportKind.COMPLIANCE, {**COMPLIANCE, "event_type": label})
    assert issues == [] and values is not None and values["event_type"] is event_type


@pytest.mark.parametrize(
    ("column", "raw", "message", "severity"),
    [
        ("importer_number", "", "importer number is required", "error"),
        ("event_type", "", "event type is required", "error"),
        ("event_type", "Audit party", "unknown value 'Audit party': expected an event type code", "error"),
        ("entry_number", "ABC12345670", "entry number ABC12345670: check digit should be 6", "error"),
        ("opened_on", "", "opened on is required", "error"),
        ("due_on", "2/28/2026", "due date 02/28/2026 is before the event was opened (03/01/2026)", "warning"),
        ("closed_on", "2026-02-01", "closed date 02/01/2026 is before the event was opened", "warning"),
        ("amount", "1.2.3", "expected an amount such as", "error"),
    ],
)
def test_compliance_rules(column: str, raw: str, message: str, severity: str) -> None:
    issue = only_issue(ImportKind.COMPLIANCE, COMPLIANCE, **{column: raw})
    assert (issue.column, issue.severity) == (column, severity)
    assert message in issue.message


def test_native_spreadsheet_cells() -> None:
    cells = {**ENTRY, "entry_date": datetime(2026, 3, 2), "line_number": 2.0, "hts_number": 8542310000.0}
    cells |= {"entered_value": 12500.5, "duty": 0, "entry_type": 1.0}
    values, issues = check(ImportKind.ENTRIES, cells)
    assert issues == []
    assert values is not None
    assert (values["entry_date"], values["line_number"], values["hts_number"]) == (
        date(2026, 3, 2),
        2,
        "8542310000",
    )
    assert (values["entered_value"], values["duty"], values["entry_type"]) == (1_250_050, 0, "01")


def test_several_problems_in_one_row_are_all_reported() -> None:
    values, issues = check(ImportKind.HOLDS, {**HOLD, "entry_number": "", "placed_at": "13/45/2026"})
    assert values is None
    assert [(i.column, i.severity) for i in issues] == [("entry_number", "error"), ("placed_at", "error")]
    assert "month 13" in issues[1].message
