"""Writing an account's own fields (name, segment, address, …) with the optimistic version check.

The mapper's `version` counter guards the flush too, but the check here comes first so that a person who
edited a stale copy gets a clear message instead of a driver error.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

from sqlalchemy.orm import Session

from app.domain.errors import ValidationError
from app.domain.model import Account
from app.store import orm
from app.store.queries.accounts import to_account
from app.store.queries.contacts import live_account

# The account columns a person may edit, in the order the form shows them.
EDITABLE_ACCOUNT_FIELDS = (
    "name",
    "dba",
    "industry_segment",
    "primary_hts_chapters",
    "risk_segment",
    "status",
    "city",
    "state",
    "country",
    "action_plan_summary",
)


def is_known_country(session: Session, alpha2: str) -> bool:
    return session.get(orm.CountryRow, alpha2) is not None


def update_account_fields(
    session: Session, account_id: uuid.UUID, values: Mapping[str, str], expected_version: int
) -> Account:
    """Set the given editable columns of a live account if it is still at `expected_version`."""
    row = live_account(session, account_id)
    if row.version != expected_version:
        raise ValidationError(
            f"{row.name} was changed elsewhere since it was opened (version {expected_version}, now "
            f"{row.version}): reload the account and make the change again",
            field="version",
        )
    unknown = set(values) - set(EDITABLE_ACCOUNT_FIELDS)
    if unknown:
        raise ValidationError(f"these account fields cannot be edited: {', '.join(sorted(unknown))}")
    changed = {key: value for key, value in values.items() if getattr(row, key) != value}
    for key, value in changed.items():
        setattr(row, key, value)
    if changed:
        row.created_by_import = False  # the AE has looked the account over: no longer "created by import"
        session.flush()
    return to_account(row)
