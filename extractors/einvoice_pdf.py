"""Find and read the e-invoice XML attached to a PDF (Factur-X, ZUGFeRD, XRechnung).

A hybrid invoice is a PDF/A-3 whose catalog lists the XML in its
``/Names /EmbeddedFiles`` name tree and its ``/AF`` (associated files) array.
This module walks those with pdfminer (no page is parsed) and inflates the
chosen file with a size cap, so a small PDF carrying a gigabyte "XML" is
refused as HOSTILE. It never parses the XML itself and never renders pages.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import LITERALS_FLATE_DECODE, PDFStream, resolve1
from pdfminer.utils import decode_text

from extractors.types import ErrorCode, ExtractionError

KNOWN_NAMES: tuple[str, ...] = (
    "factur-x.xml",  # Factur-X 1.x, ZUGFeRD 2.1+
    "zugferd-invoice.xml",  # ZUGFeRD 2.0 (and 1.0 as "ZUGFeRD-invoice.xml")
    "xrechnung.xml",  # XRechnung delivered inside a PDF
)
"""Attachment names the e-invoice standards use, compared case-insensitively."""

_MAX_NAME_TREE_NODES = 10_000
_MAX_NAME_TREE_DEPTH = 32


@dataclass(frozen=True, slots=True)
class Attachment:
    """One XML file embedded in a PDF, not yet inflated."""

    name: str
    known: bool
    """True when the name is one the e-invoice standards use (see KNOWN_NAMES)."""
    stream: PDFStream


def open_pdf(data: bytes) -> PDFDocument:
    """pdfminer's document for the bytes (cross-reference table only, no pages)."""
    return PDFDocument(PDFParser(io.BytesIO(data)))


def xml_attachments(doc: PDFDocument) -> list[Attachment]:
    """The ``.xml`` files a PDF embeds: standard e-invoice names first (in
    KNOWN_NAMES order), then any other XML attachment in catalog order."""
    found: list[Attachment] = []
    seen: set[int] = set()
    for name, spec in _filespecs(doc.catalog):
        stream = _embedded_stream(spec)
        if stream is None or id(stream) in seen:
            continue
        lowered = name.lower()
        if not lowered.endswith(".xml"):
            continue
        seen.add(id(stream))
        found.append(Attachment(name, lowered in KNOWN_NAMES, stream))

    def rank(a: Attachment) -> int:
        lowered = a.name.lower()
        return KNOWN_NAMES.index(lowered) if a.known else len(KNOWN_NAMES)

    return sorted(found, key=rank)


def read_attachment(att: Attachment, *, cap: int, filename: str) -> bytes:
    """The attachment's bytes, inflated no further than ``cap`` bytes.

    Raises
    ------
    ExtractionError
        HOSTILE when it inflates past ``cap``; CORRUPT when it does not
        inflate; UNSUPPORTED_TYPE for filters other than FlateDecode.
    """
    stream = att.stream
    try:
        raw, filters = _raw_and_filters(stream)
    except Exception:  # pdfminer: bad /Filter arrays, undecryptable data, ...
        raise _corrupt(att, filename) from None
    if not filters:
        data = raw
    elif len(filters) == 1 and filters[0][0] in LITERALS_FLATE_DECODE and not filters[0][1]:
        inflater = zlib.decompressobj()
        try:
            data = inflater.decompress(raw, cap + 1)
        except zlib.error:
            raise _corrupt(att, filename) from None
    else:
        names = ", ".join(str(f) for f, _ in filters)
        raise ExtractionError(
            ErrorCode.UNSUPPORTED_TYPE,
            f"{filename} carries its e-invoice {att.name} compressed with {names}, which "
            "recon does not unpack; ask the vendor to resend it or send the XML on its own",
        )
    if len(data) > cap:
        raise ExtractionError(
            ErrorCode.HOSTILE,
            f"{filename}'s attachment {att.name} inflates to more than {cap / 2**20:.0f} MiB "
            "(a decompression bomb; no e-invoice is that large); recon refuses it unread. "
            "If it is genuine, raise RECON_EXTRACT_MAX_INFLATED_BYTES",
        )
    return data


def _raw_and_filters(stream: PDFStream) -> tuple[bytes, list[tuple[Any, Any]]]:
    """The stream's bytes, decrypted but not yet decoded, and its filters."""
    if stream.data is not None:
        return stream.data, []  # pdfminer decoded it already
    raw = stream.rawdata or b""
    if stream.decipher is not None:
        if stream.objid is None or stream.genno is None:
            raise ValueError("encrypted stream without an object id")
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    return raw, stream.get_filters()


def _filespecs(catalog: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(name, file specification) from the EmbeddedFiles name tree, then /AF."""
    names = resolve1(catalog.get("Names"))
    tree = resolve1(names.get("EmbeddedFiles")) if isinstance(names, dict) else None
    if isinstance(tree, dict):
        yield from _name_tree(tree)
    associated = resolve1(catalog.get("AF"))
    if isinstance(associated, list):
        for ref in associated[:_MAX_NAME_TREE_NODES]:
            spec = resolve1(ref)
            if isinstance(spec, dict):
                yield _spec_name(spec, b""), spec


def _name_tree(root: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Leaves of a PDF name tree, iteratively, bounded against loops and bombs."""
    stack: list[tuple[dict[str, Any], int]] = [(root, 0)]
    visited = 0
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        visited += 1
        if visited > _MAX_NAME_TREE_NODES or id(node) in seen:
            return
        seen.add(id(node))
        pairs = resolve1(node.get("Names"))
        if isinstance(pairs, list):
            for key, value in zip(pairs[::2], pairs[1::2], strict=False):
                spec = resolve1(value)
                if isinstance(spec, dict):
                    yield _spec_name(spec, resolve1(key)), spec
        kids = resolve1(node.get("Kids"))
        if isinstance(kids, list) and depth < _MAX_NAME_TREE_DEPTH:
            for kid in reversed(kids):
                child = resolve1(kid)
                if isinstance(child, dict):
                    stack.append((child, depth + 1))


def _spec_name(spec: dict[str, Any], key: object) -> str:
    """The file name: /UF (Unicode), else /F, else the name-tree key."""
    for candidate in (spec.get("UF"), spec.get("F"), key):
        value = resolve1(candidate)
        if isinstance(value, bytes) and value:
            return decode_text(value)
        if isinstance(value, str) and value:
            return value
    return ""


def _embedded_stream(spec: dict[str, Any]) -> PDFStream | None:
    ef = resolve1(spec.get("EF"))
    if not isinstance(ef, dict):
        return None
    stream = resolve1(ef.get("UF") or ef.get("F"))
    return stream if isinstance(stream, PDFStream) else None


def _corrupt(att: Attachment, filename: str) -> ExtractionError:
    return ExtractionError(
        ErrorCode.CORRUPT,
        f"{filename}'s e-invoice attachment {att.name} is damaged (it does not inflate); "
        "ask the vendor to resend the invoice",
    )
