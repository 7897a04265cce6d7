"""Time the workbench's queries on a plain database and on an encrypted (SQLCipher) copy of it.

    .venv/bin/python benchmarks/encryption_overhead.py [--scale medium] [--seed 7] [--db FILE] [--repeat 7]

Copies the demo database (benchmarks/data/<scale>-seed<seed>.sqlite3, generated when missing, or `--db`) to
a temporary folder, encrypts the copy with `db encrypt`'s code, and times the same queries on both, warm.
Prints one JSON object: per query the plain and encrypted medians and their ratio, and the overall ratio
(sum of encrypted medians / sum of plain ones) next to the target, at most 2.5x.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.services import accounts, entries, holdboard, holds, search, stats  # noqa: E402
from app.services.demo import generate_demo  # noqa: E402
from app.services.encryption import encrypt  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402

HERE = Path(__file__).resolve().parent
TARGET_RATIO = 2.5
PASSPHRASE = "benchmark passphrase"


def _queries(ws: Workspace) -> dict[str, Callable[[], Any]]:
    account_id = max(accounts.list_portfolio(ws), key=lambda row: row.entries_12m).account_id
    return {
        "portfolio_with_aggregates": lambda: accounts.list_portfolio(ws),
        "open_holds_by_age": lambda: holds.open_holds_by_age(ws, limit=500),
        "account_entries_by_date": lambda: entries.account_entries(ws, account_id, limit=500),
        "full_text_search": lambda: search.search(ws, "detention notice", limit=50),
        "portfolio_metrics_refresh": lambda: accounts.refresh_metrics(ws),
        "holds_board_ids_by_age": lambda: holdboard.open_hold_ids(ws, sort="age", descending=True),
    }


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm the page cache and the statement cache, as a running app would be
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - started) * 1000)
    return statistics.median(runs)


def _timings(path: Path, passphrase: str | None, repeat: int) -> dict[str, float]:
    with Workspace.open(str(path), passphrase=passphrase) as ws:
        return {name: _median_ms(fn, repeat) for name, fn in _queries(ws).items()}


def measure(path: Path, repeat: int = 7) -> dict[str, Any]:
    """Plain vs encrypted timings of the database `path` (left untouched: both runs use copies)."""
    with tempfile.TemporaryDirectory(prefix="ae-bench-encryption-") as folder:
        plain, encrypted = Path(folder) / "plain.sqlite3", Path(folder) / "encrypted.sqlite3"
        with Workspace.open(str(path)) as ws:  # a consistent copy, -wal included
            from app.services.admin import backup

            backup(ws, plain)
        shutil.copyfile(plain, encrypted)
        started = time.perf_counter()
        encrypt(str(encrypted), PASSPHRASE)
        encrypt_s = time.perf_counter() - started
        plain_ms = _timings(plain, None, repeat)
        encrypted_ms = _timings(encrypted, PASSPHRASE, repeat)
    per_query = {
        name: {
            "plain_ms": round(plain_ms[name], 2),
            "encrypted_ms": round(encrypted_ms[name], 2),
            "ratio": round(encrypted_ms[name] / max(plain_ms[name], 0.001), 2),
        }
        for name in plain_ms
    }
    ratio = sum(encrypted_ms.values()) / max(sum(plain_ms.values()), 0.001)
    return {
        "encrypt_file_s": round(encrypt_s, 2),
        "queries": per_query,
        "overall_ratio": round(ratio, 2),
        "target_ratio": TARGET_RATIO,
        "within_target": ratio <= TARGET_RATIO,
    }


def _demo_file(scale: str, seed: int) -> Path:
    path = HERE / "data" / f"{scale}-seed{seed}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    with Workspace.open(str(path)) as ws:
        if stats.database_stats(ws)["accounts"] == 0:
            generate_demo(ws, scale=scale, seed=seed)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="medium", choices=("small", "medium", "large"))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", help="time a copy of this plain SQLite file instead of the demo")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    path = Path(args.db) if args.db else _demo_file(args.scale, args.seed)
    print(json.dumps({"database": str(path), **measure(path, args.repeat)}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
