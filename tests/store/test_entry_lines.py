"""The Entries grid queries: one row per line with its entry's header, scope, every filter kind, every sort
column with its (entry number, line number) tie-break, held only, keys vs pages, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from app.domain.errors import ValidationError
from app.domain.identifiers import make_entry_number
from app.services import entry_lines
from app.services.workspace import Workspace
from app.store import orm
from tests.store import factories as f


@dataclass(frozen=True)
class Lines:
    acme: uuid.UUID
    other: uuid.UUID
    entries: dict[str, str]  # label -> canonical entry number


# label: (account, filer, serial, entry date, type, port, MOT, release date, lines)
# a line: (country, MID, value cents, duty cents, HTS numbers in ordinal order)
ENTRIES = {
    "a1": (
        "acme",
        "ABC",
        1001,
        date(2026, 3, 1),
        "01",
        "2704",
        "11",
        date(2026, 3, 2),
        [
            ("CN", "CNSHAMAC1234SHA", 50_000, 1_250, ["8471300100"]),
            ("CN", "CNSHAMAC1234SHA", 10_000, 0, ["8473301180", "9903880300"]),
        ],
    ),
    "a2": (
        "acme",
        "ABC",
        1002,
        date(2026, 4, 15),
        "11",
        "1001",
        "40",
        None,
        [("VN", "VNHANGAR55HAN", 99_999, 5_000, ["6110202079"])],
    ),
    "a3": (
        "acme",
        "XYZ",
        1003,
        date(2026, 3, 1),
        "06",
        "2704",
        "11",
        date(2026, 3, 5),
        [
            ("MX", "MXACEMON601QUE", 50_000, 300, ["8708295060"]),
            ("CA", "XCLAUMOT2978VAN", 1_000, 0, []),
            ("MX", "MXACEMON601QUE", 75_000, 1_250, ["8708295060"]),
        ],
    ),
    "o1": (
        "other",
        "ABC",
        1004,
        date(2026, 5, 1),
        "01",
        "2704",
        "11",
        date(2026, 5, 2),
        [("CN", "CNSHAMAC1234SHA", 20_000, 700, ["8471300100"])],
    ),
    "gone": (
        "deleted",
        "ABC",
        1005,
        date(2026, 5, 2),
        "01",
        "2704",
        "11",
        None,
        [("CN", "CNSHAMAC1234SHA", 30_000, 900, ["8471300100"])],
    ),
}


@pytest.fixture
def data(workspace: Workspace) -> Lines:
    with workspace.database.session() as session:
        accounts = {
            "acme": f.add_account(session, "Acme Imports"),
            "other": f.add_account(session, "Other Trading"),
            "deleted": f.add_account(session, "Gone Inc", deleted=True),
        }
        numbers = {}
        for label, (owner, filer, serial, day, kind, port, mot, released, lines) in ENTRIES.items():
            number = make_entry_number(filer, serial).canonical
            numbers[label] = number
            session.add(
                orm.EntryRow(
                    entry_number=number,
                    filer_code=filer,
                    account_id=accounts[owner],
                    importer_number="",
                    entry_type=kind,
                    port_of_entry=port,
                    mode_of_transport=mot,
                    entry_date=day,
                    release_date=released,
                )
            )
            session.flush()
            for line_number, (country, mid, value, duty, tariffs) in enumerate(lines, start=1):
                line = orm.EntryLineRow(
                    entry_number=number,
                    line_number=line_number,
                    country_of_origin=country,
                    mid=mid,
                    entered_value_cents=value,
                    duty_cents=duty,
                    first_hts_number=tariffs[0] if tariffs else None,  # as the writers of tariffs keep it
                )
                session.add(line)
                session.flush()
                for ordinal, hts in enumerate(tariffs, start=1):
                    session.add(orm.LineTariffRow(line_id=line.id, ordinal=ordinal, hts_number=hts))
        session.flush()
        f.add_hold(session, numbers["a2"], accounts["acme"], datetime(2026, 4, 16, 9), port="1001")
        f.add_hold(
            session,
            numbers["o1"],
            accounts["other"],
            datetime(2026, 5, 1, 9),
            removed_at=datetime(2026, 5, 3),
        )
    return Lines(accounts["acme"], accounts["other"], numbers)


def _labels(data: Lines, keys: list[tuple[str, int]]) -> list[str]:
    names = {number: label for label, number in data.entries.items()}
    return [f"{names[number]}/{line}" for number, line in keys]


def _keys(ws: Workspace, data: Lines, **kw) -> list[str]:
    kw.setdefault("sort", "entry_number")
    kw.setdefault("descending", False)
    return _labels(data, entry_lines.line_keys(ws, data.acme, **kw))


def _page(ws: Workspace, data: Lines, **kw) -> list[str]:
    kw.setdefault("sort", "entry_number")
    kw.setdefault("descending", False)
    return _labels(data, [row.key for row in entry_lines.line_page(ws, None, limit=100, **kw)])


def test_one_row_per_line_with_the_entry_header(workspace: Workspace, data: Lines) -> None:
    keys = entry_lines.line_keys(workspace, data.acme, sort="entry_number", descending=False)
    assert _labels(data, keys) == ["a1/1", "a1/2", "a2/1", "a3/1", "a3/2", "a3/3"]
    rows = entry_lines.line_rows(workspace, [keys[1], keys[2], keys[4]])
    assert [row.key for row in rows] == [keys[1], keys[2], keys[4]]  # the order asked for
    second, held, no_tariff = rows
    assert second.entry_number == "ABC-0001001-" + data.entries["a1"][-1]
    assert (second.line_number, second.entry_date, second.entry_type) == (2, date(2026, 3, 1), "01")
    assert (second.port_of_entry, second.mode_of_transport, second.release_date) == (
        "2704",
        "11",
        date(2026, 3, 2),
    )
    assert second.hts_number == "8473301180"  # the first tariff row, not the chapter 99 one
    assert (second.country_of_origin, second.mid) == ("CN", "CNSHAMAC1234SHA")
    assert (second.entered_value_cents, second.duty_cents, second.held) == (10_000, 0, False)
    assert (held.held, held.release_date, held.country_of_origin) == (True, None, "VN")
    assert (no_tariff.hts_number, no_tariff.country_of_origin) == ("", "CA")


def test_rows_of_gone_keys_are_left_out(workspace: Workspace, data: Lines) -> None:
    rows = entry_lines.line_rows(workspace, [(data.entries["a1"], 9), (data.entries["a2"], 1)])
    assert [row.key for row in rows] == [(data.entries["a2"], 1)]
    assert entry_lines.line_rows(workspace, []) == []


def test_portfolio_scope_leaves_out_deleted_accounts(workspace: Workspace, data: Lines) -> None:
    assert _page(workspace, data) == ["a1/1", "a1/2", "a2/1", "o1/1", "a3/1", "a3/2", "a3/3"]
    assert entry_lines.line_count(workspace, None, with_entries=True) == entry_lines.LineCount(7, 4)
    assert entry_lines.line_count(workspace, data.acme, with_entries=True) == entry_lines.LineCount(6, 3)
    assert entry_lines.line_count(workspace, data.other).lines == 1
    assert entry_lines.line_count(workspace, data.other).entries is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ABC-00010", ["a1/1", "a1/2", "a2/1"]),  # entry-number prefix with dashes
        ("abc0001002", ["a2/1"]),  # without dashes, any case
        ("XYZ", ["a3/1", "a3/2", "a3/3"]),
        ("8708", ["a3/1", "a3/3"]),  # HTS prefix
        ("8473.30", ["a1/2"]),  # with dots
        ("9903", ["a1/2"]),  # any tariff row of the line
        ("mx", ["a3/1", "a3/3"]),  # country of origin
        ("VN", ["a2/1"]),
        ("XCLAU", ["a3/2"]),  # MID prefix
        ("1001", ["a2/1"]),  # port code
        ("2704 MX", ["a3/1", "a3/3"]),  # every word must match
        ("ZZ", []),
        ("--", ["a1/1", "a1/2", "a2/1", "a3/1", "a3/2", "a3/3"]),  # nothing to match on: no filter
    ],
)
def test_filter_each_kind(workspace: Workspace, data: Lines, text: str, expected: list[str]) -> None:
    assert _keys(workspace, data, text=text) == expected
    assert entry_lines.line_count(workspace, data.acme, text=text).lines == len(expected)


def test_filter_over_the_portfolio(workspace: Workspace, data: Lines) -> None:
    assert _page(workspace, data, text="CN") == ["a1/1", "a1/2", "o1/1"]
    assert entry_lines.line_count(workspace, None, text="CN").lines == 3
    assert _page(workspace, data, text="8471") == ["a1/1", "o1/1"]


def test_held_only(workspace: Workspace, data: Lines) -> None:
    assert _keys(workspace, data, held_only=True) == ["a2/1"]
    assert _page(workspace, data, held_only=True) == ["a2/1", "o1/1"]  # a released hold still counts
    assert entry_lines.line_count(workspace, None, held_only=True).lines == 2
    assert _keys(workspace, data, held_only=True, text="CN") == []


ASCENDING = {
    "entry_number": ["a1/1", "a1/2", "a2/1", "a3/1", "a3/2", "a3/3"],
    "line_number": ["a1/1", "a2/1", "a3/1", "a1/2", "a3/2", "a3/3"],
    "entry_date": ["a1/1", "a1/2", "a3/1", "a3/2", "a3/3", "a2/1"],
    "entry_type": ["a1/1", "a1/2", "a3/1", "a3/2", "a3/3", "a2/1"],
    "port": ["a2/1", "a1/1", "a1/2", "a3/1", "a3/2", "a3/3"],
    "mode": ["a1/1", "a1/2", "a3/1", "a3/2", "a3/3", "a2/1"],
    "release_date": ["a2/1", "a1/1", "a1/2", "a3/1", "a3/2", "a3/3"],  # no release date first
    "held": ["a1/1", "a1/2", "a3/1", "a3/2", "a3/3", "a2/1"],
    "hts": ["a3/2", "a2/1", "a1/1", "a1/2", "a3/1", "a3/3"],  # no tariff first
    "country": ["a3/2", "a1/1", "a1/2", "a3/1", "a3/3", "a2/1"],
    "mid": ["a1/1", "a1/2", "a3/1", "a3/3", "a2/1", "a3/2"],
    "value": ["a3/2", "a1/2", "a1/1", "a3/1", "a3/3", "a2/1"],
    "duty": ["a1/2", "a3/2", "a3/1", "a1/1", "a3/3", "a2/1"],
}


def test_every_sort_key_is_covered() -> None:
    assert set(ASCENDING) == set(entry_lines.SORT_KEYS)


@pytest.mark.parametrize("sort", sorted(ASCENDING))
def test_sort_each_column_with_tie_break(workspace: Workspace, data: Lines, sort: str) -> None:
    expected = ASCENDING[sort]
    assert _keys(workspace, data, sort=sort) == expected
    assert _keys(workspace, data, sort=sort, descending=True) == expected[::-1]
    # the portfolio's pages follow the same order (other accounts' lines interleaved)
    page = [label for label in _page(workspace, data, sort=sort) if label.startswith("a")]
    assert page == expected


def test_pages_by_position(workspace: Workspace, data: Lines) -> None:
    rows = entry_lines.line_page(workspace, None, sort="value", descending=True, limit=2, offset=1)
    assert _labels(data, [row.key for row in rows]) == ["a3/3", "a3/1"]  # ties descending too
    assert _labels(
        data,
        [r.key for r in entry_lines.line_page(workspace, data.acme, sort="value", descending=False, limit=1)],
    ) == ["a3/2"]


def test_unknown_sort_and_bad_page_are_refused(workspace: Workspace, data: Lines) -> None:
    with pytest.raises(ValidationError) as error:
        entry_lines.line_keys(workspace, data.acme, sort="colour", descending=False)
    assert error.value.field == "sort"
    with pytest.raises(ValidationError):
        entry_lines.line_page(workspace, None, limit=-1)


@pytest.mark.parametrize("sort", ["held", "value"])
@pytest.mark.parametrize("descending", [False, True])
def test_one_line_pages_walk_the_whole_order(
    workspace: Workspace, data: Lines, sort: str, descending: bool
) -> None:
    whole = [
        row.key for row in entry_lines.line_page(workspace, None, sort=sort, descending=descending, limit=50)
    ]
    assert len(whole) == 7
    pages = [
        entry_lines.line_page(workspace, None, sort=sort, descending=descending, limit=1, offset=offset)
        for offset in range(8)
    ]
    assert [row.key for page in pages for row in page] == whole
    held_first = entry_lines.line_page(workspace, data.acme, sort="held", descending=True, limit=2)
    assert _labels(data, [row.key for row in held_first]) == ["a2/1", "a3/3"]
