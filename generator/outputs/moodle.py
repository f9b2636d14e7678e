"""Checked questions → a Moodle XML file, the richest format Moodle's question bank imports.

Layout: `quizgen build` writes `quizgen.moodle.xml` with every deck; `quizgen build
--deck NAME` writes `quizgen-<slug>.moodle.xml`. A quiz asks what the deck's printed
quiz asks (lms.py).

Each deck is a category (a `<question type="category">`, its `::` levels Moodle's `/`
levels), and each pool a category inside it whose description says how many questions a
random question should draw from it. Each question has its id as its name and its ID
number (which Moodle keeps unique in a category), its points as its default mark, its
tags, and the evidence as its general feedback, which Moodle shows after the attempt:
the quote with the answer in bold, its article, and the id.

Kinds: short → shortanswer, choice → multichoice (one answer, options in the order
every LMS export uses, so not shuffled again), truefalse → truefalse, match → matching,
cloze → cloze (Moodle's "embedded answers", one `{n:SHORTANSWER:=…}` per blank).

Every text is untrusted. lxml escapes it for XML, after the characters XML cannot hold
are dropped; texts Moodle shows as HTML are HTML-escaped first (lms.html_text, which
also writes `{` and `}` as entities, so no text opens an embedded answer). Texts Moodle
compares with what a student types stay plain, with its short-answer wildcard `*`
escaped; inside a cloze blank, `}` and `#` are escaped with a backslash (all Moodle's
importer unescapes) and its other special characters written as entities. Texts are
CDATA, as Moodle writes them, except one that holds `]]>`, which is escaped instead.

A match with fewer than three pairs is written as it is: a Moodle quiz asks it, but
Moodle's editing form wants three answers before it saves an edit of it.
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.etree as etree

from ..bank.model import QuestionType, SourcedQuestion
from ..paths import package_file
from .base import BuildContext
from .evidence import evidence_of
from .lms import (
    PoolGroup,
    category_path,
    deck_entries,
    feedback_html,
    html_text,
    shuffled,
    typed_answer,
    xml_text,
)

SUFFIX = ".moodle.xml"
TYPE_NAMES = {
    QuestionType.SHORT: "shortanswer",
    QuestionType.CHOICE: "multichoice",
    QuestionType.TRUEFALSE: "truefalse",
    QuestionType.MATCH: "matching",
    QuestionType.CLOZE: "cloze",
}
# Inside a blank, Moodle's importer (qtype_multianswer) unescapes only `\}` and `\#`; the
# other characters its syntax uses are written as entities, which the HTML text shows as
# the same characters, as are '&', '<' and '>' (the blank is in the HTML text). `\*` is
# the short answer's own escape of its wildcard, which the importer passes on.
_IN_BLANK = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "~": "&#126;",
    "/": "&#47;",
    '"': "&quot;",
    "\\": "&#92;",
    "{": "&#123;",
    "}": "\\}",
    "#": "\\#",
    "*": "\\*",
}


def cloze_blank(text: str, weight: int) -> str:
    """One blank of an embedded-answers question: `{weight:SHORTANSWER:=answer}`."""
    answer = "".join(_IN_BLANK.get(character, character) for character in xml_text(text))
    return f"{{{weight}:SHORTANSWER:={answer}}}"


def render(context: BuildContext) -> dict[str, bytes]:
    quiz = etree.Element("quiz")
    quiz.append(
        etree.Comment(
            " Built by quizgen. Import in Moodle: Question bank > Import > Moodle XML format. "
        )
    )
    for deck, entries in deck_entries(context.questions, context.pools).items():
        quiz.append(_category(category_path(deck), f"Questions of the deck “{deck}”."))
        for entry in entries:
            if isinstance(entry, PoolGroup):
                quiz.extend(_pool(deck, entry))
            else:
                quiz.append(_question(entry))
    data = etree.tostring(quiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return {package_file(context.options.package, SUFFIX, context.options.deck): data}


def _pool(deck: str, group: PoolGroup) -> Iterator[etree._Element]:
    yield _category(
        category_path(deck, group.pool),
        f"Pool {group.pool}: add a random question that draws {group.pick} of these "
        f"{len(group.questions)} questions for each student.",
    )
    yield from (_question(question) for question in group.questions)
    # Back to the deck, so that what follows the pool lands in the deck's category.
    yield _category(category_path(deck), f"Questions of the deck “{deck}”.")


def _category(path: str, info: str) -> etree._Element:
    question = etree.Element("question", type="category")
    _text(etree.SubElement(question, "category"), path)
    _text(etree.SubElement(question, "info", format="html"), f"<p>{html_text(info)}</p>")
    return question


def _question(question: SourcedQuestion) -> etree._Element:
    element = etree.Element("question", type=TYPE_NAMES[question.type])
    _text(etree.SubElement(element, "name"), question.id)
    text = etree.SubElement(element, "questiontext", format="html")
    _text(text, _QUESTION_TEXT[question.type](question))
    feedback = etree.SubElement(element, "generalfeedback", format="html")
    _text(feedback, feedback_html(evidence_of(question)))
    if question.type is not QuestionType.CLOZE:
        # A cloze's mark is the sum of its blanks' weights: Moodle's importer reads no
        # defaultgrade for it, and Moodle's own export writes none.
        etree.SubElement(element, "defaultgrade").text = str(question.question.points)
    etree.SubElement(element, "hidden").text = "0"
    etree.SubElement(element, "idnumber").text = question.id
    _ANSWERS[question.type](element, question)
    tags = [xml_text(tag).strip() for tag in question.question.tags]
    if any(tags):
        holder = etree.SubElement(element, "tags")
        for tag in filter(None, tags):
            _text(etree.SubElement(holder, "tag"), tag)
    return element


def _cloze_text(question: SourcedQuestion) -> str:
    quote = evidence_of(question).quotes[0]
    if not quote.marked:
        # check.py proves the value is in the quote, so this is a bug, not bad input.
        raise ValueError(f"question {question.id!r}: its value is not marked in its quote")
    weights = iter(blank_weights(question.question.points, len(quote.marked)))
    return "".join(
        cloze_blank(piece.text, next(weights)) if piece.marked else html_text(piece.text)
        for piece in quote.pieces
    )


def blank_weights(points: int, blanks: int) -> list[int]:
    """Each blank's weight: Moodle makes a cloze's mark the sum of its blanks' weights.

    The points are shared as evenly as whole numbers allow, the first blanks taking what
    is left over (3 points, 2 blanks: 2 and 1). With fewer points than blanks, each blank
    is worth 1, and the quiz's maximum mark for the question is the teacher's to set.
    """
    if points < blanks:
        return [1] * blanks
    share, left_over = divmod(points, blanks)
    return [share + 1 if number < left_over else share for number in range(blanks)]


_QUESTION_TEXT = {
    QuestionType.SHORT: lambda question: html_text(question.ask),
    QuestionType.CHOICE: lambda question: html_text(question.ask),
    QuestionType.TRUEFALSE: lambda question: html_text(question.statement),
    QuestionType.MATCH: lambda question: html_text(question.ask),
    QuestionType.CLOZE: _cloze_text,
}


def _short(element: etree._Element, question: SourcedQuestion) -> None:
    etree.SubElement(element, "usecase").text = "0"
    _answer(element, "100", typed_answer(question.answer), "moodle_auto_format")


def _choice(element: etree._Element, question: SourcedQuestion) -> None:
    etree.SubElement(element, "single").text = "true"
    # The options are already in the order every LMS export uses, "None of these" last.
    etree.SubElement(element, "shuffleanswers").text = "false"
    etree.SubElement(element, "answernumbering").text = "abc"
    options = shuffled(question.id, [question.answer, *question.wrong])
    if question.last_option is not None:
        options.append(question.last_option)
    for option in options:
        fraction = "100" if option == question.answer else "0"
        _answer(element, fraction, html_text(option), "html")


def _truefalse(element: etree._Element, question: SourcedQuestion) -> None:
    for value in ("True", "False"):
        fraction = "100" if question.answer == value else "0"
        _answer(element, fraction, value.lower(), "moodle_auto_format")


def _match(element: etree._Element, question: SourcedQuestion) -> None:
    etree.SubElement(element, "shuffleanswers").text = "true"
    for left, right in question.pairs:
        subquestion = etree.SubElement(element, "subquestion", format="html")
        _text(subquestion, html_text(left))
        # A match answer is picked from a list, not typed: plain text, no wildcard.
        _text(etree.SubElement(subquestion, "answer"), xml_text(right))


def _cloze(element: etree._Element, question: SourcedQuestion) -> None:
    """An embedded-answers question holds its answers in its text."""


_ANSWERS = {
    QuestionType.SHORT: _short,
    QuestionType.CHOICE: _choice,
    QuestionType.TRUEFALSE: _truefalse,
    QuestionType.MATCH: _match,
    QuestionType.CLOZE: _cloze,
}


def _answer(element: etree._Element, fraction: str, text: str, text_format: str) -> None:
    answer = etree.SubElement(element, "answer", fraction=fraction, format=text_format)
    _text(answer, text)
    _text(etree.SubElement(answer, "feedback", format="html"), "")


def _text(parent: etree._Element, text: str) -> None:
    # CDATA, as Moodle writes its own exports; a text holding ']]>' cannot be one, and is
    # written escaped instead, which every XML reader reads as the same characters.
    etree.SubElement(parent, "text").text = text if "]]>" in text else etree.CDATA(text)
