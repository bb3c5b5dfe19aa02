"""The sample month is generated, never edited: same script, same bytes.

GIVEN data/samples/generate.py
WHEN it runs (in a fresh process each time, as a person would run it)
THEN two runs give byte-identical files, the committed samples equal a fresh
run, and the ground truth only talks about files that exist and says what
they print.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
GENERATOR = SAMPLES / "generate.py"
OUTPUTS = ("pos", "receipts", "invoices", "bad")
KIND_FOLDER = {"invoice": "invoices", "po": "pos", "receipt": "receipts"}


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
    invoices = {d["source"] for d in truth["documents"] if d["kind"] == "invoice"}
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
    }
    flagged = {d["invoice_source"] for d in truth["discrepancies"]}
    clean = [d for d in truth["documents"] if d["kind"] == "invoice" and d["source"] not in flagged]
    assert len(clean) >= 8


def test_documents_print_what_the_ground_truth_says(fresh: Path, truth: dict[str, Any]) -> None:
    """Number, PO reference, vendor, part numbers and description words are on the page."""
    for doc in truth["documents"]:
        with pdfplumber.open(fresh / KIND_FOLDER[doc["kind"]] / doc["source"]) as pdf:
            page_text = " ".join(page.extract_text() or "" for page in pdf.pages)
        words = set(page_text.split())
        for key in ("number", "po_number", "vendor"):
            if doc[key] is not None:
                assert doc[key] in page_text, (doc["source"], key)
        for line in doc["lines"]:
            if line["sku"] is not None:
                assert line["sku"] in words, (doc["source"], line["line_no"])
            missing = [w for w in line["description"].split() if w not in words]
            assert missing == [], (doc["source"], line["line_no"], missing)
