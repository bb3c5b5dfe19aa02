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
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from extractors.types import DocumentKind
from models.db import ensure_schema, make_engine, migrate, session_factory
from models.settings import DatabaseSettings
from pipelines.errors import ConfigError

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
  recon mailbox check                    # what a fetch would take from the mailbox
  recon mailbox fetch                    # ingest new mail now, file it away
  recon serve                            # the mailbox every few minutes, month-end monthly

The database is --db URL, else RECON_DATABASE_URL, else recon.db (SQLite) here.
The mailbox is RECON_MAIL_* (or the [mail] table of --config FILE); see README.
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
    p.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="TOML config file with [mail] and [month_end] tables (default: RECON_CONFIG); "
        "environment variables win over it",
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

    rec = sub.add_parser(
        "reconcile",
        help="three-way match invoices and raise discrepancies",
        description="Three-way match the invoices not reconciled yet (or --all), raise "
        "discrepancies and register verified items. The month is cut into chunks that share "
        "nothing (a vendor's documents stay together), each saved in its own transaction: "
        "an interrupted run keeps its finished chunks and a re-run does the rest.",
    )
    rec.add_argument(
        "--all", action="store_true", help="re-evaluate every invoice, not only new ones"
    )
    _runner_args(rec)

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
    _runner_args(me)

    mb = sub.add_parser(
        "mailbox",
        help="the accounts-payable mailbox: check what is there, fetch new mail",
        description="Read invoices from an IMAP mailbox (settings: RECON_MAIL_*, see README).",
    )
    mb_sub = mb.add_subparsers(dest="mailbox_command", required=True, metavar="ACTION")
    chk = mb_sub.add_parser(
        "check",
        help="connect and list what a fetch would take; changes nothing",
        description="Connect, open the folder read-only, and list each mail with what a fetch "
        "would do: take it (and which attachments), file it (ingested before), or leave it "
        "(rules). Nothing is moved, flagged, marked seen, created or stored.",
    )
    chk.add_argument(
        "--headers-only",
        action="store_true",
        help="do not download new mails to list their attachments",
    )
    fet = mb_sub.add_parser(
        "fetch",
        help="one pass: ingest new mail now and file each one away",
        description="Ingest every new mail's attachments, then move the mail to the processed "
        "folder (or the failed folder when nothing in it could be read). Safe to run while "
        "'recon serve' runs, and again after a crash: nothing is lost or stored twice.",
    )
    fet.add_argument("--limit", type=int, metavar="N", help="take at most N mails this time")

    srv = sub.add_parser(
        "serve",
        help="run the mailbox fetch on its schedule, and the month-end on its, until Ctrl-C",
        description="Serve two Prefect deployments: 'mailbox' every RECON_MAIL_SCHEDULE and "
        "'month-end' on RECON_MONTH_END_SCHEDULE. Uses the Prefect server at PREFECT_API_URL, "
        "or starts one on 127.0.0.1 (with its UI) while it runs. Ctrl-C stops cleanly.",
    )
    srv.add_argument(
        "--prefect-port",
        type=int,
        default=4200,
        metavar="PORT",
        help="port of the Prefect server recon starts when PREFECT_API_URL is unset "
        "(default: %(default)s)",
    )
    srv.add_argument("--no-ui", action="store_true", help="start that server without its UI")
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
        help="also list approved, rejected and resolved (no longer raised) discrepancies",
    )


def _db_url(args: argparse.Namespace) -> str:
    return str(args.db or DatabaseSettings().url)


def _runner_args(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("where the chunks run")
    group.add_argument(
        "--runner",
        choices=["local", "dask"],
        default=os.environ.get("RECON_RUNNER", "local"),
        help="local: one after the other in this process (or as Prefect tasks with "
        "--engine prefect); dask: as Prefect tasks on a Dask cluster, in parallel "
        "(default: %(default)s)",
    )
    group.add_argument(
        "--dask-address",
        metavar="ADDR",
        default=os.environ.get("RECON_DASK_ADDRESS"),
        help="the Dask scheduler to use, e.g. tcp://10.0.0.5:8786 (implies --runner dask; its "
        "workers need recon installed and the database reachable); without it --runner dask "
        "starts a local cluster (default: RECON_DASK_ADDRESS)",
    )
    group.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="processes of the local Dask cluster (default: one per core)",
    )


def _on_dask(args: argparse.Namespace) -> bool:
    if args.workers is not None and args.workers < 1:
        raise CliError("--workers must be at least 1")
    return bool(args.runner == "dask" or args.dask_address)


def _check_dask_address(address: str) -> None:
    """Fail fast, in words, when a tcp:// scheduler is not there (Dask itself
    waits 30 s, then the flow fails with a traceback)."""
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme != "tcp":
        return  # tls://, ws://: Dask's own connection says what is wrong
    try:
        host, port = parts.hostname, parts.port or 8786
    except ValueError as exc:
        raise CliError(f"--dask-address {address!r} is not an address: {exc}") from exc
    if not host:
        raise CliError(f"--dask-address {address!r} names no host; give tcp://HOST:PORT")
    try:
        with socket.create_connection((host, port), timeout=5):
            pass
    except OSError as exc:
        raise CliError(
            f"cannot reach the Dask scheduler at {address} ({exc.strerror or exc}): check the "
            "address and that `dask scheduler` is running there, or leave out --dask-address "
            "to start a local cluster"
        ) from exc


@contextmanager
def _prefect_api_for(args: argparse.Namespace) -> Iterator[None]:
    """A Prefect API the Dask workers can report to, when none is set.

    Without PREFECT_API_URL a flow runs against Prefect's temporary server,
    whose address only this process knows: each worker process would start
    one of its own. So the temporary server is started here, first, and its
    address handed to the workers through the environment they inherit.
    """
    if not _on_dask(args) or args.dask_address or os.environ.get("PREFECT_API_URL", "").strip():
        yield
        return
    from prefect.logging.handlers import APILogWorker
    from prefect.server.api.server import SubprocessASGIServer

    import pipelines.prefect_env  # noqa: F401  # before Prefect: no telemetry job

    server = SubprocessASGIServer()  # the instance Prefect's own temporary mode uses
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    try:
        yield
    finally:
        APILogWorker.drain_all(timeout=5)  # the run's last log lines, before the server goes
        os.environ.pop("PREFECT_API_URL", None)
        server.stop()


def _reconcile_progress(quiet: bool) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A progress bar over the lines to reconcile, on a terminal; nothing otherwise."""
    if quiet or not sys.stderr.isatty():
        return (lambda _d, _t: None), (lambda: None)
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("reconciling"),
        BarColumn(),
        TextColumn("{task.completed:,.0f} of {task.total:,.0f} lines"),
        TimeRemainingColumn(),
        transient=True,
    )
    task_id = bar.add_task("", total=None)
    started = False

    def step(done: int, total: int) -> None:
        nonlocal started
        if not started and total >= 10_000:  # a small month is done before a bar helps
            bar.start()
            started = True
        bar.update(task_id, completed=done, total=total)

    return step, bar.stop


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


def _flow_database(url: str) -> None:
    """Hand the database URL to the flows through the environment (they are then
    called with ``db_url=None``), not as a parameter: Prefect stores a flow run's
    parameters, and a URL can hold a password."""
    os.environ["RECON_DATABASE_URL"] = url


def cmd_ingest(args: argparse.Namespace, url: str, factory: sessionmaker[Session]) -> int:
    files = _collect(args.paths)
    if not files:
        raise CliError("no files found under " + ", ".join(str(p) for p in args.paths))
    started = time.perf_counter()
    kind = _kind(args.kind)
    if _use_prefect(args):
        from pipelines.flows import ingest_documents, quiet_prefect

        with quiet_prefect():
            _flow_database(url)
            results = ingest_documents([str(p) for p in files], None, kind)
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
        f"({s.discrepancies_new} new, {s.discrepancies_resolved} resolved"
        + (f", {s.decisions_reopened} decisions reopened" if s.decisions_reopened else "")
        + f"), {s.assets_new} assets registered"
        + (f", {s.assets_held} held for review" if s.assets_held else "")
        + (f", {s.assets_released} released" if s.assets_released else "")
    )


def cmd_reconcile(args: argparse.Namespace, url: str, factory: sessionmaker[Session]) -> int:
    started = time.perf_counter()
    summary = _reconcile(args, url, factory, everything=args.all)
    _print_reconcile(summary, time.perf_counter() - started)
    return 0


def _reconcile(
    args: argparse.Namespace, url: str, factory: sessionmaker[Session], *, everything: bool
) -> ReconcileSummary:
    """Reconcile here (with a progress bar), as a Prefect flow, or on Dask, as asked."""
    if _on_dask(args) or _use_prefect(args):
        if args.dask_address:
            _check_dask_address(args.dask_address)
        with _prefect_api_for(args):
            from pipelines.flows import on_dask, quiet_prefect, reconcile

            flow_fn = reconcile
            if _on_dask(args):
                flow_fn = on_dask(reconcile, args.dask_address, args.workers)
            with quiet_prefect():
                _flow_database(url)
                return flow_fn(None, everything=everything)
    from pipelines.reconcile import run_reconcile

    step, stop = _reconcile_progress(args.quiet)
    try:
        return run_reconcile(factory, everything=everything, progress=step)
    finally:
        stop()


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
    if _use_prefect(args) and not _on_dask(args):
        from pipelines.flows import month_end, quiet_prefect

        with quiet_prefect():
            _flow_database(url)
            result = month_end([str(p) for p in files], None)
        ingested, reconciled = result.ingested, result.reconciled
        _print_ingest(ingested, time.perf_counter() - started, sys.stdout, details=False)
        _print_reconcile(reconciled, 0.0)
    else:
        ingested = _ingest_here(args, factory, files, None)
        _print_ingest(ingested, time.perf_counter() - started, sys.stdout, details=False)
        rec_started = time.perf_counter()
        summary = _reconcile(args, url, factory, everything=True)
        _print_reconcile(summary, time.perf_counter() - rec_started)
    print()
    return cmd_report(args, url, factory)


def _mail_settings() -> tuple[Any, Any]:
    from pipelines.settings import mail_settings

    try:
        settings, read_settings = mail_settings()
        settings.require_connection()
    except ConfigError as exc:
        raise CliError(str(exc)) from exc
    return settings, read_settings


@contextmanager
def _mailbox_errors() -> Iterator[None]:
    """Mailbox and config errors are the user's to fix: no traceback, the advice."""
    from pipelines.mailbox import MailboxError

    try:
        yield
    except (MailboxError, ConfigError) as exc:
        raise CliError(str(exc)) from exc


def cmd_mailbox(args: argparse.Namespace, url: str, factory: sessionmaker[Session]) -> int:
    if args.mailbox_command == "check":
        return _mailbox_check(args, factory)
    return _mailbox_fetch(args, url, factory)


def _mailbox_check(args: argparse.Namespace, factory: sessionmaker[Session]) -> int:
    from pipelines.mailbox import Mailbox, State, check

    settings, read_settings = _mail_settings()
    with _mailbox_errors(), Mailbox(settings) as box:
        listing, previews, missing = check(
            box, factory, settings, read_settings, read_new=not args.headers_only
        )
    print(f"{settings.where}, folder {settings.folder}: {len(listing.mails)} mails")
    for preview in previews:
        ref, state = preview.listed.ref, preview.listed.state
        what = f'"{ref.subject or ""}" from {ref.sender or "?"}, {ref.size / 1024:.0f} KB'
        why = f" ({preview.listed.why})" if preview.listed.why else ""
        print(f"  uid {ref.uid:<6} {state.value:<8} {what}{why}")
        for label, decision, reason in preview.parts:
            verb = {"taken": "take", "skipped": "skip", "refused": "refuse"}[decision]
            print(f"           {verb:<7} {label}: {reason}")
        if state is State.NEW and not preview.parts and not args.headers_only:
            print(f"           nothing to take{f': {preview.hint}' if preview.hint else ''}")
    counts = {state: len(listing.of(state)) for state in State}
    print(
        f"a fetch would take {counts[State.NEW]} mails, file {counts[State.TO_FILE]} ingested "
        f"before, leave {counts[State.IGNORED]} alone (rules)"
        + (
            f" and {counts[State.CLAIMED]} claimed by a running fetch"
            if counts[State.CLAIMED]
            else ""
        )
        + (f"; it would create the folders {', '.join(missing)}" if missing else "")
    )
    return 0


def _mailbox_fetch(args: argparse.Namespace, url: str, factory: sessionmaker[Session]) -> int:
    settings, read_settings = _mail_settings()
    if _use_prefect(args):
        from pipelines.flows import quiet_prefect
        from pipelines.mailbox_flow import mailbox_fetch

        # The flow reads the database from the environment: no password in its parameters.
        with _mailbox_errors(), _environ(RECON_DATABASE_URL=url), quiet_prefect():
            summary = mailbox_fetch(limit=args.limit)
        _print_mails(summary.mails, args.quiet)
    else:
        from pipelines.mailbox import Mailbox, Pass, fetch

        print(f"{settings.where}, folder {settings.folder}")
        run = Pass(factory, settings, read_settings)
        with _mailbox_errors(), Mailbox(settings) as box:
            summary = fetch(
                box, run, limit=args.limit, on_mail=lambda m: _print_mails([m], args.quiet)
            )
    print(summary.text())
    return 1 if summary.stopped else 0


def _print_mails(mails: Sequence[Any], quiet: bool) -> None:
    from pipelines.ingest import Outcome

    if quiet:
        return
    verbs = {
        Outcome.INGESTED: "ingested",
        Outcome.REREAD: "re-read",
        Outcome.ALREADY: "on file",
        Outcome.QUARANTINED: "quarantined",
    }
    for m in mails:
        where = f" -> {m.filed_to}" if m.filed_to else ""
        subject = m.subject or ""
        print(f'  uid {m.uid:<6} {m.outcome.value:<10} "{subject}" from {m.sender or "?"}{where}')
        for r in m.files:
            if r.outcome is Outcome.MAIL:
                continue
            label = r.source.split(" / ", 1)[-1] if r.part_of else r.source
            if r.outcome is Outcome.QUARANTINED:
                print(f"             quarantined  {label}")
                print(f"                          {r.code}: {r.detail}")
            else:
                number = f" ({r.kind} {r.number})" if r.number else ""
                print(f"             {verbs[r.outcome]:<12} {label}{number}")
        if m.detail and not m.files:
            print(f"             {m.detail}")


def cmd_serve(args: argparse.Namespace, url: str, factory: sessionmaker[Session]) -> int:
    from pipelines.serve import serve

    _mail_settings()  # refuse at once when the mailbox is not configured
    with _mailbox_errors():
        return serve(url, port=args.prefect_port, ui=not args.no_ui)


@contextmanager
def _environ(**values: str) -> Iterator[None]:
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in old.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


COMMANDS: dict[str, Callable[[argparse.Namespace, str, sessionmaker[Session]], int]] = {
    "ingest": cmd_ingest,
    "reconcile": cmd_reconcile,
    "report": cmd_report,
    "export": cmd_export,
    "month-end": cmd_month_end,
    "mailbox": cmd_mailbox,
    "serve": cmd_serve,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    url = _db_url(args)
    config = {"RECON_CONFIG": str(args.config)} if args.config else {}
    try:
        with _environ(**config):
            return _run(args, url)
    except (CliError, ConfigError) as exc:
        print(f"recon: {exc}", file=sys.stderr)
        return 2
    except OperationalError as exc:  # the database went away or stayed locked mid-run
        print(
            f"recon: the database at {_safe(url)} failed: {str(exc.orig).strip()}; what was "
            "committed stays, run the command again to go on",
            file=sys.stderr,
        )
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


def _run(args: argparse.Namespace, url: str) -> int:
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


def run() -> Any:  # pragma: no cover - console script shim
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
