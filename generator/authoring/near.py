"""Near misses: the sentences most like a phrase that no article holds, ranked by rapidfuzz."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..bank.passages import Paragraph, Sentence, answer_form, normal_form, paragraphs
from ..bank.sources import Article
from ..bank.text import normalise, normalise_answer, normalise_mapped

# Below this similarity a passage is noise rather than a near miss.
MIN_SIMILARITY = 50
CLOSE_MARGIN = 20
WORD_SIMILARITY = 80
_KEPT_SIGNS = "$€£¥%"


def nearest(
    articles: dict[str, Article], query: str, limit: int
) -> list[tuple[int, Paragraph, Sentence, tuple[int, int]]]:
    """The sentences most like the query, with the words inside each that match it."""
    target = normalise(query)
    target_answer = normalise_answer(query)
    if not target:
        return []
    words = _query_words(query)
    scored: list[tuple[int, float, int, Paragraph, Sentence, tuple[int, int]]] = []
    for article in articles.values():
        for paragraph in paragraphs(article):
            for sentence in paragraph.sentences:
                text = paragraph.text[sentence.start : sentence.end]
                score = max(
                    _similarity(target, normal_form(text)),
                    _similarity(target_answer, answer_form(text)),
                )
                if score < MIN_SIMILARITY:
                    continue
                matched, span = _matching_words(text, words, target)
                scored.append((matched, score, len(scored), paragraph, sentence, span))
    if not scored:
        return []
    # More of the query's words first ("802 officers" prefers the sentence with
    # both), then the closer spelling.
    scored.sort(key=lambda item: (-item[0], -item[1], item[2]))
    best_score = scored[0][1]
    return [
        (round(score), paragraph, sentence, span)
        for matched, score, _, paragraph, sentence, span in scored[:limit]
        # Far below the best passage is noise, unless it matches as many words; and
        # once some passage shares a word with the query, one that shares none is noise.
        if matched == scored[0][0] or (matched and score >= best_score - CLOSE_MARGIN)
    ]


def _similarity(target: str, text: str) -> float:
    # partial_ratio slides the shorter string along the longer; a sentence shorter
    # than the query would then score 100 for any few words it shares, so a short
    # sentence is compared whole instead.
    if len(text) >= len(target):
        return fuzz.partial_ratio(target, text)
    return fuzz.ratio(target, text)


_WORD = re.compile(r"\w+(?:['’.-]\w+)*")


def _query_words(query: str) -> list[str]:
    return [normalise_answer(word.group()) for word in _WORD.finditer(query)]


def _word_matches(word: str, wanted: str) -> bool:
    if word == wanted:
        return True
    # A misspelt long word still counts ("sancturay"); a short one must be exact.
    return len(wanted) >= 4 and fuzz.ratio(word, wanted) >= WORD_SIMILARITY


def _matching_words(text: str, wanted: list[str], target: str) -> tuple[int, tuple[int, int]]:
    """How many of the query's words the sentence has, and the shortest run holding them.

    This is the value a near miss offers: "courts blocked every step" gives
    "courts have blocked them every step", not a window of the same length.
    With no word in common, the span that rapidfuzz aligns with the query.
    """
    words = [(w.start(), w.end(), normalise_answer(w.group())) for w in _WORD.finditer(text)]
    hits = [
        (index, {i for i, want in enumerate(wanted) if _word_matches(word, want)})
        for index, (_, _, word) in enumerate(words)
    ]
    hits = [(index, found) for index, found in hits if found]
    if not hits:
        return 0, _aligned(text, target)
    best: tuple[int, int, int, int] | None = None  # (-distinct words, length, first, last)
    for i, (first, _) in enumerate(hits):
        covered: set[int] = set()
        for last, found in hits[i:]:
            covered |= found
            candidate = (-len(covered), words[last][1] - words[first][0], first, last)
            if best is None or candidate < best:
                best = candidate
    assert best is not None
    return -best[0], _whole_words(text, words[best[2]][0], words[best[3]][1])


def _aligned(text: str, target: str) -> tuple[int, int]:
    mapped = normalise_mapped(text)
    alignment = fuzz.partial_ratio_alignment(target, mapped.text)
    if alignment is None or not mapped.origin or alignment.dest_end <= alignment.dest_start:
        return 0, len(text)
    start = mapped.origin[min(alignment.dest_start, len(mapped.origin) - 1)]
    end = mapped.origin[min(alignment.dest_end, len(mapped.origin)) - 1] + 1
    return _whole_words(text, start, end)


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole whitespace-separated words, without their edge punctuation.

    Currency and percent signs stay: "$4 billion" is the value, not "4 billion".
    """
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    while end < len(text) and not text[end].isspace():
        end += 1
    while start < end and not (text[start].isalnum() or text[start] in _KEPT_SIGNS):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in _KEPT_SIGNS):
        end -= 1
    if start == end:
        return 0, len(text)
    return start, end
