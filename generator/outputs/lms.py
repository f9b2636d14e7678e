"""What an LMS export carries: each deck's questions as a class quiz asks them.

An LMS quiz is the printed quiz online, so the exports follow the printed quiz's rules:

- A question marked `printed: false` stays out: it is kept off paper because it gives
  another question's answer away, and a quiz on screen would give it away the same way.
  It is still in the Anki package.
- A pool that a deck holds more than `pick` questions of becomes one group, at the place
  of its first question: an LMS draws `pick` of its questions for each student (Canvas's
  question groups, Moodle's random questions from a category), where paper deals them
  out by version. A pool the deck holds `pick` or fewer of is asked whole, as on paper.

Moodle XML, Canvas QTI and GIFT all take their questions from here, so they agree; they
also share how a text is made safe to show as HTML, how the evidence reads as feedback,
and the order of a question's options.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..bank.model import Pool, SourcedQuestion
from .evidence import QuestionEvidence, byline


@dataclass(frozen=True)
class PoolGroup:
    """`pick` of these questions, drawn for each student; all are worth the same points."""

    pool: str
    pick: int
    questions: tuple[SourcedQuestion, ...]

    @property
    def points(self) -> int:
        # rules/pools.py warns when a pool's printed questions differ in points.
        return max(question.question.points for question in self.questions)


Entry = SourcedQuestion | PoolGroup


def deck_entries(
    questions: Sequence[SourcedQuestion], pools: Mapping[str, Pool]
) -> dict[str, list[Entry]]:
    """Each deck's questions and pool groups, in bank order, printed questions only."""
    by_deck: dict[str, list[SourcedQuestion]] = {}
    for question in questions:
        if question.question.printed:
            by_deck.setdefault(question.deck, []).append(question)
    return {deck: _grouped(asked, pools) for deck, asked in by_deck.items()}


def _grouped(questions: Sequence[SourcedQuestion], pools: Mapping[str, Pool]) -> list[Entry]:
    members: dict[str, list[SourcedQuestion]] = {}
    for question in questions:
        if question.question.pool in pools:
            members.setdefault(question.question.pool, []).append(question)
    drawn = {pool for pool, pooled in members.items() if len(pooled) > pools[pool].pick}
    entries: list[Entry] = []
    for question in questions:
        pool = question.question.pool
        if pool not in drawn:
            entries.append(question)
        elif question is members[pool][0]:
            entries.append(PoolGroup(pool, pools[pool].pick, tuple(members[pool])))
    return entries


def questions_of(entries: Sequence[Entry]) -> list[SourcedQuestion]:
    """Every question of a deck's entries, a group's in its place."""
    return [
        question
        for entry in entries
        for question in (entry.questions if isinstance(entry, PoolGroup) else (entry,))
    ]


def points_of(entries: Sequence[Entry]) -> int:
    """What a student's quiz is worth: each question, and `pick` of each group."""
    return sum(
        entry.pick * entry.points if isinstance(entry, PoolGroup) else entry.question.points
        for entry in entries
    )


# --- text every LMS shows ----------------------------------------------------------------

# Everything XML 1.0 allows in a document; anything else (most C0 controls, lone
# surrogates, U+FFFE/U+FFFF) makes lxml refuse the text and an LMS refuse the file. GIFT is
# not XML, but Moodle stores what it imports in the same tables, so GIFT drops them too.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """The text without the characters XML cannot carry."""
    return _NOT_XML.sub("", text)


def typed_answer(text: str) -> str:
    """A text Moodle compares with what a student types, where `*` is a wildcard."""
    return xml_text(text).replace("*", "\\*")


def html_text(text: str) -> str:
    """The text as HTML that shows exactly these characters (line breaks as <br>)."""
    escaped = html.escape(xml_text(text), quote=False)
    # Entities that show the same characters and mean nothing to a format: '[' starts a
    # Canvas blank ([blank1]), '{' a Moodle embedded answer ({1:SHORTANSWER:=x}), and
    # '//' a GIFT comment.
    for character, entity in (("[", "&#91;"), ("{", "&#123;"), ("}", "&#125;")):
        escaped = escaped.replace(character, entity)
    return escaped.replace("//", "/&#47;").replace("\n", "<br>")


def feedback_html(evidence: QuestionEvidence) -> str:
    """The evidence as HTML: each quote with the answer in <strong>, its article, the id."""
    parts = []
    for quote in evidence.quotes:
        text = "".join(
            f"<strong>{html_text(piece.text)}</strong>" if piece.marked else html_text(piece.text)
            for piece in quote.pieces
        )
        parts.append(f"<p>{text}</p><p>— {html_text(byline(quote.source))}</p>")
    parts.append(f"<p>Question id: {html_text(evidence.question_id)}</p>")
    return "".join(parts)


def shuffled(question_id: str, items: Sequence[str]) -> list[str]:
    """The items in an order seeded by the question id alone (rewording keeps it).

    Every LMS export offers a question's options in this one order, so a teacher who
    gives the quiz in Moodle and in Canvas sees the same question twice.
    """
    digest = hashlib.sha256(f"lms-options\0{question_id}".encode()).digest()
    ordered = list(items)
    random.Random(int.from_bytes(digest[:8], "big")).shuffle(ordered)
    return ordered


def category_path(deck: str, *more: str) -> str:
    """A deck's Moodle category: 'A::B' → '$course$/top/A/B', a '/' in a name as '//'.

    GIFT's `$CATEGORY:` and Moodle XML's category questions both take this path; a pool
    is one level more, so that a random question can draw from it.
    """
    levels = [*deck.split("::"), *more]
    named = (xml_text(level).replace("\n", " ").strip().replace("/", "//") for level in levels)
    return "/".join(("$course$", "top", *named))
