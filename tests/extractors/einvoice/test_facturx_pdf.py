"""Factur-X / ZUGFeRD / XRechnung PDFs: the attached XML is the source of truth.

GIVEN a reportlab invoice page with its CII attached by the ``factur-x``
library WHEN the registry extracts it THEN the e-invoice extractor outscores
the text layer, every value is the XML's, the page's words are kept for the
reviewer, and the document says which source was used.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from data.samples.einvoices import FIXED_PDF_TIME, build_cii, build_ubl, embed_facturx, embed_xml
from extractors.einvoice import STRUCTURED_SCORE, EInvoiceExtractor
from extractors.pdf import PdfTextExtractor
from extractors.registry import REGISTRY, extract
from extractors.sniff import PDF
from extractors.types import DocumentKind, ErrorCode, ExtractionError
from tests.extractors.einvoice.cases import INVOICE, expected_lines, page_pdf
from tests.extractors.einvoice.test_hostile_xml import billion_laughs


@pytest.fixture(scope="module")
def facturx_pdf() -> bytes:
    return embed_facturx(page_pdf(INVOICE), build_cii(INVOICE))


def test_facturx_pdf_outscores_the_text_layer(facturx_pdf: bytes) -> None:
    assert PdfTextExtractor().score(facturx_pdf, PDF) == 1.0
    assert EInvoiceExtractor().score(facturx_pdf, PDF) == STRUCTURED_SCORE > 1.0
    chosen = REGISTRY.choose(facturx_pdf, PDF)
    assert chosen is not None and chosen.name == "einvoice"


def test_facturx_pdf_is_read_from_its_xml(facturx_pdf: bytes) -> None:
    doc = extract(facturx_pdf, filename="BRS-2026-4471.pdf")
    standalone = extract(build_cii(INVOICE), filename="BRS-2026-4471.xml")
    assert doc.extractor == "einvoice-cii-facturx"
    assert doc.kind is DocumentKind.INVOICE
    assert doc.page_count == 1
    assert doc.header_fields() == standalone.header_fields()
    assert doc.total is not None and doc.total.value == Decimal("9921.03")
    assert doc.lines == expected_lines(INVOICE)
    assert doc.notes[0] == (
        "source: the CII XML attached to the PDF as factur-x.xml; the page is for the reviewer only"
    )
    texts = {w.text for w in doc.words}
    assert {"BRS-2026-4471", "Latitude", "9921.03"} <= texts


def test_embedding_is_byte_deterministic_with_a_pinned_clock(facturx_pdf: bytes) -> None:
    again = embed_facturx(page_pdf(INVOICE), build_cii(INVOICE))
    assert again == facturx_pdf
    assert facturx_pdf.startswith(b"%PDF-1.6") and facturx_pdf.count(b"%PDF-") == 1
    reader = PdfReader(io.BytesIO(facturx_pdf))
    assert reader.metadata is not None
    assert reader.metadata["/ModDate"] == "D:20261031120000+00'00'"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert FIXED_PDF_TIME.strftime("%Y-%m-%dT%H:%M:%S").encode() in xmp
    assert b"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#" in xmp


@pytest.mark.parametrize("name", ["zugferd-invoice.xml", "ZUGFeRD-invoice.xml", "xrechnung.xml"])
def test_other_standard_attachment_names_are_found(name: str) -> None:
    pdf = embed_xml(page_pdf(INVOICE), build_cii(INVOICE), name=name)
    doc = extract(pdf, filename="a.pdf")
    assert doc.extractor == "einvoice-cii-facturx"
    assert name in doc.notes[0]
    assert doc.lines == expected_lines(INVOICE)


def test_ubl_attached_to_a_pdf_is_read_as_ubl() -> None:
    pdf = embed_xml(page_pdf(INVOICE), build_ubl(INVOICE, credit_note=True), name="xrechnung.xml")
    doc = extract(pdf, filename="a.pdf")
    assert (doc.extractor, doc.kind) == ("einvoice-ubl-pdf", DocumentKind.CREDIT_NOTE)


def test_an_xml_attachment_with_another_name_is_used_when_it_is_an_invoice() -> None:
    pdf = embed_xml(page_pdf(INVOICE), build_cii(INVOICE), name="BRS-2026-4471.xml")
    assert extract(pdf, filename="a.pdf").extractor == "einvoice-cii-facturx"


@pytest.mark.parametrize(
    ("name", "xml"),
    [
        (None, None),
        ("notes.xml", b"<notes><note>Delivered to dock 4</note></notes>"),
        ("notes.xml", billion_laughs()),  # not claimed to be the invoice: passed over
        (
            "ZUGFeRD-invoice.xml",
            b'<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"/>',
        ),
    ],
)
def test_pdf_without_a_readable_e_invoice_goes_to_the_text_extractor(
    name: str | None, xml: bytes | None
) -> None:
    pdf = page_pdf(INVOICE)
    if name is not None and xml is not None:
        pdf = embed_xml(pdf, xml, name=name)
    assert EInvoiceExtractor().score(pdf, PDF) == 0.0
    assert extract(pdf, filename="a.pdf").extractor == "pdf-text"


def test_hostile_facturx_attachment_is_quarantined() -> None:
    pdf = embed_xml(page_pdf(INVOICE), billion_laughs(), name="factur-x.xml")
    with pytest.raises(ExtractionError) as err:
        extract(pdf, filename="evil.pdf")
    assert err.value.code is ErrorCode.HOSTILE


def test_damaged_facturx_attachment_is_corrupt() -> None:
    xml = build_cii(INVOICE)[:-200]  # cut off: not well-formed
    pdf = embed_xml(page_pdf(INVOICE), xml, name="factur-x.xml")
    with pytest.raises(ExtractionError) as err:
        extract(pdf, filename="cut.pdf")
    assert err.value.code is ErrorCode.CORRUPT
    assert "factur-x.xml" in err.value.reason


def test_attachment_inflating_past_the_cap_is_hostile(monkeypatch: pytest.MonkeyPatch) -> None:
    """A few KiB in the PDF that inflate past RECON_EXTRACT_MAX_INFLATED_BYTES."""
    monkeypatch.setenv("RECON_EXTRACT_MAX_INFLATED_BYTES", str(2**20))
    padded = build_cii(INVOICE).replace(
        b"<rsm:ExchangedDocument>", b" " * 2**21 + b"<rsm:ExchangedDocument>"
    )
    pdf = embed_facturx(page_pdf(INVOICE), padded)
    assert len(pdf) < 64 * 1024
    with pytest.raises(ExtractionError) as err:
        extract(pdf, filename="bomb.pdf")
    assert err.value.code is ErrorCode.HOSTILE
    assert "factur-x.xml" in err.value.reason
