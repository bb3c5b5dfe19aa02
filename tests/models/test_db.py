"""The schema: migrations, exact decimals, the constraints that make re-runs idempotent."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, insert, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

import models.tables  # noqa: F401
from models.base import Base
from models.db import (
    SCHEMA_HEAD,
    current_revision,
    downgrade,
    ensure_schema,
    make_engine,
    migrate,
    session_factory,
)
from models.read import export_state
from models.tables import Document, DocumentLine, Quarantine
from pipelines.cli import main
from tests.conftest import BACKENDS, drop_pg_schema, new_pg_schema_url

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


def _upgrade_to(engine: Engine, revision: str) -> None:
    migrate(engine, revision)


@contextmanager
def _empty_database(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Engine]:
    """An engine on a database with no schema at all, for migrating old releases'
    schemas into: a new SQLite file, or a PostgreSQL schema of its own (dropped after)."""
    schema = f"recon_old_{uuid.uuid4().hex[:8]}"
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
    else:
        request.getfixturevalue("pg_schema_url")  # skips when PostgreSQL is unreachable
        url = new_pg_schema_url(schema)
        with make_engine(url).begin() as connection:  # new_pg_schema_url migrated it: undo
            for table in reversed(Base.metadata.sorted_tables):
                connection.exec_driver_sql(f'DROP TABLE IF EXISTS "{table.name}" CASCADE')
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()
        if backend == "postgres":
            drop_pg_schema(schema)


@pytest.mark.parametrize("backend", BACKENDS)
def test_recon_init_upgrades_a_0001_database_and_keeps_its_data(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """GIVEN a database made by the first release (0001) holding a document
    WHEN recon init runs THEN it is at the head, with the mail ledger, and the
    document is still there."""
    with _empty_database(backend, tmp_path, request) as engine:
        _upgrade_to(engine, "0001")
        assert current_revision(engine) == "0001"
        assert not inspect(engine).has_table("mail_ledger")
        # Core, with the columns 0001 has: the ORM would name the newer ones too.
        old_columns = dict(kind="invoice", source="a.pdf", path="/x/a.pdf", sha256="a" * 64,
                           mime="application/pdf", size_bytes=1, extractor="pdf", page_count=1,
                           fields={}, notes=[])  # fmt: skip
        with engine.begin() as connection:
            connection.execute(insert(Document.__table__).values(**old_columns))
        assert main(["--db", engine.url.render_as_string(hide_password=False), "init"]) == 0
        assert current_revision(engine) == SCHEMA_HEAD == "0003"
        assert inspect(engine).has_table("mail_ledger")
        with session_factory(engine)() as session:
            assert session.scalars(select(Document.sha256)).all() == ["a" * 64]


@pytest.mark.parametrize("backend", BACKENDS)
def test_recon_init_upgrades_a_0002_database_and_keeps_its_documents(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """GIVEN a database at 0002 holding an invoice with a line, citing one PO
    WHEN recon init runs THEN it is at 0003, the invoice and its line are as
    they were, and it reads as citing that one PO, with no line-level PO and
    no credited invoice (the new columns are empty, not guessed)."""
    with _empty_database(backend, tmp_path, request) as engine:
        _upgrade_to(engine, "0002")
        assert "credited_key" not in {c["name"] for c in inspect(engine).get_columns("documents")}
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO documents (id, kind, source, path, sha256, mime, size_bytes,"
                    " extractor, page_count, number, po_number, po_key, total, fields, notes,"
                    " ingested_at) VALUES (7, 'invoice', 'a.pdf', '/x/a.pdf', :sha,"
                    " 'application/pdf', 1, 'pdf', 1, 'INV-1', 'PO-1', 'po1', '119.00', '{}',"
                    " '[]', '2026-10-01 00:00:00+00:00')"
                ),
                {"sha": "b" * 64},
            )
            connection.execute(
                text(
                    "INSERT INTO document_lines (document_id, line_no, description, quantity,"
                    " unit_price, amount, confidence) VALUES (7, 1, 'Laptop', '1', '100.00',"
                    " '100.00', 1.0)"
                )
            )
        assert main(["--db", engine.url.render_as_string(hide_password=False), "init"]) == 0
        assert current_revision(engine) == SCHEMA_HEAD == "0003"
        with session_factory(engine)() as session:
            doc = session.scalars(select(Document)).one()
            assert (doc.number, doc.po_number, doc.total) == ("INV-1", "PO-1", Decimal("119.00"))
            assert (doc.other_po_numbers, doc.credited_number, doc.credited_key) == (
                None,
                None,
                None,
            )
            line = session.scalars(select(DocumentLine)).one()
            assert (line.description, line.amount, line.po_number) == (
                "Laptop",
                Decimal("100.00"),
                None,
            )
            exported = export_state(session)["documents"][0]
            assert (exported["po_numbers"], exported["credited_invoice"]) == (["PO-1"], None)
            assert exported["lines"][0]["po_number"] is None


def _counts(engine: Engine) -> dict[str, int]:
    tables = ("documents", "document_evidence", "document_lines", "matches", "discrepancies",
              "assets")  # fmt: skip
    with engine.connect() as connection:
        return {
            t: connection.execute(text(f"SELECT COUNT(*) FROM {t}")).scalar_one() for t in tables
        }


def test_downgrading_0003_keeps_every_row_and_upgrading_again_restores_the_schema(
    engine: Engine,
) -> None:
    """GIVEN a database at 0003 holding a PO, an invoice citing it (lines,
    evidence, a match, a discrepancy, an asset)
    WHEN it is downgraded to 0002 THEN every row is still there and only the
    0003 columns are gone; upgraded again, the schema is the models' and the
    rows are still there. On SQLite the downgrade rebuilds ``documents``
    (batch mode): with foreign keys on, dropping the old table deleted every
    line, match and asset."""
    from models.tables import Asset, Discrepancy, DocumentEvidence, Match

    with session_factory(engine)() as session, session.begin():
        po = _doc("p" * 64, kind="po", number="PO-1", po_number="PO-1")
        inv = _doc("i" * 64, number="INV-1", po_number="PO-1", other_po_numbers=["PO-2"],
                   credited_number=None)  # fmt: skip
        note = _doc("c" * 64, kind="credit_note", number="CN-1", credited_number="INV-1",
                    credited_key="inv1")  # fmt: skip
        session.add_all([po, inv, note])
        session.flush()
        po_line = DocumentLine(document_id=po.id, line_no=1, description="Laptop",
                               quantity=Decimal(2))  # fmt: skip
        inv_line = DocumentLine(document_id=inv.id, line_no=1, description="Laptop",
                                quantity=Decimal(2), po_number="PO-1")  # fmt: skip
        session.add_all([po_line, inv_line, DocumentEvidence(document_id=inv.id, words=[])])
        session.flush()
        session.add_all([
            Match(invoice_line_id=inv_line.id, po_line_id=po_line.id, score=1.0, reason="SKU"),
            Discrepancy(type="no_po", invoice_id=inv.id, line_key=0, po_id=po.id, reason="r"),
            Asset(asset_tag="A-1", invoice_line_id=inv_line.id, unit=1, invoice_id=inv.id,
                  po_id=po.id, description="Laptop", cost=Decimal("10.00")),
        ])  # fmt: skip
    before = _counts(engine)
    assert before == {"documents": 3, "document_evidence": 1, "document_lines": 2,
                      "matches": 1, "discrepancies": 1, "assets": 1}  # fmt: skip

    downgrade(engine, "0002")
    assert current_revision(engine) == "0002"
    columns = {c["name"] for c in inspect(engine).get_columns("documents")}
    assert {"credited_key", "credited_number", "other_po_numbers"}.isdisjoint(columns)
    assert "po_number" in columns
    assert "po_number" not in {c["name"] for c in inspect(engine).get_columns("document_lines")}
    assert _counts(engine) == before

    migrate(engine)
    assert current_revision(engine) == SCHEMA_HEAD
    assert _counts(engine) == before
    if engine.dialect.name == "sqlite":  # the pool's connections have foreign keys on again
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    test_the_migrations_build_exactly_the_models(engine)


def test_the_migrations_build_exactly_the_models(engine: Engine) -> None:
    """No drift: what Alembic compares between the migrated schema and the ORM is empty."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


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
