"""Hands each checked batch of rows to the store writer of its kind and keeps the file's counts.

Used by `run.import_file` as the `RowChecker`'s sink: valid rows are written (inside the file's transaction),
rejected rows go to the error workbook with their messages. Counts are per file row: "inserted" when the row's
record is new, "updated" when it changed a stored value, "unchanged" otherwise.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from app.domain.enums import HoldCategory, ImportKind
from app.domain.import_rows import Issue
from app.services.importing.error_workbook import ErrorWorkbook
from app.services.importing.validate import RejectedRow, ValidRow
from app.store.bulk import table
from app.store.queries.import_journal import Journal
from app.store.queries.import_parties import (
    AccountCreator,
    AccountRowConflict,
    AccountWriter,
    ComplianceWriter,
    accounts_of_numbers,
)
from app.store.queries.import_trade import EntryWriter, HoldWriter

# A hold whose category is neither given nor derivable (a warning says so) is filed as a general CBP hold.
FALLBACK_HOLD_CATEGORY = HoldCategory.CBP_GENERAL


class BatchWriter:
    def __init__(
        self,
        kind: ImportKind,
        connection: Connection,
        batch_id: uuid.UUID,
        rejects: ErrorWorkbook | None,
        *,
        skip_invalid: bool,
    ) -> None:
        self.kind = kind
        self.connection = connection
        self.journal = Journal(connection, batch_id)
        self.rejects = rejects
        self.skip_invalid = skip_invalid
        self.counts = {"inserted": 0, "updated": 0, "unchanged": 0}
        self.creator = AccountCreator(connection, self.journal)
        self.entries = EntryWriter(connection, self.journal)
        self.holds = HoldWriter(connection, self.journal, _hold_owners(connection))
        self.compliance = ComplianceWriter(connection, self.journal)
        self.accounts = AccountWriter(connection, self.journal, self.creator, date.today())

    @property
    def accounts_created(self) -> int:
        return self.creator.created

    def take(self, valid: list[ValidRow], rejected: list[RejectedRow]) -> list[Issue]:
        """Write one checked batch; returns the errors of rows refused while writing (they reject the row)."""
        late: list[Issue] = []
        rows = [values for _source, values in valid]
        if self.kind is ImportKind.ENTRIES:
            outcomes = self.entries.write(rows, self._accounts_for_entries(rows))
        elif self.kind is ImportKind.HOLDS:
            outcomes = self.holds.write([_with_hold_category(row) for row in rows])
        elif self.kind is ImportKind.COMPLIANCE:
            outcomes = self.compliance.write(rows)
        else:
            outcomes, late = self._accounts(valid)
        for outcome in outcomes:
            self.counts[outcome] += 1
        self.journal.flush()
        self._keep_rejected(rejected, valid, late)
        return late

    def _accounts(self, valid: Sequence[ValidRow]) -> tuple[list[str], list[Issue]]:
        outcomes: list[str] = []
        late: list[Issue] = []
        for source, values in valid:
            try:
                outcomes.append(self.accounts.write(values))
            except AccountRowConflict as conflict:
                late.append(Issue(source.row, "importer_number", str(conflict), "error"))
        return outcomes, late

    def _accounts_for_entries(self, rows: Sequence[Mapping[str, Any]]) -> dict[str, uuid.UUID]:
        """Each importer number's account; a number no account holds gets a new one (CONTRACTS.md §4)."""
        first_row: dict[str, Mapping[str, Any]] = {}
        for row in rows:
            first_row.setdefault(row["importer_number"], row)
        found = accounts_of_numbers(self.connection, sorted(first_row))
        for number, row in first_row.items():
            if number not in found:
                center = self.creator.center_for(row.get("hts_number"))
                found[number] = self.creator.create(number, row.get("importer_name"), center)
        return found

    def _keep_rejected(
        self, rejected: list[RejectedRow], valid: Sequence[ValidRow], late: list[Issue]
    ) -> None:
        if self.rejects is None:
            return
        late_rows = {issue.row: issue for issue in late}
        refused = [(source, [late_rows[source.row]]) for source, _values in valid if source.row in late_rows]
        for source, issues in sorted([*rejected, *refused], key=lambda pair: pair[0].row):
            messages = [f"{issue.column}: {issue.message}" for issue in issues]
            self.rejects.add(source.row, source.cells, messages)


def _with_hold_category(row: dict[str, Any]) -> dict[str, Any]:
    if row["hold_category"] is None:
        return {**row, "hold_category": FALLBACK_HOLD_CATEGORY}
    return {**row, "hold_category": str(row["hold_category"])}


def _hold_owners(connection: Connection) -> dict[str, str]:
    categories = table("hold_categories")
    query = select(categories.c.code, categories.c.owner)
    return {row.code: row.owner for row in connection.execute(query)}
