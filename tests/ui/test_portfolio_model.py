"""The portfolio table model and its sort/filter proxy, on hand-built rows (no database)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from app.ui.models.portfolio import (
    ACCOUNT_ID_ROLE,
    COLUMNS,
    MUTED,
    OVERDUE,
    SORT_ROLE,
    PortfolioModel,
    PortfolioProxyModel,
    column_index,
)
from tests.ui.rows import TODAY, make_row, sample_rows

pytestmark = pytest.mark.gui

EXPECTED_TITLES = [
    "Account",
    "Importer number",
    "Center",
    "CTPAT tier",
    "CTPAT status",
    "Trade Compliance",
    "Risk",
    "Open holds",
    "Oldest hold (business days)",
    "Entries (12 mo)",
    "Exam rate",
    "Compliance rate",
    "Next validation",
    "Last contact",
]


@pytest.fixture
def model(qapp) -> PortfolioModel:
    model = PortfolioModel(today=TODAY)
    model.set_rows(sample_rows())
    return model


@pytest.fixture
def proxy(model: PortfolioModel) -> PortfolioProxyModel:
    proxy = PortfolioProxyModel()
    proxy.setSourceModel(model)
    return proxy


def cell(model, row: int, key: str, role=Qt.ItemDataRole.DisplayRole):
    return model.index(row, column_index(key)).data(role)


def names(proxy: PortfolioProxyModel) -> list[str]:
    return [proxy.index(row, column_index("name")).data() for row in range(proxy.rowCount())]


def test_model_passes_the_model_tester(qtmodeltester, model: PortfolioModel) -> None:
    qtmodeltester.check(model)


def test_empty_model_passes_the_model_tester(qtmodeltester, qapp) -> None:
    qtmodeltester.check(PortfolioModel())


def test_proxy_passes_the_model_tester_while_filtering_and_sorting(qtmodeltester, proxy) -> None:
    qtmodeltester.check(proxy)
    proxy.sort(column_index("open_holds"), Qt.SortOrder.DescendingOrder)
    proxy.set_filter_text("inc")
    qtmodeltester.check(proxy)


def test_columns_and_header_tooltips(model: PortfolioModel) -> None:
    horizontal = Qt.Orientation.Horizontal
    assert [column.title for column in COLUMNS] == EXPECTED_TITLES
    headers = [model.headerData(i, horizontal) for i in range(model.columnCount())]
    assert headers == [column.heading for column in COLUMNS]
    assert all(header.count("\n") <= 1 for header in headers)  # at most two lines
    for section in range(model.columnCount()):
        assert model.headerData(section, horizontal, Qt.ItemDataRole.ToolTipRole)
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_display_text_is_formatted(model: PortfolioModel) -> None:
    assert cell(model, 0, "name") == "Acme Imports LLC"
    assert cell(model, 0, "ctpat_tier") == "Tier 2"
    assert cell(model, 0, "ctpat_state") == "Validated"
    assert cell(model, 0, "trade_compliance_member") == "Yes"
    assert cell(model, 0, "risk_segment") == "Low"
    assert cell(model, 0, "exam_rate_12m") == "12.5%"
    assert cell(model, 0, "compliance_rate_12m") == "98.0%"
    assert cell(model, 0, "next_validation_due") == "01/31/2026"
    assert cell(model, 2, "entries_12m") == "4,500"
    assert cell(model, 3, "ctpat_tier") == "—"  # not a partner
    assert cell(model, 3, "ctpat_state") == "Pre-applicant"


def test_missing_values_show_as_empty_text(model: PortfolioModel) -> None:
    for key in ("ctpat_tier", "ctpat_state", "exam_rate_12m", "next_validation_due", "last_contact_at"):
        assert cell(model, 1, key) == "", key
    assert cell(model, 0, "oldest_open_hold_age_days") == "7"
    assert cell(model, 4, "oldest_open_hold_age_days") == ""


def test_sort_role_holds_raw_values(model: PortfolioModel) -> None:
    assert cell(model, 0, "open_holds", SORT_ROLE) == 2
    assert cell(model, 0, "exam_rate_12m", SORT_ROLE) == pytest.approx(0.125)
    assert cell(model, 0, "next_validation_due", SORT_ROLE) == date(2026, 1, 31)
    assert cell(model, 1, "next_validation_due", SORT_ROLE) is None
    assert model.index(3, 5).data(ACCOUNT_ID_ROLE) == uuid.UUID(int=4)


def test_numbers_are_right_aligned_and_text_left_aligned(model: PortfolioModel) -> None:
    alignment = Qt.ItemDataRole.TextAlignmentRole
    right = Qt.AlignmentFlag.AlignRight
    for section, column in enumerate(COLUMNS):
        value = Qt.AlignmentFlag(model.index(0, section).data(alignment))
        assert bool(value & right) == column.numeric, column.key
    assert {c.key for c in COLUMNS if c.numeric} == {
        "open_holds",
        "oldest_open_hold_age_days",
        "entries_12m",
        "exam_rate_12m",
        "compliance_rate_12m",
    }


def test_cell_tooltips_add_detail(model: PortfolioModel) -> None:
    tip = Qt.ItemDataRole.ToolTipRole
    assert "12-3456789AB" in cell(model, 0, "name", tip)
    assert "7 business days" in cell(model, 0, "oldest_open_hold_age_days", tip)
    assert cell(model, 2, "next_validation_due", tip).startswith("Overdue")
    assert cell(model, 1, "last_contact_at", tip) is None


def test_overdue_validation_is_red(model: PortfolioModel) -> None:
    brush = cell(model, 2, "next_validation_due", Qt.ItemDataRole.ForegroundRole)  # due 02/01/2025
    assert brush.color() == OVERDUE
    assert cell(model, 0, "next_validation_due", Qt.ItemDataRole.ForegroundRole) is None


def test_zero_open_holds_are_muted_so_real_holds_stand_out(model: PortfolioModel) -> None:
    foreground = Qt.ItemDataRole.ForegroundRole
    assert cell(model, 2, "open_holds", foreground).color() == MUTED  # no holds
    assert cell(model, 0, "open_holds", foreground) is None  # two holds: normal text


def test_new_rows_keep_the_chosen_sort(model: PortfolioModel) -> None:
    model.sort(column_index("entries_12m"), Qt.SortOrder.DescendingOrder)
    model.set_rows(list(reversed(sample_rows())))
    assert [model.row_at(row).entries_12m for row in range(model.rowCount())] == [4_500, 800, 120, 35, 0]


def test_sorting_moves_persistent_indexes_with_their_rows(model: PortfolioModel) -> None:
    cobalt = QPersistentModelIndex(model.index(2, column_index("center")))
    model.sort(column_index("entries_12m"), Qt.SortOrder.DescendingOrder)
    assert cobalt.row() == 0 and cobalt.column() == column_index("center")
    assert cobalt.data() == "MACH"


def test_set_rows_resets_the_model(qtbot, model: PortfolioModel) -> None:
    with qtbot.waitSignal(model.modelReset):
        model.set_rows([make_row(9, name="Only One")])
    assert model.rowCount() == 1
    assert model.row_at(0).name == "Only One"


def test_filter_matches_name_importer_number_and_center_ignoring_case(proxy: PortfolioProxyModel) -> None:
    proxy.set_filter_text("ACME")
    assert names(proxy) == ["Acme Imports LLC"]
    proxy.set_filter_text("250101")  # a CBP-assigned number, typed without its hyphen part
    assert names(proxy) == ["Cobalt Machinery Inc"]
    proxy.set_filter_text("123456789ab")  # EIN-based number without separators, lower case
    assert set(names(proxy)) == {"Acme Imports LLC", "Delta Pharma Corp", "Evergreen Apparel"}
    proxy.set_filter_text("agri")
    assert names(proxy) == ["blue harbor foods"]
    proxy.set_filter_text("  pharma   phc ")  # every word must match
    assert names(proxy) == ["Delta Pharma Corp"]
    proxy.set_filter_text("pharma elec")
    assert names(proxy) == []
    proxy.set_filter_text("")
    assert proxy.rowCount() == 5


def test_sorting_by_open_holds_descending_puts_the_maximum_first(proxy: PortfolioProxyModel) -> None:
    proxy.sort(column_index("open_holds"), Qt.SortOrder.DescendingOrder)
    first = proxy.index(0, column_index("open_holds")).data(SORT_ROLE)
    assert first == max(row.open_holds for row in sample_rows())
    assert names(proxy)[0] == "blue harbor foods"


def test_names_sort_case_insensitively(proxy: PortfolioProxyModel) -> None:
    proxy.sort(column_index("name"), Qt.SortOrder.AscendingOrder)
    assert names(proxy)[:3] == ["Acme Imports LLC", "blue harbor foods", "Cobalt Machinery Inc"]


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
@pytest.mark.parametrize("key", [column.key for column in COLUMNS])
def test_every_column_sorts_with_missing_values_last(proxy: PortfolioProxyModel, key: str, order) -> None:
    column = column_index(key)
    proxy.sort(column, order)
    values = [proxy.index(row, column).data(SORT_ROLE) for row in range(proxy.rowCount())]
    present = [value for value in values if value is not None]
    assert values[: len(present)] == present, "missing values must come last"
    assert present == sorted(present, reverse=order == Qt.SortOrder.DescendingOrder)


def test_tiers_sort_by_rank_not_by_label(proxy: PortfolioProxyModel) -> None:
    column = column_index("ctpat_tier")
    proxy.sort(column, Qt.SortOrder.DescendingOrder)
    tiers = [proxy.index(row, column).data() for row in range(proxy.rowCount())]
    assert tiers == ["Tier 3", "Tier 2", "Tier 1", "—", ""]
