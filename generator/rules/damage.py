"""Lost text: places where a scraped article dropped words, and the facts that quote them.

Articles scraped from the web lose the text of their links: "a federal court in
Philadelphia [blocked the conditions]." comes out as "a federal court in
Philadelphia .". A question about such a sentence asks about something the
article no longer says. The damage leaves marks that ordinary prose does not
have, and each heuristic below looks for one of them. They were tuned on the
five articles in seeds/, where they find every spot of this kind that a reader
found and nothing else; they are deliberately narrow, since a false alarm
teaches contributors to ignore the warning:

1. A space before closing punctuation (",", ".", ";", ":", "!", "?"): a link
   that ended a clause was dropped, and the space before it stayed
   ("in Chicago , ruling", "in Philadelphia ."). An ellipsis is not a mark.
2. "of" next to another preposition ("of to", "in of"), with "at least" or
   "at most" before it: the noun between them was the link ("has sent at least
   [29 letters] of [warning] to states"). "out of", "because of" and "on to" are
   prose, so the pairs are only those with "of" and a preposition that cannot
   stand before or after it.
3. "he", "she" or "they" followed by "that", "the", "a" or "an": a subject
   whose verb was the link ("In July, he [announced] that recipients").
4. A preposition followed by a past-tense verb and "to" ("buried in
   [an executive order that] threatened to cut off"): the preposition's object
   was the link.
5. A verb of claiming followed by "that had" and a past participle ("claimed
   that [80 percent of the grantees] had agreed"): the that-clause lost its
   subject. "said that had" is left alone: "that" is often the subject there.

Known misses, which need a parser rather than a pattern: a lost verb between
two noun phrases ("the court [struck down] the unconstitutional provision") and
a lost object before "to" ("announced [grants] to hire").

Each article is scanned once, and its spots are cached with the article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..bank.model import Fact, Problem, Severity
from ..bank.sources import Article, QuoteMatch
from .spots import Stretch, stretches, touches, where


@dataclass(frozen=True)
class Spot:
    """A place where the article lost words, and how it shows."""

    stretch: Stretch
    reason: str
    shown: str  # the spot and the word after the gap: "in threatened", "he that"

    def where(self, article: Article) -> str:
        return where(article, self.stretch)


_PREPOSITIONS = "to for with at by from into onto in on about than"
_AFTER_OF = re.compile(rf"\s+(?:{'|'.join(_PREPOSITIONS.split())}|of)\b", re.IGNORECASE)
_BEFORE_OF = re.compile(rf"\b(?:{'|'.join(_PREPOSITIONS.split())})\s+\Z", re.IGNORECASE)
_QUANTIFIER = re.compile(r"\bat\s+(?:least|most)\s+\Z", re.IGNORECASE)
# Each pattern starts with a literal or a space, so a paragraph is scanned fast;
# the words before a candidate are then checked in a short window.
_SPACE_BEFORE = re.compile(r"[ \t]+(?P<mark>[,;:!?]|\.(?!\.))(?=\s|$|[\"”’)])")
_OF = re.compile(r"of\b")
_PRONOUN_BEFORE = re.compile(r"he(?:y)?(?=\s+(?:that|the|an?)\b)")
_VERB_TO = re.compile(r"ed\s+to\s+[a-z]")
_PREPOSITION_BEFORE = re.compile(r"\b(?:in|of|on|at|by|with|from|for)\s+\Z", re.IGNORECASE)
_THAT_HAD = re.compile(r"that(?=\s+had\s+[a-z]+(?:ed|en)\b)")
_CLAIMED_BEFORE = re.compile(
    r"\b(?:claimed|announced|argued|alleged|insisted|reported)\s+\Z", re.IGNORECASE
)
_LOST_BEFORE = "a space before {!r}: the words before it were lost"
_TWO_PREPOSITIONS = "two prepositions in a row: the words between them were lost"
_NO_VERB = "a subject without its verb: the verb was lost"
_NO_OBJECT = "a preposition before a verb: the preposition's object was lost"
_NO_SUBJECT = "'that' without a subject: the subject was lost"
_WINDOW = 40  # characters before a candidate in which its partner word is looked for


_NEXT_WORD = re.compile(r"\s+[^\s,.;:!?]+")


@lru_cache(maxsize=4096)
def damaged_spots(article: Article) -> tuple[Spot, ...]:
    """Every spot in the article that looks like lost text, in reading order."""
    found: list[Spot] = []
    for index, paragraph in enumerate(article.paragraphs):
        merged = _marked(paragraph)
        for stretch, (start, end, reason) in zip(
            stretches(article, index, ((s, e) for s, e, _ in merged)), merged, strict=True
        ):
            after = _NEXT_WORD.match(paragraph, end)
            shown = " ".join(paragraph[start : after.end() if after else end].split())
            found.append(Spot(stretch, reason, shown))
    return tuple(found)


@lru_cache(maxsize=4096)
def _by_paragraph(article: Article) -> dict[int, tuple[Spot, ...]]:
    spots: dict[int, list[Spot]] = {}
    for spot in damaged_spots(article):
        spots.setdefault(spot.stretch.paragraph, []).append(spot)
    return {index: tuple(found) for index, found in spots.items()}


def damaged_stretches(paragraph: str) -> list[tuple[int, int]]:
    """The damaged spots of one paragraph, as offsets (for tools that make text)."""
    return [(start, end) for start, end, _ in _marked(paragraph)]


def _marked(paragraph: str) -> list[tuple[int, int, str]]:
    """(start, end, reason) of each spot: the words up to a gap where text was lost.

    A quote that ends at the gap prints a clause cut short; one that starts after
    it ("ruling that …" after "in Chicago ,") starts a whole phrase, and is fine.
    """
    marked: list[tuple[int, int, str]] = []

    def before(pattern: re.Pattern[str], position: int) -> re.Match[str] | None:
        return pattern.search(paragraph, max(0, position - _WINDOW), position)

    for match in _SPACE_BEFORE.finditer(paragraph):
        start = match.start()
        if start and not paragraph[start - 1].isspace():
            start = _word_start(paragraph, start)
        else:
            start = match.start("mark")
        marked.append((start, match.end(), _LOST_BEFORE.format(match["mark"])))
    for match in _OF.finditer(paragraph):
        if match.start() and paragraph[match.start() - 1].isalnum():
            continue  # "thereof", "proof"
        if _AFTER_OF.match(paragraph, match.end()):
            quantifier = before(_QUANTIFIER, match.start())
            start = quantifier.start() if quantifier else match.start()
            marked.append((start, match.end(), _TWO_PREPOSITIONS))
        elif (preposition := before(_BEFORE_OF, match.start())) is not None:
            word_end = preposition.start() + len(preposition.group().split()[0])
            marked.append((preposition.start(), word_end, _TWO_PREPOSITIONS))
    for match in _PRONOUN_BEFORE.finditer(paragraph):
        start = _word_start(paragraph, match.start())
        if paragraph[start : match.end()].lower() in ("he", "she", "they"):
            marked.append((start, match.end(), _NO_VERB))
    for match in _VERB_TO.finditer(paragraph):
        verb = _word_start(paragraph, match.start())
        preposition = before(_PREPOSITION_BEFORE, verb)
        if preposition is not None and verb - preposition.start() < 10:
            word_end = preposition.start() + len(preposition.group().split()[0])
            marked.append((preposition.start(), word_end, _NO_OBJECT))
    for match in _THAT_HAD.finditer(paragraph):
        if match.start() and paragraph[match.start() - 1].isalnum():
            continue
        claimed = before(_CLAIMED_BEFORE, match.start())
        if claimed is not None:
            marked.append((claimed.start(), match.end(), _NO_SUBJECT))
    return _merged(paragraph, sorted(marked))


def _word_start(text: str, position: int) -> int:
    while position > 0 and not text[position - 1].isspace():
        position -= 1
    return position


def _merged(paragraph: str, marked: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Spots that overlap or only space parts as one ("tags: , , ," is one place, not three)."""
    merged: list[tuple[int, int, str]] = []
    for start, end, reason in marked:
        if merged and not paragraph[merged[-1][1] : start].strip():
            first, last, first_reason = merged[-1]
            merged[-1] = (first, max(last, end), first_reason)
        else:
            merged.append((start, end, reason))
    return merged


def lost_text(fact: Fact, article: Article, match: QuoteMatch) -> Problem | None:
    """A warning if the fact's quote touches a spot where its article lost words."""
    for spot in _by_paragraph(article).get(match.paragraph, ()):
        if touches(match, spot.stretch):
            return Problem(
                fact.where("quote"),
                f"fact '{fact.id}': its quote touches a place where the article lost words, "
                f"{spot.shown!r} at {spot.where(article)} ({spot.reason}), so it may "
                "not say what the article meant: quote a passage that does not touch it",
                Severity.WARNING,
            )
    return None
