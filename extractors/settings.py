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
        default=("en", "de", "fr"),
        description=(
            "Label vocabularies to use (keys of extractors.labels.VOCABULARIES: en, de, fr). "
            "Where two languages spell a label alike, the first listed decides what it means."
        ),
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
    # --- OCR (extractors.ocr, extractors.preprocess) -----------------------------
    ocr_languages: str | None = Field(
        default=None,
        description=(
            "Tesseract languages, e.g. 'eng+deu+fra'. Empty: recon's languages mapped to "
            "Tesseract's names (en->eng, de->deu, fr->fra)."
        ),
    )
    ocr_dpi: int = Field(
        default=300,
        ge=72,
        le=600,
        description="Resolution at which PDF pages without a text layer are rendered for OCR.",
    )
    ocr_psm: int = Field(
        default=3,
        ge=0,
        le=13,
        description=(
            "Tesseract page segmentation mode: 3 (automatic layout) read more fields and "
            "table rows right than 6 (one uniform block) on the sample layouts."
        ),
    )
    ocr_workers: int | None = Field(
        default=None,
        gt=0,
        description=(
            "Pages of one document OCR'd at once (one Tesseract each). Empty: the number of "
            "cores. Tesseract processes across all documents never exceed the core count."
        ),
    )
    ocr_preprocess: tuple[str, ...] = Field(
        default=("orientation", "invert_bands", "deskew"),
        description=(
            "Image clean-up before OCR, from: orientation, invert_bands, deskew, denoise, "
            "threshold (see extractors.preprocess; bench/ocr.py measures each)."
        ),
    )
    ocr_orientation_confidence: float = Field(
        default=2.0,
        ge=0,
        description=(
            "Least Tesseract OSD orientation confidence at which a page is turned upright."
        ),
    )
    ocr_max_image_pixels: int = Field(
        default=100_000_000,
        gt=0,
        description=(
            "Largest image (width x height) decoded for OCR; a bigger one (a decompression "
            "bomb) is refused from its header, before decoding."
        ),
    )
    ocr_max_pages: int = Field(
        default=100,
        gt=0,
        description=(
            "Most scanned pages recon OCRs in one document (each costs seconds); a longer "
            "scan, like a 500-page TIFF, is refused before any OCR runs."
        ),
    )
    ocr_noise_level: float = Field(
        default=2.5,
        ge=0,
        description=(
            "A page whose paper is grainier than this (extractors.preprocess.noise_level, "
            "in grey levels) is denoised before OCR even when 'denoise' is not in "
            "ocr_preprocess; 255 turns that off."
        ),
    )
    ocr_min_image_share: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description=(
            "A PDF page that has a text layer is OCRed as well when pictures cover at least "
            "this share of it (a letterhead baked into an image, a scan under a stamp's few "
            "words of text); what OCR reads where the text layer has nothing is added. A logo "
            "covers a few percent of a page."
        ),
    )
    ocr_page_timeout: float = Field(
        default=120.0,
        gt=0,
        description="Seconds one Tesseract run on one page may take before it is stopped.",
    )
    ocr_low_confidence: float = Field(
        default=0.7,
        ge=0,
        le=1,
        description=(
            "A field whose words OCR read with less confidence than this gets a note "
            "'low_confidence: <field>' for a person to check."
        ),
    )
