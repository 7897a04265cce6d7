"""Account 360: what an account view shows about one account, each tab's data in one transaction."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from app.domain.errors import NotFoundError
from app.domain.views import AccountCompliance, AccountHeader, AccountHolds, AccountOverview, HistoryLine
from app.services.workspace import Workspace
from app.store import audit
from app.store.queries import account360 as queries


def _require_account(session: Session, account_id: uuid.UUID) -> AccountHeader:
    header = queries.account_header(session, account_id)
    if header is None:
        raise NotFoundError("That account no longer exists: it may have been deleted.")
    return header


def account_header(ws: Workspace, account_id: uuid.UUID) -> AccountHeader:
    """Name, importer numbers, Center, AEs and current program statuses; NotFoundError for a deleted one."""
    with ws.database.session() as session:
        return _require_account(session, account_id)


def account_overview(ws: Workspace, account_id: uuid.UUID, today: date | None = None) -> AccountOverview:
    """The 12-month figures ending `today` (default: the local date) and the per-month series."""
    day = today or date.today()
    with ws.database.session() as session:
        _require_account(session, account_id)
        return AccountOverview(
            kpis=queries.account_kpis(session, account_id, day),
            months=tuple(queries.monthly_activity(session, account_id, day)),
        )


def account_holds(ws: Workspace, account_id: uuid.UUID, today: date | None = None) -> AccountHolds:
    """Every hold of the account, open ones first, dwell and clock state as of `today`."""
    day = today or date.today()
    with ws.database.session() as session:
        _require_account(session, account_id)
        return AccountHolds(today=day, holds=tuple(queries.account_holds(session, account_id, day)))


def account_compliance(ws: Workspace, account_id: uuid.UUID, today: date | None = None) -> AccountCompliance:
    """The account's compliance events with due states as of `today`, and its partnership status history."""
    day = today or date.today()
    with ws.database.session() as session:
        _require_account(session, account_id)
        return AccountCompliance(
            today=day,
            events=tuple(queries.compliance_events(session, account_id, day)),
            history=tuple(queries.partnership_history(session, account_id)),
        )


def account_history(ws: Workspace, account_id: uuid.UUID) -> list[HistoryLine]:
    """The account's audit trail, newest first: every change to it and to its importer numbers, contacts,
    partnership statuses, notes, action items and compliance events, with who made it and when."""
    with ws.database.session() as session:
        _require_account(session, account_id)
        return audit.account_history(session, account_id)
