"""Seconds per mail for one mailbox pass, next to what downloading and ingesting alone cost.

    uv run python bench/mailbox.py [--mails 200] [--postgres URL]

A throwaway Dovecot (as in the tests) gets ``--mails`` vendor mails, each with
one sample invoice PDF (made unique, so every one is really read and stored,
none is a cheap duplicate) and an inline logo in an HTML body. Measured in
the same run, each on mails of their own:

- ``recon mailbox fetch``: one pass as a user runs it, a process of its own
  (interpreter start and imports included);
- the same pass in-process (``pipelines.mailbox.fetch``);
- floor, download: the same mails fetched one by one with imap-tools
  (BODY.PEEK[], as recon does), nothing else;
- floor, ingest: the same PDFs ingested from disk (``ingest_files``).

Each measurement gets an empty database of its own: a new SQLite file, or
with ``--postgres URL`` a throwaway schema in that PostgreSQL database
(dropped at the end).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractors.mail import MailReadSettings  # noqa: E402
from models.db import ensure_schema, make_engine, session_factory  # noqa: E402
from pipelines.ingest import ingest_files  # noqa: E402
from pipelines.mailbox import Mailbox, Pass, fetch  # noqa: E402
from tests.extractors.mail import builders as b  # noqa: E402
from tests.mailbox.dovecot import Account, start_dovecot  # noqa: E402


def unique_pdf(i: int) -> tuple[str, bytes]:
    """Sample invoice ``i mod n`` made unique by a comment after %%EOF (readers skip it)."""
    name, data = b.invoice(i % len(b.INVOICES))
    return f"{Path(name).stem}-{i:03d}.pdf", data + f"\n% bench mail {i}\n".encode()


def mails(n: int) -> list[bytes]:
    logo = b.logo_png()
    out = []
    for i in range(n):
        name, data = unique_pdf(i)
        out.append(
            b.Mail(
                f"Invoice {name}",
                [
                    b.Att(name, data, "application/pdf"),
                    b.Att("logo.png", logo, "image/png", inline_cid="logo"),
                ],
                html='<p>Please find our invoice attached.</p><img src="cid:logo">',
                message_id=f"<bench-{i}@vendor.example>",
            ).build()
        )
    return out


def download_all(account: Account) -> float:
    started = time.perf_counter()
    with account.connect() as box:
        box.folder.set("INBOX", readonly=True)
        for uid in box.uids():
            typ, data = box.client.uid("FETCH", uid, "(BODY.PEEK[])")
            assert typ == "OK" and isinstance(data[0], tuple)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mails", type=int, default=200)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="PostgreSQL database for throwaway schemas (default: SQLite files)",
    )
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="recon-bench-mail-"))
    schemas: list[str] = []
    server = start_dovecot()
    try:
        raws = mails(args.mails)
        total_mb = sum(len(r) for r in raws) / 2**20

        def db(label: str) -> str:
            if not args.postgres:
                return f"sqlite:///{tmp / f'{label}.db'}"
            schema = f"recon_bench_{label}_{os.getpid()}"
            schemas.append(schema)
            with make_engine(args.postgres).begin() as connection:
                connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
            sep = "&" if "?" in args.postgres else "?"
            return f"{args.postgres}{sep}options={quote(f'-csearch_path={schema}')}"

        # 1. The pass as a user runs it: its own process.
        cli_account = server.account()
        cli_account.deliver(*raws)
        env = {**os.environ, **cli_account.env()}
        env.pop("PREFECT_API_URL", None)
        recon = [sys.executable, "-m", "pipelines.cli", "--engine", "local", "--db", db("cli")]
        subprocess.run([*recon, "init"], env=env, cwd=ROOT, check=True, capture_output=True)
        started = time.perf_counter()
        done = subprocess.run(
            [*recon, "-q", "mailbox", "fetch"], env=env, cwd=ROOT, capture_output=True, text=True
        )
        cli_seconds = time.perf_counter() - started
        if done.returncode != 0:
            print(done.stdout, done.stderr)
            return 1
        summary_line = done.stdout.strip().splitlines()[-1]

        # 2. The same pass in-process.
        account = server.account()
        account.deliver(*raws)
        engine = make_engine(db("inprocess"))
        ensure_schema(engine)
        settings = account.settings()
        run = Pass(session_factory(engine), settings, MailReadSettings())
        started = time.perf_counter()
        with Mailbox(settings) as box:
            summary = fetch(box, run)
        pass_seconds = time.perf_counter() - started
        assert summary.documents == args.mails, summary.text()
        engine.dispose()

        # 3. Floor: download the same mails, nothing else.
        floor_account = server.account()
        floor_account.deliver(*raws)
        download_seconds = download_all(floor_account)

        # 4. Floor: the same PDFs from disk.
        folder = tmp / "pdfs"
        folder.mkdir()
        for i in range(args.mails):
            name, data = unique_pdf(i)
            (folder / name).write_bytes(data)
        engine = make_engine(db("disk"))
        ensure_schema(engine)
        started = time.perf_counter()
        results = ingest_files(session_factory(engine), sorted(folder.iterdir()))
        disk_seconds = time.perf_counter() - started
        assert len(results) == args.mails
        engine.dispose()
    finally:
        server.stop()
        shutil.rmtree(server.root, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)
        if schemas:
            with make_engine(args.postgres).begin() as connection:
                for schema in schemas:
                    connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    n = args.mails
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(
        f"{n} mails ({total_mb:.1f} MB), each an HTML mail with one invoice PDF and an inline "
        f"logo; database {backend}; Dovecot on loopback"
    )
    print(f"recon's own summary: {summary_line}")
    print()
    rows = [
        ("recon mailbox fetch (a process: start-up included)", cli_seconds),
        ("the same pass in-process (pipelines.mailbox.fetch)", pass_seconds),
        ("floor: download the mails with imap-tools, one by one", download_seconds),
        ("floor: ingest the same PDFs from disk (ingest_files)", disk_seconds),
    ]
    print(f"| {'what':<56} | total s | s/mail |")
    print(f"|{'-' * 58}|---------|--------|")
    for label, seconds in rows:
        print(f"| {label:<56} | {seconds:7.2f} | {seconds / n:6.4f} |")
    overhead = pass_seconds - download_seconds - disk_seconds
    print(
        f"\nin-process pass over download + disk ingest: {overhead:+.2f} s "
        f"({overhead / n * 1000:+.1f} ms/mail: claim, ledger, parsing the MIME, filing the mail)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
