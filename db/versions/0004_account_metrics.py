"""account_metrics: the cached per-account 12-month figures behind the portfolio grid.

A derived table (see `app.store.queries.metrics`): it starts empty and is filled the first time the portfolio
is shown, so this migration copies no data.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_metrics",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("entered_value_cents", sa.BigInteger(), nullable=False),
        sa.Column("duty_cents", sa.BigInteger(), nullable=False),
        sa.Column("exam_entries", sa.Integer(), nullable=False),
        sa.Column("held_entries", sa.Integer(), nullable=False),
        sa.Column("cm_discrepancies", sa.Integer(), nullable=False),
        sa.Column("cf28_count", sa.Integer(), nullable=False),
        sa.Column("hold_days_median", sa.Float(), nullable=True),
        sa.Column("hold_days_p90", sa.Float(), nullable=True),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_account_metrics_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_metrics")),
    )


def downgrade() -> None:
    op.drop_table("account_metrics")
    # The trade data version and the snapshot's fingerprint only describe this table.
    op.execute("DELETE FROM meta WHERE key IN ('trade_data_version', 'account_metrics_fingerprint')")
