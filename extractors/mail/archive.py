"""Unpack a ZIP archive of invoices, within bounds.

A ZIP from a stranger may be a bomb (a kilobyte that inflates to gigabytes,
or a header that lies about the size), may name its members ``../../etc``,
or may really be a Word document. Each member is read through a bounded
read, so a lying header costs no more than the limit; names are never used
as paths on disk (nothing here writes files), but a name that tries to climb
out is refused all the same, since only an attacker writes one.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass

from extractors.types import ErrorCode

MIB = 1024 * 1024

#: Members that are never invoices: archive-tool litter.
_LITTER = ("__macosx/", ".ds_store", "thumbs.db", "desktop.ini")


@dataclass(frozen=True, slots=True)
class Member:
    """One file unpacked from the archive."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Refused:
    """A member (or the whole archive, ``name`` empty) recon will not unpack, and why."""

    name: str
    code: ErrorCode
    reason: str


@dataclass(slots=True)
class Budget:
    """What the rest of the mail may still unpack (shared by every archive in it)."""

    bytes_left: int
    max_members: int
    max_ratio: int


def unpack(data: bytes, label: str, budget: Budget) -> list[Member | Refused]:
    """The members of the archive ``data`` (called ``label`` in reasons), in archive order.

    A whole-archive refusal comes back as a single :class:`Refused` with an
    empty name; a bad member as a :class:`Refused` in its place, the others
    unaffected. Complexity: O(unpacked bytes), never more than ``budget``.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        return [Refused("", ErrorCode.CORRUPT, f"{label} is not a readable ZIP archive ({exc})")]
    names = {i.filename.lower() for i in infos}
    kind = _office_kind(archive, names)
    if kind:
        return [
            Refused(
                "",
                ErrorCode.UNSUPPORTED_TYPE,
                f"{label} is {kind}, which recon cannot read; ask the sender for a PDF",
            )
        ]
    files = [i for i in infos if not i.is_dir()]
    if len(files) > budget.max_members:
        return [
            Refused(
                "",
                ErrorCode.HOSTILE,
                f"{label} holds {len(files)} files, over the limit of {budget.max_members} "
                "(RECON_MAIL_MAX_ZIP_MEMBERS); refused unread",
            )
        ]
    declared = sum(i.file_size for i in files)
    if declared > budget.bytes_left:
        return [
            Refused(
                "",
                ErrorCode.HOSTILE,
                f"{label} would unpack to {declared / MIB:.0f} MiB, over what the mail may unpack "
                f"({budget.bytes_left / MIB:.0f} MiB left of RECON_MAIL_MAX_UNPACKED_BYTES): "
                "a zip bomb, or raise the limit",
            )
        ]
    out: list[Member | Refused] = []
    for info in files:
        name = info.filename
        lowered = name.lower()
        if lowered.startswith(_LITTER[0]) or posixpath.basename(lowered) in _LITTER[1:]:
            continue
        refusal = _check(info, label, budget)
        if refusal is not None:
            out.append(refusal)
            continue
        try:
            with archive.open(info) as fh:
                # One byte more than the header claims: a lying header shows.
                content = fh.read(min(info.file_size, budget.bytes_left) + 1)
        except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
            out.append(Refused(name, ErrorCode.CORRUPT, f"{name} in {label} is damaged ({exc})"))
            continue
        if len(content) > info.file_size or len(content) > budget.bytes_left:
            out.append(
                Refused(
                    name,
                    ErrorCode.HOSTILE,
                    f"{name} in {label} unpacks to more than its header says: a zip bomb",
                )
            )
            continue
        budget.bytes_left -= len(content)
        out.append(Member(posixpath.basename(name.replace("\\", "/")) or name, content))
    return out


def _check(info: zipfile.ZipInfo, label: str, budget: Budget) -> Refused | None:
    name = info.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":") or ".." in parts:
        return Refused(
            name,
            ErrorCode.HOSTILE,
            f"{label} names a member {name!r} that points outside the archive (path traversal)",
        )
    if info.flag_bits & 0x1:
        return Refused(
            name,
            ErrorCode.ENCRYPTED,
            f"{name} in {label} is password-protected; ask the sender for it unprotected",
        )
    if info.file_size > MIB and info.file_size > budget.max_ratio * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        return Refused(
            name,
            ErrorCode.HOSTILE,
            f"{name} in {label} inflates {ratio}:1, past RECON_MAIL_MAX_COMPRESSION_RATIO "
            f"({budget.max_ratio}:1): a zip bomb",
        )
    return None


def _office_kind(archive: zipfile.ZipFile, names: set[str]) -> str | None:
    """Office Open XML and OpenDocument files are ZIPs too; they are not archives of invoices."""
    if "[content_types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "a Word document"
        if any(n.startswith("xl/") for n in names):
            return "an Excel workbook"
        if any(n.startswith("ppt/") for n in names):
            return "a PowerPoint presentation"
        return "an Office Open XML document"
    if "mimetype" in names:
        try:
            mimetype = archive.read("mimetype")[:100]
        except (KeyError, zipfile.BadZipFile, OSError, ValueError):
            return None
        if mimetype.startswith(b"application/vnd.oasis.opendocument"):
            return "an OpenDocument file"
    return None
