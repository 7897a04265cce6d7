"""Compliance history (DOMAIN.md §6): CF-28s and the CF-29s that follow some of them, PSCs, protests, CM
discrepancies, audits, penalties, liquidated damages, and the events that holds and suspensions leave behind.

Deadlines come from `compliance_event_types.deadline_days` (CF-28 30 days, CF-29 proposed 20, UFLPA 30).
Some CF-28s are open and due within a week of today, so the AE's deadline list is never empty.
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
from app.services.demo.trade import EntrySample

Row = dict[str, Any]

CF28_REASONS: tuple[str, ...] = (
    "classification of {product}", "value: related-party pricing", "origin and MID of the manufacturer",
    "USMCA claim (SPI S): certification of origin", "Section 301: chapter 99 reporting", "AD/CVD scope",
)
CM_FINDINGS: tuple[tuple[str, str], ...] = (
    ("Significant", "classification of {product}"), ("Significant", "value: assists not declared"),
    ("Clerical", "quantity"), ("Clerical", "MID"), ("Significant", "country of origin"),
)
PENALTY_FACTOR: dict[str, float] = {"NEGLIGENCE": 2.0, "GROSS_NEGLIGENCE": 4.0, "FRAUD": 8.0}


class ComplianceWriter:
    def __init__(self, rng: random.Random, ref: RefData, clock: Clock) -> None:
        self.rng, self.ref, self.clock = rng, ref, clock
        self.rows: list[Row] = []

    def add(self, profile: AccountProfile, event_type: str, opened: date, **fields: Any) -> Row:
        opened = min(opened, self.clock.today - timedelta(days=1))
        created = office_time(self.rng, opened, 13, 22)
        days = self.ref.deadline_days.get(event_type) if event_type in ("CF28", "CF29_PROPOSED", "UFLPA_DETENTION") else None
        row = synced(new_id(self.rng, created), created, self._updated(created, fields)) | {
            "account_id": profile.id, "event_type": event_type, "reference": "", "entry_number": None,
            "opened_on": opened, "due_on": opened + timedelta(days=days) if days else None,
            "responded_on": None, "closed_on": None, "amount_cents": None, "loss_of_revenue_cents": None,
            "proposed_cents": None, "assessed_cents": None, "mitigated_cents": None, "paid_cents": None,
            "culpability": "NA", "outcome": "", "description": "", "import_batch_id": None,
        } | fields
        self.rows.append(row)
        return row

    def _updated(self, created: datetime, fields: dict[str, Any]) -> datetime:
        last = max((d for k in ("responded_on", "closed_on") if (d := fields.get(k)) is not None), default=None)
        return office_time(self.rng, last, 13, 22) if last and last > created.date() else created

    def _past(self, day: date) -> date | None:
        return day if day < self.clock.today else None

    def account(self, profile: AccountProfile, samples: list[EntrySample], *, urgent_cf28: bool) -> None:
        rng = self.rng
        count = profile.entry_count
        if samples:
            for _ in range(round(count * 0.006 * rng.uniform(0.5, 1.5))):
                self.cf28(profile, rng.choice(samples))
            for _ in range(round(count * 0.008 * rng.uniform(0.5, 1.5))):
                self.psc(profile, rng.choice(samples))
            for _ in range(round(count * 0.002 * rng.uniform(0.5, 1.5))):
                self.cm_discrepancy(profile, rng.choice(samples))
            liquidated = [s for s in samples if s.liquidation_date]
            for _ in range(min(len(liquidated), round(count * 0.001 * rng.uniform(0.5, 1.5)))):
                self.protest(profile, rng.choice(liquidated))
            if urgent_cf28:
                self.cf28(profile, samples[0], opened=self.clock.days_ago(rng.randint(23, 29)))
        if rng.random() < 0.04:
            self.audit(profile)
        if rng.random() < 0.02:
            self.penalty(profile)
        if rng.random() < 0.05:
            self.ld_claim(profile)

    def showcase(self, profile: AccountProfile, samples: list[EntrySample], kind: str) -> None:
        """One event of `kind`, so that even the small demo shows every kind of the compliance timeline."""
        rng = self.rng
        liquidated = [s for s in samples if s.liquidation_date]
        if kind == "audit":
            self.audit(profile)
        elif kind == "penalty":
            self.penalty(profile)
        elif kind == "ld_claim":
            self.ld_claim(profile)
        elif kind == "protest" and liquidated:
            self.protest(profile, rng.choice(liquidated))
        elif kind == "cm_discrepancy" and samples:
            self.cm_discrepancy(profile, rng.choice(samples))
        elif kind == "cf29" and samples:
            entry = rng.choice(samples)
            self.cf29(profile, entry, self.clock.days_ago(rng.randint(60, 400)), taken=True)

    def _product(self, profile: AccountProfile) -> str:
        return profile.products[int(self.rng.random() * len(profile.products))].description

    def cf28(self, profile: AccountProfile, entry: EntrySample, opened: date | None = None) -> None:
        rng, today = self.rng, self.clock.today
        opened = opened or entry.entry_date + timedelta(days=rng.randint(30, 200))
        if opened >= today:
            return
        urgent = opened > today - timedelta(days=30)
        responded = None if urgent else self._past(opened + timedelta(days=rng.randint(5, 30) if rng.random() < 0.9 else rng.randint(31, 45)))
        closed = self._past(responded + timedelta(days=rng.randint(10, 90))) if responded else None
        reason = rng.choice(CF28_REASONS).format(product=self._product(profile))
        follow = closed is not None and rng.random() < 0.25
        outcome = "CF-29 proposed" if follow else ("Accepted as entered" if closed else "")
        self.add(profile, "CF28", opened, entry_number=entry.entry_number, responded_on=responded,
                 closed_on=closed, outcome=outcome, description=f"Request for information: {reason}.")
        if follow and closed:
            self.cf29(profile, entry, closed)

    def cf29(self, profile: AccountProfile, entry: EntrySample, opened: date, *, taken: bool = False) -> None:
        rng = self.rng
        responded = self._past(opened + timedelta(days=rng.randint(5, 20)))
        closed = self._past(responded + timedelta(days=rng.randint(10, 60))) if responded else None
        taken = closed is not None and (taken or rng.random() < 0.5)
        self.add(profile, "CF29_PROPOSED", opened, entry_number=entry.entry_number, responded_on=responded,
                 closed_on=closed, outcome="Action taken" if taken else ("Withdrawn after response" if closed else ""),
                 description="Notice of action (proposed): rate advance.")
        if taken and closed:
            amount = rng.randint(500, 40_000) * 100
            self.add(profile, "CF29_TAKEN", closed, entry_number=entry.entry_number, closed_on=closed,
                     amount_cents=amount, outcome="Rate advance", description="Notice of action (taken): rate advance.")

    def psc(self, profile: AccountProfile, entry: EntrySample) -> None:
        rng = self.rng
        opened = entry.entry_date + timedelta(days=rng.randint(15, 280))
        if opened >= self.clock.today:
            return
        change = rng.randint(-5_000, 12_000) * 100
        what = rng.choice(("HTS number on line 1", "MID", "country of origin", "entered value", "SPI claim"))
        self.add(profile, "PSC", opened, entry_number=entry.entry_number,
                 closed_on=self._past(opened + timedelta(days=rng.randint(1, 20))), amount_cents=change,
                 outcome="Accepted", description=f"Post-summary correction: {what}.")

    def protest(self, profile: AccountProfile, entry: EntrySample) -> None:
        rng = self.rng
        assert entry.liquidation_date is not None
        opened = entry.liquidation_date + timedelta(days=rng.randint(30, 175))
        if opened >= self.clock.today:
            return
        closed = self._past(opened + timedelta(days=rng.randint(60, 400)))
        outcome = rng.choice(("Allowed", "Denied", "Allowed in part")) if closed else "Pending"
        self.add(profile, "PROTEST", opened, entry_number=entry.entry_number, closed_on=closed, outcome=outcome,
                 description=f"Protest of liquidation: classification of {self._product(profile)}.")

    def cm_discrepancy(self, profile: AccountProfile, entry: EntrySample) -> None:
        rng = self.rng
        opened = entry.entry_date + timedelta(days=rng.randint(10, 120))
        kind, finding = rng.choice(CM_FINDINGS)
        self.add(profile, "CM_DISCREPANCY", opened, entry_number=entry.entry_number,
                 closed_on=self._past(opened + timedelta(days=rng.randint(5, 30))), outcome=kind,
                 description=f"{kind} CM discrepancy: " + finding.format(product=self._product(profile)) + ".")

    def audit(self, profile: AccountProfile) -> None:
        rng = self.rng
        opened = self.clock.days_ago(rng.randint(100, 900))
        closed = self._past(opened + timedelta(days=rng.randint(180, 420)))
        findings = closed is not None and rng.random() < 0.4
        self.add(profile, "AUDIT_FA", opened, closed_on=closed,
                 loss_of_revenue_cents=rng.randint(10_000, 900_000) * 100 if findings else None,
                 outcome=("Findings; Compliance Improvement Plan due" if findings
                          else "Acceptable risk at survey; FA closed" if closed else "Assessment compliance testing"),
                 description="Focused Assessment: pre-assessment survey questionnaire (PASQ).")

    def penalty(self, profile: AccountProfile) -> None:
        rng = self.rng
        culpability = rng.choices(list(PENALTY_FACTOR), weights=(70, 25, 5))[0]
        loss = rng.randint(5_000, 400_000) * 100
        proposed = round(loss * PENALTY_FACTOR[culpability])
        opened = self.clock.days_ago(rng.randint(60, 700))
        closed = self._past(opened + timedelta(days=rng.randint(120, 400)))
        mitigated = round(proposed * rng.uniform(0.2, 0.6)) if closed else None
        self.add(profile, "PENALTY_1592", opened, culpability=culpability, loss_of_revenue_cents=loss,
                 proposed_cents=proposed, assessed_cents=proposed if closed else None, mitigated_cents=mitigated,
                 paid_cents=mitigated, closed_on=closed, outcome="Mitigated on petition" if closed else "Petition pending",
                 description=f"Pre-penalty notice ({culpability.lower().replace('_', ' ')}): misclassification of "
                 f"{self._product(profile)}.")

    def ld_claim(self, profile: AccountProfile) -> None:
        rng = self.rng
        opened = self.clock.days_ago(rng.randint(30, 600))
        closed = self._past(opened + timedelta(days=rng.randint(30, 150)))
        port = self.ref.ports[profile.ports[0]].name
        self.add(profile, "LD_CLAIM", opened, amount_cents=500_000, closed_on=closed,
                 mitigated_cents=rng.choice((50_000, 100_000, 150_000)) if closed else None,
                 outcome="Mitigated" if closed else "Petition pending",
                 description=f"Liquidated damages: late ISF filing, {port}.")

    def suspension(self, profile: AccountProfile, suspended: date, reinstated: date | None, note: str) -> None:
        self.add(profile, "CTPAT_SUSPENSION", suspended, closed_on=reinstated,
                 outcome="Reinstated" if reinstated else "Suspended", description=note)

    def from_hold(self, profile: AccountProfile, hold: HoldInfo) -> None:
        if hold.category == "UFLPA":
            opened = hold.notice_on or hold.placed_at.date()
            closed = hold.removed_at.date() if hold.removed_at else None
            self.add(profile, "UFLPA_DETENTION", opened, entry_number=hold.entry_number, closed_on=closed,
                     outcome=hold.outcome.replace("_", " ").lower() if closed else "",
                     description=f"UFLPA detention of {format_entry_number(hold.entry_number)}.")
        elif hold.outcome == "SEIZED":
            event_type = "IPR" if hold.category == "IPR" else "SEIZURE"
            self.add(profile, event_type, hold.removed_at.date() if hold.removed_at else hold.placed_at.date(),
                     entry_number=hold.entry_number, outcome="Seized",
                     description=f"Seizure by FP&F at {self.ref.ports[hold.port].name}.")
