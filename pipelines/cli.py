"""The ``recon`` command line.

Thin: parses arguments, picks an engine, calls the plain pipeline functions
(``--engine local``) or the Prefect flows (``--engine prefect``), prints.
The local engine never imports Prefect, so a one-file ingest starts fast;
``auto`` uses Prefect only when a Prefect server is configured
(``PREFECT_API_URL``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from extractors.types import DocumentKind
from models.db import ensure_schema, make_engine, migrate, session_factory
from models.settings import DatabaseSettings

if TYPE_CHECKING:
    from pipelines.ingest import IngestResult
    from pipelines.reconcile import ReconcileSummary

# Heavy modules (pdfplumber, scipy, pandas, prefect) are imported inside the
# commands that need them: `recon --help` and a one-file ingest stay fast.

EPILOG = """\
examples:
  recon init
  recon ingest --kind po ./pos/
  recon ingest --kind receipt ./receipts/
  recon ingest ./inbox/                  # kind auto: invoices, POs and receipts told apart
  recon reconcile
  recon report --format xlsx --output discrepancies.xlsx
  recon export --output state.json
  recon month-end ./pos ./receipts ./inbox   # all of the above in one go

The database is --db URL, else RECON_DATABASE_URL, else recon.db (SQLite) here.
"""


class CliError(Exception):
    """An error the user can fix; printed without a traceback."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="recon",
        description="Reconcile vendor invoices against purchase orders and goods receipts.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--db",
        metavar="URL",
        help="database URL (default: RECON_DATABASE_URL or sqlite:///recon.db)",
    )
    p.add_argument(
        "--engine",
        choices=["auto", "local", "prefect"],
        default=os.environ.get("RECON_ENGINE", "auto"),
        help="run in-process (local) or as Prefect flows (prefect); auto = prefect only when "
        "PREFECT_API_URL is set (default: %(default)s)",
    )
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar, only results")
    p.add_argument("-v", "--verbose", action="store_true", help="log what happens, with timings")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    sub.add_parser("init", help="create or migrate the database schema (idempotent)")

    ing = sub.add_parser("ingest", help="read invoices, POs and receipts from files or folders")
    ing.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="files or folders (recursive)"
    )
    ing.add_argument(
        "--kind",
        choices=["auto", "invoice", "po", "receipt"],
        default="auto",
        help="what the files are; auto tells them apart by content (default: auto)",
    )

    rec = sub.add_parser("reconcile", help="three-way match invoices and raise discrepancies")
    rec.add_argument(
        "--all", action="store_true", help="re-evaluate every invoice, not only new ones"
    )

    rep = sub.add_parser("report", help="the discrepancy report for finance")
    _report_args(rep)

    exp = sub.add_parser(
        "export", help="everything recon knows, as JSON (see README for the shape)"
    )
    exp.add_argument(
        "--output",
        "-o",
        type=Path,
        required=True,
        metavar="FILE.json",
        help="where to write ('-' for stdout)",
    )

    me = sub.add_parser(
        "month-end",
        help="ingest PATHs, reconcile all invoices, print the report (the monthly batch)",
    )
    me.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="files or folders (recursive)"
    )
    _report_args(me)
    return p


def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--format",
        "-f",
        choices=["table", "csv", "xlsx", "html", "json"],
        default="table",
        help="table prints to the terminal; the others write --output or stdout (default: table)",
    )
    p.add_argument("--output", "-o", type=Path, metavar="FILE", help="write the report here")
    p.add_argument(
        "--include-closed",
        action="store_true",
        help="also list approved and rejected discrepancies",
    )


def _db_url(args: argparse.Namespace) -> str:
    return str(args.db or DatabaseSettings().url)


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _use_prefect(args: argparse.Namespace) -> bool:
    if args.engine == "auto":
        return bool(os.environ.get("PREFECT_API_URL"))
    return bool(args.engine == "prefect")


def _make_engine(url: str) -> Engine:
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        return make_engine(url)
    except (ArgumentError, NoSuchModuleError, ValueError) as exc:
        raise CliError(
            f"{url!r} is not a database URL recon can use ({exc}).\n"
            "Examples: sqlite:///recon.db, postgresql+psycopg://user@host:5432/dbname"
        ) from exc


def _engine(url: str) -> Engine:
    engine = _make_engine(url)
    try:
        ensure_schema(engine)
    except OperationalError as exc:
        raise CliError(
            f"cannot open the database at {_safe(url)}: {exc.orig}\n"
            "Check --db or RECON_DATABASE_URL (and that the server is running)."
        ) from exc
    return engine


def _kind(value: str) -> DocumentKind | None:
    return None if value == "auto" else DocumentKind(value)


def _progress(total: int, quiet: bool) -> tuple[Callable[[IngestResult], None], Callable[[], None]]:
    """A progress bar on a terminal; nothing otherwise."""
    if quiet or total < 2 or not sys.stderr.isatty():
        return (lambda _r: None), (lambda: None)
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn("ingesting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.description}"),
        transient=True,
    )
    task_id = bar.add_task("", total=total)
    bar.start()

    def step(result: IngestResult) -> None:
        # A mail's attachments report too; the bar counts the files named.
        bar.update(task_id, advance=0 if result.part_of else 1, description=result.source)

    return step, bar.stop


def _print_ingest(
    results: Sequence[IngestResult], seconds: float, out: TextIO, *, details: bool = True
) -> None:
    from pipelines.ingest import Outcome

    for r in results if details else ():
        if r.outcome is Outcome.QUARANTINED:
            print(f"  quarantined  {r.path}\n               {r.code}: {r.detail}", file=out)
        elif r.outcome is Outcome.ALREADY:
            print(f"  unchanged    {r.path} ({r.detail})", file=out)
        elif r.outcome is Outcome.REREAD:
            print(f"  re-read      {r.path} ({r.detail.rstrip('; ')})", file=out)
        elif r.outcome is Outcome.MAIL:
            print(f"  mail         {r.path} ({r.detail})", file=out)
    files = sum(r.part_of is None for r in results)
    mails = sum(r.outcome is Outcome.MAIL for r in results)
    in_mails = sum(r.part_of is not None for r in results)
    counts = Counter(r.outcome for r in results)
    kinds = Counter(r.kind for r in results if r.outcome in (Outcome.INGESTED, Outcome.REREAD))
    kind_text = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in sorted(kinds.items()))
    print(
        f"{files} files in {seconds:.1f} s"
        + (f" ({mails} mails holding {in_mails} files)" if mails else "")
        + ": "
        f"{counts[Outcome.INGESTED] + counts[Outcome.REREAD]} ingested"
        + (f" ({kind_text})" if kind_text else "")
        + f", {counts[Outcome.ALREADY]} already ingested (no change)"
        + f", {counts[Outcome.QUARANTINED]} quarantined",
        file=out,
    )


def _collect(paths: Sequence[Path]) -> list[Path]:
    from pipelines.ingest import collect_files

    try:
        return collect_files(paths)
    except FileNotFoundError as exc:
        raise CliError(str(exc)) from exc


def _ingest_here(
    args: argparse.Namespace,
    factory: sessionmaker[Session],
    files: Sequence[Path],
    kind: DocumentKind | None,
) -> list[IngestResult]:
    """The local engine's ingest, with a progress bar on a terminal."""
    from pipelines.ingest import ingest_files

    step, stop = _progress(len(files), args.quiet)
    try:
        return ingest_files(factory, files, kind=kind, on_result=step)
    finally:
        stop()


def cmd_ingest(args: argparse.Namespace, url: str, factory: sessionmaker[Session]) -> int:
    files = _collect(args.paths)
    if not files:
        raise CliError("no files found under " + ", ".join(str(p) for p in args.paths))
    started = time.perf_counter()
    kind = _kind(args.kind)
    if _use_prefect(args):
        from pipelines.flows import ingest_documents, quiet_prefect

        with quiet_prefect():
            results = ingest_documents([str(p) for p in files], url, kind)
    else:
        results = _ingest_here(args, factory, files, kind)
    _print_ingest(results, time.perf_counter() - started, sys.stdout)
    ok = any(r.outcome.is_document for r in results)
    return 0 if ok else 1


def _print_reconcile(s: ReconcileSummary, seconds: float) -> None:
    if s.invoices == 0 and s.on_file == 0:
        print("nothing to reconcile: no invoices on file yet (recon ingest PATH... first)")
        return
    if s.invoices == 0:
        print(
            f"nothing to reconcile: all {s.on_file} invoices are reconciled and nothing they "
            "depend on changed (--all re-evaluates every invoice)"
        )
        return
    took = f" in {seconds:.1f} s" if seconds else ""
    print(
        f"reconciled {s.invoices} invoices ({s.evaluated} evaluated with related ones)"
        f"{took}: {s.matches} lines matched, {s.discrepancies} discrepancies "
        f"({s.discrepancies_new} new, {s.discrepancies_cleared} cleared"
        + (f", {s.decisions_reopened} decisions reopened" if s.decisions_reopened else "")
        + f"), {s.assets_new} assets registered"
        + (f", {s.assets_held} held for review" if s.assets_held else "")
        + (f", {s.assets_released} released" if s.assets_released else "")
    )


def cmd_reconcile(args: argparse.Namespace, url: str, factory: sessionmaker[Session]) -> int:
    from pipelines.reconcile import run_reconcile

    started = time.perf_counter()
    if _use_prefect(args):
        from pipelines.flows import quiet_prefect, reconcile

        with quiet_prefect():
            summary = reconcile(url, everything=args.all)
    else:
        summary = run_reconcile(factory, everything=args.all)
    _print_reconcile(summary, time.perf_counter() - started)
    return 0


def cmd_report(args: argparse.Namespace, url: str, factory: sessionmaker[Session]) -> int:
    from models.read import report_data
    from reports.render import Format, print_summary, render

    with factory() as session:
        data = report_data(session, include_closed=args.include_closed)
    fmt = Format(args.format)
    if fmt is Format.XLSX and args.output is None:
        raise CliError("--format xlsx needs --output FILE.xlsx")
    text = render(data, fmt, args.output)
    if text is not None:
        sys.stdout.write(text)
    if args.output is not None:
        print_summary(data)
        print(f"report written to {args.output}")
    return 0


def cmd_export(args: argparse.Namespace, url: str, factory: sessionmaker[Session]) -> int:
    from models.read import export_state

    with factory() as session:
        state = export_state(session)
    text = json.dumps(state, indent=2, ensure_ascii=False) + "\n"
    if str(args.output) == "-":
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
        print(
            f"exported {len(state['documents'])} documents, {len(state['matches'])} matches, "
            f"{len(state['discrepancies'])} discrepancies, {len(state['assets'])} assets, "
            f"{len(state['quarantine'])} quarantined files to {args.output}"
        )
    return 0


def cmd_month_end(args: argparse.Namespace, url: str, factory: sessionmaker[Session]) -> int:
    """Ingest, reconcile everything, report; per-file quarantine reasons are in the report."""
    files = _collect(args.paths)
    started = time.perf_counter()
    if _use_prefect(args):
        from pipelines.flows import month_end, quiet_prefect

        with quiet_prefect():
            result = month_end([str(p) for p in files], url)
        ingested, reconciled = result.ingested, result.reconciled
        _print_ingest(ingested, time.perf_counter() - started, sys.stdout, details=False)
        _print_reconcile(reconciled, 0.0)
    else:
        from pipelines.reconcile import run_reconcile

        ingested = _ingest_here(args, factory, files, None)
        _print_ingest(ingested, time.perf_counter() - started, sys.stdout, details=False)
        rec_started = time.perf_counter()
        _print_reconcile(run_reconcile(factory, everything=True), time.perf_counter() - rec_started)
    print()
    return cmd_report(args, url, factory)


COMMANDS: dict[str, Callable[[argparse.Namespace, str, sessionmaker[Session]], int]] = {
    "ingest": cmd_ingest,
    "reconcile": cmd_reconcile,
    "report": cmd_report,
    "export": cmd_export,
    "month-end": cmd_month_end,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    url = _db_url(args)
    try:
        if args.command == "init":
            engine = _make_engine(url)
            try:
                migrate(engine)
            except OperationalError as exc:
                raise CliError(f"cannot open the database at {_safe(url)}: {exc.orig}") from exc
            print(f"database ready at {_safe(url)}")
            return 0
        factory = session_factory(_engine(url))
        return COMMANDS[args.command](args, url, factory)
    except CliError as exc:
        print(f"recon: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # an output file that cannot be written, say
        where = f" {exc.filename}" if exc.filename else ""
        print(f"recon: cannot write{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(
            "recon: interrupted; what was committed stays, run the command again to go on",
            file=sys.stderr,
        )
        return 130


def run() -> Any:  # pragma: no cover - console script shim
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
