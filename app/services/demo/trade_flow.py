"""Drives the trade phase: each account's entries over two years, the holds on some of them, and the set of
holds still open today.

Open holds are planned up front so that every threshold state of DOMAIN.md §5.6 is present whatever the seed:
the first ages below fall in each band of business days (< 5, 5-9, 10-29, >= 30; 24 business days is also past
30 calendar days, i.e. deemed exclusion), on categories that run the detention clock.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from app.services.demo.context import Clock, RefData
from app.services.demo.holds import HoldFactory
from app.services.demo.people import AccountProfile
from app.services.demo.plan import ScalePlan, mean_lines_per_entry
from app.services.demo.trade import EntryFactory, EntrySample, TradeBuffers

GUARANTEED_OPEN: tuple[tuple[int, str], ...] = (
    (1, "NII"),
    (3, "DOC_REVIEW"),
    (6, "TAILGATE"),
    (8, "CBP_INTENSIVE"),
    (12, "CBP_INTENSIVE"),
    (18, "DETENTION"),
    (24, "DETENTION"),
    (35, "CBP_INTENSIVE"),
    (42, "UFLPA"),
)
MAX_OPEN_AGE = 45
SAMPLE_SIZE = 40  # entries remembered per account for notes and compliance events
# Trusted partners are held less often (DOMAIN.md §3.1); the factors average about 1 over the tier mix.
HOLD_FACTOR: dict[str, float] = {"TIER3": 0.6, "TIER2": 0.9, "TIER1": 1.1, "NONE": 1.5}


@dataclass
class OpenHoldSpec:
    account_index: int
    age: int  # business days before today
    category: str  # "" = choose to fit the account and the age


@dataclass
class TradeResult:
    samples: dict[int, list[EntrySample]] = field(default_factory=dict)  # account index -> sample
    entries: int = 0
    lines: int = 0


def plan_open_holds(
    rng: random.Random, plan: ScalePlan, profiles: list[AccountProfile]
) -> list[OpenHoldSpec]:
    active = [p for p in profiles if p.active]
    weights = [p.weight for p in active]
    exposed = [p for p in active if p.uflpa_exposed]
    specs: list[OpenHoldSpec] = []
    for age, category in GUARANTEED_OPEN[: plan.open_holds]:
        if category == "UFLPA" and not exposed:
            category = "DETENTION"
        pool = exposed if category == "UFLPA" else active
        specs.append(OpenHoldSpec(rng.choice(pool).index, age, category))
    for _ in range(plan.open_holds - len(specs)):
        account = rng.choices(active, weights=weights)[0]
        specs.append(OpenHoldSpec(account.index, 1 + int(MAX_OPEN_AGE * rng.random() ** 2), ""))
    return specs


class TradeFlow:
    def __init__(
        self,
        rng: random.Random,
        plan: ScalePlan,
        ref: RefData,
        clock: Clock,
        entries: EntryFactory,
        holds: HoldFactory,
        flush: Callable[[TradeBuffers], None],
        chunk_lines: int,
    ) -> None:
        self.rng = rng
        self.plan = plan
        self.clock = clock
        self.entries = entries
        self.holds = holds
        self.flush = flush
        self.chunk_lines = chunk_lines
        self.closed_holds = 0
        self.result = TradeResult()

    def run(self, profiles: list[AccountProfile], open_specs: list[OpenHoldSpec]) -> TradeResult:
        total_weight = sum(p.weight for p in profiles)
        by_account: dict[int, list[OpenHoldSpec]] = {}
        for spec in open_specs:
            by_account.setdefault(spec.account_index, []).append(spec)
        for profile in profiles:
            target = self.plan.entry_lines * profile.weight / total_weight
            self._account(profile, target, by_account.get(profile.index, []))
        self._flush()
        return self.result

    def _account(self, profile: AccountProfile, line_target: float, open_specs: list[OpenHoldSpec]) -> None:
        rng, clock = self.rng, self.clock
        sample: list[EntrySample] = []
        seen = 0
        start_lines = self.result.lines + len(self.entries.buffers.lines)
        probability = self._hold_probability() * HOLD_FACTOR[profile.tier]
        # Inactive accounts stopped importing a year ago.
        newest = 366 if not profile.active else 1
        span = self.plan.history_days - newest
        last_business_day = clock.add_business_days(clock.today, -1)
        for spec in open_specs:
            self._open_hold_entry(profile, spec)
        while self.result.lines + len(self.entries.buffers.lines) - start_lines < line_target:
            day = clock.business_day_on_or_after(clock.days_ago(newest + int(rng.random() * span)))
            made = self.entries.make(profile, min(day, last_business_day))
            if rng.random() < probability:
                category = self.holds.category(profile, made.has_cn, made.vessel)
                closed = self.holds.closed(profile, made.sample.entry_number, made.sample.port, day, category)
                if closed is not None:
                    self.closed_holds += 1
                    row, release = closed
                    self.entries.buffers.holds.append(row)
                    self.entries.set_release(made.row, release)
            seen += 1
            if len(sample) < SAMPLE_SIZE:
                sample.append(made.sample)
            elif (slot := int(rng.random() * seen)) < SAMPLE_SIZE:  # reservoir sampling
                sample[slot] = made.sample
            if len(self.entries.buffers.lines) >= self.chunk_lines:
                self._flush()
        self.result.samples[profile.index] = sample

    def _hold_probability(self) -> float:
        """Holds still to place per entry still to make, re-estimated per account so the total lands on plan.

        Informal and de minimis entries have fewer lines, so the entry count is only known as it goes.
        """
        made_entries = self.result.entries + len(self.entries.buffers.entries)
        made_lines = self.result.lines + len(self.entries.buffers.lines)
        lines_per_entry = made_lines / made_entries if made_entries > 100 else mean_lines_per_entry()
        entries_left = max(1.0, (self.plan.entry_lines - made_lines) / lines_per_entry)
        return max(0.0, self.plan.closed_holds - self.closed_holds) / entries_left

    def _open_hold_entry(self, profile: AccountProfile, spec: OpenHoldSpec) -> None:
        clock = self.clock
        placed_day = clock.add_business_days(clock.today, -spec.age)
        # Entered the day the hold was placed, or the business day before.
        entry_day = placed_day if self.rng.random() < 0.5 else clock.add_business_days(placed_day, -1)
        force = "CN" if spec.category in ("UFLPA", "WRO") else ""
        made = self.entries.make(profile, entry_day, force_origin=force)
        self.entries.set_release(made.row, None)
        category = spec.category or self.holds.category(profile, made.has_cn, made.vessel, min_age=spec.age)
        if category in ("UFLPA", "WRO") and not (made.has_cn and profile.uflpa_exposed):
            category = "DETENTION"
        row = self.holds.open(profile, made.sample.entry_number, made.sample.port, placed_day, category)
        self.entries.buffers.holds.append(row)

    def _flush(self) -> None:
        buffers = self.entries.buffers
        self.result.entries += len(buffers.entries)
        self.result.lines += len(buffers.lines)
        self.flush(buffers)
        self.entries.buffers = TradeBuffers()
