"""One version of a quiz, laid out once: question order, option letters and the key.

`lay_out` shuffles with a `random.Random` seeded from the seed, the version
letter and the question id (never the global generator), so the same seed gives
the same quiz, and adding a question does not reshuffle the others. The result
is a record: the quiz page and its answer key are both drawn from it, so the
key can never disagree with the page it grades.
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, partial
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import NamedTuple

from ...bank.model import Evidence, QuestionType, Source, SourcedQuestion

LETTERS = string.ascii_uppercase
TRUE_FALSE = ("True", "False")


# Options, quotes and pairings are named tuples so that templates unpack them in
# their loops instead of looking up each field through the sandbox.
class Option(NamedTuple):
    """A lettered item as printed: a choice option, or an item on a match's right side."""

    letter: str
    text: str


class Quote(NamedTuple):
    """A quote from one article with the spans that hold the answer."""

    text: str
    spans: tuple[tuple[int, int], ...]
    source: Source


class Pairing(NamedTuple):
    """One line of a match question: the item, and the letter of its partner."""

    item: str
    letter: str
    partner: str


@dataclass(frozen=True)
class Placed:
    """A question as one version prints it, with its answer in that version's terms."""

    number: int
    question: SourcedQuestion
    options: tuple[Option, ...] = ()
    pairings: tuple[Pairing, ...] = ()
    partners: tuple[Option, ...] = ()
    answer: str = ""
    evidence: tuple[Quote, ...] = ()

    @property
    def points(self) -> int:
        return self.question.question.points

    @property
    def type(self) -> QuestionType:
        return self.question.type

    @property
    def passage(self) -> Quote:
        """The quote a cloze question prints, with the answer blanked."""
        return self.evidence[0]

    @property
    def correction(self) -> str | None:
        """For a false statement: the value the article gives instead of the printed one."""
        if self.type is QuestionType.TRUEFALSE and self.answer == "False":
            return self.question.evidence[0].fact.value
        return None

    @property
    def short_key(self) -> str:
        """The answer as the compact key prints it: a letter, letters, True/False or words."""
        if self.type is QuestionType.MATCH:
            return " ".join(pairing.letter for pairing in self.pairings)
        return self.answer


@dataclass(frozen=True)
class Section:
    type: QuestionType
    title: str
    instructions: str
    questions: tuple[Placed, ...]

    @cached_property
    def points(self) -> int:
        return sum(placed.points for placed in self.questions)


@dataclass(frozen=True)
class QuizVersion:
    letter: str
    sections: tuple[Section, ...]

    # Cached: a page reads these several times, and quiz-all has every question.
    @cached_property
    def questions(self) -> tuple[Placed, ...]:
        return tuple(placed for section in self.sections for placed in section.questions)

    @cached_property
    def points(self) -> int:
        return sum(section.points for section in self.sections)


# Printed quizzes group questions by kind, each group with one instruction,
# quickest kinds first; the order within a group is what versions shuffle.
SECTIONS: tuple[tuple[QuestionType, str, str], ...] = (
    (QuestionType.TRUEFALSE, "True or false", "Circle True or False."),
    (
        QuestionType.CHOICE,
        "Multiple choice",
        "Mark the box beside the one best answer.",
    ),
    (
        QuestionType.MATCH,
        "Matching",
        "Write the letter of the matching item on the line beside each item. Use each letter once.",
    ),
    (
        QuestionType.CLOZE,
        "Fill in the blank",
        "Write the missing words of each quotation on the line.",
    ),
    (QuestionType.SHORT, "Short answer", "Answer each question in a few words."),
)


SECTION_ORDER = {kind: index for index, (kind, _, _) in enumerate(SECTIONS)}
SECTION_TEXT = {kind: (title, instructions) for kind, title, instructions in SECTIONS}


def label(index: int) -> str:
    """A, B, … Z, then AA, AB, …: a choice may have more options than the alphabet."""
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, len(LETTERS))
        name = LETTERS[remainder] + name
    return name


def version_letter(index: int) -> str:
    return label(index)


def lay_out(questions: Sequence[SourcedQuestion], letter: str, seed: int) -> QuizVersion:
    """Version `letter` of a quiz over these questions."""
    return lay_out_each([questions], letter, seed)[0]


def lay_out_each(
    quizzes: Sequence[Sequence[SourcedQuestion]], letter: str, seed: int
) -> list[QuizVersion]:
    """Version `letter` of several quizzes over overlapping questions, as lay_out gives each.

    A question's place within its section and its shuffles depend only on the
    seed, the letter and its id, never on the other questions, so a question in
    several quizzes (its deck's and quiz-all) is placed once and only numbered
    once per quiz.
    """
    placements: dict[str, tuple[tuple[int, float, str], partial[Placed]]] = {}
    for questions in quizzes:
        for question in questions:
            if question.id not in placements:
                rng = random.Random(f"{seed}:{letter}:{question.id}")
                # The first draw of each question's generator is its place within its section.
                order = (SECTION_ORDER[question.type], rng.random(), question.id)
                placements[question.id] = (order, _place(question, rng))
    versions = []
    for questions in quizzes:
        ordered = sorted((placements[q.id] for q in questions), key=itemgetter(0))
        numbered = [place(number) for number, (_, place) in enumerate(ordered, 1)]
        sections = tuple(
            Section(kind, *SECTION_TEXT[kind], tuple(placed))
            for kind, placed in groupby(numbered, key=attrgetter("type"))
        )
        versions.append(QuizVersion(letter, sections))
    return versions


def _place(question: SourcedQuestion, rng: random.Random) -> partial[Placed]:
    """The question as its generator places it, waiting for its number in each quiz."""
    placed = partial(Placed, question=question, evidence=_quotes(question.evidence))
    if question.type is QuestionType.CHOICE:
        texts = [question.answer, *question.wrong]
        rng.shuffle(texts)
        if question.last_option is not None:
            texts.append(question.last_option)
        options = tuple(Option(label(i), text) for i, text in enumerate(texts))
        answer = next(option.letter for option in options if option.text == question.answer)
        return partial(placed, options=options, answer=answer)
    if question.type is QuestionType.TRUEFALSE:
        options = tuple(Option(label(i), text) for i, text in enumerate(TRUE_FALSE))
        return partial(placed, options=options, answer=question.answer)
    if question.type is QuestionType.MATCH:
        pairs = list(question.pairs)
        rng.shuffle(pairs)
        rights = [right for _, right in pairs]
        rng.shuffle(rights)
        partners = tuple(Option(label(i), text) for i, text in enumerate(rights))
        letter_of = {option.text: option.letter for option in partners}
        pairings = tuple(Pairing(left, letter_of[right], right) for left, right in pairs)
        return partial(placed, pairings=pairings, partners=partners)
    return partial(placed, answer=question.answer)


def _quotes(evidence: Iterable[Evidence]) -> tuple[Quote, ...]:
    """One quote per fact, with the spans of every answer it proves merged."""
    merged: dict[str, tuple[Evidence, set[tuple[int, int]]]] = {}
    for item in evidence:
        merged.setdefault(item.fact.id, (item, set()))[1].update(item.highlights)
    return tuple(
        Quote(item.fact.quote, tuple(sorted(spans)), item.source) for item, spans in merged.values()
    )
