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
from ..paths import display
from .spots import Stretch, stretches, touches


@dataclass(frozen=True)
class Spot:
    """A place where the article lost words, and how it shows."""

    stretch: Stretch
    reason: str
    shown: str  # the spot and the word after the gap: "in threatened", "he that"

    def where(self, article: Article) -> str:
        return f"{display(article.source.path)}:{self.stretch.line}:{self.stretch.column}"


_PREPOSITION = r"(?:to|for|with|at|by|from|into|onto|in|on|of|about|than)"
# Each heuristic: a pattern, and what its match shows. The group `spot` is the
# damaged stretch: the words up to the gap where text was lost, and the gap. A
# quote that ends there prints a clause cut short; one that starts after the
# gap ("ruling that …" after "in Chicago ,") starts a whole phrase, and is fine.
_HEURISTICS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"(?P<spot>(?:[^\s]+)?[ \t]+(?P<mark>[,;:!?]|\.(?!\.)))(?=\s|$|[\"”’)])"),
        "a space before {mark!r}: the words before it were lost",
    ),
    (
        re.compile(
            rf"\b(?P<spot>(?:at (?:least|most) )?(?:of(?=\s+(?!of\b){_PREPOSITION}\b)|"
            rf"(?!of\b){_PREPOSITION}(?=\s+of\b)|of(?=\s+of\b)))",
            re.IGNORECASE,
        ),
        "two prepositions in a row: the words between them were lost",
    ),
    (
        re.compile(r"\b(?P<spot>he|she|they)(?=\s+(?:that|the|a|an)\b)", re.IGNORECASE),
        "a subject without its verb: the verb was lost",
    ),
    (
        re.compile(
            r"\b(?P<spot>in|of|on|at|by|with|from|for)(?=\s+[a-z]+ed\s+to\s+[a-z]+\b)",
            re.IGNORECASE,
        ),
        "a preposition before a verb: the preposition's object was lost",
    ),
    (
        re.compile(
            r"\b(?P<spot>(?:claimed|announced|argued|alleged|insisted|reported)\s+that)"
            r"(?=\s+had\s+[a-z]+(?:ed|en)\b)",
            re.IGNORECASE,
        ),
        "'that' without a subject: the subject was lost",
    ),
)


_NEXT_WORD = re.compile(r"\s+[^\s,.;:!?]+")


@lru_cache(maxsize=4096)
def damaged_spots(article: Article) -> tuple[Spot, ...]:
    """Every spot in the article that looks like lost text, in reading order."""
    found: list[Spot] = []
    for index, paragraph in enumerate(article.paragraphs):
        marked: list[tuple[int, int, str]] = []
        for pattern, reason in _HEURISTICS:
            for match in pattern.finditer(paragraph):
                start, end = match.span("spot")
                while paragraph[start].isspace():
                    start += 1
                marked.append((start, end, reason.format(**match.groupdict())))
        merged = _merged(paragraph, sorted(marked))
        for stretch, (start, end, reason) in zip(
            stretches(article, index, ((s, e) for s, e, _ in merged)), merged, strict=True
        ):
            after = _NEXT_WORD.match(paragraph, end)
            shown = " ".join(paragraph[start : after.end() if after else end].split())
            found.append(Spot(stretch, reason, shown))
    return tuple(found)


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
    for spot in damaged_spots(article):
        if touches(match, spot.stretch):
            return Problem(
                fact.where("quote"),
                f"fact '{fact.id}': its quote touches a place where the article lost words, "
                f"{spot.shown!r} at {spot.where(article)} ({spot.reason}), so it may "
                "not say what the article meant: quote a passage that does not touch it",
                Severity.WARNING,
            )
    return None
