"""Hostile PDFs are refused unparsed, in bounded memory and time."""

from __future__ import annotations

import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from extractors.registry import extract
from extractors.settings import ExtractionSettings
from extractors.types import ErrorCode, ExtractionError

ROOT = Path(__file__).resolve().parents[2]


def flate_bomb(inflated_bytes: int) -> bytes:
    """A one-page PDF whose content stream inflates to ``inflated_bytes``.

    Compressed a mebibyte at a time, so building it never holds the inflated
    bytes (a forked child inherits its parent's peak memory figure).
    """
    text = b"BT /F1 12 Tf 72 720 Td (INVOICE No. 2026-0001  Total due EUR 1,234.00) Tj ET\n"
    packer = zlib.compressobj(9)
    parts = [packer.compress(text)]
    chunk = b" " * 2**20
    for _ in range(inflated_bytes // len(chunk)):
        parts.append(packer.compress(chunk))
    parts.append(packer.compress(b" " * (inflated_bytes % len(chunk))))
    parts.append(packer.flush())
    comp = b"".join(parts)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def test_decompression_bomb_is_refused_as_hostile() -> None:
    data = flate_bomb(80 * 2**20)
    assert len(data) < 200_000
    with pytest.raises(ExtractionError) as err:
        extract(data, filename="bomb.pdf")
    assert err.value.code is ErrorCode.HOSTILE
    assert "RECON_EXTRACT_MAX_INFLATED_BYTES" in err.value.reason


def test_the_cap_is_a_setting() -> None:
    """A small stream under a raised cap reads; the same under a tiny cap does not."""
    data = flate_bomb(200_000)
    assert extract(data, filename="ok.pdf", settings=ExtractionSettings()).words
    with pytest.raises(ExtractionError) as err:
        extract(data, filename="x.pdf", settings=ExtractionSettings(max_inflated_bytes=100_000))
    assert err.value.code is ErrorCode.HOSTILE


def test_bomb_never_inflates_in_memory(tmp_path: Path) -> None:
    """GIVEN a 400 MiB bomb THEN extraction stays far below 400 MiB of memory."""
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(flate_bomb(400 * 2**20))
    code = (
        "import resource, sys; from extractors.registry import extract; "
        "from extractors.types import ExtractionError\n"
        "data = open(" + repr(str(bomb)) + ", 'rb').read()\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "try:\n"
        "    extract(data, filename='bomb.pdf')\n"
        "except ExtractionError as exc:\n"
        "    print(exc.code.value)\n"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.split()
    assert out[0] == "hostile"
    # Growth during extraction only (imports excluded): the 400 MiB never lands.
    assert int(out[1]) < 100, f"extraction grew peak memory by {out[1]} MiB"
