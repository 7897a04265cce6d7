"""Accounts: find one by any of its names, and the portfolio with its aggregates."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from app.domain.errors import NotFoundError, ValidationError
from app.domain.importer_number import normalize_importer_number, parse_importer_number
from app.domain.model import Account
from app.domain.views import PortfolioRow
from app.services.workspace import Workspace
from app.store.queries import accounts as queries, metrics


def _as_uuid(ref: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(ref)
    except ValueError:
        return None


def _unknown_importer_number(ref: str) -> NotFoundError:
    try:
        number = parse_importer_number(ref)
    except ValidationError as exc:
        # The parser's messages never repeat the digits, so an SSN typed with a typo stays out of logs too.
        return NotFoundError(f"no account with importer number or id '{_redacted(ref)}' ({exc})")
    return NotFoundError(f"no account with importer number {number.masked}")


def _redacted(ref: str) -> str:
    """The reference with its digits hidden when it could be an SSN (9 digits), else as typed."""
    digits = sum(ch.isdigit() for ch in ref)
    return "*" * len(ref) if digits >= 5 else ref


def account_for_ref(session: Session, ref: str) -> Account:
    """`resolve_account` inside a session the caller already holds (used by other services)."""
    text = ref.strip()
    if not text:
        raise ValidationError("no account given: name it by one of its importer numbers or its id")
    account_id = _as_uuid(text)
    if account_id is not None:
        account = queries.account_by_id(session, account_id)
        if account is None:
            raise NotFoundError(f"no account with id {account_id}")
        return account
    account = queries.account_by_importer_number(session, normalize_importer_number(text))
    if account is None:
        raise _unknown_importer_number(text)
    return account


def resolve_account(ws: Workspace, ref: str) -> Account:
    """The live account named by `ref`: any importer number (any spelling: hyphens, spaces, case) or its id.

    Raises NotFoundError ("no account with importer number 20-584410200", "no account with id …").
    """
    with ws.database.session() as session:
        return account_for_ref(session, ref)


def list_portfolio(ws: Workspace, *, today: date | None = None) -> list[PortfolioRow]:
    """Every live account with its 12-month figures as of `today` (default: the local date), by name.

    The figures come from the metrics snapshot, refreshed first in the same transaction when trade data or the
    date changed since it was computed (under a second at the large scale; a few ms otherwise).
    """
    today = today or date.today()
    with ws.database.session() as session:
        metrics.ensure_account_metrics(session, today)
        return queries.portfolio_rows(session, today)


def refresh_metrics(ws: Workspace, *, today: date | None = None) -> None:
    """Recompute every account's 12-month metrics snapshot now, stale or not (benchmarks, after repairs)."""
    with ws.database.session() as session:
        metrics.refresh_account_metrics(session, today or date.today())
