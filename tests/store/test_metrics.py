"""The account metrics snapshot: its figures, when it goes stale, and the portfolio that reads it."""

from __future__ import annotations

import random
import statistics
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.services import accounts, notes
from app.services.workspace import Workspace
from app.store import bulk, orm
from app.store.queries import metrics
from tests.store import factories as f

TODAY = date(2026, 11, 20)  # a Friday; Veterans Day (Wed 11 Nov) and Columbus Day (Mon 12 Oct) are holidays
EIN = "20-584410200"
M = orm.AccountMetricsRow


def _days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def _snapshot(ws: Workspace) -> dict[uuid.UUID, orm.AccountMetricsRow]:
    with ws.database.session() as s:
        return {row.account_id: row for row in s.scalars(select(M))}


def _ensure(ws: Workspace, today: date = TODAY) -> bool:
    with ws.database.session() as s:
        return metrics.ensure_account_metrics(s, today)


def _version(ws: Workspace) -> int:
    with ws.database.session() as s:
        return metrics.trade_data_version(s)


@dataclass(frozen=True)
class Built:
    acme: uuid.UUID
    quiet: uuid.UUID
    gone: uuid.UUID
    e1: str  # in the window, 2 lines, open NII exam
    e2: str  # in the window, 3 lines, released document review (no exam)


def _build(ws: Workspace) -> Built:
    with ws.database.session() as s:
        acme = f.add_account(s, "Acme Imports", [EIN])
        quiet = f.add_account(s, "Quiet Co", ["30-123456700"])
        gone = f.add_account(s, "Gone Trading", ["30-765432100"], deleted=True)
        e1 = f.add_entry(s, acme, 1, _days_ago(10), lines=2, value_cents=100_000, duty_cents=2_000)
        e2 = f.add_entry(s, acme, 2, _days_ago(60), lines=3, value_cents=50_000, duty_cents=1_000)
        e3 = f.add_entry(
            s, acme, 3, _days_ago(364), lines=1, value_cents=7_000, duty_cents=300
        )  # last day in
        e4 = f.add_entry(s, acme, 4, _days_ago(365), lines=4, value_cents=9_999, duty_cents=999)  # first out
        f.add_entry(s, acme, 5, _days_ago(100), lines=1, value_cents=1_000, duty_cents=0)  # never held
        f.add_entry(s, gone, 6, _days_ago(5), lines=2)
        _add_holds(s, acme, e1, e2, e3, e4)
        f.add_event(s, acme, "CM_DISCREPANCY", _days_ago(30))
        f.add_event(s, acme, "CM_DISCREPANCY", _days_ago(364))
        f.add_event(s, acme, "CM_DISCREPANCY", _days_ago(365))  # outside the window
        f.add_event(s, acme, "CM_DISCREPANCY", _days_ago(40), deleted=True)
        f.add_event(s, acme, "CF28", _days_ago(50))
        f.add_event(s, acme, "CF28", _days_ago(400))  # outside the window
        f.add_event(s, acme, "PROTEST", _days_ago(20))
    return Built(acme, quiet, gone, e1, e2)


def _add_holds(s: Session, acme: uuid.UUID, e1: str, e2: str, e3: str, e4: str) -> None:
    """Durations of the holds removed in the window, in business days: 0, 2, 3 and 9."""
    f.add_hold(s, e1, acme, datetime(2026, 11, 16, 8), exam_type="NII_VACIS")  # open: no duration
    # Mon 2 Nov -> Wed 4 Nov: Tue, Wed = 2
    f.add_hold(
        s, e2, acme, datetime(2026, 11, 2, 9), removed_at=datetime(2026, 11, 4, 16), category="DOC_REVIEW"
    )
    # Fri 6 Nov -> Thu 12 Nov: Mon 9, Tue 10, (Veterans Day), Thu 12 = 3
    f.add_hold(
        s, e2, acme, datetime(2026, 11, 6, 9), removed_at=datetime(2026, 11, 12, 9), category="PGA_FDA"
    )
    # Thu 1 Oct -> Thu 15 Oct: 2, 5, 6, 7, 8, 9, (Columbus Day), 13, 14, 15 = 9; on an entry of the window
    f.add_hold(
        s, e3, acme, datetime(2026, 10, 1, 9), removed_at=datetime(2026, 10, 15, 9), exam_type="TAILGATE"
    )
    # placed and removed the same day = 0; the hold counts (removed in the window), its entry does not
    f.add_hold(
        s, e4, acme, datetime(2026, 9, 1, 8), removed_at=datetime(2026, 9, 1, 17), exam_type="INTENSIVE_CES"
    )
    # removed before the window opened: no duration
    f.add_hold(
        s, e4, acme, datetime(2025, 11, 3, 8), removed_at=datetime(2025, 11, 20, 23), category="PGA_FDA"
    )


@pytest.fixture
def built(workspace: Workspace) -> Built:
    return _build(workspace)


# --- the figures --------------------------------------------------------------------------------------------


def test_snapshot_figures_for_a_hand_built_account(workspace: Workspace, built: Built) -> None:
    accounts.refresh_metrics(workspace, today=TODAY)
    rows = _snapshot(workspace)
    assert set(rows) == {built.acme, built.quiet}  # one row per live account, none for the deleted one
    acme = rows[built.acme]
    assert (acme.period_start, acme.period_end) == (date(2025, 11, 21), TODAY)
    assert acme.entries == 4  # e1, e2, e3, e5
    assert acme.lines == 2 + 3 + 1 + 1
    assert (acme.entered_value_cents, acme.duty_cents) == (158_000, 3_300)
    assert (acme.held_entries, acme.exam_entries) == (3, 2)  # e1, e2, e3 held; e1 and e3 examined
    assert (acme.cm_discrepancies, acme.cf28_count) == (2, 1)
    assert acme.hold_days_median == pytest.approx(2.5)  # of 0, 2, 3, 9
    assert acme.hold_days_p90 == pytest.approx(7.2)  # 3 + 0.7 * (9 - 3)
    assert acme.data_version == 0  # nothing bumped the version yet
    quiet = rows[built.quiet]
    counts = (
        quiet.entries,
        quiet.lines,
        quiet.entered_value_cents,
        quiet.exam_entries,
        quiet.cm_discrepancies,
    )
    assert counts == (0, 0, 0, 0, 0)
    assert (quiet.hold_days_median, quiet.hold_days_p90) == (None, None)


def test_quantile_matches_the_inclusive_method() -> None:
    rng = random.Random(3)
    for size in (2, 3, 10, 41):
        values = sorted(rng.randrange(30) for _ in range(size))
        deciles = statistics.quantiles(values, n=10, method="inclusive")
        assert metrics.quantile(values, 0.9) == pytest.approx(deciles[8])
        assert metrics.quantile(values, 0.5) == pytest.approx(statistics.median(values))
    assert metrics.quantile([4], 0.9) == 4


# --- staleness ----------------------------------------------------------------------------------------------


def test_bump_is_atomic_and_works_on_a_core_connection(workspace: Workspace) -> None:
    assert _version(workspace) == 0
    with workspace.database.engine.begin() as connection:  # as a bulk writer holds it
        metrics.bump_trade_data_version(connection)
        metrics.bump_trade_data_version(connection)
    with workspace.database.session() as s:
        metrics.bump_trade_data_version(s)
    assert _version(workspace) == 3


def test_fresh_snapshot_is_kept(workspace: Workspace, built: Built) -> None:
    assert _ensure(workspace) is True  # never computed
    computed_at = _snapshot(workspace)[built.acme].computed_at
    assert _ensure(workspace) is False
    assert _snapshot(workspace)[built.acme].computed_at == computed_at


def test_in_place_update_shows_after_the_writer_bumps(workspace: Workspace, built: Built) -> None:
    """Releasing a hold changes no row count: only the version tells (the rule writers follow)."""
    _ensure(workspace)
    with workspace.database.session() as s:
        s.execute(update(orm.HoldRow).where(orm.HoldRow.removed_at.is_(None)).values(exam_type="NONE"))
    assert _ensure(workspace) is False  # not seen: nothing bumped
    with workspace.database.session() as s:
        metrics.bump_trade_data_version(s)
    assert _ensure(workspace) is True
    acme = _snapshot(workspace)[built.acme]
    assert (acme.exam_entries, acme.data_version) == (1, 1)  # e1's exam is gone; stamped with the version


def test_date_change_moves_the_window(workspace: Workspace, built: Built) -> None:
    _ensure(workspace)
    assert _ensure(workspace, TODAY + timedelta(days=1)) is True
    acme = _snapshot(workspace)[built.acme]
    assert acme.period_end == TODAY + timedelta(days=1)
    assert (acme.entries, acme.cm_discrepancies) == (3, 1)  # e3 and a discrepancy left the window
    assert _ensure(workspace, TODAY + timedelta(days=1)) is False


def test_writer_that_does_not_bump_is_caught_by_the_fingerprint(workspace: Workspace, built: Built) -> None:
    _ensure(workspace)
    with workspace.database.session() as s:
        f.add_entry(s, built.quiet, 10, _days_ago(3), lines=2)
    assert _ensure(workspace) is True
    assert (_snapshot(workspace)[built.quiet].entries, _snapshot(workspace)[built.quiet].lines) == (1, 2)
    with workspace.database.session() as s:
        f.add_event(s, built.quiet, "CF28", _days_ago(3))
    assert _ensure(workspace) is True
    assert _snapshot(workspace)[built.quiet].cf28_count == 1


def test_new_account_refreshes(workspace: Workspace, built: Built) -> None:
    _ensure(workspace)
    with workspace.database.session() as s:
        newco = f.add_account(s, "Newco", ["30-111111100"])
    assert _ensure(workspace) is True  # a live account without a row
    assert _snapshot(workspace)[newco].entries == 0


def test_replaced_portfolio_refreshes_even_with_the_same_fingerprint(
    workspace: Workspace, built: Built
) -> None:
    """`demo --force` with the same seed: the same row counts (and on SQLite the same line ids) again, but
    `clear_portfolio` emptied the snapshot too, so it no longer holds a row per live account."""
    _ensure(workspace)
    with workspace.database.engine.begin() as connection:
        bulk.clear_portfolio(connection)
    again = _build(workspace)
    assert _ensure(workspace) is True
    rows = _snapshot(workspace)
    assert set(rows) == {again.acme, again.quiet}
    assert rows[again.acme].entries == 4


def test_notes_do_not_invalidate(workspace: Workspace, built: Built) -> None:
    _ensure(workspace)
    version = _version(workspace)
    notes.add_note(workspace, EIN, "Called the broker about the CF-28")
    assert _version(workspace) == version
    assert _ensure(workspace) is False


def test_concurrent_refreshes_do_not_collide(workspace: Workspace, built: Built) -> None:
    """A second session finding the snapshot stale while the first refreshes it waits and keeps its result
    (PostgreSQL: the table lock; SQLite: the single writer)."""
    outcome: dict[str, object] = {}

    def second() -> None:
        try:
            outcome["refreshed"] = _ensure(workspace)
        except Exception as exc:  # reported by the assertion below, with the exception
            outcome["error"] = exc

    with workspace.database.session() as s:
        assert metrics.ensure_account_metrics(s, TODAY) is True
        thread = threading.Thread(target=second)
        thread.start()
        time.sleep(0.5)  # let it find the snapshot stale and queue behind this transaction
    thread.join(timeout=30)
    assert "error" not in outcome, outcome
    if workspace.dialect == "postgresql":
        assert outcome["refreshed"] is False
    assert len(_snapshot(workspace)) == 2


# --- the portfolio reads it ---------------------------------------------------------------------------------


def test_portfolio_is_current_after_a_bumped_write(workspace: Workspace, built: Built) -> None:
    before = {row.account_id: row for row in accounts.list_portfolio(workspace, today=TODAY)}
    assert (before[built.acme].entries_12m, before[built.acme].exam_rate_12m) == (4, 0.5)
    assert before[built.acme].compliance_rate_12m == pytest.approx(1 - 2 / 7)
    with workspace.database.session() as s:
        f.add_entry(s, built.acme, 11, _days_ago(1), lines=3)
        f.add_event(s, built.acme, "CM_DISCREPANCY", _days_ago(1))
        metrics.bump_trade_data_version(s)
    after = {row.account_id: row for row in accounts.list_portfolio(workspace, today=TODAY)}
    assert (after[built.acme].entries_12m, after[built.acme].exam_rate_12m) == (5, 0.4)
    assert after[built.acme].compliance_rate_12m == pytest.approx(1 - 3 / 10)
    assert after[built.quiet].entries_12m == 0 and after[built.quiet].compliance_rate_12m is None


@pytest.mark.parametrize("seed", [1, 2])
def test_portfolio_matches_the_definitions_on_random_data(workspace: Workspace, seed: int) -> None:
    """The snapshot-backed portfolio against the definitions on `PortfolioRow`, computed row by row."""
    rng = random.Random(seed)
    with workspace.database.session() as s:
        ids = [f.add_account(s, f"Account {i}", deleted=i == 5) for i in range(6)]
        _random_trade(s, rng, ids)
    rows = {row.account_id: row for row in accounts.list_portfolio(workspace, today=TODAY)}
    assert set(rows) == set(ids[:5])
    for account_id in ids[:5]:
        expected = _expected(workspace, account_id)
        row = rows[account_id]
        assert (row.entries_12m, row.exam_rate_12m, row.compliance_rate_12m) == expected, account_id


def _random_trade(s: Session, rng: random.Random, ids: list[uuid.UUID]) -> None:
    exams = ["NONE", "NONE", "TAILGATE", "NII_VACIS"]
    for serial in range(1, 61):
        account = rng.choice(ids)
        number = f.add_entry(s, account, serial, _days_ago(rng.randrange(500)), lines=rng.randrange(4))
        for n in range(rng.randrange(3)):
            placed = datetime(2026, 1, 5, 8) + timedelta(days=rng.randrange(300), hours=n)
            removed = None if rng.random() < 0.3 else placed + timedelta(days=rng.randrange(20))
            f.add_hold(s, number, account, placed, removed_at=removed, exam_type=rng.choice(exams))
    for _ in range(25):
        kind = rng.choice(["CM_DISCREPANCY", "CM_DISCREPANCY", "CF28", "PSC"])
        f.add_event(s, rng.choice(ids), kind, _days_ago(rng.randrange(500)), deleted=rng.random() < 0.2)


def _expected(ws: Workspace, account_id: uuid.UUID) -> tuple[int, float | None, float | None]:
    since = TODAY - timedelta(days=365)
    E, L, H, C = orm.EntryRow, orm.EntryLineRow, orm.HoldRow, orm.ComplianceEventRow
    with ws.database.session() as s:
        window = set(
            s.scalars(select(E.entry_number).where(E.account_id == account_id, E.entry_date > since))
        )
        examined = set(s.scalars(select(H.entry_number).where(H.exam_type != "NONE"))) & window
        lines = sum(1 for number in s.scalars(select(L.entry_number)) if number in window)
        cm = len(
            s.scalars(
                select(C.id).where(
                    C.account_id == account_id,
                    C.event_type == "CM_DISCREPANCY",
                    C.opened_on > since,
                    C.deleted_at.is_(None),
                )
            ).all()
        )
    exam = len(examined) / len(window) if window else None
    if not lines:
        return len(window), exam, None
    return len(window), exam, max(0.0, 1 - cm / lines)
