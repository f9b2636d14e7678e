"""Printable quizzes: one per deck and one for all the questions built, each with its key.

With one version the files are `quiz-<deck>.html` and `quiz-all.html`; with
`--versions N` each quiz becomes `quiz-<deck>-A.html`, `quiz-<deck>-B.html`, …
Each version asks its own draw of each pool (draw.py); one version is version A.
Every file holds its version's questions and then, from a new page, that
version's answer key, so a key can never be separated from the quiz it grades.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import NamedTuple

from markupsafe import Markup

from ...bank.model import Source, SourcedQuestion
from ...paths import slug
from ..base import BuildContext, BuildOptions
from ..html import render_page_utf8, template_macros
from .draw import draw
from .layout import Placed, QuizVersion, lay_out_each, version_letter

DECK_SEPARATOR = "::"
ALL_QUIZ = "all"


@dataclass(frozen=True)
class Quiz:
    """A printed quiz before versions: its file name, its heading and its questions."""

    name: str
    title: str
    kicker: str
    questions: tuple[SourcedQuestion, ...]

    @cached_property  # a page reads it three times
    def sources(self) -> tuple[Source, ...]:
        seen: dict[str, Source] = {}
        for question in self.questions:
            for source in question.sources:
                seen.setdefault(source.id, source)
        return tuple(sorted(seen.values(), key=lambda source: source.title.casefold()))


def plan_quizzes(questions: Sequence[SourcedQuestion]) -> list[Quiz]:
    """A quiz per deck, named by the deck's last part, plus one over all of them."""
    by_deck: dict[str, list[SourcedQuestion]] = {}
    for question in questions:  # one pass: filtering per deck is decks × questions
        by_deck.setdefault(question.deck, []).append(question)
    decks = sorted(by_deck)
    names = _file_names(decks)
    quizzes = []
    for deck in decks:
        *parents, leaf = deck.split(DECK_SEPARATOR)
        chosen = tuple(by_deck[deck])
        quizzes.append(Quiz(names[deck], leaf.strip(), " › ".join(parents), chosen))
    if len(decks) > 1:
        common = _common_parent(decks)
        title = " › ".join(common) if common else "All decks"
        quizzes.append(Quiz(ALL_QUIZ, title, "All decks" if common else "", tuple(questions)))
    return quizzes


def _file_names(decks: Sequence[str]) -> dict[str, str]:
    """Short names from each deck's last part; the full name where two would clash."""
    short = {deck: slug(deck.split(DECK_SEPARATOR)[-1]) for deck in decks}
    clashing = {name for name, count in Counter(short.values()).items() if count > 1}
    names: dict[str, str] = {}
    taken = {ALL_QUIZ}
    for deck in decks:
        name = short[deck] if short[deck] not in clashing else slug(deck)
        base, counter = name, 2
        while name in taken:
            name, counter = f"{base}-{counter}", counter + 1
        taken.add(name)
        names[deck] = name
    return names


def _common_parent(decks: Sequence[str]) -> list[str]:
    parts = [deck.split(DECK_SEPARATOR) for deck in decks]
    common: list[str] = []
    for level in zip(*parts, strict=False):
        if len(set(level)) != 1:
            break
        common.append(level[0])
    return [part.strip() for part in common]


def file_stem(quiz: Quiz, letter: str, versions: int) -> str:
    suffix = f"-{letter}" if versions > 1 else ""
    return f"quiz-{quiz.name}{suffix}"


class QuestionHtml(NamedTuple):
    """A placed question's HTML apart from its number, as the quiz and its key print it."""

    body: Markup  # the quiz's question, after its number
    points: Markup  # after the body, and before the number in the key
    answer: Markup  # the key's answer, after the number
    evidence: Markup  # below the answer


class Fragments:
    """Each placed question's HTML apart from its number, rendered once per version.

    lay_out_each places a question the same way in every quiz of a version, so
    its deck's quiz and quiz-all differ only in its number: both reuse one
    rendering instead of rendering (and escaping) it again. Use one Fragments
    per set of layouts: it knows a placement by version letter and question id.
    """

    def __init__(self) -> None:
        self._macros = template_macros("quiz_items.html")
        self._rendered: dict[tuple[str, str], QuestionHtml] = {}
        self._points: dict[int, Markup] = {}  # questions are worth a handful of values

    def of(self, letter: str, placed: Placed) -> QuestionHtml:
        name = (letter, placed.question.id)
        rendered = self._rendered.get(name)
        if rendered is None:
            rendered = self._rendered[name] = self._render(placed)
        return rendered

    def _render(self, placed: Placed) -> QuestionHtml:
        macros = self._macros
        points = self._points.get(placed.points)
        if points is None:
            points = self._points[placed.points] = macros.points(placed.points)
        return QuestionHtml(
            getattr(macros, placed.type.value)(placed),
            points,
            macros.key_answer(placed),
            macros.key_evidence(placed),
        )


def render_quiz_utf8(
    quiz: Quiz, version: QuizVersion, options: BuildOptions, fragments: Fragments | None = None
) -> bytes:
    """The HTML of one version of a quiz, its answer key on the last pages, as the file's bytes."""
    fragments = fragments or Fragments()
    html = {placed.number: fragments.of(version.letter, placed) for placed in version.questions}
    parts = []
    for section in version.sections:
        numbers = [placed.number for placed in section.questions]
        parts.append((section, [(n, html[n].body, html[n].points) for n in numbers]))
    return render_page_utf8(
        "quiz.html",
        quiz=quiz,
        version=version,
        paper=options.paper,
        parts=parts,
        quick_key=[(placed.number, placed.short_key) for placed in version.questions],
        key=[(number, h.points, h.answer, h.evidence) for number, h in html.items()],
    )


def render_quizzes(context: BuildContext) -> dict[str, bytes]:
    """The renderer for `quizgen build`: every quiz in every version, HTML and maybe PDF."""
    options = context.options
    files: dict[str, bytes] = {}
    # `printed: false` keeps a question in Anki only (see giveaways.py).
    printed = [question for question in context.questions if question.question.printed]
    quizzes = plan_quizzes(printed)
    letters = [version_letter(index) for index in range(options.versions)]
    # Each version asks its own draw of every pool (draw.py), and is laid out from it.
    drawn = {
        letter: [
            replace(quiz, questions=draw(quiz.questions, context.pools, options.seed, index))
            for quiz in quizzes
        ]
        for index, letter in enumerate(letters)
    }
    versions = {
        letter: lay_out_each([quiz.questions for quiz in drawn[letter]], letter, options.seed)
        for letter in letters
    }
    fragments = Fragments()
    for position, quiz in enumerate(quizzes):
        for letter in letters:
            files[file_stem(quiz, letter, options.versions) + ".html"] = render_quiz_utf8(
                drawn[letter][position], versions[letter][position], options, fragments
            )
    if options.pdf:
        from .pdf import html_to_pdf

        for name in sorted(files):
            files[name.removesuffix(".html") + ".pdf"] = html_to_pdf(files[name])
    return files
