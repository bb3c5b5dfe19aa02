"""Deterministic generator for the sample month (October 2026) and its ground truth.

Writes, under ``--out`` (default: this folder)::

    pos/*.pdf          the buyer's purchase orders (one template)
    receipts/*.pdf     goods receipt notes (warehouse and service-desk layouts)
    invoices/*.pdf     vendor invoices, one layout per vendor (English, German,
                       French); also a scan as an image-only PDF and a
                       Factur-X PDF (CII XML embedded in the visual invoice)
    invoices/*.jpg     an invoice that arrived only as a scanned picture
    invoices/*.xml     e-invoices: a UBL invoice and a UBL credit note
    bad/*.pdf          hostile and broken files recon must quarantine
    ground_truth.json  what a perfect extraction and reconciliation would report

Each ground-truth document says its ``format``: ``digital`` (a text PDF),
``scan`` (a picture: OCR) or ``einvoice`` (structured XML, alone or in a PDF).
The scans are rendered from a digital PDF of the invoice that is not written
anywhere; the e-invoice XML comes from ``einvoices.py`` in this folder.

The expected matches, discrepancies and assets are computed here from the
scenario data by a small reference implementation of the rules (see
``reconcile_reference``); this module never imports recon code, so the
samples stay an independent check of it.

Running it twice gives byte-identical files: fixed data, reportlab's
invariant mode, no clocks, no unseeded randomness (scan noise is seeded),
Factur-X metadata at a pinned time. Do not edit the generated files by hand;
``tests/samples/test_generator.py`` fails if they drift.

Layout: data first (buyer, vendors, catalogue, the month's cases), then
formatting helpers, then one function per document layout, then the broken
files, then the reference reconciliation and ``main``.
"""

from __future__ import annotations

import argparse
import io
import json
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Literal

from PIL import Image, ImageFilter
from reportlab import rl_config
from reportlab.lib import pagesizes
from reportlab.lib.colors import Color, HexColor, black, white
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfgen.canvas import Canvas

# Invariant mode fixes the document id, the dates and (read when
# reportlab.lib.pdfencrypt is first imported) the "random" encryption salt.
rl_config.invariant = 1

Currency = Literal["EUR", "USD", "GBP"]
NumStyle = Literal["en", "de", "fr"]
Delivery = Literal["pdf", "scan_jpeg", "scan_pdf", "facturx", "ubl"]

HERE = Path(__file__).resolve().parent
A4: tuple[float, float] = pagesizes.A4
LETTER: tuple[float, float] = pagesizes.LETTER
CENT = Decimal("0.01")

# ---------------------------------------------------------------------------
# Data: the buyer
# ---------------------------------------------------------------------------

BUYER = "Northwind Analytics GmbH"
BUYER_BILLING: tuple[str, ...] = (
    "Northwind Analytics GmbH",
    "Accounts Payable",
    "Invalidenstraße 112",
    "10115 Berlin",
    "Germany",
)
BUYER_VAT_ID = "DE312908451"
BUYER_WAREHOUSE: tuple[str, ...] = (
    "Northwind Analytics GmbH",
    "Central Warehouse / IT Logistics, Gate 3",
    "Am Borsigturm 40",
    "13507 Berlin",
    "Germany",
)
BUYER_LONDON: tuple[str, ...] = (
    "Northwind Analytics Ltd",
    "3rd Floor, 21 Old Street",
    "London EC1V 9HL",
    "United Kingdom",
)
BUYER_LICENSING: tuple[str, ...] = (
    "Northwind Analytics GmbH",
    "IT Service Desk - Software Licensing",
    "it-licensing@northwind-analytics.example",
)
BUYER_PARIS: tuple[str, ...] = (
    "Northwind Analytics SARL",
    "18 rue de la Roquette",
    "75011 Paris",
    "France",
)

# ---------------------------------------------------------------------------
# Data: vendors
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Vendor:
    """A supplier: how it prints itself and how the buyer's ERP prints it."""

    key: str
    name: str  # the letterhead name on its invoices
    master_name: str  # the name in the buyer's vendor master (printed on POs and GRNs)
    slug: str  # for file names
    address: tuple[str, ...]
    vat_id: str
    currency: Currency
    tax_rate: Decimal
    contact: tuple[str, ...]
    bank: tuple[str, ...]
    legal: tuple[str, ...]
    terms_days: int
    customer_no: str  # the buyer's account number at this vendor


BRIGHTLINE = Vendor(
    key="brightline",
    name="Brightline Systems GmbH",
    master_name="Brightline Systems GmbH",
    slug="brightline",
    address=("Leopoldstraße 244", "80807 München", "Germany"),
    vat_id="DE318442907",
    currency="EUR",
    tax_rate=Decimal("0.19"),
    contact=(
        "Tel. +49 89 2019 440-0",
        "billing@brightline-systems.example",
        "www.brightline-systems.example",
    ),
    bank=("Commerzbank München", "IBAN DE41 7004 0041 0618 4421 00", "BIC COBADEFFXXX"),
    legal=(
        "Managing Directors: Sabine Krämer, Tobias Wenzel",
        "Registry court: Munich HRB 231877",
        "VAT ID: DE318442907",
    ),
    terms_days=30,
    customer_no="40188",
)
PACIFIC = Vendor(
    key="pacific",
    name="Pacific Peripherals Inc.",
    master_name="Pacific Peripherals Inc",  # vendor master drops the period: NOT a mismatch
    slug="pacific",
    address=("2150 North First Street, Suite 400", "San Jose, CA 95131", "USA"),
    vat_id="EIN 94-3318870",
    currency="USD",
    tax_rate=Decimal("0"),
    contact=("Phone (408) 555-0142", "billing@pacific-peripherals.example"),
    bank=(
        "Wire: Silicon Valley Commerce Bank, San Jose, CA",
        "ABA 121 044 511 · Acct 4471 0092 113 · SWIFT SVCBUS6S",
    ),
    legal=("Pacific Peripherals Inc. · EIN 94-3318870",),
    terms_days=30,
    customer_no="NWA-DE-0093",
)
THAMES = Vendor(
    key="thames",
    name="Thames Valley Computing Ltd",
    master_name="Thames Valley Computing Ltd",
    slug="thamesvalley",
    address=("Unit 7, Kennet Side Business Park", "Reading, Berkshire RG1 3DW", "United Kingdom"),
    vat_id="GB 287 6613 42",
    currency="GBP",
    tax_rate=Decimal("0.20"),
    contact=("Tel 0118 496 0731", "accounts@tvcomputing.example"),
    bank=(
        "Barclays Bank plc",
        "Sort code 20-45-77 · Account 83920174",
        "IBAN GB71 BARC 2045 7783 9201 74",
    ),
    legal=(
        "Registered in England and Wales No. 08812345.",
        "Registered office: Unit 7, Kennet Side Business Park, Reading RG1 3DW.",
    ),
    terms_days=30,
    customer_no="NORTH004",
)
KESTREL = Vendor(
    key="kestrel",
    name="Kestrel Software B.V.",
    master_name="Kestrel Software B.V.",
    slug="kestrel",
    address=("Keizersgracht 316", "1016 EZ Amsterdam", "The Netherlands"),
    vat_id="NL861234567B01",
    currency="EUR",
    tax_rate=Decimal("0"),  # B2B services within the EU: reverse charge
    contact=("finance@kestrel-software.example", "+31 20 808 4410"),
    bank=("IBAN NL44 ABNA 0417 1642 08", "BIC ABNANL2A"),
    legal=("KvK 71234567", "VAT NL861234567B01"),
    terms_days=14,
    customer_no="C-000731",
)
ACME = Vendor(
    key="acme",
    name="Acme Office & IT Supplies GmbH",
    master_name="ACME OFFICE & IT SUPPLIES GMBH",  # ERP upper-cases it: NOT a mismatch
    slug="acme",
    address=("Billstraße 88", "20539 Hamburg", "Germany"),
    vat_id="DE277118305",
    currency="EUR",
    tax_rate=Decimal("0.19"),
    contact=("Phone +49 40 731 822-0", "invoices@acme-office.example"),
    bank=("Hamburger Sparkasse", "IBAN DE89 2005 0550 1234 5678 90", "BIC HASPDEHHXXX"),
    legal=(
        "Acme Office & IT Supplies GmbH · Registry court Hamburg HRB 99127",
        "Managing Director: Jens Petersen",
        "VAT ID DE277118305",
    ),
    terms_days=14,
    customer_no="K-552190",
)
# A German network reseller: German labels, "Rechnung", 1.234,56 €, long dates.
ELBTAL = Vendor(
    key="elbtal",
    name="Elbtal Netzwerktechnik GmbH",
    master_name="Elbtal Netzwerktechnik GmbH",
    slug="elbtal",
    address=("Schandauer Straße 34", "01309 Dresden", "Deutschland"),
    vat_id="DE298765432",
    currency="EUR",
    tax_rate=Decimal("0.19"),
    contact=("Tel. +49 351 4410 27-0", "rechnung@elbtal-netz.example"),
    bank=(
        "Ostsächsische Sparkasse Dresden",
        "IBAN DE12 8505 0300 3120 4567 89",
        "BIC OSDDDE81XXX",
    ),
    legal=(
        "Geschäftsführerin: Jana Richter",
        "Amtsgericht Dresden HRB 41872",
        "USt-IdNr.: DE298765432",
    ),
    terms_days=30,
    customer_no="10442",
)
# A French AV integrator billing the Paris office: French labels, "Facture",
# 1 234,56 € (no-break space), "16 octobre 2026", TVA, Total TTC.
LUMEN = Vendor(
    key="lumen",
    name="Lumen Audiovisuel SAS",
    master_name="LUMEN AUDIOVISUEL SAS",  # vendor master in capitals: NOT a mismatch
    slug="lumen",
    address=("27 rue de la Villette", "69003 Lyon", "France"),
    vat_id="FR58812345678",
    currency="EUR",
    tax_rate=Decimal("0.20"),
    contact=("Tél. +33 4 72 00 18 40", "facturation@lumen-av.example"),
    bank=(
        "BNP Paribas Lyon Part-Dieu",
        "IBAN FR76 3000 4008 2800 0123 4567 890",
        "BIC BNPAFRPPXXX",
    ),
    legal=(
        "SAS au capital de 50 000 € · RCS Lyon 812 345 678 · SIRET 812 345 678 00024",
        "N° TVA intracommunautaire FR58812345678",
    ),
    terms_days=30,
    customer_no="CL-2291",
)
VENDORS: tuple[Vendor, ...] = (BRIGHTLINE, PACIFIC, THAMES, KESTREL, ACME, ELBTAL, LUMEN)

# ---------------------------------------------------------------------------
# Data: catalogue. po_text is the buyer's wording; wording[vendor key] is how
# that vendor's invoices describe the same thing ("\n" starts a second,
# smaller line, e.g. a subscription period). Prices are the PO prices in the
# vendor's currency.
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    sku: str | None
    po_text: str
    price: Decimal
    wording: Mapping[str, str]
    unit: str = "pcs"


def _item(
    key: str, sku: str | None, po_text: str, price: str, unit: str = "pcs", **wording: str
) -> Item:
    return Item(key, sku, po_text, Decimal(price), dict(wording), unit)


# fmt: off
CATALOGUE: dict[str, Item] = {i.key: i for i in (
    # Brightline (Dell / Lenovo reseller; prints the same part numbers as the POs)
    _item("LAT5440", "210-BFZW", "Dell Latitude 5440 14in laptop", "1019.00",
          brightline='LAT 5440 Notebook 14" i5-1335U/16GB/512GB SSD, Win 11 Pro, '
                     "German keyboard"),
    _item("WD19S", "210-AZBX", "Dell WD19S USB-C docking station 130W", "189.90",
          brightline="Dell Dock WD19S 130W incl. power adapter (EU)",
          acme="Docking station Dell WD19S, USB-C, 130 W"),
    _item("WARR3Y", "890-BBRT", "Dell ProSupport 3-year warranty extension (Latitude 5440)",
          "119.00", unit="ea",
          brightline="ProSupport Next Business Day Onsite - extension to 36 months, "
                     "Latitude 5000 series"),
    _item("P2723DE", "210-BDZR", "Dell P2723DE 27in QHD monitor", "329.00",
          brightline='Monitor 27" P2723DE QHD 2560x1440, USB-C hub, height adjustable',
          acme='Dell 27" monitor P2723DE, QHD, USB-C'),
    _item("T14", "21ML0025GE", "Lenovo ThinkPad T14 Gen 5 laptop", "1289.00",
          brightline='ThinkPad T14 G5 21ML 14" Core Ultra 5 125U/32GB/1TB'),
    _item("BL_SHIP", None, "Shipping & handling", "24.90", unit="flat",
          brightline="Freight / delivery charge"),
    # Pacific Peripherals (US distributor; prints manufacturer part numbers)
    _item("LG34", "34WN80C-B", "LG 34in UltraWide monitor 34WN80C", "449.00",
          pacific='LG 34WN80C-B 34" UltraWide QHD IPS Monitor w/ USB-C'),
    _item("MXKEYS", "920-011571", "Logitech MX Keys S keyboard, German layout", "110.00",
          pacific="Logitech MX Keys S Wireless Keyboard - Graphite - DEU (QWERTZ)"),
    _item("MXMASTER", "910-006559", "Logitech MX Master 3S mouse", "99.00",
          pacific="Logitech MX Master 3S Performance Wireless Mouse - Graphite"),
    _item("JABRA65", "26599-989-989", "Jabra Evolve2 65 headset, USB-C, MS Teams", "229.00",
          pacific="Jabra Evolve2 65 MS Stereo USB-C Bluetooth Headset"),
    _item("USBCDP", "CU4PB2M", "USB-C to DisplayPort cable 2 m", "18.50",
          pacific="USB-C to DisplayPort 1.4 Cable, 6.6 ft (2 m), 8K"),
    _item("BRIO", "960-001106", "Logitech Brio 4K webcam", "199.00",
          pacific="Logitech BRIO Ultra HD Pro Business Webcam 4K"),
    _item("KLOCK", "K60603WW", "Kensington laptop lock", "34.99",
          pacific="Kensington Slim N17 Keyed Laptop Lock"),
    _item("PP_FREIGHT", None, "Freight (international, DAP Berlin)", "85.00", unit="flat",
          pacific="Freight - UPS Worldwide Expedited"),
    # Thames Valley Computing (UK; prints no part numbers)
    _item("ELITEBOOK", "A26S8EA", "HP EliteBook 840 G11 laptop", "1145.00",
          thames='HP EliteBook 840 G11 14" Core Ultra 7 155U, 16GB RAM, 512GB SSD, '
                 "Windows 11 Pro (UK keyboard)"),
    _item("HPDOCK", "5TW10AA", "HP USB-C Dock G5", "165.00",
          thames="HP USB-C Dock G5 with 120W adapter (UK plug)"),
    _item("SAMSUNG24", "LS24C430GAUXEN", "Samsung 24in FHD monitor S43GC", "189.00",
          thames='Samsung S43GC 24" IPS business monitor, height adjustable'),
    _item("CAT6PACK", "C6-3M-BL-10", "Cat6 patch cable 3 m, pack of 10", "14.90",
          thames="Cat6 RJ45 patch leads 3m (pack of 10), blue"),
    _item("HP65W", "671R2AA", "HP 65W USB-C travel power adapter", "49.00",
          thames="HP 65W USB-C Slim Travel Power Adapter"),
    _item("TV_CARRIAGE", None, "Delivery charge", "12.50", unit="flat",
          thames="Carriage - next working day"),
    # Kestrel Software (licences; no part numbers; the period on a second, smaller line)
    _item("M365", "CFQ7TTC0LCHC", "Microsoft 365 Business Premium, annual subscription (per user)",
          "264.00", unit="user",
          kestrel="Microsoft 365 Business Premium (NCE, annual commitment, billed annually)\n"
                  "Subscription period: 01 Nov 2026 - 31 Oct 2027"),
    _item("ACROBAT", "65322651BA01A12", "Adobe Acrobat Pro for teams, annual licence", "239.88",
          unit="user",
          kestrel="Adobe Acrobat Pro for teams - VIP annual licence\n"
                  "Subscription period: 15 Oct 2026 - 14 Oct 2027"),
    _item("JETBRAINS", "APO-ORG-1Y", "JetBrains All Products Pack, annual subscription", "779.00",
          unit="user",
          kestrel="JetBrains All Products Pack - Organization, 1-year subscription\n"
                  "Subscription period: 20 Oct 2026 - 19 Oct 2027"),
    _item("ONEPASS", "1P-BIZ-1Y", "1Password Business, annual, per user", "95.76", unit="user",
          kestrel="1Password Business - annual plan, per seat\n"
                  "Subscription period: 20 Oct 2026 - 19 Oct 2027"),
    _item("ZOOM", "ZW-BUS-1Y", "Zoom Workplace Business, annual licence", "189.90", unit="user",
          kestrel="Zoom Workplace Business - annual, per licence\n"
                  "Subscription period: 01 Nov 2026 - 31 Oct 2027"),
    _item("WORKSHOP", None, "Onboarding workshop", "650.00", unit="day",
          kestrel="Onboarding workshop for administrators (remote, 4 hours)\n"
                  "Delivered 09 Oct 2026, trainer: M. de Vries"),
    # Acme Office & IT Supplies (wholesaler; its own article numbers, also used on the POs)
    _item("HDMI", "A-10233", "HDMI cable 2 m, high speed", "7.90",
          acme="HDMI High Speed cable with Ethernet, 2.0 m, black"),
    _item("CHARGER", "A-20871", "USB-C charger 65 W GaN", "39.90",
          acme="USB-C GaN power supply 65W, 2 ports, EU plug"),
    _item("C920", "A-31190", "Logitech C920 HD Pro webcam", "79.00",
          acme="Webcam Logitech C920 HD Pro, 1080p"),
    _item("ARM", "A-40512", "Ergotron LX desk monitor arm", "169.00",
          acme="Monitor arm Ergotron LX desk mount, aluminium"),
    _item("UPS", "A-50220", "APC Back-UPS 700VA", "129.00",
          acme="UPS APC Back-UPS BX700UI 700VA/390W, 4x IEC outlets"),
    _item("CHERRY", "A-60014", "Cherry KC 1000 keyboard, German layout", "19.90",
          acme="Keyboard Cherry KC 1000 USB, DE layout (QWERTZ), black"),
    _item("USBC_A", "A-10871", "USB-C to USB-A adapter", "6.50",
          acme="Adapter USB-C male to USB-A female, USB 3.2"),
    _item("HUB7", "A-10990", "USB-C hub 7-port", "49.90",
          acme="USB-C multiport hub 7-in-1 (HDMI 4K, 3x USB-A, SD, microSD, PD 100W)"),
    _item("DPCABLE", "A-10240", "DisplayPort cable 2 m", "9.90",
          acme="DisplayPort 1.4 cable, 2.0 m, latching connectors"),
    _item("CAT6_1M", "A-11001", "Cat6 patch cable 1 m", "2.40",
          acme="Patch cable Cat6 S/FTP 1.0 m grey"),
    _item("CAT6_5M", "A-11005", "Cat6 patch cable 5 m", "4.90",
          acme="Patch cable Cat6 S/FTP 5.0 m grey"),
    _item("STRIP6", "A-12060", "Power strip 6-way with switch", "18.90",
          acme="Power strip 6-way, illuminated switch, 1.5 m cable"),
    _item("SURGE8", "A-12080", "Surge protector 8-way", "34.90",
          acme="Surge protector 8-way, 2x USB-A charging, 3 m cable"),
    _item("M185", "A-30185", "Logitech M185 wireless mouse", "14.90",
          acme="Wireless mouse Logitech M185, grey"),
    _item("MOUSEPAD", "A-30400", "Mouse pad", "3.90",
          acme="Mouse pad, fabric, black"),
    _item("STAND", "A-40110", "Laptop stand, aluminium", "39.00",
          acme="Laptop stand aluminium, adjustable height, foldable"),
    _item("JABRA30", "A-31530", "Jabra Evolve2 30 headset, USB-C", "89.00",
          acme="Headset Jabra Evolve2 30 SE, USB-C, stereo, UC"),
    _item("SLEEVE", "A-12300", "Cable management sleeve 2 m", "7.50",
          acme="Cable sleeve with zip, 2 m, black"),
    _item("TIES", "A-12310", "Velcro cable ties, pack of 50", "5.90",
          acme="Velcro cable ties 200 mm, pack of 50, assorted colours"),
    _item("CLEAN", "A-90020", "Screen cleaning kit", "8.90",
          acme="Screen cleaning kit (spray 200 ml + microfibre cloth)"),
    _item("USB64", "A-70064", "USB flash drive 64 GB", "11.90",
          acme="USB flash drive 64 GB, USB 3.2, metal housing"),
    _item("T7SSD", "A-70910", "Samsung T7 external SSD 1 TB", "109.00",
          acme="Samsung Portable SSD T7 1TB USB-C, grey (MU-PC1T0T/WW)"),
    _item("PRIVACY14", "A-40914", "Privacy filter 14in", "59.00",
          acme='Privacy filter 14" 16:9 for notebooks, magnetic'),
    _item("NUMPAD", "A-60120", "Numeric keypad USB", "16.90",
          acme="Numeric keypad USB, slim, black"),
    _item("ARMDUAL", "A-40520", "Ergotron LX dual monitor arm", "229.00",
          acme="Monitor arm Ergotron LX dual side-by-side, desk clamp"),
    _item("R500", "A-30500", "Logitech R500s presenter", "39.90",
          acme="Wireless presenter Logitech R500s, laser pointer"),
    _item("SPEAK55", "A-31755", "Jabra Speak2 55 speakerphone", "169.00",
          acme="Speakerphone Jabra Speak2 55 UC, USB-A/USB-C"),
    _item("AC_SHIP", None, "Shipping", "6.90", unit="flat",
          acme="Shipping costs (parcel)"),
    # Elbtal Netzwerktechnik (German wording; prints the same part numbers as the POs,
    # which is what lets a German description match an English PO line)
    _item("SW24", "USW-PRO-24-POE", "Ubiquiti UniFi Pro 24 PoE switch", "649.00",
          elbtal='Switch UniFi Pro 24 PoE, 24x GbE PoE+, 2x SFP+, 19" Rackeinbau'),
    _item("U6PRO", "U6-PRO", "Ubiquiti UniFi U6 Pro access point", "159.00",
          elbtal="WLAN Access Point UniFi U6 Pro, Wi-Fi 6, PoE, Deckenmontage"),
    _item("SFP10", "SFP-10G-SR", "10G SFP+ SR transceiver module", "24.90",
          elbtal="SFP+ Transceiver-Modul 10GBase-SR, 850 nm, Multimode"),
    _item("PATCH24", "PP-24-C6A", "Patch panel 24-port Cat6a", "89.00",
          elbtal="Patchpanel 24 Port Cat.6A, geschirmt, 1 HE, schwarz"),
    # Lumen Audiovisuel (French wording, its references on the POs too)
    _item("POLYX30", "2200-86260-101", "Poly Studio X30 video bar", "1890.00",
          lumen="Barre de visioconférence Poly Studio X30, caméra 4K, micros intégrés"),
    _item("QM55", "LH55QMCEBGC", "Samsung QM55C 55in 4K display", "1149.00",
          lumen='Écran professionnel Samsung QM55C 55" 4K UHD, usage 24/7'),
    _item("MOUNT55", "WM-55-TLT", "Wall mount for 55in display, tilting", "119.00",
          lumen='Support mural inclinable pour écran 55", VESA 400x400'),
    _item("HDMI10", "HDMI-10M-AOC", "HDMI cable 10 m, active optical", "64.00",
          lumen="Câble HDMI 2.0 optique actif 10 m"),
)}
# fmt: on

# ---------------------------------------------------------------------------
# Data: the month. POs, receipts, then invoices as a list of cases.
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class POLine:
    item: str
    qty: int
    price: Decimal | None = None  # None: the catalogue price


@dataclass(frozen=True, slots=True)
class PO:
    number: str
    vendor: Vendor
    date: date
    requester: str
    lines: tuple[POLine, ...]
    deliver_to: tuple[str, ...] = BUYER_WAREHOUSE


@dataclass(frozen=True, slots=True)
class Receipt:
    number: str
    po: str
    date: date
    layout: Literal["warehouse", "servicedesk"]
    lines: tuple[tuple[str, int], ...]  # (item key, quantity received)
    delivery_note: str
    received_by: str
    site: str = "Berlin"


Misprint = Literal["subtotal_omits_last_line", "total_uses_old_vat_rate"]


@dataclass(frozen=True, slots=True)
class InvLine:
    item: str
    qty: int
    price: Decimal | None = None  # None: the PO's price (or the catalogue's)


@dataclass(frozen=True, slots=True)
class Case:
    """One invoice of the month and what it is there to exercise."""

    vendor: Vendor
    number: str
    date: date
    po_ref: str | None  # the PO number as printed; None: none printed
    lines: tuple[InvLine, ...]
    exercises: str  # what this case is for (human-readable; not used by the rules)
    order_text: str | None = None  # printed where the PO reference would be, e.g. "per e-mail"
    currency: Currency | None = None  # None: the vendor's usual currency
    misprint: Misprint | None = None
    copy: bool = False  # a re-sent copy of an invoice that already came in
    ship_to: tuple[str, ...] = BUYER_WAREHOUSE
    delivery: Delivery = "pdf"  # how it arrives: a text PDF, a scan, an e-invoice
    credit_note: bool = False  # credits the quantities it lists (kind "credit_note")
    more_pos: tuple[str, ...] = ()  # further POs the header cites after po_ref
    credits: str | None = None  # on a credit note: the invoice it credits, as printed

    @property
    def cited(self) -> tuple[str, ...]:
        """Every PO number the document prints, in order."""
        return tuple(n for n in (self.po_ref, *self.more_pos) if n is not None)


def d(s: str) -> date:
    return date.fromisoformat(s)


def D(s: str) -> Decimal:
    return Decimal(s)


def pol(*spec: tuple[str, int] | tuple[str, int, str]) -> tuple[POLine, ...]:
    return tuple(POLine(s[0], s[1], D(s[2]) if len(s) == 3 else None) for s in spec)


def inl(*spec: tuple[str, int] | tuple[str, int, str]) -> tuple[InvLine, ...]:
    return tuple(InvLine(s[0], s[1], D(s[2]) if len(s) == 3 else None) for s in spec)


# fmt: off
POS: tuple[PO, ...] = (
    PO("PO-2026-0141", BRIGHTLINE, d("2026-09-28"), "M. Keller",
       pol(("LAT5440", 8), ("WD19S", 8), ("WARR3Y", 8), ("BL_SHIP", 1))),
    PO("PO-2026-0142", BRIGHTLINE, d("2026-10-01"), "M. Keller",
       pol(("P2723DE", 12), ("T14", 4), ("BL_SHIP", 1))),
    PO("PO-2026-0143", PACIFIC, d("2026-09-30"), "A. Nowak",
       pol(("LG34", 6), ("MXKEYS", 20), ("MXMASTER", 20), ("PP_FREIGHT", 1))),
    PO("PO-2026-0144", PACIFIC, d("2026-10-02"), "A. Nowak",
       pol(("JABRA65", 10), ("USBCDP", 10), ("PP_FREIGHT", 1, "45.00"))),
    PO("PO-2026-0145", THAMES, d("2026-10-01"), "R. Patel",
       pol(("ELITEBOOK", 5), ("HPDOCK", 5), ("TV_CARRIAGE", 1)), BUYER_LONDON),
    PO("PO-2026-0146", THAMES, d("2026-10-05"), "R. Patel",
       pol(("SAMSUNG24", 10), ("CAT6PACK", 4), ("TV_CARRIAGE", 1)), BUYER_LONDON),
    PO("PO-2026-0147", KESTREL, d("2026-10-01"), "J. Smith",
       pol(("M365", 40), ("ACROBAT", 10)), BUYER_LICENSING),
    PO("PO-2026-0148", KESTREL, d("2026-10-06"), "J. Smith",
       pol(("JETBRAINS", 6), ("ONEPASS", 45)), BUYER_LICENSING),
    PO("PO-2026-0149", ACME, d("2026-10-02"), "M. Keller",
       pol(("HDMI", 30), ("CHARGER", 15), ("C920", 12), ("ARM", 10), ("AC_SHIP", 1))),
    PO("PO-2026-0150", ACME, d("2026-10-07"), "M. Keller",
       pol(("UPS", 6), ("CHERRY", 25), ("AC_SHIP", 1))),
    PO("PO-2026-0151", BRIGHTLINE, d("2026-10-08"), "M. Keller",
       pol(("WD19S", 6), ("P2723DE", 6))),
    PO("PO-2026-0152", KESTREL, d("2026-10-09"), "J. Smith",
       pol(("ZOOM", 15)), BUYER_LICENSING),
    PO("PO-2026-0153", BRIGHTLINE, d("2026-10-09"), "M. Keller",
       pol(("LAT5440", 2), ("WD19S", 2), ("BL_SHIP", 1))),
    PO("PO-2026-0154", PACIFIC, d("2026-10-12"), "A. Nowak",
       pol(("LG34", 4), ("PP_FREIGHT", 1, "45.00"))),
    PO("PO-2026-0155", THAMES, d("2026-10-12"), "R. Patel",
       pol(("ELITEBOOK", 2), ("HP65W", 2), ("TV_CARRIAGE", 1)), BUYER_LONDON),
    # Desk accessories for the new floor: 23 lines, the invoice runs over two pages.
    PO("PO-2026-0156", ACME, d("2026-10-14"), "M. Keller",
       pol(("USBC_A", 40), ("HUB7", 12), ("DPCABLE", 20), ("CAT6_1M", 50), ("CAT6_5M", 30),
           ("STRIP6", 15), ("SURGE8", 6), ("M185", 20), ("MOUSEPAD", 20), ("STAND", 12),
           ("JABRA30", 10), ("SLEEVE", 25), ("TIES", 10), ("CLEAN", 8), ("USB64", 25),
           ("T7SSD", 4), ("PRIVACY14", 10), ("NUMPAD", 6), ("HDMI", 20), ("CHARGER", 10),
           ("ARMDUAL", 3), ("R500", 4), ("AC_SHIP", 1))),
    PO("PO-2026-0157", PACIFIC, d("2026-10-13"), "A. Nowak",
       pol(("MXKEYS", 10), ("MXMASTER", 10), ("BRIO", 5), ("PP_FREIGHT", 1, "45.00"))),
    # Languages, scans and e-invoices: each on a PO of its own, so the cases above
    # and their truth stay as they were.
    PO("PO-2026-0158", ELBTAL, d("2026-10-05"), "M. Keller",
       pol(("SW24", 2), ("U6PRO", 6), ("SFP10", 4))),
    PO("PO-2026-0159", LUMEN, d("2026-10-06"), "C. Martin",
       pol(("POLYX30", 2), ("QM55", 2), ("MOUNT55", 2), ("HDMI10", 4)), BUYER_PARIS),
    PO("PO-2026-0160", THAMES, d("2026-10-15"), "R. Patel",
       pol(("SAMSUNG24", 4), ("HP65W", 4), ("TV_CARRIAGE", 1)), BUYER_LONDON),
    PO("PO-2026-0161", ELBTAL, d("2026-10-16"), "M. Keller",
       pol(("PATCH24", 2), ("SFP10", 8), ("U6PRO", 4))),
    PO("PO-2026-0162", KESTREL, d("2026-10-19"), "J. Smith",
       pol(("ONEPASS", 10), ("ACROBAT", 5)), BUYER_LICENSING),
    PO("PO-2026-0163", BRIGHTLINE, d("2026-10-19"), "M. Keller",
       pol(("T14", 3), ("WD19S", 3))),
    # Two orders for one new team, billed on one invoice that cites both.
    PO("PO-2026-0164", ACME, d("2026-10-20"), "M. Keller",
       pol(("C920", 6), ("ARM", 4))),
    PO("PO-2026-0165", ACME, d("2026-10-20"), "C. Martin",
       pol(("CHERRY", 10), ("MOUSEPAD", 10))),
)
PO_BY_NUMBER = {p.number: p for p in POS}


def everything(po: str) -> tuple[tuple[str, int], ...]:
    """All lines of a PO in full, for a receipt or an invoice that covers it all."""
    return tuple((ln.item, ln.qty) for ln in PO_BY_NUMBER[po].lines)


RECEIPTS: tuple[Receipt, ...] = (
    # PO-0141 arrives in two deliveries; both invoices against it are clean.
    Receipt("GRN-2026-0311", "PO-2026-0141", d("2026-10-05"), "warehouse",
            (("LAT5440", 5), ("WD19S", 8), ("BL_SHIP", 1)), "LS-884120", "D. Schulz"),
    Receipt("GRN-2026-0318", "PO-2026-0141", d("2026-10-09"), "warehouse",
            (("LAT5440", 3), ("WARR3Y", 8)), "LS-884377", "D. Schulz"),
    # PO-0142: two partial receipts, 10 of 12 monitors in total.
    Receipt("GRN-2026-0322", "PO-2026-0142", d("2026-10-10"), "warehouse",
            (("P2723DE", 6), ("T14", 4)), "LS-884502", "K. Yilmaz"),
    Receipt("GRN-2026-0340", "PO-2026-0142", d("2026-10-19"), "warehouse",
            (("P2723DE", 4), ("BL_SHIP", 1)), "LS-885190", "D. Schulz"),
    # PO-0143: the vendor shipped 22 mice against 20 ordered; the warehouse kept them.
    Receipt("GRN-2026-0326", "PO-2026-0143", d("2026-10-13"), "warehouse",
            (("LG34", 6), ("MXKEYS", 20), ("MXMASTER", 22), ("PP_FREIGHT", 1)),
            "1Z 8A4 F21 04 1187 2290", "K. Yilmaz"),
    Receipt("GRN-2026-0329", "PO-2026-0153", d("2026-10-14"), "warehouse",
            everything("PO-2026-0153"), "LS-884871", "D. Schulz"),
    Receipt("GRN-2026-0330", "PO-2026-0149", d("2026-10-08"), "warehouse",
            everything("PO-2026-0149"), "AC-LS-260771", "K. Yilmaz"),
    Receipt("GRN-2026-0331", "PO-2026-0144", d("2026-10-14"), "warehouse",
            everything("PO-2026-0144"), "1Z 8A4 F21 04 1190 0031", "D. Schulz"),
    Receipt("GRN-2026-0341", "PO-2026-0150", d("2026-10-15"), "warehouse",
            everything("PO-2026-0150"), "AC-LS-260912", "K. Yilmaz"),
    Receipt("GRN-2026-0344", "PO-2026-0154", d("2026-10-20"), "warehouse",
            everything("PO-2026-0154"), "1Z 8A4 F21 04 1201 7765", "D. Schulz"),
    Receipt("GRN-2026-0349", "PO-2026-0151", d("2026-10-17"), "warehouse",
            everything("PO-2026-0151"), "AC-LS-261040", "K. Yilmaz"),
    Receipt("GRN-2026-0355", "PO-2026-0156", d("2026-10-23"), "warehouse",
            everything("PO-2026-0156"), "AC-LS-261288", "D. Schulz"),
    Receipt("GRN-2026-0360", "PO-2026-0157", d("2026-10-26"), "warehouse",
            everything("PO-2026-0157"), "1Z 8A4 F21 04 1214 5520", "K. Yilmaz"),
    # Service desk: software licences (Berlin) and deliveries to the London office.
    Receipt("RCV-0083", "PO-2026-0147", d("2026-10-03"), "servicedesk",
            everything("PO-2026-0147"), "licence e-mail 02 Oct", "L. Brandt"),
    Receipt("RCV-0087", "PO-2026-0145", d("2026-10-07"), "servicedesk",
            everything("PO-2026-0145"), "TVC-DN-55102", "S. Okafor", "London"),
    # 50 seats were provisioned on a 45-seat order.
    Receipt("RCV-0090", "PO-2026-0148", d("2026-10-09"), "servicedesk",
            (("JETBRAINS", 6), ("ONEPASS", 50)), "licence portal", "L. Brandt"),
    # Partial: 6 of 10 monitors, the rest back-ordered.
    Receipt("RCV-0091", "PO-2026-0146", d("2026-10-14"), "servicedesk",
            (("SAMSUNG24", 6), ("CAT6PACK", 4), ("TV_CARRIAGE", 1)), "TVC-DN-55188",
            "S. Okafor", "London"),
    Receipt("RCV-0093", "PO-2026-0152", d("2026-10-13"), "servicedesk",
            everything("PO-2026-0152"), "licence e-mail 13 Oct", "L. Brandt"),
    Receipt("RCV-0095", "PO-2026-0155", d("2026-10-16"), "servicedesk",
            everything("PO-2026-0155"), "TVC-DN-55240", "S. Okafor", "London"),
    # Everything ordered on the new POs arrived in full.
    Receipt("GRN-2026-0362", "PO-2026-0158", d("2026-10-12"), "warehouse",
            everything("PO-2026-0158"), "LS-EN-26-3381", "D. Schulz"),
    Receipt("RCV-0097", "PO-2026-0159", d("2026-10-15"), "servicedesk",
            everything("PO-2026-0159"), "BL-2026-1187", "É. Girard", "Paris"),
    Receipt("RCV-0098", "PO-2026-0160", d("2026-10-21"), "servicedesk",
            everything("PO-2026-0160"), "TVC-DN-55391", "S. Okafor", "London"),
    Receipt("GRN-2026-0365", "PO-2026-0161", d("2026-10-23"), "warehouse",
            everything("PO-2026-0161"), "LS-EN-26-3502", "K. Yilmaz"),
    Receipt("RCV-0099", "PO-2026-0162", d("2026-10-20"), "servicedesk",
            everything("PO-2026-0162"), "licence e-mail 20 Oct", "L. Brandt"),
    Receipt("GRN-2026-0367", "PO-2026-0163", d("2026-10-26"), "warehouse",
            everything("PO-2026-0163"), "LS-885402", "D. Schulz"),
    Receipt("GRN-2026-0368", "PO-2026-0164", d("2026-10-26"), "warehouse",
            everything("PO-2026-0164"), "AC-LS-261355", "K. Yilmaz"),
    Receipt("GRN-2026-0369", "PO-2026-0165", d("2026-10-26"), "warehouse",
            everything("PO-2026-0165"), "AC-LS-261356", "K. Yilmaz"),
)

LON, LIC, PAR = BUYER_LONDON, BUYER_LICENSING, BUYER_PARIS

CASES: tuple[Case, ...] = (
    # --- Brightline Systems (EUR, DIN-style letter, right-hand info box) ---
    Case(BRIGHTLINE, "RE-2026-10457", d("2026-10-06"), "PO-2026-0141",
         inl(("WD19S", 8), ("LAT5440", 5), ("BL_SHIP", 1)),
         "clean; first of two invoices for one PO, lines in another order than the PO's"),
    Case(BRIGHTLINE, "RE-2026-10512", d("2026-10-12"), "PO-2026-0141",
         inl(("LAT5440", 3), ("WARR3Y", 8)),
         "clean; second delivery of the same PO (the laptops match the first receipt)"),
    Case(BRIGHTLINE, "RE-2026-10530", d("2026-10-13"), "PO-2026-0142",
         inl(("P2723DE", 6), ("T14", 4, "1349.00")),
         "price_variance: ThinkPad 1,349.00 vs PO 1,289.00 (+4.7 %); the monitors are clean"),
    Case(BRIGHTLINE, "RE-2026-10561", d("2026-10-16"), "PO-2026-0153",
         inl(("LAT5440", 2), ("WD19S", 2), ("BL_SHIP", 1)),
         "total_mismatch: the printed net total leaves out the freight line",
         misprint="subtotal_omits_last_line"),
    Case(BRIGHTLINE, "RE-2026-10618", d("2026-10-22"), "PO-2026-0142",
         inl(("P2723DE", 6), ("BL_SHIP", 1)),
         "not_received: 12 monitors invoiced in all, two receipts brought only 10"),
    # --- Pacific Peripherals (USD, US Letter, label-above-value boxes, qty first) ---
    Case(PACIFIC, "104871", d("2026-10-09"), "PO-2026-0143",
         inl(("LG34", 6, "457.53"), ("MXKEYS", 20, "112.31"), ("MXMASTER", 20), ("PP_FREIGHT", 1)),
         "price_variance: keyboards +2.1 % (112.31 vs 110.00); monitors +1.9 % are tolerated"),
    Case(PACIFIC, "104902", d("2026-10-15"), "PO-2026-0144",
         inl(("JABRA65", 10), ("KLOCK", 5), ("USBCDP", 10), ("PP_FREIGHT", 1)),
         "unmatched_line: laptop locks were never ordered"),
    Case(PACIFIC, "104955", d("2026-10-20"), "PO-2026-0143",
         inl(("MXMASTER", 2)),
         "quantity_variance: 2 more mice on top of 20 already invoiced (20 ordered, 22 received)"),
    Case(PACIFIC, "104961", d("2026-10-21"), "PO-2026-0154",
         inl(("LG34", 4), ("PP_FREIGHT", 1)),
         "currency_mismatch: billed in EUR (same figures) against a USD PO", currency="EUR"),
    Case(PACIFIC, "105007", d("2026-10-27"), "PO-2026-0157",
         inl(("BRIO", 5), ("MXKEYS", 10), ("MXMASTER", 10), ("PP_FREIGHT", 1)),
         "clean; the vendor master says 'Pacific Peripherals Inc' without the period"),
    # --- Thames Valley Computing (GBP, UK tax invoice, no part numbers) ---
    Case(THAMES, "TVC-INV-20931", d("2026-10-08"), "PO-2026-0145",
         inl(("ELITEBOOK", 5), ("HPDOCK", 5), ("TV_CARRIAGE", 1)),
         "clean; long wrapped laptop description", ship_to=LON),
    Case(THAMES, "TVC-INV-20931", d("2026-10-08"), "PO-2026-0145",
         inl(("ELITEBOOK", 5), ("HPDOCK", 5), ("TV_CARRIAGE", 1)),
         "duplicate_invoice: the same invoice re-sent with a COPY INVOICE stamp",
         ship_to=LON, copy=True),
    Case(THAMES, "TVC-INV-20988", d("2026-10-15"), "PO-2026-0146",
         inl(("SAMSUNG24", 10), ("CAT6PACK", 4), ("TV_CARRIAGE", 1)),
         "not_received: 10 monitors invoiced, 6 received (partial delivery)", ship_to=LON),
    Case(THAMES, "TVC-INV-21004", d("2026-10-19"), "PO-2026-0155",
         inl(("HP65W", 2), ("ELITEBOOK", 2), ("TV_CARRIAGE", 1)),
         "clean", ship_to=LON),
    Case(THAMES, "TVC-INV-21067", d("2026-10-27"), "PO-2026-0139",
         inl(("SAMSUNG24", 2), ("TV_CARRIAGE", 1)),
         "no_po: cites PO-2026-0139, which is not on file", ship_to=LON),
    # --- Kestrel Software (EUR, reverse charge, licences with a period line) ---
    Case(KESTREL, "KS-2026-000318", d("2026-10-05"), "PO-2026-0147",
         inl(("M365", 40), ("ACROBAT", 10)),
         "clean; two-line descriptions (product + subscription period)", ship_to=LIC),
    Case(KESTREL, "KS-2026-000341", d("2026-10-12"), "PO-2026-0148",
         inl(("JETBRAINS", 6), ("ONEPASS", 50), ("WORKSHOP", 1)),
         "quantity_variance: 50 seats on a 45-seat order (50 provisioned); "
         "unmatched_line: the workshop", ship_to=LIC),
    Case(KESTREL, "KS-2026-000356", d("2026-10-14"), "PO-2026-0152",
         inl(("ZOOM", 15)),
         "currency_mismatch: billed in USD (same figures) against a EUR PO", currency="USD",
         ship_to=LIC),
    # --- Acme Office & IT Supplies (EUR, German number format, key strip header) ---
    Case(ACME, "A-26-01184", d("2026-10-09"), "PO-2026-0149",
         inl(("ARM", 10), ("HDMI", 30), ("CHARGER", 15), ("C920", 12), ("AC_SHIP", 1)),
         "clean; the PO's vendor master spells the name in capitals"),
    Case(ACME, "A-26-01184", d("2026-10-09"), "PO-2026-0149",
         inl(("ARM", 10), ("HDMI", 30), ("CHARGER", 15), ("C920", 12), ("AC_SHIP", 1)),
         "duplicate_invoice: a second copy of A-26-01184 stamped COPY", copy=True),
    Case(ACME, "A-26-01231", d("2026-10-16"), "PO-2026-0150",
         inl(("UPS", 6), ("CHERRY", 25), ("AC_SHIP", 1)),
         "total_mismatch: VAT printed at 19 % but the total computed with 16 %",
         misprint="total_uses_old_vat_rate"),
    Case(ACME, "A-26-01262", d("2026-10-20"), "PO-2026-0151",
         inl(("P2723DE", 6), ("WD19S", 6)),
         "vendor_mismatch: Acme bills a PO that was placed with Brightline"),
    Case(ACME, "A-26-01279", d("2026-10-23"), None,
         inl(("SPEAK55", 2), ("HUB7", 3)),
         "no_po: 'Your order: per e-mail from J. Smith'", order_text="per e-mail from J. Smith"),
    Case(ACME, "A-26-01301", d("2026-10-26"), "PO-2026-0156",
         inl(*everything("PO-2026-0156")),
         "clean; 23 lines over two pages, repeated header, carried-forward subtotal"),
    # --- Elbtal Netzwerktechnik (German: labels, 1.234,56 €, "14. Oktober 2026") ---
    Case(ELBTAL, "R2026-10471", d("2026-10-14"), "PO-2026-0158",
         inl(("SW24", 2), ("U6PRO", 6), ("SFP10", 4)),
         "clean; German labels, German descriptions matched to the English PO by part number"),
    # --- Lumen Audiovisuel (French: labels, 1 234,56 €, "16 octobre 2026", TVA, TTC) ---
    Case(LUMEN, "F-2026-0912", d("2026-10-16"), "PO-2026-0159",
         inl(("POLYX30", 2), ("QM55", 2), ("MOUNT55", 2, "129.00"), ("HDMI10", 4)),
         "price_variance (the one discrepancy): wall mounts 129,00 € vs PO 119.00 (+8.4 %); "
         "French labels and a no-break space in the thousands", ship_to=PAR),
    # --- Arrived only as scans (no text layer: OCR) ---
    Case(THAMES, "TVC-INV-21102", d("2026-10-22"), "PO-2026-0160",
         inl(("SAMSUNG24", 4), ("HP65W", 4), ("TV_CARRIAGE", 1)),
         "clean; scanned to JPEG (200 dpi, skewed, noisy): OCR", ship_to=LON,
         delivery="scan_jpeg"),
    Case(ELBTAL, "R2026-10598", d("2026-10-26"), "PO-2026-0161",
         inl(("PATCH24", 2), ("SFP10", 8), ("U6PRO", 4)),
         "clean; a German invoice scanned to an image-only PDF (300 dpi): OCR in German",
         delivery="scan_pdf"),
    # --- E-invoices ---
    Case(BRIGHTLINE, "RE-2026-10690", d("2026-10-27"), "PO-2026-0163",
         inl(("T14", 3), ("WD19S", 3)),
         "clean; Factur-X: the CII XML embedded in the usual visual PDF says the same",
         delivery="facturx"),
    Case(KESTREL, "KS-2026-000377", d("2026-10-21"), "PO-2026-0162",
         inl(("ONEPASS", 12), ("ACROBAT", 5)),
         "clean thanks to the credit note below; a standalone UBL invoice billing 12 seats "
         "on a 10-seat order line (10 received)", ship_to=LIC, delivery="ubl"),
    Case(KESTREL, "KS-CN-2026-000009", d("2026-10-28"), "PO-2026-0162",
         inl(("ONEPASS", 2)),
         "a UBL credit note for the 2 seats over-billed on KS-2026-000377: without it that "
         "line would raise quantity_variance (12 invoiced, 10 ordered) and not_received "
         "(10 received); credits net against the PO line first, so 12 - 2 = 10 raises "
         "neither. The credit note's line is matched like an invoice line (no receipt: a "
         "credit receives nothing) and registers no asset (1Password is under 100.00 "
         "anyway); it names the invoice it credits (BT-25), which is on file",
         ship_to=LIC, delivery="ubl", credit_note=True, credits="KS-2026-000377"),
    # --- Several POs, and a credit note for an invoice nobody has ---
    Case(ACME, "A-26-01322", d("2026-10-27"), "PO-2026-0164",
         inl(("C920", 6), ("CHERRY", 10), ("ARM", 4), ("MOUSEPAD", 10)),
         "clean; one invoice citing two POs in its header ('Your orders: PO-2026-0164, "
         "PO-2026-0165'), its lines interleaved: each goes to the PO that ordered it",
         more_pos=("PO-2026-0165",)),
    Case(ACME, "A-26-G0031", d("2026-10-24"), "PO-2026-0149",
         inl(("HDMI", 2)),
         "unknown_credited_invoice: a credit note for 2 HDMI cables 'to invoice A-26-01099', "
         "which never came in (Acme's invoice for that PO is A-26-01184); matched and netted "
         "like any credit, held until a person approves it", credit_note=True,
         credits="A-26-01099"),
)

#: The source of bad/encrypted.pdf: a real Brightline invoice nobody can open.
ENCRYPTED_CASE = Case(BRIGHTLINE, "RE-2026-10644", d("2026-10-28"), "PO-2026-0142",
                      inl(("P2723DE", 2)), "quarantine: encrypted with a user password")
# fmt: on

# ---------------------------------------------------------------------------
# Money, numbers and dates as the documents print them
# ---------------------------------------------------------------------------


def q2(v: Decimal) -> Decimal:
    return v.quantize(CENT, rounding=ROUND_HALF_UP)


def num(v: Decimal, style: NumStyle = "en") -> str:
    """1,234.56 (en), 1.234,56 (de) or 1 234,56 (fr, a no-break space: the narrow
    one French typography prefers has no glyph in the PDF base fonts)."""
    s = f"{q2(v):,.2f}"
    if style == "de":
        return s.translate(str.maketrans(",.", ".,"))
    if style == "fr":
        return s.translate(str.maketrans(",.", "\u00a0,"))
    return s


def fold(s: str) -> str:
    return " ".join(s.split())


MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def date_de(x: date) -> str:
    return f"{x.day:02d}.{x.month:02d}.{x.year}"


def date_us(x: date) -> str:
    return f"{x.month:02d}/{x.day:02d}/{x.year}"


def date_long(x: date) -> str:
    return f"{x.day} {MONTHS[x.month - 1]} {x.year}"


def date_mdy(x: date) -> str:
    return f"{MONTHS[x.month - 1][:3]} {x.day}, {x.year}"


def date_dmy_short(x: date) -> str:
    return f"{x.day:02d}-{MONTHS[x.month - 1][:3]}-{x.year}"


MONATE = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def date_de_long(x: date) -> str:
    """14. Oktober 2026"""
    return f"{x.day}. {MONATE[x.month - 1]} {x.year}"


def date_fr_long(x: date) -> str:
    """16 octobre 2026 (1er for the first of the month)"""
    day = "1er" if x.day == 1 else str(x.day)
    return f"{day} {MOIS[x.month - 1]} {x.year}"


def date_fr(x: date) -> str:
    """16/10/2026: day first"""
    return f"{x.day:02d}/{x.month:02d}/{x.year}"


def plus_days(x: date, n: int) -> date:
    return date.fromordinal(x.toordinal() + n)


# ---------------------------------------------------------------------------
# The documents as printed (values every layout draws and the truth reports)
# ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrintedLine:
    sku: str | None
    text: str  # may contain "\n" (second, smaller line)
    qty: int
    unit: str
    unit_price: Decimal | None
    amount: Decimal | None


@dataclass(frozen=True, slots=True)
class InvoiceDoc:
    case: Case
    currency: Currency
    lines: tuple[PrintedLine, ...]
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    tax_rate: Decimal

    @property
    def vendor(self) -> Vendor:
        return self.case.vendor

    @property
    def source(self) -> str:
        suffix = "_copy" if self.case.copy else ""
        ext = {"scan_jpeg": "jpg", "ubl": "xml"}.get(self.case.delivery, "pdf")
        return f"{self.case.date.isoformat()}_{self.vendor.slug}_{self.case.number}{suffix}.{ext}"

    @property
    def kind(self) -> str:
        return "credit_note" if self.case.credit_note else "invoice"

    @property
    def format(self) -> str:
        """digital, scan or einvoice: which extractor has to read it."""
        return {"pdf": "digital", "scan_jpeg": "scan", "scan_pdf": "scan"}.get(
            self.case.delivery, "einvoice"
        )


@dataclass(frozen=True, slots=True)
class PODoc:
    po: PO
    lines: tuple[PrintedLine, ...]
    subtotal: Decimal
    tax: Decimal
    total: Decimal

    @property
    def source(self) -> str:
        return f"{self.po.number}.pdf"


@dataclass(frozen=True, slots=True)
class ReceiptDoc:
    receipt: Receipt
    po: PO
    lines: tuple[tuple[POLine, int, int], ...]  # (PO line, PO line no, quantity received)

    @property
    def source(self) -> str:
        return f"{self.receipt.number}.pdf"


def po_price(po: PO, item: str) -> Decimal | None:
    for ln in po.lines:
        if ln.item == item:
            return ln.price if ln.price is not None else CATALOGUE[item].price
    return None


def build_po(po: PO) -> PODoc:
    lines = []
    for ln in po.lines:
        it = CATALOGUE[ln.item]
        price = ln.price if ln.price is not None else it.price
        lines.append(PrintedLine(it.sku, it.po_text, ln.qty, it.unit, price, q2(price * ln.qty)))
    sub = sum((ln.amount or Decimal(0) for ln in lines), Decimal(0))
    tax = q2(sub * po.vendor.tax_rate)
    return PODoc(po, tuple(lines), sub, tax, sub + tax)


def build_receipt(r: Receipt) -> ReceiptDoc:
    po = PO_BY_NUMBER[r.po]
    rows = []
    for item, qty in r.lines:
        (no, pl) = next((i, ln) for i, ln in enumerate(po.lines, 1) if ln.item == item)
        rows.append((pl, no, qty))
    return ReceiptDoc(r, po, tuple(rows))


#: Which vendors print part numbers on their invoices.
PRINTS_SKU = {
    "brightline": True,
    "pacific": True,
    "thames": False,
    "kestrel": False,
    "acme": True,
    "elbtal": True,
    "lumen": True,
}


def build_invoice(case: Case) -> InvoiceDoc:
    v = case.vendor
    pos = [PO_BY_NUMBER[n] for n in case.cited if n in PO_BY_NUMBER]
    lines = []
    for ln in case.lines:
        it = CATALOGUE[ln.item]
        ordered = next((p for po in pos if (p := po_price(po, ln.item)) is not None), None)
        price = ln.price or ordered or it.price
        sku = it.sku if PRINTS_SKU[v.key] else None
        lines.append(
            PrintedLine(sku, it.wording[v.key], ln.qty, it.unit, price, q2(price * ln.qty))
        )
    line_sum = sum((ln.amount or Decimal(0) for ln in lines), Decimal(0))
    subtotal = line_sum
    if case.misprint == "subtotal_omits_last_line":
        subtotal = line_sum - (lines[-1].amount or Decimal(0))
    tax = q2(subtotal * v.tax_rate)
    total = subtotal + tax
    if case.misprint == "total_uses_old_vat_rate":
        total = subtotal + q2(subtotal * Decimal("0.16"))
    return InvoiceDoc(
        case, case.currency or v.currency, tuple(lines), subtotal, tax, total, v.tax_rate
    )


# ---------------------------------------------------------------------------
# Drawing helpers (reportlab coordinates: origin bottom-left, y grows upwards)
# ---------------------------------------------------------------------------

GREY = HexColor("#6b6b6b")
LIGHT = HexColor("#d9d9d9")

Align = Literal["l", "r", "c"]
#: One printed line in a cell: (text, secondary) where secondary lines are smaller and grey.
CellLine = tuple[str, bool]
Cell = list[CellLine]


def text(
    c: Any,
    x: float,
    y: float,
    s: str,
    font: str = "Helvetica",
    size: float = 9,
    align: Align = "l",
    color: Color = black,
) -> None:
    c.setFillColor(color)
    c.setFont(font, size)
    if align == "r":
        c.drawRightString(x, y, s)
    elif align == "c":
        c.drawCentredString(x, y, s)
    else:
        c.drawString(x, y, s)
    c.setFillColor(black)


def lines_at(
    c: Any,
    x: float,
    y: float,
    rows: Iterable[str],
    font: str = "Helvetica",
    size: float = 9,
    leading: float | None = None,
    align: Align = "l",
    color: Color = black,
) -> float:
    """Draw rows downwards from baseline y; return the baseline after the last one."""
    step = leading or size * 1.25
    for row in rows:
        text(c, x, y, row, font, size, align, color)
        y -= step
    return y


def wrap(s: str, font: str, size: float, width: float) -> list[str]:
    out = simpleSplit(s, font, size, width)
    assert fold(" ".join(out)) == fold(s), f"wrapping changed {s!r}"
    return [str(x) for x in out]


def hrule(c: Any, x0: float, x1: float, y: float, width: float = 0.5, color: Color = black) -> None:
    c.setStrokeColor(color)
    c.setLineWidth(width)
    c.line(x0, y, x1, y)
    c.setStrokeColor(black)


@dataclass(frozen=True, slots=True)
class Col:
    title: str  # "\n" for a two-line header
    width: float
    align: Align = "l"


@dataclass(frozen=True, slots=True)
class Grid:
    """How a layout draws its tables."""

    font: str = "Helvetica"
    bold: str = "Helvetica-Bold"
    size: float = 8.5
    leading: float = 10.5
    pad: float = 4.0
    header_fill: Color | None = None
    header_color: Color = black
    verticals: bool = False  # full grid
    row_rules: bool = False  # a rule under every row
    rule_color: Color = black
    zebra: Color | None = None
    header_rule: float = 0.8  # rules above and below the header row; 0 for none
    sub_size: float = 7.5


def cell_lines(s: str, g: Grid, width: float, font: str | None = None) -> Cell:
    """Wrap a cell; parts after a newline become secondary lines."""
    parts = s.split("\n")
    out: Cell = [(ln, False) for ln in wrap(parts[0], font or g.font, g.size, width - 2 * g.pad)]
    for p in parts[1:]:
        out += [(ln, True) for ln in wrap(p, g.font, g.sub_size, width - 2 * g.pad)]
    return out


def row_height(cells: Sequence[Cell], g: Grid) -> float:
    return max(len(cl) for cl in cells) * g.leading + 2 * g.pad - 2


def draw_table_header(c: Any, x: float, y: float, cols: Sequence[Col], g: Grid) -> float:
    n = max(len(col.title.split("\n")) for col in cols)
    h = n * g.leading + 2 * g.pad - 1
    total = sum(col.width for col in cols)
    if g.header_fill is not None:
        c.setFillColor(g.header_fill)
        c.rect(x, y - h, total, h, stroke=0, fill=1)
    if g.header_rule:
        hrule(c, x, x + total, y, g.header_rule, g.rule_color)
        hrule(c, x, x + total, y - h, g.header_rule, g.rule_color)
    cx = x
    for col in cols:
        ty = y - g.pad - g.size + 1
        for part in col.title.split("\n"):
            tx = cx + g.pad if col.align == "l" else cx + col.width - g.pad
            if col.align == "c":
                tx = cx + col.width / 2
            text(c, tx, ty, part, g.bold, g.size, col.align, g.header_color)
            ty -= g.leading
        if g.verticals:
            c.setStrokeColor(g.rule_color)
            c.setLineWidth(0.5)
            c.line(cx, y, cx, y - h)
        cx += col.width
    if g.verticals:
        c.line(cx, y, cx, y - h)
    return y - h


def draw_table_row(
    c: Any, x: float, y: float, cols: Sequence[Col], cells: Sequence[Cell], g: Grid, shade: bool
) -> float:
    h = row_height(cells, g)
    total = sum(col.width for col in cols)
    if shade and g.zebra is not None:
        c.setFillColor(g.zebra)
        c.rect(x, y - h, total, h, stroke=0, fill=1)
    cx = x
    for col, cl in zip(cols, cells, strict=True):
        ty = y - g.pad - g.size + 1
        for s, secondary in cl:
            tx = cx + g.pad if col.align == "l" else cx + col.width - g.pad
            if col.align == "c":
                tx = cx + col.width / 2
            if secondary:
                text(c, tx, ty, s, g.font, g.sub_size, col.align, GREY)
            else:
                text(c, tx, ty, s, g.font, g.size, col.align)
            ty -= g.leading
        if g.verticals:
            c.setStrokeColor(g.rule_color)
            c.setLineWidth(0.5)
            c.line(cx, y, cx, y - h)
        cx += col.width
    if g.verticals:
        c.line(cx, y, cx, y - h)
    if g.row_rules or g.verticals:
        hrule(c, x, x + total, y - h, 0.4, g.rule_color)
    return y - h


def draw_table(
    c: Any,
    x: float,
    y: float,
    cols: Sequence[Col],
    rows: Sequence[Sequence[Cell]],
    g: Grid,
    *,
    bottom: float,
    new_page: Callable[[int], float],
) -> float:
    """Draw a table, breaking pages when a row does not fit above ``bottom``.

    ``new_page(i)`` finishes the page, starts the next one and returns where the
    table continues; ``i`` is the index of the first row on the new page.
    """
    y = draw_table_header(c, x, y, cols, g)
    for i, row in enumerate(rows):
        if y - row_height(row, g) < bottom:
            y = draw_table_header(c, x, new_page(i), cols, g)
        y = draw_table_row(c, x, y, cols, row, g, shade=i % 2 == 1)
    return y


def render(
    path: Path | io.BytesIO,
    pagesize: tuple[float, float],
    draw: Callable[[Any, int], None],
    *,
    title: str,
    author: str,
    encrypt: Any = None,
) -> None:
    """Render twice: once to count the pages ("Page 1 of N"), once for real."""
    probe = Canvas(io.BytesIO(), pagesize=pagesize, invariant=1)
    draw(probe, 0)
    pages = probe.getPageNumber() - 1  # every layout ends with showPage()
    target = str(path) if isinstance(path, Path) else path
    # No page compression: zlib builds (zlib vs zlib-ng) deflate differently, and
    # the committed samples must come out byte-identical on every machine.
    c = Canvas(target, pagesize=pagesize, invariant=1, pageCompression=0, encrypt=encrypt)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator(author)
    draw(c, pages)
    c.save()


def stamp_copy(c: Any, x: float, y: float, label: str = "COPY") -> None:
    """A red rubber stamp, slightly rotated, as vendors put on re-sent invoices."""
    c.saveState()
    c.setFillColor(HexColor("#c0392b"))
    c.setStrokeColor(HexColor("#c0392b"))
    c.translate(x, y)
    c.rotate(9)
    c.setLineWidth(1.6)
    width = c.stringWidth(label, "Helvetica-Bold", 18)
    c.roundRect(-8, -8, width + 16, 30, 4, stroke=1, fill=0)
    c.setFont("Helvetica-Bold", 18)
    c.drawString(0, 0, label)
    c.restoreState()


# ---------------------------------------------------------------------------
# Layouts: invoices (one per vendor)
# ---------------------------------------------------------------------------


def layout_brightline(c: Any, doc: InvoiceDoc, pages: int) -> None:
    """German business letter (DIN 5008): return-address line over the window,
    info box on the right, full grid table, three-column footer."""
    w, h = A4
    v, case = doc.vendor, doc.case
    left = 57.0

    def euro(x: Decimal) -> str:
        return f"{num(x, 'de')} €"

    def page_frame(page: int) -> None:
        # letterhead
        c.setFillColor(HexColor("#0b5394"))
        c.rect(w - 215, h - 62, 22, 22, stroke=0, fill=1)
        text(c, w - 204, h - 56, "B", "Helvetica-Bold", 15, "c", white)
        text(c, w - 186, h - 52, v.name, "Helvetica-Bold", 14, color=HexColor("#0b5394"))
        lines_at(c, w - 186, h - 66, (*v.address[:2], *v.contact[:2]), size=7.5, color=GREY)
        # footer
        hrule(c, left, w - 57, 78, 0.4, GREY)
        fy = 68.0
        lines_at(c, left, fy, (v.name, *v.address), size=6.5, leading=8, color=GREY)
        lines_at(c, 225, fy, v.legal, size=6.5, leading=8, color=GREY)
        lines_at(c, 395, fy, v.bank, size=6.5, leading=8, color=GREY)
        text(c, w - 57, 88, f"Page {page} of {pages}", size=7.5, align="r", color=GREY)

    page_frame(1)
    # sender line above the address window, then the window
    sender = f"{v.name} · {v.address[0]} · {v.address[1]}"
    text(c, left, h - 130, sender, size=6.5)
    hrule(c, left, left + c.stringWidth(sender, "Helvetica", 6.5), h - 132, 0.3)
    text(c, left, h - 146, "Bill to:", "Helvetica-Bold", 7.5, color=GREY)
    lines_at(c, left, h - 158, BUYER_BILLING, size=10, leading=12.5)
    # info box: label left of value
    bx, by, bw = 340.0, h - 128, 198.0
    info = [
        ("Invoice No.", case.number),
        ("Invoice date", date_de(case.date)),
        ("Delivery date", date_de(plus_days(case.date, -1))),
        ("Customer no.", v.customer_no),
        ("Your order", case.po_ref or (case.order_text or "")),
        ("Your VAT ID", BUYER_VAT_ID),
    ]
    c.setStrokeColor(LIGHT)
    c.rect(bx, by - 14 * len(info) - 8, bw, 14 * len(info) + 8, stroke=1, fill=0)
    yy = by - 14
    for label, value in info:
        text(c, bx + 8, yy, label, size=8.5, color=GREY)
        text(
            c, bx + 86, yy, value, "Helvetica-Bold" if label == "Invoice No." else "Helvetica", 8.5
        )
        yy -= 14
    if case.copy:
        stamp_copy(c, 200, h - 268)
    y = h - 262
    text(c, left, y, "INVOICE", "Helvetica-Bold", 15)
    y -= 20
    text(c, left, y, "Thank you for your order. We invoice the following delivery:", size=9)
    y -= 13
    ship = ", ".join(case.ship_to[:1] + case.ship_to[2:4])
    text(c, left, y, f"Delivery address: {ship}", size=8, color=GREY)
    y -= 12
    g = Grid(
        size=8.5,
        leading=10.5,
        verticals=True,
        rule_color=HexColor("#8c8c8c"),
        header_fill=HexColor("#e8eef6"),
        header_rule=0.5,
    )
    cols = [
        Col("Pos.", 28, "c"),
        Col("Item no.", 60),
        Col("Description", 194),
        Col("Qty", 32, "r"),
        Col("Unit", 30),
        Col("Unit price\nEUR", 68, "r"),
        Col("Amount\nEUR", 69, "r"),
    ]
    rows = [
        [
            [(str(i), False)],
            [(ln.sku or "", False)],
            cell_lines(ln.text, g, 194),
            [(str(ln.qty), False)],
            [(ln.unit, False)],
            [(num(ln.unit_price or D("0"), "de"), False)],
            [(num(ln.amount or D("0"), "de"), False)],
        ]
        for i, ln in enumerate(doc.lines, 1)
    ]
    y = draw_table(c, left, y, cols, rows, g, bottom=140, new_page=lambda i: 0.0)
    tx, vx = 380.0, w - 57
    y -= 18
    text(c, tx, y, "Net total", size=9)
    text(c, vx, y, euro(doc.subtotal), size=9, align="r")
    y -= 13
    text(c, tx, y, f"VAT {int(doc.tax_rate * 100)} %", size=9)
    text(c, vx, y, euro(doc.tax), size=9, align="r")
    y -= 6
    hrule(c, tx, vx, y, 0.8)
    y -= 13
    text(c, tx, y, "Total amount due", "Helvetica-Bold", 10)
    text(c, vx, y, euro(doc.total), "Helvetica-Bold", 10, "r")
    y -= 30
    due = plus_days(case.date, v.terms_days)
    text(
        c,
        left,
        y,
        f"Payment terms: {v.terms_days} days net, due on {date_de(due)}. "
        f"Please state the invoice number {case.number} with your payment.",
        size=8.5,
    )
    text(c, left, y - 12, "Goods remain our property until paid in full.", size=8.5, color=GREY)
    c.showPage()


def layout_pacific(c: Any, doc: InvoiceDoc, pages: int) -> None:
    """US distributor: US Letter, logo left, big INVOICE right, label-above-value
    boxes, BILL TO / SHIP TO bands, quantity first, zebra rows without rules."""
    w, h = LETTER
    v, case = doc.vendor, doc.case
    teal = HexColor("#136f63")
    sym = {"USD": "$", "EUR": "€", "GBP": "£"}[doc.currency]

    def money(x: Decimal) -> str:
        return f"{sym}{num(x)}"

    c.setFillColor(teal)
    c.circle(62, h - 62, 20, stroke=0, fill=1)
    text(c, 62, h - 68, "PP", "Helvetica-Bold", 15, "c", white)
    text(c, 92, h - 58, v.name, "Helvetica-Bold", 17, color=teal)
    lines_at(c, 92, h - 74, (*v.address[:2], *v.contact), size=8, leading=10)
    text(c, w - 40, h - 66, "INVOICE", "Helvetica-Bold", 30, "r", teal)
    # label-above-value boxes
    boxes = [
        ("INVOICE #", case.number),
        ("DATE", date_us(case.date)),
        ("P.O. #", case.po_ref or ""),
        ("TERMS", f"Net {v.terms_days}"),
        ("CUSTOMER ID", v.customer_no),
        ("DUE DATE", date_us(plus_days(case.date, v.terms_days))),
    ]
    bx, by, bw, bh = 372.0, h - 100, 100.0, 30.0
    for i, (label, value) in enumerate(boxes):
        x0 = bx + (i % 2) * bw
        y0 = by - (i // 2) * bh
        c.setFillColor(teal)
        c.rect(x0, y0 - 12, bw, 12, stroke=0, fill=1)
        c.setStrokeColor(LIGHT)
        c.rect(x0, y0 - bh, bw, bh, stroke=1, fill=0)
        text(c, x0 + bw / 2, y0 - 9, label, "Helvetica-Bold", 7, "c", white)
        text(c, x0 + bw / 2, y0 - 25, value, size=9, align="c")
    # bill to / ship to
    y = h - 205
    for x0, label, block in ((40.0, "BILL TO", BUYER_BILLING), (306.0, "SHIP TO", case.ship_to)):
        c.setFillColor(teal)
        c.rect(x0, y, 250, 13, stroke=0, fill=1)
        text(c, x0 + 6, y + 3.5, label, "Helvetica-Bold", 8, color=white)
        lines_at(c, x0 + 6, y - 12, block, size=9, leading=11)
    if case.copy:
        stamp_copy(c, 220, h - 120)
    y -= 82
    g = Grid(
        size=8.5,
        leading=10.5,
        header_fill=teal,
        header_color=white,
        header_rule=0,
        zebra=HexColor("#eef5f4"),
        pad=5,
    )
    cols = [
        Col("QTY", 38, "c"),
        Col("ITEM #", 88),
        Col("DESCRIPTION", 254),
        Col("UNIT PRICE", 76, "r"),
        Col("AMOUNT", 76, "r"),
    ]
    rows = [
        [
            [(str(ln.qty), False)],
            [(ln.sku or "", False)],
            cell_lines(ln.text, g, 254),
            [(num(ln.unit_price or D("0")), False)],
            [(num(ln.amount or D("0")), False)],
        ]
        for ln in doc.lines
    ]
    y = draw_table(c, 40, y, cols, rows, g, bottom=150, new_page=lambda i: 0.0)
    hrule(c, 40, w - 40, y, 0.6, teal)
    # notes left, totals right
    notes = [
        "Export sale - no US sales tax charged. Incoterms: DAP Berlin.",
        "Questions about this invoice? billing@pacific-peripherals.example",
    ]
    lines_at(c, 40, y - 20, notes, size=7.5, color=GREY, leading=10)
    ty = y - 20
    rows2 = [("SUBTOTAL", money(doc.subtotal)), ("SALES TAX (0%)", money(doc.tax))]
    for label, value in rows2:
        text(c, 440, ty, label, size=8.5, align="r")
        text(c, w - 44, ty, value, size=9, align="r")
        ty -= 14
    c.setFillColor(HexColor("#eef5f4"))
    c.rect(350, ty - 8, w - 40 - 350, 20, stroke=0, fill=1)
    text(c, 440, ty - 1, f"TOTAL {doc.currency}", "Helvetica-Bold", 10, "r")
    text(c, w - 44, ty - 1, money(doc.total), "Helvetica-Bold", 11, "r")
    text(c, w / 2, 118, "Thank you for your business!", "Helvetica-Oblique", 10, "c", teal)
    hrule(c, 40, w - 40, 100, 0.4, LIGHT)
    lines_at(c, 40, 88, ("Please remit payment to:", *v.bank), size=7.5, leading=9.5, color=GREY)
    text(c, w - 40, 88, f"Page 1 of {pages}", size=7.5, align="r", color=GREY)
    c.showPage()


def layout_thames(c: Any, doc: InvoiceDoc, pages: int) -> None:
    """UK tax invoice in Times: centred letterhead, "Label: value" pairs,
    Invoice To / Deliver To, horizontal rules only, no part numbers."""
    w, h = A4
    v, case = doc.vendor, doc.case
    left, right = 50.0, w - 50

    def gbp(x: Decimal) -> str:
        sym = {"GBP": "£", "EUR": "€", "USD": "$"}[doc.currency]
        return f"{sym}{num(x)}"

    text(c, w / 2, h - 58, v.name, "Times-Bold", 21, "c")
    text(c, w / 2, h - 74, " · ".join((*v.address[:2], *v.contact)), "Times-Roman", 8.5, "c")
    hrule(c, left, right, h - 82, 1.2)
    hrule(c, left, right, h - 85, 0.4)
    text(c, left, h - 115, "TAX INVOICE", "Times-Bold", 17)
    text(c, right, h - 115, f"VAT Reg. No: {v.vat_id}", "Times-Roman", 9.5, "r")
    pairs = [
        ("Invoice Number:", case.number),
        ("Invoice Date:", date_long(case.date)),
        ("Tax Point:", date_long(case.date)),
        ("Account No:", v.customer_no),
        ("Your PO:", case.po_ref or (case.order_text or "")),
    ]
    y = h - 140
    for label, value in pairs:
        text(c, left, y, label, "Times-Bold", 10)
        text(c, left + 92, y, value, "Times-Roman", 10)
        y -= 13.5
    ax = 300.0
    text(c, ax, h - 140, "Invoice To:", "Times-Bold", 10)
    lines_at(c, ax, h - 153, BUYER_BILLING[:1] + BUYER_BILLING[2:], "Times-Roman", 10, 12)
    text(c, ax + 130, h - 140, "Deliver To:", "Times-Bold", 10)
    lines_at(c, ax + 130, h - 153, case.ship_to, "Times-Roman", 10, 12)
    if case.copy:
        stamp_copy(c, 205, h - 122, "COPY INVOICE")
    y = h - 230
    g = Grid(
        font="Times-Roman",
        bold="Times-Bold",
        size=10,
        leading=12,
        row_rules=True,
        rule_color=HexColor("#9a9a9a"),
        header_rule=0.9,
        pad=4.5,
    )
    cols = [
        Col("Description", 265),
        Col("Qty", 40, "r"),
        Col("Unit Price", 70, "r"),
        Col("VAT %", 45, "r"),
        Col("Net Amount", 75, "r"),
    ]
    vat = f"{int(doc.tax_rate * 100)}%"
    rows = [
        [
            cell_lines(ln.text, g, 265),
            [(str(ln.qty), False)],
            [(num(ln.unit_price or D("0")), False)],
            [(vat, False)],
            [(num(ln.amount or D("0")), False)],
        ]
        for ln in doc.lines
    ]
    y = draw_table(c, left, y, cols, rows, g, bottom=170, new_page=lambda i: 0.0)
    y -= 20
    for label, value, font in (
        ("Total Net", gbp(doc.subtotal), "Times-Roman"),
        (f"Total VAT @ {vat}", gbp(doc.tax), "Times-Roman"),
        ("Invoice Total", gbp(doc.total), "Times-Bold"),
    ):
        text(c, 420, y, label, font, 10.5, "r")
        text(c, right, y, value, font, 10.5, "r")
        y -= 15
    hrule(c, 340, right, y + 26.5, 0.5)
    y -= 20
    terms = [
        f"Terms: payment due within {v.terms_days} days of invoice date. "
        "Please quote the invoice number as your payment reference.",
        "Bank: " + " · ".join(v.bank),
        "Goods remain the property of Thames Valley Computing Ltd until paid for in full.",
    ]
    lines_at(c, left, y, terms, "Times-Roman", 9, 12)
    hrule(c, left, right, 70, 0.4)
    lines_at(c, w / 2, 58, v.legal, "Times-Italic", 8, 10, "c", GREY)
    text(c, right, 76, f"Page 1 of {pages}", "Times-Roman", 8, "r")
    c.showPage()


def layout_kestrel(c: Any, doc: InvoiceDoc, pages: int) -> None:
    """SaaS reseller: wordmark, light "Invoice" title, metadata in columns with
    the label above the value, two-line item descriptions, reverse-charge note."""
    w, h = A4
    v, case = doc.vendor, doc.case
    left, right = 48.0, w - 48
    slate = HexColor("#2e3a4b")

    def money(x: Decimal) -> str:
        return f"{doc.currency} {num(x)}"

    # wordmark (not the legal name) and the legal name with address on the right
    c.setFillColor(HexColor("#e07a1f"))
    c.wedge(left, h - 76, left + 30, h - 46, 20, 140, stroke=0, fill=1)
    text(c, left + 36, h - 70, "kestrel", "Helvetica-Bold", 22, color=slate)
    lines_at(
        c,
        right,
        h - 52,
        (v.name, *v.address, f"VAT {v.vat_id}"),
        size=8,
        leading=10,
        align="r",
        color=slate,
    )
    text(c, left, h - 135, "Invoice", "Helvetica", 28, color=slate)
    meta = [
        ("Document no.", case.number),
        ("Issue date", date_mdy(case.date)),
        ("Due date", date_mdy(plus_days(case.date, v.terms_days))),
        ("Purchase order", case.po_ref or (case.order_text or "-")),
    ]
    x = left
    for label, value in meta:
        text(c, x, h - 165, label, size=7.5, color=GREY)
        text(c, x, h - 178, value, "Helvetica-Bold", 9.5, color=slate)
        x += 125
    y = h - 215
    text(c, left, y, "Billed to", size=7.5, color=GREY)
    lines_at(c, left, y - 13, (*BUYER_BILLING, f"VAT ID {BUYER_VAT_ID}"), size=9, leading=11.5)
    text(c, 300, y, "Licensee / deliver to", size=7.5, color=GREY)
    lines_at(c, 300, y - 13, case.ship_to, size=9, leading=11.5)
    if case.copy:
        stamp_copy(c, 260, h - 140)
    y -= 100
    g = Grid(
        size=9,
        leading=11.5,
        row_rules=True,
        rule_color=LIGHT,
        header_rule=0.5,
        header_color=GREY,
        pad=5,
        sub_size=7.5,
    )
    cols = [
        Col("Description", 290),
        Col("Qty", 45, "r"),
        Col("Unit price", 82, "r"),
        Col("Amount", 82, "r"),
    ]
    rows = [
        [
            cell_lines(ln.text, g, 290),
            [(str(ln.qty), False)],
            [(num(ln.unit_price or D("0")), False)],
            [(num(ln.amount or D("0")), False)],
        ]
        for ln in doc.lines
    ]
    y = draw_table(c, left, y, cols, rows, g, bottom=180, new_page=lambda i: 0.0)
    y -= 22
    for label, value, bold in (
        ("Subtotal", money(doc.subtotal), False),
        ("VAT 0% (reverse charge)", money(doc.tax), False),
        (f"Total due ({doc.currency})", money(doc.total), True),
    ):
        font = "Helvetica-Bold" if bold else "Helvetica"
        text(c, 400, y, label, font, 9.5 if not bold else 11, "r", slate)
        text(c, right, y, value, font, 9.5 if not bold else 11, "r", slate)
        y -= 16
    y -= 18
    note = (
        "VAT reverse-charged: the recipient is liable for VAT under Art. 196 of Council "
        f"Directive 2006/112/EC. Customer VAT ID {BUYER_VAT_ID}."
    )
    y = lines_at(
        c, left, y, wrap(note, "Helvetica", 8, right - left), size=8, leading=10, color=GREY
    )
    lines_at(
        c,
        left,
        y - 6,
        (f"Please pay by {date_mdy(plus_days(case.date, v.terms_days))} quoting {case.number}.",),
        size=8,
        color=GREY,
    )
    hrule(c, left, right, 62, 0.4, LIGHT)
    text(c, left, 50, " · ".join((v.name, *v.legal, *v.bank)), size=7, color=GREY)
    text(c, right, 38, f"Page 1/{pages}", size=7, align="r", color=GREY)
    c.showPage()


def layout_acme(c: Any, doc: InvoiceDoc, pages: int) -> None:
    """Wholesaler ERP print: red bar letterhead, key strip (labels over values),
    Courier line table without row rules, German number format, quantities with
    decimals, carried-forward subtotals when the table runs over pages."""
    w, h = A4
    v, case = doc.vendor, doc.case
    left, right = 45.0, w - 45
    red = HexColor("#b22222")

    def eur(x: Decimal) -> str:
        return f"{num(x, 'de')} {doc.currency}"

    def footer(page: int) -> None:
        hrule(c, left, right, 72, 0.5)
        lines_at(c, left, 62, v.legal, size=6.5, leading=8, color=GREY)
        lines_at(c, 330, 62, v.bank, size=6.5, leading=8, color=GREY)
        text(c, right, 78, f"Page {page} of {pages}", size=7.5, align="r")

    c.setFillColor(red)
    c.rect(0, h - 20, w, 8, stroke=0, fill=1)
    text(c, left, h - 55, v.name, "Helvetica-Bold", 17, color=red)
    text(
        c,
        left,
        h - 68,
        "Office supplies · IT accessories · Workplace equipment",
        size=8,
        color=GREY,
    )
    lines_at(c, right, h - 46, (*v.address, *v.contact), size=7.5, leading=9.5, align="r")
    text(c, left, h - 104, "Bill to", "Helvetica-Bold", 8)
    lines_at(c, left, h - 117, BUYER_BILLING, size=9.5, leading=11.5)
    text(c, 300, h - 104, "Ship to", "Helvetica-Bold", 8)
    lines_at(c, 300, h - 117, case.ship_to, size=9.5, leading=11.5)
    if case.copy:
        stamp_copy(c, 190, h - 204)
    credit = case.credit_note
    text(c, left, h - 200, "CREDIT NOTE" if credit else "INVOICE", "Helvetica-Bold", 16)
    # key strip: one row of labels, one row of values
    orders = ", ".join(case.cited) or (case.order_text or "")
    strip = [
        ("Credit note no." if credit else "Bill number", case.number),
        ("Date", case.date.isoformat()),
        ("Customer no.", v.customer_no),
        ("Your orders" if len(case.cited) > 1 else "Your order", orders),
        ("Original invoice", case.credits or "") if credit else ("Your contact", "Petra Lindqvist"),
    ]
    widths = [80.0, 68.0, 72.0, 180.0, 105.0]
    x, y = left, h - 216
    c.setFillColor(HexColor("#f2f2f2"))
    c.rect(left, y - 30, sum(widths), 30, stroke=0, fill=1)
    for (label, value), wd in zip(strip, widths, strict=True):
        text(c, x + 4, y - 10, label, size=7, color=GREY)
        text(c, x + 4, y - 24, value, "Helvetica-Bold", 9)
        x += wd
    y -= 48
    g = Grid(font="Courier", bold="Courier-Bold", size=8.5, leading=10.5, header_rule=1.2, pad=3.5)
    cols = [
        Col("No.", 26, "r"),
        Col("Qty", 44, "r"),
        Col("Unit", 30),
        Col("Art.-No.", 58),
        Col("Description", 202),
        Col("Unit price", 70, "r"),
        Col("Total", 75, "r"),
    ]
    rows = [
        [
            [(f"{i}", False)],
            [(num(Decimal(ln.qty), "de"), False)],
            [(ln.unit, False)],
            [(ln.sku or "", False)],
            cell_lines(ln.text, g, 202),
            [(num(ln.unit_price or D("0"), "de"), False)],
            [(num(ln.amount or D("0"), "de"), False)],
        ]
        for i, ln in enumerate(doc.lines, 1)
    ]
    state = {"page": 1}

    def new_page(i: int) -> float:
        carried = sum((ln.amount or D("0") for ln in doc.lines[:i]), D("0"))
        text(c, right, 112, f"Subtotal carried forward: {eur(carried)}", "Courier-Bold", 8.5, "r")
        text(
            c,
            right,
            98,
            f"continued on page {state['page'] + 1} ...",
            "Helvetica-Oblique",
            8,
            "r",
            GREY,
        )
        footer(state["page"])
        c.showPage()
        state["page"] += 1
        c.setFillColor(red)
        c.rect(0, h - 20, w, 8, stroke=0, fill=1)
        text(c, left, h - 48, v.name, "Helvetica-Bold", 11, color=red)
        text(
            c,
            right,
            h - 48,
            f"Bill number {case.number} · {case.date.isoformat()} · continued",
            size=8.5,
            align="r",
        )
        text(c, right, h - 72, f"Brought forward: {eur(carried)}", "Courier-Bold", 8.5, "r")
        return h - 84

    y = draw_table(c, left, y, cols, rows, g, bottom=130, new_page=new_page)
    hrule(c, left, right, y - 2, 0.8)
    y -= 20
    for label, value, font in (
        ("Net amount", eur(doc.subtotal), "Helvetica"),
        (f"VAT {int(doc.tax_rate * 100)} %", eur(doc.tax), "Helvetica"),
        ("Total", eur(doc.total), "Helvetica-Bold"),
    ):
        text(c, 420, y, label, font, 9.5)
        text(c, right, y, value, font, 9.5, "r")
        y -= 14
    y -= 12
    due = plus_days(case.date, v.terms_days)
    text(
        c,
        left,
        y,
        "We credit the amount above to your account."
        if credit
        else f"Payable without deduction by {due.isoformat()}. Delivery date = invoice date "
        "unless stated otherwise.",
        size=8,
    )
    footer(state["page"])
    c.showPage()


def layout_elbtal(c: Any, doc: InvoiceDoc, pages: int) -> None:
    """German reseller, in German: sender line over the address window, an info
    block of "Label: value" pairs on the right (long date "14. Oktober 2026",
    short dates 14.10.2026 elsewhere), full grid table with German headings and
    number format, "zzgl. 19 % MwSt.", three-column footer with the register."""
    w, h = A4
    v, case = doc.vendor, doc.case
    left, right = 56.0, w - 50
    green = HexColor("#1d6b45")

    def euro(x: Decimal) -> str:
        return f"{num(x, 'de')} €"

    c.setFillColor(green)
    c.rect(left, h - 70, 6, 36, stroke=0, fill=1)
    text(c, left + 14, h - 52, v.name, "Helvetica-Bold", 16, color=green)
    text(c, left + 14, h - 66, "Netzwerke · WLAN · Rechenzentrum", size=8.5, color=GREY)
    lines_at(c, right, h - 46, (*v.address, *v.contact), size=7.5, leading=9.5, align="r")
    sender = f"{v.name} · {v.address[0]} · {v.address[1]}"
    text(c, left, h - 128, sender, size=6.5)
    hrule(c, left, left + c.stringWidth(sender, "Helvetica", 6.5), h - 130, 0.3)
    lines_at(c, left, h - 146, BUYER_BILLING[:-1], size=10, leading=12.5)
    info = [
        ("Rechnungs-Nr.:", case.number),
        ("Rechnungsdatum:", date_de_long(case.date)),
        ("Lieferdatum:", date_de(plus_days(case.date, -1))),
        ("Kunden-Nr.:", v.customer_no),
        ("Ihre Bestellung:", case.po_ref or (case.order_text or "")),
        ("Ihre USt-IdNr.:", BUYER_VAT_ID),
        ("Ansprechpartner:", "Frank Lehmann"),
    ]
    yy = h - 128
    for label, value in info:
        text(c, 330, yy, label, size=8.5, color=GREY)
        bold = "Helvetica-Bold" if label == "Rechnungs-Nr.:" else "Helvetica"
        text(c, 430, yy, value, bold, 8.5)
        yy -= 13
    y = h - 262
    text(c, left, y, "RECHNUNG", "Helvetica-Bold", 15)
    y -= 20
    text(c, left, y, "Sehr geehrte Damen und Herren, wir berechnen Ihnen unsere Lieferung:", size=9)
    y -= 12
    g = Grid(
        size=8.5,
        leading=10.5,
        verticals=True,
        rule_color=HexColor("#9aa59f"),
        header_fill=HexColor("#e3efe8"),
        header_rule=0.5,
    )
    cols = [
        Col("Pos.", 26, "c"),
        Col("Art.-Nr.", 86),
        Col("Bezeichnung", 174),
        Col("Menge", 38, "r"),
        Col("Einheit", 36),
        Col("Einzelpreis\nEUR", 62, "r"),
        Col("Betrag\nEUR", 67, "r"),
    ]
    unit = {"pcs": "Stk.", "ea": "Stk.", "flat": "pauschal"}
    rows = [
        [
            [(str(i), False)],
            [(ln.sku or "", False)],
            cell_lines(ln.text, g, 174),
            [(str(ln.qty), False)],
            [(unit.get(ln.unit, ln.unit), False)],
            [(num(ln.unit_price or D("0"), "de"), False)],
            [(num(ln.amount or D("0"), "de"), False)],
        ]
        for i, ln in enumerate(doc.lines, 1)
    ]
    y = draw_table(c, left, y, cols, rows, g, bottom=150, new_page=lambda i: 0.0)
    tx = 370.0
    y -= 18
    rate = int(doc.tax_rate * 100)
    for label, value, font in (
        ("Nettobetrag", euro(doc.subtotal), "Helvetica"),
        (f"zzgl. {rate} % MwSt.", euro(doc.tax), "Helvetica"),
        ("Gesamtbetrag", euro(doc.total), "Helvetica-Bold"),
    ):
        if font == "Helvetica-Bold":
            hrule(c, tx, right, y + 10, 0.8)
        text(c, tx, y, label, font, 9.5)
        text(c, right, y, value, font, 9.5, "r")
        y -= 14
    y -= 20
    due = plus_days(case.date, v.terms_days)
    terms = [
        f"Zahlbar bis {date_de(due)} ohne Abzug. Bitte geben Sie bei Zahlung die "
        f"Rechnungsnummer {case.number} an.",
        "Die Ware bleibt bis zur vollständigen Bezahlung unser Eigentum.",
    ]
    lines_at(c, left, y, terms, size=8.5, leading=11.5)
    hrule(c, left, right, 78, 0.4, GREY)
    lines_at(c, left, 68, (v.name, *v.address[:2]), size=6.5, leading=8, color=GREY)
    lines_at(c, 225, 68, v.legal, size=6.5, leading=8, color=GREY)
    lines_at(c, 395, 68, v.bank, size=6.5, leading=8, color=GREY)
    text(c, right, 88, f"Seite 1 von {pages}", size=7.5, align="r", color=GREY)
    c.showPage()


def layout_lumen(c: Any, doc: InvoiceDoc, pages: int) -> None:
    """French integrator, in French: logo and name left, address right, a
    "FACTURE" title over a strip of labels above values (N° de facture, Date de
    facture "16 octobre 2026", échéance 15/11/2026, ...), Facturé à / Livré à,
    a table with P.U. HT and a TVA column, amounts as 1 234,56 € with a
    no-break space, Total HT / TVA / Total TTC / Net à payer, legal notices."""
    w, h = A4
    v, case = doc.vendor, doc.case
    left, right = 48.0, w - 48
    plum = HexColor("#5b2a86")

    def euro(x: Decimal) -> str:
        return f"{num(x, 'fr')}\u00a0€"

    c.setFillColor(plum)
    c.roundRect(left, h - 78, 34, 34, 6, stroke=0, fill=1)
    text(c, left + 17, h - 67, "L", "Helvetica-Bold", 20, "c", white)
    text(c, left + 44, h - 58, v.name, "Helvetica-Bold", 16, color=plum)
    text(
        c,
        left + 44,
        h - 72,
        "Intégration audiovisuelle · Salles de réunion · Visioconférence",
        size=8,
        color=GREY,
    )
    lines_at(c, right, h - 50, (*v.address, *v.contact), size=7.5, leading=9.5, align="r")
    text(c, left, h - 128, "FACTURE", "Helvetica-Bold", 20, color=plum)
    strip = [
        ("N° de facture", case.number),
        ("Date de facture", date_fr_long(case.date)),
        ("Date d'échéance", date_fr(plus_days(case.date, v.terms_days))),
        ("N° client", v.customer_no),
        ("Votre commande", case.po_ref or (case.order_text or "")),
    ]
    widths = [92.0, 104.0, 92.0, 70.0, 141.0]
    x, y = left, h - 146
    c.setFillColor(HexColor("#f1ecf6"))
    c.rect(left, y - 32, sum(widths), 32, stroke=0, fill=1)
    for (label, value), wd in zip(strip, widths, strict=True):
        text(c, x + 5, y - 11, label, size=7, color=GREY)
        text(c, x + 5, y - 25, value, "Helvetica-Bold", 9)
        x += wd
    y = h - 206
    text(c, left, y, "Facturé à :", "Helvetica-Bold", 8.5)
    lines_at(c, left, y - 13, BUYER_PARIS, size=9.5, leading=11.5)
    text(c, 300, y, "Livré à :", "Helvetica-Bold", 8.5)
    lines_at(
        c,
        300,
        y - 13,
        (*case.ship_to[:1], "Salle de réunion 2", *case.ship_to[1:]),
        size=9.5,
        leading=11.5,
    )
    y -= 90
    g = Grid(
        size=8.5,
        leading=10.5,
        row_rules=True,
        rule_color=HexColor("#d6cbe0"),
        header_fill=plum,
        header_color=white,
        header_rule=0,
        pad=4.5,
    )
    cols = [
        Col("Réf.", 80),
        Col("Désignation", 190),
        Col("Qté", 32, "r"),
        Col("Unité", 34),
        Col("P.U. HT", 58, "r"),
        Col("TVA", 34, "r"),
        Col("Montant HT", 71, "r"),
    ]
    unit = {"pcs": "pce", "ea": "pce", "flat": "forfait"}
    vat = f"{int(doc.tax_rate * 100)}\u00a0%"
    rows = [
        [
            [(ln.sku or "", False)],
            cell_lines(ln.text, g, 190),
            [(str(ln.qty), False)],
            [(unit.get(ln.unit, ln.unit), False)],
            [(num(ln.unit_price or D("0"), "fr"), False)],
            [(vat, False)],
            [(num(ln.amount or D("0"), "fr"), False)],
        ]
        for ln in doc.lines
    ]
    y = draw_table(c, left, y, cols, rows, g, bottom=170, new_page=lambda i: 0.0)
    tx = 360.0
    y -= 18
    for label, value in (
        ("Total HT", euro(doc.subtotal)),
        (f"TVA {vat}", euro(doc.tax)),
        ("Total TTC", euro(doc.total)),
    ):
        text(c, tx, y, label, size=9.5)
        text(c, right, y, value, size=9.5, align="r")
        y -= 14
    c.setFillColor(HexColor("#f1ecf6"))
    c.rect(tx - 6, y - 7, right - tx + 6, 19, stroke=0, fill=1)
    text(c, tx, y, "Net à payer", "Helvetica-Bold", 10.5, color=plum)
    text(c, right, y, euro(doc.total), "Helvetica-Bold", 10.5, "r", plum)
    y -= 34
    due = plus_days(case.date, v.terms_days)
    notes = [
        f"Conditions de paiement : à {v.terms_days} jours, soit le {date_fr(due)}, par virement.",
        "Pas d'escompte pour paiement anticipé.",
        "En cas de retard de paiement, pénalités au taux de trois fois le taux d'intérêt légal "
        "et indemnité forfaitaire de 40 € pour frais de recouvrement (art. L441-10 C. com.).",
    ]
    lines_at(
        c,
        left,
        y,
        [ln for n in notes for ln in wrap(n, "Helvetica", 8, right - left)],
        size=8,
        leading=10.5,
        color=GREY,
    )
    hrule(c, left, right, 72, 0.4, GREY)
    lines_at(
        c,
        w / 2,
        62,
        (f"{v.name} · {v.legal[0]}", v.legal[1], " · ".join(v.bank)),
        size=6.5,
        leading=8,
        align="c",
        color=GREY,
    )
    text(c, right, 82, f"Page 1 sur {pages}", size=7.5, align="r", color=GREY)
    c.showPage()


INVOICE_LAYOUTS: dict[str, tuple[Callable[[Any, InvoiceDoc, int], None], tuple[float, float]]] = {
    "brightline": (layout_brightline, A4),
    "pacific": (layout_pacific, LETTER),
    "thames": (layout_thames, A4),
    "kestrel": (layout_kestrel, A4),
    "acme": (layout_acme, A4),
    "elbtal": (layout_elbtal, A4),
    "lumen": (layout_lumen, A4),
}


def write_invoice(path: Path | io.BytesIO, doc: InvoiceDoc, encrypt: Any = None) -> None:
    draw, size = INVOICE_LAYOUTS[doc.vendor.key]
    render(
        path,
        size,
        lambda c, n: draw(c, doc, n),
        title=f"Invoice {doc.case.number}",
        author=doc.vendor.name,
        encrypt=encrypt,
    )


# ---------------------------------------------------------------------------
# Layouts: the buyer's purchase order and goods receipts
# ---------------------------------------------------------------------------

NORTHWIND_BLUE = HexColor("#1f3864")


def northwind_letterhead(c: Any, w: float, h: float, subtitle: str) -> None:
    c.setFillColor(NORTHWIND_BLUE)
    c.rect(45, h - 66, 6, 30, stroke=0, fill=1)
    text(c, 58, h - 50, BUYER, "Helvetica-Bold", 14, color=NORTHWIND_BLUE)
    text(c, 58, h - 63, subtitle, size=8.5, color=GREY)


def layout_po(c: Any, doc: PODoc, pages: int) -> None:
    w, h = A4
    po, v = doc.po, doc.po.vendor
    left, right = 45.0, w - 45

    def footer(page: int) -> None:
        hrule(c, left, right, 60, 0.4, GREY)
        text(
            c,
            left,
            48,
            f"{BUYER} · Invalidenstraße 112 · 10115 Berlin · VAT ID {BUYER_VAT_ID}",
            size=7,
            color=GREY,
        )
        text(c, right, 48, f"{po.number} · Page {page} of {pages}", size=7, align="r", color=GREY)

    northwind_letterhead(c, w, h, "IT Procurement · Invalidenstraße 112 · 10115 Berlin")
    text(c, right, h - 52, "PURCHASE ORDER", "Helvetica-Bold", 18, "r", NORTHWIND_BLUE)
    meta = [
        ("PO number", po.number),
        ("Order date", date_de(po.date)),
        ("Currency", v.currency),
        ("Requested by", po.requester),
        ("Cost centre", "4100 IT Operations"),
    ]
    y = h - 80
    for label, value in meta:
        text(c, 400, y, label, size=8.5, color=GREY)
        text(c, right, y, value, "Helvetica-Bold" if label == "PO number" else "Helvetica", 9, "r")
        y -= 12.5
    y = h - 160
    text(c, left, y, "Supplier:", "Helvetica-Bold", 9)
    lines_at(
        c,
        left,
        y - 13,
        (v.master_name, *v.address, f"Supplier no. {v.customer_no[-4:]}"),
        size=9.5,
        leading=11.5,
    )
    text(c, 300, y, "Deliver to:", "Helvetica-Bold", 9)
    lines_at(c, 300, y - 13, po.deliver_to, size=9.5, leading=11.5)
    y -= 95
    g = Grid(
        size=8.5,
        leading=10.5,
        row_rules=True,
        rule_color=LIGHT,
        header_rule=0.8,
        header_fill=HexColor("#e9edf4"),
        pad=4,
    )
    cols = [
        Col("Line", 28, "c"),
        Col("Supplier part no.", 88),
        Col("Description", 200),
        Col("Qty", 40, "r"),
        Col("Unit price", 74, "r"),
        Col("Amount", 75, "r"),
    ]
    rows = [
        [
            [(str(i), False)],
            [(ln.sku or "", False)],
            cell_lines(ln.text, g, 200),
            [(str(ln.qty), False)],
            [(num(ln.unit_price or D("0")), False)],
            [(num(ln.amount or D("0")), False)],
        ]
        for i, ln in enumerate(doc.lines, 1)
    ]
    state = {"page": 1}

    def new_page(i: int) -> float:
        text(c, right, 78, "continued on next page", "Helvetica-Oblique", 8, "r", GREY)
        footer(state["page"])
        c.showPage()
        state["page"] += 1
        northwind_letterhead(c, w, h, f"Purchase order {po.number} (continued)")
        return h - 90

    y = draw_table(c, left, y, cols, rows, g, bottom=150, new_page=new_page)
    y -= 18
    vat_label = {
        "brightline": "VAT 19 %",
        "acme": "VAT 19 %",
        "thames": "VAT 20 %",
        "pacific": "VAT 0 % (import)",
        "kestrel": "VAT 0 % (reverse charge)",
        "elbtal": "VAT 19 %",
        "lumen": "VAT 20 %",
    }[v.key]
    for label, value, font in (
        ("Subtotal", num(doc.subtotal), "Helvetica"),
        (vat_label, num(doc.tax), "Helvetica"),
        (f"Total {v.currency}", num(doc.total), "Helvetica-Bold"),
    ):
        text(c, 430, y, label, font, 9, "r")
        text(c, right, y, value, font, 9, "r")
        y -= 13
    y -= 18
    terms = [
        "Please quote our PO number on every delivery note and invoice. Invoices without a",
        "valid PO number will be returned unpaid. Partial deliveries only after agreement.",
        f"Payment terms: {v.terms_days} days net. Send invoices to "
        "invoices@northwind-analytics.example.",
    ]
    y = lines_at(c, left, y, terms, size=8, leading=10.5)
    text(
        c, left, y - 20, f"Approved: H. Vogel, Head of IT · {date_de(po.date)}", size=8, color=GREY
    )
    footer(state["page"])
    c.showPage()


def layout_receipt_warehouse(c: Any, doc: ReceiptDoc, pages: int) -> None:
    """Warehouse GRN: fields in a two-column grid, ordered / received / open."""
    w, h = A4
    r, po = doc.receipt, doc.po
    left, right = 45.0, w - 45
    northwind_letterhead(c, w, h, "Central Warehouse Berlin · Am Borsigturm 40 · 13507 Berlin")
    text(c, right, h - 52, "GOODS RECEIPT NOTE", "Helvetica-Bold", 16, "r")
    fields = [
        ("GRN No.", r.number),
        ("Date received", r.date.isoformat()),
        ("PO number", po.number),
        ("Supplier", po.vendor.master_name),
        ("Delivery note", r.delivery_note),
        ("Received by", r.received_by),
    ]
    y = h - 100
    c.setStrokeColor(LIGHT)
    for i, (label, value) in enumerate(fields):
        x0 = left if i % 2 == 0 else 300
        yy = y - (i // 2) * 26
        c.rect(x0, yy - 20, 250, 24, stroke=1, fill=0)
        text(c, x0 + 5, yy - 12, label + ":", "Helvetica-Bold", 8.5)
        text(c, x0 + 85, yy - 12, value, size=9)
    y -= 100
    # cumulative receipts so far on this PO (this note included)
    earlier = [x for x in RECEIPTS if x.po == r.po and (x.date, x.number) <= (r.date, r.number)]
    got: dict[str, int] = {}
    for x in earlier:
        for item, qty in x.lines:
            got[item] = got.get(item, 0) + qty
    g = Grid(
        size=8.5,
        leading=10.5,
        verticals=True,
        rule_color=HexColor("#a0a0a0"),
        header_fill=HexColor("#eeeeee"),
        header_rule=0.6,
        pad=4,
    )
    cols = [
        Col("Line", 28, "c"),
        Col("PO\nline", 30, "c"),
        Col("SKU", 78),
        Col("Description", 190),
        Col("Ordered", 56, "r"),
        Col("Received", 56, "r"),
        Col("Open", 47, "r"),
    ]
    rows = [
        [
            [(str(i), False)],
            [(str(no), False)],
            [(CATALOGUE[pl.item].sku or "", False)],
            cell_lines(CATALOGUE[pl.item].po_text, g, 190),
            [(str(pl.qty), False)],
            [(str(qty), False)],
            [(str(max(pl.qty - got[pl.item], 0)), False)],
        ]
        for i, (pl, no, qty) in enumerate(doc.lines, 1)
    ]
    state = {"page": 1}

    def new_page(i: int) -> float:
        text(c, right, 70, f"Page {state['page']} of {pages}", size=7.5, align="r")
        c.showPage()
        state["page"] += 1
        text(c, left, h - 50, f"GOODS RECEIPT NOTE {r.number} (continued)", "Helvetica-Bold", 10)
        return h - 66

    y = draw_table(c, left, y, cols, rows, g, bottom=130, new_page=new_page)
    y -= 24
    text(
        c,
        left,
        y,
        "Condition of goods: packaging intact, quantities counted and checked.",
        size=8.5,
    )
    y -= 40
    for x0, label in ((left, "Received (signature)"), (300.0, "Checked by (stores supervisor)")):
        hrule(c, x0, x0 + 200, y, 0.5)
        text(c, x0, y - 10, label, size=7.5, color=GREY)
    text(c, right, 70, f"Page {state['page']} of {pages}", size=7.5, align="r")
    c.showPage()


def layout_receipt_servicedesk(c: Any, doc: ReceiptDoc, pages: int) -> None:
    """Service-desk receiving record: label above value, received quantity only."""
    w, h = A4
    r, po = doc.receipt, doc.po
    left, right = 50.0, w - 50
    text(c, left, h - 60, "Goods Received Note", "Times-Bold", 20)
    site = {
        "London": "London office, 21 Old Street",
        "Paris": "Paris office, 18 rue de la Roquette",
    }.get(r.site, "Berlin HQ - software licences")
    text(
        c,
        left,
        h - 76,
        f"Northwind Analytics - IT Service Desk · {site}",
        "Times-Italic",
        10,
        color=GREY,
    )
    text(c, right, h - 60, r.number, "Courier-Bold", 14, "r")
    meta = [
        ("Receipt ref", r.number),
        ("Received on", date_dmy_short(r.date)),
        ("Against PO", po.number),
        ("Supplier", po.vendor.master_name),
        ("Delivery ref", r.delivery_note),
        ("Logged by", r.received_by),
    ]
    y = h - 112
    for i, (label, value) in enumerate(meta):
        x0 = left + (i % 3) * 170
        yy = y - (i // 3) * 34
        text(c, x0, yy, label.upper(), "Helvetica", 6.5, color=GREY)
        text(c, x0, yy - 13, value, "Times-Roman", 11)
    y -= 86
    hrule(c, left, right, y, 1.0)
    g = Grid(
        font="Times-Roman",
        bold="Times-Bold",
        size=10,
        leading=12,
        header_rule=0.6,
        row_rules=True,
        rule_color=LIGHT,
        pad=4,
    )
    cols = [
        Col("Item", 250),
        Col("Part no.", 100),
        Col("Qty received", 70, "r"),
        Col("Condition", 75),
    ]
    rows = [
        [
            cell_lines(CATALOGUE[pl.item].po_text, g, 250),
            [(CATALOGUE[pl.item].sku or "", False)],
            [(str(qty), False)],
            [("OK" if qty <= pl.qty else "OK - see note", False)],
        ]
        for pl, _, qty in doc.lines
    ]
    y = draw_table(c, left, y - 8, cols, rows, g, bottom=120, new_page=lambda i: 0.0)
    notes = []
    for pl, _, qty in doc.lines:
        if qty < pl.qty:
            notes.append(f"{CATALOGUE[pl.item].po_text}: {pl.qty - qty} outstanding, back-ordered.")
        if qty > pl.qty:
            notes.append(
                f"{CATALOGUE[pl.item].po_text}: {qty - pl.qty} more than ordered, accepted."
            )
    note = "Notes: " + (" ".join(notes) if notes else "none")
    lines_at(c, left, y - 24, wrap(note, "Times-Italic", 9.5, right - left), "Times-Italic", 9.5)
    text(c, left, 60, "Internal document - not an invoice.", "Times-Italic", 8, color=GREY)
    text(c, right, 60, f"{pages} page(s)", "Times-Roman", 8, "r", GREY)
    c.showPage()


def write_po(path: Path, doc: PODoc) -> None:
    render(
        path,
        A4,
        lambda c, n: layout_po(c, doc, n),
        title=f"Purchase order {doc.po.number}",
        author=BUYER,
    )


def write_receipt(path: Path, doc: ReceiptDoc) -> None:
    draw = (
        layout_receipt_warehouse
        if doc.receipt.layout == "warehouse"
        else layout_receipt_servicedesk
    )
    render(
        path,
        A4,
        lambda c, n: draw(c, doc, n),
        title=f"Goods receipt {doc.receipt.number}",
        author=BUYER,
    )


# ---------------------------------------------------------------------------
# Broken and hostile files (bad/)
# ---------------------------------------------------------------------------


def pdf_from_objects(objects: Sequence[bytes], root: int = 1) -> bytes:
    """Assemble a PDF by hand from numbered objects (1..n) with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n".encode()
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\n".encode()
    out += f"startxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def zero_pages_pdf() -> bytes:
    return pdf_from_objects(
        [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    )


def many_pages_pdf(n: int = 2000) -> bytes:
    """n pages that all share one content stream and one font."""
    content = b"BT /F1 11 Tf 72 770 Td (Northwind Analytics - test page, intentionally blank) Tj ET"
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # the page tree, filled in below
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    first = len(objs) + 1
    for _ in range(n):
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>"
        )
    kids = " ".join(f"{first + i} 0 R" for i in range(n))
    objs[1] = f"<< /Type /Pages /Count {n} /Kids [{kids}] >>".encode()
    return pdf_from_objects(objs)


def corrupt_pdf() -> bytes:
    """A PDF header, the start of an object, then noise; no xref, no trailer."""
    rng = random.Random(20261031)
    noise = bytes(rng.randrange(256) for _ in range(3000))
    head = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    head += b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n3 0 obj\n<< /Type /Pa"
    return head + noise


# ---------------------------------------------------------------------------
# Invoices that arrive as scans or as e-invoices
# ---------------------------------------------------------------------------


def scan_picture(
    source_pdf: bytes, *, dpi: int, angle: float, noise: float, seed: int
) -> Image.Image:
    """Page 1 as a flatbed scanner gives it: greyscale at ``dpi``, turned by
    ``angle`` degrees, on slightly grey paper, with seeded sensor noise of
    ``noise`` grey levels and the slight blur of the scanner's optics.

    PDFium is not thread-safe; the generator renders in its one thread.
    """
    import numpy as np  # heavy imports, only needed here
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(source_pdf)
    try:
        image = pdf[0].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        pdf.close()
    image = image.convert("L").rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    pixels = np.asarray(image, dtype=np.float64) * 0.9 + 14  # paper tone, faded ink
    pixels += np.random.default_rng(seed).normal(0.0, noise, pixels.shape)
    image = Image.fromarray(np.clip(np.rint(pixels), 0, 255).astype(np.uint8), mode="L")
    return image.filter(ImageFilter.GaussianBlur(0.6))


def scan_jpeg(source_pdf: bytes, seed: int) -> bytes:
    """A 200 dpi greyscale JPEG (quality 80) of a slightly skewed, noisy scan
    (about 330 KB for a one-page invoice)."""
    image = scan_picture(source_pdf, dpi=200, angle=-0.8, noise=3.0, seed=seed)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80, dpi=(200, 200), optimize=False)
    return out.getvalue()


def scan_image_pdf(source_pdf: bytes, seed: int) -> bytes:
    """An image-only PDF, as a scanner's "scan to PDF" makes it: a 300 dpi
    greyscale picture of the page and no text layer."""
    image = scan_picture(source_pdf, dpi=300, angle=0.5, noise=2.0, seed=seed)
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=70, dpi=(300, 300), optimize=False)
    jpeg.seek(0)
    out = io.BytesIO()
    w, h = A4
    c = Canvas(out, pagesize=A4, invariant=1, pageCompression=0)
    c.setCreator("Canon DR-C225 II / CaptureOnTouch")
    c.drawImage(ImageReader(jpeg), 0, 0, width=w, height=h)
    c.showPage()
    c.save()
    return out.getvalue()


#: Where each vendor is established (the e-invoice seller's country).
VENDOR_COUNTRY = {
    "brightline": "DE",
    "pacific": "US",
    "thames": "GB",
    "kestrel": "NL",
    "acme": "DE",
    "elbtal": "DE",
    "lumen": "FR",
}


def einvoice_source(doc: InvoiceDoc) -> dict[str, Any]:
    """The ground-truth dict plus what an e-invoice states besides (seller's
    country and VAT ID, the rate, the buyer); a description printed on two
    lines becomes the item's name and its description."""
    data = invoice_json(doc)
    data.update(
        tax_rate=str(int(doc.tax_rate * 100)),
        vendor_country=VENDOR_COUNTRY[doc.vendor.key],
        vendor_vat_id=doc.vendor.vat_id,
        buyer=BUYER,
    )
    for line, printed in zip(data["lines"], doc.lines, strict=True):
        name, _, more = printed.text.partition("\n")
        if more:
            line.update(name=fold(name), item_description=fold(more))
    return data


def write_invoice_file(path: Path, doc: InvoiceDoc, seed: int) -> None:
    """The invoice as it arrives: a text PDF, a scan, or an e-invoice."""
    delivery = doc.case.delivery
    if delivery == "pdf":
        write_invoice(path, doc)
        return
    if delivery == "ubl":
        from einvoices import build_ubl

        path.write_bytes(build_ubl(einvoice_source(doc), credit_note=doc.case.credit_note))
        return
    visual = io.BytesIO()  # the digital PDF behind a scan or a Factur-X; never written
    write_invoice(visual, doc)
    if delivery == "facturx":
        from einvoices import build_cii, embed_facturx

        path.write_bytes(embed_facturx(visual.getvalue(), build_cii(einvoice_source(doc))))
    elif delivery == "scan_jpeg":
        path.write_bytes(scan_jpeg(visual.getvalue(), seed))
    else:
        path.write_bytes(scan_image_pdf(visual.getvalue(), seed))


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(side: int = 50_000) -> bytes:
    """A PNG whose header claims side x side pixels (2.5 gigapixels at 50,000)
    over a few bytes of data: a decoder that trusts the header allocates it all."""
    import struct
    import zlib

    header = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)  # 8-bit greyscale
    data = zlib.compress(b"\x00" * (side + 1) * 4, 9)  # the first rows only
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def truncated_jpeg() -> bytes:
    """A real JPEG cut off after a third of its bytes (a broken download)."""
    image = Image.new("L", (600, 400), 245)
    for x in range(40, 560, 4):
        for y in range(60, 340, 40):
            image.putpixel((x, y), 30)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    data = out.getvalue()
    return data[: len(data) // 3]


def many_pages_tiff(pages: int = 500) -> bytes:
    """A 500-page TIFF of tiny white pages: cheap to store, costly to OCR."""
    frames = [Image.new("1", (16, 16), 1) for _ in range(pages)]
    out = io.BytesIO()
    frames[0].save(out, format="TIFF", save_all=True, append_images=frames[1:], compression="raw")
    return out.getvalue()


def blank_png() -> bytes:
    """A blank scanned page: A4 at 100 dpi, paper grey with scanner noise."""
    rng = random.Random(4711)
    image = Image.new("L", (827, 1169), 238)
    for _ in range(400):
        image.putpixel((rng.randrange(827), rng.randrange(1169)), rng.randrange(200, 250))
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()


def photo_jpeg() -> bytes:
    """A photo with no text in it (a gradient sky over a darker ground, with grain)."""
    rng = random.Random(2026)
    width, height = 640, 480
    image = Image.new("RGB", (width, height))
    pixels = image.load()
    assert pixels is not None
    for y in range(height):
        for x in range(width):
            base = (120 + y // 4, 160 + y // 6, 230 - y // 5) if y < 300 else (70, 90 + x // 20, 40)
            grain = rng.randrange(-12, 13)
            pixels[x, y] = tuple(max(0, min(255, c + grain)) for c in base)
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=75)
    return out.getvalue()


def png_bytes() -> bytes:
    """A small PNG (a scanned receipt thumbnail, more or less)."""
    img = Image.new("L", (240, 150), 245)
    for yy in range(24, 136, 12):
        for xx in range(16, 224):
            if (xx * 7 + yy * 3) % 23 < 15:
                img.putpixel((xx, yy), 60)
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=0)  # stored blocks: same bytes with any zlib
    return buf.getvalue()


def encrypted_pdf(path: Path) -> None:
    from reportlab.lib import pdfencrypt

    # The encryption salt comes from a fixed table in invariant mode; reset its
    # cursor so the bytes do not depend on what ran before in this process.
    pdfencrypt._os_random_x = 0
    enc = pdfencrypt.StandardEncryption(
        "invoice-2026",
        ownerPassword="brightline-owner",
        canPrint=1,
        canModify=0,
        canCopy=0,
        strength=128,
    )
    write_invoice(path, build_invoice(ENCRYPTED_CASE), encrypt=enc)


# ---------------------------------------------------------------------------
# Reference reconciliation: the rules, applied to the scenario data
# ---------------------------------------------------------------------------

TOLERANCE = Decimal("0.02")
ASSET_THRESHOLD = Decimal("100.00")


@dataclass(slots=True)
class Truth:
    matches: list[dict[str, Any]] = field(default_factory=list)
    discrepancies: list[dict[str, Any]] = field(default_factory=list)
    assets: list[dict[str, Any]] = field(default_factory=list)


def reconcile_reference(invoices: Sequence[InvoiceDoc], receipts: Sequence[ReceiptDoc]) -> Truth:
    """Apply the reconciliation rules to what the generator knows it printed.

    Choices the rules leave open, made explicit here:

    - Which invoice line belongs to which PO line is known (same catalogue
      item); the matcher has to find it from SKUs and descriptions.
    - A duplicate's ``po`` is the PO it cites; ``no_po`` has ``po`` null.
    - Invoices held by vendor, currency or total mismatches still get their
      line matches and count towards invoiced quantities; only the asset
      register skips them.
    - The cumulative checks run in (invoice date, file name) order; the
      scenario avoids ties and avoids lines that are already over the limit.
    - Credit notes get the same header checks, then net against their PO
      lines before any invoice counts, whatever their date (README: credit
      notes). Their lines are matched like invoice lines, without a receipt
      (a credit receives nothing); they get no price, quantity or receipt
      checks and register no assets. An invoice and a credit note may share a
      number without being duplicates.
    - A credit note whose credited invoice is not among the month's invoices
      of its vendor (or that names none) gets ``unknown_credited_invoice``
      with its PO; it is matched and nets all the same.
    - An invoice citing several POs: each line belongs to the PO that ordered
      its item (the scenario orders each item on one of them only); a
      discrepancy about a line names that line's PO, one about the invoice
      names the first PO cited.
    """
    truth = Truth()
    # received per PO line, and the first receipt line that received it
    received: dict[tuple[str, str], int] = {}
    first_receipt: dict[tuple[str, str], tuple[str, int]] = {}
    for rd in sorted(receipts, key=lambda x: (x.receipt.date, x.source)):
        for line_no, (pl, _, qty) in enumerate(rd.lines, 1):
            k = (rd.po.number, pl.item)
            received[k] = received.get(k, 0) + qty
            first_receipt.setdefault(k, (rd.receipt.number, line_no))
    # duplicates: file name order decides which copy is the later one
    seen: set[tuple[str, str, str]] = set()
    duplicates: set[str] = set()
    for inv in sorted(invoices, key=lambda x: x.source):
        k2 = (inv.kind, inv.vendor.key, inv.case.number)
        if k2 in seen:
            duplicates.add(inv.source)
        seen.add(k2)

    def disc(t: str, inv: InvoiceDoc, line: int | None, po: str | None) -> None:
        truth.discrepancies.append(
            {
                "type": t,
                "invoice_source": inv.source,
                "invoice": inv.case.number,
                "invoice_line": line,
                "po": po,
            }
        )

    on_file = {(x.vendor.key, x.case.number) for x in invoices if not x.case.credit_note}

    def header_checks(inv: InvoiceDoc) -> tuple[PO, dict[str, tuple[PO, int]], bool] | None:
        """The first PO an original cites, where each item it may bill is
        ordered (PO and line), and whether a header discrepancy holds it."""
        pos = [PO_BY_NUMBER[n] for n in inv.case.cited if n in PO_BY_NUMBER]
        po = pos[0] if pos else None
        if inv.source in duplicates:
            disc("duplicate_invoice", inv, None, po.number if po else None)
            return None
        header = False
        if inv.case.credit_note and (inv.vendor.key, inv.case.credits) not in on_file:
            disc("unknown_credited_invoice", inv, None, po.number if po else None)
            header = True
        if po is None:
            disc("no_po", inv, None, None)
            return None
        assert len(pos) == len(inv.case.cited), "a cited PO missing: not in this scenario"
        where: dict[str, tuple[PO, int]] = {}
        for cited in pos:
            for i, ln in enumerate(cited.lines, 1):
                assert ln.item not in where, "keep several-PO cases unambiguous"
                where[ln.item] = (cited, i)
        header = False
        if inv.vendor.key != po.vendor.key:
            disc("vendor_mismatch", inv, None, po.number)
            header = True
        if inv.currency != po.vendor.currency:
            disc("currency_mismatch", inv, None, po.number)
            header = True
        line_sum = sum((ln.amount or D("0") for ln in inv.lines), D("0"))
        if abs(inv.total - (line_sum + inv.tax)) > CENT or abs(inv.subtotal - line_sum) > CENT:
            disc("total_mismatch", inv, None, po.number)
            header = True
        return po, where, header

    def match(
        inv: InvoiceDoc, line_no: int, po: PO, po_line: int, rec: tuple[str, int] | None
    ) -> None:
        truth.matches.append(
            {
                "invoice_source": inv.source,
                "invoice": inv.case.number,
                "invoice_line": line_no,
                "po": po.number,
                "po_line": po_line,
                "receipt": rec[0] if rec else None,
                "receipt_line": rec[1] if rec else None,
            }
        )

    invoiced: dict[tuple[str, str], int] = {}
    in_date_order = sorted(invoices, key=lambda x: (x.case.date, x.source))
    for inv in (x for x in in_date_order if x.case.credit_note):
        checked = header_checks(inv)
        if checked is None:
            continue
        first_po, where, _ = checked
        for line_no, spec in enumerate(inv.case.lines, 1):
            if spec.item not in where:
                disc("unmatched_line", inv, line_no, first_po.number)
                continue
            po, po_line_no = where[spec.item]
            k = (po.number, spec.item)
            invoiced[k] = invoiced.get(k, 0) - spec.qty
            match(inv, line_no, po, po_line_no, None)
    for inv in (x for x in in_date_order if not x.case.credit_note):
        case = inv.case
        checked = header_checks(inv)
        if checked is None:
            continue
        first_po, where, header = checked
        for line_no, (spec, printed) in enumerate(zip(case.lines, inv.lines, strict=True), 1):
            if spec.item not in where:
                disc("unmatched_line", inv, line_no, first_po.number)
                continue
            po, po_line_no = where[spec.item]
            k = (po.number, spec.item)
            po_line = po.lines[po_line_no - 1]
            ordered_price = po_price(po, spec.item) or D("0")
            rec = first_receipt.get(k)
            match(inv, line_no, po, po_line_no, rec)
            bad = False
            price = printed.unit_price or D("0")
            if abs(price - ordered_price) / ordered_price > TOLERANCE:
                disc("price_variance", inv, line_no, po.number)
                bad = True
            before = invoiced.get(k, 0)
            invoiced[k] = before + spec.qty
            if invoiced[k] > po_line.qty:
                assert before <= po_line.qty, "keep quantity cases unambiguous"
                disc("quantity_variance", inv, line_no, po.number)
                bad = True
            if invoiced[k] > received.get(k, 0):
                assert before <= received.get(k, 0), "keep receipt cases unambiguous"
                disc("not_received", inv, line_no, po.number)
                bad = True
            if not header and not bad and rec is not None and price >= ASSET_THRESHOLD:
                truth.assets.append(
                    {
                        "invoice_source": inv.source,
                        "invoice": case.number,
                        "invoice_line": line_no,
                        "units": spec.qty,
                    }
                )

    def key(r: dict[str, Any]) -> tuple[str, int]:
        return (r["invoice_source"], r["invoice_line"] or 0)

    truth.matches.sort(key=key)
    truth.assets.sort(key=key)
    truth.discrepancies.sort(key=lambda r: (*key(r), r["type"]))
    return truth


# ---------------------------------------------------------------------------
# Ground truth documents
# ---------------------------------------------------------------------------


def money_str(x: Decimal | None) -> str | None:
    return None if x is None else str(q2(x))


def line_json(i: int, ln: PrintedLine, qty: int, priced: bool) -> dict[str, Any]:
    return {
        "line_no": i,
        "sku": ln.sku,
        "description": fold(ln.text.replace("\n", " ")),
        "quantity": str(qty),
        "unit_price": money_str(ln.unit_price) if priced else None,
        "amount": money_str(ln.amount) if priced else None,
    }


def invoice_json(doc: InvoiceDoc) -> dict[str, Any]:
    return {
        "kind": doc.kind,
        "format": doc.format,
        "source": doc.source,
        "vendor": doc.vendor.name,
        "number": doc.case.number,
        "date": doc.case.date.isoformat(),
        "po_number": doc.case.po_ref,
        "po_numbers": list(doc.case.cited),
        "credited_invoice": doc.case.credits,
        "currency": doc.currency,
        "subtotal": money_str(doc.subtotal),
        "tax": money_str(doc.tax),
        "total": money_str(doc.total),
        "lines": [line_json(i, ln, ln.qty, True) for i, ln in enumerate(doc.lines, 1)],
    }


def po_json(doc: PODoc) -> dict[str, Any]:
    return {
        "kind": "po",
        "format": "digital",
        "source": doc.source,
        "vendor": doc.po.vendor.master_name,
        "number": doc.po.number,
        "date": doc.po.date.isoformat(),
        "po_number": None,
        "po_numbers": [],
        "credited_invoice": None,
        "currency": doc.po.vendor.currency,
        "subtotal": money_str(doc.subtotal),
        "tax": money_str(doc.tax),
        "total": money_str(doc.total),
        "lines": [line_json(i, ln, ln.qty, True) for i, ln in enumerate(doc.lines, 1)],
    }


def receipt_json(doc: ReceiptDoc) -> dict[str, Any]:
    lines = []
    for i, (pl, _, qty) in enumerate(doc.lines, 1):
        it = CATALOGUE[pl.item]
        lines.append(
            line_json(i, PrintedLine(it.sku, it.po_text, qty, it.unit, None, None), qty, False)
        )
    return {
        "kind": "receipt",
        "format": "digital",
        "source": doc.source,
        "vendor": doc.po.vendor.master_name,
        "number": doc.receipt.number,
        "date": doc.receipt.date.isoformat(),
        "po_number": doc.po.number,
        "po_numbers": [doc.po.number],
        "credited_invoice": None,
        "currency": None,
        "subtotal": None,
        "tax": None,
        "total": None,
        "lines": lines,
    }


QUARANTINE = (
    ("blank.png", "not_a_document"),
    ("bomb.png", "hostile"),
    ("corrupt.pdf", "corrupt"),
    ("empty.pdf", "empty"),
    ("encrypted.pdf", "encrypted"),
    # a picture without text, named .pdf: read as the image it is, no invoice in it
    ("image-named.pdf", "not_a_document"),
    ("many-pages.pdf", "too_many_pages"),
    ("many-pages.tif", "too_many_pages"),
    ("photo.jpg", "not_a_document"),
    ("truncated.jpg", "corrupt"),
    ("zero-pages.pdf", "no_pages"),
)


# ---------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------


def check_scenario(invoices: Sequence[InvoiceDoc], truth: Truth) -> None:
    """Guard the promises the samples make (every type, enough clean invoices)."""
    types = {x["type"] for x in truth.discrepancies}
    expected = {
        "no_po",
        "unmatched_line",
        "price_variance",
        "quantity_variance",
        "not_received",
        "duplicate_invoice",
        "total_mismatch",
        "vendor_mismatch",
        "currency_mismatch",
        "unknown_credited_invoice",
    }
    assert types == expected, f"types covered: {sorted(types)}"
    dirty = {x["invoice_source"] for x in truth.discrepancies}
    clean = [i for i in invoices if i.source not in dirty]
    assert len(clean) >= 8, f"only {len(clean)} clean invoices"
    assert len({i.source for i in invoices}) == len(invoices), "file names must be unique"
    for inv in invoices:
        if inv.case.copy:
            original = inv.source.replace("_copy", "")
            assert original < inv.source, "a copy must sort after its original"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=HERE, help="output folder (default: %(default)s)"
    )
    args = parser.parse_args(argv)
    out: Path = args.out
    folders = {name: out / name for name in ("pos", "receipts", "invoices", "bad")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.iterdir():  # stale samples from an older scenario
            if old.is_file():
                old.unlink()

    po_docs = [build_po(p) for p in POS]
    receipt_docs = [build_receipt(r) for r in RECEIPTS]
    invoice_docs = [build_invoice(case) for case in CASES]
    for pd in po_docs:
        write_po(folders["pos"] / pd.source, pd)
    for rd in receipt_docs:
        write_receipt(folders["receipts"] / rd.source, rd)
    for seed, inv in enumerate(invoice_docs, 1):
        write_invoice_file(folders["invoices"] / inv.source, inv, seed)

    bad = folders["bad"]
    (bad / "empty.pdf").write_bytes(b"")
    (bad / "corrupt.pdf").write_bytes(corrupt_pdf())
    (bad / "zero-pages.pdf").write_bytes(zero_pages_pdf())
    (bad / "many-pages.pdf").write_bytes(many_pages_pdf())
    (bad / "image-named.pdf").write_bytes(png_bytes())
    encrypted_pdf(bad / "encrypted.pdf")
    (bad / "bomb.png").write_bytes(bomb_png())
    (bad / "truncated.jpg").write_bytes(truncated_jpeg())
    (bad / "many-pages.tif").write_bytes(many_pages_tiff())
    (bad / "blank.png").write_bytes(blank_png())
    (bad / "photo.jpg").write_bytes(photo_jpeg())

    truth = reconcile_reference(invoice_docs, receipt_docs)
    check_scenario(invoice_docs, truth)
    documents = (
        [po_json(x) for x in sorted(po_docs, key=lambda x: x.source)]
        + [receipt_json(x) for x in sorted(receipt_docs, key=lambda x: x.source)]
        + [invoice_json(x) for x in sorted(invoice_docs, key=lambda x: x.source)]
    )
    ground_truth = {
        "documents": documents,
        "matches": truth.matches,
        "discrepancies": truth.discrepancies,
        "assets": truth.assets,
        "quarantine": [{"source": s, "code": code} for s, code in QUARANTINE],
    }
    (out / "ground_truth.json").write_text(
        json.dumps(ground_truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(
        f"wrote {len(po_docs)} POs, {len(receipt_docs)} receipts, {len(invoice_docs)} invoices, "
        f"{len(QUARANTINE)} bad files and ground_truth.json to {out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
