"""Wall time of each ``recon`` command, cold and warm, on both engines.

    uv run python bench/startup.py [--repeat N]

cold: a new database (the command creates the schema) and, for the Prefect
engine, a new PREFECT_HOME; warm: the same command again on the existing
ones. Baselines measured in the same run: the interpreter alone
(``python -c pass``) and the import of pdfplumber, which any PDF ingest
needs. Figures are medians over --repeat runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RECON = str(Path(sys.executable).parent / "recon")
INVOICE = next((ROOT / "data" / "samples" / "invoices").glob("*.pdf"))
SAMPLES = [str(ROOT / "data" / "samples" / d) for d in ("pos", "receipts", "invoices")]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "RECON_"))}
    base_env["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"

    rows: list[tuple[str, float, float]] = []

    def measure(
        label: str,
        make_cmds: Callable[[Path], tuple[list[list[str]], list[list[str]]]],
        prefect: bool = False,
    ) -> None:
        colds, warms = [], []
        for _ in range(args.repeat):
            tmp = Path(tempfile.mkdtemp(prefix="recon-bench-"))
            env = dict(base_env)
            if prefect:
                env["PREFECT_HOME"] = str(tmp / "prefect")
            setup, cmd = make_cmds(tmp)
            for c in setup:
                subprocess.run(c, env=env, check=True, capture_output=True)
            colds.append(timed(cmd[0], env))
            warms.append(timed(cmd[1] if len(cmd) > 1 else cmd[0], env))
            shutil.rmtree(tmp, ignore_errors=True)
        rows.append((label, statistics.median(colds), statistics.median(warms)))

    measure("python -c pass (floor)", lambda t: ([], [[sys.executable, "-c", "pass"]]))
    measure(
        "python -c 'import pdfplumber'",
        lambda t: ([], [[sys.executable, "-c", "import pdfplumber"]]),
    )
    measure("recon --help", lambda t: ([], [[RECON, "--help"]]))

    def db(t: Path) -> list[str]:
        return ["--db", f"sqlite:///{t}/recon.db"]

    measure("recon init", lambda t: ([], [[RECON, *db(t), "init"]]))
    measure(
        "recon ingest 1 invoice (local)",
        lambda t: (
            [],
            [
                [RECON, "--engine", "local", *db(t), "ingest", str(INVOICE)],
                [RECON, "--engine", "local", *db(t), "ingest", str(INVOICE)],
            ],
        ),
    )
    measure(
        "recon reconcile (month, local)",
        lambda t: (
            [[RECON, "--engine", "local", *db(t), "-q", "ingest", *SAMPLES]],
            [
                [RECON, "--engine", "local", *db(t), "reconcile"],
                [RECON, "--engine", "local", *db(t), "reconcile", "--all"],
            ],
        ),
    )
    measure(
        "recon report (month)",
        lambda t: (
            [[RECON, "--engine", "local", *db(t), "-q", "month-end", *SAMPLES]],
            [[RECON, *db(t), "report"]],
        ),
    )
    measure(
        "recon export (month)",
        lambda t: (
            [[RECON, "--engine", "local", *db(t), "-q", "month-end", *SAMPLES]],
            [[RECON, *db(t), "export", "-o", str(t / "x.json")]],
        ),
    )
    measure(
        "recon ingest 1 invoice (prefect)",
        lambda t: (
            [],
            [
                [RECON, "--engine", "prefect", *db(t), "ingest", str(INVOICE)],
                [RECON, "--engine", "prefect", *db(t), "ingest", str(INVOICE)],
            ],
        ),
        prefect=True,
    )

    print(f"{'command':<36} {'cold s':>8} {'warm s':>8}")
    for label, cold, warm in rows:
        print(f"{label:<36} {cold:>8.2f} {warm:>8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
