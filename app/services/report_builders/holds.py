"""The open holds report: every open hold of the portfolio, oldest first, optionally only those at least
`min_age_days` old.

Ages are business days, as on the held-shipments board and the Today cards (DOMAIN.md §5.6: holds are triaged
by age in business days), so `--min-age 5` lists what the "past 5 business days" card counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy.orm import Session

from app.domain.enums import ThresholdState
from app.domain.views import OpenHoldRow
from app.reports.dataset import Chart, Fact, Facts, ReportDataset, Section, Series, ValueKind
from app.services.report_builders import common, labels
from app.services.report_builders.common import Stamp
from app.store.queries import holdboard

K = ValueKind
PAGE = 500  # ids per row query: well under every driver's bound-parameter limit


def open_holds_oldest_first(
    session: Session, stamp: Stamp, min_age_days: int | None = None
) -> list[OpenHoldRow]:
    """The board's rows, oldest first (ties by entry), aged as of `stamp.today`; young ones left out."""
    ids = holdboard.open_hold_ids(session, sort="age", descending=True, today=stamp.today)
    rows: list[OpenHoldRow] = []
    for start in range(0, len(ids), PAGE):
        rows += holdboard.open_hold_rows(session, ids[start : start + PAGE], today=stamp.today)
    if min_age_days:
        rows = [row for row in rows if row.age_business_days >= min_age_days]
    return rows


def threshold_chart(rows: Sequence[OpenHoldRow]) -> Chart:
    counts = Counter(row.threshold for row in rows)
    states = list(ThresholdState)
    return Chart(
        "Open holds by threshold",
        [labels.THRESHOLD_LABELS[state] for state in states],
        [Series("Open holds", [float(counts[state]) for state in states])],
    )


def build_holds(session: Session, stamp: Stamp, min_age_days: int | None = None) -> ReportDataset:
    rows = open_holds_oldest_first(session, stamp, min_age_days)
    age_filter = f"{min_age_days} business days or older" if min_age_days else "All open holds"
    past_decision = sum(1 for row in rows if row.threshold != ThresholdState.OK)
    summary = Facts(
        "Summary",
        [
            Fact("Holds listed", len(rows), K.INTEGER, detail=age_filter),
            Fact("Accounts", len({row.account_id for row in rows}), K.INTEGER),
            Fact("Past a threshold", past_decision, K.INTEGER, detail="decision, notice or exclusion due"),
            Fact("Oldest placed", min((row.placed_at for row in rows), default=None), K.DATETIME),
        ],
    )
    table = common.board_holds_table(rows, title="Open holds, oldest first")
    return ReportDataset(
        kind="holds",
        title="Open holds",
        subtitle=age_filter,
        sections=[Section("Open holds", [summary, threshold_chart(rows), table])],
        generated_at=stamp.generated_at,
        data_as_of=stamp.data_as_of,
        generated_by=stamp.generated_by,
        marking=stamp.marking,
        filters=(
            Fact("Minimum age (business days)", min_age_days, K.INTEGER),
            Fact("As of", stamp.today, K.DATE),
        ),
    )
