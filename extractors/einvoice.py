"""The structured e-invoice extractor: EN 16931 XML, standalone or inside a PDF.

Reads UBL 2.1 Invoice/CreditNote (Peppol BIS Billing 3.0, XRechnung UBL) and
UN/CEFACT CII (XRechnung CII) ``.xml`` files, and the CII that a Factur-X /
ZUGFeRD 2.x PDF/A-3 (or a PDF carrying ``xrechnung.xml``) embeds. When a PDF
carries the XML, the XML is the source of truth: every value comes from it
with confidence 1.0, and the page's words are kept only for the reviewer.
:meth:`EInvoiceExtractor.score` returns :data:`STRUCTURED_SCORE` (above the
1.0 of the text-PDF extractor) for such PDFs, so the registry prefers them.

The ``extractor`` of the document says which source was used:
``einvoice-cii-facturx`` (CII attached to a PDF), ``einvoice-ubl-pdf`` (UBL
attached to a PDF), ``einvoice-cii`` and ``einvoice-ubl`` (standalone XML);
a note names the attachment and the profile.

XML is parsed with defusedxml (see :mod:`extractors.einvoice_xml`): nothing
is ever fetched or expanded. No database access here.
"""

from __future__ import annotations

import dataclasses
from xml.etree.ElementTree import Element

from extractors.einvoice_cii import read_cii
from extractors.einvoice_pdf import Attachment, open_pdf, read_attachment, xml_attachments
from extractors.einvoice_ubl import read_ubl
from extractors.einvoice_xml import Syntax, describe_root, identify, parse_xml
from extractors.pdf import count_pages, read_words
from extractors.settings import ExtractionSettings
from extractors.sniff import PDF, XML, sniff_mime
from extractors.types import (
    DocumentKind,
    ErrorCode,
    ExtractedDocument,
    ExtractionError,
    Word,
)

NAME = "einvoice"

STRUCTURED_SCORE = 1.5
"""Score for a PDF carrying e-invoice XML: beats the text layer (1.0) and OCR."""

_XML_SCORE = 1.0
_OTHER_XML_SCORE = 0.1  # no other extractor reads XML: extract() says what it is


class EInvoiceExtractor:
    """UBL / CII e-invoices, as ``.xml`` files or attached to a PDF."""

    name = NAME
    mime_types = frozenset({PDF, XML})

    def score(self, data: bytes, mime: str, *, settings: ExtractionSettings | None = None) -> float:
        """1.5 for a PDF with e-invoice XML attached, 1.0 for UBL/CII XML.

        A PDF without such an attachment scores 0 (the text or OCR extractor
        reads it), and so does one whose standard-named attachment is some other
        XML (ZUGFeRD 1.0). One whose attachment is hostile or damaged still
        scores 1.5, so :meth:`extract` quarantines it instead of the page being
        read as if nothing were wrong. Other XML scores 0.1: no extractor does
        better, and :meth:`extract` says what it is.
        """
        if mime == XML:
            try:
                root = parse_xml(data, filename="the file")
            except ExtractionError:
                return _OTHER_XML_SCORE
            return _XML_SCORE if identify(root) is not None else _OTHER_XML_SCORE
        if mime != PDF:
            return 0.0
        try:
            cap = (settings or ExtractionSettings()).max_inflated_bytes
            found = _find_in_pdf(data, "the file", cap)
        except ExtractionError as exc:
            # Hostile or damaged: quarantine. Well-formed but not UBL/CII (a
            # ZUGFeRD 1.0 attachment): the page is still an invoice to read.
            return 0.0 if exc.code is ErrorCode.UNSUPPORTED_TYPE else STRUCTURED_SCORE
        return 0.0 if found is None else STRUCTURED_SCORE

    def extract(
        self,
        data: bytes,
        *,
        filename: str,
        kind_hint: DocumentKind | None,
        settings: ExtractionSettings,
    ) -> ExtractedDocument:
        """Read the e-invoice; raise ExtractionError saying what to do when it cannot."""
        if not data:
            raise ExtractionError(
                ErrorCode.EMPTY,
                f"{filename} is empty (0 bytes); re-download it or ask the sender to resend it",
            )
        mime = sniff_mime(data)
        if mime == XML:
            doc = _read_xml(data, filename=filename)
        elif mime == PDF:
            doc = _read_pdf(data, filename=filename, settings=settings)
        else:
            raise ExtractionError(
                ErrorCode.UNSUPPORTED_TYPE,
                f"{filename} is {mime}, not an XML e-invoice or a PDF carrying one",
            )
        if kind_hint is not None and kind_hint is not doc.kind:
            doc = dataclasses.replace(
                doc,
                notes=(
                    *doc.notes,
                    f"filed as {kind_hint.value}, but the e-invoice says {doc.kind.value}; "
                    "the e-invoice wins",
                ),
            )
        return doc


def _read_xml(data: bytes, *, filename: str) -> ExtractedDocument:
    root = parse_xml(data, filename=filename)
    syntax = identify(root)
    if syntax is None:
        raise ExtractionError(
            ErrorCode.UNSUPPORTED_TYPE,
            f"{filename} is {describe_root(root)}; recon reads e-invoices in UBL 2.1 "
            "(Peppol BIS, XRechnung) and CII (Factur-X, ZUGFeRD 2.x, XRechnung)",
        )
    extractor = "einvoice-cii" if syntax is Syntax.CII else "einvoice-ubl"
    return _read(root, syntax, filename=filename, extractor=extractor, page_count=0)


def _read_pdf(data: bytes, *, filename: str, settings: ExtractionSettings) -> ExtractedDocument:
    found = _find_in_pdf(data, filename, settings.max_inflated_bytes)
    if found is None:
        raise ExtractionError(
            ErrorCode.UNSUPPORTED_TYPE,
            f"{filename} is a PDF without an attached e-invoice (no factur-x.xml, "
            "zugferd-invoice.xml or xrechnung.xml); the text extractor reads such PDFs",
        )
    att, root, syntax = found
    notes: list[str] = []
    try:
        page_count = count_pages(data, filename=filename)
    except ExtractionError as exc:
        page_count = 0
        notes.append(f"the PDF's pages could not be counted ({exc.code.value})")
    words = _reviewer_words(data, filename, page_count, settings, notes)
    extractor = "einvoice-cii-facturx" if syntax is Syntax.CII else "einvoice-ubl-pdf"
    doc = _read(root, syntax, filename=filename, extractor=extractor, page_count=page_count)
    source = (
        f"source: the {'CII' if syntax is Syntax.CII else 'UBL'} XML attached to the PDF as "
        f"{att.name}; the page is for the reviewer only"
    )
    return dataclasses.replace(doc, words=words, notes=(source, *doc.notes, *notes))


def _read(
    root: Element, syntax: Syntax, *, filename: str, extractor: str, page_count: int
) -> ExtractedDocument:
    if syntax is Syntax.CII:
        return read_cii(root, filename=filename, extractor=extractor, page_count=page_count)
    return read_ubl(
        root,
        credit_note=syntax is Syntax.UBL_CREDIT_NOTE,
        filename=filename,
        extractor=extractor,
        page_count=page_count,
    )


def _find_in_pdf(data: bytes, filename: str, cap: int) -> tuple[Attachment, Element, Syntax] | None:
    """The first attached XML that is UBL or CII, or None.

    An attachment with a standard e-invoice name that is hostile, damaged or
    not an invoice raises ExtractionError (the vendor declared it the
    invoice); other ``.xml`` attachments that fail are passed over.
    """
    try:
        attachments = xml_attachments(open_pdf(data))
    except Exception:
        return None  # not a readable PDF: the text extractor says why
    for att in attachments:
        try:
            xml = read_attachment(att, cap=cap, filename=filename)
            root = parse_xml(xml, filename=f"{filename}'s attachment {att.name}")
        except ExtractionError:
            if att.known:
                raise
            continue
        syntax = identify(root)
        if syntax is not None:
            return att, root, syntax
        if att.known:
            raise ExtractionError(
                ErrorCode.UNSUPPORTED_TYPE,
                f"{filename}'s attachment {att.name} is {describe_root(root)}; "
                "ask the vendor for a Factur-X / ZUGFeRD 2.x or XRechnung invoice",
            )
    return None


def _reviewer_words(
    data: bytes,
    filename: str,
    page_count: int,
    settings: ExtractionSettings,
    notes: list[str],
) -> tuple[Word, ...]:
    """The page's words for the reviewer; a failure here is only noted, except
    a decompression bomb, which quarantines the file like any other PDF."""
    if page_count > settings.max_pages:
        notes.append(f"the page text was not read ({page_count} pages)")
        return ()
    try:
        words, _skewed, _sizes = read_words(
            data, filename=filename, max_inflated_bytes=settings.max_inflated_bytes
        )
    except ExtractionError as exc:
        if exc.code is ErrorCode.HOSTILE:
            raise
        notes.append(f"the page text could not be read ({exc.code.value})")
        return ()
    return tuple(words)
