"""XML is recognised from its bytes whatever comes before the root element."""

from __future__ import annotations

import pytest

from data.samples.einvoices import build_ubl
from extractors import sniff
from extractors.registry import extract
from extractors.types import DocumentKind
from tests.extractors.einvoice.cases import INVOICE


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (b"<!-- exported by ERP -->\n<Invoice/>", sniff.XML),
        (b"\n\n  \t<?xml version='1.0'?><a/>", sniff.XML),
        (
            b"\xef\xbb\xbf\n<!-- a -->\n<?xml-stylesheet href='x.xsl'?>\n<rsm:X xmlns:rsm='u'/>",
            sniff.XML,
        ),
        ('<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"), sniff.XML),
        (b'<!DOCTYPE lolz [<!ENTITY a "b">]><lolz>&a;</lolz>', sniff.XML),
        (b"<!-- a comment that never ends", sniff.TEXT),
        (b"Invoice 1 <b>bold</b>", sniff.TEXT),
    ],
)
def test_xml_behind_boms_comments_and_processing_instructions(data: bytes, mime: str) -> None:
    assert sniff.sniff_mime(data) == mime


def test_kind_hint_that_disagrees_is_noted_and_the_e_invoice_wins() -> None:
    doc = extract(build_ubl(INVOICE), filename="a.xml", kind_hint=DocumentKind.PO)
    assert doc.kind is DocumentKind.INVOICE
    assert "filed as po, but the e-invoice says invoice; the e-invoice wins" in doc.notes
