"""Pure parts of the demo generator: scale plans, seeded randomness, identifiers, static catalogues."""

from __future__ import annotations

import random
import re
from datetime import date, datetime, timedelta

import pytest
from stdnum.us import ein as stdnum_ein

from app.domain import calendar
from app.domain.enums import IORType
from app.domain.errors import ValidationError
from app.domain.identifiers import make_entry_number, normalize_hts, parse_entry_number
from app.domain.ids import uuid7_time_ms
from app.domain.importer_number import parse_importer_number
from app.domain.mid import CANADIAN_PROVINCE_CODES, build_mid, check_mid
from app.services.demo import SCALES, catalog, names
from app.services.demo.context import Clock
from app.services.demo.identifiers import (
    FILER_PATTERNS,
    cbp_assigned_number,
    display_ior,
    ein_number,
    filer_code,
    ssn_number,
    unique_codes,
)
from app.services.demo.plan import (
    PLANS,
    derive_rng,
    epoch_ms,
    mean_lines_per_entry,
    new_id,
    plan_for,
    weighted_pool,
)
from app.services.demo.programs import add_years
from app.store.reference import read_reference

PORTS = {row["code"]: row for row in read_reference("ports")}
COUNTRIES = {row["alpha2"] for row in read_reference("countries")}
CENTER_CHAPTERS = {row["code"]: set(row["hts_chapters"].split()) for row in read_reference("centers")}
HOLD_CATEGORIES = {row["code"] for row in read_reference("hold_categories")}


# --- plans --------------------------------------------------------------------------------------------------


def test_scales_are_the_contract_names_in_order() -> None:
    assert SCALES == ("small", "medium", "large")
    assert [plan_for(s).scale for s in SCALES] == list(SCALES)


@pytest.mark.parametrize("name", ["", "Small", "huge", "xl"])
def test_unknown_scale_is_rejected(name: str) -> None:
    with pytest.raises(ValidationError, match="unknown demo scale"):
        plan_for(name)


def test_scale_targets() -> None:
    small, medium, large = (PLANS[s] for s in SCALES)
    assert (small.accounts, small.entry_lines) == (40, 20_000)
    assert (medium.accounts, medium.entry_lines) == (400, 200_000)
    assert (large.accounts, large.entry_lines, large.holds, large.notes) == (
        2_000,
        1_000_000,
        50_000,
        200_000,
    )
    for plan in (small, medium):  # about 2% of entries held
        entries = plan.entry_lines / mean_lines_per_entry()
        assert 0.015 < plan.holds / entries < 0.03
    for plan in PLANS.values():
        assert plan.open_holds >= 8  # every threshold state, even when small
        assert plan.open_holds + plan.closed_holds == plan.holds
        assert plan.aes_per_center >= 1
    assert large.open_holds == 4_000  # 8% of holds


def test_mean_lines_per_entry_is_about_four() -> None:
    assert 3.9 < mean_lines_per_entry() < 4.3


# --- randomness and ids -------------------------------------------------------------------------------------


def test_derived_generators_are_reproducible_and_independent() -> None:
    first = [derive_rng(7, "small", "trade").random() for _ in range(3)]
    assert first == [derive_rng(7, "small", "trade").random() for _ in range(3)]
    assert derive_rng(7, "small", "trade").random() != derive_rng(7, "small", "notes").random()
    assert derive_rng(7, "small", "trade").random() != derive_rng(8, "small", "trade").random()
    # String seeding goes through SHA-512, so the value is fixed across processes and Python builds.
    assert derive_rng(7, "small", "trade").getrandbits(32) == random.Random("7/small/trade").getrandbits(32)


def test_new_ids_are_deterministic_uuid7_stamped_with_their_time() -> None:
    when = datetime(2025, 6, 1, 14, 30)
    a, b = new_id(random.Random(1), when), new_id(random.Random(1), when)
    assert a == b and a.version == 7
    assert uuid7_time_ms(a) == epoch_ms(when) == 1_748_788_200_000
    assert new_id(random.Random(2), when) != a


def test_weighted_pool_repeats_items_by_weight() -> None:
    assert weighted_pool([("a", 2), ("b", 1)]) == ["a", "a", "b"]


# --- identifiers --------------------------------------------------------------------------------------------


def test_ein_based_numbers_are_valid() -> None:
    rng = random.Random(1)
    for _ in range(2_000):
        number = ein_number(rng)
        parsed = parse_importer_number(display_ior(number, "EIN"))
        assert (parsed.ior_type, parsed.normalized) == (IORType.EIN, number)
        assert stdnum_ein.is_valid(number[:9])  # independent oracle for the IRS campus prefix
        assert not set(number[9:]) & set("IOZ")


def test_ssn_based_numbers_are_valid() -> None:
    rng = random.Random(2)
    for _ in range(5_000):
        number = ssn_number(rng)
        parsed = parse_importer_number(display_ior(number, "SSN"))
        assert (parsed.ior_type, parsed.normalized) == (IORType.SSN, number)
        area, group, serial = number[:3], number[3:5], number[5:]
        assert area not in ("000", "666") and area[0] != "9" and group != "00" and serial != "0000"


def test_cbp_assigned_numbers_name_a_real_port_and_read_unambiguously() -> None:
    rng = random.Random(3)
    ports = sorted(PORTS)
    for _ in range(2_000):
        number = cbp_assigned_number(rng, ports, date(2026, 3, 10))
        assert number[2:6] in PORTS
        for written in (display_ior(number, "CBP_ASSIGNED"), number):  # with and without the hyphen
            parsed = parse_importer_number(written, known_ports=PORTS)
            assert (parsed.ior_type, parsed.normalized) == (IORType.CBP_ASSIGNED, number)


def test_filer_codes_follow_the_allowed_patterns_and_give_valid_entry_numbers() -> None:
    rng = random.Random(4)
    codes = unique_codes(rng, 300, filer_code)
    assert len(set(codes)) == 300
    for code in codes:
        shape = "".join("A" if ch.isalpha() else "N" for ch in code)
        assert shape in FILER_PATTERNS and re.fullmatch(r"[A-Z0-9]{3}", code)
        number = make_entry_number(code, rng.randrange(10_000_000)).canonical
        assert parse_entry_number(number).canonical == number


# --- business days ------------------------------------------------------------------------------------------


def test_clock_business_day_arithmetic_matches_the_domain_calendar() -> None:
    today = date(2026, 1, 2)  # the window spans year ends, Thanksgiving, Christmas, New Year
    clock = Clock(today, 730)
    start = today - timedelta(days=800)
    for offset in range(0, 1_100, 3):
        day = start + timedelta(days=offset)
        for n in (-12, -5, -1, 0, 1, 4, 10, 30):
            assert clock.add_business_days(day, n) == calendar.add_business_days(day, n), (day, n)
        expected = day if calendar.is_business_day(day) else calendar.add_business_days(day, 1)
        assert clock.business_day_on_or_after(day) == expected
    assert clock.as_of.isoformat() == "2026-01-02T00:00:00"


def test_add_years_handles_leap_days() -> None:
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)


# --- static catalogues --------------------------------------------------------------------------------------


def test_products_are_valid_hts_numbers_in_their_centers_chapters() -> None:
    assert set(catalog.PRODUCTS) == set(CENTER_CHAPTERS)
    for center, products in catalog.PRODUCTS.items():
        for product in products:
            assert normalize_hts(product.hts) == product.hts
            assert product.hts[:2] in CENTER_CHAPTERS[center] and product.hts[:2] not in ("77", "98", "99")
            if product.section_301:
                assert product.section_301 in catalog.SECTION_301_RATES
    for heading in catalog.SECTION_301_RATES:
        assert normalize_hts(heading) == heading and heading.startswith("990388")


def test_origins_ports_and_holds_come_from_the_reference_data() -> None:
    for center in CENTER_CHAPTERS:
        for country, _ in catalog.ORIGINS[center]:
            assert country in COUNTRIES and country in catalog.MAKER_ROOTS
            assert country == "CA" or country in catalog.CITIES
        for port, _ in catalog.PORTS[center]:
            assert port in PORTS and not int(PORTS[port]["retired"])
        for category, _ in catalog.PGA_HOLDS[center]:
            assert category in HOLD_CATEGORIES
    kinds = {row["kind"] for row in PORTS.values()}
    assert kinds <= set(catalog.MODES_BY_KIND)
    assert all(PORTS[port]["kind"] == "inland" for port in catalog.INLAND_MODES)


def test_manufacturer_ids_built_from_the_catalogue_are_valid() -> None:
    for country, roots in catalog.MAKER_ROOTS.items():
        mid_countries = catalog.CANADIAN_PROVINCES if country == "CA" else (country,)
        for mid_country in mid_countries:
            for city in catalog.CITIES[mid_country]:
                for root in roots:
                    mid = build_mid(mid_country, f"{root} Steel Co", "1200 Avenue", city)
                    assert check_mid(mid, COUNTRIES) is None, mid
                    assert mid[:2] in COUNTRIES or mid[:2] in CANADIAN_PROVINCE_CODES


def test_special_accounts_cover_accents_and_cjk() -> None:
    special = [s.name for s in names.SPECIAL_ACCOUNTS]
    assert "Société Lumière SA" in special and "Müller Präzisionsteile GmbH" in special
    assert sum(any("\u4e00" <= ch <= "\u9fff" for ch in name) for name in special[:5]) >= 1
    assert all(s.center in CENTER_CHAPTERS and s.country in COUNTRIES for s in names.SPECIAL_ACCOUNTS)


def test_slug_folds_accents_for_example_addresses() -> None:
    assert names.slug("Jürgen") == "jurgen"
    assert names.person_email("Chloé", "O'Brien", "x.example") == "chloe.obrien@x.example"
    assert names.slug("深圳华辰") == "importer"
