"""The compliance event log of the demo, and the events that concern a whole account (DOMAIN.md §6.3, §6.4):
Focused Assessments, 1592 penalties, liquidated damages, CTPAT suspensions, and what holds leave behind
(UFLPA detentions, seizures).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

from app.domain.identifiers import format_entry_number
from app.services.demo.context import Clock, RefData
from app.services.demo.holds import HoldInfo
from app.services.demo.people import AccountProfile
from app.services.demo.plan import new_id
from app.services.demo.stamps import office_time, synced

Row = dict[str, Any]

# Maximum 1592 penalty as a multiple of the loss of revenue (DOMAIN.md §6.3); fraud is capped by domestic
# value, taken here as a multiple of the loss too.
PENALTY_FACTOR: dict[str, float] = {"NEGLIGENCE": 2.0, "GROSS_NEGLIGENCE": 4.0, "FRAUD": 8.0}
# Deadlines counted from the day the event is opened (issued, noticed). PSC and protest windows run from the
# entry and the liquidation instead, and the event is the filing itself, so those carry no due date.
DEADLINE_TYPES = ("CF28", "CF29_PROPOSED", "UFLPA_DETENTION")


class EventLog:
    """Collects `compliance_events` rows; due dates come from `compliance_event_types.deadline_days`."""

    def __init__(self, rng: random.Random, ref: RefData, clock: Clock) -> None:
        self.rng, self.ref, self.clock = rng, ref, clock
        self.rows: list[Row] = []

    def add(self, profile: AccountProfile, event_type: str, opened: date, **fields: Any) -> Row:
        opened = min(opened, self.clock.today - timedelta(days=1))
        created = office_time(self.rng, opened, 13, 22)
        days = self.ref.deadline_days.get(event_type) if event_type in DEADLINE_TYPES else None
        row = (
            synced(new_id(self.rng, created), created, self._updated(created, fields))
            | {
                "account_id": profile.id,
                "event_type": event_type,
                "reference": "",
                "entry_number": None,
                "opened_on": opened,
                "due_on": opened + timedelta(days=days) if days else None,
                "responded_on": None,
                "closed_on": None,
                "amount_cents": None,
                "loss_of_revenue_cents": None,
                "proposed_cents": None,
                "assessed_cents": None,
                "mitigated_cents": None,
                "paid_cents": None,
                "culpability": "NA",
                "outcome": "",
                "description": "",
                "import_batch_id": None,
            }
            | fields
        )
        self.rows.append(row)
        return row

    def _updated(self, created: datetime, fields: dict[str, Any]) -> datetime:
        last = max(
            (d for k in ("responded_on", "closed_on") if (d := fields.get(k)) is not None), default=None
        )
        return office_time(self.rng, last, 13, 22) if last and last > created.date() else created

    def _past(self, day: date) -> date | None:
        return day if day < self.clock.today else None

    def _product(self, profile: AccountProfile) -> str:
        return profile.products[int(self.rng.random() * len(profile.products))].description

    def audit(self, profile: AccountProfile) -> None:
        rng = self.rng
        opened = self.clock.days_ago(rng.randint(100, 900))
        closed = self._past(opened + timedelta(days=rng.randint(180, 420)))
        findings = closed is not None and rng.random() < 0.4
        self.add(
            profile,
            "AUDIT_FA",
            opened,
            closed_on=closed,
            loss_of_revenue_cents=rng.randint(10_000, 900_000) * 100 if findings else None,
            outcome=(
                "Findings; Compliance Improvement Plan due"
                if findings
                else "Acceptable risk at survey; FA closed"
                if closed
                else "Assessment compliance testing"
            ),
            description="Focused Assessment: pre-assessment survey questionnaire (PASQ).",
        )

    def penalty(self, profile: AccountProfile) -> None:
        rng = self.rng
        culpability = rng.choices(list(PENALTY_FACTOR), weights=(70, 25, 5))[0]
        loss = rng.randint(5_000, 400_000) * 100
        proposed = round(loss * PENALTY_FACTOR[culpability])
        opened = self.clock.days_ago(rng.randint(60, 700))
        closed = self._past(opened + timedelta(days=rng.randint(120, 400)))
        mitigated = round(proposed * rng.uniform(0.2, 0.6)) if closed else None
        self.add(
            profile,
            "PENALTY_1592",
            opened,
            culpability=culpability,
            loss_of_revenue_cents=loss,
            proposed_cents=proposed,
            assessed_cents=proposed if closed else None,
            mitigated_cents=mitigated,
            paid_cents=mitigated,
            closed_on=closed,
            outcome="Mitigated on petition" if closed else "Petition pending",
            description=f"Pre-penalty notice ({culpability.lower().replace('_', ' ')}): misclassification of "
            f"{self._product(profile)}.",
        )

    def ld_claim(self, profile: AccountProfile) -> None:
        rng = self.rng
        opened = self.clock.days_ago(rng.randint(30, 600))
        closed = self._past(opened + timedelta(days=rng.randint(30, 150)))
        port = self.ref.ports[profile.ports[0]].name
        self.add(
            profile,
            "LD_CLAIM",
            opened,
            amount_cents=500_000,
            closed_on=closed,
            mitigated_cents=rng.choice((50_000, 100_000, 150_000)) if closed else None,
            outcome="Mitigated" if closed else "Petition pending",
            description=f"Liquidated damages: late ISF filing, {port}.",
        )

    def suspension(
        self, profile: AccountProfile, suspended: date, reinstated: date | None, note: str
    ) -> None:
        self.add(
            profile,
            "CTPAT_SUSPENSION",
            suspended,
            closed_on=reinstated,
            outcome="Reinstated" if reinstated else "Suspended",
            description=note,
        )

    def from_hold(self, profile: AccountProfile, hold: HoldInfo) -> None:
        if hold.category == "UFLPA":
            opened = hold.notice_on or hold.placed_at.date()
            closed = hold.removed_at.date() if hold.removed_at else None
            self.add(
                profile,
                "UFLPA_DETENTION",
                opened,
                entry_number=hold.entry_number,
                closed_on=closed,
                outcome=hold.outcome.replace("_", " ").lower() if closed else "",
                description=f"UFLPA detention of {format_entry_number(hold.entry_number)}.",
            )
        elif hold.outcome == "SEIZED":
            event_type = "IPR" if hold.category == "IPR" else "SEIZURE"
            self.add(
                profile,
                event_type,
                hold.removed_at.date() if hold.removed_at else hold.placed_at.date(),
                entry_number=hold.entry_number,
                outcome="Seized",
                description=f"Seizure by FP&F at {self.ref.ports[hold.port].name}.",
            )
