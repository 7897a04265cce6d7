"""Tools menu calculators: entry check digit, MID builder, deadline calculator."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from app.services.reference import known_country_codes
from app.ui.dialogs.deadline_rules import RULES, compute
from app.ui.dialogs.deadlines import DeadlineDialog
from app.ui.dialogs.entry_check import EntryCheckDialog, check_entry
from app.ui.dialogs.mid_builder import MidBuilderDialog, compose_mid
from app.ui.dialogs.tools import tool_actions

# DOMAIN.md §4.2, the five worked examples.
ENTRY_EXAMPLES = [
    ("ABC", "1234567", 6, "ABC-1234567-6"),
    ("999", "9999999", 0, "999-9999999-0"),
    ("316", "0123456", 5, "316-0123456-5"),
    ("M2X", "0004512", 5, "M2X-0004512-5"),
    ("EA7", "1049385", 2, "EA7-1049385-2"),
]


@pytest.mark.parametrize(("filer", "transaction", "digit", "display"), ENTRY_EXAMPLES)
def test_entry_calculator_computes_the_worked_examples(qtbot, filer, transaction, digit, display) -> None:
    dialog = EntryCheckDialog()
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.input, f"{filer.lower()} {transaction}")
    assert dialog.digit.text() == str(digit)
    assert dialog.display.text() == display
    assert dialog.copy_button.isEnabled()


@pytest.mark.parametrize(("filer", "transaction", "digit", "display"), ENTRY_EXAMPLES)
def test_entry_calculator_verifies_whole_numbers(filer, transaction, digit, display) -> None:
    assert check_entry(display).valid
    assert check_entry(display.replace("-", "")).message == "Valid entry number"
    wrong = (digit + 1) % 10
    result = check_entry(f"{filer}{transaction}{wrong}")
    assert not result.valid
    assert result.message == f"Invalid: check digit should be {digit}, not {wrong}"
    assert result.display == display


def test_entry_calculator_explains_malformed_input(qtbot) -> None:
    dialog = EntryCheckDialog()
    qtbot.addWidget(dialog)
    assert not dialog.copy_button.isEnabled()
    qtbot.keyClicks(dialog.input, "AB#1234567")
    assert dialog.display.text() == ""
    assert dialog.status.text() == "Filer code must be 3 letters or digits"


def test_entry_calculator_copies_the_display_form(qtbot) -> None:
    dialog = EntryCheckDialog()
    qtbot.addWidget(dialog)
    dialog.input.setText("abc12345670")
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == "ABC-1234567-6"


def test_mid_builder_shows_each_part_of_the_domain_example(qtbot) -> None:
    dialog = MidBuilderDialog(known_country_codes())
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.country, "au")
    qtbot.keyClicks(dialog.name, "Ozrock")
    qtbot.keyClicks(dialog.street, "92 Alice Springs Road")
    qtbot.keyClicks(dialog.city, "Melbourne")
    parts = (dialog.name_part.text(), dialog.number_part.text(), dialog.city_part.text())
    assert parts == ("OZR", "92", "MEL")
    assert dialog.mid.text() == "AUOZR92MEL"
    assert dialog.problems.text() == ""


def test_mid_builder_truncates_the_largest_number_and_warns_on_country() -> None:
    known = known_country_codes()
    result = compose_mid("US", "Amalgamated Plastics Corp.", "11455 Main St, Suite 9999", "Chicago", known)
    assert (result.name_part + result.number_part) == "AMAPLA1145"
    assert compose_mid("CA", "Ozrock", "92 Road", "Toronto", known).problems == [
        "For canada use the province code (xa-xy) instead of ca"
    ]
    assert compose_mid("XO", "Ozrock", "92 Road", "Toronto", known).mid == "XOOZR92TOR"
    assert compose_mid("QQ", "Ozrock", "", "Toronto", known).problems == [
        "Mid starts with unknown country code QQ"
    ]


def test_cf28_due_date_is_thirty_calendar_days(qtbot) -> None:
    dialog = DeadlineDialog(today=date(2026, 11, 23))
    qtbot.addWidget(dialog)
    dialog.select_rule("cf28")
    dialog.first.setDate(QDate(2026, 11, 2))
    assert dialog.result_lines() == [("Reply due", "Wed 12/02/2026 (in 9 days)")]
    assert dialog.rule_text.text().startswith("CF-28 Request for Information: reply within 30 days")
    assert not dialog.second.isVisible()


def test_detention_clock_counts_business_days_over_thanksgiving(qtbot) -> None:
    # Presented Fri 11/20/2026; Thanksgiving is Thu 11/26/2026, so business day 5 is Mon 11/30.
    dialog = DeadlineDialog(today=date(2026, 12, 1))
    qtbot.addWidget(dialog)
    dialog.select_rule("detention")
    dialog.first.setDate(QDate(2026, 11, 20))
    lines = dict(dialog.result_lines())
    assert lines["Detention decision due"] == "Mon 11/30/2026 (1 day ago)"
    assert lines["Notice of detention due"] == "Mon 12/07/2026 (in 6 days)"
    assert lines["Deemed exclusion on"] == "Sun 12/20/2026 (in 19 days)"
    assert lines["Age on 12/01/2026"] == "6 business days, 11 calendar days"
    assert lines["State"] == "Detention decision due"
    assert "19 CFR 151.16" in dialog.rule_text.text()


def test_psc_uses_the_scheduled_liquidation_only_when_given(qtbot) -> None:
    dialog = DeadlineDialog(today=date(2026, 1, 2))
    qtbot.addWidget(dialog)
    dialog.select_rule("psc")
    dialog.first.setDate(QDate(2026, 1, 2))
    # Without a scheduled date: estimated liquidation (entry + 314) - 15 = entry + 299 days.
    assert dialog.result_lines() == [("Last day to file", "Wed 10/28/2026 (in 299 days)")]
    dialog.second.setDate(QDate(2026, 6, 1))
    dialog.use_second.setChecked(True)
    assert dialog.result_lines() == [("Last day to file", "Sun 05/17/2026 (in 135 days)")]


def test_every_rule_computes_and_cites_its_source() -> None:
    for rule in RULES:
        lines = compute(rule.key, date(2026, 3, 2), None, date(2026, 3, 2))
        assert lines and all(value for _, value in lines)
        assert rule.text


# The offscreen platform cannot raise a window and says so; on a desktop raise() brings the dialog to front.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_tool_actions_open_one_dialog_each(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    actions = tool_actions(window)
    assert [a.shortcut().toString() for a in actions] == ["Ctrl+Alt+E", "Ctrl+Alt+M", "Ctrl+Alt+D"]
    for action, kind in zip(actions, (EntryCheckDialog, MidBuilderDialog, DeadlineDialog), strict=True):
        action.trigger()
        action.trigger()  # shown again, not duplicated
        dialogs = window.findChildren(kind)
        assert len(dialogs) == 1 and dialogs[0].isVisible() and not dialogs[0].isModal()
