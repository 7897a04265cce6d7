"""Names for the demo's people and companies. All fictional; phone numbers use the 555-01xx range reserved
for fiction and e-mail addresses use reserved example domains (RFC 2606), so nothing reaches a real person.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(sep) if w.strip())


FIRST_NAMES = _words("""
    Maria James Linda Robert Patricia Michael Jennifer David Elizabeth Carlos Aisha Wei Priya Daniel
    Sofia Kevin Nicole Jamal Hannah Luis Grace Thomas Mei Andre Rachel Omar Laura Victor Keisha Brian
    Ana Hiroshi Fatima Steven Olga Marcus Yolanda Raj Erin Diego Chloé Jürgen Siobhan Tran Gabriela
    Samuel Ingrid Kwame Renee Paul
""")
LAST_NAMES = _words("""
    Garcia Johnson Nguyen Smith Patel Williams Rodriguez Chen Brown Okafor Martinez Kim Davis Hernandez
    Lopez Wilson Anderson Thomas Taylor Moore Jackson Lee Walker Hall Young Allen Sanchez Wright King
    Scott Green Baker Adams Nelson Rivera Campbell Mitchell Roberts Carter Phillips Evans Turner Torres
    Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson Reyes Bailey
    Gonzalez Ramirez Kowalski Schmidt O'Brien Dubois Yamamoto Haddad Novak Lindqvist Müller Ferreira
    Ivanova
""")
COMPANY_LEADS = _words("""
    Pacific Apex Vertex Summit Crescent Meridian Quantum Silverline Bluewater Northstar Cascade Redwood
    Harbor Sierra Keystone Liberty Pinnacle Horizon Granite Evergreen Lakeshore Atlas Frontier Beacon
    Heartland Coastal Ironwood Prairie Riverbend Sterling Tidewater Union Westfield Bayview Canyon Delta
""")
COMPANY_TRADES: dict[str, tuple[str, ...]] = {
    "ELEC": _words("Electronics|Microdevices|Semiconductor|Digital Systems|Components|Power Systems", "|"),
    "PHC": _words("Pharmaceuticals|Life Sciences|Biologics|Chemical|Medical Devices|Laboratories", "|"),
    "AA": _words("Automotive|Motor Parts|Aerospace|Drivetrain|Auto Components|Vehicle Systems", "|"),
    "PNGM": _words("Energy|Petroleum|Resources|Minerals|Gas Marketing|Refining", "|"),
    "IMM": _words("Plastics|Packaging|Paper Products|Building Materials|Polymers|Stone Works", "|"),
    "MACH": _words("Machinery|Industrial Equipment|Pump & Valve|Fluid Systems|Equipment|Tooling", "|"),
    "BM": _words("Steel|Metals|Aluminum|Wire & Cable|Fasteners|Alloys", "|"),
    "AGRI": _words("Foods|Produce|Seafood|Farms|Coffee Importers|Fresh Fruit", "|"),
    "AFT": _words("Apparel|Textiles|Fashion Group|Denim|Knitwear|Home Textiles", "|"),
    "CPMM": _words("Home Goods|Consumer Products|Toys|Furniture|Brands|Sporting Goods", "|"),
}
COMPANY_FORMS = _words("Inc.|LLC|Corp.|Co.|Holdings Inc.|USA Inc.|Group Inc.", "|")


def _cities(text: str) -> tuple[tuple[str, str], ...]:
    """ "San Jose CA|Austin TX" -> (("San Jose", "CA"), ("Austin", "TX"))."""
    return tuple((city.rsplit(" ", 1)[0], city.rsplit(" ", 1)[1]) for city in _words(text, "|"))


# Where U.S. importers are based, by Center.
US_CITIES: dict[str, tuple[tuple[str, str], ...]] = {
    "ELEC": _cities("San Jose CA|Irvine CA|Austin TX|Santa Clara CA|Hillsboro OR"),
    "PHC": _cities("Princeton NJ|Parsippany NJ|Cambridge MA|Durham NC|Houston TX"),
    "AA": _cities("Auburn Hills MI|Dearborn MI|Spartanburg SC|Wichita KS|Laredo TX"),
    "PNGM": _cities("Houston TX|Tulsa OK|Denver CO|Lake Charles LA|Midland TX"),
    "IMM": _cities("Buffalo NY|Atlanta GA|Memphis TN|Toledo OH|Savannah GA"),
    "MACH": _cities("Peoria IL|Milwaukee WI|Charlotte NC|San Antonio TX|Laredo TX"),
    "BM": _cities("Chicago IL|Pittsburgh PA|Cleveland OH|Birmingham AL|Gary IN"),
    "AGRI": _cities("Miami FL|Nogales AZ|McAllen TX|Salinas CA|Philadelphia PA"),
    "AFT": _cities("Los Angeles CA|New York NY|San Francisco CA|Portland OR|Dallas TX"),
    "CPMM": _cities("Atlanta GA|Bentonville AR|Minneapolis MN|Columbus OH|Seattle WA"),
}

# Telephone area codes of each Center's management office city (numbers themselves are 555-01xx).
CENTER_AREA_CODES: dict[str, str] = {
    "ELEC": "562", "PHC": "212", "AA": "313", "PNGM": "713", "IMM": "716",
    "MACH": "956", "BM": "312", "AGRI": "305", "AFT": "415", "CPMM": "404",
}  # fmt: skip


class SpecialAccount(NamedTuple):
    """An importer whose name is not plain ASCII: reports and search must cope with accents and CJK."""

    name: str
    center: str
    country: str
    city: str


SPECIAL_ACCOUNTS: tuple[SpecialAccount, ...] = (
    SpecialAccount("Société Lumière SA", "CPMM", "FR", "Lyon"),
    SpecialAccount("Müller Präzisionsteile GmbH", "MACH", "DE", "Stuttgart"),
    SpecialAccount("深圳华辰电子有限公司 (Shenzhen Huachen Electronics)", "ELEC", "CN", "Shenzhen"),
    SpecialAccount("Café Tierra Dorada S.A. de C.V.", "AGRI", "MX", "Veracruz"),
    SpecialAccount("株式会社高橋精機 (Takahashi Seiki)", "MACH", "JP", "Nagoya"),
    SpecialAccount("Łódzkie Tekstylia Sp. z o.o.", "AFT", "PL", "Łódź"),
    SpecialAccount("대한정밀 주식회사 (Daehan Precision)", "AA", "KR", "Changwon"),
    SpecialAccount("宁波海润塑料制品有限公司 (Ningbo Hairun Plastics)", "IMM", "CN", "Ningbo"),
    SpecialAccount("Ångström Optik AB", "ELEC", "SE", "Lund"),
    SpecialAccount("Øresund Stål A/S", "BM", "DK", "Aarhus"),
)

BROKER_NAMES = _words(
    "Gateway Customs Brokers|Harborline Customs Services|TransBorder Brokerage|Meridian Trade Services|"
    "Pacific Rim Customs House|Great Lakes Customs Brokers|Lone Star Customs|Atlantic Entry Services|"
    "Cornerstone Trade Compliance|Summit Customs Group|Keystone Brokerage|Blue Ridge Customs",
    "|",
)


def slug(text: str) -> str:
    """ASCII letters and digits of `text`, lower case, words joined by hyphens ("Jürgen" -> "jurgen")."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = ["".join(ch for ch in word.lower() if ch.isalnum()) for word in folded.split()]
    return "-".join(w for w in words if w)[:40] or "importer"


def person_email(first: str, last: str, domain: str) -> str:
    return f"{slug(first)}.{slug(last)}@{domain}".replace("-.", ".")
