"""Printed quizzes: a question must not print another question's answer.

In Anki each card is seen alone, but a printed quiz puts a deck's questions on
one sheet: a true statement that says "$4 billion" answers the short question
"How much?". For each deck, every answer (a short or choice answer, a cloze's
blank, the true value behind a true/false statement) is looked for in the text
that the other printed questions show. A hit is a warning, with two ways out:
reword, or mark one question `printed: false` so it stays in Anki only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from ..bank.model import Problem, QuestionType, Severity, SourcedQuestion
from ..bank.text import find_word, normalise_answer

_WORD = re.compile(r"\w+")


def printed_giveaways(questions: Sequence[SourcedQuestion]) -> list[Problem]:
    by_deck: dict[str, list[SourcedQuestion]] = defaultdict(list)
    for question in questions:
        if question.question.printed:
            by_deck[question.deck].append(question)
    problems: list[Problem] = []
    for deck_questions in by_deck.values():
        problems += _in_one_deck(deck_questions)
    return problems


def _in_one_deck(questions: list[SourcedQuestion]) -> list[Problem]:
    # Answers indexed by their first word, so each question's text is scanned
    # once rather than compared with every other question's answer.
    answers: dict[str, list[tuple[SourcedQuestion, str]]] = defaultdict(list)
    for question in questions:
        answer = _answer(question)
        words = _WORD.findall(answer)
        if words:
            answers[words[0]].append((question, answer))
    problems: list[Problem] = _rival_statements(questions)
    for shown_in in questions:
        text = normalise_answer(" \n ".join(_shown_text(shown_in)))
        words = _WORD.findall(text)
        if answers.keys().isdisjoint(words):
            continue  # most questions: no answer's first word is even printed
        for word in dict.fromkeys(words):
            for given_away, answer in answers.get(word, ()):
                if given_away is not shown_in and find_word(text, answer) != -1:
                    problems.append(_warning(given_away, shown_in, answer))
    return problems


def _rival_statements(questions: list[SourcedQuestion]) -> list[Problem]:
    """Two true/false statements about one fact: if they disagree, one answers the other."""
    first: dict[str, SourcedQuestion] = {}
    problems: list[Problem] = []
    for question in questions:
        if question.type is not QuestionType.TRUEFALSE or not question.evidence:
            continue
        fact = question.evidence[0].fact
        earlier = first.setdefault(fact.id, question)
        if earlier is not question:
            problems.append(
                Problem(
                    question.question.location,
                    f"question '{question.id}': question '{earlier.id}' also makes a statement "
                    f"about fact '{fact.id}', so on one printed quiz each gives the other away: "
                    "reword one, or add 'printed: false' to one (it stays in Anki)",
                    Severity.WARNING,
                )
            )
    return problems


def _answer(question: SourcedQuestion) -> str:
    """What a student must supply, in answer form; '' where no single text is the answer."""
    if question.type is QuestionType.MATCH:
        return ""
    if question.type is QuestionType.TRUEFALSE:
        return (
            ""  # whether a statement is true depends on more than one word; see _rival_statements
        )
    return normalise_answer(question.answer)


def _shown_text(question: SourcedQuestion) -> Iterable[str]:
    """Everything the question prints on the students' pages."""
    # Choice options are left out: a distractor names a wrong answer, and the right
    # option still has to be chosen.
    yield question.ask
    yield question.statement
    for left, right in question.pairs:
        yield left
        yield right
    if question.type is QuestionType.CLOZE and question.evidence:
        evidence = question.evidence[0]
        quote, position = evidence.fact.quote, 0
        for start, end in evidence.highlights:
            yield quote[position:start]
            position = max(position, end)
        yield quote[position:]


def _warning(given_away: SourcedQuestion, shown_in: SourcedQuestion, answer: str) -> Problem:
    return Problem(
        given_away.question.location,
        f"question '{given_away.id}': its answer {answer!r} is printed by question "
        f"'{shown_in.id}' of the same deck, so a printed quiz gives it away: reword one, "
        "or add 'printed: false' to one (it stays in Anki)",
        Severity.WARNING,
    )
