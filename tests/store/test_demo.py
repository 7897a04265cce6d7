"""The demo portfolio generator on a real database (SQLite file and PostgreSQL), small scale.

Read-only checks share one generated portfolio per backend (`demo`, module scope); tests that refuse, replace
or cancel get a fresh database each (`workspace`).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Executable, func, select, text

from app.domain import calendar
from app.domain.calendar import business_days_between
from app.domain.deadlines import hold_threshold_state
from app.domain.enums import HoldCategory, ThresholdState
from app.domain.errors import NotEmptyError, ValidationError
from app.domain.identifiers import normalize_hts, parse_entry_number
from app.domain.importer_number import parse_importer_number
from app.domain.mid import check_mid
from app.services.demo import DemoResult, generate_demo
from app.services.demo.programs import add_years
from app.services.progress import Cancelled, CancelToken
from app.services.workspace import Workspace
from app.store import orm

TODAY = date(2026, 3, 10)  # a Tuesday
AS_OF = datetime.combine(TODAY, time(0, 0))
E, H = orm.EntryRow, orm.HoldRow


def generate(ws: Workspace, **kwargs: Any) -> DemoResult:
    kwargs.setdefault("today", TODAY)
    return generate_demo(ws, scale="small", **kwargs)


def rows(ws: Workspace, sql: str, **params: Any) -> list[Any]:
    with ws.database.engine.connect() as connection:
        return list(connection.execute(text(sql), params))


def values(ws: Workspace, sql: str, **params: Any) -> list[Any]:
    return [row[0] for row in rows(ws, sql, **params)]


def select_rows(ws: Workspace, statement: Executable) -> list[Any]:
    """Rows of a Core select: dates and times come back typed on every backend (raw SQL: text on SQLite)."""
    with ws.database.engine.connect() as connection:
        return list(connection.execute(statement))


def checksum(ws: Workspace) -> str:
    """A digest of the content that must not change between runs with the same seed."""
    digest = hashlib.sha256()
    for sql in (
        "SELECT id, name, center_code FROM accounts ORDER BY id",
        "SELECT normalized, ior_type FROM importer_numbers ORDER BY normalized",
        "SELECT entry_number, entry_date, port_of_entry, entered_value_cents FROM entries "
        "ORDER BY entry_number",
        "SELECT id, entry_number, line_number, mid, duty_cents FROM entry_lines ORDER BY id",
        "SELECT id, entry_number, category, placed_at, removed_at FROM holds ORDER BY id",
        "SELECT id, text, created_at FROM notes ORDER BY id",
        "SELECT id, event_type, opened_on FROM compliance_events ORDER BY id",
    ):
        for row in rows(ws, sql):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def empty_counts(ws: Workspace) -> dict[str, int]:
    tables = ("accounts", "importer_numbers", "entries", "entry_lines", "holds", "notes", "compliance_events")
    return {t: values(ws, f"SELECT COUNT(*) FROM {t}")[0] for t in tables}


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """One small demo portfolio per backend, generated once for the read-only checks of this module."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.sqlite3'}"
    else:
        url = request.getfixturevalue("pg_server").create_database()
    ws = Workspace.open(url)
    generate(ws, seed=7)
    try:
        yield ws
    finally:
        ws.close()


# --- volumes and determinism --------------------------------------------------------------------------------


def test_small_counts_are_in_the_expected_ranges(workspace: Workspace) -> None:
    result = generate(workspace, seed=7)
    counts = result.counts
    assert (result.scale, result.seed) == ("small", 7)
    assert counts["accounts"] == 40
    assert counts["account_executives"] == 20
    assert 18_000 <= counts["entry_lines"] <= 22_000
    assert 4_500 <= counts["entries"] <= 6_500
    assert counts["line_tariffs"] > counts["entry_lines"]  # some lines carry a chapter 99 number
    assert 90 <= counts["holds"] <= 130
    assert 8 <= counts["open_holds"] <= 15
    assert 3_500 <= counts["notes"] <= 4_500
    assert 40 <= counts["importer_numbers"] <= 120
    assert counts["compliance_events"] >= 40
    assert counts["partnership_statuses"] >= 40
    assert counts["contacts"] >= 80
    assert counts["action_items"] >= 20
    in_database = empty_counts(workspace)
    assert {table: counts[table] for table in in_database} == in_database  # the result is what was written
    assert result.seconds < 10
    with workspace.database.session() as session:  # a generated portfolio is not local edits to push
        assert session.scalar(select(func.count()).select_from(orm.SyncOutboxRow)) == 0


def test_same_seed_gives_the_same_portfolio_and_another_seed_does_not(workspace: Workspace) -> None:
    first = generate(workspace, seed=7)
    first_sum = checksum(workspace)
    second = generate(workspace, seed=7, force=True)
    assert second.counts == first.counts
    assert checksum(workspace) == first_sum
    generate(workspace, seed=8, force=True)
    assert checksum(workspace) != first_sum


def test_output_does_not_depend_on_the_string_hash_seed(tmp_path: Path) -> None:
    # PYTHONHASHSEED changes the iteration order of sets of strings: nothing may depend on it.
    script = (
        "import sys; from datetime import date; from app.services.workspace import Workspace;"
        "from app.services.demo import generate_demo;"
        "generate_demo(Workspace.open(sys.argv[1]), scale='small', seed=3, today=date(2026, 3, 10))"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        url = f"sqlite:///{tmp_path / f'hash{hash_seed}.sqlite3'}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-c", script, url], env=env, check=True, cwd=Path(__file__).resolve().parents[2]
        )
        with Workspace.open(url) as ws:
            digests.add(checksum(ws))
    assert len(digests) == 1


# --- refusing, replacing, cancelling ------------------------------------------------------------------------


def test_refuses_a_database_with_accounts_unless_forced(workspace: Workspace) -> None:
    generate(workspace, seed=7)
    with pytest.raises(
        NotEmptyError, match=r"^database already holds 40 accounts; use --force to replace them$"
    ):
        generate(workspace, seed=7)
    replaced = generate_demo(workspace, scale="small", seed=9, force=True)  # today: the current date
    assert replaced.counts["accounts"] == 40
    as_of = values(workspace, "SELECT value FROM meta WHERE key = 'data_as_of'")
    assert as_of == [datetime.combine(date.today(), time(0, 0)).isoformat()]


def test_unknown_scale_is_a_validation_error(workspace: Workspace) -> None:
    with pytest.raises(ValidationError, match="huge"):
        generate_demo(workspace, scale="huge")


def test_cancelling_from_the_progress_callback_leaves_the_database_empty(workspace: Workspace) -> None:
    token = CancelToken()
    calls: list[str] = []

    def progress(done: int, total: int, message: str) -> None:
        calls.append(message)
        if done > 0:  # cancel once some rows are written, so there is something to roll back
            token.cancel()

    with pytest.raises(Cancelled):
        generate(workspace, seed=7, progress=progress, cancel=token)
    assert calls
    assert set(empty_counts(workspace).values()) == {0}
    assert values(workspace, "SELECT COUNT(*) FROM meta WHERE key LIKE 'demo%'") == [0]


def test_cancelling_a_forced_replacement_keeps_the_previous_portfolio(workspace: Workspace) -> None:
    generate(workspace, seed=7)
    before = checksum(workspace)
    token = CancelToken()
    with pytest.raises(Cancelled):
        generate(
            workspace, seed=8, force=True, cancel=token, progress=lambda done, total, msg: token.cancel()
        )
    assert checksum(workspace) == before


def test_forced_replacement_leaves_no_stale_search_rows(workspace: Workspace) -> None:
    generate(workspace, seed=7)
    generate(workspace, seed=8, force=True)
    if workspace.dialect == "sqlite":
        assert values(workspace, "SELECT COUNT(*) FROM notes_fts") == values(
            workspace, "SELECT COUNT(*) FROM notes"
        )
        assert values(workspace, "SELECT COUNT(*) FROM accounts_fts") == [40]
        # The sync bookkeeping row is back, so an edit is queued for a push (and indexed for search).
        with workspace.database.engine.begin() as connection:
            connection.execute(text("UPDATE notes SET text = 'zebra crossing' WHERE rowid = 1"))
        assert values(workspace, "SELECT COUNT(*) FROM sync_outbox") == [1]
        assert values(workspace, "SELECT COUNT(*) FROM notes_fts WHERE notes_fts MATCH 'zebra'") == [1]
    # integer ids assigned by the generator: the next ordinary insert must not collide (PostgreSQL sequences)
    with workspace.database.engine.begin() as connection:
        entry = connection.execute(text("SELECT entry_number FROM entries LIMIT 1")).scalar_one()
        connection.execute(
            text(
                "INSERT INTO entry_lines (entry_number, line_number, country_of_origin, mid, spi, "
                "entered_value_cents, duty_cents) VALUES (:e, 99, 'CN', '', '', 0, 0)"
            ),
            {"e": entry},
        )


def test_a_holiday_on_a_weekend_as_today_still_gives_every_threshold_state(workspace: Workspace) -> None:
    saturday = date(2027, 12, 25)  # Christmas Day on a Saturday: observed on Friday the 24th
    generate(workspace, seed=7, today=saturday)
    open_holds = select_rows(
        workspace, select(H.category, H.placed_at, H.detention_notice_on).where(H.removed_at.is_(None))
    )
    states = {hold_threshold_state(HoldCategory(c), p, saturday, notice_on=n) for c, p, n in open_holds}
    assert states == set(ThresholdState)
    assert all(calendar.is_business_day(placed.date()) for _, placed, _ in open_holds)


# --- the content is valid customs data ----------------------------------------------------------------------


def test_every_entry_number_has_a_valid_check_digit(demo: Workspace) -> None:
    numbers = values(demo, "SELECT entry_number FROM entries")
    assert numbers
    for number in numbers:
        entry = parse_entry_number(number)  # raises on a wrong check digit
        assert entry.canonical == number
    filers = values(demo, "SELECT DISTINCT filer_code FROM entries")
    assert all(number[:3] in filers for number in numbers[:100])


@pytest.mark.parametrize(
    ("sql", "what"),
    [
        (
            "SELECT DISTINCT port_of_entry FROM entries WHERE port_of_entry NOT IN (SELECT code FROM ports)",
            "port",
        ),
        (
            "SELECT DISTINCT port_of_unlading FROM entries "
            "WHERE port_of_unlading NOT IN (SELECT code FROM ports)",
            "port of unlading",
        ),
        ("SELECT DISTINCT port_code FROM holds WHERE port_code NOT IN (SELECT code FROM ports)", "hold port"),
        (
            "SELECT DISTINCT entry_type FROM entries WHERE entry_type NOT IN (SELECT code FROM entry_types)",
            "type",
        ),
        (
            "SELECT DISTINCT mode_of_transport FROM entries WHERE mode_of_transport NOT IN "
            "(SELECT code FROM transport_modes)",
            "mode",
        ),
        (
            "SELECT DISTINCT category FROM holds WHERE category NOT IN (SELECT code FROM hold_categories)",
            "category",
        ),
        (
            "SELECT DISTINCT disposition_code FROM holds WHERE disposition_code <> '' "
            "AND disposition_code NOT IN (SELECT code FROM disposition_codes)",
            "disposition code",
        ),
        (
            "SELECT DISTINCT agency_code FROM holds WHERE agency_code NOT IN (SELECT code FROM agencies)",
            "agency",
        ),
        (
            "SELECT DISTINCT country_of_origin FROM entry_lines WHERE country_of_origin NOT IN "
            "(SELECT alpha2 FROM countries)",
            "country",
        ),
        (
            "SELECT DISTINCT event_type FROM compliance_events WHERE event_type NOT IN "
            "(SELECT code FROM compliance_event_types)",
            "event type",
        ),
        (
            "SELECT DISTINCT center_code FROM accounts WHERE center_code NOT IN (SELECT code FROM centers)",
            "center",
        ),
        (
            "SELECT h.id FROM holds h JOIN hold_categories c ON c.code = h.category WHERE h.owner <> c.owner "
            "OR h.agency_code <> c.agency",
            "hold owner/agency",
        ),
        (
            "SELECT h.id FROM holds h JOIN entries e USING (entry_number) WHERE h.account_id <> e.account_id",
            "hold account",
        ),
        (
            "SELECT e.entry_number FROM entries e WHERE e.importer_number NOT IN "
            "(SELECT normalized FROM importer_numbers i WHERE i.account_id = e.account_id)",
            "entry importer",
        ),
    ],
)
def test_codes_come_from_the_reference_tables(demo: Workspace, sql: str, what: str) -> None:
    assert values(demo, sql) == [], f"{what} not in its reference table"


def test_every_center_has_accounts_executives_and_ports(demo: Workspace) -> None:
    centers = values(demo, "SELECT code FROM centers")
    assert sorted(values(demo, "SELECT DISTINCT center_code FROM accounts")) == sorted(centers)
    assert sorted(values(demo, "SELECT DISTINCT center_code FROM account_executives")) == sorted(centers)


def test_importer_numbers_are_valid_normalised_and_one_primary_per_account(demo: Workspace) -> None:
    ports = set(values(demo, "SELECT code FROM ports"))
    kinds = set()
    for raw, normalized, ior_type, suffix in rows(
        demo, "SELECT raw, normalized, ior_type, suffix FROM importer_numbers"
    ):
        parsed = parse_importer_number(raw, known_ports=ports)
        assert (parsed.normalized, parsed.ior_type.value) == (normalized, ior_type)
        assert suffix == (normalized[9:] if ior_type == "EIN" else "")
        kinds.add(ior_type)
    assert kinds == {"EIN", "CBP_ASSIGNED", "SSN"}
    primaries = rows(
        demo, "SELECT account_id, COUNT(*) FROM importer_numbers WHERE is_primary GROUP BY account_id"
    )
    assert len(primaries) == 40 and {n for _, n in primaries} == {1}


def test_accounts_include_non_ascii_and_cjk_names(demo: Workspace) -> None:
    names = values(demo, "SELECT name FROM accounts")
    assert any(not n.isascii() for n in names)
    assert any("\u4e00" <= ch <= "\u9fff" for n in names for ch in n)  # CJK unified ideographs


def test_lines_carry_valid_hts_numbers_of_the_accounts_center_and_valid_mids(demo: Workspace) -> None:
    chapters = {code: set(ch.split()) for code, ch in rows(demo, "SELECT code, hts_chapters FROM centers")}
    countries = set(values(demo, "SELECT alpha2 FROM countries"))
    sql = (
        "SELECT a.center_code, t.hts_number, t.ordinal, l.country_of_origin, l.mid FROM line_tariffs t "
        "JOIN entry_lines l ON l.id = t.line_id JOIN entries e ON e.entry_number = l.entry_number "
        "JOIN accounts a ON a.id = e.account_id"
    )
    section_301 = 0
    for center, hts, ordinal, origin, mid in rows(demo, sql):
        assert normalize_hts(hts) == hts
        if hts.startswith("99"):
            assert (hts[:6], ordinal, origin) == ("990388", 2, "CN")
            section_301 += 1
        else:
            assert ordinal == 1 and hts[:2] in chapters[center] and hts[:2] != "77"
        assert check_mid(mid, countries) is None
    assert section_301 > 0


def test_dates_are_relative_to_today(demo: Workspace) -> None:
    assert values(demo, "SELECT value FROM meta WHERE key = 'data_as_of'") == [AS_OF.isoformat()]
    assert values(demo, "SELECT value FROM meta WHERE key = 'demo_scale'") == ["small"]
    entries = select_rows(
        demo, select(E.entry_type, E.entry_date, E.arrival_date, E.release_date, E.summary_date)
    )
    assert all(TODAY - timedelta(days=731) <= entry_date < TODAY for _, entry_date, *_ in entries)
    assert not [e for e in entries if e[0] == "86" and e[1] >= date(2025, 8, 29)]  # de minimis suspended
    for _, entry_date, arrival, release, summary in entries:
        assert arrival <= entry_date
        assert release is None or arrival <= release < TODAY
        assert summary is None or (release is not None and release <= summary < TODAY)
    for placed, removed in select_rows(demo, select(H.placed_at, H.removed_at)):
        assert placed < AS_OF and (removed is None or placed < removed < AS_OF)
    created = [c for (c,) in select_rows(demo, select(orm.NoteRow.created_at))]
    assert AS_OF - timedelta(days=800) <= min(created) and max(created) < AS_OF


def test_open_holds_cover_every_age_band_and_threshold_state(demo: Workspace) -> None:
    open_holds = select_rows(
        demo, select(H.category, H.placed_at, H.detention_notice_on, H.outcome).where(H.removed_at.is_(None))
    )
    ages = [business_days_between(placed.date(), TODAY) for _, placed, _, _ in open_holds]
    assert any(a < 5 for a in ages) and any(5 <= a <= 9 for a in ages)
    assert any(10 <= a <= 29 for a in ages) and any(a >= 30 for a in ages)
    states = {hold_threshold_state(HoldCategory(c), p, TODAY, notice_on=n) for c, p, n, _ in open_holds}
    assert states == set(ThresholdState)
    assert {o for *_, o in open_holds} == {"OPEN"}
    closed = values(demo, "SELECT DISTINCT outcome FROM holds WHERE removed_at IS NOT NULL")
    assert {"RELEASED", "RELEASED_AFTER_EXAM"} <= set(closed) and "OPEN" not in closed


def test_post_entry_deadlines_follow_the_rules(demo: Workspace) -> None:
    C = orm.ComplianceEventRow
    events = select_rows(demo, select(C.event_type, C.opened_on, C.due_on, C.responded_on, C.closed_on))
    for event_type, opened, due, _, _ in events:
        if event_type in ("CF28", "CF29_PROPOSED"):
            assert due == opened + timedelta(days=30 if event_type == "CF28" else 20)
    due_soon = [
        e for e in events if e[0] == "CF28" and e[3] is None and TODAY < e[2] <= TODAY + timedelta(days=7)
    ]
    assert due_soon
    kinds = {e[0] for e in events}
    assert {
        "CF28",
        "CF29_PROPOSED",
        "CF29_TAKEN",
        "PSC",
        "PROTEST",
        "PENALTY_1592",
        "LD_CLAIM",
        "AUDIT_FA",
        "CM_DISCREPANCY",
    } <= kinds


def test_partnership_history_keeps_validation_cycles(demo: Workspace) -> None:
    P = orm.PartnershipStatusRow
    history = select_rows(
        demo, select(P.program, P.tier, P.state, P.last_validated_on, P.next_validation_due)
    )
    validated = [h for h in history if h[2] == "VALIDATED"]
    assert validated
    for program, tier, _, last, due in validated:
        assert program == "CTPAT_SECURITY" and tier in ("TIER2", "TIER3")
        assert due == add_years(last, 4)
    assert all(
        tier in ("TIER2", "TIER3") for program, tier, *_ in history if program == "CTPAT_TRADE_COMPLIANCE"
    )


def test_notes_link_to_holds_and_entries_and_have_overdue_follow_ups(demo: Workspace) -> None:
    linked = values(
        demo,
        "SELECT COUNT(*) FROM notes n JOIN holds h ON h.id = n.hold_id WHERE n.entry_number = h.entry_number",
    )[0]
    assert linked > 0
    N = orm.NoteRow
    follow_ups = select_rows(
        demo, select(N.follow_up_on, N.follow_up_done).where(N.follow_up_on.is_not(None))
    )
    assert [f for f, done in follow_ups if f < TODAY and not done]  # the AE's overdue list
    assert [f for f, done in follow_ups if f >= TODAY and not done]
    assert values(demo, "SELECT COUNT(*) FROM notes WHERE sensitive AND include_in_summary") == [0]
    assert values(demo, "SELECT COUNT(*) FROM notes WHERE sensitive")[0] > 0
    authors = set(values(demo, "SELECT DISTINCT author FROM notes"))
    assert authors <= set(values(demo, "SELECT name FROM account_executives"))


def test_synced_rows_start_at_version_one(demo: Workspace) -> None:
    for table in (
        "accounts",
        "importer_numbers",
        "notes",
        "compliance_events",
        "action_items",
        "contacts",
        "partnership_statuses",
        "account_executives",
    ):
        assert values(demo, f"SELECT DISTINCT version FROM {table}") == [1], table
        assert values(demo, f"SELECT COUNT(*) FROM {table} WHERE updated_at < created_at") == [0], table
