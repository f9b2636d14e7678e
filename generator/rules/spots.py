"""Marked stretches of an article (lost words, someone else's voice), and which quotes touch them.

A rule marks stretches of an article's paragraphs once; a fact is then judged by
where check found its quote (`Article.find`, in normalised offsets). Each
stretch keeps both coordinates: original offsets and a line and column to show
the contributor, and normalised offsets to compare with the quote's match.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..bank.sources import Article, QuoteMatch
from ..bank.text import normal_offsets
from ..paths import display


@dataclass(frozen=True)
class Stretch:
    """A marked part of one paragraph."""

    paragraph: int
    start: int  # original offsets into article.paragraphs[paragraph]
    end: int
    normal_start: int  # the same part in the paragraph's normalised text
    normal_end: int
    line: int  # where it starts in the article file, 1-based
    column: int
    text: str  # the words as the article prints them


def stretches(article: Article, paragraph: int, spans: Iterable[tuple[int, int]]) -> list[Stretch]:
    """Stretches for spans of one paragraph (original offsets), with both coordinates."""
    spans = list(spans)
    if not spans:
        return []
    text = article.paragraphs[paragraph]
    normal = normal_offsets(text, [offset for span in spans for offset in span])
    offsets, line_starts = _layout(article)
    found = []
    for index, (start, end) in enumerate(spans):
        position = offsets[paragraph] + start
        line = bisect_right(line_starts, position)
        column = position - line_starts[line - 1] + 1
        found.append(
            Stretch(
                paragraph,
                start,
                end,
                normal[2 * index],
                normal[2 * index + 1],
                line,
                column,
                " ".join(text[start:end].split()),
            )
        )
    return found


@lru_cache(maxsize=4096)
def _layout(article: Article) -> tuple[list[int], list[int]]:
    """Where each paragraph starts in the article's file (as passages.paragraphs finds
    it), and where each line starts."""
    whole = article.source.text
    offsets = []
    position = 0
    for paragraph in article.paragraphs:
        found = whole.find(paragraph, position)
        offsets.append(found if found != -1 else position)
        position = offsets[-1] + len(paragraph)
    line_starts = [0] + [match.end() for match in re.finditer("\n", whole)]
    return offsets, line_starts


def where(article: Article, stretch: Stretch) -> str:
    """The stretch's place as `path:line:col`, with the path as messages show it (the
    file name alone when the article lies outside the working folder)."""
    shown = display(article.source.path)
    if Path(shown).is_absolute():
        shown = article.source.path.name
    return f"{shown}:{stretch.line}:{stretch.column}"


def overlap(match: QuoteMatch, stretch: Stretch) -> int:
    """How many normalised characters of the quote lie inside the stretch."""
    if match.paragraph != stretch.paragraph:
        return 0
    return sum(
        max(0, min(end, stretch.normal_end) - max(start, stretch.normal_start))
        for start, end in match.spans
    )


def touches(match: QuoteMatch, stretch: Stretch) -> bool:
    """Whether the quote prints part of the stretch, other than by stopping in it at a
    '...' that skips the rest ("a federal court in Chicago ... ruling that")."""
    spans = match.spans
    for index, (start, end) in enumerate(spans):
        if match.paragraph != stretch.paragraph:
            return False
        if min(end, stretch.normal_end) <= max(start, stretch.normal_start):
            continue  # this piece does not reach the stretch
        skipped = (
            start < stretch.normal_start
            and end <= stretch.normal_end
            and index + 1 < len(spans)
            and spans[index + 1][0] >= stretch.normal_end
        )
        if not skipped:
            return True
    return False
