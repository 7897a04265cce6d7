"""A table model over a list of ids, with rows fetched a page at a time: for grids too big for memory.

The model holds only the ordered ids of the current filter + sort (one SQL query, run on the TaskRunner) and
a bounded cache of formatted pages. `rowCount()` is the id count; a page is read (one primary-key query for
`page_size` ids) the first time one of its rows is painted. That read is synchronous on purpose: at the large
scale a page of 200 held shipments takes ~14 ms, less than a frame, while an asynchronous fetch would paint
blank rows and repaint them. `data()` never queries per cell and never raises: a failed page read is
reported once through `fetch_failed` (queued, outside the view's paint) and its rows stay blank.

Sorting and filtering are the query's: `sort()` and `set_query()` start a new id fetch; results overtaken
by a newer request are dropped.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.ui.tasks import TaskRunner

IdT = TypeVar("IdT", bound=Hashable)
RowT = TypeVar("RowT")
Index = QModelIndex | QPersistentModelIndex

DEFAULT_PAGE_SIZE = 200
DEFAULT_MAX_PAGES = 16  # 3,200 rows: several screens either way of the one in view


@dataclass(frozen=True)
class SortSpec:
    key: str
    descending: bool = False


class PagedTableModel(QAbstractTableModel, Generic[IdT, RowT]):
    """Subclasses give the columns (`columnCount`, `headerData`, `cell`) and map a column to a sort key."""

    reloaded = Signal()  # a new id list is in place
    reload_failed = Signal(object)  # the exception of the id query
    fetch_failed = Signal(object)  # the exception of a page read
    _page_failed = Signal(object)  # queued into fetch_failed: the view is in the middle of a paint

    def __init__(
        self,
        runner: TaskRunner,
        fetch_ids: Callable[[SortSpec, Any], list[IdT]],
        fetch_rows: Callable[[Sequence[IdT]], list[RowT]],
        row_id: Callable[[RowT], IdT],
        parent: Any = None,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._fetch_ids = fetch_ids
        self._fetch_rows = fetch_rows
        self._row_id = row_id
        self._page_size = page_size
        self._max_pages = max_pages
        self._ids: list[IdT] = []
        self._positions: dict[IdT, int] | None = None  # built on first use: most reloads never need it
        self._pages: OrderedDict[int, list[RowT | None]] = OrderedDict()  # least recently used first
        self._sort = SortSpec("")
        self._filter: Any = None
        self._generation = 0
        self._started = False  # sort()/set_query() before the first reload() only record the query
        self.loading = False
        self._page_failed.connect(self.fetch_failed, Qt.ConnectionType.QueuedConnection)

    # --- queries --------------------------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        """Whether `reload()` has run: before it, the model holds no query result to keep fresh."""
        return self._started

    @property
    def sort_spec(self) -> SortSpec:
        return self._sort

    @property
    def filter(self) -> Any:
        return self._filter

    def set_query(self, sort: SortSpec, filter_: Any) -> None:
        """Fetch the ids for this sort and filter in the background; `reloaded` when they are in place.

        Before the first `reload()` this only records them (a view restoring its sort column does not query).
        """
        self._sort, self._filter = sort, filter_
        if self._started:
            self.reload()

    def reload(self) -> None:
        self._started = True
        self._generation += 1
        generation, sort, filter_ = self._generation, self._sort, self._filter
        self.loading = True
        self._runner.run(
            lambda _progress, _cancel: self._fetch_ids(sort, filter_),
            name="load ids",
            owner=self,
            on_result=lambda ids: self._on_ids(generation, ids),
            on_error=lambda exc: self._on_ids_failed(generation, exc),
        )

    def _on_ids(self, generation: int, ids: list[IdT]) -> None:
        if generation != self._generation:
            return
        self.beginResetModel()
        self._ids = list(ids)
        self._positions = None
        self._pages.clear()
        self.endResetModel()
        self.loading = False
        self.reloaded.emit()

    def _on_ids_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.loading = False
            self.reload_failed.emit(exc)

    # --- rows -----------------------------------------------------------------------------------------------

    def row_of(self, id_: IdT) -> int:
        """The row of an id in the current list, -1 when it is not in it."""
        if self._positions is None:
            self._positions = {value: row for row, value in enumerate(self._ids)}
        return self._positions.get(id_, -1)

    def id_at(self, row: int) -> IdT | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_at(self, row: int) -> RowT | None:
        """The row object (its page read if needed); None out of range or when the row has gone."""
        if not 0 <= row < len(self._ids):
            return None
        page = self._page(row // self._page_size)
        return page[row % self._page_size]

    def _page(self, number: int) -> list[RowT | None]:
        page = self._pages.get(number)
        if page is not None:
            self._pages.move_to_end(number)
            return page
        ids = self._ids[number * self._page_size : (number + 1) * self._page_size]
        try:
            found = {self._row_id(row): row for row in self._fetch_rows(ids)}
        except Exception as exc:  # data() must not raise: report it after the paint, once per page
            self._page_failed.emit(exc)
            found = {}
        page = [found.get(id_) for id_ in ids]  # a hold released since the id query: a blank row
        self._pages[number] = page
        while len(self._pages) > self._max_pages:
            self._pages.popitem(last=False)
        return page

    # --- QAbstractTableModel --------------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's own default)
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        return self.cell(row, index.column(), role)

    def cell(self, row: RowT, column: int, role: int) -> Any:
        """The value of one cell for `role` (None for nothing); a lookup on an already formatted row."""
        raise NotImplementedError
