"""Holds on entries (DOMAIN.md §5): who owns them, how long they last, how they end.

Category, owner, agency and typical exam come from the `hold_categories` reference table; dwell times in
business days from its min/max days (NII 1-3, tailgate 1-6, intensive 5-30, PGA 2-21, UFLPA 10-90), skewed
short because most holds clear quickly. Disposition codes are the ones `disposition_codes` lists as placing
that category; holds that no bill-level code places carry the status vocabulary of §5.4 instead (PGA statuses,
"CBP Review").
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from app.services.demo import catalog
from app.services.demo.context import Clock, RefData
from app.services.demo.people import AccountProfile
from app.services.demo.plan import new_id
from app.services.demo.stamps import office_time

Row = dict[str, Any]

# Dwell (business days) for categories whose reference row gives no range.
DEFAULT_DWELL: dict[str, tuple[int, int]] = {
    "CBP_GENERAL": (0, 3),
    "MANIFEST": (0, 2),
    "ISF": (1, 5),
    "GENERAL_ORDER": (10, 30),
    "SEIZURE": (5, 40),
    "IPR": (5, 30),
    "WRO": (20, 60),
    "CONVEYANCE": (0, 2),
}
CBP_CATEGORIES: tuple[tuple[str, int], ...] = (
    ("NII", 300),
    ("DOC_REVIEW", 140),
    ("TAILGATE", 100),
    ("CBP_INTENSIVE", 60),
    ("CET", 40),
    ("MANIFEST", 50),
    ("CBP_GENERAL", 60),
    ("DETENTION", 10),
    ("GENERAL_ORDER", 5),
    ("CONVEYANCE", 3),
    ("SEIZURE", 2),
)
EXAM_CATEGORIES = frozenset({"NII", "TAILGATE", "CET", "CBP_INTENSIVE"})
OUTCOMES: dict[str, tuple[tuple[str, int], ...]] = {
    "PGA": (("RELEASED_AFTER_EXAM", 85), ("RELEASED", 10), ("REFUSED_EXCLUDED", 4), ("DESTROYED", 1)),
    "UFLPA": (("EXPORTED", 45), ("RELEASED", 30), ("REFUSED_EXCLUDED", 20), ("SEIZED", 5)),
    "WRO": (("EXPORTED", 60), ("RELEASED", 30), ("SEIZED", 10)),
    "DETENTION": (
        ("RELEASED_AFTER_EXAM", 80),
        ("REFUSED_EXCLUDED", 10),
        ("DEEMED_EXCLUDED", 5),
        ("SEIZED", 5),
    ),
    "IPR": (("SEIZED", 60), ("RELEASED", 40)),
    "SEIZURE": (("SEIZED", 1),),
    "GENERAL_ORDER": (("GO", 1), ("RELEASED", 1)),
}
NOT_RELEASED = frozenset({"REFUSED_EXCLUDED", "DEEMED_EXCLUDED", "EXPORTED", "DESTROYED", "SEIZED", "GO"})
NOTICE_CATEGORIES = frozenset({"DETENTION", "UFLPA", "WRO", "IPR"})  # a notice of detention is issued


@dataclass
class HoldInfo:
    """A written hold, as notes and compliance events refer to it."""

    id: Any
    entry_number: str
    account_index: int
    category: str
    agency: str
    port: str
    placed_at: datetime
    removed_at: datetime | None
    outcome: str
    notice_on: date | None


class HoldFactory:
    def __init__(self, rng: random.Random, ref: RefData, clock: Clock) -> None:
        self.rng = rng
        self.ref = ref
        self.clock = clock
        self.written: list[HoldInfo] = []

    def category(self, profile: AccountProfile, has_cn: bool, vessel: bool, min_age: int = 0) -> str:
        """A hold category that fits the account's goods; long-running kinds only when `min_age` is high."""
        rng = self.rng
        choices = list(CBP_CATEGORIES)
        if min_age >= 10:
            choices = [("CBP_INTENSIVE", 40), ("DETENTION", 20)]
        if vessel and min_age < 5:
            choices.append(("ISF", 40))
        pga = catalog.PGA_HOLDS.get(profile.center, ())
        scale = 2 if min_age >= 10 else 1
        choices += [(code, w * 16 * scale) for code, w in pga]
        if profile.uflpa_exposed and has_cn:
            choices += [("UFLPA", 15 * scale), ("WRO", 2 * scale)]
        if profile.center in ("CPMM", "AFT", "ELEC"):
            choices.append(("IPR", 4 * scale))
        known = [(c, w) for c, w in choices if c in self.ref.hold_categories]
        return rng.choices([c for c, _ in known], weights=[w for _, w in known])[0]

    def dwell(self, category: str) -> int:
        ref = self.ref.hold_categories[category]
        low, high = DEFAULT_DWELL.get(category, (0, 3))
        low = ref.min_days if ref.min_days is not None else low
        high = ref.max_days if ref.max_days is not None else high
        return low + int((high - low) * self.rng.random() ** 2)

    def outcome(self, category: str) -> str:
        if category.startswith("PGA_"):
            table = OUTCOMES["PGA"]
        elif category in OUTCOMES:
            table = OUTCOMES[category]
        else:
            return "RELEASED_AFTER_EXAM" if category in EXAM_CATEGORIES else "RELEASED"
        return self.rng.choices([o for o, _ in table], weights=[w for _, w in table])[0]

    def closed(
        self, profile: AccountProfile, entry_number: str, port: str, placed_on: date, category: str
    ) -> tuple[Row, date | None] | None:
        """A hold placed and removed in the past: (row, release date of the entry, None if never released).

        None when the hold would still run today: holds open today are planned apart (see trade_flow).
        """
        clock = self.clock
        placed_day = clock.business_day_on_or_after(placed_on)
        removed_day = clock.add_business_days(placed_day, self.dwell(category))
        if removed_day >= clock.today:
            return None
        placed_at = office_time(self.rng, placed_day, 7, 15)
        removed_at = office_time(self.rng, removed_day, 8, 17)
        if removed_at <= placed_at:
            removed_at = placed_at + timedelta(hours=1 + self.rng.randrange(5))
        outcome = self.outcome(category)
        row = self._row(profile, entry_number, port, category, placed_at, removed_at, outcome)
        return row, (None if outcome in NOT_RELEASED else removed_day)

    def open(
        self, profile: AccountProfile, entry_number: str, port: str, placed_day: date, category: str
    ) -> Row:
        """A hold still in force today, placed `placed_day` (a business day before today)."""
        placed_at = office_time(self.rng, placed_day, 7, 16)
        return self._row(profile, entry_number, port, category, placed_at, None, "OPEN")

    def _row(
        self,
        profile: AccountProfile,
        entry_number: str,
        port: str,
        category: str,
        placed_at: datetime,
        removed_at: datetime | None,
        outcome: str,
    ) -> Row:
        ref = self.ref.hold_categories[category]
        code, status = self._status(category, ref.agency, removed_at is None, outcome)
        hold_id = new_id(self.rng, placed_at)
        notice = self._notice(category, placed_at.date(), removed_at)
        self.written.append(
            HoldInfo(
                hold_id,
                entry_number,
                profile.index,
                category,
                ref.agency,
                port,
                placed_at,
                removed_at,
                outcome,
                notice,
            )
        )
        return {
            "id": hold_id,
            "entry_number": entry_number,
            "account_id": profile.id,
            "port_code": port,
            "category": category,
            "owner": ref.owner,
            "agency_code": ref.agency,
            "disposition_code": code,
            "status_text": status,
            "placed_at": placed_at,
            "removed_at": removed_at,
            "outcome": outcome,
            "exam_type": ref.typical_exam,
            "exam_location": self._exam_location(ref.typical_exam, ref.agency, port),
            "detention_notice_on": notice,
            "import_batch_id": None,
        }

    def _status(self, category: str, agency: str, is_open: bool, outcome: str) -> tuple[str, str]:
        codes = self.ref.place_codes.get(category)
        if codes:
            code, meaning = codes[int(self.rng.random() * len(codes))]
            return code, f"{code} - {meaning.upper()}"
        if category.startswith("PGA_"):
            if is_open:
                return "", f"{agency} - " + self.rng.choice(
                    ("Hold Intact", "Document(s) Required", "Under Review")
                )
            return "", f"{agency} - " + ("Refused by PGA" if outcome in NOT_RELEASED else "PGA Release")
        reporting = self.ref.other_codes.get(category)
        if reporting:  # e.g. General Order: 1R pending GO, 1S ordered to GO
            code, meaning = reporting[int(self.rng.random() * len(reporting))]
            return code, f"{code} - {meaning.upper()}"
        # No bill-level code places this kind of hold: ACE shows the entry as "CBP Review" (DOMAIN.md §5.4).
        return "", f"CBP Review - {self.ref.hold_categories[category].label}"

    def _exam_location(self, exam: str, agency: str, port: str) -> str:
        name = self.ref.ports[port].name if port in self.ref.ports else port
        return {
            "NII_VACIS": f"NII (VACIS) at terminal, {name}",
            "TAILGATE": f"Tailgate at terminal, {name}",
            "CET": f"CET exam at terminal, {name}",
            "INTENSIVE_CES": f"Centralized Examination Station, {name}",
            "PGA_EXAM": f"{agency} exam, {name}",
        }.get(exam, "")

    def _notice(self, category: str, placed_on: date, removed_at: datetime | None) -> date | None:
        """Notice of detention within 5 business days after the decision (itself due by business day 5)."""
        if category not in NOTICE_CATEGORIES:
            return None
        notice = self.clock.add_business_days(placed_on, self.rng.randint(5, 10))
        end = removed_at.date() if removed_at else self.clock.today
        return notice if notice <= end else None
