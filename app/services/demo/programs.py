"""Trusted-partner program history (DOMAIN.md §3): one row per status change, never just the current tier.

CTPAT security: certified, validated within a year, re-validated at most every 4 years (next due = last + 4
years); a few partners are suspended and reinstated, a few are suspended now. CTPAT Trade Compliance (from
March 2020, open to new applicants again from August 2022) needs Tier 2 or 3; former ISA members moved into it
in March 2020. Annual notification letters fall due 13 months after acceptance, then yearly.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from app.services.demo.context import Clock
from app.services.demo.people import AccountProfile
from app.services.demo.plan import new_id
from app.services.demo.stamps import office_time

Row = dict[str, Any]

TRADE_COMPLIANCE_START = date(2020, 3, 1)
TRADE_COMPLIANCE_REOPENED = date(2022, 8, 1)
TRUSTED_TRADER_TEST = date(2014, 6, 16)
SUSPENSION_REASONS: tuple[str, ...] = (
    "Suspended after narcotics were found in a container from a foreign supplier.",
    "Suspended pending review of a security breach at a foreign manufacturing site.",
    "Suspended for significant compliance failures found in a Focused Assessment.",
)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _annual_notification_due(accepted: date, today: date) -> date:
    """13 months after acceptance, then yearly: the next one not more than 20 days overdue."""
    month = accepted.month + 13
    due = date(accepted.year + (month - 1) // 12, (month - 1) % 12 + 1, min(accepted.day, 28))
    while due < today - timedelta(days=20):
        due = add_years(due, 1)
    return due


class _History:
    def __init__(self, rng: random.Random, profile: AccountProfile) -> None:
        self.rng = rng
        self.profile = profile
        self.rows: list[Row] = []

    def add(self, program: str, state: str, on: date, tier: str = "NONE", **fields: Any) -> None:
        created = office_time(self.rng, on)
        self.rows.append(
            {
                "id": new_id(self.rng, created),
                "version": 1,
                "created_at": created,
                "updated_at": created,
                "deleted_at": None,
                "account_id": self.profile.id,
                "program": program,
                "tier": tier,
                "state": state,
                "effective_on": on,
                "certified_on": fields.get("certified_on"),
                "last_validated_on": fields.get("last_validated_on"),
                "next_validation_due": fields.get("next_validation_due"),
                "annual_notification_due": fields.get("annual_notification_due"),
                "reference": "",
                "note": fields.get("note", ""),
            }
        )


def partnership_rows(rng: random.Random, profile: AccountProfile, clock: Clock) -> list[Row]:
    history = _History(rng, profile)
    today = clock.today
    if profile.tier == "NONE":
        if rng.random() < 0.15:
            since = today - timedelta(days=rng.randint(60, 3000))
            history.add("CTPAT_SECURITY", "PRE_APPLICANT", since, note="Security profile in preparation.")
        return history.rows
    if profile.tier == "TIER1":
        certified = today - timedelta(days=rng.randint(20, 330))
        history.add(
            "CTPAT_SECURITY",
            "CERTIFIED",
            certified,
            "TIER1",
            certified_on=certified,
            next_validation_due=certified + timedelta(days=365),
        )
        return history.rows
    certified = date(2004, 1, 1) + timedelta(
        days=rng.randrange(max(1, (today - date(2004, 1, 1)).days - 900))
    )
    history.add("CTPAT_SECURITY", "CERTIFIED", certified, "TIER1", certified_on=certified)
    first_validation, suspended_now = _validations(rng, history, certified, today)
    if not suspended_now:
        _trade_compliance(rng, history, first_validation, today)
    return history.rows


def _validations(rng: random.Random, history: _History, certified: date, today: date) -> tuple[date, bool]:
    """Validation, re-validations (<= 4 years apart), maybe a suspension.

    Returns the first validation date, and whether the partner is suspended today.
    """
    final_tier = history.profile.tier
    tier = "TIER2" if final_tier == "TIER3" and rng.random() < 0.5 else final_tier
    validated = certified + timedelta(days=rng.randint(90, 330))
    first = validated
    will_suspend = rng.random() < 0.06
    note = "Validated: domestic and foreign sites reviewed."
    while validated <= today:
        history.add(
            "CTPAT_SECURITY",
            "VALIDATED",
            validated,
            tier,
            certified_on=certified,
            last_validated_on=validated,
            next_validation_due=add_years(validated, 4),
            note=note,
        )
        tier, note = final_tier, "Re-validated."
        following = add_years(validated, 4) - timedelta(days=rng.randint(30, 400))
        if will_suspend and rng.random() < 0.5:
            will_suspend = False
            suspended = validated + timedelta(
                days=rng.randint(120, max(121, (following - validated).days - 1))
            )
            if suspended < today:
                history.add(
                    "CTPAT_SECURITY",
                    "SUSPENDED",
                    suspended,
                    tier,
                    certified_on=certified,
                    last_validated_on=validated,
                    note=rng.choice(SUSPENSION_REASONS),
                )
                reinstated = suspended + timedelta(days=rng.randint(90, 270))
                if reinstated > today:
                    return first, True
                validated, note = reinstated, "Reinstated after the corrective action plan was verified."
                continue
        validated = following
    return first, False


def _trade_compliance(rng: random.Random, history: _History, first_validation: date, today: date) -> None:
    roll = rng.random()
    if roll < 0.2 and first_validation < date(2018, 1, 1):
        isa = first_validation + timedelta(
            days=rng.randint(400, max(401, (date(2019, 6, 1) - first_validation).days))
        )
        history.add(
            "ISA",
            "CERTIFIED",
            isa,
            note="ISA MOU signed; questionnaire accepted.",
            annual_notification_due=None,
        )
        history.add("ISA", "INACTIVE", TRADE_COMPLIANCE_START, note="ISA folded into CTPAT Trade Compliance.")
        history.add(
            "CTPAT_TRADE_COMPLIANCE",
            "CERTIFIED",
            TRADE_COMPLIANCE_START,
            history.profile.tier,
            annual_notification_due=_annual_notification_due(isa, today),
            note="Converted from ISA.",
        )
    elif roll < 0.35:
        start = max(TRADE_COMPLIANCE_REOPENED, first_validation + timedelta(days=30))
        if start < today - timedelta(days=30):
            accepted = start + timedelta(days=rng.randrange(max(1, (today - start).days - 30)))
            history.add(
                "CTPAT_TRADE_COMPLIANCE",
                "CERTIFIED",
                accepted,
                history.profile.tier,
                annual_notification_due=_annual_notification_due(accepted, today),
                note="Trade Compliance application approved (MOU and questionnaire).",
            )
    elif roll < 0.37:
        joined = TRUSTED_TRADER_TEST + timedelta(days=rng.randint(0, 400))
        history.add("TRUSTED_TRADER", "CERTIFIED", joined, note="Trusted Trader test participant.")
        history.add("TRUSTED_TRADER", "INACTIVE", TRADE_COMPLIANCE_START, note="Test ended.")


def suspensions(rows: list[Row]) -> list[tuple[date, date | None, str]]:
    """(suspended on, reinstated on or None, reason) for each CTPAT suspension in one account's history."""
    found = []
    security = [r for r in rows if r["program"] == "CTPAT_SECURITY"]
    for position, row in enumerate(security):
        if row["state"] == "SUSPENDED":
            later = [r["effective_on"] for r in security[position + 1 :] if r["state"] == "VALIDATED"]
            found.append((row["effective_on"], later[0] if later else None, row["note"]))
    return found
