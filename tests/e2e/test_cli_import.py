"""`ae-workbench import`, `imports list` and `imports undo` (CONTRACTS.md §2 and §4), run as a subprocess.

The four sample extracts are read from tests/data/samples, treated as read-only: every run sends its
error workbooks (`--errors-to`) into the test's tmp_path. The samples are imported once per module into a
template database that the tests copy.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.clirunner import Cli, Result, assert_ok, assert_one_error

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
SAMPLE_ORDER = ("holds", "compliance", "entries", "accounts")  # deliberately against the dependencies
KIND_ORDER = ["accounts", "entries", "holds", "compliance"]
RESULT_KEYS = [
    "file",
    "kind",
    "rows",
    "inserted",
    "updated",
    "unchanged",
    "skipped",
    "accounts_created",
    "batch_id",
    "dry_run",
    "errors",
    "warnings",
]
BATCH_KEYS = [
    "id",
    "imported_at",
    "imported_by",
    "kind",
    "file",
    "sha256",
    "rows",
    "inserted",
    "updated",
    "unchanged",
    "skipped",
    "accounts_created",
    "undone_at",
]
IMPORTER = "J. Rivera"
AS_IMPORTER = {"AE_WORKBENCH_USER": IMPORTER}
BAD_ROW = 8  # file row (header = 1) whose entry number gets a wrong check digit


def sample_rows(kind: str) -> int:
    with (SAMPLES / f"{kind}.csv").open(newline="", encoding="utf-8") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def json_lines(result: Result) -> list[dict[str, Any]]:
    """`import --json`: one object per line and nothing else on stdout."""
    lines = result.stdout.splitlines()
    objects = [json.loads(line) for line in lines]
    assert all(isinstance(item, dict) for item in objects)
    return objects


def import_json(cli: Cli, errors_to: Path, *files: Path | str, extra: tuple[str, ...] = ()) -> Result:
    errors_to.mkdir(exist_ok=True)
    return cli("import", *map(str, files), "--json", "--errors-to", str(errors_to), *extra, env=AS_IMPORTER)


def stats(cli: Cli) -> dict[str, int]:
    counts = assert_ok(cli("stats", "--json")).json()
    assert isinstance(counts, dict)
    return counts


def batches(cli: Cli) -> list[dict[str, Any]]:
    listed = assert_ok(cli("imports", "list", "--json")).json()
    assert isinstance(listed, list)
    return listed


def expected_check_digit() -> str:
    """The true check digit of the entry number on row BAD_ROW of the entries sample."""
    line = (SAMPLES / "entries.csv").read_text(encoding="utf-8").splitlines()[BAD_ROW - 1]
    return line.split(",", 1)[0][-1]


def with_bad_entry_number(tmp_path: Path) -> Path:
    """The entries sample with one wrong check digit, on file row BAD_ROW."""
    lines = (SAMPLES / "entries.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    number, rest = lines[BAD_ROW - 1].split(",", 1)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    lines[BAD_ROW - 1] = f"{wrong},{rest}"
    path = tmp_path / "entries-bad.csv"
    path.write_text("".join(lines), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def samples_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """A database holding the four samples, imported in one command; and that command's JSON objects."""
    root = tmp_path_factory.mktemp("import-samples")
    cli = Cli(root / "data", root / "samples.sqlite3")
    files = [SAMPLES / f"{kind}.csv" for kind in SAMPLE_ORDER]
    objects = json_lines(assert_ok(import_json(cli, root / "errors", *files)))
    return root / "samples.sqlite3", objects


@pytest.fixture
def samples_cli(cli: Cli, samples_template: tuple[Path, list[dict[str, Any]]], tmp_path: Path) -> Cli:
    """The CLI on a private copy of the database holding the four samples."""
    template = samples_template[0]
    path = tmp_path / "samples.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        source = template.with_name(template.name + suffix)
        if source.exists():
            shutil.copyfile(source, path.with_name(path.name + suffix))
    return cli.on(path)


@pytest.fixture
def empty_cli(cli: Cli, tmp_path: Path) -> Cli:
    return cli.on(tmp_path / "empty.sqlite3")


# --- importing ----------------------------------------------------------------------------------------------


def test_samples_import_sorted_by_kind(samples_template: tuple[Path, list[dict[str, Any]]]) -> None:
    _, objects = samples_template
    assert [item["kind"] for item in objects] == KIND_ORDER
    assert [item["file"] for item in objects] == [f"{kind}.csv" for kind in KIND_ORDER]
    for item in objects:
        assert list(item) == RESULT_KEYS
        assert item["errors"] == []
        assert item["rows"] == sample_rows(item["kind"])
        assert item["inserted"] == item["rows"]
        assert (item["updated"], item["unchanged"], item["skipped"]) == (0, 0, 0)
        assert item["dry_run"] is False
        assert isinstance(item["batch_id"], str) and item["batch_id"]
    assert objects[1]["accounts_created"] == 0  # the roster came first


def test_samples_fill_the_database_and_reimport_changes_nothing(samples_cli: Cli, tmp_path: Path) -> None:
    counts = stats(samples_cli)
    assert counts["accounts"] == sample_rows("accounts")
    assert counts["entry_lines"] == sample_rows("entries")
    assert counts["holds"] == sample_rows("holds")
    assert counts["compliance_events"] == sample_rows("compliance")
    files = [SAMPLES / f"{kind}.csv" for kind in KIND_ORDER]
    again = json_lines(assert_ok(import_json(samples_cli, tmp_path / "errors", *files)))
    assert [(item["inserted"], item["updated"]) for item in again] == [(0, 0)] * 4
    assert [item["unchanged"] for item in again] == [sample_rows(kind) for kind in KIND_ORDER]
    after = stats(samples_cli)
    assert {k: v for k, v in after.items() if k != "import_batches"} == {
        k: v for k, v in counts.items() if k != "import_batches"
    }


def test_bad_entry_number_rejects_the_file_only(empty_cli: Cli, tmp_path: Path) -> None:
    bad = with_bad_entry_number(tmp_path)
    errors_to = tmp_path / "errors"
    result = import_json(empty_cli, errors_to, bad, SAMPLES / "accounts.csv")
    assert result.returncode == 1, result.stderr
    accounts, entries = json_lines(result)
    assert (accounts["kind"], accounts["inserted"], accounts["errors"]) == ("accounts", 5, [])
    assert entries["kind"] == "entries" and entries["batch_id"] is None
    error = entries["errors"][0]
    assert (error["row"], error["column"]) == (BAD_ROW, "entry_number")
    assert error["message"].endswith(f"check digit should be {expected_check_digit()}")
    counts = stats(empty_cli)
    assert (counts["accounts"], counts["entries"], counts["entry_lines"]) == (5, 0, 0)
    assert list(errors_to.glob("*-errors.xlsx")), "the rejected rows go to a workbook in --errors-to"
    assert not list(SAMPLES.glob("*-errors.xlsx"))


def test_rejected_file_in_words(empty_cli: Cli, tmp_path: Path) -> None:
    bad = with_bad_entry_number(tmp_path)
    result = empty_cli("import", str(bad), "--errors-to", str(tmp_path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nothing written: fix the errors or use --skip-invalid" in result.stdout
    line = f"error: entries-bad.csv row {BAD_ROW}, entry_number: entry number "
    assert result.stderr.startswith(line)
    assert result.stderr.rstrip().endswith(f"check digit should be {expected_check_digit()}")
    assert stats(empty_cli)["entry_lines"] == 0


def test_skip_invalid_writes_the_good_rows(empty_cli: Cli, tmp_path: Path) -> None:
    bad = with_bad_entry_number(tmp_path)
    result = assert_ok(import_json(empty_cli, tmp_path / "errors", bad, extra=("--skip-invalid",)))
    (entries,) = json_lines(result)
    good = sample_rows("entries") - 1
    assert (entries["rows"], entries["inserted"], entries["skipped"]) == (good + 1, good, 1)
    assert entries["errors"][0]["row"] == BAD_ROW
    assert entries["accounts_created"] == 5  # no roster: the importers become accounts
    assert stats(empty_cli)["entry_lines"] == good


def test_dry_run_writes_nothing(empty_cli: Cli, tmp_path: Path) -> None:
    before = stats(empty_cli)
    result = assert_ok(
        import_json(empty_cli, tmp_path / "errors", SAMPLES / "entries.csv", extra=("--dry-run",))
    )
    (entries,) = json_lines(result)
    assert entries["dry_run"] is True and entries["batch_id"] is None
    assert entries["inserted"] == sample_rows("entries")
    assert stats(empty_cli) == before
    words = assert_ok(empty_cli("import", str(SAMPLES / "accounts.csv"), "--dry-run"))
    assert "dry run: nothing written" in words.stdout
    assert stats(empty_cli) == before


def test_a_dry_run_of_the_four_samples_checks_holds_against_the_entries_file(
    empty_cli: Cli, tmp_path: Path
) -> None:
    before = stats(empty_cli)
    files = [SAMPLES / f"{kind}.csv" for kind in SAMPLE_ORDER]
    result = assert_ok(import_json(empty_cli, tmp_path / "errors", *files, extra=("--dry-run",)))
    objects = json_lines(result)
    assert [item["kind"] for item in objects] == KIND_ORDER
    assert all(item["errors"] == [] and item["dry_run"] for item in objects)
    assert [item["inserted"] for item in objects] == [sample_rows(kind) for kind in KIND_ORDER]
    assert stats(empty_cli) == before


def test_summary_in_words(empty_cli: Cli, tmp_path: Path) -> None:
    result = assert_ok(empty_cli("import", str(SAMPLES / "accounts.csv"), "--errors-to", str(tmp_path)))
    (line,) = result.stdout.splitlines()
    assert line.startswith("accounts.csv: 5 rows — 5 inserted, 0 updated, 0 unchanged (batch ")
    again = assert_ok(empty_cli("import", str(SAMPLES / "accounts.csv"), "--errors-to", str(tmp_path)))
    assert again.stdout == "accounts.csv: 5 rows — 0 inserted, 0 updated, 5 unchanged; nothing changed\n"
    assert result.stderr == ""


# --- files that cannot be imported: exit 2, one line, nothing written ---------------------------------------


def test_binary_garbage_named_csv(empty_cli: Cli, tmp_path: Path) -> None:
    garbage = tmp_path / "holds.csv"
    garbage.write_bytes(bytes(range(256)) * 64)
    result = empty_cli("import", str(garbage), "--json")
    assert_one_error(result, 2, contains="holds.csv")
    assert result.stdout == ""
    # With --kind too the file is looked at before anything is written.
    accounts = str(SAMPLES / "accounts.csv")
    result = empty_cli("import", accounts, str(garbage), "--kind", "accounts", "--errors-to", str(tmp_path))
    assert_one_error(result, 2, contains="holds.csv")
    assert stats(empty_cli)["accounts"] == 0


def test_a_file_that_breaks_part_way_is_rolled_back_and_the_next_file_goes_on(
    empty_cli: Cli, tmp_path: Path
) -> None:
    """An entries file whose last row is not UTF-8 (the reader finds out only there): exit 2 and one line for
    it, none of its rows written; the accounts file given with it is imported."""
    broken = tmp_path / "entries.csv"
    text = (SAMPLES / "entries.csv").read_bytes()
    blank_rows = b"\n" * 80_000  # past the part the encoding is guessed from
    broken.write_bytes(text + blank_rows + "K7X-0004106-7,01,20-584410200,Soci\xe9t\xe9\n".encode("cp1252"))
    result = empty_cli("import", str(SAMPLES / "accounts.csv"), str(broken), "--errors-to", str(tmp_path))
    assert result.returncode == 2, result.stderr
    assert_one_error(result, 2, contains="entries.csv")
    counts = stats(empty_cli)
    assert (counts["accounts"], counts["entries"], counts["import_batches"]) == (5, 0, 1)


def test_unknown_kind_is_a_usage_error(empty_cli: Cli) -> None:
    assert_one_error(empty_cli("import", str(SAMPLES / "holds.csv"), "--kind", "notes"), 2, contains="--kind")


def test_header_fitting_no_kind_stops_before_writing(empty_cli: Cli, tmp_path: Path) -> None:
    stray = tmp_path / "contacts.csv"
    stray.write_text("Name,Phone\nAna,555-0100\n", encoding="utf-8")
    result = empty_cli("import", str(SAMPLES / "accounts.csv"), str(stray), "--errors-to", str(tmp_path))
    assert_one_error(result, 2, contains="contacts.csv")
    assert result.stdout == ""
    assert stats(empty_cli)["accounts"] == 0


def test_missing_file(empty_cli: Cli, tmp_path: Path) -> None:
    assert_one_error(empty_cli("import", str(tmp_path / "nowhere.csv")), 2, contains="nowhere.csv")


# --- imports list / undo ------------------------------------------------------------------------------------


def test_imports_list(samples_cli: Cli, samples_template: tuple[Path, list[dict[str, Any]]]) -> None:
    _, objects = samples_template
    listed = batches(samples_cli)
    assert [batch["kind"] for batch in listed] == list(reversed(KIND_ORDER))  # newest first
    assert [batch["id"] for batch in listed] == [item["batch_id"] for item in reversed(objects)]
    for batch in listed:
        assert list(batch) == BATCH_KEYS
        assert batch["file"] == f"{batch['kind']}.csv"
        assert batch["imported_by"] == IMPORTER
        assert batch["undone_at"] is None
        assert batch["inserted"] == batch["rows"] == sample_rows(batch["kind"])
        assert "T" in batch["imported_at"]
    table = assert_ok(samples_cli("imports", "list")).stdout.splitlines()
    assert table[0].split()[:3] == ["ID", "WHEN", "(UTC)"]
    assert len(table) == 5
    assert listed[0]["id"] in table[1] and "compliance.csv" in table[1] and "active" in table[1]


def test_undo_in_reverse_order_restores_the_counts(samples_cli: Cli) -> None:
    ids = {batch["kind"]: batch["id"] for batch in batches(samples_cli)}
    refused = samples_cli("imports", "undo", ids["entries"])  # the holds batch still stands on it
    assert_one_error(refused, 1, contains="holds.csv")
    for kind in ("compliance", "holds", "entries"):
        done = assert_ok(samples_cli("imports", "undo", ids[kind][:23]))  # a unique prefix will do
        assert done.stdout.startswith(f"undid batch {ids[kind]} ({kind}.csv): ")
        assert "removed" in done.stdout
    counts = stats(samples_cli)
    assert {k: v for k, v in counts.items() if v} == {
        "accounts": 5,
        "importer_numbers": 5,
        "import_batches": 4,
    }
    listed = {batch["kind"]: batch for batch in batches(samples_cli)}
    assert [kind for kind, batch in listed.items() if batch["undone_at"] is None] == ["accounts"]
    assert "undone" in assert_ok(samples_cli("imports", "list")).stdout
    assert_one_error(samples_cli("imports", "undo", ids["holds"]), 1, contains="already undone")


def test_undo_of_the_roster(empty_cli: Cli, tmp_path: Path) -> None:
    (accounts,) = json_lines(assert_ok(import_json(empty_cli, tmp_path, SAMPLES / "accounts.csv")))
    assert_ok(empty_cli("imports", "undo", accounts["batch_id"]))
    assert (stats(empty_cli)["accounts"], stats(empty_cli)["importer_numbers"]) == (0, 0)


def test_undo_of_an_unknown_batch_is_exit_2(samples_cli: Cli) -> None:
    assert_one_error(samples_cli("imports", "undo", "00000000-0000-0000-0000-000000000000"), 2)


# --- the printed words, without a subprocess ----------------------------------------------------------------


def test_issue_lines_are_capped(capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli.commands.import_output import MAX_PRINTED_ERRORS, print_human_result
    from app.domain.enums import ImportKind
    from app.domain.import_rows import Issue
    from app.services.importing.results import ImportResult

    result = ImportResult("entries.csv", ImportKind.ENTRIES, rows=500)
    for row in range(2, 302):
        result.add(Issue(row, "entry_number", "check digit should be 6", "error"))
    result.add(Issue(0, "Broker Ref", "unknown column ignored", "warning"))
    print_human_result(result, skip_invalid=False)
    out, err = capsys.readouterr()
    assert out == (
        "entries.csv: 500 rows, 300 errors, 1 warning — "
        "nothing written: fix the errors or use --skip-invalid\n"
    )
    lines = err.splitlines()
    assert len(lines) == MAX_PRINTED_ERRORS + 2
    assert lines[0] == "error: entries.csv row 2, entry_number: check digit should be 6"
    assert lines[MAX_PRINTED_ERRORS] == f"error: entries.csv: … and {300 - MAX_PRINTED_ERRORS} more errors"
    assert lines[-1] == "warning: entries.csv header, Broker Ref: unknown column ignored"


def test_exit_status_of_a_file() -> None:
    from app.cli.commands.imports import file_status
    from app.domain.enums import ImportKind
    from app.domain.import_rows import Issue
    from app.services.importing.results import ImportResult

    def result(*, errors: int, taken: int, dry_run: bool = False) -> ImportResult:
        made = ImportResult("holds.csv", ImportKind.HOLDS, dry_run=dry_run, unchanged=taken)
        for row in range(errors):
            made.add(Issue(row + 2, "placed_at", "required", "error"))
        return made

    assert file_status(result(errors=0, taken=0), skip_invalid=False) == 0
    assert file_status(result(errors=2, taken=0), skip_invalid=False) == 1  # all-or-nothing
    assert file_status(result(errors=2, taken=3), skip_invalid=True) == 0  # the good rows were taken
    assert file_status(result(errors=2, taken=0), skip_invalid=True) == 1  # no good row
    assert file_status(result(errors=0, taken=3, dry_run=True), skip_invalid=False) == 0
    assert file_status(result(errors=1, taken=3, dry_run=True), skip_invalid=True) == 1
