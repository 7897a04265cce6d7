"""Sync with a team server (docs/sync.md): the server's change counter, the laptop's outbox, conflicts.

- `sync_seq` on every table that replicates: on the team server (PostgreSQL) a trigger stamps each inserted or
  updated row from one sequence, after taking a transaction-level advisory lock, so stamps follow commit order
  and "every row with a stamp above my cursor" never misses a row committed late. A laptop keeps the stamp
  each row was pulled at. `sync_deletions` records hard-deleted rows (trade rows removed by an import undo)
  with a stamp from the same sequence; synced records are never hard-deleted (tombstones).
- `sync_outbox` (laptops): one row per synced record changed locally since the last push, with its values
  before the first such change (`base`, JSON; NULL for a record inserted locally), written by SQLite
  triggers so every writer (ORM, Core, imports) is captured. The triggers stay quiet while a pull applies
  the server's rows (`sync_state.applying`).
- `sync_conflicts`: a field that both sides changed since the base, with the three values.
- `sync_state`: one row (server, cursor, last sync, applying); `sync_scope`: the accounts pulled so far;
  `sync_pins`: accounts the AE pinned beyond their own.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# Records that sync both ways (UUID keys, version, tombstones), then trade rows that only flow down.
SYNCED = (
    "account_executives",
    "accounts",
    "importer_numbers",
    "partnership_statuses",
    "contacts",
    "notes",
    "compliance_events",
    "action_items",
)
TRADE_KEYS = {"entries": "entry_number", "holds": "id", "entry_lines": "id", "line_tariffs": "id"}
LOCK_KEY = 8_150_001  # the advisory lock that orders the stamps of concurrent writers


def upgrade() -> None:
    for name in (*SYNCED, *TRADE_KEYS):
        op.add_column(name, sa.Column("sync_seq", sa.BigInteger, nullable=True))
        op.create_index(f"ix_{name}_sync_seq", name, ["sync_seq"])
    op.create_table(
        "sync_outbox",
        sa.Column("table_name", sa.String(32), nullable=False),
        sa.Column("row_key", sa.String(40), nullable=False),
        sa.Column("base", sa.Text, nullable=True),
        sa.Column("queued_at", sa.DateTime, nullable=False, server_default=sa.func.current_timestamp()),
        sa.PrimaryKeyConstraint("table_name", "row_key", name=op.f("pk_sync_outbox")),
    )
    op.create_table(
        "sync_conflicts",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(32), nullable=False),
        sa.Column("row_key", sa.String(40), nullable=False),
        sa.Column("field", sa.String(64), nullable=False),
        sa.Column("base", sa.Text, nullable=True),
        sa.Column("mine", sa.Text, nullable=True),
        sa.Column("theirs", sa.Text, nullable=True),
        sa.Column("detected_at", sa.DateTime, nullable=False),
        sa.Column("resolved_at", sa.DateTime, nullable=True),
        sa.Column("resolution", sa.String(8), nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflicts")),
    )
    op.create_index("ix_sync_conflicts_row", "sync_conflicts", ["table_name", "row_key", "field"])
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column("server", sa.Text, nullable=False, server_default=""),
        sa.Column("cursor", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("last_sync_at", sa.DateTime, nullable=True),
        sa.Column("applying", sa.Integer, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.execute("INSERT INTO sync_state (id, server, cursor, applying) VALUES (1, '', 0, 0)")
    op.create_table(
        "sync_scope",
        sa.Column("account_id", sa.Uuid, nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_sync_scope")),
    )
    op.create_table(
        "sync_pins",
        sa.Column("account_id", sa.Uuid, nullable=False),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_sync_pins")),
    )
    op.create_table(
        "sync_deletions",
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("table_name", sa.String(32), nullable=False),
        sa.Column("row_key", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sync_deletions")),
    )
    if op.get_bind().dialect.name == "postgresql":
        _server_stamps()
    else:
        _outbox_triggers()


def _server_stamps() -> None:
    op.execute("CREATE SEQUENCE sync_seq")
    for name in (*SYNCED, *TRADE_KEYS):  # rows already on the server get their first stamp
        op.execute(f"UPDATE {name} SET sync_seq = nextval('sync_seq')")
    op.execute(
        "CREATE FUNCTION ae_sync_stamp() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"PERFORM pg_advisory_xact_lock({LOCK_KEY}); NEW.sync_seq := nextval('sync_seq'); RETURN NEW; END $$"
    )
    for name in (*SYNCED, *TRADE_KEYS):
        op.execute(
            f"CREATE TRIGGER {name}_sync_stamp BEFORE INSERT OR UPDATE ON {name} "
            "FOR EACH ROW EXECUTE FUNCTION ae_sync_stamp()"
        )
    # A row trigger's arguments are constants, so each table gets its own small function for its key.
    for name, key in TRADE_KEYS.items():
        op.execute(
            f"CREATE FUNCTION ae_sync_deleted_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"PERFORM pg_advisory_xact_lock({LOCK_KEY}); "
            "INSERT INTO sync_deletions (seq, table_name, row_key) "
            f"VALUES (nextval('sync_seq'), TG_TABLE_NAME, replace(OLD.{key}::text, '-', '')); "
            "RETURN OLD; END $$"
        )
        op.execute(
            f"CREATE TRIGGER {name}_sync_deleted AFTER DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION ae_sync_deleted_{name}()"
        )


def _outbox_triggers() -> None:
    bind = op.get_bind()
    quiet = "(SELECT applying FROM sync_state WHERE id = 1) = 0"
    for name in SYNCED:
        columns = [column["name"] for column in sa.inspect(bind).get_columns(name)]
        base = ", ".join(f"'{column}', OLD.{column}" for column in columns)
        op.execute(
            f"CREATE TRIGGER {name}_outbox_insert AFTER INSERT ON {name} WHEN {quiet} BEGIN "
            "INSERT OR IGNORE INTO sync_outbox (table_name, row_key, base) "
            f"VALUES ('{name}', NEW.id, NULL); END"
        )
        op.execute(
            f"CREATE TRIGGER {name}_outbox_update AFTER UPDATE ON {name} WHEN {quiet} BEGIN "
            f"INSERT OR IGNORE INTO sync_outbox (table_name, row_key, base) "
            f"VALUES ('{name}', OLD.id, json_object({base})); END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in (*SYNCED, *TRADE_KEYS):
            op.execute(f"DROP TRIGGER {name}_sync_stamp ON {name}")
        for name in TRADE_KEYS:
            op.execute(f"DROP TRIGGER {name}_sync_deleted ON {name}")
            op.execute(f"DROP FUNCTION ae_sync_deleted_{name}()")
        op.execute("DROP FUNCTION ae_sync_stamp()")
        op.execute("DROP SEQUENCE sync_seq")
    else:
        for name in SYNCED:
            op.execute(f"DROP TRIGGER {name}_outbox_insert")
            op.execute(f"DROP TRIGGER {name}_outbox_update")
    for table_name in ("sync_deletions", "sync_pins", "sync_scope", "sync_state"):
        op.drop_table(table_name)
    op.drop_index("ix_sync_conflicts_row", table_name="sync_conflicts")
    op.drop_table("sync_conflicts")
    op.drop_table("sync_outbox")
    for name in (*SYNCED, *TRADE_KEYS):
        op.drop_index(f"ix_{name}_sync_seq", table_name=name)
        op.drop_column(name, "sync_seq")
