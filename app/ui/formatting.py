"""How values look in the GUI: one place, so every table and label writes a date or a rate the same way.

US formats throughout (the users are CBP staff; import files use MM/DD/YYYY too). Missing values are empty
strings, not "None" or "n/a", so they do not draw the eye in a dense table.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.domain.enums import CTPATTier, PartnershipState, RiskSegment

DATE_FORMAT = "%m/%d/%Y"
DATETIME_FORMAT = "%m/%d/%Y %H:%M"

TIER_LABELS = {
    CTPATTier.NONE: "—",
    CTPATTier.TIER1: "Tier 1",
    CTPATTier.TIER2: "Tier 2",
    CTPATTier.TIER3: "Tier 3",
}
# Tiers sort by rank, not by label: "—" (not a partner) below Tier 1.
TIER_RANK = {CTPATTier.NONE: 0, CTPATTier.TIER1: 1, CTPATTier.TIER2: 2, CTPATTier.TIER3: 3}

STATE_LABELS = {
    PartnershipState.PRE_APPLICANT: "Pre-applicant",
    PartnershipState.CERTIFIED: "Certified",
    PartnershipState.VALIDATED: "Validated",
    PartnershipState.SUSPENDED: "Suspended",
    PartnershipState.REMOVED: "Removed",
    PartnershipState.INACTIVE: "Inactive",
}

RISK_LABELS = {RiskSegment.LOW: "Low", RiskSegment.MEDIUM: "Medium", RiskSegment.HIGH: "High"}
RISK_RANK = {RiskSegment.LOW: 0, RiskSegment.MEDIUM: 1, RiskSegment.HIGH: 2}


def fmt_date(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value is not None else ""


def fmt_datetime(value: datetime | None) -> str:
    return value.strftime(DATETIME_FORMAT) if value is not None else ""


def utc_to_local(value: datetime) -> datetime:
    """Stored UTC (naive) → the user's local wall-clock time (naive), for times the app itself recorded."""
    return value.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def local_date(value: datetime | None) -> date | None:
    """The local day of a stored UTC time: a call at 9 pm Eastern happened that day, not the next."""
    return utc_to_local(value).date() if value is not None else None


def fmt_int(value: int | None) -> str:
    return f"{value:,}" if value is not None else ""


def fmt_money(cents: int | None) -> str:
    """Dollars and cents, "$12,345.67"; a negative amount (a refund) as "-$3,169.00"; None as ""."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"


def fmt_percent(fraction: float | None, digits: int = 1) -> str:
    """A rate held as a fraction (0.125) shown as a percentage (12.5%)."""
    return f"{fraction * 100:.{digits}f}%" if fraction is not None else ""


def fmt_yes_no(value: bool | None) -> str:
    if value is None:
        return ""
    return "Yes" if value else "No"


def label(mapping: dict, value: object) -> str:
    """The label of an enum member, else its value (so a member added without a label still shows)."""
    if value is None:
        return ""
    return mapping.get(value, str(getattr(value, "value", value)))


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or f"{singular}s")
    return f"{count:,} {word}"


def days_ago(when: date, today: date) -> str:
    days = (today - when).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days > 0:
        return f"{days:,} days ago"
    return f"in {-days:,} days"
