"""Regenerate `countries.csv` from pycountry (ISO 3166-1).

Dev-time only: the app reads the CSV, never pycountry.

Run from the repository root after upgrading pycountry:

    .venv/bin/python resources/reference/generate_countries.py

The output is sorted by alpha-2 code, UTF-8, `\\n` line endings; the name is pycountry's `common_name` when it
has one (e.g. "Taiwan", "Bolivia"), else its `name`.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

HEADER = ("alpha2", "name", "numeric")
OUTPUT = Path(__file__).resolve().parent / "countries.csv"


def country_rows() -> list[tuple[str, str, str]]:
    import pycountry  # dev dependency; imported here so the module can be inspected without it

    rows = [
        (country.alpha_2, getattr(country, "common_name", None) or country.name, country.numeric)
        for country in pycountry.countries
    ]
    return sorted(rows)


def write_countries(path: Path = OUTPUT) -> int:
    rows = country_rows()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return len(rows)


def main() -> int:
    count = write_countries()
    print(f"wrote {count} countries to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
