"""What `imports undo` needs: who ran each import, a journal of the values an import overwrote, and a batch
marker on every trade row an import inserts.

- `import_batches.imported_by`: the AE who ran the import (CONTRACTS.md §4 "who and when").
- `import_changes`: one row per record an import inserted into a synced table (accounts, importer numbers,
  partnership statuses, account executives) or changed anywhere, with the values it had before (`before`,
  JSON; NULL when the import inserted it) and, for synced rows, the version the import left, so an undo can
  tell that someone edited the record since.
- `entry_lines.import_batch_id`, `line_tariffs.import_batch_id`: the batch that inserted the row. Trade rows
  are inserted by the million, so they are marked rather than journalled; no foreign key and no index (undo
  is rare and a scan of the column is cheap next to an index on every insert).
- `line_tariffs.entered_value_cents`: an ES-003 row is one line × tariff number, each with its own goods
  value; the line's value is the sum over its tariffs. Existing lines keep their value on their first tariff.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "import_batches",
        sa.Column("imported_by", sa.String(120), nullable=False, server_default=""),
    )
    op.create_table(
        "import_changes",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("batch_id", sa.Uuid, nullable=False),
        sa.Column("table_name", sa.String(32), nullable=False),
        sa.Column("row_key", sa.Text, nullable=False),
        sa.Column("before", sa.Text, nullable=True),
        sa.Column("after_version", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_changes")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["import_batches.id"], name=op.f("fk_import_changes_batch_id_import_batches")
        ),
    )
    op.create_index(op.f("ix_import_changes_batch_id"), "import_changes", ["batch_id"])
    op.add_column("entry_lines", sa.Column("import_batch_id", sa.Uuid, nullable=True))
    op.add_column("line_tariffs", sa.Column("import_batch_id", sa.Uuid, nullable=True))
    op.add_column(
        "line_tariffs",
        sa.Column("entered_value_cents", sa.BigInteger, nullable=False, server_default="0"),
    )
    op.execute(
        "UPDATE line_tariffs SET entered_value_cents = "
        "(SELECT entry_lines.entered_value_cents FROM entry_lines "
        "WHERE entry_lines.id = line_tariffs.line_id) "
        "WHERE ordinal = 1"
    )


def downgrade() -> None:
    op.drop_column("line_tariffs", "entered_value_cents")
    op.drop_column("line_tariffs", "import_batch_id")
    op.drop_column("entry_lines", "import_batch_id")
    op.drop_index("ix_import_changes_batch_id", table_name="import_changes")
    op.drop_table("import_changes")
    op.drop_column("import_batches", "imported_by")
