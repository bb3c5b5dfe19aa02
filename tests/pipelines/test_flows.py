"""The Prefect flows, run for real in Prefect's ephemeral mode.

One test on purpose: the first flow call in a process starts Prefect's
temporary API server (several seconds). It shows that the flows produce
exactly what the local engine produces from the same files.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from pipelines.cli import main
from tests.conftest import SAMPLES


def _export(url: str, out: Path) -> dict[str, Any]:
    assert main(["--engine", "local", "--db", url, "export", "--output", str(out)]) == 0
    data: dict[str, Any] = json.loads(out.read_text())
    return data


@pytest.mark.prefect
@pytest.mark.slow
def test_month_end_flow_equals_local_engine(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    for folder in ("pos", "receipts"):
        shutil.copytree(SAMPLES / folder, inbox / folder)
    invoices = sorted((SAMPLES / "invoices").glob("*.pdf"))[:6]
    (inbox / "invoices").mkdir()
    for f in invoices:
        shutil.copy(f, inbox / "invoices" / f.name)
    shutil.copy(SAMPLES / "bad" / "corrupt.pdf", inbox / "corrupt.pdf")

    flow_db = f"sqlite:///{tmp_path / 'flow.db'}"
    local_db = f"sqlite:///{tmp_path / 'local.db'}"
    assert main(["--engine", "prefect", "--db", flow_db, "-q", "month-end", str(inbox)]) == 0
    assert main(["--engine", "local", "--db", local_db, "-q", "month-end", str(inbox)]) == 0

    via_flow = _export(flow_db, tmp_path / "flow.json")
    via_local = _export(local_db, tmp_path / "local.json")
    assert len(via_flow["documents"]) == len(invoices) + len(list((inbox / "pos").iterdir())) + len(
        list((inbox / "receipts").iterdir())
    )
    assert [q["source"] for q in via_flow["quarantine"]] == ["corrupt.pdf"]
    for key in ("documents", "matches", "discrepancies", "quarantine"):
        assert via_flow[key] == [
            {k: v for k, v in row.items() if k != "path"}
            | ({"path": row["path"]} if "path" in row else {})
            for row in via_local[key]
        ]
    assert [a["invoice_source"] for a in via_flow["assets"]] == [
        a["invoice_source"] for a in via_local["assets"]
    ]
