"""Whose words: the stretches of an article in someone else's voice, and who speaks them.

The rule that uses them, and what counts as someone else's words and as naming
them, is in voice.py. This module reads the article: quotation marks, "said" and
"according to", block quotations, and the names beside the verbs of saying.
Each article is read once, and its voices are cached with the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..bank.passages import sentence_spans
from ..bank.sources import Article
from .spots import Stretch, stretches


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


MIN_QUOTATION_WORDS = 5
# How far an attribution may stand from its quotation, in words: "…,” Stodder
# told the Washington Examiner." is near; a "told" forty words before is not.
_WORDS_BEFORE, _WORDS_AFTER = 15, 6
_QUOTATION = re.compile(r"“[^“”]*”|\"[^\"]*\"")
# Written with a literal first, so that a paragraph is scanned fast.
_REPORTED = re.compile(r"(?<!\w)(?:[Ss]a(?:id|ys|ying)|[Aa]ccording to)\b")
# Verbs that attribute a quotation: the speaker is named beside them.
_ATTRIBUTION = re.compile(
    r"(?<!\bto )\b(?:said|says|say|saying|told|tells|wrote|writes|explained|asked|added|"
    r"adding|stated|agreed|read|according to)\b",
    re.IGNORECASE,
)
# The last sentence of a paragraph that introduces a block quotation: it ends in
# a colon after a verb of saying ("agreed, saying:") or in the verb itself ("As
# spokesman Michael Hernandez said."), or names a source ("From the AP:").
_INTRODUCES = re.compile(
    r"\b(?:said|says|saying|wrote|writes|explained|added|stated|agreed)\b(?:.*:|\s*[.:])\s*$"
    r"|^From (?:the )?[A-Z].*:\s*$"
)
_ENDS_WITH_VERB = re.compile(r"(?:said|says|wrote|writes|explained|added|stated)\.\s*$")
_SENTENCE_END = re.compile(r"[.?!][”’\"]?\s")
_TOKEN = re.compile(r"[\w’'.&-]*\w[\w’'&-]*\.?|[^\w\s]")
_PRONOUNS = frozenset({"he", "she", "they"})
# Words between a subject and its verb of saying: "Sessions has repeatedly said".
_BETWEEN = _words(
    "has have had is was were also repeatedly then later once again did does will would and , who"
)
_CONNECTORS = frozenset({"of", "for", "de", "the", "and"})
_DETERMINERS = _words("the a an multiple several many some his her their its this these those")
# Where a lower-case subject ends: "the judge [in the case]", "a 1996 statute [that]".
_NOT_TITLES_EARLY = _words("the their for from that")
_ENDS_SUBJECT = _words(
    "in of on at by for with from to that which who has have had is was were , and"
)
# Capitalised only because they start a sentence or a clause.
_NOT_NAMES = _words(
    "The A An In On At But And So For If When As From Since Then Until What It This "
    "That These Those Yup Finally Except Besides Earlier Last Not Officials Leaders "
    "Mayors Individual Another Again Instead He She They We I By Yes No Monday "
    "Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December"
)


@dataclass(frozen=True)
class Voice:
    """Someone else's words in an article, and the names that the attribution gives."""

    stretch: Stretch
    speakers: tuple[str, ...]


@lru_cache(maxsize=4096)
def voices(article: Article) -> tuple[Voice, ...]:
    """Every stretch of the article in someone else's words, in reading order."""
    found: list[Voice] = []
    state = _Speakers()
    paragraphs = article.paragraphs
    for index, paragraph in enumerate(paragraphs):
        spans: list[tuple[int, int, tuple[str, ...]]] = []
        if index and not paragraph.startswith(("“", '"')):
            spans += _block(paragraphs[index - 1], paragraph, state)
        inside = [m.span() for m in _QUOTATION.finditer(paragraph)]
        quotations = [
            (start, end)
            for start, end in inside
            if len(paragraph[start:end].split()) >= MIN_QUOTATION_WORDS
        ]
        reported = [m for m in _REPORTED.finditer(paragraph) if not _within(m.start(), inside)]
        in_paragraph: tuple[str, ...] = ()
        for start, end in quotations:
            speakers = _quotation_speakers(paragraph, start, end, inside, state)
            # A quotation with no attribution of its own goes on from the one before.
            speakers = speakers or in_paragraph
            in_paragraph = speakers
            spans.append((start, end, speakers))
        if reported:
            for sentence in sentence_spans(paragraph):
                spans += _reported(paragraph, sentence.start, sentence.end, reported, inside, state)
        marked = stretches(article, index, ((start, end) for start, end, _ in spans))
        found += [Voice(s, speakers) for s, (_, _, speakers) in zip(marked, spans, strict=True)]
    return tuple(found)


class _Speakers:
    """Who spoke last, for "he said"."""

    def __init__(self) -> None:
        self.last: tuple[str, ...] = ()

    def saw(self, speakers: tuple[str, ...]) -> tuple[str, ...]:
        if speakers:
            self.last = speakers
        return speakers


def _block(
    previous: str, paragraph: str, state: _Speakers
) -> list[tuple[int, int, tuple[str, ...]]]:
    """The whole paragraph, if the one before introduces it ("agreed, saying:")."""
    if not (previous.endswith(":") or _ENDS_WITH_VERB.search(previous, len(previous) - 30)):
        return []  # most paragraphs: not worth cutting the one before into sentences
    sentences = sentence_spans(previous)
    if not sentences:
        return []
    last = sentences[-1]
    introduction = previous[last.start : last.end]
    if not _INTRODUCES.search(introduction) or (
        # "…,” Berry wrote." and "Then, he can decide …, Stodder said." end their own
        # words; only a bare attribution ("As spokesman Michael Hernandez said.") leads on.
        not introduction.endswith(":") and (_QUOTATION.search(introduction) or "," in introduction)
    ):
        return []
    speakers: tuple[str, ...] = ()
    for verb in _ATTRIBUTION.finditer(introduction):
        speakers = _speaker(introduction, 0, verb.start(), verb.end(), len(introduction), state)
        if speakers:
            break
    speakers = speakers or _names(introduction)
    return [(0, len(paragraph), state.saw(speakers))]


def _quotation_speakers(
    paragraph: str, start: int, end: int, inside: list[tuple[int, int]], state: _Speakers
) -> tuple[str, ...]:
    """The speaker an attribution beside the quotation names: just after it, else before."""
    after_end = _words_on(paragraph, end, _WORDS_AFTER)
    before_start = _words_back(paragraph, start, _WORDS_BEFORE)
    for low, high in ((end, after_end), (before_start, start)):
        for verb in _ATTRIBUTION.finditer(paragraph, low, high):
            if _within(verb.start(), inside):
                continue
            clause = max((e for _, e in inside if e <= verb.start()), default=0)
            sentence = max(
                (m.end() for m in _SENTENCE_END.finditer(paragraph, 0, verb.start())), default=0
            )
            speakers = _speaker(
                paragraph, max(clause, sentence), verb.start(), verb.end(), after_end, state, inside
            )
            if speakers:
                return state.saw(speakers)
    return ()


def _reported(
    paragraph: str,
    start: int,
    end: int,
    reported: list[re.Match[str]],
    inside: list[tuple[int, int]],
    state: _Speakers,
) -> list[tuple[int, int, tuple[str, ...]]]:
    """What one sentence reports after "said", "says", "saying" or "according to X,"."""
    found: list[tuple[int, int, tuple[str, ...]]] = []
    for match in reported:
        if not start <= match.start() < end:
            continue
        verb_end = match.end()
        speakers = state.saw(
            _speaker(paragraph, start, match.start(), verb_end, end, state, inside)
        )
        if match.group().lower() == "according to":
            found.append((_next_punctuation(paragraph, verb_end, end) + 1, end, speakers))
            continue
        after = paragraph[verb_end:end].strip(" ,:.")
        if len(after.split()) >= 3:
            found.append((verb_end, end, speakers))
        elif "," in paragraph[start : match.start()] and not _within_any(start, inside):
            # "…, Stodder said.": the words before the attribution are the speaker's.
            found.append((start, paragraph.rfind(",", start, match.start()), speakers))
    return found


def _speaker(
    paragraph: str,
    clause_start: int,
    verb_start: int,
    verb_end: int,
    clause_end: int,
    state: _Speakers,
    inside: list[tuple[int, int]] = (),  # type: ignore[assignment]
) -> tuple[str, ...]:
    """The names beside one verb of saying: before it in its clause, else just after it."""
    if paragraph[verb_start:verb_end].lower() == "according to":
        named = paragraph[verb_end : _next_punctuation(paragraph, verb_end, clause_end)]
        return _names(named) or _subject(named)
    before = _outside(paragraph, clause_start, verb_start, inside)
    before = re.split(r"[:;]", before)[-1]
    words = _TOKEN.findall(before)
    subject = next((w for w in reversed(words) if w not in _BETWEEN and w not in '“”"'), "")
    if subject.lower() in _PRONOUNS or subject in {"explained", "said", "says", "added"}:
        return state.last
    names = _nearest_first(" ".join(before.split()[-25:]))
    if subject and not subject[0].isupper() and subject.isalpha():
        # A common noun may be the speaker ("The judge in the case wrote"), or stand
        # beside the name ("Chuck Canterbury, FOP's president, said"): either will do.
        return names + _subject(before)
    if names:
        return names
    after = _outside(
        paragraph, verb_end, _next_punctuation(paragraph, verb_end, clause_end), inside
    )
    return _names(after) or _subject(after)


def _nearest_first(before: str) -> tuple[str, ...]:
    """The names before a verb of saying, the speaker first, then the titles they are given.

    The speaker is the name nearest the verb ("in Los Angeles, Stodder said"), or,
    when an appositive stands between ("Jim Pasco, their Executive Director, said"),
    the name before it. A title is a common noun just before a name ("spokesman
    Michael Hernandez") or the head of the appositive ("FOP's president").
    """
    stripped = before.rstrip()
    names = list(reversed(_names(stripped)))
    titles = [m.group(1) for m in _TITLED.finditer(stripped) if m.group(1) not in _NOT_TITLES]
    if stripped.endswith(",") and stripped.count(",") >= 2:
        head, appositive = stripped[:-1].rsplit(",", 1)
        speaker = _names(head)[-1:] if _names(head) else ()
        names = [*speaker, *(n for n in names if n not in speaker)]
        titles += _subject(appositive)
    return tuple(dict.fromkeys([*names, *titles]))


_TITLED = re.compile(r"\b([a-z]{3,})\s+(?=[A-Z])")
_NOT_TITLES = (
    _ENDS_SUBJECT
    | _DETERMINERS
    | _CONNECTORS
    | _words("from into about than when where while after before because like")
)


def _subject(text: str) -> tuple[str, ...]:
    """A subject named by a common noun: 'judge' in "The judge in the case wrote"."""
    words = [w for w in _TOKEN.findall(text) if w not in '“”"']
    lowered = [w.lower() for w in words]
    first = next((i for i, w in enumerate(lowered) if w in _DETERMINERS), None)
    if first is None:
        first = 0
    else:
        first += 1
    phrase: list[str] = []
    for word in lowered[first:]:
        if word in _ENDS_SUBJECT:
            if phrase:
                break
            continue
        phrase.append(word)
    heads = [w for w in phrase if w.isalpha() and w not in _NOT_TITLES_EARLY]
    return (heads[-1],) if heads else ()


def _names(text: str) -> tuple[str, ...]:
    """The capitalised names in text: runs of capitalised words, joined by 'of', 'for', …"""
    names: list[str] = []
    run: list[str] = []
    pending: list[str] = []
    for raw in _TOKEN.findall(text):
        word = re.sub(r"(?:’s|'s|’|')$", "", raw).rstrip(".") if raw[0].isalnum() else raw
        if word[:1].isupper() and word not in _NOT_NAMES:
            run += [*pending, word]
            pending = []
        elif run and word in _CONNECTORS:
            pending.append(word)
        else:
            if run:
                names.append(" ".join(run))
            run, pending = [], []
    if run:
        names.append(" ".join(run))
    return tuple(dict.fromkeys(names))


def _outside(paragraph: str, start: int, end: int, inside: list[tuple[int, int]]) -> str:
    """The text between start and end outside quotation marks."""
    pieces, position = [], start
    for q_start, q_end in inside:
        if q_end <= start or q_start >= end:
            continue
        pieces.append(paragraph[position : max(position, q_start)])
        position = max(position, q_end)
    pieces.append(paragraph[position:end])
    return " ; ".join(pieces)


def _words_on(paragraph: str, start: int, count: int) -> int:
    ahead = re.compile(r"\S+\s*").finditer(paragraph, start)
    end = start
    for _, word in zip(range(count), ahead, strict=False):
        if word.group().startswith(("“", '"')):
            break
        end = word.end()
    return end


def _words_back(paragraph: str, end: int, count: int) -> int:
    words = list(re.finditer(r"\S+", paragraph[:end]))[-count:]
    start = words[0].start() if words else end
    for word in words:  # not into another quotation or sentence
        if word.group().endswith(("”", '"', ".", "?")) and word.end() < end:
            start = word.end()
    return start


def _next_punctuation(paragraph: str, start: int, end: int) -> int:
    found = re.compile(r"[,.;:]").search(paragraph, start, end)
    return found.start() if found else end


def _within(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(start < position < end for start, end in spans)


def _within_any(position: int, spans: list[tuple[int, int]]) -> bool:
    """Whether a sentence starting here starts with a quotation."""
    return any(start <= position < end for start, end in spans)
