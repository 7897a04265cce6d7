"""Writing imported entries (ES-003 rows: entry × line × tariff number) and holds, a chunk of rows at a time.

Upsert by the CONTRACTS.md §4 keys: a row whose record is missing inserts it; a row that carries a value
different from the stored one updates that column (blank means "not given" and never overwrites); anything
else is unchanged. Each row's outcome is "inserted", "updated" or "unchanged".

Inserted trade rows carry the batch id (`import_batch_id`); changes to rows that existed before the batch go
to the journal with their earlier values. A line's amounts are the sums over its tariffs and an entry's the
sums over its lines: computed in Python for records this chunk inserted, recomputed in SQL for the others.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, text, update

from app.domain.ids import uuid7
from app.store import orm
from app.store.bulk import table
from app.store.driver_insert import DriverInsert
from app.store.queries.import_journal import Journal

ENTRIES = table("entries")
LINES = table("entry_lines")
TARIFFS = table("line_tariffs")
HOLDS = table("holds")

Row = dict[str, Any]
LOOKUP_CHUNK = 500  # composite keys per IN (...) list

INSERTED, UPDATED, UNCHANGED = "inserted", "updated", "unchanged"
_RANK = {UNCHANGED: 0, UPDATED: 1, INSERTED: 2}

# Import column -> entries column, for the entry-level values of an ES-003 row.
_ENTRY_COLUMNS = {
    "entry_type": "entry_type",
    "importer_number": "importer_number",
    "port_of_entry": "port_of_entry",
    "entry_date": "entry_date",
    "release_date": "release_date",
    "mode_of_transport": "mode_of_transport",
}
_LINE_COLUMNS = {"country_of_origin": "country_of_origin", "mid": "mid"}
_TARIFF_COLUMNS = {"entered_value": "entered_value_cents", "duty": "duty_cents"}
# What a new entry, line and tariff row gives (`_new_entry`, `_new_line`, `_new_tariff`).
_NEW_ENTRY = (
    *("entry_number", "filer_code", "account_id", "importer_number", "entry_type", "port_of_entry"),
    *("mode_of_transport", "entry_date", "release_date", "entered_value_cents", "duty_cents"),
    "import_batch_id",
)
_NEW_LINE = (
    *("id", "entry_number", "line_number", "country_of_origin", "mid", "spi", "entered_value_cents"),
    *("duty_cents", "first_hts_number", "import_batch_id"),
)
_NEW_TARIFF = ("line_id", "ordinal", "hts_number", "duty_cents", "entered_value_cents", "import_batch_id")
_HOLD_COLUMNS = {
    "port_code": "port_code",
    "agency": "agency_code",
    "disposition_code": "disposition_code",
    "status_text": "status_text",
    "released_at": "removed_at",
    "exam_type": "exam_type",
}


def given(values: Mapping[str, Any], columns: Mapping[str, str]) -> Row:
    """The table columns a row gives a value for (blank = not given)."""
    return {column: values[name] for name, column in columns.items() if values.get(name) is not None}


def differences(stored: Mapping[str, Any], wanted: Mapping[str, Any]) -> Row:
    """The stored values of the columns whose wanted value differs: the journal's "before"."""
    return {column: stored[column] for column, value in wanted.items() if stored[column] != value}


def _chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Updates:
    """Updates of existing records, journalled unless the batch inserted the record itself."""

    def __init__(self, journal: Journal, table_name: str) -> None:
        self.journal = journal
        self.table_name = table_name

    def apply(self, connection: Connection, stored: Row, wanted: Row, key: Mapping[str, Any]) -> bool:
        before = differences(stored, wanted)
        if not before:
            return False
        target = orm.Base.metadata.tables[self.table_name]
        after = {column: wanted[column] for column in before}
        connection.execute(update(target).where(*[target.c[k] == v for k, v in key.items()]).values(after))
        if stored.get("import_batch_id") != self.journal.batch_id:
            self.journal.changed(self.table_name, key, before)
        stored.update(after)
        return True


class EntryWriter:
    """Entries files: each row is one tariff number of one line of one entry."""

    def __init__(self, connection: Connection, journal: Journal) -> None:
        self.connection = connection
        self.journal = journal
        self.batch_id = journal.batch_id
        self.entry_updates = _Updates(journal, "entries")
        self.line_updates = _Updates(journal, "entry_lines")
        self.tariff_updates = _Updates(journal, "line_tariffs")
        self.insert_entries = DriverInsert(connection, "entries", _NEW_ENTRY)
        self.insert_lines = DriverInsert(connection, "entry_lines", _NEW_LINE)
        self.insert_tariffs = DriverInsert(connection, "line_tariffs", _NEW_TARIFF)
        # Per chunk: the tariffs inserted, the older lines whose tariffs changed (their sums are recomputed),
        # and the entry of every line the chunk touched.
        self.new_tariffs: list[Row] = []
        self.changed_lines: set[int] = set()
        self.entry_of_line: dict[int, str] = {}

    def write(self, rows: Sequence[Row], account_of: Mapping[str, uuid.UUID]) -> list[str]:
        """Write a chunk of canonical rows; `account_of` maps each row's importer number to its account."""
        outcomes = [UNCHANGED] * len(rows)
        self.new_tariffs, self.changed_lines, self.entry_of_line = [], set(), {}
        new_entries = self._entries(rows, account_of, outcomes)
        line_ids, new_lines = self._lines(rows, outcomes)
        self._tariffs(rows, line_ids, new_lines, outcomes)
        self._totals(new_entries, new_lines)
        return outcomes

    # --- entries ----------------------------------------------------------------------------------------

    def _entries(
        self, rows: Sequence[Row], account_of: Mapping[str, uuid.UUID], outcomes: list[str]
    ) -> dict[str, Row]:
        numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
        stored = self._stored_entries(numbers)
        new: dict[str, Row] = {}
        for index, row in enumerate(rows):
            number = row["entry_number"]
            wanted = given(row, _ENTRY_COLUMNS)
            wanted["account_id"] = account_of[row["importer_number"]]
            if number in stored:
                key = {"entry_number": number}
                if self.entry_updates.apply(self.connection, stored[number], wanted, key):
                    outcomes[index] = UPDATED
                continue
            if number in new:
                new[number].update(wanted)
            else:
                new[number] = self._new_entry(number, wanted)
            add_amounts(new[number], row)  # every row of a new entry is a new tariff of it
        self.insert_entries.run(list(new.values()))
        return new

    def _stored_entries(self, numbers: Sequence[str]) -> dict[str, Row]:
        columns = [ENTRIES.c.entry_number, ENTRIES.c.account_id, ENTRIES.c.import_batch_id]
        columns += [ENTRIES.c[name] for name in _ENTRY_COLUMNS.values()]
        stored: dict[str, Row] = {}
        for part in _chunks(numbers):
            for found in self.connection.execute(select(*columns).where(ENTRIES.c.entry_number.in_(part))):
                stored[found.entry_number] = dict(found._mapping)
        return stored

    def _new_entry(self, number: str, wanted: Row) -> Row:
        return {
            "entry_number": number,
            "filer_code": number[:3],
            "entry_type": "",
            "port_of_entry": "",
            "mode_of_transport": "",
            "release_date": None,
            **wanted,
            "entered_value_cents": 0,
            "duty_cents": 0,
            "import_batch_id": self.batch_id,
        }

    # --- lines ------------------------------------------------------------------------------------------

    def _lines(self, rows: Sequence[Row], outcomes: list[str]) -> tuple[dict[tuple[str, int], int], set[int]]:
        """Insert missing lines and update given line values; returns each line key's id and the new ids."""
        keys = list(dict.fromkeys((row["entry_number"], row["line_number"]) for row in rows))
        stored = self._stored_lines(keys)
        ids = {key: line["id"] for key, line in stored.items()}
        new: dict[tuple[str, int], Row] = {}
        for index, row in enumerate(rows):
            key = (row["entry_number"], row["line_number"])
            wanted = given(row, _LINE_COLUMNS)
            if key in stored:
                line = stored[key]
                if self.line_updates.apply(self.connection, line, wanted, {"id": line["id"]}):
                    outcomes[index] = max(outcomes[index], UPDATED, key=_RANK.__getitem__)
                continue
            if key in new:
                new[key].update(wanted)
            else:
                new[key] = self._new_line(key, wanted, row["hts_number"])
            add_amounts(new[key], row)
        if new:
            new_ids = reserve_ids(self.connection, "entry_lines", len(new))
            for line, line_id in zip(new.values(), new_ids, strict=True):
                line["id"] = line_id
            self.insert_lines.run(list(new.values()))
            ids.update(zip(new.keys(), new_ids, strict=True))
        self.entry_of_line = {line_id: key[0] for key, line_id in ids.items()}
        return ids, {ids[key] for key in new}

    def _new_line(self, key: tuple[str, int], wanted: Row, first_hts: str) -> Row:
        return {
            "entry_number": key[0],
            "line_number": key[1],
            "country_of_origin": "",
            "mid": "",
            "spi": "",
            **wanted,
            "entered_value_cents": 0,  # the sums of its tariffs: add_amounts
            "duty_cents": 0,
            "first_hts_number": first_hts,  # its first row is its first tariff (ordinal 1)
            "import_batch_id": self.batch_id,
        }

    def _stored_lines(self, keys: Sequence[tuple[str, int]]) -> dict[tuple[str, int], Row]:
        """The stored lines of these keys, looked up by entry number: the leading column of the unique index
        (a row-value IN list is not an index lookup on SQLite)."""
        columns = [LINES.c.id, LINES.c.entry_number, LINES.c.line_number, LINES.c.import_batch_id]
        columns += [LINES.c[name] for name in _LINE_COLUMNS.values()]
        wanted = set(keys)
        numbers = list(dict.fromkeys(number for number, _line in keys))
        stored: dict[tuple[str, int], Row] = {}
        for part in _chunks(numbers):
            for found in self.connection.execute(select(*columns).where(LINES.c.entry_number.in_(part))):
                key = (found.entry_number, found.line_number)
                if key in wanted:
                    stored[key] = dict(found._mapping)
        return stored

    # --- tariffs ----------------------------------------------------------------------------------------

    def _tariffs(
        self,
        rows: Sequence[Row],
        line_ids: Mapping[tuple[str, int], int],
        new_lines: set[int],
        outcomes: list[str],
    ) -> None:
        keyed = [(line_ids[(row["entry_number"], row["line_number"])], row["hts_number"]) for row in rows]
        old_lines = sorted({line_id for line_id, _hts in keyed} - new_lines)
        stored = self._stored_tariffs(old_lines)
        next_ordinal = self._next_ordinals(stored)
        new: list[Row] = []
        for index, (row, key) in enumerate(zip(rows, keyed, strict=True)):
            wanted = given(row, _TARIFF_COLUMNS)
            if key in stored:
                tariff = stored[key]
                if self.tariff_updates.apply(self.connection, tariff, wanted, {"id": tariff["id"]}):
                    outcomes[index] = max(outcomes[index], UPDATED, key=_RANK.__getitem__)
                    self.changed_lines.add(key[0])
                continue
            ordinal = next_ordinal.get(key[0], 1)
            next_ordinal[key[0]] = ordinal + 1
            new.append(self._new_tariff(key, ordinal, wanted))
            outcomes[index] = INSERTED
            if key[0] not in new_lines:
                self.changed_lines.add(key[0])
        self.insert_tariffs.run(new)
        self.new_tariffs = new

    def _new_tariff(self, key: tuple[int, str], ordinal: int, wanted: Row) -> Row:
        return {
            "line_id": key[0],
            "ordinal": ordinal,
            "hts_number": key[1],
            "duty_cents": 0,
            "entered_value_cents": 0,
            **wanted,
            "import_batch_id": self.batch_id,
        }

    def _stored_tariffs(self, line_ids: Sequence[int]) -> dict[tuple[int, str], Row]:
        columns = [TARIFFS.c.id, TARIFFS.c.line_id, TARIFFS.c.hts_number, TARIFFS.c.ordinal]
        columns += [TARIFFS.c.import_batch_id, *[TARIFFS.c[name] for name in _TARIFF_COLUMNS.values()]]
        stored: dict[tuple[int, str], Row] = {}
        for part in _chunks(line_ids):
            for found in self.connection.execute(select(*columns).where(TARIFFS.c.line_id.in_(part))):
                stored[(found.line_id, found.hts_number)] = dict(found._mapping)
        return stored

    @staticmethod
    def _next_ordinals(stored: Mapping[tuple[int, str], Row]) -> dict[int, int]:
        ordinals: dict[int, int] = {}
        for (line_id, _hts), tariff in stored.items():
            ordinals[line_id] = max(ordinals.get(line_id, 1), tariff["ordinal"] + 1)
        return ordinals

    # --- totals -----------------------------------------------------------------------------------------

    def _totals(self, new_entries: Mapping[str, Row], new_lines: set[int]) -> None:
        """Lines sum their tariffs, entries their lines (see the module docstring).

        Records this chunk inserted got their sums as they were built (`add_amounts`). Older lines (stored
        before, or begun in an earlier chunk) that gained or changed a tariff are recomputed in SQL, and so is
        every older entry that gained or changed a line.
        """
        refresh_lines_from_tariffs(self.connection, sorted(self.changed_lines))
        entries = {self.entry_of_line[line_id] for line_id in self.changed_lines | new_lines}
        recompute_entry_totals(self.connection, sorted(entries - new_entries.keys()))


def add_amounts(record: Row, row: Mapping[str, Any]) -> None:
    """Add a file row's amounts (blank = 0) to a new line's or entry's sums."""
    record["entered_value_cents"] += row.get("entered_value") or 0
    record["duty_cents"] += row.get("duty") or 0


def reserve_ids(connection: Connection, table_name: str, count: int) -> list[int]:
    """`count` fresh integer ids for `table_name`, so a batch of rows is inserted with one executemany and
    their ids are known without RETURNING (which SQLite answers one row per statement when order matters).

    SQLite: after the current largest id; the import's transaction already holds the database's write lock.
    PostgreSQL: drawn from the column's sequence, so concurrent writers never collide.
    """
    if connection.dialect.name == "postgresql":
        sequence = f"pg_get_serial_sequence('{table_name}', 'id')"
        query = text(f"SELECT nextval({sequence}) FROM generate_series(1, :n)")
        return list(connection.execute(query, {"n": count}).scalars())
    target = table(table_name)
    start = (connection.execute(select(func.max(target.c.id))).scalar() or 0) + 1
    return list(range(start, start + count))


def refresh_lines_from_tariffs(connection: Connection, line_ids: Sequence[int]) -> None:
    """Set what each line takes from its tariffs: value and duty (their sums) and the first HTS number."""
    own = TARIFFS.c.line_id == LINES.c.id
    value = select(func.coalesce(func.sum(TARIFFS.c.entered_value_cents), 0)).where(own)
    duty = select(func.coalesce(func.sum(TARIFFS.c.duty_cents), 0)).where(own)
    first_hts = select(TARIFFS.c.hts_number).where(own).order_by(TARIFFS.c.ordinal, TARIFFS.c.id).limit(1)
    for part in _chunks(line_ids):
        connection.execute(
            update(LINES)
            .where(LINES.c.id.in_(part))
            .values(
                entered_value_cents=value.scalar_subquery(),
                duty_cents=duty.scalar_subquery(),
                first_hts_number=first_hts.scalar_subquery(),
            )
        )


def recompute_entry_totals(connection: Connection, entry_numbers: Sequence[str]) -> None:
    """Set each entry's value and duty to the sums over its lines."""
    own = LINES.c.entry_number == ENTRIES.c.entry_number
    value = select(func.coalesce(func.sum(LINES.c.entered_value_cents), 0)).where(own)
    duty = select(func.coalesce(func.sum(LINES.c.duty_cents), 0)).where(own)
    for part in _chunks(entry_numbers):
        connection.execute(
            update(ENTRIES)
            .where(ENTRIES.c.entry_number.in_(part))
            .values(entered_value_cents=value.scalar_subquery(), duty_cents=duty.scalar_subquery())
        )


class HoldWriter:
    """Holds files: key (entry number, hold category, placed at); a later row with a release releases it."""

    def __init__(self, connection: Connection, journal: Journal, owners: Mapping[str, str]) -> None:
        self.connection = connection
        self.journal = journal
        self.owners = owners  # hold category -> who owns it (PORT, PGA, CENTER)
        self.updates = _Updates(journal, "holds")

    def write(self, rows: Sequence[Row]) -> list[str]:
        entries = self._entries({row["entry_number"] for row in rows})
        stored = self._stored_holds(sorted(entries))
        outcomes: list[str] = []
        new: list[Row] = []
        for row in rows:
            key = (row["entry_number"], row["hold_category"], row["placed_at"])
            wanted = given(row, _HOLD_COLUMNS)
            if wanted.get("removed_at") is not None:
                wanted["outcome"] = "RELEASED"
            if key in stored:
                hold = stored[key]
                if hold["outcome"] != "OPEN" and "outcome" in wanted:
                    del wanted["outcome"]  # keep a more precise outcome (released after exam, seized…)
                changed = self.updates.apply(self.connection, hold, wanted, {"id": hold["id"]})
                outcomes.append(UPDATED if changed else UNCHANGED)
                continue
            account_id, port = entries[row["entry_number"]]
            hold = self._new_hold(row, wanted, account_id, port)
            stored[key] = hold
            new.append(hold)
            outcomes.append(INSERTED)
        if new:
            self.connection.execute(insert(HOLDS), new)
        return outcomes

    def _new_hold(self, row: Row, wanted: Row, account_id: uuid.UUID, port: str) -> Row:
        category = row["hold_category"]
        return {
            "id": uuid7(),
            "entry_number": row["entry_number"],
            "account_id": account_id,
            "port_code": port,
            "category": category,
            "owner": self.owners.get(category, "PORT"),
            "agency_code": "CBP",
            "disposition_code": "",
            "status_text": "",
            "placed_at": row["placed_at"],
            "removed_at": None,
            "outcome": "OPEN",
            "exam_type": "NONE",
            "exam_location": "",
            "detention_notice_on": None,
            **wanted,
            "import_batch_id": self.journal.batch_id,
        }

    def _entries(self, numbers: set[str]) -> dict[str, tuple[uuid.UUID, str]]:
        found: dict[str, tuple[uuid.UUID, str]] = {}
        query = select(ENTRIES.c.entry_number, ENTRIES.c.account_id, ENTRIES.c.port_of_entry)
        for part in _chunks(sorted(numbers)):
            for row in self.connection.execute(query.where(ENTRIES.c.entry_number.in_(part))):
                found[row.entry_number] = (row.account_id, row.port_of_entry)
        return found

    def _stored_holds(self, numbers: Sequence[str]) -> dict[tuple[str, str, datetime], Row]:
        stored: dict[tuple[str, str, datetime], Row] = {}
        columns = [HOLDS.c.id, HOLDS.c.entry_number, HOLDS.c.category, HOLDS.c.placed_at, HOLDS.c.outcome]
        columns += [HOLDS.c.import_batch_id, *[HOLDS.c[name] for name in _HOLD_COLUMNS.values()]]
        for part in _chunks(numbers):
            for row in self.connection.execute(select(*columns).where(and_(HOLDS.c.entry_number.in_(part)))):
                stored[(row.entry_number, row.category, row.placed_at)] = dict(row._mapping)
        return stored
