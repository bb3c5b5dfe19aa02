"""Hostile and broken XML is quarantined, never expanded, fetched or read.

GIVEN XML that declares entities (XXE at a local file or a URL, billion laughs,
quadratic blow-up) WHEN it is extracted THEN it is refused as HOSTILE at once,
no file is opened and no connection attempted, and nothing of the target file
appears in the result. Malformed XML is CORRUPT; other XML is UNSUPPORTED_TYPE
with a reason that names what it is.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from extractors.registry import extract
from extractors.types import ErrorCode, ExtractionError

_WATCHED: list[tuple[str, tuple[Any, ...]]] = []
_WATCHING = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _WATCHING and event in {"open", "socket.connect", "socket.getaddrinfo", "urllib.Request"}:
        _WATCHED.append((event, args))


sys.addaudithook(_audit)  # audit hooks cannot be removed; this one only records


@contextmanager
def watching() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """The file opens and network calls made inside the ``with`` block."""
    global _WATCHING
    _WATCHED.clear()
    _WATCHING = True
    try:
        yield _WATCHED
    finally:
        _WATCHING = False


def refused(data: bytes) -> ExtractionError:
    with pytest.raises(ExtractionError) as err:
        extract(data, filename="evil.xml")
    return err.value


def xxe(system_id: str) -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE Invoice [<!ENTITY secret SYSTEM "{system_id}">]>\n'
        '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" '
        'xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">'
        "<cbc:ID>&secret;</cbc:ID></Invoice>"
    ).encode()


def billion_laughs() -> bytes:
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE lolz [\n' + "\n".join(entities) + "\n]>\n"
        "<lolz>&lol9;</lolz>"
    ).encode()


def test_xxe_to_a_local_file_is_hostile_and_the_file_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-7c1f9a")
    with watching() as audit:
        err = refused(xxe(secret.as_uri()))
    assert err.code is ErrorCode.HOSTILE
    assert "TOP-SECRET" not in str(err) and "TOP-SECRET" not in err.reason
    assert not [args for event, args in audit if event == "open" and "secret" in str(args[0])]


def test_xxe_to_etc_hostname_never_shows_its_content() -> None:
    err = refused(xxe("file:///etc/hostname"))
    assert err.code is ErrorCode.HOSTILE
    hostname = Path("/etc/hostname")
    content = hostname.read_text().strip() if hostname.exists() else ""
    if content:
        assert content not in err.reason


def test_external_entities_and_dtds_are_not_fetched() -> None:
    parameter_entity = (
        b'<?xml version="1.0"?>\n'
        b'<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>\n'
        b"<x/>"
    )
    with watching() as audit:
        assert refused(parameter_entity).code is ErrorCode.HOSTILE
        assert refused(xxe("http://127.0.0.1:9/secret")).code is ErrorCode.HOSTILE
        external_dtd = b'<!DOCTYPE x SYSTEM "http://127.0.0.1:9/x.dtd"><x/>'
        assert refused(external_dtd).code is ErrorCode.UNSUPPORTED_TYPE  # parsed, not fetched
    assert [event for event, _ in audit if event != "open"] == []


def test_billion_laughs_is_hostile_without_expansion() -> None:
    start = time.perf_counter()
    err = refused(billion_laughs())
    assert err.code is ErrorCode.HOSTILE
    assert "billion laughs" in err.reason
    assert time.perf_counter() - start < 1.0


def test_quadratic_blowup_is_hostile() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "'
        + b"A" * 50_000
        + b'">]><x>'
        + b"&a;" * 50_000
        + b"</x>"
    )
    start = time.perf_counter()
    assert refused(data).code is ErrorCode.HOSTILE
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?><Invoice><ID>1</Invoice>',
        b'<?xml version="1.0"?>\n<Invoice>\n  <ID>1</ID>\n',  # truncated download
        b'<?xml version="1.0" encoding="UTF-8"?><a>\xff\xfe</a>',
        b'<?xml version="1.0" encoding="x-made-up"?><a/>',
    ],
)
def test_malformed_xml_is_corrupt(data: bytes) -> None:
    err = refused(data)
    assert err.code is ErrorCode.CORRUPT
    assert "XML" in err.reason and "resend" in err.reason


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b'<?xml version="1.0"?><catalog><book/></catalog>', "root element <catalog>"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"/>',
            "<svg> in namespace http://www.w3.org/2000/svg",
        ),
        (
            b'<rsm:CrossIndustryDocument xmlns:rsm="urn:ferd:CrossIndustryDocument:invoice:1p0"/>',
            "ZUGFeRD 1.0",
        ),
        (
            b'<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2"/>',
            "UBL purchase order",
        ),
    ],
)
def test_other_xml_is_unsupported_and_says_what_it_is(data: bytes, says: str) -> None:
    err = refused(data)
    assert err.code is ErrorCode.UNSUPPORTED_TYPE
    assert says in err.reason
