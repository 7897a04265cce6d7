"""Hand-built `PortfolioRow`s for model tests: a valid default row, any field overridable."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from app.domain.enums import CenterCode, CTPATTier, PartnershipState, RiskSegment
from app.domain.views import PortfolioRow

TODAY = date(2025, 3, 14)

_BASE = PortfolioRow(
    account_id=uuid.UUID(int=0),
    name="Acme Imports LLC",
    primary_importer_number="12-3456789AB",
    center=CenterCode.ELEC,
    ctpat_tier=CTPATTier.TIER2,
    ctpat_state=PartnershipState.VALIDATED,
    trade_compliance_member=True,
    risk_segment=RiskSegment.LOW,
    open_holds=0,
    oldest_open_hold_placed_at=None,
    oldest_open_hold_age_days=None,
    entries_12m=120,
    exam_rate_12m=0.125,
    compliance_rate_12m=0.98,
    next_validation_due=date(2026, 1, 31),
    last_contact_at=datetime(2025, 3, 10, 15, 30),
)


def make_row(n: int = 0, **overrides: Any) -> PortfolioRow:
    """Row number `n` (its id is UUID(int=n)) with `overrides` applied."""
    return replace(_BASE, account_id=uuid.UUID(int=n), **overrides)


def sample_rows() -> list[PortfolioRow]:
    """Five accounts that differ in every sortable column, including missing values."""
    return [
        make_row(
            1,
            name="Acme Imports LLC",
            open_holds=2,
            oldest_open_hold_age_days=7,
            oldest_open_hold_placed_at=datetime(2025, 3, 5, 9, 0),
        ),
        make_row(
            2,
            name="blue harbor foods",
            primary_importer_number="***-**-1234",
            center=CenterCode.AGRI,
            ctpat_tier=None,
            ctpat_state=None,
            trade_compliance_member=False,
            risk_segment=RiskSegment.HIGH,
            open_holds=5,
            oldest_open_hold_age_days=31,
            oldest_open_hold_placed_at=datetime(2025, 1, 28, 8, 15),
            entries_12m=0,
            exam_rate_12m=None,
            compliance_rate_12m=None,
            next_validation_due=None,
            last_contact_at=None,
        ),
        make_row(
            3,
            name="Cobalt Machinery Inc",
            primary_importer_number="250101-12345",
            center=CenterCode.MACH,
            ctpat_tier=CTPATTier.TIER3,
            risk_segment=RiskSegment.MEDIUM,
            entries_12m=4_500,
            exam_rate_12m=0.02,
            next_validation_due=date(2025, 2, 1),
        ),
        make_row(
            4,
            name="Delta Pharma Corp",
            center=CenterCode.PHC,
            ctpat_tier=CTPATTier.NONE,
            ctpat_state=PartnershipState.PRE_APPLICANT,
            open_holds=1,
            oldest_open_hold_age_days=0,
            oldest_open_hold_placed_at=datetime(2025, 3, 14, 7, 0),
            entries_12m=35,
            next_validation_due=date(2025, 6, 30),
        ),
        make_row(
            5,
            name="Evergreen Apparel",
            center=CenterCode.AFT,
            ctpat_tier=CTPATTier.TIER1,
            ctpat_state=PartnershipState.SUSPENDED,
            entries_12m=800,
            exam_rate_12m=0.3,
            compliance_rate_12m=0.9,
        ),
    ]
