"""The audit trail: who changed what on an account, field by field, kept for good.

`audit_log` gets one row per changed field of an account, an importer number, a contact, a partnership status,
a note, an action item or a compliance event (old and new value as text), and one row per record created
(`insert`, the record's fields as JSON in `new_value`) or removed (`delete`, in `old_value`). Database
triggers write it, so every writer is captured (the GUI, the CLI, imports and their undo, a sync push on the
team server) without any caller remembering to.

- SQLite: who is `meta.audit_user` (the workbench sets it when it opens the file); the triggers stay quiet
  while a pull or the demo generator writes (`sync_state.applying`, as for the outbox): those rows are not an
  edit made on this laptop.
- PostgreSQL: who is the session's `ae.user` setting (a push sets it to the laptop's AE), else the database
  login; quiet while `ae.quiet` is on (the demo generator). Each table has its own function comparing its
  columns as text.

Bookkeeping columns (`id`, `version`, `created_at`, `updated_at`, `sync_seq`) are not audited.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

AUDITED = (
    "accounts",
    "importer_numbers",
    "contacts",
    "partnership_statuses",
    "notes",
    "action_items",
    "compliance_events",
)
BOOKKEEPING = ("id", "version", "created_at", "updated_at", "sync_seq")
COLUMNS = "id, changed_at, changed_by, account_id, table_name, row_key, action, field, old_value, new_value"


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=120), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("row_key", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("field", sa.String(length=64), nullable=False),
        sa.Column("old_value", sa.Text(), nullable=True),
        sa.Column("new_value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index("ix_audit_log_account", "audit_log", ["account_id", "changed_at"])
    if op.get_bind().dialect.name == "postgresql":
        _postgres_triggers()
    else:
        _sqlite_triggers()


def downgrade() -> None:
    for name in AUDITED:
        if op.get_bind().dialect.name == "postgresql":
            op.execute(f"DROP TRIGGER {name}_audit ON {name}")
            op.execute(f"DROP FUNCTION ae_audit_{name}()")
        else:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER {name}_audit_{event}")
    op.drop_index("ix_audit_log_account", table_name="audit_log")
    op.drop_table("audit_log")


def _content_columns(name: str) -> list[str]:
    columns = [column["name"] for column in sa.inspect(op.get_bind()).get_columns(name)]
    return [column for column in columns if column not in BOOKKEEPING]


QUIET = "(SELECT applying FROM sync_state WHERE id = 1) = 0"
# As SQLAlchemy stores a DateTime on SQLite: microseconds, six digits.
NOW = "strftime('%Y-%m-%d %H:%M:%S', 'now') || substr(strftime('%f', 'now'), 3) || '000'"
WHO = "coalesce((SELECT value FROM meta WHERE key = 'audit_user'), '')"


def _sqlite_triggers() -> None:
    for name in AUDITED:
        fields = _content_columns(name)
        for statement in _sqlite_statements(name, fields):
            op.execute(statement)


def _sqlite_statements(name: str, fields: list[str]) -> list[str]:
    def row_values(row: str, action: str, old: str, new: str, field: str = "''") -> str:
        account = f"{row}.id" if name == "accounts" else f"{row}.account_id"
        return (
            f"lower(hex(randomblob(16))), {NOW}, {WHO}, {account}, '{name}', {row}.id, "
            f"'{action}', {field}, {old}, {new}"
        )

    def as_json(row: str) -> str:
        return "json_object(" + ", ".join(f"'{field}', {row}.{field}" for field in fields) + ")"

    changes = " UNION ALL ".join(
        f"SELECT '{field}' AS f, OLD.{field} AS o, NEW.{field} AS n" for field in fields
    )
    inserted = row_values("NEW", "insert", "NULL", as_json("NEW"))
    deleted = row_values("OLD", "delete", as_json("OLD"), "NULL")
    return [
        f"CREATE TRIGGER {name}_audit_insert AFTER INSERT ON {name} WHEN {QUIET} BEGIN "
        f"INSERT INTO audit_log ({COLUMNS}) VALUES ({inserted}); END",
        f"CREATE TRIGGER {name}_audit_update AFTER UPDATE ON {name} WHEN {QUIET} BEGIN "
        f"INSERT INTO audit_log ({COLUMNS}) SELECT {row_values('NEW', 'update', 'c.o', 'c.n', 'c.f')} "
        f"FROM ({changes}) AS c WHERE c.o IS NOT c.n; END",
        f"CREATE TRIGGER {name}_audit_delete AFTER DELETE ON {name} WHEN {QUIET} BEGIN "
        f"INSERT INTO audit_log ({COLUMNS}) VALUES ({deleted}); END",
    ]


def _postgres_function(name: str, fields: list[str]) -> str:
    """The table's own trigger function: its columns compared one by one as text (a whole-row `to_jsonb`
    twice per update costs more than the update of a note itself)."""
    account = "id" if name == "accounts" else "account_id"
    changes = ", ".join(f"('{field}', OLD.{field}::text, NEW.{field}::text)" for field in fields)
    skip = "ARRAY[" + ", ".join(f"'{column}'" for column in BOOKKEEPING) + "]::text[]"
    insert = f"INSERT INTO audit_log ({COLUMNS})"
    return f"""
CREATE FUNCTION ae_audit_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  who text := coalesce(nullif(current_setting('ae.user', true), ''), session_user);
  at timestamp := timezone('utc', clock_timestamp());
BEGIN
  IF current_setting('ae.quiet', true) = 'on' THEN RETURN NULL; END IF;  -- the demo generator: nobody's edit
  IF TG_OP = 'UPDATE' THEN
    {insert}
      SELECT gen_random_uuid(), at, who, NEW.{account}, '{name}', replace(NEW.id::text, '-', ''), 'update',
             c.f, c.o, c.n
      FROM (VALUES {changes}) AS c(f, o, n) WHERE c.o IS DISTINCT FROM c.n;
  ELSIF TG_OP = 'INSERT' THEN
    {insert} VALUES (gen_random_uuid(), at, who, NEW.{account}, '{name}', replace(NEW.id::text, '-', ''),
      'insert', '', NULL, (to_jsonb(NEW) - {skip})::text);
  ELSE
    {insert} VALUES (gen_random_uuid(), at, who, OLD.{account}, '{name}', replace(OLD.id::text, '-', ''),
      'delete', '', (to_jsonb(OLD) - {skip})::text, NULL);
  END IF;
  RETURN NULL;
END $$
"""


def _postgres_triggers() -> None:
    for name in AUDITED:
        op.execute(_postgres_function(name, _content_columns(name)))
        op.execute(
            f"CREATE TRIGGER {name}_audit AFTER INSERT OR UPDATE OR DELETE ON {name} "
            f"FOR EACH ROW EXECUTE FUNCTION ae_audit_{name}()"
        )
