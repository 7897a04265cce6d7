"""The bundled reference tables (resources/reference/) and their reader (app.store.reference)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from app.domain.enums import CenterCode, ComplianceEventType, ExamType, HoldCategory, HoldOwner
from app.locations import reference_dir
from app.store import reference
from app.store.reference import (
    REFERENCE_FILES,
    ReferenceDataError,
    center_rows,
    known_country_codes,
    known_port_codes,
    port_names,
    read_reference,
    reference_version,
)

HOLD_HEADER = ["code", "label", "owner", "agency", "typical_exam", "min_days", "max_days", "aliases"]
EXPECTED_HEADERS: dict[str, list[str]] = {
    "centers": ["code", "name", "industry", "office", "office_port", "hts_chapters", "wave"],
    "ports": ["code", "name", "state", "kind", "retired", "confidence"],
    "entry_types": ["code", "description", "active", "retired_on"],
    "transport_modes": ["code", "description", "kind", "confidence"],
    "hold_categories": HOLD_HEADER,
    "disposition_codes": ["code", "meaning", "effect", "hold_action", "category", "confidence"],
    "agencies": ["code", "name", "kind"],
    "compliance_event_types": ["code", "label", "aliases", "deadline_days", "deadline_basis", "description"],
    "countries": ["alpha2", "name", "numeric"],
    "province_codes": ["code", "province"],
}
KEY_COLUMN = {name: ("alpha2" if name == "countries" else "code") for name in EXPECTED_HEADERS}
CONFIDENCE = {"", "confirmed", "reported", "assumed", "unverified"}
HOLD_ACTIONS = {"place", "remove", "release", "revoke", "info", "none"}


def _norm(label: str) -> str:
    """How an importer compares labels: case, spaces and punctuation do not count."""
    return re.sub(r"[^0-9a-z]", "", label.lower())


def _rows(name: str) -> list[dict[str, str]]:
    return read_reference(name)


def _by_code(name: str) -> dict[str, dict[str, str]]:
    return {row[KEY_COLUMN[name]]: row for row in _rows(name)}


# -------------------------------------------------------------------------------- every file


def test_reference_files_list_every_table() -> None:
    assert set(REFERENCE_FILES) == set(EXPECTED_HEADERS)
    assert len(REFERENCE_FILES) == len(set(REFERENCE_FILES))
    on_disk = {path.stem for path in reference_dir().glob("*.csv")}
    assert on_disk == set(REFERENCE_FILES)


@pytest.mark.parametrize("name", sorted(EXPECTED_HEADERS))
def test_file_has_exact_header_and_well_formed_rows(name: str) -> None:
    path = reference_dir() / f"{name}.csv"
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    text = raw.decode("utf-8")
    rows = list(csv.reader(text.splitlines()))
    assert rows[0] == EXPECTED_HEADERS[name]
    assert len(rows) > 1
    for number, row in enumerate(rows[1:], start=2):
        assert len(row) == len(EXPECTED_HEADERS[name]), f"{name}.csv line {number}"
        assert all(cell == cell.strip() for cell in row), f"{name}.csv line {number}: stray whitespace"


@pytest.mark.parametrize("name", sorted(EXPECTED_HEADERS))
def test_read_reference_parses_and_codes_are_unique(name: str) -> None:
    rows = read_reference(name)
    assert rows
    assert all(list(row) == EXPECTED_HEADERS[name] for row in rows)
    assert all(isinstance(value, str) for row in rows for value in row.values())
    codes = [row[KEY_COLUMN[name]] for row in rows]
    assert all(codes)
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    assert not duplicates


def test_read_reference_rejects_unknown_table() -> None:
    with pytest.raises(ReferenceDataError):
        read_reference("no_such_table")


def test_read_reference_strips_and_keeps_blanks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "province_codes.csv").write_text('code,province\n XA , Alberta \nXB,""\n', encoding="utf-8")
    monkeypatch.setattr(reference, "reference_dir", lambda: tmp_path)
    assert read_reference("province_codes") == [
        {"code": "XA", "province": "Alberta"},
        {"code": "XB", "province": ""},
    ]


def test_read_reference_rejects_extra_cells(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "province_codes.csv").write_text("code,province\nXA,Alberta,oops\n", encoding="utf-8")
    monkeypatch.setattr(reference, "reference_dir", lambda: tmp_path)
    with pytest.raises(ReferenceDataError, match="more cells"):
        read_reference("province_codes")


def test_reference_version() -> None:
    assert reference_version() == "2026.11"


def test_readme_documents_every_file_and_the_version() -> None:
    readme = (reference_dir() / "README.md").read_text(encoding="utf-8")
    for name in REFERENCE_FILES:
        assert f"{name}.csv" in readme
    assert "2026.11" in readme


@pytest.mark.parametrize("name", ["ports", "transport_modes", "disposition_codes"])
def test_confidence_markers(name: str) -> None:
    assert {row["confidence"] for row in _rows(name)} <= CONFIDENCE


# -------------------------------------------------------------------------------- centers


def test_ten_centers_with_the_app_codes() -> None:
    rows = center_rows()
    assert [row["code"] for row in rows] == [
        "ELEC", "PHC", "AA", "PNGM", "IMM", "MACH", "BM", "AGRI", "AFT", "CPMM",
    ]  # fmt: skip
    assert {row["code"] for row in rows} == {member.value for member in CenterCode}


def test_center_details() -> None:
    centers = {row["code"]: row for row in center_rows()}
    assert centers["PHC"]["name"] == "Pharmaceuticals, Health & Chemicals"
    assert centers["CPMM"]["name"] == "Consumer Products & Mass Merchandising"
    assert centers["ELEC"]["office_port"] == "2704"
    assert centers["IMM"]["office_port"] == "0901"
    ports = known_port_codes()
    for row in centers.values():
        assert row["office_port"] in ports, row["code"]
        chapters = row["hts_chapters"].split()
        assert chapters, row["code"]
        assert all(re.fullmatch(r"\d{2}", chapter) and 1 <= int(chapter) <= 97 for chapter in chapters)
        assert chapters == sorted(set(chapters), key=int)
    assert centers["AGRI"]["hts_chapters"].split() == [f"{n:02d}" for n in range(1, 25)]
    assert centers["PHC"]["hts_chapters"].split()[:11] == [str(n) for n in range(28, 39)]


def test_center_rows_hands_out_copies() -> None:
    center_rows()[0]["code"] = "XXXX"
    assert center_rows()[0]["code"] == "ELEC"


# -------------------------------------------------------------------------------- ports


def test_ports() -> None:
    rows = _rows("ports")
    assert len(rows) == 76
    assert all(re.fullmatch(r"\d{4}", row["code"]) for row in rows)
    assert {"0401", "0712", "0901", "2704", "2709", "1001", "4601", "5301", "3801"} <= known_port_codes()
    assert "401" not in known_port_codes()
    assert "5584" not in known_port_codes()  # named in the doc only as an example, without a port name
    assert {row["kind"] for row in rows} <= {"seaport", "airport", "land_border", "inland", "courier_hub"}
    assert {row["retired"] for row in rows} == {"0"}
    assert all(re.fullmatch(r"[A-Z]{2}", row["state"]) for row in rows)
    by_code = _by_code("ports")
    assert by_code["4701"]["confidence"] == "unverified"
    assert by_code["2304"]["kind"] == "land_border"
    assert by_code["4196"]["kind"] == "courier_hub"
    assert by_code["2720"]["kind"] == "airport"
    names = port_names()
    assert names["0401"] == "Boston, MA"
    assert names["2709"] == "Long Beach, CA"
    names["0401"] = "changed"
    assert port_names()["0401"] == "Boston, MA"


# -------------------------------------------------------------------------------- entry types, MOT


def test_entry_types() -> None:
    by_code = _by_code("entry_types")
    assert len(by_code) == 33
    assert all(re.fullmatch(r"\d{2}", code) for code in by_code)
    assert {"01", "03", "06", "11", "21", "31", "61", "69", "70"} <= set(by_code)
    assert by_code["86"]["active"] == "0"
    assert by_code["86"]["retired_on"] == "2025-08-29"
    assert {row["active"] for code, row in by_code.items() if code != "86"} == {"1"}
    assert {row["retired_on"] for code, row in by_code.items() if code != "86"} == {""}
    assert by_code["69"]["description"] == "Transit (rail)"
    assert by_code["70"]["description"] == "Multi-transit (rail)"


def test_transport_modes() -> None:
    rows = _rows("transport_modes")
    assert len(rows) == 15
    assert all(re.fullmatch(r"\d{2}", row["code"]) for row in rows)
    assert {row["kind"] for row in rows} <= {"vessel", "rail", "truck", "air", "mail", "other"}
    assert {row["confidence"] for row in rows} == {"assumed"}
    assert _by_code("transport_modes")["40"]["kind"] == "air"


# -------------------------------------------------------------------------------- agencies, holds


def test_agencies() -> None:
    by_code = _by_code("agencies")
    assert by_code["CBP"]["kind"] == "cbp"
    assert {row["kind"] for code, row in by_code.items() if code != "CBP"} == {"pga"}
    named = {"FDA", "APHIS", "FSIS", "EPA", "CPSC", "FCC", "NHTSA", "FWS", "ATF", "DDTC", "NMFS", "TTB"}
    assert named | {"DEA", "NRC", "CENSUS"} <= set(by_code)
    assert by_code["FDA"]["name"] == "Food and Drug Administration"
    assert all(row["name"] for row in by_code.values())


def test_every_hold_category_has_exactly_one_row() -> None:
    codes = [row["code"] for row in _rows("hold_categories")]
    assert sorted(codes) == sorted(member.value for member in HoldCategory)


def test_hold_category_columns() -> None:
    agencies = set(_by_code("agencies"))
    owners = {member.value for member in HoldOwner}
    exams = {member.value for member in ExamType}
    for row in _rows("hold_categories"):
        code = row["code"]
        assert row["label"], code
        assert row["owner"] in owners, code
        assert row["agency"] in agencies, code
        assert row["typical_exam"] in exams, code
        assert (row["owner"] == "PGA") == HoldCategory(code).is_pga, code
        assert (row["typical_exam"] == "PGA_EXAM") == HoldCategory(code).is_pga, code
        for column in ("min_days", "max_days"):
            assert row[column] == "" or row[column].isdigit(), (code, column)
        if row["min_days"] and row["max_days"]:
            assert int(row["min_days"]) <= int(row["max_days"]), code
        assert _norm(row["label"]) in {_norm(alias) for alias in row["aliases"].split("|")}, code
    by_code = _by_code("hold_categories")
    assert (by_code["NII"]["min_days"], by_code["NII"]["max_days"]) == ("1", "3")
    assert (by_code["CBP_INTENSIVE"]["min_days"], by_code["CBP_INTENSIVE"]["max_days"]) == ("5", "30")
    assert by_code["PGA_FDA"]["agency"] == "FDA"
    assert by_code["PGA_USDA_APHIS"]["agency"] == "APHIS"


def _alias_owners(name: str) -> dict[str, str]:
    """Normalised alias (and code) -> the one row it names; fails on an alias shared by two rows."""
    owners: dict[str, str] = {}
    for row in _rows(name):
        for label in [row["code"], *row["aliases"].split("|")]:
            assert label == label.strip() and label, (name, row["code"], label)
            key = _norm(label)
            assert owners.setdefault(key, row["code"]) == row["code"], f"{name}: {label!r} is ambiguous"
    return owners


def test_hold_aliases_are_unambiguous() -> None:
    owners = _alias_owners("hold_categories")
    assert owners[_norm("FDA hold")] == "PGA_FDA"
    assert owners[_norm("Intensive exam")] == "CBP_INTENSIVE"
    assert owners[_norm("VACIS")] == "NII"
    assert owners[_norm("General Order")] == "GENERAL_ORDER"
    assert owners[_norm("USDA hold")] == "PGA_USDA_APHIS"


# -------------------------------------------------------------------------------- disposition codes


def test_disposition_codes() -> None:
    rows = _rows("disposition_codes")
    categories = {member.value for member in HoldCategory}
    for row in rows:
        assert re.fullmatch(r"[0-9A-Z]{2}", row["code"]), row["code"]
        assert row["meaning"] and row["effect"], row["code"]
        assert row["hold_action"] in HOLD_ACTIONS, row["code"]
        assert row["category"] == "" or row["category"] in categories, row["code"]
    by_code = _by_code("disposition_codes")
    expected = {
        "1A": ("place", "CBP_INTENSIVE"),
        "1B": ("release", "CBP_INTENSIVE"),
        "1C": ("release", ""),
        "1F": ("remove", "CBP_GENERAL"),
        "1G": ("place", "CBP_GENERAL"),
        "1H": ("place", "MANIFEST"),
        "1I": ("remove", "MANIFEST"),
        "1T": ("place", "SEIZURE"),
        "2O": ("place", "ISF"),
        "2P": ("place", "ISF"),
        "4A": ("revoke", ""),
        "4O": ("remove", "ISF"),
        "4R": ("remove", "ISF"),
        "5H": ("place", "DOC_REVIEW"),
        "5I": ("remove", "DOC_REVIEW"),
        "7H": ("place", "NII"),
        "7I": ("remove", "NII"),
        "97": ("place", "CONVEYANCE"),
        "98": ("remove", "CONVEYANCE"),
        "1X": ("info", "CBP_INTENSIVE"),
        "1S": ("info", "GENERAL_ORDER"),
        "A2": ("info", "PGA_FDA"),
    }
    for code, (action, category) in expected.items():
        assert (by_code[code]["hold_action"], by_code[code]["category"]) == (action, category), code
    assert by_code["1F"]["meaning"] == "CBP hold removed at port of in-bond destination"
    assert by_code["1G"]["meaning"] == "CBP hold placed at port of in-bond destination"


def test_disposition_ranges_expanded_with_group_meaning() -> None:
    by_code = _by_code("disposition_codes")
    usda = [str(n) for n in range(71, 83)]
    assert all(code in by_code for code in usda)
    assert {by_code[code]["category"] for code in [*usda, "2F", "2G", "2H", "2I"]} == {"PGA_USDA_APHIS"}
    assert {by_code[code]["category"] for code in ["3F", "3G", "3H", "3I"]} == {"PGA_OTHER"}
    assert len({by_code[code]["meaning"] for code in usda}) == 1
    assert len({by_code[code]["meaning"] for code in ["3F", "3G", "3H", "3I"]}) == 1
    assert {by_code[code]["hold_action"] for code in [*usda, "3F", "3G", "3H", "3I"]} == {"info"}
    assert by_code["83"]["effect"] == "—"
    assert {row["confidence"] for row in by_code.values()} == {"confirmed"}
    assert len(by_code) == 74


# -------------------------------------------------------------------------------- compliance


def test_every_compliance_event_type_has_exactly_one_row() -> None:
    codes = [row["code"] for row in _rows("compliance_event_types")]
    assert sorted(codes) == sorted(member.value for member in ComplianceEventType)


def test_compliance_aliases_cover_the_import_contract() -> None:
    owners = _alias_owners("compliance_event_types")
    contract = {  # CONTRACTS.md §4, compliance event_type
        "CF-28": "CF28",
        "Request for Information": "CF28",
        "CF-29": "CF29_PROPOSED",
        "PSC": "PSC",
        "Protest": "PROTEST",
        "Prior Disclosure": "PRIOR_DISCLOSURE",
        "Penalty": "PENALTY_1592",
        "Liquidated Damages": "LD_CLAIM",
        "Seizure": "SEIZURE",
        "Focused Assessment": "AUDIT_FA",
        "Notice of Action": "CF29_PROPOSED",
        "CF 28": "CF28",
        "CF28": "CF28",
        "CBP Form 28": "CF28",
        "Form 19": "PROTEST",
        "Quick Response Audit": "AUDIT_QRA",
        "QRA": "AUDIT_QRA",
    }
    for label, code in contract.items():
        assert owners.get(_norm(label)) == code, label
    for row in _rows("compliance_event_types"):
        assert row["label"] and row["description"], row["code"]
        assert _norm(row["label"]) in {_norm(alias) for alias in row["aliases"].split("|")}, row["code"]


def test_compliance_deadlines() -> None:
    by_code = _by_code("compliance_event_types")
    deadlines = {code: row["deadline_days"] for code, row in by_code.items() if row["deadline_days"]}
    expected = {"CF28": "30", "CF29_PROPOSED": "20", "PROTEST": "180", "PSC": "300", "UFLPA_DETENTION": "30"}
    assert deadlines == expected
    for code, row in by_code.items():
        assert bool(row["deadline_days"]) == bool(row["deadline_basis"]), code
    assert "liquidation" in by_code["PROTEST"]["deadline_basis"]
    assert "entry" in by_code["PSC"]["deadline_basis"]
    assert "issue" in by_code["CF28"]["deadline_basis"]
    assert "notice" in by_code["UFLPA_DETENTION"]["deadline_basis"]


# -------------------------------------------------------------------------------- countries, MID


def test_countries() -> None:
    rows = _rows("countries")
    assert len(rows) >= 249
    assert {"US", "CN", "MX", "DE", "CA"} <= known_country_codes()
    assert all(re.fullmatch(r"[A-Z]{2}", row["alpha2"]) for row in rows)
    assert all(re.fullmatch(r"\d{3}", row["numeric"]) for row in rows)
    by_code = _by_code("countries")
    assert by_code["US"]["numeric"] == "840"
    assert by_code["TW"]["name"] == "Taiwan"  # common_name wins over the official name


def test_countries_match_the_generator() -> None:
    pytest.importorskip("pycountry")
    import importlib.util

    path = reference_dir() / "generate_countries.py"
    spec = importlib.util.spec_from_file_location("generate_countries", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    expected = [{"alpha2": a, "name": n, "numeric": num} for a, n, num in module.country_rows()]
    assert _rows("countries") == expected


def test_province_codes() -> None:
    by_code = _by_code("province_codes")
    assert len(by_code) == 13
    assert by_code["XO"]["province"] == "Ontario"
    assert by_code["XQ"]["province"] == "Quebec"
    assert not set(by_code) & known_country_codes()  # never clash with an ISO alpha-2 code
