"""Three-way matching of invoices, POs and goods receipts.

Pure functions over the plain values in :mod:`matching.types`: no database,
no Prefect, no I/O.  The pipelines load documents, call :func:`reconcile`
and :func:`asset_candidates`, and store what comes back.
"""

from matching.lines import (
    LineAssignment,
    LinePair,
    UnmatchedLine,
    line_scores,
    match_lines,
    match_lines_blocked,
)
from matching.normalise import (
    normalise_description,
    normalise_document_number,
    normalise_sku,
    normalise_vendor,
)
from matching.reconcile import reconcile
from matching.register import asset_candidates
from matching.settings import MatchingSettings
from matching.types import (
    HEADER_LEVEL,
    AssetCandidate,
    Discrepancy,
    DiscrepancyType,
    Document,
    Kind,
    Line,
    LineMatch,
    ReconcileResult,
    Status,
)

__all__ = [
    "HEADER_LEVEL",
    "AssetCandidate",
    "Discrepancy",
    "DiscrepancyType",
    "Document",
    "Kind",
    "Line",
    "LineAssignment",
    "LineMatch",
    "LinePair",
    "MatchingSettings",
    "ReconcileResult",
    "Status",
    "UnmatchedLine",
    "asset_candidates",
    "line_scores",
    "match_lines",
    "match_lines_blocked",
    "normalise_description",
    "normalise_document_number",
    "normalise_sku",
    "normalise_vendor",
    "reconcile",
]
