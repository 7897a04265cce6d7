"""Writes a whole demo portfolio in one transaction, phase by phase, reporting progress between chunks.

Everything happens on one connection inside one transaction: a cancellation or an error rolls back all of
it, including the deletion of the previous portfolio under `--force`. Rows go to the database in chunks as
they are made (never the whole portfolio in memory), and the cancel token is checked between chunks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, func, select

from app.domain.errors import NotEmptyError
from app.services.demo.actions import action_rows
from app.services.demo.compliance import ComplianceWriter
from app.services.demo.contacts import build_contacts
from app.services.demo.context import Clock, RefData, load_reference
from app.services.demo.holds import HoldFactory
from app.services.demo.notes import NoteWriter
from app.services.demo.people import People, build_people
from app.services.demo.plan import ScalePlan, derive_rng
from app.services.demo.programs import partnership_rows, suspensions
from app.services.demo.trade import EntryFactory, TradeBuffers
from app.services.demo.trade_flow import TradeFlow, TradeResult, plan_open_holds
from app.services.progress import CancelToken, Progress
from app.store import bulk, orm
from app.store.queries.metrics import bump_trade_data_version
from app.store.sync.state import quiet_outbox

CHUNK = 20_000
# Kinds of compliance event that random draws may miss on a small portfolio: one each goes to an early
# account, so even the small demo shows every kind.
SHOWCASE: tuple[str, ...] = ("protest", "audit", "penalty", "ld_claim", "cm_discrepancy", "cf29")
COUNTED_TABLES: tuple[str, ...] = (
    "account_executives",
    "accounts",
    "importer_numbers",
    "partnership_statuses",
    "contacts",
    "entries",
    "entry_lines",
    "line_tariffs",
    "holds",
    "notes",
    "compliance_events",
    "action_items",
)


class DemoRun:
    def __init__(
        self,
        connection: Connection,
        plan: ScalePlan,
        seed: int,
        clock: Clock,
        progress: Progress,
        cancel: CancelToken | None,
    ) -> None:
        self.connection = connection
        self.plan = plan
        self.seed = seed
        self.clock = clock
        self.progress = progress
        self.cancel = cancel
        self.done = 0
        # Rough row counts per phase, only to move a progress bar evenly.
        self.total = plan.accounts * 12 + round(plan.entry_lines * 2.4) + plan.holds + plan.notes
        self.total += plan.accounts * 20

    def rng(self, part: str) -> Any:
        return derive_rng(self.seed, self.plan.scale, part)

    def step(self, message: str, rows: int = 0) -> None:
        """Count written rows, report, and stop here if the user cancelled."""
        self.done = min(self.total, self.done + rows)
        self.progress(self.done, self.total, message)
        if self.cancel is not None:
            self.cancel.raise_if_cancelled()

    def write(self, table_name: str, rows: list[dict[str, Any]], message: str) -> None:
        bulk.insert_rows(self.connection, table_name, rows, chunk=CHUNK)
        self.step(message, len(rows))

    def write_stream(self, table_name: str, rows: Iterable[dict[str, Any]], message: str) -> None:
        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self.write(table_name, chunk, message)
                chunk = []
        self.write(table_name, chunk, message)

    def run(self) -> dict[str, int]:
        self.step("Preparing")
        ref = load_reference(self.connection)
        with quiet_outbox(self.connection):  # a generated portfolio is not a set of edits to push
            people = self.people(ref)
            trade, holds = self.trade(ref, people)
            self.records(ref, people, trade, holds)
            self.finish()
        counts = bulk.table_counts(self.connection, COUNTED_TABLES)
        open_holds = select(func.count()).select_from(orm.HoldRow).where(orm.HoldRow.removed_at.is_(None))
        counts["open_holds"] = int(self.connection.execute(open_holds).scalar_one())
        self.progress(self.total, self.total, "Done")
        return counts

    def people(self, ref: RefData) -> People:
        people = build_people(self.rng("people"), self.plan, ref, self.clock)
        self.write("account_executives", people.aes, "Account executives")
        self.write("accounts", people.accounts, "Accounts")
        self.write("importer_numbers", people.importer_numbers, "Importer numbers")
        programs_rng = self.rng("programs")
        self.partnerships = {p.index: partnership_rows(programs_rng, p, self.clock) for p in people.profiles}
        self.write(
            "partnership_statuses", [r for rows in self.partnerships.values() for r in rows], "Programs"
        )
        self.directory = build_contacts(
            self.rng("contacts"), people.profiles, people.brokers, ref, self.clock
        )
        self.write("contacts", self.directory.rows, "Contacts")
        return people

    def trade(self, ref: RefData, people: People) -> tuple[TradeResult, HoldFactory]:
        entries = EntryFactory(
            self.rng("trade"),
            ref,
            self.clock,
            [code for code, _ in people.brokers],
            bulk.next_id(self.connection, "entry_lines"),
            bulk.next_id(self.connection, "line_tariffs"),
        )
        holds = HoldFactory(self.rng("holds"), ref, self.clock)
        open_specs = plan_open_holds(self.rng("open-holds"), self.plan, people.profiles)

        def flush(buffers: TradeBuffers) -> None:
            # Parents before children: entries, their lines, the lines' tariffs, then holds on the entries.
            bulk.insert_rows(self.connection, "entries", buffers.entries, chunk=CHUNK)
            bulk.insert_rows(self.connection, "entry_lines", buffers.lines, chunk=CHUNK)
            bulk.insert_rows(self.connection, "line_tariffs", buffers.tariffs, chunk=CHUNK)
            bulk.insert_rows(self.connection, "holds", buffers.holds, chunk=CHUNK)
            rows = len(buffers.entries) + len(buffers.lines) + len(buffers.tariffs) + len(buffers.holds)
            self.step("Entries, lines and holds", rows)

        flow = TradeFlow(self.rng("entries"), self.plan, ref, self.clock, entries, holds, flush, CHUNK)
        return flow.run(people.profiles, open_specs), holds

    def records(self, ref: RefData, people: People, trade: TradeResult, holds: HoldFactory) -> None:
        profiles = people.profiles
        notes = NoteWriter(
            self.rng("notes"), self.plan, ref, self.clock, self.directory, profiles, trade.samples
        )
        self.write_stream("notes", notes.rows(holds.written), "Notes and contact logs")
        compliance = ComplianceWriter(self.rng("compliance"), ref, self.clock)
        urgent = max(3, self.plan.accounts // 20)
        showcase = list(SHOWCASE)
        for profile in profiles:
            samples = trade.samples.get(profile.index, [])
            compliance.account(profile, samples, urgent_cf28=profile.active and profile.index < urgent)
            if showcase and profile.active and compliance.showcase(profile, samples, showcase[0]):
                showcase.pop(0)
            for suspended, reinstated, note in suspensions(self.partnerships[profile.index]):
                compliance.suspension(profile, suspended, reinstated, note)
        for hold in holds.written:
            compliance.from_hold(profiles[hold.account_index], hold)
        self.write("compliance_events", compliance.rows, "Compliance history")
        actions_rng = self.rng("actions")
        items = [row for profile in profiles for row in action_rows(actions_rng, profile, self.clock)]
        self.write("action_items", items, "Action plans")

    def finish(self) -> None:
        meta = bulk.table("meta")
        self.connection.execute(meta.delete().where(meta.c.key.in_(bulk.PORTFOLIO_META_KEYS)))
        facts = {
            "demo_scale": self.plan.scale,
            "demo_seed": str(self.seed),
            "data_as_of": self.clock.as_of.isoformat(),
        }
        bulk.insert_rows(self.connection, "meta", [{"key": k, "value": v} for k, v in facts.items()])
        bulk.sync_id_sequences(self.connection, ("entry_lines", "line_tariffs"))
        # Trade data changed: cached per-account metrics must be recomputed on the next look.
        bump_trade_data_version(self.connection)
        self.step("Finishing")


def refuse_or_clear(connection: Connection, force: bool) -> None:
    """Refuse a database that already has accounts unless `force`; with `force`, empty it first."""
    accounts = int(connection.execute(select(func.count()).select_from(orm.AccountRow)).scalar_one())
    if accounts and not force:
        raise NotEmptyError(f"database already holds {accounts} accounts; use --force to replace them")
    if force:
        bulk.clear_portfolio(connection)
