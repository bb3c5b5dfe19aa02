"""The discrepancy report in every format finance asks for.

Input is :class:`models.read.ReportData`; output is text or a file. No
queries here.
"""

from __future__ import annotations

import csv
import html
import io
import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import asdict
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from models.read import ReportData, ReportRow

TYPE_TITLES = {
    "no_po": "No PO",
    "unmatched_line": "Line not on PO",
    "price_variance": "Price variance",
    "quantity_variance": "Quantity over PO",
    "not_received": "Not received",
    "duplicate_invoice": "Duplicate invoice",
    "total_mismatch": "Totals don't add up",
    "vendor_mismatch": "Vendor differs from PO",
    "currency_mismatch": "Currency differs from PO",
    "unknown_credited_invoice": "Credit for an unknown invoice",
}


class Format(StrEnum):
    TABLE = "table"
    CSV = "csv"
    XLSX = "xlsx"
    HTML = "html"
    JSON = "json"


COLUMNS = [
    "vendor", "invoice", "invoice_source", "invoice_date", "po", "line", "type", "description",
    "expected", "actual", "status", "reason",
]  # fmt: skip


def _row_dict(row: ReportRow) -> dict[str, Any]:
    data = asdict(row)
    data["invoice_total"] = str(row.invoice_total) if row.invoice_total is not None else None
    return data


def by_type(data: ReportData) -> list[dict[str, Any]]:
    counts = Counter(r.type for r in data.rows)
    invoices: dict[str, set[str]] = defaultdict(set)
    for r in data.rows:
        invoices[r.type].add(r.invoice_source)
    return [
        {"type": t, "title": TYPE_TITLES.get(t, t), "count": n, "invoices": len(invoices[t])}
        for t, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def by_vendor(data: ReportData) -> list[dict[str, Any]]:
    """Per vendor: discrepancies, invoices affected and their value, per currency."""
    counts: Counter[str] = Counter()
    invoices: dict[str, dict[str, tuple[str | None, Decimal | None]]] = defaultdict(dict)
    for r in data.rows:
        vendor = r.vendor or "(vendor unknown)"
        counts[vendor] += 1
        invoices[vendor][r.invoice_source] = (r.currency, r.invoice_total)
    out = []
    for vendor, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        value: dict[str, Decimal] = defaultdict(Decimal)
        for currency, total in invoices[vendor].values():
            if total is not None:
                value[currency or "?"] += total
        out.append(
            {
                "vendor": vendor,
                "count": n,
                "invoices": len(invoices[vendor]),
                "value_on_hold": "; ".join(f"{c} {v:,.2f}" for c, v in sorted(value.items())),
            }
        )
    return out


def summary(data: ReportData) -> dict[str, Any]:
    return {
        "invoices": data.invoices,
        "invoices_clean": data.invoices_clean,
        "invoices_with_discrepancies": data.invoices_open,
        "invoices_not_reconciled": data.invoices_unreconciled,
        "discrepancies": data.discrepancies_open,
        "rows_listed": len(data.rows),
        "assets_registered": data.assets,
        "assets_held": data.assets_held,
        "files_quarantined": len(data.quarantine),
    }


def summary_line(data: ReportData) -> str:
    s = summary(data)
    parts = [
        f"{s['invoices']} invoices: {s['invoices_clean']} clean, "
        f"{s['invoices_with_discrepancies']} with {s['discrepancies']} open discrepancies"
    ]
    if s["invoices_not_reconciled"]:
        parts.append(f"{s['invoices_not_reconciled']} not reconciled yet (recon reconcile)")
    assets = f"{s['assets_registered']} assets registered"
    if s["assets_held"]:
        assets += f", {s['assets_held']} held for review"
    parts.append(assets)
    parts.append(f"{s['files_quarantined']} files quarantined")
    return "; ".join(parts) + "."


def to_json(data: ReportData) -> str:
    return json.dumps(
        {
            "summary": summary(data),
            "by_type": by_type(data),
            "by_vendor": by_vendor(data),
            "discrepancies": [_row_dict(r) for r in data.rows],
            "quarantine": [asdict(q) for q in data.quarantine],
        },
        indent=2,
        ensure_ascii=False,
    )


def to_csv(data: ReportData) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in data.rows:
        writer.writerow(_row_dict(r))
    return buf.getvalue()


def _html_table(rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> str:
    head = "".join(f"<th>{html.escape(c.replace('_', ' '))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape('' if r.get(c) is None else str(r.get(c)))}</td>" for c in columns
        )
        + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def to_html(data: ReportData) -> str:
    rows = [_row_dict(r) | {"type": TYPE_TITLES.get(r.type, r.type)} for r in data.rows]
    quarantine = [asdict(q) for q in data.quarantine]
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>recon: discrepancy report</title>
<style>
body{{font-family:system-ui,sans-serif;margin:2rem;color:#222}}
table{{border-collapse:collapse;margin:1rem 0;font-size:.9rem}}
th,td{{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}}
th{{background:#f3f3f3}}
</style></head><body>
<h1>Discrepancy report</h1>
<p>{html.escape(summary_line(data))}</p>
<h2>By type</h2>{_html_table(by_type(data), ["title", "count", "invoices"])}
<h2>By vendor</h2>{_html_table(by_vendor(data), ["vendor", "count", "invoices", "value_on_hold"])}
<h2>Discrepancies</h2>{_html_table(rows, COLUMNS)}
<h2>Quarantined files</h2>{_html_table(quarantine, ["source", "code", "reason", "path"])}
</body></html>
"""


def write_xlsx(data: ReportData, path: Path) -> None:
    import pandas as pd

    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame([summary(data)]).T.rename(columns={0: "value"}).to_excel(
            writer, sheet_name="Summary"
        )
        pd.DataFrame([_row_dict(r) for r in data.rows], columns=COLUMNS).to_excel(
            writer, sheet_name="Discrepancies", index=False
        )
        pd.DataFrame(by_type(data), columns=["type", "title", "count", "invoices"]).to_excel(
            writer, sheet_name="By type", index=False
        )
        pd.DataFrame(
            by_vendor(data), columns=["vendor", "count", "invoices", "value_on_hold"]
        ).to_excel(writer, sheet_name="By vendor", index=False)
        pd.DataFrame(
            [asdict(q) for q in data.quarantine], columns=["source", "code", "reason", "path"]
        ).to_excel(writer, sheet_name="Quarantine", index=False)


def print_summary(data: ReportData, *, file: Any = None) -> None:
    """Totals only: the line, by type, by vendor (for when the rows went to a file)."""
    print_table(data, file=file, rows=False)


def print_table(data: ReportData, *, file: Any = None, rows: bool = True) -> None:
    """The terminal report: totals, then each vendor's invoices with what is wrong.

    Blocks rather than one wide table: a reason is a sentence, and a sentence
    in a 12-character column is unreadable on an 80-column terminal.
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=file, width=None if file is None else 120, highlight=False)
    console.print(f"[bold]Discrepancy report[/bold]: {escape(summary_line(data))}")
    if data.rows and rows:
        vendor: str | None = None
        invoice: str | None = None
        for r in data.rows:
            if r.vendor != vendor or vendor is None:
                vendor = r.vendor or ""
                invoice = None
                console.print(f"\n[bold]{escape(r.vendor or '(vendor unknown)')}[/bold]")
            if r.invoice_source != invoice:
                invoice = r.invoice_source
                facts = [f"of {r.invoice_date}" if r.invoice_date else None]
                if r.invoice_total is not None:
                    facts.append(f"{r.currency or ''} {r.invoice_total:,.2f}".strip())
                facts.append(f"cites PO {r.po}" if r.po else "cites no PO")
                console.print(
                    f"  Invoice [bold]{escape(r.invoice)}[/bold] "
                    + ", ".join(f for f in facts if f)
                    + f"  [dim]({escape(r.invoice_source)})[/dim]"
                )
            where = f"line {r.line}: " if r.line is not None else ""
            values = []
            if r.expected is not None:
                values.append(f"expected {r.expected}")
            if r.actual is not None:
                values.append(f"actual {r.actual}")
            status = "" if r.status == "open" else f" [{r.status}]"
            console.print(
                f"    [red]x[/red] {where}[bold]{TYPE_TITLES.get(r.type, r.type)}[/bold]"
                + (f" ({escape(', '.join(values))})" if values else "")
                + escape(status)
            )
            console.print(f"      {escape(r.reason)}", soft_wrap=False)
    if data.rows:
        console.print()
        bt = Table(title="By type", title_justify="left")
        for col in ["Type", "Discrepancies", "Invoices"]:
            bt.add_column(col)
        for row in by_type(data):
            bt.add_row(row["title"], str(row["count"]), str(row["invoices"]))
        console.print(bt)
        bv = Table(title="By vendor", title_justify="left")
        for col in ["Vendor", "Discrepancies", "Invoices", "Invoice value on hold"]:
            bv.add_column(col)
        for row in by_vendor(data):
            bv.add_row(
                escape(row["vendor"]), str(row["count"]), str(row["invoices"]), row["value_on_hold"]
            )
        console.print(bv)
    if data.quarantine and rows:
        console.print("\n[bold]Quarantined files[/bold] (not ingested; fix and ingest again)")
        for q in data.quarantine:
            console.print(f"  [yellow]![/yellow] {escape(q.source)} [dim]{escape(q.path)}[/dim]")
            console.print(f"      {escape(q.code)}: {escape(q.reason)}")


def render(data: ReportData, fmt: Format, output: Path | None) -> str | None:
    """Write the report to ``output`` (or return it as text when None)."""
    if fmt is Format.XLSX:
        if output is None:
            raise ValueError("the xlsx format needs --output FILE.xlsx")
        write_xlsx(data, output)
        return None
    if fmt is Format.TABLE:
        if output is None:
            print_table(data)
            return None
        with output.open("w", encoding="utf-8") as fh:
            print_table(data, file=fh)
        return None
    text = {Format.CSV: to_csv, Format.HTML: to_html, Format.JSON: to_json}[fmt](data)
    if output is None:
        return text
    output.write_text(text, encoding="utf-8")
    return None
