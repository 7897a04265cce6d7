"""Account 360: one account's header, 12-month figures, holds, compliance events and program history.

Everything here reads one account, through the per-account indexes (`ix_entries_account_date`,
`ix_holds_account_placed`, `ix_compliance_account_opened`), so the figures are computed live rather than read
from the portfolio's `account_metrics` snapshot: they are never stale, and cost a few milliseconds.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import DateTime, case, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from app.domain.deadlines import compliance_due_date, hold_age_business_days, hold_clock
from app.domain.enums import (
    AccountStatus,
    CenterCode,
    ComplianceEventType,
    CTPATTier,
    ExamType,
    HoldCategory,
    HoldOutcome,
    HoldOwner,
    PartnershipState,
    Program,
    RiskSegment,
)
from app.domain.today import RESPONSE_WINDOW_DAYS
from app.domain.views import (
    AccountHeader,
    AccountHoldRow,
    AccountKpis,
    ComplianceEventLine,
    DueState,
    MonthActivity,
    ProgramStatus,
    compliance_rate,
    exam_rate,
)
from app.store import orm
from app.store.queries import entry_display, ior_display, window_start
from app.store.queries.metrics import quantile

A = orm.AccountRow
AE = orm.AccountExecutiveRow
I = orm.ImporterNumberRow  # noqa: E741 - the usual alias, as in the SQL
P = orm.PartnershipStatusRow
E = orm.EntryRow
L = orm.EntryLineRow
H = orm.HoldRow
C = orm.ComplianceEventRow
CT = orm.ComplianceEventTypeRow
PORT = orm.PortRow

MONTHS = 12
PENALTY_TYPES = (ComplianceEventType.PENALTY_1592, ComplianceEventType.LD_CLAIM)


# --- header -----------------------------------------------------------------------------------------------


def account_header(session: Session, account_id: uuid.UUID) -> AccountHeader | None:
    """The live account's header, or None when it does not exist or is tombstoned."""
    backup = aliased(AE)
    row = session.execute(
        select(A, orm.CenterRow.name, AE.name, backup.name)
        .outerjoin(orm.CenterRow, orm.CenterRow.code == A.center_code)
        .outerjoin(AE, (AE.id == A.ae_id) & AE.deleted_at.is_(None))
        .outerjoin(backup, (backup.id == A.backup_ae_id) & backup.deleted_at.is_(None))
        .where(A.id == account_id, A.deleted_at.is_(None))
    ).one_or_none()
    if row is None:
        return None
    account, center_name, ae_name, backup_name = row
    return AccountHeader(
        account_id=account.id,
        name=account.name,
        dba=account.dba,
        importer_numbers=tuple(_importer_numbers(session, account_id)),
        center=CenterCode(account.center_code),
        center_name=center_name or "",
        ae_name=ae_name or "",
        backup_ae_name=backup_name or "",
        risk_segment=RiskSegment(account.risk_segment),
        status=AccountStatus(account.status),
        programs=current_programs(partnership_history(session, account_id)),
        created_by_import=account.created_by_import,
    )


def _importer_numbers(session: Session, account_id: uuid.UUID) -> list[str]:
    rows = session.execute(
        select(I.normalized, I.ior_type)
        .where(I.account_id == account_id, I.deleted_at.is_(None), I.active.is_(True))
        .order_by(I.is_primary.desc(), I.created_at, I.normalized)
    )
    return [ior_display(normalized, ior_type) for normalized, ior_type in rows]


def partnership_history(session: Session, account_id: uuid.UUID) -> list[ProgramStatus]:
    """Every live status row of the account, by program (enum order), newest effective first."""
    rows = session.scalars(
        select(P)
        .where(P.account_id == account_id, P.deleted_at.is_(None))
        .order_by(P.effective_on.desc(), P.created_at.desc(), P.id.desc())
    )
    statuses = [_program_status(row) for row in rows]
    order = {program: position for position, program in enumerate(Program)}
    return sorted(statuses, key=lambda status: order[status.program])  # stable: keeps newest first


def _program_status(row: orm.PartnershipStatusRow) -> ProgramStatus:
    return ProgramStatus(
        program=Program(row.program),
        state=PartnershipState(row.state),
        tier=CTPATTier(row.tier),
        effective_on=row.effective_on,
        certified_on=row.certified_on,
        last_validated_on=row.last_validated_on,
        next_validation_due=row.next_validation_due,
        annual_notification_due=row.annual_notification_due,
        reference=row.reference,
    )


def current_programs(history: list[ProgramStatus]) -> tuple[ProgramStatus, ...]:
    """The first (newest) status of each program in a `partnership_history` list."""
    seen: dict[Program, ProgramStatus] = {}
    for status in history:
        seen.setdefault(status.program, status)
    return tuple(seen.values())


# --- 12-month figures -------------------------------------------------------------------------------------


def entry_figures(session: Session, account_id: uuid.UUID, since: date) -> dict[str, int]:
    """Entries dated after `since`: count, value, duty + fees, lines, held, examined, released unheld."""
    held = select(H.entry_number).where(H.account_id == account_id).distinct().subquery()
    examined = (
        select(H.entry_number)
        .where(H.account_id == account_id, H.exam_type != ExamType.NONE)
        .distinct()
        .subquery()
    )
    lines = select(func.count()).where(L.entry_number == E.entry_number).correlate(E).scalar_subquery()
    released_clean = (E.release_date.is_not(None)) & held.c.entry_number.is_(None)
    row = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(E.entered_value_cents), 0),
            func.coalesce(func.sum(E.duty_cents + E.fees_cents), 0),
            func.coalesce(func.sum(lines), 0),
            func.count(held.c.entry_number),
            func.count(examined.c.entry_number),
            func.coalesce(func.sum(case((released_clean, 1), else_=0)), 0),
        )
        .select_from(E)
        .outerjoin(held, held.c.entry_number == E.entry_number)
        .outerjoin(examined, examined.c.entry_number == E.entry_number)
        .where(E.account_id == account_id, E.entry_date > since)
    ).one()
    keys = ("entries", "entered_value_cents", "duty_fees_cents", "lines", "held", "examined", "clean")
    return {key: int(value or 0) for key, value in zip(keys, row, strict=True)}


def hold_days(session: Session, account_id: uuid.UUID, since: date) -> tuple[float | None, float | None]:
    """Median and P90 business days of the account's holds removed after `since` (as the portfolio's)."""
    removed_after = datetime.combine(since + timedelta(days=1), time())
    removed_at = type_coerce(H.removed_at, DateTime)  # never None here (see the WHERE clause)
    rows = session.execute(
        select(H.placed_at, removed_at).where(H.account_id == account_id, H.removed_at >= removed_after)
    )
    days = sorted(hold_age_business_days(placed.date(), removed.date()) for placed, removed in rows)
    if not days:
        return None, None
    return quantile(days, 0.5), quantile(days, 0.9)


def event_figures(session: Session, account_id: uuid.UUID, since: date, today: date) -> dict[str, Any]:
    """Counts and amounts of the compliance events opened after `since`."""
    rows = session.execute(
        select(C.event_type, C.opened_on, C.responded_on, C.closed_on, C.proposed_cents)
        .add_columns(C.assessed_cents, C.mitigated_cents)
        .where(C.account_id == account_id, C.deleted_at.is_(None), C.opened_on > since)
    ).all()
    counts = Counter(ComplianceEventType(row.event_type) for row in rows)
    cf28_settled = cf28_on_time = 0
    for row in rows:
        if row.event_type != ComplianceEventType.CF28:
            continue
        due = compliance_due_date(ComplianceEventType.CF28, row.opened_on)
        assert due is not None  # CF-28s always have one
        if row.responded_on is not None or due < today:
            cf28_settled += 1
            cf28_on_time += row.responded_on is not None and row.responded_on <= due
    penalties = [row for row in rows if row.event_type in PENALTY_TYPES]
    return {
        "counts": counts,
        "cf28_answered_in_30_days": cf28_on_time / cf28_settled if cf28_settled else None,
        "protests_open": sum(
            1 for row in rows if row.event_type == ComplianceEventType.PROTEST and row.closed_on is None
        ),
        "penalties": len(penalties),
        "penalty_proposed_cents": sum(row.proposed_cents or 0 for row in penalties),
        "penalty_assessed_cents": sum(row.assessed_cents or 0 for row in penalties),
        "penalty_mitigated_cents": sum(row.mitigated_cents or 0 for row in penalties),
    }


def month_starts(today: date, months: int = MONTHS) -> list[date]:
    """The first days of the `months` calendar months ending with `today`'s, oldest first."""
    index = today.year * 12 + today.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def monthly_activity(session: Session, account_id: uuid.UUID, today: date) -> list[MonthActivity]:
    """Entries dated and holds placed per calendar month, over the 12 months ending with `today`'s."""
    months = month_starts(today)
    first = months[0]
    entry_days = session.execute(
        select(E.entry_date, func.count())
        .where(E.account_id == account_id, E.entry_date >= first, E.entry_date <= today)
        .group_by(E.entry_date)
    )
    entries: Counter[date] = Counter()
    for day, count in entry_days:
        entries[day.replace(day=1)] += count
    end = datetime.combine(today + timedelta(days=1), time())
    placed = session.scalars(
        select(H.placed_at).where(
            H.account_id == account_id, H.placed_at >= datetime.combine(first, time()), H.placed_at < end
        )
    )
    holds = Counter(moment.date().replace(day=1) for moment in placed)
    return [MonthActivity(month, entries[month], holds[month]) for month in months]


def account_kpis(session: Session, account_id: uuid.UUID, today: date) -> AccountKpis:
    """The account's figures for the 12 months ending `today` (the portfolio's window)."""
    since = window_start(today)
    figures = entry_figures(session, account_id, since)
    events = event_figures(session, account_id, since, today)
    counts: Counter[ComplianceEventType] = events.pop("counts")
    median, p90 = hold_days(session, account_id, since)
    entries, lines = figures["entries"], figures["lines"]
    cm_discrepancies = counts[ComplianceEventType.CM_DISCREPANCY]
    return AccountKpis(
        period_start=since + timedelta(days=1),
        period_end=today,
        entries=entries,
        lines=lines,
        entered_value_cents=figures["entered_value_cents"],
        duty_fees_cents=figures["duty_fees_cents"],
        exam_rate=exam_rate(figures["examined"], entries),
        hold_rate=figures["held"] / entries if entries else None,
        first_time_release=figures["clean"] / entries if entries else None,
        compliance_rate=compliance_rate(cm_discrepancies, lines, has_lines=lines > 0),
        hold_days_median=median,
        hold_days_p90=p90,
        cf28_count=counts[ComplianceEventType.CF28],
        cf29_proposed=counts[ComplianceEventType.CF29_PROPOSED],
        cf29_taken=counts[ComplianceEventType.CF29_TAKEN],
        psc_count=counts[ComplianceEventType.PSC],
        protests=counts[ComplianceEventType.PROTEST],
        **events,
    )


# --- holds ------------------------------------------------------------------------------------------------


def account_holds(session: Session, account_id: uuid.UUID, today: date) -> list[AccountHoldRow]:
    """Every hold of the account: open ones first (oldest first), then past ones, newest placed first."""
    is_open = case((H.removed_at.is_(None), 0), else_=1)
    open_key = case((H.removed_at.is_(None), H.placed_at), else_=None)
    rows = session.execute(
        select(H, PORT.name)
        .outerjoin(PORT, PORT.code == H.port_code)
        .where(H.account_id == account_id)
        .order_by(is_open, open_key, H.placed_at.desc(), H.id)
    )
    return [_hold_row(hold, port_name, today) for hold, port_name in rows]


def _hold_row(hold: orm.HoldRow, port_name: str | None, today: date) -> AccountHoldRow:
    category = HoldCategory(hold.category)
    placed = hold.placed_at.date()
    if hold.removed_at is None:
        clock = hold_clock(category, placed, today, notice_on=hold.detention_notice_on)
        dwell, threshold = clock.age_business_days, clock.state
    else:
        dwell, threshold = hold_age_business_days(placed, hold.removed_at.date()), None
    return AccountHoldRow(
        hold_id=hold.id,
        entry_number=entry_display(hold.entry_number),
        category=category,
        owner=HoldOwner(hold.owner),
        agency_code=hold.agency_code,
        port_code=hold.port_code,
        port_name=port_name or "",
        placed_at=hold.placed_at,
        removed_at=hold.removed_at,
        dwell_business_days=dwell,
        threshold=threshold,
        outcome=HoldOutcome(hold.outcome),
        disposition_code=hold.disposition_code,
        status_text=hold.status_text,
        exam_type=ExamType(hold.exam_type),
    )


# --- compliance events ------------------------------------------------------------------------------------


def compliance_events(session: Session, account_id: uuid.UUID, today: date) -> list[ComplianceEventLine]:
    """The account's live compliance events, newest opened first, with their due dates and due state."""
    rows = session.execute(
        select(C, CT.label, E.entry_date, E.liquidation_date)
        .outerjoin(CT, CT.code == C.event_type)
        .outerjoin(E, E.entry_number == C.entry_number)
        .where(C.account_id == account_id, C.deleted_at.is_(None))
        .order_by(C.opened_on.desc(), C.id.desc())
    )
    return [
        _event_line(event, label, entry_on, liquidation_on, today)
        for event, label, entry_on, liquidation_on in rows
    ]


def _event_line(
    event: orm.ComplianceEventRow,
    label: str | None,
    entry_on: date | None,
    liquidation_on: date | None,
    today: date,
) -> ComplianceEventLine:
    kind = ComplianceEventType(event.event_type)
    due = event.due_on or compliance_due_date(
        kind, event.opened_on, entry_date=entry_on, liquidation_date=liquidation_on
    )
    return ComplianceEventLine(
        event_id=event.id,
        event_type=kind,
        type_label=label or kind.value,
        reference=event.reference,
        entry_number=entry_display(event.entry_number) if event.entry_number else "",
        opened_on=event.opened_on,
        due_on=due,
        responded_on=event.responded_on,
        closed_on=event.closed_on,
        amount_cents=event.amount_cents,
        loss_of_revenue_cents=event.loss_of_revenue_cents,
        proposed_cents=event.proposed_cents,
        assessed_cents=event.assessed_cents,
        mitigated_cents=event.mitigated_cents,
        paid_cents=event.paid_cents,
        outcome=event.outcome,
        due_state=due_state(due, event.responded_on, event.closed_on, today),
    )


def due_state(due: date | None, responded: date | None, closed: date | None, today: date) -> DueState:
    if responded is not None or closed is not None:
        return "done"
    if due is None:
        return "open"
    if due < today:
        return "overdue"
    if due <= today + timedelta(days=RESPONSE_WINDOW_DAYS):
        return "due_soon"
    return "open"
