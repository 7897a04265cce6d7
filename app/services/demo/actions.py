"""Account action plans (DOMAIN.md §2.4, §5.7): issue -> root cause -> action -> owner -> due -> status."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from app.services.demo.context import Clock
from app.services.demo.people import AccountProfile
from app.services.demo.plan import new_id
from app.services.demo.stamps import office_time, synced

Row = dict[str, Any]

# (issue, root cause, action, who owns it: "tcm", "broker" or "ae")
PLAN_ITEMS: tuple[tuple[str, str, str, str], ...] = (
    (
        "Repeated MID discrepancies on entry lines",
        "Broker builds MIDs from the seller, not the manufacturer",
        "Walk the broker through the MID rules (19 CFR 102 appendix); spot-check 20 entries",
        "broker",
    ),
    (
        "CF-28 replies near or past the 30-day limit",
        "No owner for CF-28s at the importer",
        "Name a CF-28 owner and add the Forms module to their daily checks",
        "tcm",
    ),
    (
        "Late ISF filings",
        "New forwarder not filing 24 hours before lading",
        "Add ISF timeliness to the forwarder contract; review the ISF report monthly",
        "tcm",
    ),
    (
        "Long intensive exams at the main port",
        "Targeting hits on a new supplier",
        "Share the supplier's CTPAT validation with the port; ask for front-of-line exams",
        "ae",
    ),
    (
        "UFLPA detentions on Chinese-origin lines",
        "Supply-chain maps stop at the tier-1 supplier",
        "Build tracing documentation down to raw materials before the next shipment",
        "tcm",
    ),
    (
        "PGA holds for missing documents",
        "Documents sent after arrival",
        "Send PGA documents with the entry filing; checklist per product line",
        "broker",
    ),
    (
        "Protests instead of PSCs",
        "Errors found after liquidation",
        "Monthly pre-liquidation review of entries; file PSCs within 300 days",
        "tcm",
    ),
    (
        "Chapter 99 numbers missing on Section 301 lines",
        "Classification tool not updated",
        "Update the tariff database; PSC the affected unliquidated entries",
        "broker",
    ),
)


def action_rows(rng: random.Random, profile: AccountProfile, clock: Clock) -> list[Row]:
    rows: list[Row] = []
    items = rng.sample(PLAN_ITEMS, k=rng.choices((0, 1, 2, 3, 4), weights=(15, 30, 30, 15, 10))[0])
    for position, (issue, cause, action, owner_role) in enumerate(items):
        due = clock.today + timedelta(days=rng.randint(-90, 120))
        if due < clock.today:  # most past-due items are done; the rest show up as overdue
            status = rng.choices(("done", "in_progress", "open", "cancelled"), weights=(70, 15, 10, 5))[0]
        else:
            status = rng.choices(("open", "in_progress"), weights=(60, 40))[0]
        owner = profile.ae_name if owner_role == "ae" else profile.contacts.get(owner_role, profile.ae_name)
        created = office_time(rng, due - timedelta(days=rng.randint(30, 120)), 13, 22)
        updated = (
            created
            if status == "open"
            else office_time(rng, min(due, clock.today - timedelta(days=1)), 13, 22)
        )
        rows.append(
            synced(new_id(rng, created), created, max(created, updated))
            | {
                "account_id": profile.id,
                "issue": issue,
                "root_cause": cause,
                "action": action,
                "owner": owner,
                "due_on": due,
                "status": status,
                "position": position,
            }
        )
    return rows
