"""Compliance history (DOMAIN.md §6): CF-28s and the CF-29s that follow some of them, PSCs, protests and CM
discrepancies on the account's entries, plus the account-level events of `events.py`.

Deadlines come from `compliance_event_types.deadline_days` (CF-28 30 days, CF-29 proposed 20, UFLPA 30).
Some CF-28s are open and due within a week of today, so the AE's deadline list is never empty.
"""

from __future__ import annotations

from datetime import date, timedelta

from app.services.demo.events import EventLog
from app.services.demo.people import AccountProfile
from app.services.demo.trade import EntrySample

CF28_REASONS: tuple[str, ...] = (
    "classification of {product}",
    "value: related-party pricing",
    "origin and MID of the manufacturer",
    "USMCA claim (SPI S): certification of origin",
    "Section 301: chapter 99 reporting",
    "AD/CVD scope",
)
CM_FINDINGS: tuple[tuple[str, str], ...] = (
    ("Significant", "classification of {product}"),
    ("Significant", "value: assists not declared"),
    ("Clerical", "quantity"),
    ("Clerical", "MID"),
    ("Significant", "country of origin"),
)


class ComplianceWriter(EventLog):
    """Adds the events about single entries (CF-28/29, PSC, protest, CM discrepancy) to the account's."""

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

    def showcase(self, profile: AccountProfile, samples: list[EntrySample], kind: str) -> bool:
        """One event of `kind`, so that even the small demo shows every kind; False if this account has no
        entry it could be about."""
        rng = self.rng
        liquidated = sorted((s for s in samples if s.liquidation_date), key=lambda s: s.entry_date)
        before = len(self.rows)
        if kind == "audit":
            self.audit(profile)
        elif kind == "penalty":
            self.penalty(profile)
        elif kind == "ld_claim":
            self.ld_claim(profile)
        elif kind == "protest" and liquidated:
            self.protest(profile, liquidated[0])  # the oldest: its protest window has surely opened
        elif kind == "cm_discrepancy" and samples:
            self.cm_discrepancy(profile, rng.choice(samples))
        elif kind == "cf29" and samples:
            self.cf29(profile, rng.choice(samples), self.clock.days_ago(rng.randint(60, 400)), taken=True)
        return len(self.rows) > before

    def cf28(self, profile: AccountProfile, entry: EntrySample, opened: date | None = None) -> None:
        rng, today = self.rng, self.clock.today
        opened = opened or entry.entry_date + timedelta(days=rng.randint(30, 200))
        if opened >= today:
            return
        urgent = opened > today - timedelta(days=30)
        responded = (
            None
            if urgent
            else self._past(
                opened + timedelta(days=rng.randint(5, 30) if rng.random() < 0.9 else rng.randint(31, 45))
            )
        )
        closed = self._past(responded + timedelta(days=rng.randint(10, 90))) if responded else None
        reason = rng.choice(CF28_REASONS).format(product=self._product(profile))
        follow = closed is not None and rng.random() < 0.25
        outcome = "CF-29 proposed" if follow else ("Accepted as entered" if closed else "")
        self.add(
            profile,
            "CF28",
            opened,
            entry_number=entry.entry_number,
            responded_on=responded,
            closed_on=closed,
            outcome=outcome,
            description=f"Request for information: {reason}.",
        )
        if follow and closed:
            self.cf29(profile, entry, closed)

    def cf29(self, profile: AccountProfile, entry: EntrySample, opened: date, *, taken: bool = False) -> None:
        rng = self.rng
        responded = self._past(opened + timedelta(days=rng.randint(5, 20)))
        closed = self._past(responded + timedelta(days=rng.randint(10, 60))) if responded else None
        taken = closed is not None and (taken or rng.random() < 0.5)
        self.add(
            profile,
            "CF29_PROPOSED",
            opened,
            entry_number=entry.entry_number,
            responded_on=responded,
            closed_on=closed,
            outcome="Action taken" if taken else ("Withdrawn after response" if closed else ""),
            description="Notice of action (proposed): rate advance.",
        )
        if taken and closed:
            amount = rng.randint(500, 40_000) * 100
            self.add(
                profile,
                "CF29_TAKEN",
                closed,
                entry_number=entry.entry_number,
                closed_on=closed,
                amount_cents=amount,
                outcome="Rate advance",
                description="Notice of action (taken): rate advance.",
            )

    def psc(self, profile: AccountProfile, entry: EntrySample) -> None:
        rng = self.rng
        opened = entry.entry_date + timedelta(days=rng.randint(15, 280))
        if opened >= self.clock.today:
            return
        change = rng.randint(-5_000, 12_000) * 100
        what = rng.choice(("HTS number on line 1", "MID", "country of origin", "entered value", "SPI claim"))
        self.add(
            profile,
            "PSC",
            opened,
            entry_number=entry.entry_number,
            closed_on=self._past(opened + timedelta(days=rng.randint(1, 20))),
            amount_cents=change,
            outcome="Accepted",
            description=f"Post-summary correction: {what}.",
        )

    def protest(self, profile: AccountProfile, entry: EntrySample) -> None:
        rng = self.rng
        liquidated = entry.liquidation_date
        assert liquidated is not None
        days_since = (self.clock.today - liquidated).days
        if days_since < 2:
            return
        # Filed within the 180-day window (DOMAIN.md §6.2), typically a month or more after liquidation.
        opened = liquidated + timedelta(days=rng.randint(min(30, days_since // 2), min(175, days_since - 1)))
        closed = self._past(opened + timedelta(days=rng.randint(60, 400)))
        outcome = rng.choice(("Allowed", "Denied", "Allowed in part")) if closed else "Pending"
        self.add(
            profile,
            "PROTEST",
            opened,
            entry_number=entry.entry_number,
            closed_on=closed,
            outcome=outcome,
            description=f"Protest of liquidation: classification of {self._product(profile)}.",
        )

    def cm_discrepancy(self, profile: AccountProfile, entry: EntrySample) -> None:
        rng = self.rng
        opened = entry.entry_date + timedelta(days=rng.randint(10, 120))
        kind, finding = rng.choice(CM_FINDINGS)
        self.add(
            profile,
            "CM_DISCREPANCY",
            opened,
            entry_number=entry.entry_number,
            closed_on=self._past(opened + timedelta(days=rng.randint(5, 30))),
            outcome=kind,
            description=f"{kind} CM discrepancy: " + finding.format(product=self._product(profile)) + ".",
        )
