"""How big each demo scale is, and the seeded randomness every part of the generator draws from.

Volumes are targets, not exact counts: entries are drawn until each account's share of lines is reached, and
holds and notes are drawn with probabilities derived from these numbers.

Hold volume: small and medium hold about 2% of entries, as real trusted-partner portfolios do (DOMAIN.md §5.2:
exams touch well under 1% of entries industry-wide; trusted partners with PGA-regulated goods see more). The
large scale is a stress test with fixed targets (1,000,000 lines, 50,000 holds): with 1-8 lines per entry that
is ~250,000 entries, so its hold rate is ~20% by design, to load the held-shipments board and hold queries.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from app.domain.errors import ValidationError
from app.domain.ids import uuid7_from_parts

T = TypeVar("T")

SCALES: tuple[str, ...] = ("small", "medium", "large")

_EPOCH = datetime(1970, 1, 1)


@dataclass(frozen=True)
class ScalePlan:
    scale: str
    accounts: int
    aes_per_center: int
    entry_lines: int
    holds: int
    notes: int
    open_hold_share: float = 0.08  # of all holds, still open today
    history_days: int = 730  # entries reach back two years, so some are liquidated and protestable
    notes_days: int = 548  # notes and contact logs reach back 18 months
    brokers: int = 12

    @property
    def open_holds(self) -> int:
        # At least 8, so that every threshold state (DOMAIN.md §5.6) appears twice even at the small scale.
        return max(8, round(self.holds * self.open_hold_share))

    @property
    def closed_holds(self) -> int:
        return self.holds - self.open_holds


PLANS: dict[str, ScalePlan] = {
    "small": ScalePlan("small", accounts=40, aes_per_center=2, entry_lines=20_000, holds=110, notes=4_000),
    "medium": ScalePlan(
        "medium", accounts=400, aes_per_center=4, entry_lines=200_000, holds=1_100, notes=40_000, brokers=40
    ),
    "large": ScalePlan(
        "large",
        accounts=2_000,
        aes_per_center=8,
        entry_lines=1_000_000,
        holds=50_000,
        notes=200_000,
        brokers=160,
    ),
}

# Mean lines of a formal entry (1-8 lines, weights below); informal and de minimis entries have 1-2.
LINE_COUNT_WEIGHTS: tuple[int, ...] = (18, 14, 14, 12, 11, 10, 10, 11)


def plan_for(scale: str) -> ScalePlan:
    """The plan of a named scale; `ValidationError` for any other name."""
    try:
        return PLANS[scale]
    except KeyError:
        raise ValidationError(
            f"unknown demo scale {scale!r}: use one of {', '.join(SCALES)}", field="scale"
        ) from None


def mean_lines_per_entry() -> float:
    total = sum(LINE_COUNT_WEIGHTS)
    return sum((i + 1) * w for i, w in enumerate(LINE_COUNT_WEIGHTS)) / total


def derive_rng(seed: int, *parts: object) -> random.Random:
    """An independent generator for one part of the portfolio.

    Seeding with a string goes through SHA-512 (not `hash()`), so it is the same in every process whatever
    PYTHONHASHSEED is; separate streams keep a change in one part (say, note texts) from reshuffling others.
    """
    return random.Random("/".join(str(p) for p in (seed, *parts)))


def epoch_ms(when: datetime) -> int:
    """Milliseconds since 1970 of a naive date-time read as UTC (never the machine's time zone)."""
    return int((when - _EPOCH).total_seconds() * 1000)


def new_id(rng: random.Random, when: datetime) -> uuid.UUID:
    """A UUIDv7 stamped `when` whose random bits come from `rng`: the same seed gives the same ids."""
    return uuid7_from_parts(epoch_ms(when), rng.getrandbits(74))


def weighted_pool(items: Sequence[tuple[T, int]]) -> list[T]:
    """Each item repeated by its weight: `pool[int(r * len(pool))]` draws faster than `random.choices`."""
    return [item for item, weight in items for _ in range(weight)]
