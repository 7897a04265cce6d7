"""A `Reference` for the import rule tests, built by hand from the bundled CSV tables (no database)."""

from __future__ import annotations

import csv
from functools import cache

from app.domain.enums import CenterCode, ComplianceEventType, HoldCategory
from app.domain.import_rules import Reference
from app.locations import reference_dir


def _rows(name: str) -> list[dict[str, str]]:
    with (reference_dir() / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _spellings(name: str, label: str, enum: type) -> dict[str, object]:
    spellings: dict[str, object] = {}
    for row in _rows(name):
        value = enum(row["code"])
        for text in (row["code"], row[label], *row.get("aliases", "").split("|")):
            if text:
                spellings[text] = value
    return spellings


@cache
def csv_reference() -> Reference:
    holds = _rows("hold_categories")
    return Reference(
        ports=frozenset(row["code"] for row in _rows("ports")),
        countries={row["alpha2"]: row["name"] for row in _rows("countries")},
        entry_types=frozenset(row["code"] for row in _rows("entry_types")),
        transport_modes=frozenset(row["code"] for row in _rows("transport_modes")),
        agencies=frozenset(row["code"] for row in _rows("agencies")),
        center_spellings=_spellings("centers", "name", CenterCode),  # type: ignore[arg-type]
        hold_category_spellings=_spellings("hold_categories", "label", HoldCategory),  # type: ignore[arg-type]
        event_type_spellings=_spellings("compliance_event_types", "label", ComplianceEventType),  # type: ignore[arg-type]
        disposition_categories={
            row["code"]: HoldCategory(row["category"]) if row["category"] else None
            for row in _rows("disposition_codes")
        },
        agency_categories={
            row["agency"]: HoldCategory(row["code"]) for row in holds if row["owner"] == "PGA"
        },
    )
