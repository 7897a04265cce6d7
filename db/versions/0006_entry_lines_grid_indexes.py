"""Indexes for the Entries grid over the whole portfolio: one per sortable column, each ending in the grid's
tie-break (entry number, then line number), so a page in any order is an index walk instead of a sort of
1M lines. Entry-level columns index `entries`; the lines of each entry then come in line order through the
(entry_number, line_number) unique index.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ENTRY_INDEXES = {
    "ix_entries_date_number": ["entry_date", "entry_number"],
    "ix_entries_type_number": ["entry_type", "entry_number"],
    "ix_entries_port_number": ["port_of_entry", "entry_number"],
    "ix_entries_mode_number": ["mode_of_transport", "entry_number"],
    "ix_entries_release_number": ["release_date", "entry_number"],
}
LINE_INDEXES = {
    "ix_entry_lines_country": ["country_of_origin", "entry_number", "line_number"],
    "ix_entry_lines_mid": ["mid", "entry_number", "line_number"],
    "ix_entry_lines_value": ["entered_value_cents", "entry_number", "line_number"],
    "ix_entry_lines_duty": ["duty_cents", "entry_number", "line_number"],
    "ix_entry_lines_line_number": ["line_number", "entry_number"],
}


def upgrade() -> None:
    for name, columns in ENTRY_INDEXES.items():
        op.create_index(name, "entries", columns, unique=False)
    for name, columns in LINE_INDEXES.items():
        op.create_index(name, "entry_lines", columns, unique=False)


def downgrade() -> None:
    for name in LINE_INDEXES:
        op.drop_index(name, table_name="entry_lines")
    for name in ENTRY_INDEXES:
        op.drop_index(name, table_name="entries")
