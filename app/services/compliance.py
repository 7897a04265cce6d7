"""Compliance: the portfolio's CF-28s, CF-29s, protests, penalties, audits… in one list (DOMAIN.md §6)."""

from __future__ import annotations

from datetime import date

from app.domain.compliance import ComplianceFilter, ComplianceItem
from app.domain.errors import ValidationError
from app.services.workspace import Workspace
from app.store.queries import compliance as queries


def list_compliance(
    ws: Workspace, criteria: ComplianceFilter | None = None, *, today: date | None = None
) -> list[ComplianceItem]:
    """Live compliance events of live accounts matching `criteria` (default: all), as of `today` (default: the
    local date), which sets each event's state and days to due. Open events first, soonest due first."""
    criteria = criteria or ComplianceFilter()
    if criteria.due_within_days is not None and criteria.due_within_days < 0:
        raise ValidationError("the number of days must be zero or more", field="due_within_days")
    with ws.database.session() as session:
        return queries.list_compliance(session, today or date.today(), criteria)


def event_type_labels(ws: Workspace) -> dict[str, str]:
    """Every compliance event type's code and name (reference data), for a type filter."""
    with ws.database.session() as session:
        return queries.event_type_labels(session)
