"""Extraction is safe from several threads at once (Prefect's default task runner).

Before PDFium calls were serialised this crashed the interpreter with a
segmentation fault, so the check runs in a child process and a crash shows
as a failed test, not a dead test run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from extractors.registry import extract
from extractors.types import ExtractionError

files = sorted(Path(sys.argv[1]).rglob("*.pdf")) * 2
def run(path):
    try:
        return extract(path.read_bytes(), filename=path.name).kind.value
    except ExtractionError as exc:
        return exc.code.value
with ThreadPoolExecutor(max_workers=4) as pool:
    kinds = list(pool.map(run, files))
print(len(kinds))
"""


def test_extract_from_four_threads_does_not_crash() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(ROOT / "data" / "samples")],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert int(proc.stdout.strip()) == 2 * len(list((ROOT / "data" / "samples").rglob("*.pdf")))
