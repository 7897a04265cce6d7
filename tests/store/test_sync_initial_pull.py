"""First sync of an empty laptop against a team server holding a medium portfolio: the AE's accounts come
down whole, with the same figures as on the server, and nothing else does."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from app.services.accounts import list_portfolio
from app.services.demo import generate_demo
from app.services.sync import sync
from app.services.workspace import Workspace

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

# Rows of one AE's accounts (as AE or backup AE), counted with plain SQL on the server.
MINE = (
    "(SELECT a.id FROM accounts a JOIN account_executives x ON x.id IN (a.ae_id, a.backup_ae_id) "
    "WHERE x.name = :ae)"
)
COUNTS = {
    "accounts": f"SELECT count(*) FROM accounts WHERE id IN {MINE}",
    "notes": f"SELECT count(*) FROM notes WHERE account_id IN {MINE}",
    "holds": f"SELECT count(*) FROM holds WHERE account_id IN {MINE}",
    "entries": f"SELECT count(*) FROM entries WHERE account_id IN {MINE}",
    "entry_lines": "SELECT count(*) FROM entry_lines l JOIN entries e ON e.entry_number = l.entry_number "
    f"WHERE e.account_id IN {MINE}",
    "line_tariffs": "SELECT count(*) FROM line_tariffs t JOIN entry_lines l ON l.id = t.line_id "
    f"JOIN entries e ON e.entry_number = l.entry_number WHERE e.account_id IN {MINE}",
    "compliance_events": f"SELECT count(*) FROM compliance_events WHERE account_id IN {MINE}",
    "action_items": f"SELECT count(*) FROM action_items WHERE account_id IN {MINE}",
    "contacts": f"SELECT count(*) FROM contacts WHERE account_id IN {MINE}",
    "account_executives": "SELECT count(*) FROM account_executives",
}


def _counts(ws: Workspace, ae: str, *, laptop: bool) -> dict[str, int]:
    with ws.database.engine.connect() as connection:
        if laptop:  # the laptop holds only its accounts: count everything it has
            return {
                name: int(connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one())
                for name in COUNTS
            }
        return {
            name: int(connection.execute(text(sql), {"ae": ae}).scalar_one()) for name, sql in COUNTS.items()
        }


def test_an_empty_laptop_pulls_its_aes_accounts_of_a_medium_portfolio(pg_server: Any, tmp_path: Any) -> None:
    url = str(pg_server.create_database())
    server = Workspace.open(url)
    laptop = Workspace.open(str(tmp_path / "laptop.sqlite3"))
    try:
        generate_demo(server, scale="medium", seed=7)
        with server.database.engine.connect() as connection:
            ae = connection.execute(
                text(
                    "SELECT x.name FROM account_executives x JOIN accounts a ON a.ae_id = x.id "
                    "GROUP BY x.name ORDER BY count(*) DESC, x.name LIMIT 1"
                )
            ).scalar_one()
        expected = _counts(server, ae, laptop=False)
        assert expected["accounts"] >= 10 and expected["entry_lines"] > 1_000  # a real slice, not a corner

        result = sync(laptop, url, user=ae)
        assert result.accounts == expected["accounts"] and result.conflicts == 0
        assert _counts(laptop, ae, laptop=True) == expected
        mine = {row.account_id for row in list_portfolio(laptop)}
        on_server = [row for row in list_portfolio(server) if row.account_id in mine]
        assert list_portfolio(laptop) == on_server  # the same 12-month figures, holds and last contact
        again = sync(laptop, url, user=ae)
        assert (again.pushed, again.pulled) == (0, 0)
    finally:
        laptop.close()
        server.close()
