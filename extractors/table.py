"""Line items from the column structure of a table.

The table is found by its header row (the words of
:data:`extractors.labels.Vocabulary.columns`), its columns by the header cells
and the blank vertical gutters in the rows below them. Ruling lines are not
needed and not used. Rows are read until the totals block; the table continues
on the next page (under a repeated header or in the same columns), and page
footers or "continued" notes never become items.

Works on :class:`~extractors.layout.Line` values only: no PDF or OCR types here.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from extractors.labels import (
    CURRENCY_CODES,
    CURRENCY_SYMBOLS,
    NUMERIC_COLUMNS,
    Column,
    Lexicon,
    Slot,
    ocr_skeleton,
    tokens,
)
from extractors.layout import Line, h_overlap, union
from extractors.parsing import (
    NumberStyle,
    identifier,
    parse_amount,
    parse_quantity,
    po_without_item,
)
from extractors.settings import ExtractionSettings
from extractors.types import Box, DocumentKind, ExtractedLine, Word

_QTY_PREFERENCE: dict[DocumentKind, tuple[Column, ...]] = {
    DocumentKind.RECEIPT: (Column.QUANTITY_RECEIVED, Column.QUANTITY, Column.QUANTITY_ORDERED),
    DocumentKind.PO: (Column.QUANTITY, Column.QUANTITY_ORDERED, Column.QUANTITY_RECEIVED),
    DocumentKind.INVOICE: (Column.QUANTITY, Column.QUANTITY_RECEIVED, Column.QUANTITY_ORDERED),
}
_TOTALS_SLOTS = frozenset({Slot.SUBTOTAL, Slot.TAX, Slot.TOTAL})
_CODE = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9\-/_.]*$")


@dataclass(frozen=True, slots=True)
class HeaderCell:
    """One column heading: what the column holds and where the heading sits."""

    role: Column
    text: str
    box: Box
    words: tuple[Word, ...] = ()


@dataclass
class Columns:
    """Column headings and the x positions that separate their zones."""

    cells: list[HeaderCell]
    bounds: list[float]

    def zone_of(self, word: Word) -> int:
        centre = (word.box.x0 + word.box.x1) / 2
        for i, b in enumerate(self.bounds):
            if centre < b:
                return i
        return len(self.cells) - 1

    def first(self, *roles: Column) -> int | None:
        for role in roles:
            for i, c in enumerate(self.cells):
                if c.role is role:
                    return i
        return None


@dataclass
class _Item:
    words: list[Word]
    description: list[str]
    quantity: Decimal
    sku: str | None
    unit_price: Decimal | None
    amount: Decimal | None
    boxes: list[Box]
    bottom: float
    page: int
    po_number: str | None = None


@dataclass
class TableResult:
    """The items read and which text lines the table used (header, rows, notes)."""

    lines: list[ExtractedLine] = field(default_factory=list)
    used: set[int] = field(default_factory=set)
    header_lines: set[int] = field(default_factory=set)
    end_line: int | None = None
    notes: list[str] = field(default_factory=list)


def read_table(
    lines: Sequence[Line],
    *,
    kind: DocumentKind,
    lexicon: Lexicon,
    style: NumberStyle | None,
    settings: ExtractionSettings,
) -> TableResult:
    """Find the line-item table in ``lines`` and read its rows.

    Complexity: O(L·W) for L lines of W words.
    """
    result = TableResult()
    items: list[_Item] = []
    columns: Columns | None = None
    pages = sorted({ln.page for ln in lines})
    ended = False
    for page in pages:
        if ended:
            break
        page_lines = [ln for ln in lines if ln.page == page]
        start = 0
        header = _find_header(page_lines, lexicon, settings)
        if header is not None:
            header_idx, cells = header
            result.header_lines.update(page_lines[i].index for i in header_idx)
            start = max(header_idx) + 1
            body = page_lines[start:]
            columns = _columns(cells, body, lexicon, settings.table_end_gap)
        elif columns is None:
            continue
        ended = _read_rows(
            page_lines[start:], columns, items, result, kind, lexicon, style, settings
        )
    result.used |= result.header_lines
    if not items:
        if columns is None:
            result.notes.append("no line-item table header found")
        return result
    _demote_line_numbers(items, columns)
    result.lines = [_finish(n, item, kind, settings) for n, item in enumerate(items, 1)]
    return result


# ---------------------------------------------------------------------------
# Header


def _header_cells(line: Line, lexicon: Lexicon, min_coverage: float) -> list[HeaderCell] | None:
    cells: list[HeaderCell] = []
    matched = total = 0
    for phrase in line.phrases:
        toks: list[tuple[str, Word]] = [(t, w) for w in phrase.words for t in tokens(w.text)]
        total += len(toks)
        # Within a phrase, words the vocabulary does not know qualify the heading
        # next to them ("Supplier part no."); a phrase of unknown words only is a
        # column recon has no word for, and still a column: its values must not
        # spill into the neighbouring columns.
        flat = [t for t, _ in toks]
        spans: list[tuple[Column, list[Word]]] = []
        pending: list[Word] = []
        i = 0
        while i < len(toks):
            hit = lexicon.match_column(flat, i)
            if hit is None:
                word = toks[i][1]
                if word not in pending and not (spans and word in spans[-1][1]):
                    pending.append(word)
                i += 1
                continue
            n, role = hit
            span = list(dict.fromkeys(w for _, w in toks[i : i + n]))
            spans.append((role, [*(w for w in pending if w not in span), *span]))
            pending = []
            matched += n
            i += n
        if spans:
            spans[-1][1].extend(w for w in pending if w not in spans[-1][1])
        elif pending and not all(t.upper() in _CURRENCY_WORDS for t in flat):
            spans.append((Column.OTHER, pending))
        cells.extend(_cell(role, sorted(ws, key=lambda w: w.box.x0)) for role, ws in spans)
    if not total or matched / total < min_coverage:
        return None
    roles = {c.role for c in cells}
    cells = [c for c in cells if c.text.strip()]
    has_number = bool(roles & NUMERIC_COLUMNS)
    has_text = bool(roles & {Column.DESCRIPTION, Column.SKU})
    if not (has_number and has_text and len(cells) >= 2):
        return None
    return cells


def _cell(role: Column, words: list[Word]) -> HeaderCell:
    return HeaderCell(
        role, " ".join(w.text for w in words), union(w.box for w in words), tuple(words)
    )


def _is_header_fragment(line: Line, lexicon: Lexicon) -> bool:
    """A line of heading words only (the second line of a two-line header)."""
    vocab = {t for key in lexicon.columns for t in key}
    misread = {t for key in lexicon.loose_columns for t in key}
    toks = tokens(line.text)
    return bool(toks) and all(
        t in vocab or t.upper() in _CURRENCY_WORDS or ocr_skeleton((t,))[0] in misread for t in toks
    )


_CURRENCY_WORDS = frozenset({*CURRENCY_CODES, *CURRENCY_SYMBOLS})


def _find_header(
    page_lines: Sequence[Line], lexicon: Lexicon, settings: ExtractionSettings
) -> tuple[list[int], list[HeaderCell]] | None:
    for i, line in enumerate(page_lines):
        cells = _header_cells(line, lexicon, settings.header_min_coverage)
        if cells is None:
            continue
        idx = [i]
        for j in (i - 1, i + 1):
            if 0 <= j < len(page_lines):
                other = page_lines[j]
                gap = abs(
                    other.box.top - line.box.bottom if j > i else line.box.top - other.box.bottom
                )
                if gap < line.height and _is_header_fragment(other, lexicon):
                    cells = _merge_header(cells, other, lexicon, above=j < i)
                    idx.append(j)
        return sorted(idx), sorted(cells, key=lambda c: c.box.x0)
    return None


def _merge_header(
    cells: list[HeaderCell], other: Line, lexicon: Lexicon, *, above: bool
) -> list[HeaderCell]:
    out = list(cells)
    for phrase in other.phrases:
        box = phrase.box
        best = max(
            range(len(out)),
            key=lambda k: min(out[k].box.x1, box.x1) - max(out[k].box.x0, box.x0),
        )
        c = out[best]
        if min(c.box.x1, box.x1) - max(c.box.x0, box.x0) <= 0:
            # A one-line heading in a two-line header row ("Qty / Ordered" beside
            # a lone "Description") is a column of its own, not noise.
            toks = [t for t in phrase.tokens if t.upper() not in _CURRENCY_WORDS]
            hit = lexicon.match_column(toks, 0)
            role = hit[1] if hit is not None and hit[0] == len(toks) else Column.OTHER
            out.append(HeaderCell(role, phrase.text, box, phrase.words))
            continue
        text = f"{phrase.text} {c.text}" if above else f"{c.text} {phrase.text}"
        toks = [t for t in tokens(text) if t.upper() not in _CURRENCY_WORDS]
        hit = lexicon.match_column(toks, 0)
        role = hit[1] if hit is not None and hit[0] == len(toks) else c.role
        out[best] = HeaderCell(role, text, c.box.union(box), (*c.words, *phrase.words))
    return out


# ---------------------------------------------------------------------------
# Columns


def _columns(
    cells: list[HeaderCell], body: Sequence[Line], lexicon: Lexicon, end_gap: float
) -> Columns:
    """Zone boundaries: in each gap between headings, the x crossing fewest body words."""
    # Cells, not words: the gaps between the words of a description are no gutter.
    # A phrase spanning three or more headings is prose (a note, a footer), not a row.
    # Text far below the rows (``end_gap`` line heights: a signature box under a
    # short table) is not part of the table either.
    rows: list[Box] = []
    above: float | None = None
    for line in body:
        if _starts_with_slot(line, lexicon, _TOTALS_SLOTS) or lexicon.is_page_footer(line.text):
            break
        if above is not None and line.box.top - above > end_gap * line.height:
            break
        above = line.box.bottom
        for phrase in line.phrases:
            if sum(1 for c in cells if h_overlap(c.box, phrase.box) > 0) < 3:
                rows.append(phrase.box)
    bounds: list[float] = []
    for a, b in itertools.pairwise(cells):
        lo, hi = sorted((a.box.x1, b.box.x0))
        if hi - lo < 1:
            bounds.append((lo + hi) / 2)
            continue
        # Right-aligned numbers may reach left of their heading: search up to the
        # previous heading's centre too, unless that heading is numeric as well:
        # its own right-aligned numbers end under its right edge, and a gutter
        # left of them would hand them to the next column.
        if b.role in NUMERIC_COLUMNS and a.role not in NUMERIC_COLUMNS:
            lo = min(lo, (a.box.x0 + a.box.x1) / 2)
        best: tuple[int, float, float] | None = None  # crossings, -run length, x
        x = lo
        run_start = lo
        prev_count = -1
        step = max((hi - lo) / 200, 0.25)
        while x <= hi + 1e-9:
            count = sum(1 for b in rows if b.x0 < x < b.x1)
            if count != prev_count:
                run_start = x
                prev_count = count
            mid = (run_start + x) / 2
            cand = (count, -(x - run_start), mid)
            if best is None or cand < best:
                best = cand
            x += step
        assert best is not None
        bounds.append(best[2])
    return Columns(cells, bounds)


def _starts_with_slot(line: Line, lexicon: Lexicon, slots: frozenset[Slot]) -> bool:
    for phrase in line.phrases:
        hit = lexicon.match_label(phrase.tokens, 0)
        if hit is not None and hit[1].slot_for(DocumentKind.UNKNOWN) in slots:
            n = hit[0]
            rest = phrase.tokens[n:]
            if not rest or not rest[0].isalpha() or len(rest) <= 2:
                return True
    return False


# ---------------------------------------------------------------------------
# Rows


def _cells(line: Line, columns: Columns) -> dict[int, list[Word]]:
    cells: dict[int, list[Word]] = {}
    for w in line.words:
        cells.setdefault(columns.zone_of(w), []).append(w)
    return cells


def _text(words: list[Word] | None) -> str:
    return " ".join(w.text for w in words) if words else ""


def _amount_in(words: list[Word] | None, style: NumberStyle | None) -> Decimal | None:
    if not words:
        return None
    for text in (_text(words), words[-1].text):
        parsed = parse_amount(text, style=style)
        if parsed is not None:
            return parsed.value
    return None


def _quantity_in(words: list[Word] | None, style: NumberStyle | None) -> Decimal | None:
    if not words:
        return None
    for text in (_text(words), words[0].text):
        q = parse_quantity(text, style=style)
        if q is not None:
            return q
    return None


def _po_in(words: list[Word] | None) -> str | None:
    """The PO number a row's "PO" cell holds, or None (empty, or not a number);
    of SAP's "PO/item" (``4500012345/10``) the PO."""
    value = identifier([w.text for w in words]) if words else None
    return po_without_item(value) if value is not None else None


def _read_rows(
    lines: Sequence[Line],
    columns: Columns,
    items: list[_Item],
    result: TableResult,
    kind: DocumentKind,
    lexicon: Lexicon,
    style: NumberStyle | None,
    settings: ExtractionSettings,
) -> bool:
    """Read item rows into ``items``; True when the totals block ended the table."""
    pref = _QTY_PREFERENCE.get(kind, _QTY_PREFERENCE[DocumentKind.INVOICE])
    qty_col = columns.first(*pref)
    amount_col = _amount_column(columns, lines, style)
    price_col = columns.first(Column.UNIT_PRICE)
    desc_col = _description_column(columns, lines, style)
    sku_col = columns.first(Column.SKU)
    po_col = columns.first(Column.PO_NUMBER)
    text_cols = {i for i, c in enumerate(columns.cells) if c.role not in NUMERIC_COLUMNS}
    page_items_start = len(items)
    for line in lines:
        if lexicon.is_page_footer(line.text) or _starts_with_slot(
            line, lexicon, frozenset({Slot.CARRY})
        ):
            result.used.add(line.index)
            continue
        cells = _cells(line, columns)
        qty = _quantity_in(cells.get(qty_col), style) if qty_col is not None else None
        amount = _amount_in(cells.get(amount_col), style) if amount_col is not None else None
        if qty is None and _starts_with_slot(line, lexicon, _TOTALS_SLOTS):
            result.end_line = line.index
            return True
        description = _text(cells.get(desc_col)) if desc_col is not None else ""
        sku = _text(cells.get(sku_col)) if sku_col is not None else ""
        if not description and desc_col is None:
            description = " ".join(
                _text(cells.get(i)) for i in sorted(text_cols) if i in cells and i != po_col
            )
        is_item = (qty is not None or amount is not None) and bool(description or sku)
        if is_item:
            price = _amount_in(cells.get(price_col), style) if price_col is not None else None
            items.append(
                _Item(
                    words=list(line.words),
                    description=[description] if description else [],
                    quantity=qty if qty is not None else Decimal(1),
                    sku=sku or None,
                    unit_price=price,
                    amount=amount,
                    boxes=[line.box],
                    bottom=line.box.bottom,
                    page=line.page,
                    po_number=_po_in(cells.get(po_col)) if po_col is not None else None,
                )
            )
            result.used.add(line.index)
            continue
        numbers = any(
            _amount_in(cells.get(i), style) is not None
            for i in range(len(columns.cells))
            if columns.cells[i].role in NUMERIC_COLUMNS
        )
        last = items[-1] if len(items) > page_items_start else None
        gap = line.box.top - last.bottom if last is not None else None
        text_only = all(i in text_cols for i in cells)
        if (
            last is not None
            and gap is not None
            and gap <= settings.continuation_max_gap * line.height
            and text_only
            and not numbers
        ):
            _continue_item(last, line, cells, desc_col, lexicon)
            result.used.add(line.index)
            continue
        if last is not None and gap is not None and gap > settings.table_end_gap * line.height:
            # Far below the last row and not an item: the table has ended on this
            # page (a note, a signature box or the page footer follows).
            return False
    return False


def _continue_item(
    item: _Item,
    line: Line,
    cells: dict[int, list[Word]],
    desc_col: int | None,
    lexicon: Lexicon,
) -> None:
    words = [w for ws in cells.values() for w in ws]
    text = " ".join(w.text for w in sorted(words, key=lambda w: w.box.x0))
    toks = tokens(text)
    hit = lexicon.match_column(toks, 0)
    if hit is not None and hit[1] is Column.SKU and item.sku is None:
        rest = text.split(":", 1)[1] if ":" in text else " ".join(text.split()[hit[0] :])
        code = rest.strip().split()
        if len(code) == 1 and _CODE.match(code[0]):
            item.sku = code[0]
            item.bottom = line.box.bottom
            return
    item.description.append(text)
    item.words.extend(line.words)
    if line.page == item.page:
        item.boxes.append(line.box)
    item.bottom = line.box.bottom


def _amount_column(
    columns: Columns, lines: Sequence[Line], style: NumberStyle | None
) -> int | None:
    amounts = [i for i, c in enumerate(columns.cells) if c.role is Column.AMOUNT]
    if not amounts:
        return columns.first(Column.GROSS_AMOUNT)
    if len(amounts) == 1:
        return amounts[0]
    qty_col = columns.first(Column.QUANTITY, Column.QUANTITY_RECEIVED, Column.QUANTITY_ORDERED)
    price_col = columns.first(Column.UNIT_PRICE)
    if qty_col is not None and price_col is not None:
        votes = dict.fromkeys(amounts, 0)
        for line in lines:
            cells = _cells(line, columns)
            q = _quantity_in(cells.get(qty_col), style)
            p = _amount_in(cells.get(price_col), style)
            if q is None or p is None:
                continue
            for i in amounts:
                a = _amount_in(cells.get(i), style)
                if a is not None and abs(q * p - a) <= Decimal("0.05"):
                    votes[i] += 1
        best = max(amounts, key=lambda i: (votes[i], i))
        if votes[best]:
            return best
    return amounts[-1]


def _description_column(
    columns: Columns, lines: Sequence[Line], style: NumberStyle | None
) -> int | None:
    """The description column; of several ("Item" beside "Description"), the one
    whose cells in the item rows hold the most letters, since item numbers and
    codes are no prose."""
    candidates = [i for i, c in enumerate(columns.cells) if c.role is Column.DESCRIPTION]
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    numeric = [i for i, c in enumerate(columns.cells) if c.role in NUMERIC_COLUMNS]
    letters = dict.fromkeys(candidates, 0)
    for line in lines:
        cells = _cells(line, columns)
        if all(_amount_in(cells.get(i), style) is None for i in numeric):
            continue  # not an item row: a note, a total, a footer
        for i in candidates:
            letters[i] += sum(c.isalpha() for c in _text(cells.get(i)))
    return max(candidates, key=lambda i: (letters[i], -i))


def _demote_line_numbers(items: list[_Item], columns: Columns | None) -> None:
    """A "SKU" column holding 1, 2, 3 ... is the line number, not an article number."""
    skus = [it.sku for it in items]
    if skus and all(s is not None and s.rstrip(".").isdigit() for s in skus):
        numbers = [int(s.rstrip(".")) for s in skus if s is not None]
        if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
            for it in items:
                it.sku = None


def _finish(n: int, item: _Item, kind: DocumentKind, settings: ExtractionSettings) -> ExtractedLine:
    unit_price, amount = item.unit_price, item.amount
    if kind is DocumentKind.RECEIPT:
        unit_price = amount = None
    confidence = 0.9
    if unit_price is not None and amount is not None:
        agree = abs(item.quantity * unit_price - amount) <= settings.amount_tolerance
        confidence = 1.0 if agree else 0.7
    return ExtractedLine(
        line_no=n,
        description=" ".join(" ".join(item.description).split()),
        quantity=item.quantity,
        sku=item.sku,
        unit_price=unit_price,
        amount=amount,
        box=union(item.boxes),
        confidence=confidence,
        po_number=item.po_number,
    )
