"""The PDF writer: page furniture on every page, fonts embedded, CJK names, long tables, atomic writing.

Datasets are built by hand (no database). The PDFs are read back with poppler's command-line tools.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from app.reports import pdf as pdf_module, pdf_fonts
from app.reports.atomic import atomic_output
from app.reports.dataset import (
    Chart,
    ChartKind,
    Column,
    Fact,
    Facts,
    ReportDataset,
    RowStyle,
    Section,
    Series,
    Table,
    Text,
    ValueKind,
)
from app.reports.pdf import write_pdf, write_pdfs
from app.reports.pdf_format import fmt_timestamp, format_value

CJK_NAME = "株式会社トヨタ"
KOREAN_NAME = "삼성전자"
CHINESE_NAME = "华为技术"

COLUMNS = (
    Column("entry", "Entry number", ValueKind.TEXT, 14),
    Column("date", "Entry date", ValueKind.DATE, 10),
    Column("why", "Description", ValueKind.TEXT, 30),
    Column("value", "Entered value", ValueKind.MONEY, 12),
    Column("rate", "Exam rate", ValueKind.PERCENT, 8),
)


def _poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if os.environ.get("CI", "").lower() in {"true", "1"}:
            pytest.fail(f"{tool} (poppler-utils) is not installed: `make sysdeps` installs it")
        pytest.skip(f"{tool} (poppler-utils) is not installed")
    return found


def pdf_text(path: Path) -> str:
    return subprocess.run(
        [_poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pages_of(text: str) -> list[str]:
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


def entry_rows(count: int) -> list[tuple[object, ...]]:
    return [
        (f"ABC-{index:07d}-1", date(2026, 1, 1 + index % 28), f"Widgets {index}", index * 1001 - 5000, 0.125)
        for index in range(count)
    ]


def dataset(
    rows: int = 10, *, name: str = CJK_NAME, kind: str = "account", empty_text: str = "No open holds."
) -> ReportDataset:
    styles = [
        RowStyle.ALERT if index == 1 else RowStyle.WARNING if index == 2 else RowStyle.NORMAL
        for index in range(rows)
    ]
    return ReportDataset(
        kind=kind,
        title=f"Account summary: {name}",
        subtitle="IOR 12-3456789AB · Tier 2 · Validated",
        sections=[
            Section(
                "Account",
                [
                    Facts(
                        "Twelve months",
                        [
                            Fact("Importer", f"{name} & <Partners>"),
                            Fact("Duty paid", 123456789, ValueKind.MONEY, "up 3% on last year"),
                            Fact("Exam rate", 0.031, ValueKind.PERCENT),
                            Fact("Korean affiliate", KOREAN_NAME),
                            Fact("Chinese affiliate", CHINESE_NAME),
                        ],
                    )
                ],
            ),
            Section(
                "Activity",
                [
                    Chart(
                        "Entries by month",
                        ["01/2026", "02/2026", "03/2026"],
                        [Series("Entries", [10, 20, 15])],
                    ),
                    Chart(
                        "Exam rate",
                        ["Q1", "Q2"],
                        [Series("Account", [0.1, 0.2]), Series("Portfolio", [0.15, 0.15])],
                        ChartKind.LINE,
                    ),
                ],
            ),
            Section(
                "Entries",
                [
                    Table("Entry lines", COLUMNS, entry_rows(rows), styles),
                    Table("Open holds", COLUMNS, [], empty_text=empty_text),
                ],
            ),
            Section(
                "Notes", [Text("Notes", ["Broker said <b>&amp; =SUM(A1)\x00 \x07 fine.", "Second\nline"])]
            ),
        ],
        generated_at=datetime(2026, 11, 23, 15, 0),
        data_as_of=datetime(2026, 11, 22, 23, 5),
        generated_by="jdoe",
    )


def test_every_page_has_marking_times_and_page_numbers(tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    pages = write_pdf(dataset(rows=120), out)

    text = pdf_text(out)
    page_texts = pages_of(text)
    assert pages == len(page_texts) >= 3
    assert "Account summary: " + CJK_NAME in page_texts[0]
    assert "IOR 12-3456789AB" in page_texts[0]
    for number, page in enumerate(page_texts, start=1):
        assert page.count("CUI // LES") == 2, f"page {number}: marking at top and bottom"
        assert f"Page {number} of {pages}" in page
        assert re.search(r"Generated \d\d/\d\d/\d{4} \d\d:\d\d by jdoe", page)
        assert re.search(r"Data as of \d\d/\d\d/\d{4} \d\d:\d\d", page)


def test_text_values_and_empty_tables_print(tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    write_pdf(dataset(rows=3), out)

    text = pdf_text(out)
    for expected in (
        CJK_NAME,
        KOREAN_NAME,
        CHINESE_NAME,
        "<Partners>",
        "$1,234,567.89",
        "3.1%",
        "12.5%",
        "01/02/2026",
    ):
        assert expected in text, expected
    assert "-$50.00" in text  # a negative amount (-5000 cents)
    assert "No open holds." in text
    assert "Broker said <b>&amp; =SUM(A1)" in text  # markup characters printed literally


def test_custom_marking_and_missing_data_time(tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    write_pdf(replace(dataset(rows=2), marking="CUI // SP-TEST", data_as_of=None), out)

    page = pages_of(pdf_text(out))[0]
    assert page.count("CUI // SP-TEST") == 2
    assert "Data as of: no data yet" in page


def test_fonts_are_embedded(tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    write_pdf(dataset(rows=3), out)

    listing = subprocess.run(
        [_poppler("pdffonts"), str(out)], capture_output=True, text=True, check=True
    ).stdout
    fonts = listing.splitlines()[2:]
    names = {line.split()[0].split("+")[-1] for line in fonts}
    assert names == {pdf_fonts.REGULAR, pdf_fonts.BOLD, pdf_fonts.CJK, pdf_fonts.HANGUL}
    for line in fonts:
        embedded = line.split()[-5]
        assert embedded == "yes", line


@pytest.mark.slow
def test_long_table_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    rows = 20_000
    table = Table("Entry lines", COLUMNS, entry_rows(rows))
    report = ReportDataset(
        kind="compliance",
        title="Compliance history",
        subtitle="",
        sections=[Section("Lines", [table])],
        generated_at=datetime(2026, 11, 23, 15, 0),
        data_as_of=datetime(2026, 11, 22, 23, 5),
    )
    out = tmp_path / "long.pdf"
    pages = write_pdf(report, out)

    page_texts = pages_of(pdf_text(out))
    assert pages == len(page_texts) > 100
    for number, page in enumerate(page_texts, start=1):
        assert page.count("Entry number") == 1, f"page {number}: one header row, at the top"
    text = "".join(page_texts)
    assert "ABC-0000000-1" in text
    assert f"ABC-{rows - 1:07d}-1" in text
    assert len(re.findall(r"ABC-\d{7}-1", text)) == rows  # every row once, none lost or doubled at page ends


def test_accounts_in_one_file_count_their_own_pages(tmp_path: Path) -> None:
    out = tmp_path / "summaries.pdf"
    reports = [
        dataset(rows=90, name=CJK_NAME),
        dataset(rows=2, name="Acme Imports"),
        dataset(rows=1, name=KOREAN_NAME, kind="holds"),
    ]
    pages = write_pdfs(reports, out)

    page_texts = pages_of(pdf_text(out))
    assert pages == len(page_texts)
    starts = [index for index, page in enumerate(page_texts) if "Page 1 of" in page]
    assert len(starts) == 3
    assert "Acme Imports" in page_texts[starts[1]] and CJK_NAME not in page_texts[starts[1]]
    assert KOREAN_NAME in page_texts[starts[2]]
    first_total = starts[1] - starts[0]
    assert f"Page {first_total} of {first_total}" in page_texts[starts[1] - 1]
    last_total = len(page_texts) - starts[2]
    assert f"Page 1 of {last_total}" in page_texts[starts[2]]


def test_first_page_renders_ink(tmp_path: Path) -> None:
    image_module = pytest.importorskip("PIL.Image")
    out = tmp_path / "summary.pdf"
    write_pdf(dataset(rows=5), out)

    subprocess.run(
        [_poppler("pdftoppm"), "-png", "-r", "50", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
        check=True,
    )
    [png] = tmp_path.glob("page*.png")
    with image_module.open(png) as image:
        grey = image.convert("L")
        dark = sum(grey.point(lambda value: 255 if value < 128 else 0).histogram()[255:])
        width, height = grey.size
    assert width < height  # an account summary prints portrait
    assert dark > 2000  # title, facts, chart bars: far more than a blank or furniture-only page


def test_holds_report_prints_landscape(tmp_path: Path) -> None:
    out = tmp_path / "holds.pdf"
    write_pdf(dataset(rows=2, kind="holds"), out)

    info = subprocess.run([_poppler("pdfinfo"), str(out)], capture_output=True, text=True, check=True).stdout
    assert "792 x 612 pts" in info


def test_cancel_stops_and_leaves_no_file(tmp_path: Path) -> None:
    class Token:
        calls = 0

        def raise_if_cancelled(self) -> None:
            self.calls += 1
            if self.calls > 5:
                raise RuntimeError("cancelled")

    out = tmp_path / "summary.pdf"
    with pytest.raises(RuntimeError, match="cancelled"):
        write_pdf(dataset(rows=2000), out, cancel=Token())
    assert list(tmp_path.iterdir()) == []


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "summary.pdf"
    out.write_bytes(b"the earlier report")

    def broken(*args: object, **kwargs: object) -> list[object]:
        raise OSError("disk full")

    monkeypatch.setattr(pdf_module, "report_flowables", broken)
    with pytest.raises(OSError, match="disk full"):
        write_pdf(dataset(rows=2), out)
    assert out.read_bytes() == b"the earlier report"
    assert [path.name for path in tmp_path.iterdir()] == ["summary.pdf"]


def test_atomic_output_replaces_only_on_success(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    with atomic_output(target) as temp:
        assert temp.parent == tmp_path and temp != target
        temp.write_text("first")
    assert target.read_text() == "first"

    with pytest.raises(ValueError), atomic_output(target) as temp:
        temp.write_text("half written")
        raise ValueError("boom")
    assert target.read_text() == "first"
    assert [path.name for path in tmp_path.iterdir()] == ["report.xlsx"]


def test_markup_escapes_and_switches_fonts() -> None:
    assert pdf_fonts.markup("A & B <c>") == "A &amp; B &lt;c&gt;"
    marked = pdf_fonts.markup(f"Toyota {CJK_NAME} / {KOREAN_NAME}")
    assert f'<font name="{pdf_fonts.CJK}">{CJK_NAME}</font>' in marked
    assert f'<font name="{pdf_fonts.HANGUL}">{KOREAN_NAME}</font>' in marked
    assert marked.startswith("Toyota ")
    assert pdf_fonts.markup("a\x00b\nc") == "a b<br/>c"


@pytest.mark.parametrize(
    ("value", "kind", "expected"),
    [
        (123456, ValueKind.MONEY, "$1,234.56"),
        (-123456, ValueKind.MONEY, "-$1,234.56"),
        (0.125, ValueKind.PERCENT, "12.5%"),
        (4.26, ValueKind.DECIMAL, "4.3"),
        (12345, ValueKind.INTEGER, "12,345"),
        (date(2026, 3, 4), ValueKind.DATE, "03/04/2026"),
        (None, ValueKind.MONEY, ""),
        ("free text", ValueKind.TEXT, "free text"),
    ],
)
def test_format_value(value: object, kind: ValueKind, expected: str) -> None:
    assert format_value(value, kind) == expected  # type: ignore[arg-type]


def test_any_input_lays_out(tmp_path: Path) -> None:
    """Huge texts (a row cannot break across pages), odd chart values, short rows: cut or padded, no crash."""
    huge = "word " * 5000
    huge_cjk = CJK_NAME * 2000
    narrow = (Column("flag", "Flag", ValueKind.TEXT, 2), *COLUMNS)
    rows = [
        ("x", "ABC", None, huge, 5, 0.1),
        ("y", "DEF", None, huge_cjk),
        (huge_cjk, "GHI", None, "x" * 9000, 1, 0.2),
    ]
    report = ReportDataset(
        kind="holds",
        title="Odd input",
        subtitle="",
        sections=[
            Section(
                "Everything",
                [
                    Facts("Facts", [Fact(huge_cjk, huge, detail=huge_cjk), Fact("Empty", None)] * 3),
                    Table("Rows", narrow, rows),
                    Chart("Odd values", ["a", "b"], [Series("s", [float("nan"), float("inf")])]),
                    Chart("Nothing", [], []),
                    Table("No columns", [], []),
                    Text("Long", [huge]),
                ],
            )
        ],
        generated_at=datetime(2026, 11, 23, 15, 0),
        data_as_of=None,
        generated_by=huge,
    )
    out = tmp_path / "odd.pdf"
    pages = write_pdf(report, out)

    text = pdf_text(out)
    assert pages == len(pages_of(text)) > 1
    assert "more characters)" in text
    assert "No data to chart." in text


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset (POSIX)")
def test_times_print_in_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:
        assert fmt_timestamp(datetime(2026, 11, 23, 15, 0)) == "11/23/2026 10:00"  # EST, UTC-5
        assert fmt_timestamp(datetime(2026, 7, 1, 15, 0)) == "07/01/2026 11:00"  # EDT, UTC-4
    finally:
        monkeypatch.undo()
        time.tzset()
