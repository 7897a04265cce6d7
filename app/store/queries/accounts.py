"""Accounts: look-ups by id and importer number, and the portfolio grid with its 12-month figures."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.selectable import Subquery

from app.domain.deadlines import hold_age_business_days
from app.domain.enums import (
    AccountStatus,
    CenterCode,
    CTPATTier,
    NoteKind,
    PartnershipState,
    Program,
    RiskSegment,
)
from app.domain.model import Account
from app.domain.views import PortfolioRow, compliance_rate, exam_rate
from app.store import orm
from app.store.queries import ior_display

A = orm.AccountRow
I = orm.ImporterNumberRow  # noqa: E741 - the usual alias, as in the SQL
P = orm.PartnershipStatusRow
H = orm.HoldRow
N = orm.NoteRow
M = orm.AccountMetricsRow

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


class _Status(NamedTuple):
    target: Any  # a subquery or an aliased table, outer-joined to accounts on `onclause`
    onclause: ColumnElement[bool]
    tier: Any
    state: Any
    next_due: Any


def _program_status(program: Program, dialect: str) -> _Status:
    """Per account, its latest live status row in `program` (by effective date, then creation)."""
    live = [P.program == program, P.deleted_at.is_(None)]
    order: list[Any] = [P.effective_on.desc(), P.created_at.desc(), P.id.desc()]
    if dialect == "sqlite":
        # SQLite: one probe of ix_partnership_account_program per account beats ranking every status row
        # in a window, mostly spent materialising and auto-indexing the ranked rows (both programs, 2,000
        # accounts: 8 ms against 21). PostgreSQL is the other way round (17 ms probing, 8 ms ranking).
        latest = aliased(P)
        newest = select(P.id).where(P.account_id == A.id, *live).order_by(*order).limit(1).scalar_subquery()
        return _Status(latest, latest.id == newest, latest.tier, latest.state, latest.next_validation_due)
    ranked = _latest(order, live, P.account_id, P.tier, P.state, P.next_validation_due)
    c = ranked.c
    return _Status(ranked, c.account_id == A.id, c.tier, c.state, c.next_validation_due)


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


def _last_contact() -> Any:
    # Newest first along ix_notes_account_created; stops at the first contact note.
    return (
        select(N.created_at)
        .where(N.account_id == A.id, N.kind.in_(CONTACT_KINDS), N.deleted_at.is_(None))
        .order_by(N.created_at.desc())
        .limit(1)
        .scalar_subquery()
        .label("last_contact")
    )


def portfolio_query(dialect: str) -> Select[Any]:
    """The grid's statement. The 12-month figures come from the `account_metrics` snapshot, which the caller
    makes current first (`metrics.ensure_account_metrics`); an account without a row there has none."""
    primary = _latest(
        [I.is_primary.desc(), I.active.desc(), I.created_at, I.normalized],
        [I.deleted_at.is_(None)],
        I.account_id,
        I.normalized,
        I.ior_type,
    )
    ctpat = _program_status(Program.CTPAT_SECURITY, dialect)
    trade = _program_status(Program.CTPAT_TRADE_COMPLIANCE, dialect)
    holds = _open_holds()
    columns = [
        *(A.id, A.name, A.center_code, A.risk_segment, primary.c.normalized, primary.c.ior_type),
        *(ctpat.tier, ctpat.state, ctpat.next_due, trade.state.label("trade_state")),
        *(holds.c.n.label("open_holds"), holds.c.oldest, M.entries, M.exam_entries, M.cm_discrepancies),
        *(M.lines, _last_contact()),
    ]
    return (
        select(*columns)
        .outerjoin(primary, primary.c.account_id == A.id)
        .outerjoin(ctpat.target, ctpat.onclause)
        .outerjoin(trade.target, trade.onclause)
        .outerjoin(holds, holds.c.account_id == A.id)
        .outerjoin(M, M.account_id == A.id)
        .where(A.deleted_at.is_(None))
        .order_by(A.name, A.id)
    )


def _portfolio_row(row: Any, today: date) -> PortfolioRow:
    # Unpacked positionally (the order of `portfolio_query`'s columns): Row attribute access costs ~10 µs a
    # row here, a fifth of the whole portfolio at 2,000 accounts.
    (account_id, name, center, risk, ior, ior_type, tier, state, next_due, trade_state,
     open_holds, oldest, entries_12m, examined, cm, lines, last_contact) = row  # fmt: skip
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
        compliance_rate_12m=compliance_rate(cm or 0, lines, has_lines=bool(lines)),
        next_validation_due=next_due,
        last_contact_at=last_contact,
    )


def portfolio_rows(session: Session, today: date) -> list[PortfolioRow]:
    """Every live account with its figures, by name: one statement, whatever the portfolio size.

    The 12-month figures are read from the snapshot as it stands: call `metrics.ensure_account_metrics` first,
    in the same session (the `list_portfolio` service does).
    """
    statement = portfolio_query(session.get_bind().dialect.name)
    return [_portfolio_row(r, today) for r in session.execute(statement)]
