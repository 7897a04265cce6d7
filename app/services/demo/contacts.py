"""The people an AE calls (DOMAIN.md §2.4): the importer's trade compliance manager and broker per account;
port supervisors and PGA liaisons shared by every account that uses that port or meets that agency.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from app.services.demo import catalog, names
from app.services.demo.context import Clock, RefData
from app.services.demo.people import AccountProfile
from app.services.demo.plan import new_id
from app.services.demo.stamps import stamp_between, synced

Row = dict[str, Any]


@dataclass
class Directory:
    """Names that note texts mention: shared contacts by port and agency."""

    rows: list[Row] = field(default_factory=list)
    port_supervisors: dict[str, str] = field(default_factory=dict)
    pga_liaisons: dict[str, str] = field(default_factory=dict)


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)


def _phone(rng: random.Random) -> str:
    return f"555-01{rng.randrange(100):02d}"


def build_contacts(
    rng: random.Random,
    profiles: list[AccountProfile],
    brokers: list[tuple[str, str]],
    ref: RefData,
    clock: Clock,
) -> Directory:
    directory = Directory()

    def add(account_id: Any, first: str, last: str, role: str, **fields: str) -> str:
        created = stamp_between(rng, clock.days_ago(900), clock.days_ago(30))
        name = f"{first} {last}"
        directory.rows.append(
            synced(new_id(rng, created), created)
            | {
                "account_id": account_id,
                "name": name,
                "role": role,
                "organization": "",
                "agency_code": "",
                "port_code": "",
                "phone": _phone(rng),
                "email": "",
                "notes": "",
            }
            | fields
        )
        return name

    ports = sorted({code for p in profiles for code in p.ports})
    for code in ports:
        first, last = _person(rng)
        directory.port_supervisors[code] = add(
            None,
            first,
            last,
            "port_supervisor",
            organization=f"CBP, {ref.ports[code].name}",
            agency_code="CBP",
            port_code=code,
            email=names.person_email(first, last, "cbp.dhs.example"),
            notes="Supervisory CBP Officer, cargo examination (CET/NII).",
        )
    agencies = sorted(
        {
            ref.hold_categories[c].agency
            for table in catalog.PGA_HOLDS.values()
            for c, _ in table
            if c in ref.hold_categories
        }
    )
    for agency in agencies:
        first, last = _person(rng)
        directory.pga_liaisons[agency] = add(
            None,
            first,
            last,
            "pga_liaison",
            organization=ref.agencies.get(agency, agency),
            agency_code=agency,
            email=names.person_email(first, last, f"{agency.lower()}.example"),
        )
    broker_names = dict(brokers)
    for profile in profiles:
        domain = f"{names.slug(profile.name)}.example.com"
        first, last = _person(rng)
        profile.contacts["tcm"] = add(
            profile.id,
            first,
            last,
            "trade_compliance_manager",
            organization=profile.name,
            email=names.person_email(first, last, domain),
        )
        filer = profile.filers[0]
        first, last = _person(rng)
        profile.contacts["broker_org"] = broker_names[filer]
        profile.contacts["broker"] = add(
            profile.id,
            first,
            last,
            "broker",
            organization=broker_names[filer],
            email=names.person_email(first, last, f"{names.slug(broker_names[filer])}.example.com"),
            notes=f"Licensed customs broker; filer code {filer}.",
        )
        if profile.tier != "NONE":
            first, last = _person(rng)
            profile.contacts["scss"] = add(
                profile.id,
                first,
                last,
                "ctpat_scss",
                organization="CBP CTPAT",
                agency_code="CBP",
                email=names.person_email(first, last, "cbp.dhs.example"),
                notes="CTPAT Supply Chain Security Specialist.",
            )
        if rng.random() < 0.5:
            first, last = _person(rng)
            add(
                profile.id,
                first,
                last,
                "import_specialist",
                organization=f"CBP {ref.centers[profile.center][0]}",
                agency_code="CBP",
                email=names.person_email(first, last, "cbp.dhs.example"),
            )
    return directory
