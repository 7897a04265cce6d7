"""The Today screen: the AE's workload as of a day, from a few aggregate queries in one transaction."""

from __future__ import annotations

from datetime import date

from app.domain.today import TodaySummary
from app.services.workspace import Workspace
from app.store.queries import today as queries


def today_summary(ws: Workspace, *, today: date | None = None) -> TodaySummary:
    """The KPI counts and chart series as of `today` (default: the local date)."""
    day = today or date.today()
    with ws.database.session() as session:
        total, past_decision, past_exclusion, buckets = queries.hold_counts(session, day)
        due_soon, overdue = queries.response_counts(session, day)
        return TodaySummary(
            today=day,
            open_holds=total,
            holds_past_decision=past_decision,
            holds_past_exclusion=past_exclusion,
            responses_due_soon=due_soon,
            responses_overdue=overdue,
            overdue_follow_ups=queries.overdue_follow_ups(session, day),
            accounts_without_contact=queries.accounts_without_contact(session, day),
            age_buckets=tuple(buckets),
            holds_by_port=tuple(queries.holds_by_port(session)),
            weekly=tuple(queries.weekly_placed_released(session, day)),
        )
