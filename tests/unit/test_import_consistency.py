"""Rows of one entry or line that disagree are kept, with a warning naming both rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.domain.import_consistency import RECENT_ENTRIES, RowConsistency

ENTRY = "K7X00041067"


def row(**changes: Any) -> dict[str, Any]:
    values = {
        "entry_number": ENTRY,
        "line_number": 1,
        "importer_number": "20584410200",
        "entry_type": "01",
        "port_of_entry": "2704",
        "entry_date": date(2026, 10, 18),
        "release_date": None,
        "mode_of_transport": "40",
        "country_of_origin": "DE",
        "mid": None,
    }
    return {**values, **changes}


def test_the_same_values_on_every_row_raise_nothing() -> None:
    check = RowConsistency()
    assert check.check(2, row()) == []
    assert check.check(3, row(line_number=2, country_of_origin="KR")) == []  # another line: its own country
    assert check.check(4, row(release_date=None, mid=None)) == []  # blank is "not given", never a change


def test_a_different_entry_value_is_a_warning_naming_both_rows() -> None:
    check = RowConsistency()
    check.check(2, row())
    (issue,) = check.check(5, row(line_number=2, port_of_entry="1001"))
    assert (issue.row, issue.column, issue.severity) == (5, "port_of_entry", "warning")
    assert issue.message.startswith("entry K7X-0004106-7: port of entry 1001 here but 2704 on row 2")
    (date_issue,) = check.check(6, row(line_number=3, port_of_entry="1001", entry_date=date(2026, 10, 19)))
    assert "10/19/2026 here but 10/18/2026 on row 2" in date_issue.message


def test_a_different_line_value_names_the_line_and_ssn_numbers_stay_masked() -> None:
    check = RowConsistency()
    check.check(2, row(importer_number="123456789"))
    issues = check.check(3, row(country_of_origin="CN", importer_number="287654321"))
    assert [issue.column for issue in issues] == ["importer_number", "country_of_origin"]
    assert "***-**-4321 here but ***-**-6789" in issues[0].message
    assert issues[1].message.startswith("line 1 of entry K7X-0004106-7: country of origin CN here but DE")


def test_only_recent_entries_are_remembered() -> None:
    check = RowConsistency()
    check.check(2, row())
    for index in range(RECENT_ENTRIES):
        check.check(3 + index, row(entry_number=f"K7X{index:07d}0"))
    assert len(check.entries) == RECENT_ENTRIES and ENTRY not in check.entries
