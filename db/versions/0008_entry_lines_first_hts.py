"""`entry_lines.first_hts_number`: the HTS number of the line's first tariff row (lowest ordinal, then id),
kept on the line by the writers of tariffs (the import and the demo generator), with an index ending in the
Entries grid's tie-break. Sorting the whole portfolio's lines by HTS was a correlated lookup per line (~2 s
over 1M lines); with the column it is an index walk like the other line sorts of migration 0006.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEX = "ix_entry_lines_first_hts"


def upgrade() -> None:
    op.add_column("entry_lines", sa.Column("first_hts_number", sa.String(10), nullable=True))
    op.execute(
        "UPDATE entry_lines SET first_hts_number = (SELECT line_tariffs.hts_number FROM line_tariffs "
        "WHERE line_tariffs.line_id = entry_lines.id ORDER BY line_tariffs.ordinal, line_tariffs.id LIMIT 1)"
    )
    op.create_index(INDEX, "entry_lines", ["first_hts_number", "entry_number", "line_number"], unique=False)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="entry_lines")
    op.drop_column("entry_lines", "first_hts_number")
