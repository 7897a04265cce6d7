"""Bundled reference data the GUI needs without a database: the ISO country codes (for the MID builder).

The codes come from `resources/reference/countries.csv`, the same file migration 0003 loads into the
`countries` table, so the GUI and the database agree without a round trip to the workspace.
"""

from __future__ import annotations

from app.store import reference


def known_country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes of the bundled countries table (cached after the first read)."""
    return reference.known_country_codes()
