"""Report timings for `make bench` (run.py): one account summary, 100 summaries in one PDF, a 100k-row
workbook.

Targets of the Reports issue: one summary ≤ 0.5 s; 100 summaries ≤ 30 s; the workbook writer within 1.2× of
a bare openpyxl write-only loop over the same rows, measured in the same run (reports_xlsx.py).
"""

from __future__ import annotations

import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import reports_xlsx

from app.services import accounts
from app.services.reports import ReportRequest, write_report
from app.services.workspace import Workspace

SUMMARY_TARGET_S = 0.5
BATCH_TARGET_S = 30.0
BATCH_SIZE = 100
WORKBOOK_ROWS = 100_000


def _summary_s(ws: Workspace, account_id: uuid.UUID, folder: Path, repeat: int) -> float:
    runs = []
    for attempt in range(repeat):
        request = ReportRequest("account", "pdf", account_ids=(account_id,))
        started = time.perf_counter()
        write_report(ws, request, folder / f"summary-{attempt}.pdf")
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def report_timings(ws: Workspace, account_id: uuid.UUID, repeat: int = 3) -> dict[str, Any]:
    batch_ids = tuple(row.account_id for row in accounts.list_portfolio(ws)[:BATCH_SIZE])
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        summary_s = _summary_s(ws, account_id, folder, repeat)
        started = time.perf_counter()
        write_report(ws, ReportRequest("account", "pdf", account_ids=batch_ids), folder / "batch.pdf")
        batch_s = time.perf_counter() - started
    return {
        "account_summary": {
            "median_s": round(summary_s, 3),
            "target_s": SUMMARY_TARGET_S,
            "within_target": summary_s <= SUMMARY_TARGET_S,
        },
        "summaries_100_one_pdf": {
            "accounts": len(batch_ids),
            "seconds": round(batch_s, 2),
            "target_s": BATCH_TARGET_S,
            "within_target": batch_s <= BATCH_TARGET_S,
        },
        "workbook_100k_rows": reports_xlsx.measure(WORKBOOK_ROWS, repeat=1),
    }
