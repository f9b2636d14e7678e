"""Pools: each printed version asks `pick` of a pool's questions, Anki asks them all.

The draw is a pure function of the seed, the version and the questions (draw.py), so the
properties are tested on it directly, and the build is tested on the example bank.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from generator import api
from generator.bank.model import Location, Pool, Question, QuestionType, SourcedQuestion
from generator.outputs.anki.package import Lock, build_package
from generator.outputs.base import BuildContext, BuildOptions
from generator.outputs.quiz.draw import draw
from generator.outputs.quiz.render import render_quizzes

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
EXAMPLE = REPO / "tests" / "examples" / "valid" / "templates-and-pools" / "questions"


def question(question_id: str, pool: str | None) -> SourcedQuestion:
    asked = Question(question_id, QuestionType.SHORT, "Deck", Location("q.yaml"), pool=pool)
    return SourcedQuestion(asked, "Ask?", "answer", (), (), "", ())


POOLED = st.lists(st.from_regex(r"q[0-9]{1,3}", fullmatch=True), min_size=1, unique=True)


@given(POOLED, st.integers(1, 5), st.integers(0, 2**32), st.integers(0, 8))
def test_every_version_asks_pick_of_the_pool_and_every_other_question(
    ids, pick, seed, version
) -> None:
    questions = [question(i, "p") for i in ids] + [question("free", None)]
    pools = {"p": Pool("p", pick, Location("q.yaml"))}
    asked = draw(questions, pools, seed, version)
    pooled = [q for q in asked if q.question.pool == "p"]
    assert len(pooled) == min(pick, len(ids))
    assert len({q.id for q in pooled}) == len(pooled)
    assert asked[-1].id == "free"
    # In the order given, and the same again for the same seed and version.
    assert [q.id for q in asked] == [q.id for q in questions if q in asked]
    assert draw(questions, pools, seed, version) == asked


@given(POOLED, st.integers(1, 4), st.integers(0, 2**32))
def test_versions_side_by_side_ask_different_questions_and_together_ask_all(
    ids, pick, seed
) -> None:
    questions = [question(i, "p") for i in ids]
    pools = {"p": Pool("p", pick, Location("q.yaml"))}
    versions = [{q.id for q in draw(questions, pools, seed, v)} for v in range(len(ids))]
    if len(ids) >= 2 * pick:
        for a, b in itertools.pairwise(versions):
            assert not a & b
    rounds = -(-len(ids) // pick)
    assert set().union(*versions[:rounds]) == set(ids)


@given(POOLED, st.integers(0, 2**32))
def test_a_new_question_in_the_pool_keeps_the_order_of_the_others(ids, seed) -> None:
    pools = {"p": Pool("p", len(ids) + 1, Location("q.yaml"))}
    # With pick above the size the draw is every question; the deal order shows in pick 1.
    one = {"p": Pool("p", 1, Location("q.yaml"))}
    before = [draw([question(i, "p") for i in ids], one, seed, v)[0].id for v in range(len(ids))]
    grown = [question(i, "p") for i in [*ids, "new"]]
    after = [draw(grown, one, seed, v)[0].id for v in range(len(ids) + 1)]
    assert [i for i in after if i != "new"] == before
    assert len(draw(grown, pools, seed, 0)) == len(ids) + 1


def built(versions: int, seed: int) -> dict[str, bytes]:
    result = api.check_bank([EXAMPLE], SEEDS)
    assert result.success, [str(p) for p in result.problems]
    options = BuildOptions(versions=versions, seed=seed)
    context = BuildContext(result.questions, options, lambda name: None, (), result.bank.pools)
    return render_quizzes(context)


ID = re.compile(r'<p class="question-id">([a-z0-9-]+)')
POINTS = re.compile(r"Score <span class=\"rule\"></span> / (\d+)")


def test_printed_versions_differ_in_content_with_equal_points() -> None:
    files = built(3, 11)
    asked = {letter: set(ID.findall(files[f"quiz-all-{letter}.html"].decode())) for letter in "ABC"}
    courts = {"court-california", "court-chicago"}
    for letter in "ABC":
        assert len(asked[letter] & courts) == 1
        assert len(asked[letter] & {"clawback-amount", "clawback-choice"}) == 1
    # Side by side, A and B ask different courts; with two in the pool the deal starts again at C.
    assert asked["A"] & courts != asked["B"] & courts
    assert asked["C"] & courts == asked["A"] & courts
    points = {POINTS.search(files[f"quiz-all-{letter}.html"].decode()).group(1) for letter in "ABC"}
    assert points == {"2"}
    # The deck's quiz draws what quiz-all draws from the same pool.
    for letter in "ABC":
        in_deck = set(ID.findall(files[f"quiz-courts-{letter}.html"].decode()))
        assert in_deck & courts == asked[letter] & courts


def test_the_seed_reproduces_the_draw_byte_for_byte() -> None:
    assert built(2, 5) == built(2, 5)
    draws = {frozenset(ID.findall(built(1, seed)["quiz-all.html"].decode())) for seed in range(8)}
    assert len(draws) > 1  # the seed chooses


def test_one_version_is_version_a() -> None:
    single = set(ID.findall(built(1, 9)["quiz-all.html"].decode()))
    assert single == set(ID.findall(built(2, 9)["quiz-all-A.html"].decode()))


def test_anki_gets_every_question_of_every_pool() -> None:
    result = api.check_bank([EXAMPLE], SEEDS)
    package = build_package(result.questions, Lock(), clock=lambda: 1_700_000_000.0)
    pooled = {q.id for q in result.questions if q.question.pool}
    assert pooled == {
        "court-california",
        "court-chicago",
        "clawback-amount",
        "clawback-choice",
    }
    assert pooled <= set(package.lock.notes)
