"""Search over account names, importer numbers, entry numbers and notes, on both backends."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from app.domain.errors import ValidationError
from app.domain.views import SearchHit
from app.services.search import search
from app.services.workspace import Workspace
from tests.store import factories as f


@dataclass(frozen=True)
class Data:
    societe: uuid.UUID
    blue: uuid.UUID
    entry: str  # canonical number of Société's entry
    note: uuid.UUID
    secret: uuid.UUID


@pytest.fixture
def data(workspace: Workspace) -> Data:
    with workspace.database.session() as s:
        societe = f.add_account(s, "Société Générale Imports", ["20-584410200"], dba="SGI Trading")
        blue = f.add_account(s, "Blue Ridge Textiles", ["123-45-6789"])
        gone = f.add_account(s, "Société Disparue", ["30-765432100"], deleted=True)
        entry = f.add_entry(s, societe, 1234567, date(2026, 11, 2), filer="ABC")
        f.add_entry(s, gone, 1234568, date(2026, 11, 2), filer="ABC")
        note = f.add_note(
            s, societe, "Detention notice received for the lithium batteries", datetime(2026, 11, 3, 9)
        )
        secret = f.add_note(
            s, blue, "Detention notice: informant says the invoices are forged", datetime(2026, 11, 4, 9),
            sensitive=True,
        )  # fmt: skip
        f.add_note(
            s, blue, "Detention notice withdrawn (deleted note)", datetime(2026, 11, 5, 9), deleted=True
        )
        f.add_note(s, gone, "Detention notice for the deleted account", datetime(2026, 11, 6, 9))
    return Data(societe, blue, entry, note, secret)


def kinds(hits: list[SearchHit]) -> list[tuple[str, str]]:
    return [(hit.kind, hit.title) for hit in hits]


def test_account_name_and_dba(workspace: Workspace, data: Data) -> None:
    hits = search(workspace, "générale imp")  # every word, as a prefix
    assert kinds(hits) == [("account", "Société Générale Imports")]
    assert (hits[0].account_id, hits[0].ref, hits[0].detail) == (
        data.societe,
        str(data.societe),
        "doing business as SGI Trading",
    )
    assert kinds(search(workspace, "sgi")) == [("account", "Société Générale Imports")]
    assert search(workspace, "générale textiles") == []  # both words must match


def test_diacritics_are_folded(workspace: Workspace, data: Data) -> None:
    # SQLite: FTS5 remove_diacritics; PostgreSQL: the ae_search configuration's unaccent dictionary.
    assert kinds(search(workspace, "societe")) == [("account", "Société Générale Imports")]
    assert kinds(search(workspace, "SOCIÉTÉ")) == [("account", "Société Générale Imports")]


@pytest.mark.parametrize("text", ["20-584410200", "20584410200", "20 5844 10200", "2058", "20-58"])
def test_importer_number_any_spelling_and_prefix(workspace: Workspace, data: Data, text: str) -> None:
    hits = [hit for hit in search(workspace, text) if hit.kind == "importer_number"]
    assert [(hit.title, hit.account_id, hit.ref) for hit in hits] == [
        ("20-584410200", data.societe, "20-584410200")
    ]


def test_ssn_based_importer_number_is_masked(workspace: Workspace, data: Data) -> None:
    hits = [hit for hit in search(workspace, "123-45-6789") if hit.kind == "importer_number"]
    assert [(hit.title, hit.ref, hit.account_id) for hit in hits] == [
        ("***-**-6789", "***-**-6789", data.blue)
    ]


@pytest.mark.parametrize("text", ["ABC-1234567-6", "abc12345676", "abc 1234567 6", "ABC-12345", "abc1234567"])
def test_entry_number_any_spelling_and_prefix(workspace: Workspace, data: Data, text: str) -> None:
    hits = [hit for hit in search(workspace, text) if hit.kind == "entry"]
    # ABC-1234568 belongs to the deleted account: only Société's entry is found
    assert [(hit.title, hit.ref, hit.account_id) for hit in hits] == [
        ("ABC-1234567-6", "ABC-1234567-6", data.societe)
    ]
    assert data.entry == "ABC12345676"


def test_notes_full_text(workspace: Workspace, data: Data) -> None:
    hits = search(workspace, "notice detention")  # any order
    assert {(hit.kind, hit.ref) for hit in hits} == {("note", str(data.note)), ("note", str(data.secret))}
    by_ref = {hit.ref: hit for hit in hits}
    visible, secret = by_ref[str(data.note)], by_ref[str(data.secret)]
    assert visible.account_name == "Société Générale Imports"
    assert "lithium batteries" in visible.detail
    assert visible.title.startswith("Note 2026-11-03")
    assert secret.detail == "sensitive note"  # a hit, but its text stays out
    assert all("forged" not in value for value in (secret.title, secret.detail, secret.ref))


def test_deleted_rows_are_never_found(workspace: Workspace, data: Data) -> None:
    assert search(workspace, "withdrawn") == []  # the tombstoned note
    assert search(workspace, "disparue") == []  # the tombstoned account
    assert search(workspace, "30-765432100") == []  # its importer number
    assert search(workspace, "deleted account") == []  # its notes


@pytest.mark.parametrize(
    "text", ['"', 'lith" OR "x', "AND", "NOT lithium", "(", "*", "lith*", "a:b", "o'brien", "\\"]
)
def test_query_syntax_is_never_an_error(workspace: Workspace, data: Data, text: str) -> None:
    search(workspace, text)  # user text is always taken literally


def test_word_prefix_and_limit(workspace: Workspace, data: Data) -> None:
    assert [hit.ref for hit in search(workspace, "lith")] == [str(data.note)]
    assert len(search(workspace, "detention", limit=1)) == 1
    assert search(workspace, "   ") == []
    with pytest.raises(ValidationError):
        search(workspace, "x", limit=0)
