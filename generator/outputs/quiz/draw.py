"""Which questions of each pool a printed version asks: `pick` of them, dealt by the seed.

A pool's questions are put in an order that depends only on the seed, the pool and
each question's id (so a new question joins the order without reordering the rest),
and then dealt out like cards: version A asks the first `pick`, version B the next
`pick`, and so on, starting again from the top when the pool runs out. So versions
that sit side by side ask different questions of a pool while it holds at least
twice its pick, and `--seed` gives the same draw every time. A single-version quiz
is version A. Questions in no pool are asked by every version.

A quiz asks each pool's questions that it holds: a deck's quiz holds only the
deck's questions of a pool that spans decks, and when it holds `pick` or fewer it
asks them all, in every version. Anki never draws: it gets every question.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from ...bank.model import Pool, SourcedQuestion


def draw(
    questions: Sequence[SourcedQuestion],
    pools: Mapping[str, Pool],
    seed: int,
    version: int,
) -> tuple[SourcedQuestion, ...]:
    """The questions that version number `version` (0 for A) asks, in the order given."""
    members: dict[str, list[SourcedQuestion]] = {}
    for question in questions:
        pool = question.question.pool
        if pool in pools:
            members.setdefault(pool, []).append(question)
    asked: set[str] = set()
    for pool_id, pooled in members.items():
        asked.update(question.id for question in deal(pooled, pools[pool_id].pick, seed, version))
    return tuple(
        question
        for question in questions
        if question.question.pool not in members or question.id in asked
    )


def deal(
    pooled: Sequence[SourcedQuestion], pick: int, seed: int, version: int
) -> list[SourcedQuestion]:
    """`pick` of one pool's questions for this version, dealt round the seeded order."""
    if len(pooled) <= pick:
        return list(pooled)
    pool_id = pooled[0].question.pool
    order = sorted(pooled, key=lambda q: (random.Random(f"{seed}:{pool_id}:{q.id}").random(), q.id))
    start = version * pick
    return [order[(start + offset) % len(order)] for offset in range(pick)]
