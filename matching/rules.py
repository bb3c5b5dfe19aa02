"""One function per discrepancy rule, each returning a Discrepancy or None.

The rules only judge; :mod:`matching.reconcile` decides which documents and
lines they are asked about (duplicates first, then PO lookup, then lines in
date order).  Every discrepancy says in plain words what was compared with
what and which tolerance applied, because a finance reviewer reads it.

Pure functions: no I/O, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from matching._format import format_money, format_plain, format_quantity
from matching.lines import effective_unit_price
from matching.settings import MatchingSettings
from matching.types import Discrepancy, DiscrepancyType, Document, Kind, Line

__all__ = [
    "check_currency",
    "check_not_received",
    "check_price",
    "check_quantity",
    "check_total",
    "duplicate_invoice",
    "line_amount",
    "no_po",
    "po_not_on_file",
    "unknown_credited_invoice",
    "unmatched_line",
    "vendor_mismatch",
]

_HUNDRED: Final = Decimal(100)
_ZERO: Final = Decimal(0)
_CENT: Final = Decimal("0.01")


def _name(document: Document) -> str:
    """How a reviewer recognises a document: its number, else its key."""
    return document.number or f"(no number, key {document.key})"


def _line(line: Line) -> str:
    return f"line {line.line_no} ('{line.description}')"


def _where(doc: Document) -> str:
    """How a person finds the document: its file name, else recon's key for it."""
    return doc.source or f"document {doc.key}"


def duplicate_invoice(
    invoice: Document, original: Document, po: Document | None, *, suspected: str | None = None
) -> Discrepancy:
    """``invoice`` repeats ``original`` (lower seq): the same vendor and number,
    or, when ``suspected`` says why, probably the same invoice under another
    number."""
    if suspected is None:
        reason = (
            f"Invoice {_name(invoice)} from {invoice.vendor or 'an unnamed vendor'} was already"
            f" received as {_where(original)}; this later copy is not matched and counts"
            " toward no quantities."
        )
    else:
        reason = (
            f"Suspected duplicate: invoice {_name(invoice)} from {invoice.vendor} {suspected}"
            f" as invoice {_name(original)} ({_where(original)}). It is matched as usual but"
            " held: approve this if it is a separate invoice, reject it if it is a copy."
        )
    return Discrepancy(
        type=DiscrepancyType.DUPLICATE_INVOICE,
        invoice_key=invoice.key,
        invoice_line=None,
        po_key=po.key if po is not None else None,
        expected=_where(original),
        actual=_where(invoice),
        reason=reason,
    )


def no_po(
    invoice: Document,
    *,
    suggestion: tuple[Document, str] | None = None,
    cited: Sequence[str] = (),
) -> Discrepancy:
    """The invoice cites no PO, or only ones we do not know (``cited``, as
    printed; ``po_number`` when not given); ``suggestion`` is the vendor's PO
    its lines fit best and why, given as ``expected``."""
    cited = list(cited) or ([invoice.po_number] if invoice.po_number is not None else [])
    noun = _noun(invoice)
    if not cited:
        reason = f"The {noun} cites no PO number, so none of its lines can be checked."
    elif len(cited) == 1:
        reason = (
            f"The {noun} cites PO {cited[0]}, which is not among the known POs,"
            " so none of its lines can be checked."
        )
    else:
        reason = (
            f"The {noun} cites POs {_join(cited, 'and')}, none of which is among the known"
            " POs, so none of its lines can be checked."
        )
    if suggestion is not None:
        po, why = suggestion
        reason += (
            f" Best fit among {po.vendor}'s POs: {_name(po)} ({why}); if it is the right one,"
            f" ask the vendor to cite it on the {noun}."
        )
    return Discrepancy(
        type=DiscrepancyType.NO_PO,
        invoice_key=invoice.key,
        invoice_line=None,
        po_key=suggestion[0].key if suggestion is not None else None,
        expected=_name(suggestion[0]) if suggestion is not None else None,
        actual=", ".join(cited) or None,
        reason=reason,
    )


def po_not_on_file(
    invoice: Document,
    missing: Sequence[str],
    found: Sequence[Document],
    lines: Sequence[Line],
    *,
    checked_instead: Sequence[Line] = (),
) -> Discrepancy:
    """Of the POs the invoice cites, ``missing`` are not on file while ``found``
    are; ``lines`` cite a missing one themselves and could not be checked;
    ``checked_instead`` cite one too but fit a line of a found PO the header
    cites, and were checked there. Raised as ``no_po``: part of the invoice
    has no PO to be checked against, so the whole invoice waits for a person,
    while the lines that fit a found PO are still checked."""
    noun = "PO" if len(missing) == 1 else "POs"
    verb = "is" if len(missing) == 1 else "are"
    it = "it" if len(missing) == 1 else "them"
    found_names = _join([_name(po) for po in found], "and")
    reason = (
        f"The {_noun(invoice)} cites {noun} {_join(missing, 'and')} besides {found_names}, and"
        f" {_join(missing, 'and')} {verb} not among the known POs"
    )
    parts = []
    if lines:
        if checked_instead:
            fits = f"fit{'s' if len(lines) == 1 else ''} no line of {found_names} and"
        else:
            fits = ""
        parts.append(
            f"{_lines(lines)}, which {_cite(lines)} {it}, {fits}"
            f"{' ' if fits else ''}cannot be checked"
        )
    if checked_instead:
        one = len(checked_instead) == 1
        parts.append(
            f"{_lines(checked_instead)}, which {_cite(checked_instead)} {it} too,"
            f" {'fits a line' if one else 'fit lines'} of {found_names} and"
            f" {'was' if one else 'were'} checked against {'it' if one else 'them'}"
        )
    if parts:
        reason += ": " + "; ".join(parts)
    reason += (
        f". Its {'other ' if lines or checked_instead else ''}lines were checked against"
        f" {found_names} only; get the missing {noun} on file, or approve this if the"
        f" {_noun(invoice)} is in order."
    )
    return Discrepancy(
        type=DiscrepancyType.NO_PO,
        invoice_key=invoice.key,
        invoice_line=None,
        po_key=None,
        expected=None,
        actual=", ".join(missing),
        reason=reason,
    )


def _noun(document: Document) -> str:
    """``invoice`` or ``credit note``: what a reviewer calls ``document``."""
    return "credit note" if document.kind is Kind.CREDIT_NOTE else "invoice"


def _lines(lines: Sequence[Line]) -> str:
    """``line 2``, ``lines 2 and 3``."""
    numbers = _join([str(line.line_no) for line in lines], "and")
    return f"{'line' if len(lines) == 1 else 'lines'} {numbers}"


def _cite(lines: Sequence[Line]) -> str:
    return "cites" if len(lines) == 1 else "cite"


def unknown_credited_invoice(credit: Document, po: Document | None) -> Discrepancy:
    """A credit note whose credited invoice is not on file for its vendor, or
    that names no invoice (``credited_number`` None)."""
    vendor = credit.vendor or "an unnamed vendor"
    if credit.credited_number is None:
        reason = (
            f"Credit note {_name(credit)} from {vendor} names no invoice it credits, so"
            " nobody can tell which invoice it corrects; ask the vendor for the invoice"
            " number, or approve it if you know which invoice it is."
        )
    else:
        reason = (
            f"Credit note {_name(credit)} from {vendor} credits invoice"
            f" {credit.credited_number}, which is not on file for {vendor}: check the invoice"
            " number with the vendor before accepting the credit."
        )
    return Discrepancy(
        type=DiscrepancyType.UNKNOWN_CREDITED_INVOICE,
        invoice_key=credit.key,
        invoice_line=None,
        po_key=po.key if po is not None else None,
        expected=None,
        actual=credit.credited_number,
        reason=reason,
    )


def _join(items: Sequence[str], word: str) -> str:
    """``A``, ``A and B``, ``A, B and C`` (``or`` as ``word`` for alternatives)."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def line_amount(line: Line) -> Decimal:
    """The line's amount, else quantity x unit price, else 0 (nothing to add)."""
    if line.amount is not None:
        return line.amount
    if line.unit_price is not None:
        return line.quantity * line.unit_price
    return _ZERO


def check_total(invoice: Document, settings: MatchingSettings) -> Discrepancy | None:
    """Header total vs lines + tax, and subtotal vs lines; skipped without a total.

    Each comparison has its limit: ``total_tolerance``, or ``total_tolerance_pct``
    of the amount computed when that is more (``total_tolerance_pct_below`` for
    a printed figure under the computed one in amount, so a credit note stated
    in negative figures gets the limits an invoice gets); the reason names the
    rule that applied.
    """
    if invoice.total is None:
        return None
    lines = sum((line_amount(line) for line in invoice.lines), _ZERO)
    tax = invoice.tax if invoice.tax is not None else _ZERO
    problems: list[str] = []
    expected, actual = lines + tax, invoice.total
    limit, rule = _total_limit(
        invoice.total, lines + tax, "a total under the lines plus tax", settings
    )
    if abs(invoice.total - (lines + tax)) > limit:
        problems.append(
            f"the total {format_money(invoice.total)} differs from the lines"
            f" ({format_money(lines)}) plus tax ({format_money(tax)}) ="
            f" {format_money(lines + tax)} by {format_money(abs(invoice.total - lines - tax))}"
            f" ({rule}{settings.scope})"
        )
    if invoice.subtotal is not None:
        limit, rule = _total_limit(invoice.subtotal, lines, "a subtotal under the lines", settings)
        if abs(invoice.subtotal - lines) > limit:
            if not problems:
                expected, actual = lines, invoice.subtotal
            problems.append(
                f"the subtotal {format_money(invoice.subtotal)} differs from the sum of the"
                f" lines {format_money(lines)} by {format_money(abs(invoice.subtotal - lines))}"
                f" ({rule}{settings.scope})"
            )
    if not problems:
        return None
    return Discrepancy(
        type=DiscrepancyType.TOTAL_MISMATCH,
        invoice_key=invoice.key,
        invoice_line=None,
        po_key=None,
        expected=format_plain(expected),
        actual=format_plain(actual),
        reason=f"On {_noun(invoice)} {_name(invoice)} {' and '.join(problems)}.",
    )


def _total_limit(
    printed: Decimal, computed: Decimal, under: str, settings: MatchingSettings
) -> tuple[Decimal, str]:
    """How far ``printed`` may be from ``computed``, and the rule in words.

    The absolute ``total_tolerance``, or the percent of ``computed`` when that
    allows more (the percent below, for a printed figure under the computed in
    amount: ``under`` names that case in the reason). A percent limit is
    rounded to cents, half up (0.05 % of 1,190.00 = 0.595 -> 0.60), before it
    is compared, so the limit the reason shows is the one applied.
    """
    limit = settings.total_tolerance
    rule = f"tolerance {format_money(limit)}"
    pct, side = settings.total_tolerance_pct, ""
    if abs(printed) < abs(computed) and settings.total_tolerance_pct_below is not None:
        pct, side = settings.total_tolerance_pct_below, f" for {under}:"
    if pct is not None:
        by_pct = (abs(computed) * pct / _HUNDRED).quantize(_CENT, rounding=ROUND_HALF_UP)
        if by_pct > limit:
            limit = by_pct
            rule = (
                f"tolerance{side} {format_quantity(pct)} % of {format_money(abs(computed))}"
                f" = {format_money(by_pct)}{',' if settings.scope else ''}"
            )
    return limit, rule


def vendor_mismatch(invoice: Document, po: Document, score: float) -> Discrepancy:
    """The vendors differ; ``score`` is their similarity (0-100) after normalising."""
    return Discrepancy(
        type=DiscrepancyType.VENDOR_MISMATCH,
        invoice_key=invoice.key,
        invoice_line=None,
        po_key=po.key,
        expected=po.vendor,
        actual=invoice.vendor,
        reason=(
            f"The invoice is from '{invoice.vendor}' but PO {_name(po)} was placed with"
            f" '{po.vendor}' (name similarity {score:.0f} %)."
        ),
    )


def check_currency(invoice: Document, po: Document) -> Discrepancy | None:
    """Invoice and PO currency differ (skipped when either is unknown)."""
    if invoice.currency is None or po.currency is None:
        return None
    if invoice.currency.strip().casefold() == po.currency.strip().casefold():
        return None
    return Discrepancy(
        type=DiscrepancyType.CURRENCY_MISMATCH,
        invoice_key=invoice.key,
        invoice_line=None,
        po_key=po.key,
        expected=po.currency,
        actual=invoice.currency,
        reason=(
            f"The invoice is in {invoice.currency} but PO {_name(po)} is in {po.currency};"
            " no amount on it can be compared."
        ),
    )


def unmatched_line(
    invoice: Document,
    line: Line,
    po: Document,
    why: str,
    *,
    cited: Sequence[Document] = (),
    missing: Sequence[str] = (),
) -> Discrepancy:
    """An invoice line tied to no PO line; ``why`` comes from the line matcher.

    ``cited``: the POs the line was matched against when there were several
    (``po`` is then the one holding the closest line). ``missing``: POs the
    invoice also cites that are not on file, which the line may be for (the
    reason says so)."""
    if len(cited) > 1:
        where = f"the POs it cites, {_join([_name(p) for p in cited], 'or')}"
    else:
        where = f"PO {_name(po)}"
    noun = _noun(invoice)
    reason = f"{noun[0].upper()}{noun[1:]} {_line(line)} matches no line of {where}: {why}."
    if missing:
        reason += (
            f" It may be for {'PO' if len(missing) == 1 else 'POs'} {_join(missing, 'or')},"
            f" which the {noun} also cites and which {'is' if len(missing) == 1 else 'are'}"
            " not on file."
        )
    return Discrepancy(
        type=DiscrepancyType.UNMATCHED_LINE,
        invoice_key=invoice.key,
        invoice_line=line.line_no,
        po_key=po.key,
        expected=None,
        actual=line.description,
        reason=reason,
    )


def check_price(
    invoice: Document,
    line: Line,
    po: Document,
    po_line: Line,
    settings: MatchingSettings,
) -> Discrepancy | None:
    """Unit price differs from the PO's by more than the tolerance (exactly at it is fine)."""
    price = effective_unit_price(line)
    ordered = effective_unit_price(po_line)
    if price is None or ordered is None:
        return None
    tolerance, rule_side = settings.price_tolerance_pct, ""
    if price < ordered and settings.price_tolerance_pct_below is not None:
        tolerance, rule_side = settings.price_tolerance_pct_below, " below"
    rule = f"tolerance {format_quantity(tolerance)} %{rule_side}"
    if ordered == 0:
        if price == 0:
            return None
        how = f"is charged although PO {_name(po)} line {po_line.line_no} prices it at 0"
    else:
        pct = (price - ordered) / abs(ordered) * _HUNDRED
        limit_abs = settings.price_tolerance_abs
        within_pct = abs(pct) <= tolerance
        within_abs = limit_abs is None or abs(price - ordered) <= limit_abs
        if within_pct and within_abs:
            return None
        if within_pct and limit_abs is not None:  # the absolute limit decided
            rule = f"tolerance {format_money(limit_abs)} a unit"
            off = format_money(abs(price - ordered))
        else:
            off = f"{_percent(abs(pct), tolerance)} %"
        how = (
            f"is {off} {'above' if pct > 0 else 'below'} the"
            f" {format_money(ordered)} of PO {_name(po)} line {po_line.line_no}"
        )
    return Discrepancy(
        type=DiscrepancyType.PRICE_VARIANCE,
        invoice_key=invoice.key,
        invoice_line=line.line_no,
        po_key=po.key,
        expected=format_plain(ordered),
        actual=format_plain(price),
        reason=(
            f"Unit price {format_money(price)} on invoice {_line(line)} {how}"
            f" ({rule}{settings.scope})."
        ),
    )


def check_quantity(
    invoice: Document,
    line: Line,
    po: Document,
    po_line: Line,
    cumulative: Decimal,
    settings: MatchingSettings,
) -> Discrepancy | None:
    """Invoiced so far (``cumulative``, this line included) exceeds the ordered
    quantity by more than ``quantity_tolerance_pct``."""
    pct = settings.quantity_tolerance_pct
    tolerance = f" (tolerance {format_quantity(pct)} %{settings.scope})" if pct else ""
    if cumulative <= po_line.quantity * (1 + pct / _HUNDRED):
        return None
    return _cumulative_over(
        DiscrepancyType.QUANTITY_VARIANCE, invoice, line, po, po_line, cumulative,
        limit=po_line.quantity,
        but=f"only {format_quantity(po_line.quantity)} were ordered{tolerance}",
    )  # fmt: skip


def check_not_received(
    invoice: Document,
    line: Line,
    po: Document,
    po_line: Line,
    cumulative: Decimal,
    received: Decimal,
) -> Discrepancy | None:
    """Invoiced so far (``cumulative``, this line included) exceeds what was received."""
    return _cumulative_over(
        DiscrepancyType.NOT_RECEIVED, invoice, line, po, po_line, cumulative,
        limit=received,
        but=(
            "nothing has been received on it yet"
            if received == 0
            else f"only {format_quantity(received)} have been received"
        ),
    )  # fmt: skip


def _cumulative_over(
    kind: DiscrepancyType,
    invoice: Document,
    line: Line,
    po: Document,
    po_line: Line,
    cumulative: Decimal,
    *,
    limit: Decimal,
    but: str,
) -> Discrepancy | None:
    """A PO line invoiced, over all invoices so far, beyond ``limit``."""
    if cumulative <= limit:
        return None
    return Discrepancy(
        type=kind,
        invoice_key=invoice.key,
        invoice_line=line.line_no,
        po_key=po.key,
        expected=format_plain(limit),
        actual=format_plain(cumulative),
        reason=(
            f"{format_quantity(cumulative)} of PO {_name(po)} line {po_line.line_no}"
            f" ('{po_line.description}') have now been invoiced, {format_quantity(line.quantity)}"
            f" of them on this invoice's line {line.line_no}, but {but}."
        ),
    )


def _percent(pct: Decimal, tolerance: Decimal) -> str:
    """One decimal, or three when one would round onto the tolerance (2.04 -> 2.040)."""
    shown = pct.quantize(Decimal("0.1"))
    if shown <= tolerance:
        shown = pct.quantize(Decimal("0.001"))
    return format_plain(shown)
