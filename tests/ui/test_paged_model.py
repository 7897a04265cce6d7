"""The reusable id-list + page-cache model, over in-memory fetchers that count their calls."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QPersistentModelIndex, Qt

from app.ui.models.paged import PagedTableModel, SortSpec
from app.ui.tasks import TaskRunner

pytestmark = pytest.mark.gui

DATA = {number: f"row {number:05d}" for number in range(1, 1001)}


class Source:
    """The service pair: ids sorted and filtered (by a substring), rows by id; counts every call."""

    def __init__(self) -> None:
        self.id_calls: list[tuple[SortSpec, Any]] = []
        self.row_calls: list[list[int]] = []
        self.fail_rows = False

    def ids(self, sort: SortSpec, where: Any) -> list[int]:
        self.id_calls.append((sort, where))
        found = [number for number, text in DATA.items() if not where or where in text]
        return sorted(found, reverse=sort.descending)

    def rows(self, ids: Sequence[int]) -> list[tuple[int, str]]:
        if self.fail_rows:
            raise RuntimeError("database went away")
        self.row_calls.append(list(ids))
        return [(number, DATA[number]) for number in ids if number % 500 != 0]  # 500, 1000: "released"


class TextModel(PagedTableModel[int, tuple[int, str]]):
    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 2

    def cell(self, row: tuple[int, str], column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(row[column])
        return None


@pytest.fixture
def source() -> Source:
    return Source()


@pytest.fixture
def model(sync_runner: TaskRunner, source: Source) -> Iterator[TextModel]:
    model = TextModel(sync_runner, source.ids, source.rows, lambda row: row[0], page_size=100, max_pages=3)
    model.set_query(SortSpec("number"), "")
    yield model
    _delete(model)


def _delete(model: TextModel) -> None:
    """Delete the model now, while its runner is alive (not whenever the garbage collector gets to it)."""
    model.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def text(model: TextModel, row: int, column: int = 1) -> Any:
    return model.index(row, column).data()


def test_nothing_is_queried_before_the_first_reload(source: Source, model: TextModel) -> None:
    assert source.id_calls == [] and model.rowCount() == 0
    model.reload()
    assert model.rowCount() == 1000 and len(source.id_calls) == 1
    assert source.row_calls == []  # the row count needs no rows


def test_model_tester(qtmodeltester, source: Source, model: TextModel) -> None:
    model.reload()
    qtmodeltester.check(model)


def test_rows_are_read_a_page_at_a_time_and_the_cache_is_bounded(source: Source, model: TextModel) -> None:
    model.reload()
    assert text(model, 0) == "row 00001" and text(model, 99, 0) == "100"
    assert source.row_calls == [list(range(1, 101))]
    for row in (150, 250, 350):
        text(model, row)
    assert len(source.row_calls) == 4
    text(model, 0)  # evicted: the cache holds 3 pages
    assert len(source.row_calls) == 5
    assert text(model, 499) is None  # gone since the id query: a blank row, not an error


def test_sort_and_filter_requery_and_reset_the_pages(source: Source, model: TextModel) -> None:
    model.reload()
    text(model, 0)
    model.set_query(SortSpec("number", descending=True), "")
    assert text(model, 1) == "row 00999" and model.id_at(0) == 1000
    model.set_query(model.sort_spec, "row 0001")
    assert model.rowCount() == 10 and model.row_of(15) == 4 and model.row_of(999) == -1
    assert model.filter == "row 0001"


def test_a_failed_page_read_is_reported_not_raised(qtbot, source: Source, model: TextModel) -> None:
    model.reload()
    source.fail_rows = True
    with qtbot.waitSignal(model.fetch_failed) as failed:
        assert text(model, 0) is None
    assert "went away" in str(failed.args[0])


def test_a_failed_id_query_is_reported(sync_runner: TaskRunner, source: Source) -> None:
    def broken(_sort: SortSpec, _where: Any) -> list[int]:
        raise RuntimeError("locked")

    model = TextModel(sync_runner, broken, source.rows, lambda row: row[0])
    errors: list[BaseException] = []
    model.reload_failed.connect(errors.append)
    model.reload()  # the synchronous runner: done when reload() returns
    assert [str(error) for error in errors] == ["locked"]
    assert model.rowCount() == 0 and not model.loading
    _delete(model)


def test_results_overtaken_by_a_newer_query_are_dropped(
    qtbot, threaded_runner: TaskRunner, source: Source
) -> None:
    model = TextModel(threaded_runner, source.ids, source.rows, lambda row: row[0])
    model.reload()
    with qtbot.waitSignal(model.reloaded):
        model.set_query(SortSpec("number"), "row 0000")
    assert model.rowCount() == 9
    threaded_runner.shutdown()  # the first query may still be running: let it finish before the model goes
    _delete(model)
