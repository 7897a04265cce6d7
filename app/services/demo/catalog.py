"""What each Center's importers bring in, from where, and through which ports (static data of the demo).

HTS numbers are commonly filed 10-digit statistical reporting numbers in chapters the Center covers
(`centers.hts_chapters`); rates are approximate general (column 1) ad valorem rates. The app treats an HTS
number missing from a tariff revision as a warning (DOMAIN.md §4.4), so a number later split or retired looks
as it would in a real extract. The chapter 99 numbers are the Section 301 headings for goods of China
(9903.88.01 List 1, .02 List 2, .03 List 3 at 25%; .15 List 4A at 7.5%), filed as a second tariff on the line.

Port codes must exist in the `ports` table; the generator skips any that do not.
"""

from __future__ import annotations

from typing import NamedTuple


def _words(text: str) -> tuple[str, ...]:
    return tuple(w for w in text.split("|") if w)


def _weights(text: str) -> tuple[tuple[str, int], ...]:
    """ "CN:30 TW:12" -> (("CN", 30), ("TW", 12))."""
    return tuple((key, int(weight)) for key, weight in (item.split(":") for item in text.split()))


class Product(NamedTuple):
    hts: str
    rate_pct: float
    description: str
    section_301: str  # chapter 99 heading filed with it when the origin is CN, or ""


SECTION_301_RATES: dict[str, float] = {
    "9903880100": 25.0,
    "9903880200": 25.0,
    "9903880300": 25.0,
    "9903881500": 7.5,
}
L1, L3, L4A = "9903880100", "9903880300", "9903881500"

PRODUCTS: dict[str, tuple[Product, ...]] = {
    "ELEC": (
        Product("8471300100", 0.0, "portable computers", ""),
        Product("8471500150", 0.0, "processing units", ""),
        Product("8473301180", 0.0, "printed circuit assemblies for computers", L3),
        Product("8517130000", 0.0, "smartphones", ""),
        Product("8517620090", 0.0, "network switching and routing apparatus", L3),
        Product("8528520000", 0.0, "computer monitors", L4A),
        Product("8542310000", 0.0, "processors and controllers", L1),
        Product("8542390000", 0.0, "integrated circuits", L1),
        Product("8507600020", 3.4, "lithium-ion battery packs", L3),
        Product("8544429090", 2.6, "insulated cables with connectors", L3),
        Product("8541430010", 0.0, "photovoltaic modules", L3),
    ),
    "PHC": (
        Product("3004909290", 0.0, "medicaments in measured doses", ""),
        Product("3002410000", 0.0, "vaccines for human medicine", ""),
        Product("2804610000", 0.0, "polysilicon", L3),
        Product("2815110000", 0.0, "sodium hydroxide", L3),
        Product("9018390040", 0.0, "catheters", L4A),
        Product("9018908000", 0.0, "medical instruments", L4A),
        Product("9021100090", 0.0, "orthopedic appliances", L4A),
        Product("3304995000", 0.0, "skin-care preparations", L4A),
        Product("3306100000", 0.0, "dentifrices", ""),
    ),
    "AA": (
        Product("8703230190", 2.5, "passenger vehicles", L1),
        Product("8703800000", 2.5, "electric passenger vehicles", L1),
        Product("8708295060", 2.5, "vehicle body parts", L3),
        Product("8708998180", 2.5, "motor vehicle parts", L3),
        Product("8708305090", 2.5, "brake parts", L3),
        Product("4011101010", 4.0, "radial passenger car tires", L3),
        Product("4011201015", 4.0, "radial truck and bus tires", L3),
        Product("8802400070", 0.0, "airplanes over 15,000 kg", ""),
    ),
    "PNGM": (
        Product("2709002000", 0.15, "crude petroleum", ""),
        Product("2711110000", 0.0, "liquefied natural gas", ""),
        Product("2711210000", 0.0, "natural gas", ""),
        Product("2713120000", 0.0, "calcined petroleum coke", ""),
        Product("2523290000", 0.0, "portland cement", ""),
        Product("7102310000", 0.0, "rough diamonds", ""),
    ),
    "IMM": (
        Product("3926909985", 5.3, "articles of plastics", L3),
        Product("3907610000", 6.5, "PET resin", L3),
        Product("3920100000", 4.2, "polyethylene film", L3),
        Product("4016935050", 2.5, "rubber gaskets", L3),
        Product("4819100040", 0.0, "corrugated cartons", L3),
        Product("6802930010", 3.7, "granite slabs", L3),
    ),
    "MACH": (
        Product("8481809050", 2.0, "valves", L1),
        Product("8413702004", 0.0, "centrifugal pumps", L1),
        Product("8424899000", 1.8, "spraying machinery", L1),
        Product("8479899499", 2.5, "industrial machines", L1),
        Product("8431499095", 0.0, "parts of cranes and loaders", L3),
        Product("8414596590", 2.3, "industrial fans", L3),
    ),
    "BM": (
        Product("7318152095", 0.0, "steel bolts", L3),
        Product("7326908688", 2.9, "articles of steel", L3),
        Product("7616995190", 2.5, "articles of aluminum", L3),
        Product("7403110000", 1.0, "copper cathodes", ""),
        Product("7601106000", 2.6, "unwrought aluminum", L3),
    ),
    "AGRI": (
        Product("0306170040", 0.0, "frozen shrimp", ""),
        Product("0804400010", 2.0, "fresh avocados", ""),
        Product("0901110025", 0.0, "green coffee", ""),
        Product("1905909090", 0.0, "bakery products", L3),
        Product("2106909998", 6.4, "food preparations", L3),
    ),
    "AFT": (
        Product("6109100012", 16.5, "cotton T-shirts", L4A),
        Product("6110202079", 16.5, "cotton sweaters", L4A),
        Product("6203424011", 16.6, "men's denim trousers", L4A),
        Product("6204624011", 16.6, "women's denim trousers", L4A),
        Product("6104622010", 14.9, "women's knit trousers", L4A),
        Product("6302600020", 9.1, "cotton terry towels", L4A),
    ),
    "CPMM": (
        Product("9403608081", 0.0, "wooden furniture", L3),
        Product("9401616011", 0.0, "upholstered chairs", L3),
        Product("9503000073", 0.0, "toys", ""),
        Product("9503000090", 0.0, "toys and models", ""),
        Product("9504500000", 0.0, "video game consoles", ""),
        Product("9405428410", 3.9, "LED light fixtures", L3),
        Product("9506910030", 4.6, "exercise equipment", L4A),
        Product("3304995000", 0.0, "cosmetics", L4A),
    ),
}

# Countries of origin (ISO 3166-1 alpha-2) and their weights, by Center.
ORIGINS: dict[str, tuple[tuple[str, int], ...]] = {
    "ELEC": _weights("CN:30 TW:12 VN:12 MX:10 MY:8 KR:8 JP:6 TH:6"),
    "PHC": _weights("IN:15 CN:15 IE:12 DE:12 CH:10 IT:6 FR:6 GB:6"),
    "AA": _weights("MX:30 CA:20 JP:15 DE:12 KR:10 CN:8 GB:3"),
    "PNGM": _weights("CA:35 MX:15 SA:10 TT:6 BR:6 CO:6 CL:4 BE:4"),
    "IMM": _weights("CN:25 CA:25 MX:10 DE:8 IN:8 KR:6 BR:6 IT:6"),
    "MACH": _weights("CN:25 MX:20 DE:15 JP:12 IT:10 KR:8 CA:6 TW:4"),
    "BM": _weights("CA:25 MX:12 KR:10 BR:10 JP:8 CN:8 IN:6 TR:5"),
    "AGRI": _weights("MX:35 CA:15 CL:8 PE:8 CO:6 BR:6 VN:5 EC:4"),
    "AFT": _weights("CN:25 VN:25 BD:12 IN:10 ID:8 KH:6 HN:5 PK:4"),
    "CPMM": _weights("CN:45 VN:15 MX:8 IN:6 TW:5 MY:4 ID:4 IT:3"),
}

# Manufacturer cities by origin. Canada's are keyed by province code: a Canadian MID starts with it.
CITIES: dict[str, tuple[str, ...]] = {
    "CN": _words("Shenzhen|Dongguan|Ningbo|Suzhou|Xiamen|Qingdao|Foshan|Tianjin"),
    "TW": _words("Taipei|Hsinchu|Taichung|Kaohsiung|Taoyuan"),
    "VN": _words("Ho Chi Minh City|Hanoi|Haiphong|Binh Duong|Da Nang"),
    "MY": _words("Penang|Kuala Lumpur|Johor Bahru|Kulim"),
    "MX": _words("Monterrey|Tijuana|Ciudad Juarez|Guadalajara|Queretaro|Saltillo|Uruapan"),
    "KR": _words("Seoul|Incheon|Busan|Ulsan|Changwon"),
    "JP": _words("Osaka|Nagoya|Yokohama|Hamamatsu|Kobe"),
    "TH": _words("Bangkok|Chonburi|Ayutthaya|Rayong"),
    "IE": _words("Cork|Dublin|Limerick"),
    "DE": _words("Stuttgart|Munich|Hamburg|Cologne|Frankfurt"),
    "IN": _words("Mumbai|Chennai|Tiruppur|Ahmedabad|Pune|Hyderabad"),
    "CH": _words("Basel|Zurich|Geneva"),
    "IT": _words("Milan|Prato|Florence|Turin|Bologna"),
    "FR": _words("Lyon|Paris|Toulouse"),
    "GB": _words("Birmingham|Manchester|Cambridge"),
    "XO": _words("Toronto|Mississauga|Windsor"),
    "XQ": _words("Montreal|Quebec City"),
    "XC": _words("Vancouver|Surrey"),
    "XA": _words("Calgary|Edmonton"),
    "SA": _words("Jubail|Dammam"),
    "TT": _words("Point Lisas|Port of Spain"),
    "BR": _words("Sao Paulo|Santos|Belo Horizonte"),
    "CO": _words("Bogota|Medellin|Cartagena"),
    "CL": _words("Santiago|Valparaiso|Antofagasta"),
    "BE": _words("Antwerp|Ghent"),
    "TR": _words("Istanbul|Izmir|Iskenderun"),
    "PE": _words("Lima|Trujillo|Piura"),
    "EC": _words("Guayaquil|Quito"),
    "BD": _words("Dhaka|Chittagong|Gazipur"),
    "ID": _words("Jakarta|Bandung|Surabaya"),
    "KH": _words("Phnom Penh"),
    "HN": _words("San Pedro Sula|Choloma"),
    "PK": _words("Karachi|Faisalabad|Lahore"),
}
CANADIAN_PROVINCES: tuple[str, ...] = ("XO", "XO", "XQ", "XC", "XA")  # weighted toward Ontario

# First words of manufacturer names by origin (the MID is built from the first two words of the name).
MAKER_ROOTS: dict[str, tuple[str, ...]] = {
    "CN": _words("Xinda|Huamei|Jinlong|Hengtai|Dongfang|Tianyi|Ruifeng|Yongxin"),
    "TW": _words("Jiahe|Kuanmei|Shengtai|Fuyuan"),
    "VN": _words("Minh Phat|Thanh Cong|Hoa Binh|An Phat|Phuoc Long"),
    "MY": _words("Sinar|Perdana|Cahaya"),
    "MX": _words("Industrias Norte|Manufacturas Bajio|Productos Sierra|Agricola Valle|Aceros Monclova"),
    "KR": _words("Daesung|Hanil|Samjin|Dongil|Sewon"),
    "JP": _words("Yamato|Fujisawa|Kanto|Shinwa|Takara"),
    "TH": _words("Siam Pacific|Rattana|Chaiyo"),
    "IE": _words("Shannon|Liffey|Corrib"),
    "DE": _words("Rheinland|Schwarzwald|Bergmann|Hoffmann"),
    "IN": _words("Shree Ganesh|Kaveri|Deccan|Ganga"),
    "CH": _words("Alpen|Rhein|Helvetia"),
    "IT": _words("Toscana|Lombarda|Adriatica|Fratelli Rossi"),
    "FR": _words("Provence|Atlantique|Rhone"),
    "GB": _words("Severn|Pennine|Mercia"),
    "CA": _words("Laurentian|Great Lakes|Northern Shield|Prairie"),
    "SA": _words("Gulf|Arabian Coast"),
    "TT": _words("Caribbean|Point Lisas"),
    "BR": _words("Paulista|Cerrado"),
    "CO": _words("Andina|Cordillera"),
    "CL": _words("Pacifico|Atacama"),
    "BE": _words("Scheldt|Brabant"),
    "TR": _words("Anadolu|Ege|Marmara"),
    "PE": _words("Del Sur|Inca Valley"),
    "EC": _words("Costa Azul|Guayas"),
    "BD": _words("Padma|Meghna|Jamuna"),
    "ID": _words("Nusantara|Garuda|Mitra"),
    "KH": _words("Mekong|Angkor"),
    "HN": _words("Lenca|Sula"),
    "PK": _words("Indus|Ravi"),
}
MAKER_TRADES: dict[str, tuple[str, ...]] = {
    "ELEC": _words("Electronics|Technology|Optoelectronic"),
    "PHC": _words("Pharmaceutical|Chemical|Medical"),
    "AA": _words("Auto Parts|Motor|Precision"),
    "PNGM": _words("Petroleum|Energy|Mining"),
    "IMM": _words("Plastics|Packaging|Rubber"),
    "MACH": _words("Machinery|Hydraulic|Pump"),
    "BM": _words("Steel|Metal|Aluminium"),
    "AGRI": _words("Foods|Agricultural|Seafood"),
    "AFT": _words("Garment|Textile|Knitting"),
    "CPMM": _words("Home Products|Toys|Furniture"),
}
STREETS = _words("Industrial Road|Avenue|Development Zone Road|Street|Boulevard|Park Road")

# Ports each Center's importers use, with weights (DOMAIN.md §4.3 codes); big gateways weigh most.
PORTS: dict[str, tuple[tuple[str, int], ...]] = {
    "ELEC": _weights("2704:10 2709:10 2720:6 4701:4 2811:3 3001:2 4196:3 4197:2"),
    "PHC": _weights("4601:8 1001:6 4701:6 5401:3 1101:3 1601:2 2720:2"),
    "AA": _weights("3801:10 2304:10 3802:5 2402:4 1401:3 1601:3 2709:3"),
    "PNGM": _weights("5301:10 5312:5 2101:4 2002:3 2017:2 5311:2 3401:2"),
    "IMM": _weights("0901:6 3801:6 1703:6 1401:4 2709:5 3002:3 0712:3"),
    "MACH": _weights("2304:10 1703:6 4601:6 1601:4 3901:5 2709:5 2402:3"),
    "BM": _weights("3901:8 5301:6 2002:5 1303:4 4601:4 2304:5 3802:3"),
    "AGRI": _weights("5201:8 5203:5 2604:6 2305:6 1101:4 4601:5 2709:4 2506:3"),
    "AFT": _weights("2704:10 2709:8 4601:8 1703:6 4701:3 2720:3 3002:3"),
    "CPMM": _weights("2704:10 2709:10 1703:8 4601:6 1401:4 5301:3 4196:2"),
}

# Mode of transport by port kind (MOT codes, DOMAIN.md §4.8).
MODES_BY_KIND: dict[str, tuple[tuple[str, int], ...]] = {
    "seaport": _weights("11:9 10:1"),
    "airport": _weights("40:7 41:3"),
    "courier_hub": _weights("40:1"),
    "land_border": _weights("30:4 31:4 20:1 21:1"),
    "inland": _weights("40:1 11:1"),  # air cargo at the local airport, or ocean containers moved in bond
}
# Inland ports whose mix differs: Chicago is a rail hub for ocean containers; Memphis an air-cargo hub.
INLAND_MODES: dict[str, tuple[tuple[str, int], ...]] = {
    "3901": _weights("11:7 40:3"),
    "2006": _weights("40:8 11:2"),
}

# Line value in dollars (lognormal mu, sigma) by Center: crude and LNG cargoes dwarf apparel cartons.
LINE_VALUE: dict[str, tuple[float, float]] = {
    "ELEC": (9.3, 1.2), "PHC": (9.5, 1.3), "AA": (10.0, 1.2), "PNGM": (12.0, 1.5), "IMM": (9.0, 1.1),
    "MACH": (9.8, 1.2), "BM": (10.2, 1.1), "AGRI": (9.4, 1.0), "AFT": (9.2, 1.0), "CPMM": (9.0, 1.1),
}  # fmt: skip

# Centers whose goods sit in UFLPA high-priority sectors (electronics and solar, apparel and cotton,
# polysilicon and chemicals, autos, aluminium and steel): their CN-origin entries can meet a UFLPA detention.
UFLPA_CENTERS: tuple[str, ...] = ("ELEC", "AFT", "PHC", "AA", "BM")

# PGA holds each Center's goods typically meet (hold category codes).
PGA_HOLDS: dict[str, tuple[tuple[str, int], ...]] = {
    "ELEC": _weights("PGA_FCC:6 PGA_CPSC:2 PGA_EPA:1"),
    "PHC": _weights("PGA_FDA:10 PGA_EPA:3 PGA_DEA:1"),
    "AA": _weights("PGA_NHTSA:6 PGA_EPA:4"),
    "PNGM": _weights("PGA_EPA:4 PGA_OTHER:2"),
    "IMM": _weights("PGA_EPA:3 PGA_USDA_APHIS:3"),
    "MACH": _weights("PGA_EPA:3 PGA_OTHER:1"),
    "BM": _weights("PGA_OTHER:1"),
    "AGRI": _weights("PGA_FDA:10 PGA_USDA_APHIS:6 PGA_FSIS:2 PGA_NMFS:2 PGA_FWS:1"),
    "AFT": _weights("PGA_CPSC:3 PGA_FWS:2"),
    "CPMM": _weights("PGA_CPSC:8 PGA_FDA:3 PGA_FWS:1"),
}
