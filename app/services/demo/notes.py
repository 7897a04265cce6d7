"""The AE's notes and contact logs (DOMAIN.md §2.4, §5.7): calls, e-mails, meetings and visits, most about
holds, CF-28s and the action plan; some with follow-ups (a few overdue), some flagged for the account summary,
a few law-enforcement sensitive (never flagged for the summary).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from typing import Any

from app.domain.identifiers import format_entry_number
from app.services.demo.contacts import Directory
from app.services.demo.context import Clock, RefData
from app.services.demo.holds import HoldInfo
from app.services.demo.people import AccountProfile
from app.services.demo.plan import ScalePlan, new_id
from app.services.demo.stamps import synced
from app.services.demo.trade import EntrySample

# Follow-ups due within this many days may still be open; older ones were almost all handled.
RECENT_FOLLOW_UP_DAYS = 21
Row = dict[str, Any]

HOLD_TEXTS: tuple[tuple[str, str], ...] = (
    (
        "call",
        "Called {supervisor} (supervisory CBPO, {port}) about {entry}: {label} since {placed}. Asked for "
        "priority handling as a CTPAT partner.",
    ),
    (
        "call",
        "Broker {broker} confirms {entry} is still under {label} at {port}; expects an answer by {soon}.",
    ),
    ("email", "Emailed {liaison} ({agency}) for the status of {entry}; importer has the documents ready."),
    (
        "email",
        "Sent {tcm} an update on {entry} ({label}, {port}); asked for the commercial invoice and packing "
        "list.",
    ),
    ("note", "{entry}: {label} placed {placed} at {port}. Owner is {agency}; AE coordinates, port releases."),
    ("call", "Spoke with {tcm}: demurrage building on {entry} at {port}. Escalated to {supervisor}."),
)
UFLPA_TEXTS: tuple[tuple[str, str], ...] = (
    (
        "call",
        "UFLPA detention on {entry}: discussed the supply-chain tracing package with {tcm}; 30 days to "
        "respond from the notice.",
    ),
    ("email", "Sent {tcm} the CBP UFLPA guidance on applicability reviews for {entry}."),
)
ENTRY_TEXTS: tuple[tuple[str, str], ...] = (
    (
        "email",
        "CF-28 received on {entry} (classification of {product}); forwarded to {tcm}, reply due in 30 days.",
    ),
    ("call", "Discussed the proposed CF-29 (rate advance) on {entry} with broker {broker}."),
    ("note", "PSC filed on {entry} to correct the MID on line 1 before liquidation."),
    ("email", "Protest on liquidated entry {entry} received; classification of {product} at issue."),
    ("call", "{tcm} asked about the liquidation date of {entry}; explained the 314-day ACE schedule."),
)
GENERAL_TEXTS: tuple[tuple[str, str], ...] = (
    (
        "meeting",
        "Quarterly meeting with {tcm}: reviewed the 12-month hold rate, exam results at {port} and open "
        "CF-28s.",
    ),
    (
        "visit",
        "Site visit to the {city} facility with the CTPAT SCSS; reviewed seal controls and ISF timeliness.",
    ),
    ("call", "Call with {tcm} about the CTPAT Trade Compliance annual notification letter."),
    (
        "note",
        "Reviewed MID discrepancies on entry lines; asked broker {broker} to build MIDs from the "
        "manufacturer's address, not the seller's.",
    ),
    (
        "email",
        "Shared informed-compliance guidance on reporting chapter 99 (Section 301) numbers with {tcm}.",
    ),
    ("meeting", "Action plan review with {tcm}: late ISF filings at {port} traced to a new forwarder."),
    ("note", "Risk segment review: exam rate below the Center average; no change recommended."),
    ("email", "Sent {tcm} the agenda for next month's account meeting (holds, CF-28 turnaround, PSCs)."),
    (
        "call",
        "{broker} ({broker_org}) asked how to request a priority exam at {port}; explained the CTPAT "
        "benefit.",
    ),
    ("visit", "Port visit to {port} with {supervisor}: walked the CES and NII lanes."),
)
SENSITIVE_TEXTS: tuple[str, ...] = (
    "LES: port advised of a targeting referral on {entry}; do not discuss with the importer.",
    "LES: FP&F reviewing a possible 1592 case; hold penalty discussions until counsel advises.",
)


class NoteWriter:
    def __init__(
        self,
        rng: random.Random,
        plan: ScalePlan,
        ref: RefData,
        clock: Clock,
        directory: Directory,
        profiles: list[AccountProfile],
        samples: dict[int, list[EntrySample]],
    ) -> None:
        self.rng, self.plan, self.ref, self.clock = rng, plan, ref, clock
        self.directory = directory
        self.profiles = profiles
        self.samples = samples

    def rows(self, holds: list[HoldInfo]) -> Iterator[Row]:
        """All notes: first those about holds (most open holds, some closed), then the rest per account."""
        rng = self.rng
        written = 0
        oldest = self.clock.as_of - timedelta(days=self.plan.notes_days)
        for hold in holds:
            if hold.removed_at is None:
                wanted = rng.randint(1, 3) if rng.random() < 0.75 else 0
            else:
                wanted = 1 if hold.placed_at > oldest and rng.random() < 0.12 else 0
            for _ in range(wanted):
                yield self._hold_note(hold)
                written += 1
        remaining = max(0, self.plan.notes - written)
        roots = [math.sqrt(p.weight) for p in self.profiles]
        total = sum(roots)
        for profile, root in zip(self.profiles, roots, strict=True):
            for _ in range(max(3, round(remaining * root / total))):
                yield self._account_note(profile)

    def _fields(self, profile: AccountProfile, port: str = "", entry: str = "") -> dict[str, str]:
        rng = self.rng
        port = port or profile.ports[0]
        contacts = profile.contacts
        return {
            "tcm": contacts.get("tcm", "the importer"),
            "broker": contacts.get("broker", "the broker"),
            "broker_org": contacts.get("broker_org", "the broker"),
            "port": self.ref.ports[port].name if port in self.ref.ports else port,
            "supervisor": self.directory.port_supervisors.get(port, "the port"),
            "entry": format_entry_number(entry) if entry else "",
            "product": profile.products[int(rng.random() * len(profile.products))].description,
            "city": profile.city,
        }

    def _hold_note(self, hold: HoldInfo) -> Row:
        rng, clock = self.rng, self.clock
        profile = self.profiles[hold.account_index]
        end = hold.removed_at or clock.as_of
        span = max(60.0, (end - hold.placed_at).total_seconds())
        created = min(
            hold.placed_at + timedelta(seconds=rng.uniform(30 * 60, span)), clock.as_of - timedelta(minutes=5)
        )
        texts = UFLPA_TEXTS if hold.category in ("UFLPA", "WRO") else HOLD_TEXTS
        kind, template = rng.choice(texts)
        label = self.ref.hold_categories[hold.category].label
        text = template.format(
            **self._fields(profile, hold.port, hold.entry_number),
            label=label,
            agency=hold.agency,
            liaison=self.directory.pga_liaisons.get(hold.agency, f"the {hold.agency} liaison"),
            placed=hold.placed_at.strftime("%m/%d"),
            soon=(created + timedelta(days=2)).strftime("%m/%d"),
        )
        follow_up = None
        if hold.removed_at is None:  # open holds: re-check soon (some of these follow-ups are overdue)
            follow_up = created.date() + timedelta(days=rng.randint(1, 7))
        return self._row(profile, kind, text, created, hold.entry_number, hold.id, follow_up)

    def _account_note(self, profile: AccountProfile) -> Row:
        rng, clock = self.rng, self.clock
        created = datetime.combine(
            clock.days_ago(1 + int(rng.random() * self.plan.notes_days)), datetime.min.time()
        )
        created += timedelta(hours=rng.randint(13, 22), minutes=rng.randrange(60))
        sample = self.samples.get(profile.index) or []
        roll = rng.random()
        entry = sample[int(rng.random() * len(sample))] if sample else None
        if entry is not None and roll < 0.02:
            text = rng.choice(SENSITIVE_TEXTS).format(entry=format_entry_number(entry.entry_number))
            return self._row(profile, "note", text, created, entry.entry_number, None, None, sensitive=True)
        if entry is not None and roll < 0.25:
            created = max(created, datetime.combine(entry.entry_date + timedelta(days=20), created.time()))
            created = min(created, clock.as_of - timedelta(hours=1))
            kind, template = rng.choice(ENTRY_TEXTS)
            text = template.format(**self._fields(profile, entry.port, entry.entry_number))
            return self._row(profile, kind, text, created, entry.entry_number, None, self._follow_up(created))
        kind, template = rng.choice(GENERAL_TEXTS)
        text = template.format(**self._fields(profile, profile.ports[int(rng.random() * len(profile.ports))]))
        return self._row(profile, kind, text, created, None, None, self._follow_up(created))

    def _done_chance(self, follow_up: date) -> float:
        """Past follow-ups are mostly done: some recent ones slip (the overdue list), old ones rarely."""
        days_past = (self.clock.today - follow_up).days
        if days_past <= 0:
            return 0.0
        return 0.6 if days_past <= RECENT_FOLLOW_UP_DAYS else 0.995

    def _follow_up(self, created: datetime) -> date | None:
        return created.date() + timedelta(days=self.rng.randint(3, 21)) if self.rng.random() < 0.25 else None

    def _row(
        self,
        profile: AccountProfile,
        kind: str,
        text: str,
        created: datetime,
        entry: str | None,
        hold_id: Any,
        follow_up: date | None,
        *,
        sensitive: bool = False,
    ) -> Row:
        rng = self.rng
        done = follow_up is not None and rng.random() < self._done_chance(follow_up)
        return synced(new_id(rng, created), created) | {
            "account_id": profile.id,
            "kind": kind,
            "text": text,
            "author": profile.ae_name,
            "entry_number": entry,
            "hold_id": hold_id,
            "follow_up_on": follow_up,
            "follow_up_done": done,
            "include_in_summary": not sensitive and rng.random() < 0.15,
            "sensitive": sensitive,
        }
