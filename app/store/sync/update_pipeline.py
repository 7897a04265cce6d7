"""The push's UPDATE statements sent to the server without waiting for each one's result.

psycopg's pipeline mode queues a statement and returns at once, so the server writes one chunk of a push
while the laptop reads and merges the next (the two took about the same time, one after the other: for 100k
notes, ~4 s each). Results (the stamps the server gave the rows) are collected when the pipeline settles.

SQLAlchemy cannot run a statement on a connection in pipeline mode (a result's description is not known
until the pipeline syncs), so anything else the push sends (its inserts, the whole rows a merge needs) waits
for `settle()` first.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any

from sqlalchemy import Connection


class UpdatePipeline:
    def __init__(self, server: Connection) -> None:
        self._driver: Any = server.connection.driver_connection  # psycopg.Connection
        self._pipeline: Any = None
        self._cursors: list[Any] = []
        self.stamps: list[int] = []

    def send(self, sql: str, params: Sequence[Any]) -> None:
        """Queue an UPDATE … RETURNING sync_seq; its stamps join `stamps` when the pipeline settles."""
        if self._pipeline is None:
            self._pipeline = self._driver.pipeline()
            self._pipeline.__enter__()
        cursor = self._driver.cursor()
        cursor.execute(sql, params)
        self._cursors.append(cursor)

    def settle(self) -> None:
        """Wait for every queued statement (raising the server's error if one failed) and collect the
        stamps; the connection is then free for other statements."""
        if self._pipeline is None:
            return
        pipeline, self._pipeline = self._pipeline, None
        pipeline.__exit__(None, None, None)
        for cursor in self._cursors:
            self.stamps += [stamp for (stamp,) in cursor.fetchall()]
            cursor.close()
        self._cursors = []

    def __enter__(self) -> UpdatePipeline:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if kind is None:
            self.settle()
        elif self._pipeline is not None:  # leave pipeline mode; the transaction is being abandoned
            pipeline, self._pipeline = self._pipeline, None
            pipeline.__exit__(kind, error, trace)
