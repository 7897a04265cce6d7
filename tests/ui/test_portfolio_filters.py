"""The portfolio's filter bar (Center, tier, risk, open holds) and column chooser: proxy and screen."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import SIGNAL, Qt
from PySide6.QtWidgets import QWidget

from app.domain.enums import CenterCode, CTPATTier, RiskSegment
from app.services.accounts import list_portfolio
from app.ui.models.portfolio import COLUMNS, PortfolioModel, PortfolioProxyModel, RowFilter, column_index
from app.ui.views.portfolio import PortfolioView
from app.ui.views.portfolio_controls import filter_from_values, filter_to_values
from tests.ui.rows import TODAY, sample_rows

pytestmark = pytest.mark.gui


@pytest.fixture
def proxy(qapp) -> PortfolioProxyModel:
    model = PortfolioModel(today=TODAY)
    model.set_rows(sample_rows())
    proxy = PortfolioProxyModel()
    proxy.setSourceModel(model)
    return proxy


def names(proxy: PortfolioProxyModel) -> list[str]:
    return sorted(proxy.index(row, column_index("name")).data() for row in range(proxy.rowCount()))


# --- the proxy ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row_filter", "expected"),
    [
        (RowFilter(center=CenterCode.MACH), ["Cobalt Machinery Inc"]),
        (RowFilter(tier=CTPATTier.TIER2), ["Acme Imports LLC"]),
        # "None": not a partner, whether the account says so or has no CTPAT history at all.
        (RowFilter(tier=CTPATTier.NONE), ["Delta Pharma Corp", "blue harbor foods"]),
        (RowFilter(risk=RiskSegment.LOW), ["Acme Imports LLC", "Delta Pharma Corp", "Evergreen Apparel"]),
        (RowFilter(open_holds_only=True), ["Acme Imports LLC", "Delta Pharma Corp", "blue harbor foods"]),
        (RowFilter(risk=RiskSegment.LOW, open_holds_only=True), ["Acme Imports LLC", "Delta Pharma Corp"]),
        (RowFilter(center=CenterCode.BM), []),
    ],
)
def test_each_filter_alone(proxy: PortfolioProxyModel, row_filter: RowFilter, expected: list[str]) -> None:
    proxy.set_row_filter(row_filter)
    assert names(proxy) == expected


def test_filters_combine_with_the_text(proxy: PortfolioProxyModel) -> None:
    proxy.set_row_filter(RowFilter(open_holds_only=True))
    proxy.set_filter_text("pharma")
    assert names(proxy) == ["Delta Pharma Corp"]
    proxy.set_row_filter(RowFilter())
    proxy.set_filter_text("")
    assert proxy.rowCount() == 5


def test_proxy_passes_the_model_tester_with_filters(qtmodeltester, proxy: PortfolioProxyModel) -> None:
    proxy.set_row_filter(RowFilter(risk=RiskSegment.LOW, open_holds_only=True))
    qtmodeltester.check(proxy)
    proxy.set_filter_text("acme")
    proxy.sort(column_index("open_holds"), Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)


def test_choices_round_trip_through_settings_text() -> None:
    chosen = RowFilter(CenterCode.PHC, CTPATTier.NONE, RiskSegment.HIGH, open_holds_only=True)
    assert filter_from_values(filter_to_values(chosen)) == chosen
    assert filter_to_values(RowFilter()) == {}
    # A value this version does not know (an old or hand-edited file) means "All", not an error.
    assert filter_from_values({"center": "MOON", "tier": "TIER9", "open_holds": "yes"}) == RowFilter()


# --- the screen ---------------------------------------------------------------------------------------------


@pytest.fixture
def open_view(qtbot, make_context, demo_workspace):
    """`open_view()`: a portfolio screen on the demo portfolio, loaded; each call reads the same settings."""

    def open_() -> PortfolioView:
        view = PortfolioView(make_context(demo_workspace))
        qtbot.addWidget(view)
        view.reload()
        return view

    return open_


def test_each_bar_control_narrows_the_screen_and_the_count(open_view, demo_workspace) -> None:
    rows = list_portfolio(demo_workspace)
    view = open_view()
    bar = view.filter_bar
    bar.center_combo.setCurrentIndex(bar.center_combo.findData(CenterCode.ELEC))
    expected = sum(row.center == CenterCode.ELEC for row in rows)
    assert 0 < view.proxy.rowCount() == expected < len(rows)
    assert view.count_label.text() == f"{expected:,} of {len(rows):,} accounts"
    bar.center_combo.setCurrentIndex(0)
    bar.tier_combo.setCurrentIndex(bar.tier_combo.findData(CTPATTier.TIER3))
    assert view.proxy.rowCount() == sum(row.ctpat_tier == CTPATTier.TIER3 for row in rows)
    bar.tier_combo.setCurrentIndex(0)
    bar.risk_combo.setCurrentIndex(bar.risk_combo.findData(RiskSegment.HIGH))
    assert view.proxy.rowCount() == sum(row.risk_segment == RiskSegment.HIGH for row in rows)
    bar.risk_combo.setCurrentIndex(0)
    bar.holds_check.setChecked(True)
    with_holds = sum(row.open_holds > 0 for row in rows)
    assert 0 < view.proxy.rowCount() == with_holds < len(rows)
    view.filter_edit.setText(rows[0].name)
    assert view.proxy.rowCount() == (1 if rows[0].open_holds else 0)
    bar.holds_check.setChecked(False)
    view.filter_edit.clear()
    assert view.count_label.text() == f"{len(rows):,} accounts"


def test_center_choices_are_the_ten_centers_with_their_names(open_view) -> None:
    combo = open_view().filter_bar.center_combo
    assert [combo.itemData(i) for i in range(1, combo.count())] == list(CenterCode)
    elec = combo.findData(CenterCode.ELEC)
    assert combo.itemText(elec) == "ELEC"
    assert combo.itemData(elec, Qt.ItemDataRole.ToolTipRole) == "Electronics"


def test_every_control_is_named_and_tabs_in_order(open_view) -> None:
    view = open_view()
    chain: list[QWidget] = [
        view.filter_edit,
        *view.filter_bar.controls(),
        view.contact_chip,
        view.columns_button,
    ]
    for widget in chain:
        if widget is not view.contact_chip:  # named when shown, after what it filters
            assert widget.accessibleName(), widget.objectName()
    for before, after in itertools.pairwise([*chain, view.table]):
        assert _next_focus(before) is after, before.objectName()


def _next_focus(widget: QWidget) -> QWidget:
    """The next widget that takes tab focus (skipping the line edit's clear button and the like)."""
    current = widget.nextInFocusChain()
    while not current.focusPolicy() & Qt.FocusPolicy.TabFocus:
        current = current.nextInFocusChain()
    return current


def test_filter_choices_survive_a_reopen(open_view) -> None:
    view = open_view()
    bar = view.filter_bar
    bar.center_combo.setCurrentIndex(bar.center_combo.findData(CenterCode.PHC))
    bar.risk_combo.setCurrentIndex(bar.risk_combo.findData(RiskSegment.LOW))
    bar.holds_check.setChecked(True)
    shown = view.proxy.rowCount()
    view.save_state()
    view.context.settings.sync()

    again = open_view()
    assert again.proxy.row_filter == RowFilter(CenterCode.PHC, None, RiskSegment.LOW, open_holds_only=True)
    assert isinstance(again.proxy.row_filter.center, CenterCode)
    assert again.filter_bar.holds_check.isChecked()
    assert again.proxy.rowCount() == shown


def test_no_contact_list_and_quick_find_clear_the_bar(open_view, demo_workspace) -> None:
    view = open_view()
    bar = view.filter_bar
    bar.holds_check.setChecked(True)
    view.apply_filter({"no_contact_days": 10})
    assert view.proxy.row_filter == RowFilter()
    assert not bar.holds_check.isChecked()
    assert view.contact_chip.isVisibleTo(view)
    view.apply_filter({})
    bar.center_combo.setCurrentIndex(bar.center_combo.findData(CenterCode.BM))
    other = next(row for row in list_portfolio(demo_workspace) if row.center != CenterCode.BM)
    view.show_account(other.account_id)
    assert bar.center_combo.currentIndex() == 0
    assert view.selected_account_ids() == [other.account_id]


def _column_actions(view: PortfolioView):
    menu = view.columns_button.menu()
    menu.aboutToShow.emit()
    return menu.actions()


def test_column_chooser_lists_every_column_and_keeps_account(open_view) -> None:
    view = open_view()
    actions = _column_actions(view)
    assert [action.text() for action in actions] == [column.title for column in COLUMNS]
    assert all(action.isChecked() for action in actions)
    account = actions[column_index("name")]
    assert not account.isEnabled()

    header = view.table.horizontalHeader()
    # A right-click on the header opens the same menu (popping it up here would only warn offscreen).
    assert header.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    assert header.receivers(SIGNAL("customContextMenuRequested(QPoint)")) == 1


def test_column_chooser_hides_and_shows_and_survives_a_reopen(open_view) -> None:
    view = open_view()
    header = view.table.horizontalHeader()
    exam, entries = column_index("exam_rate_12m"), column_index("entries_12m")
    _column_actions(view)[exam].setChecked(False)
    _column_actions(view)[entries].setChecked(False)
    assert header.isSectionHidden(exam) and header.isSectionHidden(entries)
    _column_actions(view)[entries].setChecked(True)
    assert not header.isSectionHidden(entries)
    view.save_state()
    view.context.settings.sync()

    again = open_view()
    header = again.table.horizontalHeader()
    assert header.isSectionHidden(exam)
    assert not header.isSectionHidden(entries)
    actions = _column_actions(again)
    assert not actions[exam].isChecked() and actions[entries].isChecked()


def test_a_saved_state_cannot_hide_the_account_column(open_view) -> None:
    view = open_view()
    header = view.table.horizontalHeader()
    header.setSectionHidden(column_index("name"), True)  # as an old or hand-edited settings file might
    view.save_state()
    view.context.settings.sync()
    again = open_view()
    assert not again.table.horizontalHeader().isSectionHidden(column_index("name"))
