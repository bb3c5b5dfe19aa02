"""Settings for turning files into documents.

Every threshold the layout logic uses lives here as data, so a deployment can
tune it through ``RECON_EXTRACT_*`` environment variables instead of editing
code. Nothing here reads files or touches the database.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

MIB = 1024 * 1024


class ExtractionSettings(BaseSettings):
    """Limits and layout thresholds for the extractors."""

    model_config = SettingsConfigDict(env_prefix="RECON_EXTRACT_", frozen=True)

    max_bytes: int = Field(
        default=50 * MIB,
        gt=0,
        description="Largest file accepted, in bytes; bigger files are refused as too large.",
    )
    max_inflated_bytes: int = Field(
        default=64 * MIB,
        gt=0,
        description=(
            "Most bytes the page content streams of one document may inflate to. A small "
            "file whose streams inflate to gigabytes (a decompression bomb) is refused "
            "before it is parsed, instead of exhausting memory."
        ),
    )
    max_pages: int = Field(
        default=500,
        gt=0,
        description="Most pages a document may have; checked before the pages are parsed.",
    )
    languages: tuple[str, ...] = Field(
        default=("en",),
        description="Label vocabularies to use (keys of extractors.labels.VOCABULARIES).",
    )
    min_text_chars_per_page: int = Field(
        default=20,
        ge=0,
        description=(
            "A PDF whose pages carry fewer text characters than this on average is "
            "treated as a scan without a text layer (needs OCR)."
        ),
    )
    same_line_tolerance: float = Field(
        default=0.35,
        gt=0,
        description=(
            "Two words sit on one text line when their bottoms (or centres) differ by at "
            "most this fraction of the smaller word's height."
        ),
    )
    phrase_gap: float = Field(
        default=0.6,
        gt=0,
        description=(
            "A horizontal gap wider than this many times the text height splits a line "
            "into separate phrases (cells, label and value)."
        ),
    )
    value_below_max_lines: float = Field(
        default=2.6,
        gt=0,
        description=(
            "How far below a label (in label heights) its value may sit when it is "
            "printed under the label rather than beside it."
        ),
    )
    value_right_max_width: float = Field(
        default=0.6,
        gt=0,
        le=1,
        description=(
            "How far right of a label (as a fraction of the page width) its value may sit."
        ),
    )
    header_min_coverage: float = Field(
        default=0.6,
        gt=0,
        le=1,
        description=(
            "Share of a line's words that must be column headings for the line to be "
            "read as a table header row."
        ),
    )
    continuation_max_gap: float = Field(
        default=1.2,
        ge=0,
        description=(
            "A text-only row joins the item above it (a wrapped description) when the "
            "blank space between them is at most this many line heights."
        ),
    )
    table_end_gap: float = Field(
        default=2.5,
        gt=0,
        description=(
            "Blank space (in line heights) after which a row that is not an item ends "
            "the table on that page."
        ),
    )
    letterhead_region: float = Field(
        default=0.3,
        gt=0,
        le=1,
        description="Top share of the first page searched for the issuer's letterhead.",
    )
    footer_region: float = Field(
        default=0.2,
        gt=0,
        le=1,
        description="Bottom share of a page searched for the issuer's legal name.",
    )
    amount_tolerance: Decimal = Field(
        default=Decimal("0.02"),
        ge=0,
        description=(
            "Largest difference (in currency units) at which two amounts count as "
            "agreeing, e.g. subtotal + tax against total, or qty x price against amount."
        ),
    )
    ambiguous_date_confidence: float = Field(
        default=0.6,
        ge=0,
        le=1,
        description=(
            "Confidence given to a date whose day/month order could only be guessed from "
            "the document's locale."
        ),
    )
