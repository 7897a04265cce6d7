"""Account executives, importer accounts and their importer numbers, plus each account's trade profile.

An `AccountProfile` is what the later phases need to know about an account (its products, suppliers, ports,
brokers, contacts) without going back to the database.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from app.domain.mid import build_mid
from app.services.demo import catalog, names
from app.services.demo.context import Clock, RefData
from app.services.demo.identifiers import (
    cbp_assigned_number,
    display_ior,
    division_suffix,
    ein_number,
    filer_code,
    ssn_number,
    unique_codes,
)
from app.services.demo.plan import ScalePlan, new_id, weighted_pool
from app.services.demo.staff import account_executives, broker_names
from app.services.demo.stamps import stamp_between, synced

Row = dict[str, Any]

CENTER_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("ELEC", 14),
    ("CPMM", 14),
    ("AFT", 12),
    ("AA", 10),
    ("MACH", 10),
    ("PHC", 10),
    ("IMM", 9),
    ("BM", 8),
    ("AGRI", 9),
    ("PNGM", 4),
)
SOLE_PROPRIETOR_INDEX = 5
TIERS: tuple[tuple[str, int], ...] = (("TIER3", 20), ("TIER2", 50), ("TIER1", 10), ("NONE", 20))
RISK_BY_TIER: dict[str, tuple[tuple[str, int], ...]] = {
    "NONE": (("medium", 55), ("high", 30), ("low", 15)),
    "TIER1": (("medium", 60), ("low", 30), ("high", 10)),
    "TIER2": (("low", 60), ("medium", 35), ("high", 5)),
    "TIER3": (("low", 85), ("medium", 15)),
}


@dataclass
class Supplier:
    country: str  # ISO alpha-2 country of origin
    mid: str
    name: str


@dataclass
class AccountProfile:
    index: int
    id: uuid.UUID
    name: str
    center: str
    ae_name: str
    created_at: datetime
    weight: float
    tier: str
    active: bool
    iors: list[str]  # active importer numbers, primary first
    ports: list[str]  # weighted pool
    filers: list[str]  # brokers' filer codes
    products: list[catalog.Product]  # weighted pool
    suppliers: list[Supplier]  # weighted pool
    uflpa_exposed: bool
    contacts: dict[str, str] = field(default_factory=dict)  # role -> person, for note texts
    entry_count: int = 0
    city: str = ""


@dataclass
class People:
    aes: list[Row]
    accounts: list[Row]
    importer_numbers: list[Row]
    profiles: list[AccountProfile]
    brokers: list[tuple[str, str]]  # (filer code, broker name)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in weighted], weights=[w for _, w in weighted])[0]


def build_people(rng: random.Random, plan: ScalePlan, ref: RefData, clock: Clock) -> People:
    aes, ae_names = account_executives(rng, plan, ref, clock)
    brokers = list(
        zip(
            unique_codes(rng, plan.brokers, filer_code),
            broker_names(rng, plan.brokers),
            strict=True,
        )
    )
    specials = list(names.SPECIAL_ACCOUNTS[: min(len(names.SPECIAL_ACCOUNTS), max(5, plan.accounts // 8))])
    special_at = {(k * plan.accounts) // len(specials) + 1: s for k, s in enumerate(specials)}
    accounts: list[Row] = []
    iors: list[Row] = []
    profiles: list[AccountProfile] = []
    taken_names: set[str] = set()
    taken_iors: set[str] = set()
    plain_accounts = 0
    for index in range(plan.accounts):
        special = special_at.get(index)
        center = special.center if special else _center(rng, plain_accounts, ref)
        plain_accounts += special is None
        ae_pool = ae_names[center]
        ae_id, ae_name = ae_pool[index % len(ae_pool)]
        backup = ae_pool[(index + 1) % len(ae_pool)][0] if len(ae_pool) > 1 else None
        profile = _profile(rng, index, center, ae_name, special, brokers, ref, clock)
        # A few individuals import under an SSN-based number; account 5 always does, so every scale shows one.
        sole_proprietor = special is None and (index == SOLE_PROPRIETOR_INDEX or rng.random() < 0.03)
        if special:
            profile.name = special.name
        elif sole_proprietor:
            profile.name = f"{rng.choice(names.FIRST_NAMES)} {rng.choice(names.LAST_NAMES)} Trading"
        else:
            profile.name = _company_name(rng, center, taken_names)
        taken_names.add(profile.name)
        accounts.append(_account_row(rng, profile, ae_id, backup, special, clock))
        iors.extend(_ior_rows(rng, profile, special is not None, sole_proprietor, taken_iors, ref, clock))
        profiles.append(profile)
    return People(aes, accounts, iors, profiles, brokers)


def _center(rng: random.Random, plain_index: int, ref: RefData) -> str:
    """The first ordinary accounts go one to each Center, so that every Center has accounts at every scale."""
    centers = list(ref.centers)
    return centers[plain_index] if plain_index < len(centers) else _pick(rng, CENTER_WEIGHTS)


def _company_name(rng: random.Random, center: str, taken: set[str]) -> str:
    while True:
        if rng.random() < 0.3:
            lead = rng.choice(names.LAST_NAMES)
            if rng.random() < 0.4:
                lead = f"{lead} & {rng.choice(names.LAST_NAMES)}"
        else:
            lead = rng.choice(names.COMPANY_LEADS)
        name = f"{lead} {rng.choice(names.COMPANY_TRADES[center])} {rng.choice(names.COMPANY_FORMS)}"
        if name not in taken:
            return name


def _suppliers(rng: random.Random, center: str, count: int) -> list[Supplier]:
    suppliers = []
    for _ in range(count):
        country = _pick(rng, catalog.ORIGINS[center])
        mid_country = rng.choice(catalog.CANADIAN_PROVINCES) if country == "CA" else country
        city = rng.choice(catalog.CITIES[mid_country])
        root = rng.choice(catalog.MAKER_ROOTS[country])
        maker = f"{root} {rng.choice(catalog.MAKER_TRADES[center])} Co"
        street = f"{rng.randrange(1, 3000)} {rng.choice(catalog.STREETS)}"
        suppliers.append(Supplier(country, build_mid(mid_country, maker, street, city), maker))
    return suppliers


def _profile(
    rng: random.Random,
    index: int,
    center: str,
    ae_name: str,
    special: names.SpecialAccount | None,
    brokers: list[tuple[str, str]],
    ref: RefData,
    clock: Clock,
) -> AccountProfile:
    products = rng.sample(catalog.PRODUCTS[center], k=min(len(catalog.PRODUCTS[center]), rng.randint(2, 5)))
    suppliers = _suppliers(rng, center, rng.randint(3, 10))
    known = [(code, w) for code, w in catalog.PORTS[center] if code in ref.ports]
    ports = rng.sample(known, k=min(len(known), rng.randint(2, 4)))
    created = stamp_between(rng, clock.days_ago(365 * 9), clock.days_ago(400))
    return AccountProfile(
        index=index,
        id=new_id(rng, created),
        name="",
        center=center,
        ae_name=ae_name,
        created_at=created,
        weight=2.0 if special else min(40.0, rng.paretovariate(1.2)),
        tier=_pick(rng, TIERS),
        active=rng.random() > 0.03,
        iors=[],
        ports=weighted_pool(ports),
        filers=[code for code, _ in rng.sample(brokers, k=min(len(brokers), rng.randint(1, 3)))],
        products=weighted_pool([(p, rng.randint(1, 6)) for p in products]),
        suppliers=weighted_pool([(s, rng.randint(1, 5)) for s in suppliers]),
        uflpa_exposed=center in catalog.UFLPA_CENTERS and any(s.country == "CN" for s in suppliers),
    )


def _account_row(
    rng: random.Random,
    profile: AccountProfile,
    ae_id: uuid.UUID,
    backup: uuid.UUID | None,
    special: names.SpecialAccount | None,
    clock: Clock,
) -> Row:
    center = profile.center
    city, state = rng.choice(names.US_CITIES[center])
    if special:
        city, state = special.city, ""
    profile.city = city
    main = profile.products[0]
    chapters = sorted({p.hts[:2] for p in profile.products})
    focus = rng.choice(FOCUS)
    tier_text = f"Tier {profile.tier[-1]} CTPAT partner" if profile.tier != "NONE" else "Not a CTPAT partner"
    return synced(profile.id, profile.created_at, stamp_between(rng, clock.days_ago(120), clock.today)) | {
        "name": profile.name,
        "dba": f"{rng.choice(names.COMPANY_LEADS)} Direct" if rng.random() < 0.15 else "",
        "center_code": center,
        "ae_id": ae_id,
        "backup_ae_id": backup,
        "industry_segment": main.description[:1].upper() + main.description[1:],
        "primary_hts_chapters": " ".join(chapters),
        "risk_segment": _pick(rng, RISK_BY_TIER[profile.tier]),
        "status": "active" if profile.active else "inactive",
        "action_plan_summary": f"{tier_text}; imports {main.description}. Focus this year: {focus}.",
        "city": city,
        "state": state,
        "country": special.country if special else "US",
        "created_by_import": False,
    }


FOCUS: tuple[str, ...] = (
    "fewer MID discrepancies on entry lines",
    "on-time CF-28 responses",
    "ISF timeliness at the main port of entry",
    "UFLPA supply-chain tracing documentation",
    "classification review of chapter 99 (Section 301) lines",
    "PSC before liquidation instead of protests",
    "PGA document readiness before arrival",
    "reduce exam rate through CTPAT validation follow-up",
)


def _ior_rows(
    rng: random.Random,
    profile: AccountProfile,
    foreign: bool,
    sole_proprietor: bool,
    taken: set[str],
    ref: RefData,
    clock: Clock,
) -> list[Row]:
    """1-3 importer numbers: mostly EIN-based; foreign importers CBP-assigned; sole proprietors SSN-based."""
    count = rng.choices((1, 2, 3), weights=(60, 28, 12))[0]
    port_codes = list(ref.ports)
    rows: list[Row] = []
    suffixes: list[str] = []
    for position in range(count):
        ior_type, number = _draw_ior(
            rng, position, foreign, sole_proprietor, rows, suffixes, port_codes, clock
        )
        while number in taken:  # a clash is rare; a fresh EIN-based number settles it
            ior_type, number = "EIN", ein_number(rng)
        taken.add(number)
        if ior_type == "EIN":
            suffixes.append(number[9:])
        active = position == 0 or rng.random() > 0.1
        if active:
            profile.iors.append(number)
        created = profile.created_at + timedelta(days=30 * position)
        rows.append(
            synced(new_id(rng, created), created)
            | {
                "account_id": profile.id,
                "raw": display_ior(number, ior_type),
                "normalized": number,
                "ior_type": ior_type,
                "suffix": number[9:] if ior_type == "EIN" else "",
                "is_primary": position == 0,
                "active": active,
            }
        )
    return rows


def _draw_ior(
    rng: random.Random,
    position: int,
    foreign: bool,
    sole_proprietor: bool,
    rows: list[Row],
    suffixes: list[str],
    port_codes: list[str],
    clock: Clock,
) -> tuple[str, str]:
    if position == 0 and sole_proprietor:
        return "SSN", ssn_number(rng)
    if (position == 0 and foreign) or (position > 0 and rng.random() < 0.2):
        return "CBP_ASSIGNED", cbp_assigned_number(rng, port_codes, clock.today)
    if rows and rows[0]["ior_type"] == "EIN" and rng.random() < 0.5:
        return "EIN", rows[0]["normalized"][:9] + division_suffix(rng, [rows[0]["normalized"][9:], *suffixes])
    return "EIN", ein_number(rng)
