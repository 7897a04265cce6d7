"""`ae-workbench note add` and `ae-workbench notes`."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.e2e.clirunner import Cli, KnownAccount, assert_ok, assert_one_error

NOTE_KEYS = ["id", "created_at", "author", "kind", "text", "follow_up"]
UNKNOWN_IOR = "98-7654321AB"  # a valid EIN-based number the demo portfolio does not use


def notes(cli: Cli, account: str) -> list[dict[str, object]]:
    listed = assert_ok(cli("notes", account, "--json")).json()
    assert isinstance(listed, list)
    return listed


def test_added_note_is_listed_first(demo_cli: Cli, known_account: KnownAccount) -> None:
    text = "Called the broker about the FDA hold; they will send the invoice."
    added = assert_ok(
        demo_cli(
            "note", "add", known_account.ior_hyphenated, text, "--kind", "call", "--follow-up", "2031-01-15"
        )
    )
    assert added.stdout.count("\n") == 1
    assert "2031-01-15" in added.stdout
    listed = notes(demo_cli, known_account.ior_hyphenated)
    first = listed[0]
    assert list(first) == NOTE_KEYS
    assert (first["text"], first["kind"], first["follow_up"]) == (text, "call", "2031-01-15")
    assert str(uuid.UUID(str(first["id"]))) in added.stdout
    created = datetime.fromisoformat(str(first["created_at"]))
    created = created if created.tzinfo else created.replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - created) < timedelta(minutes=5)
    assert isinstance(first["author"], str)


def test_note_without_follow_up_has_null(demo_cli: Cli, known_account: KnownAccount) -> None:
    assert_ok(demo_cli("note", "add", known_account.ior, "Plain note"))
    first = notes(demo_cli, known_account.ior)[0]
    assert (first["text"], first["kind"], first["follow_up"]) == ("Plain note", "note", None)


def test_account_named_by_id_or_any_importer_number_spelling(
    demo_cli: Cli, known_account: KnownAccount
) -> None:
    assert_ok(demo_cli("note", "add", known_account.id, "By id", "--kind", "email"))
    by_id = notes(demo_cli, known_account.id)
    assert by_id[0]["text"] == "By id"
    assert notes(demo_cli, known_account.ior) == by_id
    assert notes(demo_cli, known_account.ior_hyphenated.lower()) == by_id


def test_notes_are_newest_first(demo_cli: Cli, known_account: KnownAccount) -> None:
    for text in ("first", "second", "third"):
        assert_ok(demo_cli("note", "add", known_account.ior, text))
    listed = notes(demo_cli, known_account.ior)
    assert [note["text"] for note in listed[:3]] == ["third", "second", "first"]
    stamps = [str(note["created_at"]) for note in listed]
    assert stamps == sorted(stamps, reverse=True)


def test_table_output(demo_cli: Cli, known_account: KnownAccount) -> None:
    assert_ok(demo_cli("note", "add", known_account.ior, "Visit\nplanned", "--kind", "visit"))
    lines = assert_ok(demo_cli("notes", known_account.ior)).stdout.splitlines()
    assert lines[0].split()[:2] == ["CREATED", "(UTC)"]
    assert "Visit planned" in lines[1] and "visit" in lines[1]


def test_unknown_account_is_exit_2(demo_cli: Cli) -> None:
    before = assert_ok(demo_cli("stats", "--json")).json()
    assert_one_error(demo_cli("note", "add", UNKNOWN_IOR, "hello"), 2)
    assert_one_error(demo_cli("notes", UNKNOWN_IOR), 2)
    assert assert_ok(demo_cli("stats", "--json")).json() == before


def test_blank_text_is_rejected(demo_cli: Cli, known_account: KnownAccount) -> None:
    before = assert_ok(demo_cli("stats", "--json")).json()
    assert_one_error(demo_cli("note", "add", known_account.ior, "   "), 1)
    assert assert_ok(demo_cli("stats", "--json")).json() == before


def test_bad_kind_and_date_are_usage_errors(demo_cli: Cli, known_account: KnownAccount) -> None:
    for extra in (["--kind", "fax"], ["--follow-up", "2031-02-30"]):
        result = demo_cli("note", "add", known_account.ior, "x", *extra)
        assert result.returncode == 2
        assert len(result.stderr.splitlines()) == 1
