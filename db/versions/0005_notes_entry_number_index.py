"""Index notes by entry number: the held-shipments board's "last action" and the account's entry view find the
notes that name an entry without scanning every note.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_notes_entry_number", "notes", ["entry_number"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_notes_entry_number", table_name="notes")
