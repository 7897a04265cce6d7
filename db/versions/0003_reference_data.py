"""Load the bundled reference data (Centers, ports, codes, countries).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Imported here so that listing revisions does not read the reference files.
    from app.store.reference_load import load_reference_data

    load_reference_data(op.get_bind())


def downgrade() -> None:
    # Reference rows are referenced by accounts and entries; they stay.
    pass
