"""What an LMS export carries: each deck's questions as a class quiz asks them.

An LMS quiz is the printed quiz online, so the exports follow the printed quiz's rules:

- A question marked `printed: false` stays out: it is kept off paper because it gives
  another question's answer away, and a quiz on screen would give it away the same way.
  It is still in the Anki package.
- A pool that a deck holds more than `pick` questions of becomes one group, at the place
  of its first question: an LMS draws `pick` of its questions for each student (Canvas's
  question groups, Moodle's random questions from a category), where paper deals them
  out by version. A pool the deck holds `pick` or fewer of is asked whole, as on paper.

Moodle XML, Canvas QTI and GIFT all take their questions from here, so they agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..bank.model import Pool, SourcedQuestion


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
