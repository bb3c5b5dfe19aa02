"""Labels as Tesseract misreads them still name their field, column or title.

OCR confuses a few shapes (Q/O/0, l/I/1, rn/m); a heading read as "Oty"
must still be the quantity column, or the quantities of a whole table are
lost. Exact spellings always win over misread ones, and short keys are left
to exact spelling.
"""

from __future__ import annotations

import pytest

from extractors.labels import Column, Slot, lexicon, ocr_skeleton, tokens
from extractors.types import DocumentKind

LEX = lexicon(("en", "de", "fr"))


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("Oty", Column.QUANTITY),
        ("0ty", Column.QUANTITY),
        ("Unit Prlce", Column.UNIT_PRICE),
        ("Arnount", Column.AMOUNT),
        ("Descriptlon", Column.DESCRIPTION),
    ],
)
def test_misread_column_headings(text: str, column: Column) -> None:
    toks = tokens(text)
    assert LEX.match_column(toks, 0) == (len(toks), column)


def test_misread_title_and_label() -> None:
    assert LEX.match_title(tokens("lnvoice"), 0) == (1, DocumentKind.INVOICE)
    hit = LEX.match_label(tokens("lnvoice N0."), 0)
    assert hit is not None and hit[0] == 2
    assert any(slot is Slot.NUMBER for _, slot in hit[1].slots)


def test_exact_spelling_wins_and_ordinary_words_stay_words() -> None:
    assert LEX.match_column(tokens("Qty"), 0) == (1, Column.QUANTITY)
    # words that are not labels, however OCR would confuse them, stay unmatched
    for word in ("lot", "roll", "quiet", "oil"):
        assert LEX.match_column(tokens(word), 0) is None, word
        assert LEX.match_label(tokens(word), 0) is None, word


def test_skeleton_is_idempotent_and_keeps_token_count() -> None:
    key = ("qty", "rn", "l1i|")
    once = ocr_skeleton(key)
    assert ocr_skeleton(once) == once
    assert len(once) == len(key)


def test_a_lost_space_still_names_the_column() -> None:
    assert LEX.match_column(tokens("Itemno."), 0) == (1, Column.SKU)
    assert LEX.match_column(tokens("UnitPrice"), 0) == (1, Column.UNIT_PRICE)
