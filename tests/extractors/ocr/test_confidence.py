"""Per-field confidence from the words a value was read from (no Tesseract needed)."""

from __future__ import annotations

from dataclasses import replace

from extractors.document import analyse
from extractors.pdf import read_words
from extractors.settings import ExtractionSettings
from extractors.types import ExtractedDocument, Word
from tests.extractors.ocr import scans

THAMES = "2026-10-08_thamesvalley_TVC-INV-20931.pdf"


def _read(words: list[Word], settings: ExtractionSettings) -> ExtractedDocument:
    return analyse(words, extractor="ocr", page_count=1, settings=settings)


def _words() -> list[Word]:
    words, _, _ = read_words(scans.sample(THAMES), filename=THAMES)
    return words


def test_digital_words_leave_confidence_and_notes_alone() -> None:
    doc = _read(_words(), ExtractionSettings())
    assert not any(n.startswith("low_confidence") for n in doc.notes)


def test_unsure_word_lowers_the_field_and_adds_a_note() -> None:
    """GIVEN OCR was unsure (0.4) of the invoice number's word WHEN analysed THEN the
    number's confidence drops and a note asks a person to check it."""
    number = scans.truth(THAMES)["number"]
    words = [replace(w, confidence=0.4) if w.text == number else w for w in _words()]
    sure = _read(_words(), ExtractionSettings())
    doc = _read(words, ExtractionSettings(ocr_low_confidence=0.7))
    assert doc.number is not None and sure.number is not None
    assert doc.number.value == number
    assert doc.number.confidence == round(sure.number.confidence * 0.4, 3)
    assert any(n.startswith("low_confidence: number") for n in doc.notes)
    assert not any(n.startswith("low_confidence: total") for n in doc.notes)


def test_threshold_is_a_setting() -> None:
    number = scans.truth(THAMES)["number"]
    words = [replace(w, confidence=0.4) if w.text == number else w for w in _words()]
    doc = _read(words, ExtractionSettings(ocr_low_confidence=0.3))
    assert not any(n.startswith("low_confidence") for n in doc.notes)


def test_orientation_is_checked_only_when_a_page_reads_poorly() -> None:
    """Upright, confident words skip OSD; few, unsure or standing words do not."""
    from extractors.ocr import _trustworthy
    from extractors.types import Box, Word

    settings = ExtractionSettings()

    def words(n: int, conf: float, *, standing: bool = False) -> list[Word]:
        w, h = (8.0, 40.0) if standing else (40.0, 8.0)
        return [
            Word("Invoice", Box(1, 10, 10 + 12 * i, 10 + w, 10 + 12 * i + h), conf)
            for i in range(n)
        ]

    assert _trustworthy(words(30, 0.9), settings)
    assert not _trustworthy(words(5, 0.95), settings)  # too little to judge
    assert not _trustworthy(words(30, 0.4), settings)  # unsure: maybe upside down
    assert not _trustworthy(words(30, 0.95, standing=True), settings)  # turned 90 degrees
