"""No GPL dependency in the core install (LGPL, e.g. psycopg, is allowed)."""

from __future__ import annotations

import re
from importlib.metadata import PackageNotFoundError, distribution

from packaging.requirements import Requirement


def _licence(name: str) -> str:
    """The SPDX expression, else the classifiers, else the free-text field.

    The free text comes last because some packages (SciPy) paste the licences
    of bundled, separately licensed files into it.
    """
    meta = distribution(name).metadata
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return meta.get("License-Expression") or " | ".join(classifiers) or meta.get("License") or ""


def _closure(root: str) -> dict[str, str]:
    seen: dict[str, str] = {}
    todo = [root]
    while todo:
        name = todo.pop()
        key = name.lower().replace("_", "-")
        if key in seen:
            continue
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            continue
        seen[key] = _licence(name)
        for raw in dist.requires or []:
            req = Requirement(raw)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


#: Packages offered under a GPL *or* another licence; we take the other one.
DUAL_LICENSED = {
    # Artistic License or GPL, Perl-style; Prefect needs it through python-slugify.
    "text-unidecode": "Artistic",
}


def test_core_install_has_no_gpl_dependency() -> None:
    closure = _closure("recon")
    assert "prefect" in closure and "pdfplumber" in closure
    gpl = re.compile(r"(?<![L])GPL|GNU General Public", re.IGNORECASE)
    offenders = {
        name: lic
        for name, lic in closure.items()
        if gpl.search(lic.replace("LGPL", "").replace("Lesser General Public", ""))
        and not (name in DUAL_LICENSED and DUAL_LICENSED[name] in lic)
    }
    assert offenders == {}
