"""`write_report`: which files a request writes, batches, progress and cancelling (both backends)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from app.domain.errors import ValidationError
from app.reports.dataset import ReportDataset
from app.services import reports
from app.services.progress import Cancelled, CancelToken
from app.services.reports import ReportRequest, summary_file_name, write_report
from app.services.workspace import Workspace
from tests.store.factories import add_account, add_entry

Written = list[tuple[str, Path, ReportDataset]]


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Written:
    """The writers replaced by fakes that record what they were given and write a few bytes."""
    calls: Written = []

    def fake_write(dataset: ReportDataset, fmt: str, out: Path, cancel: CancelToken | None) -> None:
        calls.append((fmt, out, dataset))
        out.write_bytes(b"%PDF-fake")

    def fake_combined(datasets: list[ReportDataset], out: Path, cancel: CancelToken | None) -> None:
        calls.extend(("pdfs", out, dataset) for dataset in datasets)
        out.write_bytes(b"%PDF-fake")

    monkeypatch.setattr(reports, "_write", fake_write)
    monkeypatch.setattr(reports, "_write_combined_pdf", fake_combined)
    return calls


def two_accounts(workspace: Workspace, second: str = "Beta Traders") -> tuple[uuid.UUID, uuid.UUID]:
    with workspace.database.session() as session:
        return add_account(session, 'Acme/Imports: "East"'), add_account(session, second)


def test_one_file_per_account_in_a_folder(workspace: Workspace, tmp_path: Path, written: Written) -> None:
    ids = two_accounts(workspace, second='Acme/Imports: "East"')
    progress: list[tuple[int, int, str]] = []
    folder = tmp_path / "summaries"
    request = ReportRequest("account", "pdf", account_ids=ids, one_file_per_account=True)
    paths = write_report(workspace, request, folder, progress=lambda d, t, m: progress.append((d, t, m)))
    assert [path.name for path in paths] == [
        "Acme_Imports_ _East_ summary.pdf",
        "Acme_Imports_ _East_ summary (2).pdf",
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(path.name for path in paths)
    assert [(fmt, dataset.kind) for fmt, _out, dataset in written] == [("pdf", "account"), ("pdf", "account")]
    assert [(done, total) for done, total, _message in progress] == [(0, 2), (1, 2), (2, 2)]


def test_several_accounts_in_one_pdf(workspace: Workspace, tmp_path: Path, written: Written) -> None:
    ids = two_accounts(workspace)
    out = tmp_path / "both.pdf"
    assert write_report(workspace, ReportRequest("account", "pdf", account_ids=ids), out) == [out]
    assert [(fmt, dataset.title) for fmt, _out, dataset in written] == [
        ("pdfs", 'Acme/Imports: "East"'),
        ("pdfs", "Beta Traders"),
    ]


def test_cancel_between_accounts_leaves_nothing(
    workspace: Workspace, tmp_path: Path, written: Written
) -> None:
    ids = two_accounts(workspace)
    token = CancelToken()
    folder = tmp_path / "summaries"

    def cancel_after_first(done: int, total: int, message: str) -> None:
        if done == 1:
            token.cancel()

    request = ReportRequest("account", "pdf", account_ids=ids, one_file_per_account=True)
    with pytest.raises(Cancelled):
        write_report(workspace, request, folder, progress=cancel_after_first, cancel=token)
    assert len(written) == 1  # the first file was written, then removed
    assert not folder.exists()


def test_requests_that_cannot_be_written(workspace: Workspace, tmp_path: Path, written: Written) -> None:
    ids = two_accounts(workspace)
    for request in (
        ReportRequest("account", "xlsx", account_ids=ids[:1]),
        ReportRequest("account", "pdf"),
        ReportRequest("compliance", "pdf", account_ids=ids),
        ReportRequest("holds", "csv"),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValidationError):
            write_report(workspace, request, tmp_path / "out")
    assert written == []


def test_single_reports_pass_their_format(workspace: Workspace, tmp_path: Path, written: Written) -> None:
    ids = two_accounts(workspace)
    write_report(workspace, ReportRequest("portfolio", "xlsx"), tmp_path / "p.xlsx")
    write_report(workspace, ReportRequest("holds", "pdf", min_age_days=5), tmp_path / "h.pdf")
    write_report(workspace, ReportRequest("compliance", "xlsx", account_ids=ids[1:]), tmp_path / "c.xlsx")
    assert [(fmt, dataset.kind) for fmt, _out, dataset in written] == [
        ("xlsx", "portfolio"),
        ("pdf", "holds"),
        ("xlsx", "compliance"),
    ]
    assert written[1][2].filters[0].value == 5


def test_summary_file_names_are_safe() -> None:
    taken: set[str] = set()
    assert summary_file_name("A<B>C?", taken) == "A_B_C_ summary.pdf"
    assert summary_file_name("a<b>c?", taken) == "a_b_c_ summary (2).pdf"
    assert summary_file_name("...", taken) == "Account summary.pdf"


def test_real_writers(workspace: Workspace, tmp_path: Path) -> None:
    """The real PDF and workbook writers on a small account: files exist, no temporary file is left."""
    with workspace.database.session() as session:
        account_id = add_account(session, "Quiet Co", ["98-7654321-00"])
        add_entry(session, account_id, 1, date.today())
    folder = tmp_path / "out"
    folder.mkdir()
    pdf = write_report(
        workspace, ReportRequest("account", "pdf", account_ids=(account_id,)), folder / "a.pdf"
    )
    book = write_report(workspace, ReportRequest("portfolio", "xlsx"), folder / "p.xlsx")
    assert pdf[0].read_bytes().startswith(b"%PDF")
    workbook = openpyxl.load_workbook(book[0], read_only=True)
    sheets = workbook.sheetnames
    workbook.close()
    assert {"Accounts", "Open holds", "Entries", "Compliance events", "Follow-ups"} <= set(sheets)
    assert sorted(p.name for p in folder.iterdir()) == ["a.pdf", "p.xlsx"]


def test_only_the_portfolio_pdf_drops_its_workbook_only_tables() -> None:
    from datetime import datetime

    from app.reports.dataset import Column, ReportDataset, Section, Table
    from app.services.report_builders.portfolio import WORKBOOK_ONLY_SHEETS, for_pdf

    def dataset(kind: str) -> ReportDataset:
        tables = [
            Table(sheet, [Column("a", "A")], [("x",)], sheet=sheet) for sheet in ("Accounts", "Open holds")
        ]
        return ReportDataset(kind, "T", "", [Section("S", tables)], datetime(2026, 11, 23), None)

    assert "Open holds" in WORKBOOK_ONLY_SHEETS
    assert [t.sheet for t in for_pdf(dataset("portfolio")).tables()] == ["Accounts"]
    assert [t.sheet for t in for_pdf(dataset("account")).tables()] == ["Accounts", "Open holds"]
