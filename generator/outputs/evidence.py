"""The evidence of a question, in no format yet: what every export shows after the answer.

Each distinct quote once, split into pieces with the answer's spans marked, the articles
it comes from (title and author), and the question's id for reporting a mistake. The Anki
cards, the quizzes and the LMS exports each escape these pieces for their own format; none
of them works out the pieces again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..bank.model import Source, SourcedQuestion


@dataclass(frozen=True)
class Piece:
    """A run of a quote's text; marked where it is (part of) the answer."""

    text: str
    marked: bool = False


@dataclass(frozen=True)
class QuoteEvidence:
    pieces: tuple[Piece, ...]
    source: Source

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces)

    @property
    def marked(self) -> tuple[str, ...]:
        return tuple(piece.text for piece in self.pieces if piece.marked)


@dataclass(frozen=True)
class QuestionEvidence:
    question_id: str
    quotes: tuple[QuoteEvidence, ...]

    @property
    def sources(self) -> tuple[Source, ...]:
        seen: dict[str, Source] = {}
        for quote in self.quotes:
            seen.setdefault(quote.source.id, quote.source)
        return tuple(seen.values())


def merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans sorted, with overlapping and touching ones joined and empty ones dropped."""
    result: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if result and start <= result[-1][1]:
            result[-1] = (result[-1][0], max(end, result[-1][1]))
        elif end > start:
            result.append((start, end))
    return result


def pieces(quote: str, spans: Iterable[tuple[int, int]]) -> tuple[Piece, ...]:
    """The quote cut at the spans: unmarked and marked pieces in order, none empty."""
    found: list[Piece] = []
    position = 0
    for start, end in merged(spans):
        if start > position:
            found.append(Piece(quote[position:start]))
        found.append(Piece(quote[start:end], marked=True))
        position = end
    if position < len(quote):
        found.append(Piece(quote[position:]))
    return tuple(found)


def evidence_of(question: SourcedQuestion) -> QuestionEvidence:
    """Each distinct quote of the question once, with every answer it proves marked."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    sources: dict[tuple[str, str], Source] = {}
    for item in question.evidence:
        key = (item.fact.source_id, item.fact.quote)
        spans.setdefault(key, []).extend(item.highlights)
        sources.setdefault(key, item.source)
    quotes = tuple(
        QuoteEvidence(pieces(quote, found), sources[(source_id, quote)])
        for (source_id, quote), found in spans.items()
    )
    return QuestionEvidence(question.id, quotes)


def byline(source: Source) -> str:
    """'Title', by Author (published): how every export names an article."""
    by = f", by {source.author}" if source.author else ""
    when = f" ({source.published})" if source.published else ""
    return f"“{source.title}”{by}{when}"
