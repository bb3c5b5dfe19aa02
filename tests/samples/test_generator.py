"""The sample month is generated, never edited: same script, same bytes.

GIVEN data/samples/generate.py
WHEN it runs (in a fresh process each time, as a person would run it)
THEN two runs give byte-identical files, the committed samples equal a fresh
run, and the ground truth only talks about files that exist and says what
they print: on the page of a digital PDF, in the XML of an e-invoice (and on
the page of a Factur-X), and for a scan, that it is a picture with no text.
"""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pdfplumber
import pytest
from PIL import Image
from pypdf import PdfReader

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
GENERATOR = SAMPLES / "generate.py"
OUTPUTS = ("pos", "receipts", "invoices", "bad")
KIND_FOLDER = {"invoice": "invoices", "credit_note": "invoices", "po": "pos", "receipt": "receipts"}
FORMATS = {"digital", "scan", "einvoice"}


def generate(out: Path) -> Path:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out)],
        check=True,
        capture_output=True,
        text=True,
    )
    return out


def digests(root: Path) -> dict[str, str]:
    """sha256 of every generated file, by path relative to ``root``."""
    files = [root / "ground_truth.json"]
    for folder in OUTPUTS:
        files += sorted(p for p in (root / folder).iterdir() if p.is_file())
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
    }


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("first"))


@pytest.fixture(scope="module")
def truth(fresh: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((fresh / "ground_truth.json").read_text(encoding="utf-8"))
    return data


def test_two_runs_are_byte_identical(fresh: Path, tmp_path: Path) -> None:
    again = generate(tmp_path / "second")
    first, second = digests(fresh), digests(again)
    assert first.keys() == second.keys()
    differing = sorted(name for name in first if first[name] != second[name])
    assert differing == []


def test_committed_samples_equal_a_fresh_generation(fresh: Path) -> None:
    """Nobody edits samples by hand: change generate.py and re-run it instead."""
    expected, committed = digests(fresh), digests(SAMPLES)
    missing = sorted(expected.keys() - committed.keys())
    stale = sorted(committed.keys() - expected.keys())
    changed = sorted(k for k in expected.keys() & committed.keys() if expected[k] != committed[k])
    hint = "run `uv run python data/samples/generate.py` and commit the result"
    assert (missing, stale, changed) == ([], [], []), hint


def test_ground_truth_names_only_files_that_exist(fresh: Path, truth: dict[str, Any]) -> None:
    for doc in truth["documents"]:
        assert (fresh / KIND_FOLDER[doc["kind"]] / doc["source"]).is_file(), doc["source"]
    for entry in truth["quarantine"]:
        assert (fresh / "bad" / entry["source"]).is_file(), entry["source"]
    billing = {"invoice", "credit_note"}
    invoices = {d["source"] for d in truth["documents"] if d["kind"] in billing}
    for section in ("matches", "discrepancies", "assets"):
        for row in truth[section]:
            assert row["invoice_source"] in invoices, (section, row)


def test_every_discrepancy_type_is_exercised(truth: dict[str, Any]) -> None:
    types = {d["type"] for d in truth["discrepancies"]}
    assert types == {
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
    flagged = {d["invoice_source"] for d in truth["discrepancies"]}
    clean = [d for d in truth["documents"] if d["kind"] == "invoice" and d["source"] not in flagged]
    assert len(clean) >= 8


def pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return " ".join(page.extract_text() or "" for page in pdf.pages)


def xml_text(data: bytes) -> str:
    """Every element's text, as one string (our own generated files only)."""
    root = ElementTree.fromstring(data)
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def embedded_xml(path: Path) -> bytes:
    [xml] = PdfReader(path).attachments["factur-x.xml"]
    return xml


def assert_states(doc: dict[str, Any], text: str, where: str) -> None:
    """Number, PO reference, vendor, part numbers and description words are in ``text``."""
    words = set(text.split())
    for key in ("number", "po_number", "vendor"):
        if doc[key] is not None:
            assert doc[key] in text, (doc["source"], where, key)
    for line in doc["lines"]:
        if line["sku"] is not None:
            assert line["sku"] in words, (doc["source"], where, line["line_no"])
        missing = [w for w in line["description"].split() if w not in words]
        assert missing == [], (doc["source"], where, line["line_no"], missing)


def test_every_document_says_its_format(truth: dict[str, Any]) -> None:
    formats = {doc["source"]: doc["format"] for doc in truth["documents"]}
    assert set(formats.values()) == FORMATS
    for source, fmt in formats.items():
        if fmt != "digital":
            assert source.endswith((".pdf", ".jpg", ".xml")), source


def test_documents_print_what_the_ground_truth_says(fresh: Path, truth: dict[str, Any]) -> None:
    for doc in truth["documents"]:
        path = fresh / KIND_FOLDER[doc["kind"]] / doc["source"]
        if doc["format"] == "digital":
            assert_states(doc, pdf_text(path), "page")
        elif doc["format"] == "einvoice" and path.suffix == ".xml":
            assert_states(doc, xml_text(path.read_bytes()), "xml")
        elif doc["format"] == "einvoice":  # Factur-X: the page and its XML say the same
            assert_states(doc, pdf_text(path), "page")
            assert_states(doc, xml_text(embedded_xml(path)), "factur-x.xml")


def test_scans_are_pictures_without_text(fresh: Path, truth: dict[str, Any]) -> None:
    """GIVEN the invoices that arrived only as scans
    THEN one is a JPEG of about 200 dpi and at most 400 KB, one an image-only
    PDF at about 300 dpi, and neither carries a word of text."""
    scans = [d for d in truth["documents"] if d["format"] == "scan"]
    suffixes = sorted(Path(d["source"]).suffix for d in scans)
    assert suffixes == [".jpg", ".pdf"]
    for doc in scans:
        path = fresh / KIND_FOLDER[doc["kind"]] / doc["source"]
        if path.suffix == ".jpg":
            assert path.stat().st_size <= 400 * 1024
            with Image.open(path) as image:
                assert image.format == "JPEG" and image.mode == "L"
                assert image.info["dpi"] == (200, 200)
                assert abs(image.width / (210 / 25.4) - 200) < 2  # A4 wide at 200 dpi
        else:
            assert pdf_text(path).strip() == ""
            [page] = PdfReader(path).pages
            [picture] = page.images
            with Image.open(io.BytesIO(picture.data)) as image:
                assert abs(image.width / (float(page.mediabox.width) / 72) - 300) < 2


def test_the_credit_note_clears_the_over_billed_line(truth: dict[str, Any]) -> None:
    """GIVEN a UBL invoice billing 12 seats on a 10-seat PO line (10 received) and a
    UBL credit note for 2 of them
    THEN the truth raises neither quantity_variance nor not_received on that line,
    and the credit note's line is matched to the PO line without a receipt."""
    [note] = [
        d for d in truth["documents"] if d["kind"] == "credit_note" and d["format"] == "einvoice"
    ]
    [invoice] = [
        d
        for d in truth["documents"]
        if d["kind"] == "invoice" and d["po_number"] == note["po_number"]
    ]
    assert note["credited_invoice"] == invoice["number"]
    ordered = {
        ln["description"]: int(ln["quantity"])
        for d in truth["documents"]
        if d["kind"] == "po" and d["number"] == note["po_number"]
        for ln in d["lines"]
    }
    billed = sum(int(ln["quantity"]) for ln in invoice["lines"])
    credited = sum(int(ln["quantity"]) for ln in note["lines"])
    assert billed > sum(ordered.values()) >= billed - credited  # over without the credit
    flagged = {d["invoice_source"] for d in truth["discrepancies"]}
    assert invoice["source"] not in flagged and note["source"] not in flagged
    note_matches = [m for m in truth["matches"] if m["invoice_source"] == note["source"]]
    assert [(m["po"], m["receipt"]) for m in note_matches] == [(note["po_number"], None)]
    assert all(a["invoice_source"] != note["source"] for a in truth["assets"])


def test_the_credit_note_for_an_unknown_invoice_is_raised_and_nothing_else(
    truth: dict[str, Any],
) -> None:
    """GIVEN a PDF credit note crediting an invoice number no invoice carries
    THEN the truth raises unknown_credited_invoice on it (with its PO), and
    its line is matched like any credit."""
    [note] = [
        d for d in truth["documents"] if d["kind"] == "credit_note" and d["format"] == "digital"
    ]
    numbers = {d["number"] for d in truth["documents"] if d["kind"] == "invoice"}
    assert note["credited_invoice"] and note["credited_invoice"] not in numbers
    raised = [d for d in truth["discrepancies"] if d["invoice_source"] == note["source"]]
    assert [(d["type"], d["invoice_line"], d["po"]) for d in raised] == [
        ("unknown_credited_invoice", None, note["po_number"])
    ]
    assert [m["invoice_source"] for m in truth["matches"]].count(note["source"]) == 1


def test_an_invoice_citing_two_pos_has_each_line_matched_to_its_own(
    truth: dict[str, Any],
) -> None:
    [invoice] = [d for d in truth["documents"] if len(d["po_numbers"]) > 1]
    assert invoice["po_numbers"][0] == invoice["po_number"]
    pos = {m["po"] for m in truth["matches"] if m["invoice_source"] == invoice["source"]}
    assert pos == set(invoice["po_numbers"])
    assert invoice["source"] not in {d["invoice_source"] for d in truth["discrepancies"]}
    assert pdf_text(SAMPLES / "invoices" / invoice["source"]).count("PO-2026-016") == 2
