"""The reference data an import is checked against, read from the workspace's reference tables."""

from __future__ import annotations

from app.domain.import_rules_base import Reference
from app.services.workspace import Workspace
from app.store.queries.import_reference import import_reference


def load_reference(ws: Workspace) -> Reference:
    """Ports, countries, codes and spellings from the database, as `validate_row` expects them."""
    with ws.database.session() as session:
        return import_reference(session)
