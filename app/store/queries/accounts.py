"""Accounts: look-ups by id and importer number, and the portfolio grid with its 12-month aggregates."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, case, exists, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import Subquery

from app.domain.deadlines import hold_age_business_days
from app.domain.enums import (
    AccountStatus,
    CenterCode,
    ComplianceEventType,
    CTPATTier,
    ExamType,
    NoteKind,
    PartnershipState,
    Program,
    RiskSegment,
)
from app.domain.model import Account
from app.domain.views import PortfolioRow, compliance_rate, exam_rate
from app.store import orm
from app.store.queries import ior_display, window_start

A = orm.AccountRow
I = orm.ImporterNumberRow  # noqa: E741 - the usual alias, as in the SQL
P = orm.PartnershipStatusRow
E = orm.EntryRow
L = orm.EntryLineRow
H = orm.HoldRow
N = orm.NoteRow
C = orm.ComplianceEventRow

CONTACT_KINDS = (NoteKind.CALL, NoteKind.EMAIL, NoteKind.MEETING, NoteKind.VISIT)
MEMBER_STATES = (PartnershipState.CERTIFIED, PartnershipState.VALIDATED)


def to_account(row: orm.AccountRow) -> Account:
    return Account(
        id=row.id,
        name=row.name,
        center=CenterCode(row.center_code),
        dba=row.dba,
        ae_id=row.ae_id,
        backup_ae_id=row.backup_ae_id,
        industry_segment=row.industry_segment,
        primary_hts_chapters=row.primary_hts_chapters,
        risk_segment=RiskSegment(row.risk_segment),
        status=AccountStatus(row.status),
        action_plan_summary=row.action_plan_summary,
        city=row.city,
        state=row.state,
        country=row.country,
        created_by_import=row.created_by_import,
        version=row.version,
    )


def account_by_id(session: Session, account_id: uuid.UUID) -> Account | None:
    row = session.scalar(select(A).where(A.id == account_id, A.deleted_at.is_(None)))
    return None if row is None else to_account(row)


def account_by_importer_number(session: Session, normalized: str) -> Account | None:
    """The live account holding the live importer number `normalized` (the stored, compact form)."""
    row = session.scalar(
        select(A)
        .join(I, I.account_id == A.id)
        .where(I.normalized == normalized, I.deleted_at.is_(None), A.deleted_at.is_(None))
    )
    return None if row is None else to_account(row)


# --- the portfolio ----------------------------------------------------------------------------------------


def _latest(rank_order: list[Any], where: list[ColumnElement[bool]], *columns: Any) -> Subquery:
    """Per account, the first row of a ranking (primary IOR, latest program status): one window query."""
    rank = func.row_number().over(partition_by=columns[0], order_by=rank_order).label("rank")
    ranked = select(*columns, rank).where(*where).subquery()
    return select(*(ranked.c[c.key] for c in columns)).where(ranked.c.rank == 1).subquery()


def _program_status(program: Program) -> Subquery:
    return _latest(
        [P.effective_on.desc(), P.created_at.desc(), P.id.desc()],
        [P.program == program, P.deleted_at.is_(None)],
        P.account_id,
        P.tier,
        P.state,
        P.next_validation_due,
    )


def _open_holds() -> Subquery:
    # The ORDER BY is there for SQLite's planner: without it, it walks ix_holds_account_placed (every hold,
    # open or not, to get them grouped) instead of the small partial index of open holds, ~5x slower.
    # PostgreSQL sorts a few thousand rows, which costs nothing measurable.
    open_ = select(H.account_id, H.placed_at).where(H.removed_at.is_(None)).order_by(H.placed_at).subquery()
    return (
        select(open_.c.account_id, func.count().label("n"), func.min(open_.c.placed_at).label("oldest"))
        .group_by(open_.c.account_id)
        .subquery()
    )


def _exam_entries(since: date) -> Subquery:
    # Driven by the (few) examination holds: the IN list is built once and probed per entry of the window.
    examined = select(H.entry_number).where(H.exam_type != ExamType.NONE)
    return (
        select(E.account_id, func.count().label("n"))
        .where(E.entry_date > since, E.entry_number.in_(examined))
        .group_by(E.account_id)
        .subquery()
    )


def _cm_discrepancies(since: date) -> Subquery:
    return (
        select(C.account_id, func.count().label("n"))
        .where(
            C.event_type == ComplianceEventType.CM_DISCREPANCY,
            C.opened_on > since,
            C.deleted_at.is_(None),
        )
        .group_by(C.account_id)
        .subquery()
    )


def _lines_columns(since: date, cm: Subquery) -> tuple[Any, Any]:
    """(line count, has lines) of the account's window entries.

    Counting lines means one index probe per entry (a million lines at the large scale), so it is done only
    for accounts with CM discrepancies, the only ones whose compliance rate depends on the count; for the
    others the rate is 1 or undefined, and an EXISTS that stops at the first line decides which.
    """
    window_lines = (
        select(func.count())
        .select_from(E)
        .join(L, L.entry_number == E.entry_number)
        .where(E.account_id == A.id, E.entry_date > since)
        .scalar_subquery()
    )
    any_line = exists().where(E.account_id == A.id, E.entry_date > since, L.entry_number == E.entry_number)
    return (
        case((cm.c.n > 0, window_lines), else_=None).label("lines"),
        case((cm.c.n.is_(None), any_line), else_=True).label("has_lines"),
    )


def _correlated_columns(since: date) -> tuple[Any, Any]:
    # Per account through its index, reading only the window's range (cheaper than grouping the whole index).
    entries_12m = (
        select(func.count())
        .where(E.account_id == A.id, E.entry_date > since)
        .scalar_subquery()
        .label("entries_12m")
    )
    # Newest first along ix_notes_account_created; stops at the first contact note.
    last_contact = (
        select(N.created_at)
        .where(N.account_id == A.id, N.kind.in_(CONTACT_KINDS), N.deleted_at.is_(None))
        .order_by(N.created_at.desc())
        .limit(1)
        .scalar_subquery()
        .label("last_contact")
    )
    return entries_12m, last_contact


def portfolio_query(today: date) -> Select[Any]:
    since = window_start(today)
    primary = _latest(
        [I.is_primary.desc(), I.active.desc(), I.created_at, I.normalized],
        [I.deleted_at.is_(None)],
        I.account_id,
        I.normalized,
        I.ior_type,
    )
    ctpat = _program_status(Program.CTPAT_SECURITY)
    trade = _program_status(Program.CTPAT_TRADE_COMPLIANCE)
    holds, exams, cm = _open_holds(), _exam_entries(since), _cm_discrepancies(since)
    entries_12m, last_contact = _correlated_columns(since)
    lines, has_lines = _lines_columns(since, cm)
    columns = [
        *(A.id, A.name, A.center_code, A.risk_segment, primary.c.normalized, primary.c.ior_type),
        *(ctpat.c.tier, ctpat.c.state, ctpat.c.next_validation_due, trade.c.state.label("trade_state")),
        *(holds.c.n.label("open_holds"), holds.c.oldest, entries_12m, exams.c.n.label("exam_entries")),
        *(cm.c.n.label("cm"), lines, has_lines, last_contact),
    ]
    return (
        select(*columns)
        .outerjoin(primary, primary.c.account_id == A.id)
        .outerjoin(ctpat, ctpat.c.account_id == A.id)
        .outerjoin(trade, trade.c.account_id == A.id)
        .outerjoin(holds, holds.c.account_id == A.id)
        .outerjoin(exams, exams.c.account_id == A.id)
        .outerjoin(cm, cm.c.account_id == A.id)
        .where(A.deleted_at.is_(None))
        .order_by(A.name, A.id)
    )


def _portfolio_row(row: Any, today: date) -> PortfolioRow:
    # Unpacked positionally (the order of `portfolio_query`'s columns): Row attribute access costs ~10 µs a
    # row here, a fifth of the whole portfolio at 2,000 accounts.
    (account_id, name, center, risk, ior, ior_type, tier, state, next_due, trade_state,
     open_holds, oldest, entries_12m, examined, cm, lines, has_lines, last_contact) = row  # fmt: skip
    return PortfolioRow(
        account_id=account_id,
        name=name,
        primary_importer_number=ior_display(ior, ior_type) if ior else "",
        center=CenterCode(center),
        ctpat_tier=CTPATTier(tier) if tier else None,
        ctpat_state=PartnershipState(state) if state else None,
        trade_compliance_member=trade_state in MEMBER_STATES,
        risk_segment=RiskSegment(risk),
        open_holds=open_holds or 0,
        oldest_open_hold_placed_at=oldest,
        oldest_open_hold_age_days=None if oldest is None else hold_age_business_days(oldest.date(), today),
        entries_12m=entries_12m or 0,
        exam_rate_12m=exam_rate(examined or 0, entries_12m or 0),
        compliance_rate_12m=compliance_rate(cm or 0, lines, has_lines=bool(has_lines)),
        next_validation_due=next_due,
        last_contact_at=last_contact,
    )


def portfolio_rows(session: Session, today: date) -> list[PortfolioRow]:
    """Every live account with its aggregates, by name: one statement, whatever the portfolio size."""
    if session.get_bind().dialect.name == "postgresql":
        # The correlated subqueries give the statement a high cost estimate, which crosses PostgreSQL's
        # jit_above_cost: compiling it takes far longer (~0.9 s) than running it. For this transaction only.
        session.execute(text("SET LOCAL jit = off"))
    return [_portfolio_row(r, today) for r in session.execute(portfolio_query(today))]
