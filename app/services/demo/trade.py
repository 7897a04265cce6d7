"""Entries, entry lines and line tariffs (DOMAIN.md §4.2, §4.4, §4.7, §6.2), as plain rows.

This is the hot loop of the large scale (a million lines), so it draws from prebuilt weighted pools with
`random()` instead of `random.choices`, and assigns the integer ids of lines and tariffs itself so tariffs can
point at their line without a round trip to the database.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from app.domain.deadlines import estimated_liquidation_date
from app.domain.identifiers import make_entry_number
from app.services.demo import catalog
from app.services.demo.context import Clock, RefData
from app.services.demo.people import AccountProfile
from app.services.demo.plan import LINE_COUNT_WEIGHTS, weighted_pool

Row = dict[str, Any]

# Merchandise Processing Fee: 0.3464% ad valorem on formal entries, within a minimum and maximum that CBP
# adjusts every fiscal year (FY2025 figures here). Harbor Maintenance Fee: 0.125% on goods arriving by vessel.
MPF_RATE, MPF_MIN_CENTS, MPF_MAX_CENTS = 0.003464, 3_271, 63_462
HMF_RATE = 0.00125
VESSEL_MODES = frozenset({"10", "11", "12"})
# Special Program Indicators (DOMAIN.md §4.8) claimed on goods of FTA partners; the line is then duty-free.
SPI_BY_ORIGIN: dict[str, str] = {"MX": "S", "CA": "S", "KR": "KR", "CL": "CL"}
COURIER_HUBS: tuple[str, ...] = ("4196", "4197")  # UPS Louisville, DHL Cincinnati
# Seaports where ocean containers are unladen before moving in bond to an inland port of entry.
GATEWAYS: tuple[str, ...] = ("2704", "2709", "4601", "1703", "5301", "3002")
LINE_COUNTS: list[int] = weighted_pool([(i + 1, w) for i, w in enumerate(LINE_COUNT_WEIGHTS)])


@dataclass
class EntrySample:
    """What notes and compliance events need to know about one of an account's entries."""

    entry_number: str
    entry_date: date
    port: str
    liquidation_date: date | None


@dataclass
class EntryMade:
    row: Row
    sample: EntrySample
    has_cn: bool  # a line of Chinese origin (UFLPA, Section 301)
    vessel: bool


@dataclass
class TradeBuffers:
    entries: list[Row] = field(default_factory=list)
    lines: list[Row] = field(default_factory=list)
    tariffs: list[Row] = field(default_factory=list)
    holds: list[Row] = field(default_factory=list)


class EntryFactory:
    """Makes entries with valid, unique entry numbers and their lines; ids continue across accounts."""

    def __init__(
        self,
        rng: random.Random,
        ref: RefData,
        clock: Clock,
        filers: list[str],
        first_line_id: int,
        first_tariff_id: int,
    ) -> None:
        self.rng = rng
        self.ref = ref
        self.clock = clock
        self.next_line_id = first_line_id
        self.next_tariff_id = first_tariff_id
        # Filers number their entries in sequence; start each broker somewhere in its 7-digit range.
        self.next_transaction = {code: rng.randrange(100_000, 2_000_000) for code in filers}
        self.gateways = [g for g in GATEWAYS if g in ref.ports]
        self.modes = {code: self._mode_pool(code) for code in ref.ports}
        self.buffers = TradeBuffers()

    def _mode_pool(self, port: str) -> list[str]:
        kind = self.ref.ports[port].kind
        weights = catalog.INLAND_MODES.get(port) or catalog.MODES_BY_KIND.get(kind, (("11", 1),))
        return weighted_pool(list(weights))

    def entry_type(self, profile: AccountProfile, entry_date: date) -> str:
        r = self.rng.random()
        de_minimis_ok = self.ref.de_minimis_end is None or entry_date < self.ref.de_minimis_end
        if profile.center in ("CPMM", "AFT", "ELEC") and de_minimis_ok and r < 0.03:
            return "86"
        if r < 0.13:
            return "11"
        adcvd_share = (
            0.25 if profile.center == "BM" else 0.05 if profile.center in ("IMM", "AGRI", "AFT") else 0.02
        )
        if r < 0.13 + adcvd_share:
            return "03"
        if profile.center in ("PNGM", "AA", "ELEC") and r > 0.94:
            return "06"  # foreign-trade zone: refineries, assembly plants
        return "01"

    def make(self, profile: AccountProfile, entry_date: date, *, force_origin: str = "") -> EntryMade:
        """Append one entry with its lines and tariffs to the buffers, released on arrival or the day after.

        A hold changes the release afterwards (`set_release`): the row stays in the buffer until flushed.
        """
        rng = self.rng
        filer = profile.filers[int(rng.random() * len(profile.filers))]
        transaction = self.next_transaction[filer]
        self.next_transaction[filer] = transaction + 1 + int(rng.random() * 6)
        number = make_entry_number(filer, transaction).canonical
        entry_type = self.entry_type(profile, entry_date)
        port = profile.ports[int(rng.random() * len(profile.ports))]
        modes = self.modes[port]
        mode = modes[int(rng.random() * len(modes))]
        if entry_type == "86":  # de minimis parcels arrive by air, mostly through the express hubs
            port, mode = self._air_port(profile, port), "40"
        unlading = port
        if mode in VESSEL_MODES and self.ref.ports[port].kind == "inland" and self.gateways:
            unlading = self.gateways[int(rng.random() * len(self.gateways))]
        value, duty, has_cn = self._lines(profile, number, entry_type, force_origin)
        liquidation_status, liquidation_date = self._liquidation(entry_type, entry_date)
        formal = entry_type not in ("11", "86")
        mpf = round(value * MPF_RATE)
        if formal:
            mpf = min(max(mpf, MPF_MIN_CENTS), MPF_MAX_CENTS)
        elif entry_type == "86":
            mpf = 0  # de minimis: no duty, no fees
        hmf = round(value * HMF_RATE) if mode in VESSEL_MODES else 0
        row = {
            "entry_number": number,
            "filer_code": filer,
            "account_id": profile.id,
            "importer_number": profile.iors[int(rng.random() * len(profile.iors))],
            "entry_type": entry_type,
            "port_of_entry": port,
            "port_of_unlading": unlading,
            "mode_of_transport": mode,
            "entry_date": entry_date,
            "arrival_date": entry_date - timedelta(days=int(rng.random() * 3)),
            "release_date": None,
            "summary_date": None,
            "liquidation_status": liquidation_status,
            "liquidation_date": liquidation_date,
            "team_number": "",  # the team-number -> Center mapping is unverified (DOMAIN.md §2.2)
            "entered_value_cents": value,
            "duty_cents": duty,
            "fees_cents": mpf + hmf,
            "adcvd_cents": round(value * rng.uniform(0.1, 1.5)) if entry_type == "03" else 0,
            "taxes_cents": 0,
            "bond_type": "8" if rng.random() < 0.9 else "9",
            "payment_type": rng.choice(("7", "7", "7", "6", "2", "2", "1")),
            "import_batch_id": None,
        }
        self.set_release(row, entry_date + timedelta(days=int(rng.random() * 2)))
        self.buffers.entries.append(row)
        profile.entry_count += 1
        sample = EntrySample(number, entry_date, port, liquidation_date)
        return EntryMade(row, sample, has_cn, mode in VESSEL_MODES)

    def _air_port(self, profile: AccountProfile, port: str) -> str:
        for code in [*profile.ports, *COURIER_HUBS]:
            if code in self.ref.ports and self.ref.ports[code].kind in ("courier_hub", "airport"):
                return code
        return port

    def set_release(self, row: Row, release: date | None) -> None:
        """Set the release date (None: not released) and the summary, filed within 10 working days of it."""
        clock = self.clock
        if release is not None and release >= clock.today:
            release = None
        summary = None
        if release is not None:
            formal = row["entry_type"] not in ("11", "86")
            summary = clock.add_business_days(release, int(self.rng.random() * 11)) if formal else release
            if summary >= clock.today:
                summary = None
        row["release_date"] = release
        row["summary_date"] = summary

    def _liquidation(self, entry_type: str, entry_date: date) -> tuple[str, date | None]:
        """ACE liquidates ~314 days after entry; AD/CVD entries stay suspended; a few are extended."""
        today = self.clock.today
        scheduled = estimated_liquidation_date(entry_date)
        if entry_type == "03":
            return "SUSPENDED", None
        if scheduled <= today:
            roll = self.rng.random()
            if roll < 0.02:
                return "EXTENDED", None
            if roll < 0.025:
                return "RELIQUIDATED", scheduled + timedelta(days=90)
            return "LIQUIDATED", scheduled
        if scheduled <= today + timedelta(days=28):
            return "SCHEDULED", scheduled
        return "UNLIQUIDATED", None

    def _lines(
        self, profile: AccountProfile, number: str, entry_type: str, force_origin: str
    ) -> tuple[int, int, bool]:
        rng = self.rng
        rnd = rng.random
        if entry_type == "86":
            count = 1
        elif entry_type == "11":
            count = 1 + int(rnd() * 2)
        else:
            count = LINE_COUNTS[int(rnd() * len(LINE_COUNTS))]
        mu, sigma = catalog.LINE_VALUE[profile.center]
        products, suppliers = profile.products, profile.suppliers
        total_value = total_duty = 0
        has_cn = False
        for line_number in range(1, count + 1):
            product = products[int(rnd() * len(products))]
            supplier = suppliers[int(rnd() * len(suppliers))]
            if force_origin and line_number == 1:
                supplier = next((s for s in suppliers if s.country == force_origin), supplier)
            if entry_type == "86":
                value = int(rng.uniform(20, 780) * 100)
            elif entry_type == "11":
                value = int(rng.uniform(50, 1200) * 100)
            else:
                value = max(100, int(rng.lognormvariate(mu, sigma) * 100))
            spi = SPI_BY_ORIGIN.get(supplier.country, "") if rnd() < 0.7 else ""
            duty = 0 if spi or entry_type == "86" else round(value * product.rate_pct / 100)
            line_id = self.next_line_id
            self.next_line_id += 1
            self._tariff(line_id, 1, product.hts, duty, value)
            if supplier.country == "CN" and product.section_301 and entry_type != "86" and rnd() < 0.85:
                extra = round(value * catalog.SECTION_301_RATES[product.section_301] / 100)
                self._tariff(line_id, 2, product.section_301, extra, 0)  # the goods are valued once
                duty += extra
            self.buffers.lines.append(
                {
                    "id": line_id,
                    "entry_number": number,
                    "line_number": line_number,
                    "country_of_origin": supplier.country,
                    "mid": supplier.mid,
                    "spi": spi,
                    "entered_value_cents": value,
                    "duty_cents": duty,
                    "first_hts_number": product.hts,  # the tariff of ordinal 1 above
                }
            )
            total_value += value
            total_duty += duty
            has_cn = has_cn or supplier.country == "CN"
        return total_value, total_duty, has_cn

    def _tariff(self, line_id: int, ordinal: int, hts: str, duty: int, value: int) -> None:
        self.buffers.tariffs.append(
            {
                "id": self.next_tariff_id,
                "line_id": line_id,
                "ordinal": ordinal,
                "hts_number": hts,
                "duty_cents": duty,
                "entered_value_cents": value,
            }
        )
        self.next_tariff_id += 1
