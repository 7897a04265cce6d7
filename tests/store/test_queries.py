"""Accounts, portfolio aggregates, the open-holds board, entry pages, notes and stats on real databases."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest

from app.domain.enums import (
    CenterCode,
    CTPATTier,
    ExamType,
    HoldCategory,
    NoteKind,
    PartnershipState,
    RiskSegment,
    ThresholdState,
)
from app.domain.errors import NotFoundError, ValidationError
from app.services import accounts, entries, holds, notes, stats
from app.services.workspace import Workspace
from app.store import orm
from tests.store import factories as f

TODAY = date(2026, 11, 20)  # a Friday; Veterans Day (Wed 11 Nov) is a holiday
EIN = "20-584410200"
SSN = "123-45-6789"


@dataclass(frozen=True)
class Portfolio:
    acme: uuid.UUID
    blue: uuid.UUID
    cobalt: uuid.UUID
    gone: uuid.UUID
    e1: str  # acme, 10 days ago, 2 lines, open NII hold with an NII exam
    e2: str  # acme, 100 days ago, 3 lines, open DOC_REVIEW hold (the oldest)
    e3: str  # acme, 400 days ago (outside the window), 5 lines, released tailgate exam
    e4: str  # acme, 20 days ago, 1 line, released tailgate exam
    e5: str  # acme, 200 days ago, 1 line, never held
    c1: str  # cobalt, 5 days ago, 2 lines


def _days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def _build(ws: Workspace) -> Portfolio:
    with ws.database.session() as s:
        acme = f.add_account(s, "Acme Société Imports", [EIN, "20-5844102AB"], center="PHC", risk="high")
        blue = f.add_account(s, "Blue Ridge Textiles", [SSN], center="AFT", risk="low")
        cobalt = f.add_account(s, "Cobalt Motors", ["30-123456700"], center="AA")
        gone = f.add_account(s, "Gone Trading", ["30-765432100"], deleted=True)
        e1 = f.add_entry(s, acme, 1, _days_ago(10), lines=2)
        e2 = f.add_entry(s, acme, 2, _days_ago(100), lines=3, port="1001")
        e3 = f.add_entry(s, acme, 3, _days_ago(400), lines=5)
        e4 = f.add_entry(s, acme, 4, _days_ago(20), lines=1)
        e5 = f.add_entry(s, acme, 5, _days_ago(200), lines=1)
        c1 = f.add_entry(s, cobalt, 6, _days_ago(5), lines=2)
        g1 = f.add_entry(s, gone, 7, _days_ago(5))
        f.add_hold(s, e1, acme, datetime(2026, 11, 16, 8, 30), exam_type="NII_VACIS")
        f.add_hold(s, e2, acme, datetime(2026, 11, 2, 9, 0), category="DOC_REVIEW", port="1001")
        f.add_hold(
            s, e3, acme, datetime(2025, 10, 20, 9), removed_at=datetime(2025, 10, 22, 9), exam_type="TAILGATE"
        )
        f.add_hold(
            s, e4, acme, datetime(2026, 11, 1, 9), removed_at=datetime(2026, 11, 3, 9), exam_type="TAILGATE"
        )
        f.add_hold(s, g1, gone, datetime(2026, 10, 1, 9))  # open, but the account is deleted
        f.add_event(s, acme, "CM_DISCREPANCY", _days_ago(30))
        f.add_event(s, acme, "CM_DISCREPANCY", _days_ago(500))  # outside the window
        f.add_event(s, acme, "CM_DISCREPANCY", _days_ago(40), deleted=True)
        f.add_event(s, acme, "CF28", _days_ago(50))  # not a CM discrepancy
        f.add_partnership(s, acme, "CTPAT_SECURITY", "CERTIFIED", date(2020, 1, 1), tier="TIER1")
        f.add_partnership(
            s, acme, "CTPAT_SECURITY", "VALIDATED", date(2021, 6, 1), tier="TIER2",
            next_validation_due=date(2025, 6, 1),
        )  # fmt: skip
        f.add_partnership(
            s, acme, "CTPAT_SECURITY", "SUSPENDED", date(2024, 1, 1), tier="TIER2", deleted=True
        )
        f.add_partnership(s, acme, "CTPAT_TRADE_COMPLIANCE", "CERTIFIED", date(2022, 1, 1))
        f.add_partnership(s, cobalt, "CTPAT_TRADE_COMPLIANCE", "CERTIFIED", date(2019, 1, 1))
        f.add_partnership(s, cobalt, "CTPAT_TRADE_COMPLIANCE", "SUSPENDED", date(2023, 1, 1))
        f.add_note(s, acme, "Called the port about the exam", datetime(2026, 11, 1, 10), kind="call")
        f.add_note(s, acme, "Internal reminder", datetime(2026, 11, 10, 10), kind="note")  # not a contact
        f.add_note(s, acme, "Emailed the broker", datetime(2026, 11, 15, 10), kind="email", deleted=True)
    return Portfolio(acme, blue, cobalt, gone, e1, e2, e3, e4, e5, c1)


@pytest.fixture
def portfolio(workspace: Workspace) -> Portfolio:
    return _build(workspace)


# --- accounts -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", [EIN, "20584410200", " 20 584410200 ", "20-5844102ab", "205844102AB"])
def test_resolve_account_by_any_spelling_of_any_importer_number(
    workspace: Workspace, portfolio: Portfolio, ref: str
) -> None:
    assert accounts.resolve_account(workspace, ref).id == portfolio.acme


def test_resolve_account_by_id(workspace: Workspace, portfolio: Portfolio) -> None:
    account = accounts.resolve_account(workspace, str(portfolio.cobalt))
    assert (account.name, account.center) == ("Cobalt Motors", CenterCode.AA)


def test_resolve_account_errors_name_what_was_not_found(workspace: Workspace, portfolio: Portfolio) -> None:
    with pytest.raises(NotFoundError, match=r"^no account with importer number 20-584410201$"):
        accounts.resolve_account(workspace, "20584410201")
    with pytest.raises(NotFoundError, match=rf"^no account with id {portfolio.gone}$"):
        accounts.resolve_account(workspace, str(portfolio.gone))  # tombstoned
    with pytest.raises(NotFoundError, match=r"importer number 30-765432100"):
        accounts.resolve_account(workspace, "30-765432100")  # the deleted account's number
    with pytest.raises(NotFoundError) as excinfo:
        accounts.resolve_account(workspace, "987-65-432")  # malformed, SSN-like: digits not repeated
    assert "98765432" not in str(excinfo.value) and "987-65" not in str(excinfo.value)


def test_portfolio_aggregates(workspace: Workspace, portfolio: Portfolio) -> None:
    rows = {row.account_id: row for row in accounts.list_portfolio(workspace, today=TODAY)}
    assert set(rows) == {portfolio.acme, portfolio.blue, portfolio.cobalt}  # the deleted one is gone
    acme = rows[portfolio.acme]
    assert acme.name == "Acme Société Imports"
    assert acme.primary_importer_number == EIN
    assert (acme.center, acme.risk_segment) == (CenterCode.PHC, RiskSegment.HIGH)
    assert (acme.ctpat_tier, acme.ctpat_state) == (CTPATTier.TIER2, PartnershipState.VALIDATED)
    assert acme.next_validation_due == date(2025, 6, 1)
    assert acme.trade_compliance_member is True
    assert acme.open_holds == 2
    assert acme.oldest_open_hold_placed_at == datetime(2026, 11, 2, 9, 0)
    assert acme.oldest_open_hold_age_days == 13  # 2 Nov -> 20 Nov, weekends and Veterans Day not counted
    assert acme.entries_12m == 4  # e1, e2, e4, e5; e3 is 400 days old
    assert acme.exam_rate_12m == pytest.approx(2 / 4)  # e1 (open NII exam), e4 (released tailgate)
    assert acme.compliance_rate_12m == pytest.approx(1 - 1 / 7)  # 1 live CM discrepancy, 2+3+1+1 lines
    assert acme.last_contact_at == datetime(
        2026, 11, 1, 10
    )  # the later note is no contact, the email deleted


def test_portfolio_rows_without_activity(workspace: Workspace, portfolio: Portfolio) -> None:
    rows = {row.account_id: row for row in accounts.list_portfolio(workspace, today=TODAY)}
    blue, cobalt = rows[portfolio.blue], rows[portfolio.cobalt]
    assert blue.primary_importer_number == "***-**-6789"  # SSN-based: masked
    assert (blue.ctpat_tier, blue.ctpat_state, blue.trade_compliance_member) == (None, None, False)
    assert (blue.open_holds, blue.oldest_open_hold_placed_at, blue.oldest_open_hold_age_days) == (
        0,
        None,
        None,
    )
    assert (blue.entries_12m, blue.exam_rate_12m, blue.compliance_rate_12m) == (0, None, None)
    assert blue.last_contact_at is None
    assert cobalt.trade_compliance_member is False  # latest Trade Compliance status is SUSPENDED
    assert (cobalt.entries_12m, cobalt.exam_rate_12m, cobalt.compliance_rate_12m) == (1, 0.0, 1.0)


def test_portfolio_is_sorted_by_name(workspace: Workspace, portfolio: Portfolio) -> None:
    names = [row.name for row in accounts.list_portfolio(workspace, today=TODAY)]
    assert names == ["Acme Société Imports", "Blue Ridge Textiles", "Cobalt Motors"]


# --- holds --------------------------------------------------------------------------------------------------


def test_open_holds_oldest_first_with_age_and_threshold(workspace: Workspace, portfolio: Portfolio) -> None:
    rows = holds.open_holds_by_age(workspace, today=TODAY)
    assert [row.entry_number for row in rows] == [
        "ABC-0000002-" + portfolio.e2[-1],
        "ABC-0000001-" + portfolio.e1[-1],
    ]
    oldest, newest = rows
    assert (oldest.account_id, oldest.account_name) == (portfolio.acme, "Acme Société Imports")
    assert (oldest.port_code, oldest.port_name) == ("1001", "New York, NY")
    assert oldest.category is HoldCategory.DOC_REVIEW
    assert (oldest.age_business_days, oldest.threshold) == (13, ThresholdState.NOTICE_DUE)
    assert (newest.age_business_days, newest.threshold) == (4, ThresholdState.OK)
    assert newest.exam_type is ExamType.NII_VACIS
    assert holds.count_open_holds(workspace) == 2  # the deleted account's hold is not counted


def test_open_holds_pages(workspace: Workspace, portfolio: Portfolio) -> None:
    page = holds.open_holds_by_age(workspace, limit=1, offset=1, today=TODAY)
    assert [row.entry_number.replace("-", "") for row in page] == [portfolio.e1]
    assert holds.open_holds_by_age(workspace, limit=None, offset=2, today=TODAY) == []
    with pytest.raises(ValidationError):
        holds.open_holds_by_age(workspace, offset=-1)


# --- entries ------------------------------------------------------------------------------------------------


def test_account_entries_newest_first(workspace: Workspace, portfolio: Portfolio) -> None:
    rows = entries.account_entries(workspace, portfolio.acme)
    numbers = [row.entry_number.replace("-", "") for row in rows]
    assert numbers == [portfolio.e1, portfolio.e4, portfolio.e2, portfolio.e5, portfolio.e3]
    assert [row.line_count for row in rows] == [2, 1, 3, 1, 5]
    assert [row.has_hold for row in rows] == [True, True, True, False, True]
    first = rows[0]
    assert first.entry_number == f"ABC-0000001-{portfolio.e1[-1]}"
    assert (first.entry_date, first.port_of_entry, first.entered_value_cents) == (
        _days_ago(10),
        "2704",
        100_000,
    )
    page = entries.account_entries(workspace, portfolio.acme, limit=2, offset=1)
    assert [row.entry_number.replace("-", "") for row in page] == [portfolio.e4, portfolio.e2]


# --- notes --------------------------------------------------------------------------------------------------


def test_add_note_by_importer_number(
    workspace: Workspace, portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "jdoe")
    entry = f"abc-0000001-{portfolio.e1[-1]}"
    note = notes.add_note(
        workspace, "20 584410200", "  Called Laredo CET  ", kind=NoteKind.CALL, follow_up=date(2026, 12, 1),
        entry_number=entry, sensitive=True,
    )  # fmt: skip
    assert (note.account_id, note.text, note.author, note.kind) == (
        portfolio.acme,
        "Called Laredo CET",
        "jdoe",
        "call",
    )
    assert (note.entry_number, note.follow_up_on, note.sensitive) == (portfolio.e1, date(2026, 12, 1), True)
    listed = notes.list_notes(workspace, str(portfolio.acme))
    assert note in listed  # what was stored comes back unchanged
    assert listed == sorted(listed, key=lambda n: n.created_at, reverse=True)
    assert {n.text for n in listed} == {
        "Called Laredo CET",
        "Internal reminder",
        "Called the port about the exam",
    }


def test_add_note_validates(workspace: Workspace, portfolio: Portfolio) -> None:
    with pytest.raises(ValidationError, match="empty"):
        notes.add_note(workspace, EIN, "   \n")
    with pytest.raises(ValidationError, match="belongs to another account"):
        notes.add_note(workspace, EIN, "x", entry_number=portfolio.c1)
    wrong_digit = portfolio.e1[:-1] + str((int(portfolio.e1[-1]) + 1) % 10)
    with pytest.raises(ValidationError, match=f"check digit should be {portfolio.e1[-1]}"):
        notes.add_note(workspace, EIN, "x", entry_number=wrong_digit)
    with pytest.raises(NotFoundError):
        notes.add_note(workspace, "99-999999900", "x")
    assert len(notes.list_notes(workspace, EIN)) == 2  # nothing was written


# --- stats --------------------------------------------------------------------------------------------------


def test_database_stats_counts_live_rows(workspace: Workspace, portfolio: Portfolio) -> None:
    with workspace.database.session() as s:
        f.add_importer_number(s, portfolio.blue, "98-765432100", deleted=True)
        f.add_import_batch(s, datetime(2026, 11, 19, 8))
    assert stats.database_stats(workspace) == {
        "accounts": 3,
        "importer_numbers": 5,  # the tombstoned number is left out
        "entries": 7,
        "entry_lines": 2 + 3 + 5 + 1 + 1 + 2 + 1,
        "holds": 5,
        "open_holds": 3,
        "notes": 2,
        "compliance_events": 3,
        "import_batches": 1,
    }


def test_data_as_of(workspace: Workspace) -> None:
    assert stats.data_as_of(workspace) is None
    with workspace.database.session() as s:
        s.add(orm.MetaRow(key="data_as_of", value="2026-11-20T06:00:00+00:00"))
    assert stats.data_as_of(workspace) == datetime(2026, 11, 20, 6, 0)
    with workspace.database.session() as s:
        f.add_import_batch(s, datetime(2026, 11, 21, 9, 30))
        f.add_import_batch(s, datetime(2026, 11, 22, 9, 30), undone=True)  # undone: its data is gone
    assert stats.data_as_of(workspace) == datetime(2026, 11, 21, 9, 30)
