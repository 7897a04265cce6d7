"""Editing an account's own fields: validated, version-checked, one transaction.

Undo is the same call with the old values and the version the edit produced, so an edit made elsewhere in
between is never overwritten silently.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from enum import Enum

from sqlalchemy.orm import Session

from app.domain.enums import AccountStatus, RiskSegment
from app.domain.errors import NotFoundError, ValidationError
from app.domain.identifiers import normalize_country
from app.domain.model import Account
from app.services.workspace import Workspace
from app.store.queries import account_edit as queries
from app.store.queries.accounts import account_by_id

EDITABLE_FIELDS = queries.EDITABLE_ACCOUNT_FIELDS
# Column sizes of `accounts` (orm.AccountRow): longer text would fail on PostgreSQL only.
MAX_LENGTHS = {"name": 200, "dba": 200, "industry_segment": 120, "primary_hts_chapters": 120, "city": 80}
MAX_LENGTHS["state"] = 40
# HTS chapters 01-99 exist except 77, reserved for future use (DOMAIN.md §4.4).
RESERVED_CHAPTERS = frozenset({77})
_CHAPTER_SEPARATORS = re.compile(r"[\s,;]+")


def normalize_hts_chapters(text: str) -> str:
    """ "84, 85;90" -> "84 85 90": two-digit chapters, space separated as stored, duplicates dropped."""
    chapters: list[str] = []
    for token in _CHAPTER_SEPARATORS.split(text.strip()):
        if not token:
            continue
        if not token.isascii() or not token.isdigit() or len(token) > 2:
            raise ValidationError(f"{token!r} is not an HTS chapter (01 to 99)", field="primary_hts_chapters")
        number = int(token)
        if not 1 <= number <= 99:
            raise ValidationError(
                f"HTS chapter {token} does not exist (01 to 99)", field="primary_hts_chapters"
            )
        if number in RESERVED_CHAPTERS:
            raise ValidationError(f"HTS chapter {number} is reserved", field="primary_hts_chapters")
        if f"{number:02d}" not in chapters:
            chapters.append(f"{number:02d}")
    return " ".join(chapters)


def _enum_value(enum: type[Enum], key: str, value: object) -> str:
    try:
        return str(enum(value).value)
    except ValueError:
        known = ", ".join(str(member.value) for member in enum)
        raise ValidationError(
            f"unknown {key.replace('_', ' ')} {value!r}: use one of {known}", field=key
        ) from None


def _checked_value(session: Session, key: str, value: object) -> str:
    if key == "risk_segment":
        return _enum_value(RiskSegment, key, value)
    if key == "status":
        return _enum_value(AccountStatus, key, value)
    if not isinstance(value, str):
        raise ValidationError(f"{key.replace('_', ' ')} must be text", field=key)
    text = value.strip()
    if key == "name" and not text:
        raise ValidationError("an account needs a name", field="name")
    if key == "primary_hts_chapters":
        text = normalize_hts_chapters(text)
    if key == "country":
        try:
            text = normalize_country(text)
        except ValidationError as exc:
            raise ValidationError(str(exc), field="country") from None
        if not queries.is_known_country(session, text):
            raise ValidationError(f"unknown country code {text} (ISO 3166-1 alpha-2)", field="country")
    limit = MAX_LENGTHS.get(key)
    if limit is not None and len(text) > limit:
        raise ValidationError(f"{key.replace('_', ' ')} is too long (at most {limit} characters)", field=key)
    return text


def _checked(session: Session, changes: Mapping[str, object]) -> dict[str, str]:
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(
            f"these account fields cannot be edited: {', '.join(unknown)}", field=unknown[0]
        )
    return {key: _checked_value(session, key, changes[key]) for key in EDITABLE_FIELDS if key in changes}


def validate_account_changes(ws: Workspace, changes: Mapping[str, object]) -> dict[str, str]:
    """The changes as they would be stored, or ValidationError(message, field=...) for the first problem."""
    with ws.database.session() as session:
        return _checked(session, changes)


def update_account(
    ws: Workspace, account_id: uuid.UUID, changes: Mapping[str, object], expected_version: int
) -> Account:
    """Apply `changes` (editable field -> new value) to the live account if it is still at
    `expected_version`; returns the account as stored (with its new version when anything changed)."""
    with ws.database.session() as session:
        return queries.update_account_fields(
            session, account_id, _checked(session, changes), expected_version
        )


def get_account(ws: Workspace, account_id: uuid.UUID) -> Account:
    """The live account (for the edit form); NotFoundError when it is gone."""
    with ws.database.session() as session:
        account = account_by_id(session, account_id)
    if account is None:
        raise NotFoundError(f"account {account_id} not found (it may have been deleted)")
    return account
