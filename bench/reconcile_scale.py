"""Month-end scale: ``recon reconcile`` on a synthetic month of N invoice lines.

    uv run python bench/reconcile_scale.py --lines N [--db URL] [--seed S]
    uv run python bench/reconcile_scale.py --sizes 10000,100000 [--db URL]

For each size, a seeded synthetic month (vendors, POs of 1-10 lines,
receipts, invoices, credit notes; see ``MonthGenerator``) is written straight
into a fresh database with bulk inserts, into the same tables and columns
``store_document`` fills on ingest, so ``load_matcher_input`` sees the
documents exactly as it sees ingested ones. No PDFs are made: this measures
reconciling, not reading. Generating and inserting is timed and printed
apart, never counted.

Then ``run_reconcile`` (what ``recon reconcile`` runs; ``--all`` for
``recon reconcile --all``) is timed end to end in a fresh child process:
lock, load, match, save matches and discrepancies, register assets, commit.
Its phases are timed by wrapping the functions ``run_reconcile`` calls (the
code under test is not changed). Peak memory is the child's
``ru_maxrss`` when ``run_reconcile`` returns: the interpreter, the imports
and the run, as a ``recon reconcile`` process would have it.

The floor, measured in the same child right after: rapidfuzz
``process.cdist`` alone over the same candidate blocks recon scores (each PO
against the lines of the invoices and receipts that cite it, duplicates
left out, as ``matching.reconcile`` blocks them), with recon's scorer
(``fuzz.token_set_ratio``), processor (``normalise_description``) and
score cutoff. Issue 5 asks for ``workers=-1``; on blocks of a few lines
starting the threads costs more than the scoring (about a millisecond per
call, and noisy), so it is timed as asked and with ``workers=1``, and the
floor is the faster of the two: what cdist alone can do over these blocks.
Also printed: each distinct description normalised once instead of per
block (``fl pre``), what a matcher could reach that kept the normalised
text. The ratio is recon's seconds over the floor. The floor covers the
blocks of cited POs only; scoring an invoice without a PO against its
vendor's POs (the ``no_po`` suggestion) is recon's extra work.

The default database is a fresh SQLite file in a temporary folder. With
``--db postgresql+psycopg://...`` (``--db postgres``: the local server at
``DEFAULT_PG_URL``) each size gets a throwaway schema
``bench_<pid>_<N>`` (dropped at the end unless ``--keep``); rows go in with
COPY. A ``--db sqlite:///FILE`` must not exist yet (``FILE-<N>`` for several
sizes) and is kept.

The last line, for the largest size, is for scripts:
``lines=N seconds=S peak_mb=M floor_seconds=F ratio=R``.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import itertools
import json
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from matching.normalise import normalise_document_number  # noqa: E402
from models.base import Base  # noqa: E402
from models.db import make_engine, migrate, session_factory  # noqa: E402
from models.queries import load_matcher_input  # noqa: E402
from models.tables import (  # noqa: E402
    Asset,
    Discrepancy,
    Document,
    DocumentEvidence,
    DocumentLine,
    Match,
)

DEFAULT_SEED = 20261031
#: The month being closed; POs are placed up to two months before it.
MONTH = date(2026, 10, 1)
MONTH_END = date(2026, 10, 31)
#: Rows buffered before a bulk insert.
FLUSH_LINES = 20_000
#: PostgreSQL server used when --db names only "postgres".
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

T = TypeVar("T")

# ---------------------------------------------------------------------------
# The catalogue: IT products with model numbers, as the buyer orders them
# (``po_text``) and the parts vendors reword (brand, line, model, noun, specs).
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    brand: str
    line: str
    model: str
    noun: str
    price: Decimal
    specs: tuple[str, ...] = ()
    #: Other ways vendors write a generic item (no model number).
    alts: tuple[str, ...] = ()
    shipping: bool = False

    @property
    def po_text(self) -> str:
        if self.alts or self.shipping:
            return self.noun
        return " ".join(p for p in (self.brand, self.line, self.model, self.noun) if p)


def _pick(rng: random.Random, items: Sequence[T]) -> T:
    return items[rng.randrange(len(items))]


def _letters(rng: random.Random, n: int) -> str:
    return "".join(_pick(rng, "ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(n))


def _digits(rng: random.Random, n: int) -> str:
    return "".join(_pick(rng, "0123456789") for _ in range(n))


def _sku(rng: random.Random) -> str:
    style = rng.randrange(4)
    if style == 0:
        return f"{_digits(rng, 3)}-{_letters(rng, 4)}"  # 210-BFZW
    if style == 1:
        return f"{_digits(rng, 3)}-{_digits(rng, 6)}"  # 910-006559
    if style == 2:
        return f"{_digits(rng, 2)}{_letters(rng, 2)}{_digits(rng, 4)}{_letters(rng, 2)}"
    return (
        f"{_letters(rng, 1)}{_digits(rng, 2)}{_letters(rng, 2)}{_digits(rng, 1)}{_letters(rng, 2)}"
    )


def _price(rng: random.Random, lo: int, hi: int) -> Decimal:
    whole = rng.randint(lo, hi)
    return Decimal(f"{whole}.{_pick(rng, ('00', '90', '99', '50', '49'))}")


Family = tuple[str, str, str, Callable[[random.Random], str], int, int, tuple[str, ...]]

_LAPTOP_SPECS = (
    "i5-1345U", "i7-1365U", "Core Ultra 5 125U", "Core Ultra 7 155U", "16GB RAM", "32GB RAM",
    "512GB SSD", "1TB SSD", "Win 11 Pro", "German keyboard", "UK keyboard", "FHD IPS",
)  # fmt: skip
_MONITOR_SPECS = ("QHD", "4K UHD", "FHD", "USB-C hub", "height adjustable", "IPS", "90W PD")
_AUDIO_SPECS = ("USB-C", "USB-A", "MS Teams", "UC", "stereo", "Bluetooth", "wireless")

# (brand, line, noun, model maker, price range, specs)
_FAMILIES: tuple[Family, ...] = (
    (
        "Dell",
        "Latitude",
        "laptop",
        lambda r: f"{_pick(r, '3579')}{_pick(r, '3456')}{r.randint(0, 5)}0",
        800,
        1900,
        _LAPTOP_SPECS,
    ),
    (
        "Lenovo",
        "ThinkPad",
        "laptop",
        lambda r: (
            f"{_pick(r, 'TXELP')}{_pick(r, (13, 14, 16))}{_pick(r, ('', 's'))}"
            f" Gen {r.randint(1, 6)}"
        ),
        900,
        2300,
        _LAPTOP_SPECS,
    ),
    (
        "HP",
        "EliteBook",
        "laptop",
        lambda r: f"{_pick(r, '168')}{_pick(r, '346')}0 G{r.randint(7, 11)}",
        950,
        2100,
        _LAPTOP_SPECS,
    ),
    (
        "HP",
        "ProBook",
        "laptop",
        lambda r: f"4{_pick(r, '3456')}0 G{r.randint(8, 11)}",
        700,
        1300,
        _LAPTOP_SPECS,
    ),
    (
        "Dell",
        "",
        "monitor",
        lambda r: (
            f"{_pick(r, 'PUSE')}{_pick(r, (22, 24, 27, 32, 34))}{r.randint(10, 25)}"
            f"{_pick(r, ('D', 'DE', 'QE', 'H', 'HE'))}"
        ),
        140,
        900,
        _MONITOR_SPECS,
    ),
    (
        "LG",
        "UltraWide",
        "monitor",
        lambda r: (
            f"{_pick(r, (29, 34, 38))}{_pick(r, ('WN', 'WP', 'BN', 'GN'))}{r.randint(50, 95)}"
            f"{_pick(r, ('C', 'U', 'Q'))}-B"
        ),
        300,
        1100,
        _MONITOR_SPECS,
    ),
    (
        "Samsung",
        "ViewFinity",
        "monitor",
        lambda r: (
            f"S{_pick(r, (24, 27, 32))}{_pick(r, 'ABCD')}{r.randint(300, 900)}{_pick(r, 'UEG')}"
        ),
        150,
        700,
        _MONITOR_SPECS,
    ),
    (
        "Dell",
        "",
        "USB-C docking station",
        lambda r: f"WD{r.randint(15, 25)}{_pick(r, ('S', 'TB', 'DCS', 'TBS'))}",
        150,
        350,
        ("130W", "180W", "incl. power adapter", "EU plug"),
    ),
    (
        "Lenovo",
        "ThinkPad Universal",
        "dock",
        lambda r: f"40{_letters(r, 2)}{_digits(r, 4)}EU",
        180,
        320,
        ("USB-C", "Thunderbolt 4", "135W"),
    ),
    (
        "Logitech",
        "MX Keys",
        "keyboard",
        lambda r: f"{_pick(r, ('S', 'Mini', 'Mechanical'))} {_pick(r, ('DEU', 'UK', 'US', 'FRA'))}",
        90,
        160,
        ("Graphite", "wireless", "QWERTZ"),
    ),
    (
        "Logitech",
        "",
        "mouse",
        lambda r: f"M{r.randint(170, 750)}",
        12,
        70,
        ("wireless", "grey", "graphite", "silent"),
    ),
    (
        "Logitech",
        "MX Master",
        "mouse",
        lambda r: f"{r.randint(2, 4)}S-{_digits(r, 4)}",
        80,
        130,
        ("Performance", "Graphite", "wireless"),
    ),
    (
        "Jabra",
        "Evolve2",
        "headset",
        lambda r: f"{r.randint(30, 85)} {_letters(r, 2)}{_digits(r, 3)}",
        80,
        420,
        _AUDIO_SPECS,
    ),
    (
        "EPOS",
        "ADAPT",
        "headset",
        lambda r: f"{r.randint(2, 6)}{r.randint(30, 99)}",
        90,
        350,
        _AUDIO_SPECS,
    ),
    ("Logitech", "", "webcam", lambda r: f"C{r.randint(900, 999)}", 50, 140, ("1080p", "HD Pro")),
    ("Logitech", "Brio", "webcam", lambda r: f"{r.randint(100, 505)}", 90, 260, ("4K", "Ultra HD")),
    (
        "Samsung",
        "Portable SSD",
        "",
        lambda r: f"T{_pick(r, '79')} {_pick(r, ('500GB', '1TB', '2TB', '4TB'))}",
        70,
        380,
        ("USB-C", "grey", "USB 3.2"),
    ),
    (
        "Ubiquiti",
        "UniFi",
        "switch",
        lambda r: f"USW-{_pick(r, ('Pro', 'Lite', 'Enterprise'))}-{_pick(r, (8, 16, 24, 48))}-PoE",
        200,
        1800,
        ("PoE+", "SFP+", "19in rack mount", "Layer 3"),
    ),
    (
        "Ubiquiti",
        "UniFi",
        "access point",
        lambda r: f"U{r.randint(6, 7)}-{_pick(r, ('Pro', 'LR', 'Lite', 'Mesh', 'Enterprise'))}",
        100,
        400,
        ("Wi-Fi 6", "Wi-Fi 7", "PoE", "ceiling mount"),
    ),
    (
        "Cisco",
        "Catalyst",
        "switch",
        lambda r: f"C{r.randint(1000, 9300)}-{_pick(r, (24, 48))}{_pick(r, 'PT')}-4G",
        900,
        6000,
        ("managed", "PoE+", "4x 1G SFP"),
    ),
    (
        "APC",
        "Back-UPS",
        "UPS",
        lambda r: f"BX{r.randint(5, 22) * 100}MI",
        90,
        420,
        ("IEC outlets", "230V", "AVR"),
    ),
    (
        "Apple",
        "iPhone",
        "",
        lambda r: (
            f"{r.randint(13, 16)}{_pick(r, ('', ' Pro', ' Pro Max', ' Plus'))}"
            f" {_pick(r, ('128GB', '256GB', '512GB'))}"
        ),
        700,
        1700,
        ("black", "blue", "5G"),
    ),
    (
        "Samsung",
        "Galaxy",
        "smartphone",
        lambda r: (
            f"S{r.randint(22, 25)}{_pick(r, ('', ' Ultra', ' Plus'))}"
            f" {_pick(r, ('128GB', '256GB'))}"
        ),
        600,
        1500,
        ("5G", "Enterprise Edition", "black"),
    ),
    (
        "Apple",
        "iPad",
        "",
        lambda r: (
            f"{_pick(r, ('Air', 'Pro', 'mini'))} {_pick(r, (11, 13))}in M{r.randint(1, 4)}"
            f" {_pick(r, ('128GB', '256GB', '512GB'))}"
        ),
        500,
        1600,
        ("Wi-Fi", "Cellular", "grey"),
    ),
    (
        "HP",
        "LaserJet Pro",
        "printer",
        lambda r: f"M{r.randint(200, 480)}{_pick(r, ('dn', 'fdw', 'dw', 'nw'))}",
        200,
        700,
        ("duplex", "A4", "network"),
    ),
    (
        "Brother",
        "",
        "printer",
        lambda r: f"HL-L{r.randint(2300, 8900)}CDW",
        180,
        650,
        ("colour", "A4"),
    ),
    (
        "Kensington",
        "",
        "laptop lock",
        lambda r: f"K{r.randint(60000, 69999)}WW",
        25,
        60,
        ("keyed",),
    ),
    (
        "Ergotron",
        "LX",
        "monitor arm",
        lambda r: f"45-{r.randint(200, 700)}-{r.randint(0, 300):03d}",
        120,
        330,
        ("desk mount", "aluminium", "dual"),
    ),
)

_LICENCES: tuple[tuple[str, str, int], ...] = (
    ("Microsoft 365 Business Basic, annual subscription (per user)", "CFQ7TTC0LH18", 72),
    ("Microsoft 365 Business Standard, annual subscription (per user)", "CFQ7TTC0LDPB", 150),
    ("Microsoft 365 Business Premium, annual subscription (per user)", "CFQ7TTC0LCHC", 264),
    ("Microsoft 365 E3, annual subscription (per user)", "CFQ7TTC0LFLX", 432),
    ("Adobe Acrobat Pro for teams, annual licence", "65322651BA01A12", 240),
    ("Adobe Creative Cloud All Apps for teams, annual licence", "65322659BA01A12", 1020),
    ("JetBrains All Products Pack, annual subscription", "APO-ORG-1Y", 779),
    ("JetBrains IntelliJ IDEA Ultimate, annual subscription", "IIU-ORG-1Y", 599),
    ("1Password Business, annual, per user", "1P-BIZ-1Y", 96),
    ("Zoom Workplace Business, annual licence", "ZW-BUS-1Y", 190),
    ("Atlassian Jira Software Cloud Standard, annual (per user)", "JSW-STD-1Y", 95),
    ("Slack Business+, annual (per user)", "SLK-BP-1Y", 150),
)

# Generic items: the buyer's wording, then wordings vendors use.
_GENERIC: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    (
        "HDMI cable {n} m, high speed",
        5,
        20,
        ("HDMI High Speed cable with Ethernet, {n}.0 m, black", "Cable HDMI 2.0 {n}m"),
    ),
    (
        "DisplayPort cable {n} m",
        7,
        25,
        ("DisplayPort 1.4 cable, {n}.0 m, latching connectors", "DP cable {n} m"),
    ),
    (
        "USB-C to DisplayPort cable {n} m",
        15,
        30,
        ("USB-C to DisplayPort 1.4 Cable, {n} m, 8K", "Cable USB-C > DP {n}m"),
    ),
    (
        "Cat6 patch cable {n} m",
        2,
        9,
        ("Patch cable Cat6 S/FTP {n}.0 m grey", "Cat6 RJ45 patch lead {n}m"),
    ),
    (
        "Cat6a patch cable {n} m, pack of 10",
        14,
        40,
        ("Cat6A RJ45 patch leads {n}m (pack of 10), blue", "Patch cable Cat.6A {n} m, 10 pcs"),
    ),
    ("USB-C charger {n}5 W GaN", 25, 60, ("USB-C GaN power supply {n}5W, 2 ports, EU plug",)),
    (
        "Power strip {n}-way with switch",
        12,
        30,
        ("Power strip {n}-way, illuminated switch, 1.5 m cable", "Socket strip {n} way switched"),
    ),
    ("Laptop stand, aluminium", 25, 60, ("Laptop stand aluminium, adjustable height, foldable",)),
    ("Mouse pad", 3, 9, ("Mouse pad, fabric, black", "Mousepad black")),
    ("Screen cleaning kit", 6, 12, ("Screen cleaning kit (spray 200 ml + microfibre cloth)",)),
    ("USB flash drive {n}4 GB", 8, 30, ("USB flash drive {n}4 GB, USB 3.2, metal housing",)),
    ("USB-C to USB-A adapter", 5, 12, ("Adapter USB-C male to USB-A female, USB 3.2",)),
    ("USB-C hub {n}-port", 30, 80, ("USB-C multiport hub {n}-in-1 (HDMI 4K, USB-A, SD, PD 100W)",)),
    (
        "Velcro cable ties, pack of {n}0",
        4,
        9,
        ("Velcro cable ties 200 mm, pack of {n}0, assorted",),
    ),
    ("Cable management sleeve {n} m", 6, 15, ("Cable sleeve with zip, {n} m, black",)),
    ("Privacy filter 14in", 45, 70, ('Privacy filter 14" 16:9 for notebooks, magnetic',)),
    (
        "Onboarding workshop",
        500,
        900,
        ("Onboarding workshop for administrators (remote, 4 hours)",),
    ),
    ("On-site installation, per day", 700, 1200, ("Installation on site (engineer day rate)",)),
)

_SHIPPING = (
    ("Shipping & handling", ("Freight / delivery charge", "Shipping costs (parcel)")),
    ("Freight", ("Freight - UPS Worldwide Expedited", "Freight charges (pallet)")),
    ("Delivery charge", ("Carriage - next working day", "Delivery charge, express")),
)


def build_catalogue(rng: random.Random, per_family: int = 80) -> list[Product]:
    """Products with distinct buyer wordings, a few thousand in all."""
    seen: set[str] = set()
    out: list[Product] = []

    def add(product: Product) -> None:
        if product.po_text.casefold() not in seen:
            seen.add(product.po_text.casefold())
            out.append(product)

    for brand, line, noun, model, lo, hi, specs in _FAMILIES:
        for _ in range(per_family):
            add(Product(_sku(rng), brand, line, model(rng), noun, _price(rng, lo, hi), specs))
    for text_, sku, price in _LICENCES:
        wordings = (
            f"{text_} - annual commitment, billed annually",
            text_.replace(", annual", " annual"),
        )
        add(Product(sku, "", "", "", text_, Decimal(f"{price}.00"), alts=wordings))
    for po_text, lo, hi, alts in _GENERIC:
        for n in range(1, 6 if "{n}" in po_text else 2):
            add(
                Product(
                    _sku(rng),
                    "",
                    "",
                    "",
                    po_text.format(n=n),
                    _price(rng, lo, hi),
                    alts=tuple(a.format(n=n) for a in alts),
                )
            )
    return out


# ---------------------------------------------------------------------------
# Vendors and how they word things.
# ---------------------------------------------------------------------------

_NAMES = (
    "Acme", "Brightline", "Pacific", "Thames Valley", "Kestrel", "Elbtal", "Lumen", "Northwind",
    "Contoso", "Fabrikam", "Bluewave", "Silverline", "Redwood", "Alpine", "Harbour", "Meridian",
    "Oakfield", "Polaris", "Quantum", "Riverside", "Summit", "Tandem", "Vertex", "Westgate",
    "Zenith", "Cobalt", "Falcon", "Granite", "Horizon", "Ironbridge",
)  # fmt: skip
_TRADES = (
    "Systems", "IT Supplies", "Computing", "Peripherals", "Networks", "Software", "Technologies",
    "Solutions", "Distribution", "Digital",
)  # fmt: skip
_FORMS = ("GmbH", "Ltd", "Inc.", "B.V.", "S.A.S.", "AG", "LLC", "Ltd.", "GmbH & Co. KG", "plc")
_CURRENCIES = (("EUR", Decimal("0.19")), ("USD", Decimal(0)), ("GBP", Decimal("0.20")))


@dataclass(frozen=True, slots=True)
class Vendor:
    name: str
    slug: str
    prefix: str
    currency: str
    tax_rate: Decimal
    #: 0 buyer's wording, 1 noun first, 2 abbreviated, 3 brand upper-case, 4 model first.
    style: int
    #: "maker": the manufacturer's part numbers (as on the PO); "own": its own; "none".
    sku_mode: str
    freight: int
    assortment: tuple[int, ...]


def build_vendors(rng: random.Random, catalogue: Sequence[Product], count: int) -> list[Vendor]:
    pairs = [(n, t) for n in _NAMES for t in _TRADES]
    rng.shuffle(pairs)
    shipping = [i for i, p in enumerate(catalogue) if p.shipping]
    goods = [i for i, p in enumerate(catalogue) if not p.shipping]
    vendors: list[Vendor] = []
    for k, (name, trade) in enumerate(pairs[:count]):
        currency, tax = _CURRENCIES[0 if rng.random() < 0.7 else 1 if rng.random() < 0.67 else 2]
        size = rng.randint(40, 200)
        assortment = sorted(rng.sample(goods, size))
        vendors.append(
            Vendor(
                name=f"{name} {trade} {_pick(rng, _FORMS)}",
                slug=f"{name}{trade}".replace(" ", "").lower()[:16],
                prefix=f"{''.join(w[0] for w in (name + ' ' + trade).split()).upper()}{k:03d}",
                currency=currency,
                tax_rate=tax,
                style=rng.randrange(5),
                sku_mode=_pick(rng, ("maker", "maker", "own", "none")),
                freight=_pick(rng, shipping),
                assortment=tuple(assortment),
            )
        )
    return vendors


_ABBREV = {
    "Latitude": "LAT", "ThinkPad": "TP", "EliteBook": "EB", "ProBook": "PB", "UltraWide": "UW",
    "ViewFinity": "VF", "LaserJet Pro": "LJ Pro", "Catalyst": "Cat",
}  # fmt: skip
_NOUN_SYNONYMS = {"laptop": "notebook", "monitor": "display", "smartphone": "phone"}


def invoice_wording(product: Product, style: int, rng: random.Random) -> str:
    """How a vendor prints ``product``: reworded, reordered, abbreviated, specs added."""
    if product.shipping or product.alts:
        alts = product.alts or (product.noun,)
        return _pick(rng, (product.noun, *alts)) if style == 0 else _pick(rng, alts)
    specs = rng.sample(product.specs, k=rng.randint(0, min(3, len(product.specs))))
    model = product.model
    cut = next(
        (i for i in range(1, len(model)) if model[i - 1].isalpha() and model[i].isdigit()), 0
    )
    if cut and rng.random() < 0.1 and not {"-", " "} & set(model):
        model = f"{model[:cut]}-{model[cut:]}"  # WD19S -> WD-19S: the same code, once compacted
    noun = product.noun
    if style == 0:
        text_ = product.po_text
        return f"{text_}, {', '.join(specs)}" if specs else text_
    if style == 1:
        head = f"{noun.capitalize()} {product.brand} {product.line} {model}"
        return ", ".join([" ".join(head.split()), *specs])
    if style == 2:
        line = _ABBREV.get(product.line, product.line)
        head = f"{line} {model} {_NOUN_SYNONYMS.get(noun, noun)}".strip()
        return f"{' '.join(head.split())} {'/'.join(specs)}".strip()
    if style == 3:
        head = " ".join(f"{product.brand.upper()} {product.line} {model}".split())
        head = f"{head} - {noun}" if noun else head
        return f"{head} ({', '.join(specs)})" if specs else head
    head = " ".join(f"{model} {product.brand} {product.line} {noun}".split())
    return f"{head}, {specs[0]}" if specs else head


def receipt_wording(product: Product, rng: random.Random) -> str:
    """The warehouse copies the PO text, sometimes cut short or upper-cased."""
    text_ = product.po_text
    roll = rng.random()
    if roll < 0.15 and len(text_) > 32:
        return text_[:32].rstrip()
    if roll < 0.25:
        return text_.upper()
    return text_


# ---------------------------------------------------------------------------
# The month as documents.
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class SynthLine:
    description: str
    quantity: Decimal
    sku: str | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None


@dataclass(slots=True)
class SynthDoc:
    kind: str
    source: str
    vendor: str | None
    number: str | None
    date: date | None
    po_number: str | None
    currency: str | None
    lines: list[SynthLine]
    subtotal: Decimal | None = None
    tax: Decimal | None = None
    total: Decimal | None = None
    folder: str = "invoices"
    #: On a credit note: the invoice it credits, as printed.
    credited: str | None = None


@dataclass(slots=True)
class Truth:
    """What the generator made, and what reconcile must therefore raise."""

    vendors: int = 0
    products: int = 0
    documents: Counter[str] = field(default_factory=Counter)
    lines: Counter[str] = field(default_factory=Counter)
    #: Invoices (originals) that cite no PO, or one that is not on file: ``no_po``.
    no_po: int = 0
    #: Later copies of an invoice: ``duplicate_invoice``.
    duplicates: int = 0
    #: Original invoices and credit notes that cite a PO on file, and their lines.
    po_citing: int = 0
    po_citing_lines: int = 0
    #: Of those lines, the ones deliberately not on the PO (an extra item or freight).
    off_po_lines: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "vendors": self.vendors,
            "products": self.products,
            "documents": dict(self.documents),
            "lines": dict(self.lines),
            "no_po": self.no_po,
            "duplicates": self.duplicates,
            "po_citing": self.po_citing,
            "po_citing_lines": self.po_citing_lines,
            "off_po_lines": self.off_po_lines,
        }


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


def _qty(rng: random.Random, price: Decimal) -> Decimal:
    if price >= 500:
        return Decimal(_pick(rng, (1, 1, 1, 2, 2, 3, 4, 5, 8, 10)))
    if price >= 100:
        return Decimal(_pick(rng, (1, 1, 2, 2, 3, 4, 5, 6, 10, 12)))
    return Decimal(_pick(rng, (1, 2, 5, 10, 10, 20, 25, 50, 100)))


_LINE_COUNTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
_LINE_WEIGHTS = (18, 16, 14, 11, 9, 8, 7, 6, 5, 6)


class MonthGenerator:
    """A seeded month: POs, their receipts and invoices, until ``lines`` invoice lines.

    Per PO (1-10 lines, one vendor, distinct products, SKU missing on ~15 %):

    - receipts: ~80 % one full delivery; ~8 % two partial deliveries; ~6 %
      short on a line (back-ordered); ~3 % arriving after the invoice; ~3 %
      not received yet.
    - invoices: ~4 % not invoiced yet; else ~85 % one invoice for all lines,
      ~8 % two partial invoices, the rest one invoice for some lines. ~3 %
      cite no PO and ~0.5 % a PO number not on file (a typo); the PO number
      is printed in several formats recon normalises ("PO 2026/0000123").
      Lines are reworded in the vendor's style (see ``invoice_wording``);
      SKUs printed as the maker's (sometimes reformatted), the vendor's own,
      or not at all. ~3 % of lines are priced 3-12 % off, ~1 % within the
      tolerance, ~2 % invoice more than ordered; ~3 % of invoices add
      freight that is not on the PO, ~1 % an item that is not; ~0.5 % have a
      header total that does not add up; ~0.3 % come from another vendor
      name, ~0.2 % in another currency; ~1 % arrive twice (another file);
      ~0.5 % of invoiced POs get a credit note for one unit of one line.
    """

    def __init__(self, seed: int, lines: int, vendors: int = 300) -> None:
        self.target = lines
        self.rng = random.Random(seed)
        catalogue_rng = random.Random(seed ^ 0x5EED)
        self.catalogue = build_catalogue(catalogue_rng)
        for name, alts in _SHIPPING:
            self.catalogue.append(
                Product("", "", "", "", name, Decimal("0"), alts=alts, shipping=True)
            )
        self.vendors = build_vendors(catalogue_rng, self.catalogue, vendors)
        self.truth = Truth(vendors=len(self.vendors), products=len(self.catalogue))
        self.invoice_counter: Counter[str] = Counter()

    def documents(self) -> Iterator[SynthDoc]:
        """Documents in arrival order (a PO, then what refers to it), until the target."""
        invoice_lines = 0
        po_index = 0
        while invoice_lines < self.target:
            po_index += 1
            for doc in self._po_month(po_index):
                self.truth.documents[doc.kind] += 1
                self.truth.lines[doc.kind] += len(doc.lines)
                if doc.kind in ("invoice", "credit_note"):
                    invoice_lines += len(doc.lines)
                yield doc

    # -- one PO and everything that refers to it ---------------------------------------

    def _po_month(self, index: int) -> list[SynthDoc]:
        rng = self.rng
        vendor = _pick(rng, self.vendors)
        n = rng.choices(_LINE_COUNTS, _LINE_WEIGHTS)[0]
        products = [self.catalogue[i] for i in rng.sample(vendor.assortment, n)]
        po_date = MONTH - timedelta(days=rng.randint(5, 60))
        number = f"PO-2026-{index:07d}"
        po_lines = []
        for p in products:
            qty = _qty(rng, p.price)
            po_lines.append(
                SynthLine(
                    p.po_text,
                    qty,
                    sku=p.sku if rng.random() < 0.85 else None,
                    unit_price=p.price,
                    amount=_money(p.price * qty),
                )
            )
        if rng.random() < 0.3:  # freight ordered with the goods
            ship = self.catalogue[vendor.freight]
            price = Decimal(f"{rng.randint(5, 90)}.{_pick(rng, ('00', '50', '90'))}")
            products.append(ship)
            po_lines.append(SynthLine(ship.po_text, Decimal(1), None, price, price))
        po = SynthDoc(
            "po", f"{number}.pdf", vendor.name, number, po_date, None, vendor.currency, po_lines,
            folder="pos",
        )  # fmt: skip
        _totals(po, vendor.tax_rate)
        out = [po]

        received_on = po_date + timedelta(days=rng.randint(3, 20))
        invoices = self._invoices(vendor, products, po, received_on)
        late = bool(invoices) and rng.random() < 0.03
        if late:  # the goods arrive (and are booked) after the invoice
            received_on = max(d.date or MONTH for d in invoices) + timedelta(days=rng.randint(2, 9))
        receipts = self._receipts(index, vendor, products, po, received_on)
        out.extend(invoices if late else receipts)
        out.extend(receipts if late else invoices)
        # Copies arrive later, as another file.
        for inv in list(invoices):
            if inv.kind == "invoice" and rng.random() < 0.01:
                copy = SynthDoc(**{k: getattr(inv, k) for k in SynthDoc.__slots__})
                copy.source = inv.source.replace(".pdf", "_copy.pdf")
                out.append(copy)
                self.truth.duplicates += 1
        return out

    def _receipts(
        self, index: int, vendor: Vendor, products: Sequence[Product], po: SynthDoc, arrive: date
    ) -> list[SynthDoc]:
        rng = self.rng
        roll = rng.random()
        # Freight is booked with the goods, as the sample month's receipts do.
        goods = list(zip(products, po.lines, strict=True))
        if roll < 0.03 or not goods:
            return []  # nothing arrived yet
        deliveries: list[list[tuple[Product, SynthLine, Decimal]]]
        if roll < 0.11 and len(goods) > 1:  # two deliveries, lines split
            cut = rng.randint(1, len(goods) - 1)
            deliveries = [
                [(p, ln, ln.quantity) for p, ln in goods[:cut]],
                [(p, ln, ln.quantity) for p, ln in goods[cut:]],
            ]
        elif roll < 0.11 and goods[0][1].quantity > 1:  # two deliveries, quantity split
            (p, ln), half = goods[0], goods[0][1].quantity // 2
            deliveries = [[(p, ln, half)], [(p, ln, ln.quantity - half)]]
        elif roll < 0.17:  # one line short (back-ordered), or missing if only one came
            short = rng.randrange(len(goods))
            deliveries = [
                [
                    (p, ln, ln.quantity - 1 if i == short else ln.quantity)
                    for i, (p, ln) in enumerate(goods)
                    if not (i == short and ln.quantity == 1)
                ]
            ]
        else:
            deliveries = [[(p, ln, ln.quantity) for p, ln in goods]]
        docs = []
        for k, delivery in enumerate(d for d in deliveries if d):
            number = f"GR-2026-{index:07d}-{k + 1}"
            lines = [SynthLine(receipt_wording(p, rng), qty, sku=ln.sku) for p, ln, qty in delivery]
            when = arrive + timedelta(days=4 * k)
            docs.append(
                SynthDoc(
                    "receipt",
                    f"{number}.pdf",
                    vendor.name,
                    number,
                    when,
                    po.number,
                    None,
                    lines,
                    folder="receipts",
                )
            )
        return docs

    def _invoices(
        self, vendor: Vendor, products: Sequence[Product], po: SynthDoc, received_on: date
    ) -> list[SynthDoc]:
        rng = self.rng
        if rng.random() < 0.04:
            return []  # not invoiced yet
        pairs = list(zip(products, po.lines, strict=True))
        roll = rng.random()
        if roll < 0.08 and len(pairs) > 1:
            cut = rng.randint(1, len(pairs) - 1)
            parts = [pairs[:cut], pairs[cut:]]
        elif roll < 0.15 and len(pairs) > 1:
            parts = [rng.sample(pairs, rng.randint(1, len(pairs) - 1))]
        else:
            parts = [pairs]
        out = []
        # Dated through the month being closed, not before the goods arrived.
        when = max(MONTH + timedelta(days=rng.randint(0, 27)), received_on)
        for part in parts:
            out.append(self._invoice(vendor, part, po, min(when, MONTH_END)))
            when += timedelta(days=rng.randint(3, 10))
        if out and rng.random() < 0.005:
            out.append(self._credit_note(vendor, out[0], po))
        return out

    def _invoice(
        self,
        vendor: Vendor,
        part: Sequence[tuple[Product, SynthLine]],
        po: SynthDoc,
        when: date,
    ) -> SynthDoc:
        rng = self.rng
        lines: list[SynthLine] = []
        off_po = 0
        for product, po_line in part:
            price = po_line.unit_price or Decimal(0)
            qty = po_line.quantity
            roll = rng.random()
            if roll < 0.03:
                price = _money(price * Decimal(1 + _pick(rng, (1, -1)) * rng.uniform(0.03, 0.12)))
            elif roll < 0.04:
                price = _money(price * Decimal("1.01"))
            elif roll < 0.06:
                qty += rng.randint(1, 3)
            lines.append(
                SynthLine(
                    invoice_wording(product, vendor.style, rng),
                    qty,
                    sku=self._printed_sku(vendor, product, po_line, rng),
                    unit_price=price,
                    amount=_money(price * qty),
                )
            )
        if rng.random() < 0.03 and not any(p.shipping for p, _ in part):
            ship = self.catalogue[vendor.freight]
            price = Decimal(f"{rng.randint(5, 40)}.90")
            lines.append(
                SynthLine(invoice_wording(ship, vendor.style, rng), Decimal(1), None, price, price)
            )
            off_po += 1
        if rng.random() < 0.01:
            extra = self.catalogue[_pick(rng, vendor.assortment)]
            if extra.po_text not in {p.po_text for p, _ in part}:
                qty = _qty(rng, extra.price)
                lines.append(
                    SynthLine(
                        invoice_wording(extra, vendor.style, rng),
                        qty,
                        sku=extra.sku if vendor.sku_mode == "maker" else None,
                        unit_price=extra.price,
                        amount=_money(extra.price * qty),
                    )
                )
                off_po += 1
        if rng.random() < 0.1:
            rng.shuffle(lines)  # printed in another order than the PO's
        self.invoice_counter[vendor.prefix] += 1
        number = f"{vendor.prefix}-26{self.invoice_counter[vendor.prefix]:06d}"
        cited = self._cited(po.number or "")
        known = cited is not None and self._known(cited, po)
        name = vendor.name
        roll = rng.random()
        if roll < 0.003:
            name = _pick(rng, self.vendors).name  # billed by another company
        elif roll < 0.25:
            name = name.upper() if rng.random() < 0.5 else name.replace(" ", "  ").rstrip(".") + "."
        currency = vendor.currency
        if rng.random() < 0.002:
            currency = next(c for c, _ in _CURRENCIES if c != vendor.currency)
        doc = SynthDoc(
            "invoice", f"{when.isoformat()}_{vendor.slug}_{number}.pdf", name, number, when,
            cited, currency, lines,
        )  # fmt: skip
        _totals(doc, vendor.tax_rate)
        if rng.random() < 0.005 and doc.total is not None:
            doc.total += Decimal("10.00")  # a header that does not add up
        if known:
            self.truth.po_citing += 1
            self.truth.po_citing_lines += len(lines)
            self.truth.off_po_lines += off_po
        else:
            self.truth.no_po += 1
        return doc

    def _cited(self, po_number: str) -> str | None:
        """The PO number as the vendor prints it (None: it cites none)."""
        roll = self.rng.random()
        if roll < 0.03:
            return None
        if roll < 0.035:
            return po_number[:-1]  # a digit lost: no PO has a six-digit sequence
        if roll < 0.25:
            year, seq = po_number.split("-")[1:]
            return f"PO {year}/{seq}"  # the same number, once normalised
        if roll < 0.35:
            return po_number.replace("-", "").lower()
        return po_number

    def _credit_note(self, vendor: Vendor, invoice: SynthDoc, po: SynthDoc) -> SynthDoc:
        line = invoice.lines[0]
        price = line.unit_price or Decimal(0)
        credit = SynthLine(line.description, Decimal(1), line.sku, price, price)
        self.invoice_counter[vendor.prefix + "CN"] += 1
        number = f"{vendor.prefix}-CN-26{self.invoice_counter[vendor.prefix + 'CN']:05d}"
        when = min((invoice.date or MONTH) + timedelta(days=2), MONTH_END)
        doc = SynthDoc(
            "credit_note", f"{when.isoformat()}_{vendor.slug}_{number}.pdf", invoice.vendor,
            number, when, invoice.po_number, invoice.currency, [credit], credited=invoice.number,
        )  # fmt: skip
        _totals(doc, vendor.tax_rate)
        if invoice.po_number is not None and self._known(invoice.po_number, po):
            self.truth.po_citing += 1
            self.truth.po_citing_lines += 1
        else:
            self.truth.no_po += 1
        return doc

    @staticmethod
    def _known(cited: str, po: SynthDoc) -> bool:
        return normalise_document_number(cited) == normalise_document_number(po.number or "")

    @staticmethod
    def _printed_sku(
        vendor: Vendor, product: Product, po_line: SynthLine, rng: random.Random
    ) -> str | None:
        if product.shipping or vendor.sku_mode == "none":
            return None
        if vendor.sku_mode == "own":
            return f"{vendor.prefix[:3]}-{zlib.crc32(product.po_text.encode()) % 100000:05d}"
        if not product.sku:
            return None
        if rng.random() < 0.3:
            return product.sku.replace("-", "").lower()  # the same part number, once normalised
        return product.sku


def _totals(doc: SynthDoc, tax_rate: Decimal) -> None:
    subtotal = sum((ln.amount or Decimal(0) for ln in doc.lines), Decimal(0))
    doc.subtotal = _money(subtotal)
    doc.tax = _money(subtotal * tax_rate)
    doc.total = doc.subtotal + doc.tax


# ---------------------------------------------------------------------------
# Rows, as store_document writes them, and bulk inserts.
# ---------------------------------------------------------------------------

_FIELD_LABELS = {
    "number": "Invoice no.",
    "date": "Date",
    "vendor": None,
    "po_number": "Purchase order",
    "currency": None,
    "subtotal": "Subtotal",
    "tax": "VAT",
    "total": "Total",
    "credited_number": "Credit note for invoice",
}


def _field_json(name: str, value: object, top: float) -> dict[str, Any] | None:
    """The shape of ``models.store._field_json`` for a value read off a digital PDF."""
    if value is None:
        return None
    return {
        "value": str(value),
        "raw": str(value),
        "confidence": 0.95,
        "label": _FIELD_LABELS[name],
        "page": 1,
        "box": [420.0, top, 550.0, top + 9.0],
    }


def document_rows(
    doc: SynthDoc, doc_id: int, first_line_id: int, ingested_at: datetime, digest: str
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
    """The ``documents``, ``document_lines`` and ``document_evidence`` rows of ``doc``."""
    header = {
        "number": doc.number,
        "date": doc.date,
        "vendor": doc.vendor,
        "po_number": doc.po_number,
        "currency": doc.currency,
        "subtotal": doc.subtotal,
        "tax": doc.tax,
        "total": doc.total,
    }
    priced = doc.kind != "receipt"
    if not priced:
        header.update(currency=None, subtotal=None, tax=None, total=None)
    fields = {
        name: _field_json(name, v, 70.0 + 12.5 * i) for i, (name, v) in enumerate(header.items())
    }
    if doc.credited is not None:
        fields["credited_number"] = _field_json("credited_number", doc.credited, 180.0)
    row: dict[str, Any] = {
        "id": doc_id,
        "kind": doc.kind,
        "source": doc.source,
        "path": f"synthetic/{doc.folder}/{doc.source}",
        "sha256": digest,
        "mime": "application/pdf",
        "size_bytes": 6000 + 420 * len(doc.lines),
        "extractor": "pdf-text",
        "page_count": 1 + len(doc.lines) // 25,
        "vendor": doc.vendor,
        "number": doc.number,
        "number_key": _key(doc.number),
        "date": doc.date,
        "po_number": doc.po_number,
        "po_key": _key(doc.po_number),
        "credited_number": doc.credited,
        "credited_key": _key(doc.credited),
        "currency": header["currency"],
        "subtotal": header["subtotal"],
        "tax": header["tax"],
        "total": header["total"],
        "fields": fields,
        "notes": [] if doc.kind != "invoice" else [f"kind {doc.kind} from title (synthetic)"],
        "ingested_at": ingested_at,
        "reconciled_at": None,
    }
    lines = []
    for i, ln in enumerate(doc.lines):
        top = 280.0 + 16.5 * (i % 25)
        lines.append(
            {
                "id": first_line_id + i,
                "document_id": doc_id,
                "line_no": i + 1,
                "sku": ln.sku,
                "description": ln.description,
                "quantity": ln.quantity,
                "unit_price": ln.unit_price if priced else None,
                "amount": ln.amount if priced else None,
                "confidence": 1.0,
                "box": [1 + i // 25, 56.6, top, 546.0, top + 8.5],
            }
        )
    words = [
        [word, 1, 420.0 + 30 * k, 70.0 + 12.5 * i, 445.0 + 30 * k, 79.0 + 12.5 * i, 1.0]
        for i, value in enumerate(v for v in header.values() if v is not None)
        for k, word in enumerate(str(value).split())
    ]
    evidence = {"document_id": doc_id, "words": words}
    return row, lines, evidence


def _key(text_: str | None) -> str | None:
    if text_ is None:
        return None
    return normalise_document_number(text_) or None


_TABLES = tuple(
    Base.metadata.tables[model.__tablename__]
    for model in (Document, DocumentLine, DocumentEvidence)
)


class BulkWriter:
    """Buffers rows and writes them in bulk: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self.buffers: tuple[list[dict[str, Any]], ...] = ([], [], [])
        self.buffered_lines = 0

    def add(
        self, doc: dict[str, Any], lines: list[dict[str, Any]], evidence: dict[str, Any]
    ) -> None:
        self.buffers[0].append(doc)
        self.buffers[1].extend(lines)
        self.buffers[2].append(evidence)
        self.buffered_lines += len(lines)
        if self.buffered_lines >= FLUSH_LINES:
            self.flush()

    def flush(self) -> None:
        if not self.buffers[0]:
            return
        with self.engine.begin() as connection:
            for table, rows in zip(_TABLES, self.buffers, strict=True):
                if self.postgres:
                    self._copy(connection, table.name, rows)
                else:
                    connection.execute(insert(table), rows)
        for rows in self.buffers:
            rows.clear()
        self.buffered_lines = 0

    @staticmethod
    def _copy(connection: Any, table: str, rows: list[dict[str, Any]]) -> None:
        from psycopg.types.json import Jsonb

        columns = list(rows[0])
        json_columns = {"fields", "notes", "box", "words"}
        raw = connection.connection.driver_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(
                    [
                        Jsonb(row[c]) if c in json_columns and row[c] is not None else row[c]
                        for c in columns
                    ]
                )

    def finish(self) -> None:
        self.flush()
        if self.postgres:
            with self.engine.begin() as connection:
                for table in ("documents", "document_lines"):
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                            f" (SELECT coalesce(max(id), 1) FROM {table}))"
                        )
                    )
            with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.execute(text("ANALYZE"))
        else:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def generate(engine: Engine, lines: int, seed: int = DEFAULT_SEED) -> Truth:
    """Write a synthetic month of about ``lines`` invoice lines into an empty, migrated database."""
    generator = MonthGenerator(seed, lines)
    writer = BulkWriter(engine)
    ingested = datetime.now(UTC) - timedelta(hours=1)
    line_id = 0
    for doc_id, doc in enumerate(generator.documents(), 1):
        digest = hashlib.sha256(f"recon-bench/{seed}/{doc_id}/{doc.source}".encode()).hexdigest()
        row, line_rows, evidence = document_rows(
            doc, doc_id, line_id + 1, ingested + timedelta(microseconds=doc_id), digest
        )
        line_id += len(line_rows)
        writer.add(row, line_rows, evidence)
    writer.finish()
    return generator.truth


# ---------------------------------------------------------------------------
# The measured run (a child process) and its floor.
# ---------------------------------------------------------------------------


def _rss_mb() -> float:
    with Path("/proc/self/status").open() as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _tree_rss_mb(root: int) -> float:
    """Resident memory of ``root`` and all its descendants (Dask's workers too)."""
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        try:
            with Path(f"/proc/{pid}/status").open() as status:
                total += next(
                    (int(ln.split()[1]) / 1024 for ln in status if ln.startswith("VmRSS:")), 0.0
                )
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run_cli_on_dask(url: str, everything: bool, workers: int | None) -> tuple[float, float]:
    """``recon reconcile --runner dask`` as a user runs it: (seconds, peak MB of
    the whole process tree, sampled every 50 ms)."""
    cmd = [sys.executable, "-m", "pipelines.cli", "--db", url, "-q", "reconcile", "--runner",
           "dask"]  # fmt: skip
    if workers:
        cmd += ["--workers", str(workers)]
    if everything:
        cmd.append("--all")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    t0 = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
    peak = 0.0
    while child.poll() is None:
        peak = max(peak, _tree_rss_mb(child.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - t0
    out = child.stdout.read() if child.stdout else ""
    if child.returncode != 0:
        raise RuntimeError(f"recon reconcile --runner dask failed ({child.returncode}): {out}")
    print(out.strip(), file=sys.stderr)
    return seconds, peak


def worker(
    url: str,
    everything: bool,
    profile: str | None,
    runner: str = "local",
    workers: int | None = None,
) -> dict[str, Any]:
    """Time ``run_reconcile`` on ``url`` with its phases, then the cdist floor.

    With ``runner="dask"``, the run is ``recon reconcile --runner dask`` in a
    process of its own (phases are not timed: they happen in Dask's workers).
    """
    import pipelines.reconcile as pipeline

    phases: dict[str, float] = defaultdict(float)
    peaks: dict[str, float] = {}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                result = fn(*args, **kwargs)
            finally:
                phases[name] += time.perf_counter() - t0
                peaks[name] = _maxrss_mb()
            return result

        return wrapper

    for attr, name in (
        ("plan", "plan"),
        ("load_chunk", "load"),
        ("reconcile", "match"),
        ("save_result", "save"),
        ("asset_candidates", "asset_candidates"),
        ("register_assets", "register"),
    ):
        setattr(pipeline, attr, timed(name, getattr(pipeline, attr)))

    engine = make_engine(url)
    factory = session_factory(engine)
    with engine.connect() as connection:  # connect outside the timing, as the CLI does
        connection.execute(select(1))
    baseline_mb = _rss_mb()
    profiler = cProfile.Profile() if profile else None
    t0 = time.perf_counter()
    if profiler:
        profiler.enable()
    if runner == "dask":
        seconds, peak_mb = run_cli_on_dask(url, everything, workers)
        summary = None
    else:
        summary = pipeline.run_reconcile(factory, everything=everything)
        seconds = time.perf_counter() - t0
        peak_mb = _maxrss_mb()
    if profiler:
        profiler.disable()
    if profiler and profile:
        profiler.dump_stats(profile)
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs()
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(35)
        print(out.getvalue(), file=sys.stderr)

    with factory() as session:
        by_type = dict(
            session.execute(select(Discrepancy.type, func.count()).group_by(Discrepancy.type)).all()
        )
        matches = session.scalar(select(func.count()).select_from(Match))
        assets = session.scalar(select(func.count()).select_from(Asset))
    # The floor's blocks: the whole month as one input, read after the run.
    with factory() as session:
        matcher_input = load_matcher_input(session, everything=True)
    floors = floor_seconds(matcher_input) if matcher_input.invoices else {}
    del matcher_input
    engine.dispose()
    phases["commit_and_rest"] = seconds - sum(phases.values())
    return {
        "seconds": seconds,
        "peak_mb": peak_mb,
        "baseline_mb": baseline_mb,
        "phases": dict(phases),
        "peaks": peaks,
        "summary": {k: getattr(summary, k) for k in summary.__slots__} if summary else None,
        "runner": runner if runner == "local" else f"dask x{workers or os.cpu_count()}",
        "discrepancies": by_type,
        "matches": matches,
        "assets": assets,
        "floor": floors,
        "profiled": bool(profile),
    }


def candidate_blocks(
    invoices: Sequence[Any], pos: Sequence[Any], receipts: Sequence[Any]
) -> list[tuple[list[str], list[str]]]:
    """(queries, choices) per PO, as ``matching.reconcile`` blocks them.

    Mirrors its steps: POs by normalised number (the earlier wins), later
    copies of an invoice left out, receipts by date, one block per cited PO
    with the invoices' lines then the receipts' lines against the PO's lines.
    """
    from matching.normalise import normalise_vendor

    po_by_number: dict[str, Any] = {}
    for po in sorted(pos, key=lambda d: (d.seq, d.key)):
        if po.number is not None:
            po_by_number.setdefault(normalise_document_number(po.number), po)

    def cited(doc: Any) -> Any:
        if doc.po_number is None:
            return None
        return po_by_number.get(normalise_document_number(doc.po_number))

    seen: set[tuple[str, str | None, str]] = set()
    invoices_by_po: dict[str, list[Any]] = defaultdict(list)
    for invoice in sorted(invoices, key=lambda d: (d.seq, d.key)):
        if invoice.number is not None:
            vendor = normalise_vendor(invoice.vendor) if invoice.vendor is not None else None
            key = (invoice.kind.value, vendor, normalise_document_number(invoice.number))
            if key in seen:
                continue
            seen.add(key)
        if (po := cited(invoice)) is not None:
            invoices_by_po[po.key].append(invoice)
    receipts_by_po: dict[str, list[Any]] = defaultdict(list)
    for receipt in sorted(
        receipts, key=lambda d: (d.date is None, d.date or date.min, d.seq, d.key)
    ):
        if (po := cited(receipt)) is not None:
            receipts_by_po[po.key].append(receipt)
    by_key = {po.key: po for po in po_by_number.values()}
    blocks = []
    for po_key, block_invoices in invoices_by_po.items():
        docs = [*block_invoices, *receipts_by_po.get(po_key, [])]
        queries = [line.description for doc in docs for line in doc.lines]
        choices = [line.description for line in by_key[po_key].lines]
        blocks.append((queries, choices))
    return blocks


def floor_seconds(matcher_input: Any) -> dict[str, float]:
    """cdist alone over recon's candidate blocks, three ways (see the module docstring)."""
    import numpy as np
    from rapidfuzz import fuzz, process

    from matching.lines import CODE_AGREEMENT_PULL, PARALLEL_MIN_CELLS
    from matching.normalise import normalise_description
    from matching.settings import MatchingSettings

    blocks = candidate_blocks(matcher_input.invoices, matcher_input.pos, matcher_input.receipts)
    settings = MatchingSettings()
    # recon's cutoff (matching.lines._score_block): the same work, not more.
    cutoff = max(0.0, settings.description_min_score - 100 * CODE_AGREEMENT_PULL)
    cutoff /= 1 - CODE_AGREEMENT_PULL
    out: dict[str, float] = {
        "blocks": float(len(blocks)),
        "pairs": float(sum(len(q) * len(c) for q, c in blocks)),
        "queries": float(sum(len(q) for q, _ in blocks)),
    }

    def run(workers: Callable[[int], int], processor: Any, data: Any) -> float:
        t0 = time.perf_counter()
        for queries, choices in data:
            process.cdist(
                queries,
                choices,
                scorer=fuzz.token_set_ratio,
                processor=processor,
                score_cutoff=cutoff,
                dtype=np.float64,
                workers=workers(len(queries) * len(choices)),
            )
        return time.perf_counter() - t0

    out["workers_all"] = run(lambda _: -1, normalise_description, blocks)
    out["workers_1"] = run(lambda _: 1, normalise_description, blocks)
    out["floor"] = min(out["workers_all"], out["workers_1"])
    t0 = time.perf_counter()
    normalised: dict[str, str] = {}
    pre = [
        (
            [normalised.get(q) or normalised.setdefault(q, normalise_description(q)) for q in qs],
            [normalised.get(c) or normalised.setdefault(c, normalise_description(c)) for c in cs],
        )
        for qs, cs in blocks
    ]
    normalise_once = time.perf_counter() - t0
    out["prenormalised"] = normalise_once + run(
        lambda cells: -1 if cells >= PARALLEL_MIN_CELLS else 1, None, pre
    )
    out["normalise_once"] = normalise_once
    return out


# ---------------------------------------------------------------------------
# Databases and the driver.
# ---------------------------------------------------------------------------


@dataclass(slots=True)
class Database:
    url: str
    cleanup: Callable[[], None]
    label: str


def open_database(db: str | None, lines: int, several: bool, tmp: Path, keep: bool) -> Database:
    """A fresh, migrated database for one size."""
    if db is None:
        path = tmp / f"bench-{lines}.db"
        url = f"sqlite:///{path}"
        migrate_url(url)

        def remove() -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)

        return Database(url, remove, "SQLite (temporary file)")
    if db == "postgres":
        db = DEFAULT_PG_URL
    parsed = make_url(db)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if several:
            path = path.with_name(f"{path.stem}-{lines}{path.suffix}")
        if path.exists():
            raise SystemExit(f"{path} exists; the benchmark needs a new database file")
        url = f"sqlite:///{path}"
        migrate_url(url)
        return Database(url, lambda: None, f"SQLite ({path})")
    schema = f"bench_{os.getpid()}_{lines}"
    admin = make_engine(db)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in db else "?"
    url = f"{db}{sep}options={quote(f'-csearch_path={schema}')}"
    migrate_url(url)

    def drop() -> None:
        if keep:
            return
        engine = make_engine(db)
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()

    host = f"{parsed.host}:{parsed.port or 5432}/{parsed.database}"
    return Database(url, drop, f"PostgreSQL ({host}, schema {schema})")


def migrate_url(url: str) -> None:
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()


def run_worker(
    url: str, everything: bool, profile: str | None, runner: str, workers: int | None
) -> dict[str, Any] | None:
    """The child's measurements, or None when the run failed (its error is on stderr)."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", "--db", url]
    cmd += ["--runner", runner] + (["--workers", str(workers)] if workers else [])
    if everything:
        cmd.append("--all")
    if profile:
        cmd += ["--profile", profile]
    done = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _fmt(seconds: float) -> str:
    return f"{seconds:.2f}" if seconds < 100 else f"{seconds:.0f}"


def print_tables(rows: list[dict[str, Any]]) -> None:
    print("\ndata (generated and inserted before the run; not timed into it):")
    print(
        f"{'lines':>9} {'invoices':>8} {'POs':>8} {'PO lines':>9} {'receipts':>8} {'rc lines':>9}"
        f" {'vendors':>7} {'no_po':>6} {'dups':>5} {'credits':>7} {'generate s':>10}"
    )
    for r in rows:
        t, d, ln = r["truth"], r["truth"]["documents"], r["truth"]["lines"]
        invoice_lines = ln.get("invoice", 0) + ln.get("credit_note", 0)
        print(
            f"{invoice_lines:>9} {d.get('invoice', 0):>8} {d.get('po', 0):>8}"
            f" {ln.get('po', 0):>9} {d.get('receipt', 0):>8} {ln.get('receipt', 0):>9}"
            f" {t['vendors']:>7} {t['no_po']:>6} {t['duplicates']:>5} {d.get('credit_note', 0):>7}"
            f" {_fmt(r['generate_seconds']):>10}"
        )
    failed = [r["lines"] for r in rows if r["worker"] is None]
    rows = [r for r in rows if r["worker"] is not None]
    print(
        "\nrecon reconcile (run_reconcile end to end, a fresh process; seconds; with"
        " --runner dask the whole command, phases not split):"
    )
    print(
        f"{'lines':>9} {'total':>7} {'load':>7} {'match':>7} {'save':>7} {'assets':>7}"
        f" {'commit+':>7} {'peak MB':>8} {'floor':>7} {'ratio':>6} {'fl w=-1':>7} {'fl w=1':>7}"
        f" {'fl pre':>7}"
        f" {'us/line':>8}"
    )
    for r in rows:
        w, p, f = r["worker"], r["worker"]["phases"], r["worker"]["floor"]
        assets = p.get("decisions", 0) + p.get("asset_candidates", 0) + p.get("register", 0)
        rest = p.get("commit_and_rest", 0) + p.get("plan", 0)
        floor = f.get("floor", 0.0)
        print(
            f"{r['lines']:>9} {_fmt(w['seconds']):>7} {_fmt(p.get('load', 0)):>7}"
            f" {_fmt(p.get('match', 0)):>7} {_fmt(p.get('save', 0)):>7} {_fmt(assets):>7}"
            f" {_fmt(rest):>7} {w['peak_mb']:>8.0f} {_fmt(floor):>7}"
            f" {w['seconds'] / floor if floor else 0:>6.1f} {_fmt(f.get('workers_all', 0)):>7}"
            f" {_fmt(f.get('workers_1', 0)):>7}"
            f" {_fmt(f.get('prenormalised', 0)):>7} {1e6 * w['seconds'] / r['lines']:>8.0f}"
            + ("  (profiled)" if w["profiled"] else "")
        )
    for n in failed:
        print(f"{n:>9}  failed: see the error above")
    print("\noutcome:")
    for r in rows:
        s, f = r["worker"]["summary"], r["worker"]["floor"]
        found = ", ".join(f"{k} {v}" for k, v in sorted(r["worker"]["discrepancies"].items()))
        evaluated = f"{s['evaluated']} invoices evaluated, " if s else ""
        print(
            f"  {r['lines']} ({r['worker']['runner']}): {evaluated}{r['worker']['matches']}"
            f" matches, {r['worker']['assets']} assets; {found}"
        )
        print(
            f"  {'':>{len(str(r['lines']))}}  floor: {f.get('blocks', 0):.0f} blocks,"
            f" {f.get('queries', 0):.0f} query lines, {f.get('pairs', 0):.0f} pairs;"
            f" normalising each distinct description once took {f.get('normalise_once', 0):.2f} s"
        )
        peaks = r["worker"]["peaks"]
        steps = ("load", "match", "save", "register")
        pad = " " * len(str(r["lines"]))
        print(
            f"  {pad}  peak MB after start {r['worker']['baseline_mb']:.0f}, "
            + ", ".join(f"{k} {peaks[k]:.0f}" for k in steps if k in peaks)
        )
    if len(rows) > 1:
        print("\ngrowth (x lines -> x seconds; linear is equal):")
        for a, b in itertools.pairwise(rows):
            print(
                f"  {a['lines']} -> {b['lines']}: x{b['lines'] / a['lines']:.1f} lines,"
                f" x{b['worker']['seconds'] / a['worker']['seconds']:.1f} seconds,"
                f" x{b['worker']['peak_mb'] / a['worker']['peak_mb']:.1f} peak memory"
            )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, help="invoice lines (POs and receipts in proportion)")
    parser.add_argument("--sizes", help="several sizes, comma-separated: 10000,100000")
    parser.add_argument(
        "--db", help="database URL ('postgres' for the local server); default: a temporary SQLite"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--all", action="store_true", help="time `recon reconcile --all`")
    parser.add_argument("--profile", help="cProfile the run into FILE (-<N> added per size)")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL schema")
    parser.add_argument(
        "--runner",
        choices=["local", "dask"],
        default="local",
        help="local: run_reconcile in one process, timed by phase; dask: `recon reconcile"
        " --runner dask` (a local Dask cluster, one worker per core), timed whole",
    )
    parser.add_argument("--workers", type=int, help="Dask workers (default: one per core)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        try:
            print(json.dumps(worker(args.db, args.all, args.profile, args.runner, args.workers)))
        except Exception as exc:  # the frames and the start of the message, not a 1 MB SQL text
            frames = traceback.format_tb(exc.__traceback__)[-6:]
            print("".join(frames), file=sys.stderr)
            print(f"{type(exc).__name__}: {str(exc)[:600]}", file=sys.stderr)
            return 1
        return 0
    sizes = sorted(int(s) for s in args.sizes.split(",")) if args.sizes else [args.lines or 10_000]
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="recon-scale-") as tmp:
        for n in sizes:
            db = open_database(args.db, n, len(sizes) > 1, Path(tmp), args.keep)
            try:
                print(f"{n} lines on {db.label}: generating (seed {args.seed}) ...", flush=True)
                engine = make_engine(db.url)
                t0 = time.perf_counter()
                truth = generate(engine, n, args.seed)
                generate_s = time.perf_counter() - t0
                engine.dispose()
                print(f"  generated in {generate_s:.1f} s; reconciling ...", flush=True)
                profile = f"{args.profile}-{n}" if args.profile and len(sizes) > 1 else args.profile
                result = run_worker(db.url, args.all, profile, args.runner, args.workers)
                if result is None:
                    print("  the reconcile run failed (error above)", flush=True)
                else:
                    print(
                        f"  reconciled in {result['seconds']:.1f} s,"
                        f" peak {result['peak_mb']:.0f} MB",
                        flush=True,
                    )
            finally:
                db.cleanup()
            rows.append(
                {
                    "lines": n,
                    "truth": truth.as_dict(),
                    "generate_seconds": generate_s,
                    "worker": result,
                }
            )
        shutil.rmtree(tmp, ignore_errors=True)
    cores = os.cpu_count()
    print(f"\nseed {args.seed}; {cores} cores (shared: timings are noisy); db: {db.label}")
    print_tables(rows)
    last = rows[-1]
    w = last["worker"]
    if w is None:
        print(f"lines={last['lines']} seconds=nan peak_mb=nan floor_seconds=nan ratio=nan")
        return 1
    floor = w["floor"].get("floor", 0.0)
    print(
        f"lines={last['lines']} seconds={w['seconds']:.2f} peak_mb={w['peak_mb']:.0f}"
        f" floor_seconds={floor:.2f} ratio={w['seconds'] / floor if floor else 0:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
