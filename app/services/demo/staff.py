"""The Account Executives of each Center, and the customs brokers (filers) the importers use."""

from __future__ import annotations

import random
import uuid
from typing import Any

from app.services.demo import names
from app.services.demo.context import Clock, RefData
from app.services.demo.plan import ScalePlan, new_id
from app.services.demo.stamps import stamp_between, synced

Row = dict[str, Any]


def account_executives(
    rng: random.Random, plan: ScalePlan, ref: RefData, clock: Clock
) -> tuple[list[Row], dict[str, list[tuple[uuid.UUID, str]]]]:
    rows: list[Row] = []
    by_center: dict[str, list[tuple[uuid.UUID, str]]] = {}
    used: set[str] = set()
    for center, (center_name, _chapters) in ref.centers.items():
        for _ in range(plan.aes_per_center):
            while True:
                first, last = rng.choice(names.FIRST_NAMES), rng.choice(names.LAST_NAMES)
                if f"{first} {last}" not in used:
                    break
            name = f"{first} {last}"
            used.add(name)
            created = stamp_between(rng, clock.days_ago(3650), clock.days_ago(365))
            ae_id = new_id(rng, created)
            area = names.CENTER_AREA_CODES.get(center, "202")
            rows.append(
                synced(ae_id, created)
                | {
                    "name": name,
                    "center_code": center,
                    "email": names.person_email(first, last, "cbp.dhs.example"),
                    "phone": f"({area}) 555-01{rng.randrange(100):02d}",
                    "signature": f"{name}\nAccount Executive, {center_name}\n"
                    "Center of Excellence and Expertise, U.S. Customs and Border Protection",
                }
            )
            by_center.setdefault(center, []).append((ae_id, name))
    return rows, by_center


def broker_names(rng: random.Random, count: int) -> list[str]:
    result = list(names.BROKER_NAMES[:count])
    taken = set(result)
    leads = names.COMPANY_LEADS + names.LAST_NAMES
    kinds = ("Customs Brokerage", "Trade Services", "Customs Brokers", "Entry Services")
    if count > len(result) + len(leads) * len(kinds):
        raise ValueError(f"cannot name {count} distinct brokers")
    while len(result) < count:
        candidate = f"{rng.choice(leads)} {rng.choice(kinds)}"
        if candidate not in taken:
            taken.add(candidate)
            result.append(candidate)
    return result
