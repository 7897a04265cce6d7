"""Quick-find (Ctrl+K): accent-insensitive highlighting, the hits model, and the keyboard flow."""

from __future__ import annotations

import uuid

import pytest
from PySide6.QtCore import Qt

from app.domain.views import SearchHit
from app.ui.dialogs.quickfind import QuickFindDialog
from app.ui.models.search_hits import (
    HeaderRole,
    HitRole,
    HtmlRole,
    SearchHitsModel,
    fold_text,
    highlight_html,
    highlight_spans,
)

ACCOUNT = uuid.UUID("018f0000-0000-7000-8000-000000000001")
HITS = [
    SearchHit("note", ACCOUNT, "Société Lumière SA", "Call 2026-11-02", "Asked about the CF-28…", "n1"),
    SearchHit("account", ACCOUNT, "Société Lumière SA", "Société Lumière SA", "account", str(ACCOUNT)),
    SearchHit("entry", ACCOUNT, "Société Lumière SA", "ABC-1234567-6", "entry 2026-01-02", "ABC-1234567-6"),
]


def test_fold_keeps_one_character_per_character() -> None:
    for text in ("Société Lumière", "Müller Präzisionsteile", "Straße", "İstanbul", "ﬁne"):
        assert len(fold_text(text)) == len(text)
    assert fold_text("Société ÉLAN") == "societe elan"


def test_highlight_positions_ignore_accents_and_case() -> None:
    assert highlight_spans("Société Lumière SA", "societe LUMI") == [(0, 7), (8, 12)]
    # Words match as prefixes of words, like the search: "ere" inside "Lumière" is not a hit.
    assert highlight_spans("Société Lumière SA", "ere") == []
    assert highlight_spans("Café Tierra Dorada", "cafe cafe") == [(0, 4)]
    assert highlight_spans("no match here", "") == []
    assert highlight_html("Müller <GmbH> & Co", "muller gmbh") == "<b>Müller</b> &lt;<b>GmbH</b>&gt; &amp; Co"


def test_model_groups_hits_by_kind_under_headers(qtmodeltester, qapp) -> None:
    model = SearchHitsModel()
    model.set_hits(HITS, "societe")
    qtmodeltester.check(model)
    headers = [
        model.index(row, 0).data() for row in range(model.rowCount()) if model.index(row, 0).data(HeaderRole)
    ]
    assert headers == ["Entries", "Accounts", "Notes"]
    assert model.hit_count() == 3
    assert model.index(0, 0).flags() == Qt.ItemFlag.NoItemFlags
    assert model.index(1, 0).data(HitRole) is HITS[2]
    assert model.index(3, 0).data(HtmlRole).startswith("<b>Société</b> Lumière SA<br>")
    assert (
        model.index(3, 0).data(Qt.ItemDataRole.AccessibleTextRole) == "Account: Société Lumière SA. account"
    )


def test_empty_model_passes_the_model_tester(qtmodeltester, qapp) -> None:
    model = SearchHitsModel()
    model.set_hits([], "")
    qtmodeltester.check(model)


def _dialog(qtbot, context) -> QuickFindDialog:
    dialog = QuickFindDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_typing_without_accents_finds_the_account(qtbot, demo_workspace, make_context) -> None:
    dialog = _dialog(qtbot, make_context(demo_workspace))
    dialog.open_search()
    with qtbot.waitSignal(dialog.results_shown) as blocker:
        qtbot.keyClicks(dialog.line, "societe lumi")
    assert blocker.args[0] >= 1
    names = {
        dialog.model.hit_at(row).account_name
        for row in range(dialog.model.rowCount())
        if dialog.model.hit_at(row)
    }
    assert "Société Lumière SA" in names
    hit = dialog.current_hit()
    assert hit is not None and hit.kind == "account" and hit.title == "Société Lumière SA"


def test_down_then_enter_activates_the_second_hit(qtbot, demo_workspace, make_context) -> None:
    dialog = _dialog(qtbot, make_context(demo_workspace))
    with qtbot.waitSignal(dialog.results_shown) as blocker:
        qtbot.keyClicks(dialog.line, "customs")  # a word of many demo notes
    assert blocker.args[0] >= 2
    rows = [row for row in range(dialog.model.rowCount()) if dialog.model.hit_at(row)]
    qtbot.keyClick(dialog.line, Qt.Key.Key_Down)
    expected = dialog.model.hit_at(rows[1])
    with qtbot.waitSignal(dialog.activated) as activated:
        qtbot.keyClick(dialog.line, Qt.Key.Key_Return)
    assert activated.args == [expected]
    assert not dialog.isVisible()


def test_up_at_the_top_stays_on_the_first_hit(qtbot, demo_workspace, make_context) -> None:
    dialog = _dialog(qtbot, make_context(demo_workspace))
    with qtbot.waitSignal(dialog.results_shown):
        qtbot.keyClicks(dialog.line, "customs")
    first = dialog.current_hit()
    qtbot.keyClick(dialog.line, Qt.Key.Key_Up)
    assert dialog.current_hit() == first


def test_escape_closes(qtbot, demo_workspace, make_context) -> None:
    dialog = _dialog(qtbot, make_context(demo_workspace))
    qtbot.keyClick(dialog.line, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


class _HeldRunner:
    """Keeps each request's callback so the test decides the order the answers arrive in."""

    def __init__(self) -> None:
        self.pending: list = []

    def run(self, work, *, on_result, **_kwargs) -> None:
        self.pending.append((work, on_result))


def test_a_late_answer_to_an_older_request_is_dropped(qtbot, demo_workspace, make_context) -> None:
    runner = _HeldRunner()
    dialog = _dialog(qtbot, make_context(demo_workspace, runner=runner))
    for text in ("customs", "societe"):
        dialog.line.setText(text)
        dialog._search()
    (old_work, old_done), (new_work, new_done) = runner.pending
    new_done(new_work(None, None))
    old_done(old_work(None, None))  # arrives last, answers an outdated request
    hit = dialog.current_hit()
    assert hit is not None and "Soci" in hit.account_name
