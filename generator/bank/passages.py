"""An article's paragraphs and sentences, as offsets, and where a quote lies in them.

Shared by find (authoring/search.py), stats and the coverage page, so that all
three cut sentences and place quotes exactly as check finds them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

import sentencex

from .sources import Article
from .text import normalise, normalise_answer, normalise_mapped


@dataclass(frozen=True)
class Sentence:
    """One sentence of a paragraph, as offsets into the paragraph's text."""

    start: int
    end: int


def sentence_spans(paragraph: str) -> list[Sentence]:
    """The sentences of a paragraph, trimmed of surrounding whitespace.

    sentencex (Wikimedia's rule-based segmenter) knows abbreviations such as
    "U.S." and "Jan." and ends a sentence after a closing curly quote; it gives
    character offsets, so every sentence is an exact slice of the article.
    """
    spans: list[Sentence] = []
    for boundary in sentencex.get_sentence_boundaries("en", paragraph):
        start, end = boundary["start_index"], boundary["end_index"]
        while start < end and paragraph[start].isspace():
            start += 1
        while end > start and paragraph[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append(Sentence(start, end))
    return spans or ([Sentence(0, len(paragraph))] if paragraph.strip() else [])


@lru_cache(maxsize=65536)
def quoted_spans(article: Article, quote: str) -> tuple[int, tuple[tuple[int, int], ...]] | None:
    """The paragraph index and the spans (original offsets) of a quote, as check finds it."""
    match = article.find(quote)
    if match is None:
        return None
    origin = normalise_mapped(article.paragraphs[match.paragraph]).origin
    spans = tuple((origin[start], origin[end - 1] + 1) for start, end in match.spans if end > start)
    return match.paragraph, spans


class Paragraph:
    def __init__(self, article: Article, index: int, offset: int) -> None:
        self.article = article
        self.index = index
        self.text = article.paragraphs[index]
        self.offset = offset  # where the paragraph starts in the article's text

    @cached_property
    def sentences(self) -> list[Sentence]:
        return sentence_spans(self.text)

    def line_of(self, position: int) -> int:
        return self.article.source.text.count("\n", 0, self.offset + position) + 1


def paragraphs(article: Article) -> Iterator[Paragraph]:
    """Each paragraph with its offset in the file, so hits can name their line."""
    position = 0
    text = article.source.text
    for index, paragraph in enumerate(article.paragraphs):
        found = text.find(paragraph, position)
        offset = found if found != -1 else position
        yield Paragraph(article, index, offset)
        position = offset + len(paragraph)


# A contributor runs find again and again over the same articles (and the tests
# thousands of times): each paragraph and sentence is normalised once.
@lru_cache(maxsize=16384)
def normal_form(text: str) -> str:
    return normalise(text)


@lru_cache(maxsize=16384)
def answer_form(text: str) -> str:
    return normalise_answer(text)
