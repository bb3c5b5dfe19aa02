"""Safe XML parsing and the small readers the CII and UBL mappings share.

An e-invoice is untrusted XML from outside the company. :func:`parse_xml`
parses it with defusedxml: a document that declares entities (billion laughs,
quadratic blow-up, XXE pointing at a local file or a URL) is refused as
HOSTILE before anything is expanded or fetched, malformed XML is CORRUPT.
Nothing here opens files, sockets or the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as safe_et

from extractors.types import ErrorCode, ExtractionError, Field

CII_NS = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM_NS = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
UDT_NS = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
UBL_INVOICE_NS = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
UBL_CREDIT_NOTE_NS = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC_NS = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"
ZUGFERD1_NS = "urn:ferd:CrossIndustryDocument:invoice:1p0"

_RESEND = "ask the vendor to resend the e-invoice"

# Known roots that are XML business documents but not invoices recon reads,
# so the quarantine reason can say what the file is.
_KNOWN_OTHER: dict[tuple[str, str], str] = {
    (ZUGFERD1_NS, "CrossIndustryDocument"): (
        "a ZUGFeRD 1.0 invoice (CrossIndustryDocument), which recon does not read; "
        "ask the vendor for ZUGFeRD 2.x / Factur-X or XRechnung"
    ),
    (
        "urn:un:unece:uncefact:data:SCRDMCCBDACIOMessageStructure:100",
        "SCRDMCCBDACIOMessageStructure",
    ): "an Order-X purchase order, not an invoice",
    ("urn:oasis:names:specification:ubl:schema:xsd:Order-2", "Order"): (
        "a UBL purchase order, not an invoice"
    ),
    ("urn:oasis:names:specification:ubl:schema:xsd:DespatchAdvice-2", "DespatchAdvice"): (
        "a UBL despatch advice (delivery note), not an invoice"
    ),
}

CREDIT_TYPE_CODES = frozenset(
    {"81", "83", "261", "262", "296", "308", "381", "396", "420", "458", "532"}
)
"""UNTDID 1001 document type codes that mean a credit (EN 16931 BT-3)."""


class Syntax(StrEnum):
    """Which EN 16931 syntax a document is written in."""

    CII = "cii"
    UBL_INVOICE = "ubl-invoice"
    UBL_CREDIT_NOTE = "ubl-credit-note"


def parse_xml(data: bytes, *, filename: str) -> Element:
    """The document's root element; entity declarations and broken XML are refused.

    Raises
    ------
    ExtractionError
        HOSTILE when the document declares entities or references external
        ones (nothing is expanded or read), CORRUPT when it is not well-formed.
    """
    try:
        return safe_et.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        # The exception text names the entity and its system id, never its
        # content; still, the reason stays generic so nothing hostile is echoed.
        raise ExtractionError(
            ErrorCode.HOSTILE,
            f"{filename} is XML that declares entities ({type(exc).__name__}): the "
            "pattern of entity-expansion ('billion laughs') and external-entity (XXE) "
            "attacks, which no e-invoice needs. recon refused it without expanding or "
            f"fetching anything; {_RESEND} as plain UBL or CII XML",
        ) from None
    except ParseError as exc:
        line, column = exc.position
        raise ExtractionError(
            ErrorCode.CORRUPT,
            f"{filename} is damaged XML (not well-formed at line {line}, column {column}: "
            f"{_first_words(str(exc))}); {_RESEND}",
        ) from None
    except (LookupError, ValueError) as exc:  # e.g. an encoding Python does not know
        raise ExtractionError(
            ErrorCode.CORRUPT,
            f"{filename} is XML recon cannot decode ({_first_words(str(exc))}); {_RESEND}",
        ) from None


def identify(root: Element) -> Syntax | None:
    """CII or UBL from the root element's name, or None for any other XML."""
    ns, name = split_tag(root.tag)
    if ns == CII_NS and name == "CrossIndustryInvoice":
        return Syntax.CII
    if ns == UBL_INVOICE_NS and name == "Invoice":
        return Syntax.UBL_INVOICE
    if ns == UBL_CREDIT_NOTE_NS and name == "CreditNote":
        return Syntax.UBL_CREDIT_NOTE
    return None


def describe_root(root: Element) -> str:
    """What a non-invoice XML document is, for a quarantine reason."""
    ns, name = split_tag(root.tag)
    known = _KNOWN_OTHER.get((ns, name))
    if known is not None:
        return known
    where = f" in namespace {ns}" if ns else " without a namespace"
    return (
        f"XML with root element <{name}>{where}, not a UBL Invoice/CreditNote or a "
        "CII CrossIndustryInvoice"
    )


def split_tag(tag: str) -> tuple[str, str]:
    """``{ns}name`` as (ns, name); ("", name) without a namespace."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


@dataclass(frozen=True, slots=True)
class XmlReader:
    """Typed look-ups in one document, with reasons that name the element.

    Every value read becomes a :class:`Field` with confidence 1.0 (the XML is
    the source of truth), no box (it is not printed anywhere) and the
    EN 16931 business term as its label, e.g. ``"BT-1 invoice number"``.
    """

    filename: str
    namespaces: dict[str, str]

    def text(self, parent: Element, path: str) -> str | None:
        """The stripped text at ``path``; None when absent or blank."""
        el = parent.find(path, self.namespaces)
        if el is None or el.text is None:
            return None
        value = el.text.strip()
        return value or None

    def required(self, parent: Element, path: str, term: str) -> str:
        """The text at ``path``; its absence makes the whole e-invoice CORRUPT."""
        value = self.text(parent, path)
        if value is None:
            raise ExtractionError(
                ErrorCode.CORRUPT,
                f"{self.filename} is an invalid e-invoice: {term} is missing; {_RESEND}",
            )
        return value

    def first_text(self, parent: Element, *paths: str) -> str | None:
        for path in paths:
            value = self.text(parent, path)
            if value is not None:
                return value
        return None

    def decimal(self, raw: str, term: str) -> Decimal:
        """``raw`` as a Decimal; a non-number makes the whole e-invoice CORRUPT."""
        try:
            value = Decimal(raw)
        except InvalidOperation:
            value = Decimal("NaN")
        if not value.is_finite():
            raise ExtractionError(
                ErrorCode.CORRUPT,
                f"{self.filename} is an invalid e-invoice: {term} is {raw[:40]!r}, "
                f"not a number; {_RESEND}",
            )
        return value

    def str_field(self, parent: Element, path: str, term: str) -> Field[str] | None:
        raw = self.text(parent, path)
        if raw is None:
            return None
        return Field(" ".join(raw.split()), raw, 1.0, label=term)

    def decimal_field(
        self, parent: Element, path: str, term: str, *, currency: str | None = None
    ) -> Field[Decimal] | None:
        """An amount; with ``currency``, the element whose currencyID matches
        (CII and UBL may repeat a tax total in the accounting currency)."""
        elements = parent.findall(path, self.namespaces)
        if currency is not None and len(elements) > 1:
            matching = [e for e in elements if e.get("currencyID") in (None, currency)]
            elements = matching or elements
        for el in elements:
            raw = (el.text or "").strip()
            if raw:
                return Field(self.decimal(raw, term), raw, 1.0, label=term)
        return None

    def date_field(self, raw: str | None, term: str, *, fmt: str) -> Field[date] | None:
        """A date in ``fmt`` "102" (CII, YYYYMMDD) or "iso" (UBL, YYYY-MM-DD[zone])."""
        if raw is None:
            return None
        digits = raw[:8] if fmt == "102" else raw[:10].replace("-", "")
        if len(digits) != 8 or not digits.isdigit():
            raise self._bad_date(raw, term)
        try:
            value = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
        except ValueError:
            raise self._bad_date(raw, term) from None
        return Field(value, raw, 1.0, label=term)

    def _bad_date(self, raw: str, term: str) -> ExtractionError:
        return ExtractionError(
            ErrorCode.CORRUPT,
            f"{self.filename} is an invalid e-invoice: {term} is {raw[:40]!r}, "
            f"not a date; {_RESEND}",
        )


def unit_price(price: Decimal, basis: Decimal | None) -> Decimal:
    """Net price per single unit: the price divided by its basis quantity.

    EN 16931 lets a price apply to a basis quantity (BT-149), e.g. 12.50 per
    1000 screws; recon compares per-unit prices, so 0.0125 is returned.
    """
    if basis is None or basis in (0, 1):
        return price
    return price / basis


def join_description(name: str | None, description: str | None) -> str:
    """Item name and item description joined with a space, whitespace collapsed."""
    parts = [" ".join(p.split()) for p in (name, description) if p]
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return " ".join(p for p in parts if p)


def _first_words(message: str) -> str:
    return message.split(":", 1)[0].strip()[:80] or "syntax error"
