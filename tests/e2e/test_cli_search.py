"""`ae-workbench search`: accounts by name and by importer number in any spelling."""

from __future__ import annotations

import uuid

from tests.e2e.clirunner import Cli, KnownAccount, assert_ok

HIT_KEYS = ["kind", "account_id", "account_name", "title", "detail", "ref"]


def hits(cli: Cli, *args: str) -> list[dict[str, object]]:
    found = assert_ok(cli("search", *args, "--json")).json()
    assert isinstance(found, list)
    return found


def test_finds_an_account_by_name(demo_cli: Cli, known_account: KnownAccount) -> None:
    found = hits(demo_cli, known_account.name)
    assert known_account.id in {hit["account_id"] for hit in found}
    assert known_account.name in {hit["account_name"] for hit in found}


def test_finds_an_account_by_hyphenated_importer_number(demo_cli: Cli, known_account: KnownAccount) -> None:
    found = hits(demo_cli, known_account.ior_hyphenated)
    assert found, f"nothing found for {known_account.ior_hyphenated}"
    assert found[0]["account_id"] == known_account.id


def test_finds_an_account_by_compact_importer_number(demo_cli: Cli, known_account: KnownAccount) -> None:
    found = hits(demo_cli, known_account.ior.lower())
    assert known_account.id in {hit["account_id"] for hit in found}


def test_json_shape(demo_cli: Cli, known_account: KnownAccount) -> None:
    found = hits(demo_cli, known_account.name)
    for hit in found:
        assert list(hit) == HIT_KEYS
        assert isinstance(hit["kind"], str) and hit["kind"]
        uuid.UUID(str(hit["account_id"]))
        assert all(isinstance(hit[key], str) for key in ("account_name", "title", "detail"))


def test_limit(demo_cli: Cli, known_account: KnownAccount) -> None:
    assert len(hits(demo_cli, known_account.name[:3], "--limit", "1")) <= 1


def test_table_output(demo_cli: Cli, known_account: KnownAccount) -> None:
    result = assert_ok(demo_cli("search", known_account.name))
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["KIND", "MATCH", "ACCOUNT", "DETAIL"]
    assert any(known_account.name in line for line in lines[1:])


def test_nothing_found_is_not_an_error(demo_cli: Cli) -> None:
    assert hits(demo_cli, "zzqqxxnothingmatchesthis") == []
    result = assert_ok(demo_cli("search", "zzqqxxnothingmatchesthis"))
    assert "nothing found" in result.stdout
