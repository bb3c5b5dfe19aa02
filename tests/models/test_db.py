"""The schema: migrations, exact decimals, the constraints that make re-runs idempotent."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from models.db import SCHEMA_HEAD, current_revision, ensure_schema, make_engine, migrate
from models.tables import Document, DocumentLine, Quarantine

ROOT = Path(__file__).resolve().parents[2]


def test_schema_head_constant_is_alembic_head() -> None:
    config = Config()
    config.set_main_option("script_location", str(ROOT / "models" / "migrations"))
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_HEAD


def test_migrate_is_idempotent(engine: Engine) -> None:
    migrate(engine)
    migrate(engine)
    assert current_revision(engine) == SCHEMA_HEAD
    assert ensure_schema(engine) is False


def test_ensure_schema_creates_a_fresh_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert ensure_schema(engine) is True
    assert current_revision(engine) == SCHEMA_HEAD


def _doc(sha: str, **kw: object) -> Document:
    base: dict[str, object] = dict(
        kind="invoice",
        source="a.pdf",
        path="/x/a.pdf",
        sha256=sha,
        mime="application/pdf",
        size_bytes=1,
        extractor="pdf",
        page_count=1,
        fields={},
        notes=[],
    )
    base.update(kw)
    return Document(**base)


@pytest.mark.parametrize(
    "value",
    [Decimal("1234.50"), Decimal("0.000001"), Decimal("99999999999999.99"), Decimal("-12.30")],
)
def test_money_round_trips_exactly(factory: sessionmaker[Session], value: Decimal) -> None:
    with factory() as session, session.begin():
        doc = _doc("a" * 64, total=value)
        session.add(doc)
        session.flush()
        session.add(DocumentLine(document_id=doc.id, line_no=1, description="x", quantity=value))
    with factory() as session:
        total = session.scalars(select(Document.total)).one()
        qty = session.scalars(select(DocumentLine.quantity)).one()
    assert isinstance(total, Decimal) and total == value
    assert isinstance(qty, Decimal) and qty == value


def test_floats_are_refused(factory: sessionmaker[Session]) -> None:
    with factory() as session, pytest.raises(Exception, match="expected Decimal"):
        session.add(_doc("b" * 64, total=12.5))
        session.flush()


def test_same_bytes_cannot_be_two_documents(factory: sessionmaker[Session]) -> None:
    with factory() as session, session.begin():
        session.add(_doc("c" * 64))
    with factory() as session, pytest.raises(IntegrityError):
        session.add(_doc("c" * 64, source="renamed.pdf"))
        session.flush()


def test_line_numbers_are_unique_per_document(factory: sessionmaker[Session]) -> None:
    with factory() as session, pytest.raises(IntegrityError):
        doc = _doc("d" * 64)
        session.add(doc)
        session.flush()
        session.add_all(
            DocumentLine(document_id=doc.id, line_no=1, description=d, quantity=Decimal(1))
            for d in ("x", "y")
        )
        session.flush()


def test_quarantine_is_once_per_content_and_name(factory: sessionmaker[Session]) -> None:
    row = dict(
        source="bad.pdf",
        path="/x/bad.pdf",
        sha256="e" * 64,
        size_bytes=0,
        code="empty",
        reason="empty",
    )
    with factory() as session, session.begin():
        session.add(Quarantine(**row))
    with factory() as session, pytest.raises(IntegrityError):
        session.add(Quarantine(**row))
        session.flush()
