"""The real bank in questions/: every question is sourced, and the bank is what the course needs.

One test per question, named by its id, so a failure says which question lost its source.
The evidence is re-checked here with the text functions directly, not by trusting check.py.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from generator import api
from generator.bank import yamlfile
from generator.bank.model import CheckResult, QuestionType, SourcedQuestion
from generator.bank.sources import load_sources
from generator.bank.text import find_word, normalise_answer

REPO = Path(__file__).resolve().parent.parent
QUESTIONS = REPO / "questions"
SEEDS = REPO / "seeds"


def _question_ids() -> list[str]:
    """Read at collection time with the safe loader, so each question gets its own test."""
    ids = []
    for path in sorted(QUESTIONS.glob("*.yaml")):
        data = yamlfile.load(path).data
        # A broken file fails test_quizgen_check_passes_on_the_bank with its messages.
        questions = data.get("questions") if isinstance(data, dict) else None
        for question in questions if isinstance(questions, list) else []:
            if isinstance(question, dict) and isinstance(question.get("id"), str):
                ids.append(question["id"])
    return ids


QUESTION_IDS = _question_ids()


@pytest.fixture(scope="module")
def checked() -> CheckResult:
    return api.check_bank([QUESTIONS], SEEDS, REPO / "decks")


@pytest.fixture(scope="module")
def articles():
    return load_sources(SEEDS).articles


def occurs(text: str, quote: str) -> bool:
    return find_word(normalise_answer(quote), normalise_answer(text)) != -1


def answers_to_prove(question: SourcedQuestion) -> list[tuple[str, ...]]:
    """What must occur in one quote of the question's evidence, for each part of its answer."""
    if question.type is QuestionType.MATCH:
        return [tuple(pair) for pair in question.pairs]
    if question.type in (QuestionType.TRUEFALSE, QuestionType.CLOZE):
        return [(fact.value,) for fact in {e.fact.id: e.fact for e in question.evidence}.values()]
    return [(question.answer,)]


@pytest.mark.parametrize("question_id", QUESTION_IDS, ids=QUESTION_IDS)
def test_question_is_sourced(question_id: str, checked: CheckResult, articles) -> None:
    by_id = {question.id: question for question in checked.questions}
    problems = [str(p) for p in checked.problems if f"'{question_id}'" in p.message]
    assert question_id in by_id, problems
    question = by_id[question_id]
    assert question.evidence, "no evidence"
    for evidence in question.evidence:
        assert articles[evidence.source.id].find(evidence.fact.quote) is not None
        assert occurs(evidence.fact.value, evidence.fact.quote)
        assert evidence.highlights, "the answer is not marked in its quote"
        for start, end in evidence.highlights:
            assert 0 <= start < end <= len(evidence.fact.quote)
    quotes = [evidence.fact.quote for evidence in question.evidence]
    for parts in answers_to_prove(question):
        assert any(all(occurs(part, quote) for part in parts) for quote in quotes), parts
    if question.type is QuestionType.TRUEFALSE:
        assert question.answer in ("True", "False")
        assert question.statement


def test_quizgen_check_passes_on_the_bank(run_line, monkeypatch) -> None:
    monkeypatch.chdir(REPO)
    result = run_line(["check"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # no errors and no warnings
    assert "every answer is sourced" in result.stderr


def test_every_question_file_question_is_checked(checked: CheckResult) -> None:
    assert checked.success
    assert sorted(q.id for q in checked.questions) == sorted(QUESTION_IDS)
    assert len(set(QUESTION_IDS)) == len(QUESTION_IDS)


def test_the_bank_has_at_least_60_questions(checked: CheckResult) -> None:
    assert len(checked.questions) >= 60


def test_every_article_has_at_least_8_questions(checked: CheckResult) -> None:
    per_article = Counter(source.id for q in checked.questions for source in q.sources)
    assert set(per_article) == {"leopold", "epstein", "empty-threat", "gun-violence", "quandary"}
    assert min(per_article.values()) >= 8, per_article


def test_every_question_type_is_used(checked: CheckResult) -> None:
    assert {q.type for q in checked.questions} == set(QuestionType)


def sourced_values(checked: CheckResult, source_id: str) -> set[str]:
    return {
        normalise_answer(e.fact.value)
        for q in checked.questions
        for e in q.evidence
        if e.source.id == source_id
    }


def test_the_facts_the_product_is_known_for_are_asked(checked: CheckResult) -> None:
    assert normalise_answer("$4 billion") in sourced_values(checked, "leopold")  # the clawback
    # The three sets of letters: nine jurisdictions, eight cities, four cities.
    assert normalise_answer("nine") in sourced_values(checked, "empty-threat")
    assert normalise_answer("eight") in sourced_values(checked, "quandary")
    assert normalise_answer("four") in sourced_values(checked, "gun-violence")
    # Which court ruled where. (Philadelphia's ruling is not asked: the article lost its verb.)
    courts = ["California", "Chicago", "Ninth Circuit", "Seventh Circuit"]
    assert {normalise_answer(court) for court in courts} <= sourced_values(checked, "epstein")
