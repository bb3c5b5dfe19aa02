"""Text lines and phrases from positioned words.

Works on :class:`~extractors.types.Word` values only, page by page, so the same
code reads a digital PDF's words and an OCR engine's words. It must never import
a PDF or OCR library.

A *line* is the words that share a baseline. A *phrase* is a run of words in a
line with ordinary word spacing between them; a wider gap starts a new phrase
(a new cell, or a value beside its label).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from statistics import median

from extractors.labels import tokens
from extractors.types import Box, Word


@dataclass(frozen=True, slots=True)
class PageSize:
    """A page's width and height in the same units as the word boxes."""

    width: float
    height: float


@dataclass(frozen=True)
class Phrase:
    """Words on one line with normal spacing between them."""

    words: tuple[Word, ...]
    line_index: int

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @cached_property
    def box(self) -> Box:
        return union(w.box for w in self.words)

    @cached_property
    def tokens(self) -> list[str]:
        return tokens(self.text)

    @property
    def height(self) -> float:
        return median(w.box.bottom - w.box.top for w in self.words)


@dataclass(frozen=True)
class Line:
    """Words sharing a baseline, left to right; ``index`` is its reading-order position."""

    words: tuple[Word, ...]
    index: int
    phrases: tuple[Phrase, ...]

    @property
    def page(self) -> int:
        return self.words[0].box.page

    @cached_property
    def box(self) -> Box:
        return union(w.box for w in self.words)

    @cached_property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @cached_property
    def height(self) -> float:
        return median(w.box.bottom - w.box.top for w in self.words)


def union(boxes: Iterable[Box]) -> Box:
    """The smallest box around ``boxes`` (all on one page)."""
    it = iter(boxes)
    out = next(it)
    for b in it:
        out = out.union(b)
    return out


def h_overlap(a: Box, b: Box) -> float:
    """Width of the horizontal overlap of two boxes (0 when apart)."""
    return max(0.0, min(a.x1, b.x1) - max(a.x0, b.x0))


def build_lines(
    words: Sequence[Word], *, same_line_tolerance: float, phrase_gap: float
) -> list[Line]:
    """Group words into lines in reading order (page, then top to bottom).

    Words join a line when their bottoms or centres are within
    ``same_line_tolerance`` of the smaller height, so a large title beside
    two small address lines does not merge them.

    Complexity: O(n log n) for n words plus O(n·k) for k lines open at once.
    """
    by_page: dict[int, list[Word]] = {}
    for w in words:
        if w.text.strip():
            by_page.setdefault(w.box.page, []).append(w)
    lines: list[Line] = []
    for page in sorted(by_page):
        groups: list[list[Word]] = []
        for w in sorted(by_page[page], key=lambda w: (w.box.bottom, w.box.x0)):
            home = _find_line(groups, w, same_line_tolerance)
            if home is None:
                groups.append([w])
            else:
                home.append(w)
        groups.sort(key=lambda g: (median(w.box.bottom for w in g), min(w.box.x0 for w in g)))
        for g in groups:
            g.sort(key=lambda w: w.box.x0)
            index = len(lines)
            lines.append(Line(tuple(g), index, tuple(_phrases(g, index, phrase_gap))))
    return lines


def _find_line(groups: list[list[Word]], w: Word, tolerance: float) -> list[Word] | None:
    h = w.box.bottom - w.box.top
    centre = (w.box.top + w.box.bottom) / 2
    best: tuple[float, list[Word]] | None = None
    for g in reversed(groups[-8:]):
        ref = g[0]
        rh = ref.box.bottom - ref.box.top
        limit = tolerance * max(min(h, rh), 1e-6)
        d_bottom = abs(ref.box.bottom - w.box.bottom)
        d_centre = abs((ref.box.top + ref.box.bottom) / 2 - centre)
        d = min(d_bottom, d_centre)
        if d <= limit and (best is None or d < best[0]):
            best = (d, g)
    return None if best is None else best[1]


def _phrases(words: list[Word], line_index: int, gap_ratio: float) -> list[Phrase]:
    out: list[list[Word]] = [[words[0]]]
    for prev, w in itertools.pairwise(words):
        height = min(prev.box.bottom - prev.box.top, w.box.bottom - w.box.top)
        if w.box.x0 - prev.box.x1 > gap_ratio * height:
            out.append([w])
        else:
            out[-1].append(w)
    return [Phrase(tuple(p), line_index) for p in out]


def page_sizes_from_words(words: Sequence[Word]) -> dict[int, PageSize]:
    """A stand-in page size (the words' extent) for callers that do not know it."""
    sizes: dict[int, PageSize] = {}
    for w in words:
        s = sizes.get(w.box.page, PageSize(0.0, 0.0))
        sizes[w.box.page] = PageSize(max(s.width, w.box.x1), max(s.height, w.box.bottom))
    return sizes
