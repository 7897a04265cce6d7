"""Time sync with a team server: the first pull of a portfolio, and a push and a pull of 100k changed rows.

    .venv/bin/python benchmarks/sync_speed.py [--scale large] [--changed 100000]

Starts a throwaway PostgreSQL server (as `make test` does), generates the demo portfolio on it, then:

- initial pull: an empty laptop pins every account and syncs (the whole portfolio: the worst case; an AE's own
  accounts are a twentieth of it);
- push: the laptop edits `--changed` notes (one field each), then syncs; timed is the whole sync;
- pull: the server edits `--changed` other notes, then the laptop syncs.

Prints one JSON object with seconds and rows per step, next to the targets (push and pull <= 10 s each).
Without PostgreSQL on this machine it prints {"skipped": why} and exits 0.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # tests.support.pgserver: the same throwaway server the tests use

from sqlalchemy import select, text, update  # noqa: E402

from app.services.demo import generate_demo  # noqa: E402
from app.services.sync import pin_account, sync  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.store import orm  # noqa: E402

TARGET_S = 10.0
CHANGED = 100_000


def run(scale: str, changed: int) -> dict[str, Any]:
    from tests.support.pgserver import PgServerUnavailable, start_server

    try:
        server = start_server()
    except PgServerUnavailable as exc:
        return {"skipped": f"no PostgreSQL server could be started: {exc}"}
    try:
        with tempfile.TemporaryDirectory() as scratch:
            return _measure(server.create_database(), Path(scratch) / "laptop.sqlite3", scale, changed)
    finally:
        server.stop()


def _measure(url: str, laptop_path: Path, scale: str, changed: int) -> dict[str, Any]:
    server_ws = Workspace.open(url)
    laptop = Workspace.open(str(laptop_path))
    try:
        started = time.perf_counter()
        generate_demo(server_ws, scale=scale, seed=7)
        figures: dict[str, Any] = {"scale": scale, "generate_on_server_s": _since(started)}
        with server_ws.database.session() as session:
            accounts = list(session.scalars(select(orm.AccountRow.id)))
        for account in accounts:
            pin_account(laptop, account)
        started = time.perf_counter()
        first = sync(laptop, url, user="")
        pulled = {"seconds": _since(started), "rows": first.pulled, "accounts": first.accounts}
        figures["initial_pull"] = pulled
        figures["push"] = _push(laptop, url, changed)
        figures["pull"] = _pull(server_ws, laptop, url, changed)
        figures["within_target"] = all(figures[step]["seconds"] <= TARGET_S for step in ("push", "pull"))
        return figures
    finally:
        laptop.close()
        server_ws.close()


def _push(laptop: Workspace, url: str, changed: int) -> dict[str, Any]:
    notes = orm.NoteRow.__table__
    first_notes = select(notes.c.id).order_by(notes.c.id).limit(changed).scalar_subquery()
    with laptop.database.engine.begin() as connection:
        checked = update(notes).where(notes.c.id.in_(first_notes)).values(text=notes.c.text + " (checked)")
        connection.execute(checked)
    started = time.perf_counter()
    result = sync(laptop, url, user="")
    return {"seconds": _since(started), "rows": result.pushed, "target_s": TARGET_S}


def _pull(server_ws: Workspace, laptop: Workspace, url: str, changed: int) -> dict[str, Any]:
    with server_ws.database.engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE notes SET text = text || ' (seen)' WHERE id IN "
                "(SELECT id FROM notes ORDER BY id DESC LIMIT :n)"
            ),
            {"n": changed},
        )
    started = time.perf_counter()
    result = sync(laptop, url, user="")
    return {"seconds": _since(started), "rows": result.pulled, "target_s": TARGET_S}


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 2)


def main(argv: list[str] | None = None) -> int:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=formatter)
    parser.add_argument("--scale", default="large", choices=("small", "medium", "large"))
    parser.add_argument("--changed", type=int, default=CHANGED, help="rows changed on each side")
    args = parser.parse_args(argv)
    print(json.dumps(run(args.scale, args.changed), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
