"""An empty grid says why it is empty, once it has loaded (not while it is still loading)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView

from app.ui.widgets.empty_hint import EmptyHint

pytestmark = pytest.mark.gui


def test_shows_only_when_a_loaded_model_has_no_rows(qtbot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    model = QStandardItemModel(0, 2)
    view.setModel(model)
    hint = EmptyHint(view, "No contacts yet")
    view.show()
    assert not hint.isVisible()  # not loaded yet: no claim that there is nothing

    model.clear()  # a load that found nothing (a reset)
    assert hint.isVisible() and hint.text() == "No contacts yet"
    assert hint.geometry().width() > 0

    model.appendRow([QStandardItem("Rachel Taylor"), QStandardItem("Broker")])
    assert not hint.isVisible()
    model.removeRow(0)
    assert hint.isVisible()
