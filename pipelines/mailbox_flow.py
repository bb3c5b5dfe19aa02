"""The Prefect flow ``mailbox_fetch``: one pass over the mailbox, a task per mail.

Thin: the work is :mod:`pipelines.mailbox`. What the flow adds is retries
with back-off on connection and database errors (never on a mail that fails
for its content: that mail is filed as failed and the pass goes on), a task
per mail so the Prefect UI shows each, and the run summary as a markdown
artifact. It takes no secrets as parameters: the mailbox settings and the
database URL come from the environment (and the config file) of the process
running it, because Prefect stores flow parameters on its server.
"""

from __future__ import annotations

# Before Prefect loads its settings: no telemetry, and no empty PREFECT_API_URL.
import pipelines.prefect_env  # noqa: F401  # isort: skip

from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from sqlalchemy.exc import OperationalError

from models.db import ensure_schema, make_engine, session_factory
from models.settings import DatabaseSettings
from pipelines.mailbox import (
    FetchSummary,
    Listing,
    Mailbox,
    MailboxRefused,
    MailboxUnavailable,
    MailOutcome,
    MailRef,
    MailResult,
    Pass,
    list_mail,
    process_mail,
)
from pipelines.mailbox import (
    State as MailState,
)
from pipelines.settings import mail_settings

ARTIFACT_KEY = "mailbox-fetch"


def retry_on_io(task: Any, task_run: TaskRun, state: State[Any]) -> bool:
    """Retry connection and database errors only; a mail's content never."""
    return isinstance(state.data, MailboxUnavailable | OperationalError)


@task(
    name="list-mail",
    task_run_name="list mail",
    cache_policy=NO_CACHE,
    retry_condition_fn=retry_on_io,
)
def list_task(box: Mailbox, run: Pass) -> Listing:
    """Connect, open the folder, and sort its mails into new, to file, ignored."""
    return list_mail(box, run.factory, run.settings)


@task(
    name="mail",
    task_run_name="mail uid {ref.uid}",
    cache_policy=NO_CACHE,
    retry_condition_fn=retry_on_io,
)
def mail_task(box: Mailbox, run: Pass, uidvalidity: int, ref: MailRef) -> MailResult:
    """Claim, ingest and file one mail."""
    return process_mail(box, run, uidvalidity, ref)


@flow(name="mailbox_fetch", log_prints=False)
def mailbox_fetch(db_url: str | None = None, limit: int | None = None) -> FetchSummary:
    """Ingest the new mail of the accounts-payable mailbox and file it away.

    ``db_url``: the database (default RECON_DATABASE_URL). ``limit``: at most
    this many mails (default RECON_MAIL_MAX_MAILS).
    """
    import time

    logger = get_run_logger()
    settings, read_settings = mail_settings()
    settings.require_connection()
    engine = make_engine(db_url or DatabaseSettings().url)
    ensure_schema(engine)
    run = Pass(session_factory(engine), settings, read_settings)
    delays = list(settings.retry_delays) or [0.0]
    started = time.perf_counter()
    results: list[MailResult] = []
    stopped = ""
    with Mailbox(settings) as box:
        listing = list_task.with_options(retries=settings.retries, retry_delay_seconds=delays)(
            box, run
        )
        todo = (
            listing.of(MailState.TO_FILE)
            + listing.of(MailState.NEW)
            + listing.of(MailState.CLAIMED)
        )[: min(limit or settings.max_mails, settings.max_mails)]
        logger.info(
            "%s, %s: %d mails, %d to take", settings.account, settings.folder,
            len(listing.mails), len(todo),
        )  # fmt: skip
        one = mail_task.with_options(retries=settings.retries, retry_delay_seconds=delays)
        for listed in todo:
            try:
                result = one(box, run, listing.uidvalidity, listed.ref)
            except (MailboxUnavailable, OperationalError) as exc:
                stopped = f"{type(exc).__name__}: {exc}"
                logger.warning("stopping this pass after %d mails: %s", len(results), stopped)
                break
            except MailboxRefused as exc:
                results.append(MailResult(listed.ref.uid, MailOutcome.ERROR, detail=str(exc)))
                stopped = str(exc)
                logger.warning("stopping this pass: %s", exc)
                break
            results.append(result)
    summary = FetchSummary(
        account=listing.account,
        folder=listing.folder,
        mails=tuple(results),
        listed=len(listing.mails),
        ignored=len(listing.of(MailState.IGNORED)),
        seconds=time.perf_counter() - started,
        stopped=stopped,
    )
    logger.info("%s", summary.text())
    create_markdown_artifact(
        summary.markdown(), key=ARTIFACT_KEY, description="What one mailbox pass did"
    )
    engine.dispose()
    return summary
