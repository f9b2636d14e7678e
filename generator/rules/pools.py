"""Pools: every `pool:` names a declared pool, and every pool can give each version its pick.

A printed version asks `pick` of a pool's printed questions (outputs/quiz/draw.py), so a
pool needs at least `pick` of them. Its questions should be worth the same points, or
versions A and B would not total the same; that is a warning, since a teacher may mean it.
"""

from __future__ import annotations

import difflib
from collections import defaultdict

from ..bank.model import Bank, Location, Problem, Question, Severity


def pool_problems(bank: Bank) -> list[Problem]:
    members: dict[str, list[Question]] = defaultdict(list)
    problems: set[Problem] = set()  # a template's rows share its `pool:`, reported once
    for question in bank.questions:
        if question.pool is None:
            continue
        if question.pool in bank.pools:
            members[question.pool].append(question)
            continue
        subject = (
            f"template '{question.template}'" if question.template else f"question '{question.id}'"
        )
        close = difflib.get_close_matches(question.pool, list(bank.pools), n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "declare it under pools: with its pick"
        message = f"{subject}: unknown pool '{question.pool}': {hint}"
        problems.add(Problem(question.where("pool"), message))
    for pool in bank.pools.values():
        problems.update(_pool_size(pool.id, pool.pick, pool.location, members[pool.id]))
    return sorted(problems)


def _pool_size(
    pool_id: str, pick: int, where: Location, questions: list[Question]
) -> list[Problem]:
    printed = [question for question in questions if question.printed]
    subject = f"pool '{pool_id}'"
    if not questions:
        return [
            Problem(
                where,
                f"{subject}: no question is in this pool: add 'pool: {pool_id}' to its "
                "questions, or remove the pool",
            )
        ]
    if pick > len(printed):
        unprinted = len(questions) - len(printed)
        aside = f", not counting {unprinted} with printed: false" if unprinted else ""
        return [
            Problem(
                where,
                f"{subject}: pick: {pick} is more than its {len(printed)} printed "
                f"question{'s' if len(printed) != 1 else ''}{aside}: lower pick, or add "
                "questions to the pool",
            )
        ]
    points = sorted({question.points for question in printed})
    if len(points) > 1:
        worth = ", ".join(
            f"{question.id} {question.points}" for question in sorted(printed, key=_by_id)
        )
        return [
            Problem(
                where,
                f"{subject}: its questions are worth different points ({worth}), so versions "
                "would not total the same: give them the same points",
                Severity.WARNING,
            )
        ]
    return []


def _by_id(question: Question) -> str:
    return question.id
