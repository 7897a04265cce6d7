"""Editing account fields: validation, normalisation, version conflicts and undo, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest

from app.domain.enums import AccountStatus, RiskSegment
from app.domain.errors import NotFoundError, ValidationError
from app.services import account_edit as service
from app.services.accounts import resolve_account
from app.services.search import search
from app.services.workspace import Workspace
from tests.store import factories as f


@pytest.fixture
def account_id(workspace: Workspace) -> uuid.UUID:
    with workspace.database.session() as s:
        return f.add_account(s, "Acme Imports LLC", ["12-3456789AB"], dba="Acme")


def test_update_writes_normalised_values_and_bumps_the_version(
    workspace: Workspace, account_id: uuid.UUID
) -> None:
    before = service.get_account(workspace, account_id)
    changes = {
        "name": " Acme Global Imports LLC ",
        "dba": "",
        "industry_segment": "Consumer electronics",
        "primary_hts_chapters": "85, 84;8 85",
        "risk_segment": RiskSegment.HIGH,
        "status": "inactive",
        "city": "Long Beach",
        "state": "CA",
        "country": "us",
        "action_plan_summary": "Quarterly meetings; assist review",
    }
    account = service.update_account(workspace, account_id, changes, before.version)
    assert account.version == before.version + 1
    assert account.name == "Acme Global Imports LLC"
    assert account.primary_hts_chapters == "85 84 08"
    assert (account.risk_segment, account.status) == (RiskSegment.HIGH, AccountStatus.INACTIVE)
    assert (account.city, account.state, account.country, account.dba) == ("Long Beach", "CA", "US", "")
    assert service.get_account(workspace, account_id) == account
    assert resolve_account(workspace, "12-3456789AB").name == "Acme Global Imports LLC"


def test_nothing_changed_keeps_the_version(workspace: Workspace, account_id: uuid.UUID) -> None:
    before = service.get_account(workspace, account_id)
    after = service.update_account(workspace, account_id, {"name": "Acme Imports LLC"}, before.version)
    assert after == before


def test_a_stale_version_is_a_clear_conflict(workspace: Workspace, account_id: uuid.UUID) -> None:
    first = service.get_account(workspace, account_id)
    service.update_account(workspace, account_id, {"city": "Reno"}, first.version)
    with pytest.raises(ValidationError, match="changed elsewhere") as caught:
        service.update_account(workspace, account_id, {"city": "Elko"}, first.version)
    assert caught.value.field == "version"
    assert service.get_account(workspace, account_id).city == "Reno"


def test_undo_is_the_old_values_at_the_new_version(workspace: Workspace, account_id: uuid.UUID) -> None:
    before = service.get_account(workspace, account_id)
    edited = service.update_account(workspace, account_id, {"name": "New", "country": "MX"}, before.version)
    undone = service.update_account(
        workspace, account_id, {"name": before.name, "country": before.country}, edited.version
    )
    assert (undone.name, undone.country, undone.version) == (before.name, "US", before.version + 2)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "needs a name"),
        ({"primary_hts_chapters": "84 100"}, "primary_hts_chapters", "not an HTS chapter"),
        ({"primary_hts_chapters": "00"}, "primary_hts_chapters", "does not exist"),
        ({"primary_hts_chapters": "77"}, "primary_hts_chapters", "reserved"),
        ({"primary_hts_chapters": "8471"}, "primary_hts_chapters", "not an HTS chapter"),
        ({"primary_hts_chapters": "ch 84"}, "primary_hts_chapters", "not an HTS chapter"),
        ({"risk_segment": "extreme"}, "risk_segment", "unknown risk segment"),
        ({"status": "closed"}, "status", "unknown status"),
        ({"country": "USA"}, "country", "2 letters"),
        ({"country": "XX"}, "country", "unknown country code XX"),
        ({"city": "c" * 81}, "city", "too long"),
        ({"center_code": "PHC"}, "center_code", "cannot be edited"),
        ({"name": 12}, "name", "must be text"),
    ],
)
def test_invalid_changes_name_the_field_and_write_nothing(
    workspace: Workspace, account_id: uuid.UUID, changes: dict, field: str, message: str
) -> None:
    before = service.get_account(workspace, account_id)
    with pytest.raises(ValidationError, match=message) as caught:
        service.update_account(workspace, account_id, {"city": "Reno", **changes}, before.version)
    assert caught.value.field == field
    assert service.get_account(workspace, account_id) == before


def test_validate_returns_the_stored_form(workspace: Workspace) -> None:
    checked = service.validate_account_changes(workspace, {"primary_hts_chapters": "9 ,85", "country": "de"})
    assert checked == {"primary_hts_chapters": "09 85", "country": "DE"}


def test_deleted_or_unknown_accounts_are_not_found(workspace: Workspace) -> None:
    with workspace.database.session() as s:
        gone = f.add_account(s, "Gone Trading", deleted=True)
    for account_id in (gone, uuid.uuid4()):
        with pytest.raises(NotFoundError):
            service.update_account(workspace, account_id, {"name": "x"}, 1)
        with pytest.raises(NotFoundError):
            service.get_account(workspace, account_id)


def test_a_renamed_account_is_found_by_its_new_name(workspace: Workspace, account_id: uuid.UUID) -> None:
    version = service.get_account(workspace, account_id).version
    service.update_account(workspace, account_id, {"name": "Zanzibar Spice Traders"}, version)
    assert [hit.account_id for hit in search(workspace, "Zanzibar")] == [account_id]
