"""Checked questions → a GIFT file, the plain-text question format Moodle imports.

Layout: `quizgen build` writes `quizgen.gift` with every deck; `quizgen build --deck NAME`
writes `quizgen-<slug>.gift`. A quiz asks what the deck's printed quiz asks (lms.py).

Each deck is a `$CATEGORY:` (its `::` levels become Moodle's `/` levels), and each pool
a category inside it, from which the teacher adds a random question that draws `pick`
of them. Each question carries its id three times: as its title (Moodle's question
name), as `// [id:…]` (Moodle's ID number, which a re-import keeps unique), and in its
general feedback, which is the evidence: the quote with the answer in bold, its article,
and the id. Its tags are `// [tag:…]` lines.

What GIFT cannot carry, and the Moodle XML export can:
- points (Moodle gives an imported GIFT question a default mark of 1);
- a cloze with more than one blank (GIFT's "missing word" has one), and a typed answer
  that holds `->` (Moodle's reader takes it for a match) or starts with a format marker
  such as `[html]`: each is left out, with a comment in the file that names it;
- a tag that holds `]` (Moodle reads `[tag:…]` up to the first `]`): it is left out.

Every text is untrusted. Texts Moodle shows as HTML (question text, options, match
questions, feedback) are `[html]` and HTML-escaped first (lms.html_text); texts it
compares with what a student types (short answers, blanks, match answers) stay plain,
with Moodle's short-answer wildcard `*` escaped. Then GIFT's own characters
`\\ ~ = # { } :` are escaped with a backslash and line breaks written as `\\n`, so that
every line of the file starts with our own syntax and no text can start a comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from ..bank.model import QuestionType, SourcedQuestion
from ..paths import package_file
from .base import BuildContext
from .evidence import Piece, evidence_of
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

SUFFIX = ".gift"
TRUE_FALSE = {"True": "TRUE", "False": "FALSE"}

_GIFT_SPECIAL = re.compile(r"[\\~=#{}:]")


def gift_escaped(text: str) -> str:
    """The text with GIFT's own characters escaped, on one line."""
    escaped = _GIFT_SPECIAL.sub(lambda match: "\\" + match.group(), xml_text(text))
    return escaped.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def html_field(text: str) -> str:
    """A text Moodle shows as HTML (the question is `[html]`, so its options are too)."""
    return gift_escaped(html_text(text))


def plain_answer(text: str) -> str:
    """A text Moodle compares with what a student types, escaped for GIFT."""
    return gift_escaped(typed_answer(text))


# Moodle's GIFT reader (question/format/gift/format.php) takes an answer block holding '='
# and '->' for a match, and a leading [html], [plain], [moodle] or [markdown] for a text
# format; GIFT has no escape for either, so a typed answer that holds one cannot be written.
_FORMAT_MARKER = re.compile(r"\s*\[(html|plain|moodle|markdown)\]")


def why_not_typed(text: str) -> str | None:
    """Why GIFT cannot carry this typed answer, or None when it can."""
    if "->" in text:
        return "its answer holds '->', which Moodle's GIFT reader takes for a match"
    if _FORMAT_MARKER.match(text):
        return "its answer starts with a text-format marker such as [html]"
    return None


def render(context: BuildContext) -> dict[str, bytes]:
    by_deck = deck_entries(context.questions, context.pools)
    blocks: list[str] = []
    for deck, entries in by_deck.items():
        blocks.append(f"$CATEGORY: {category_path(deck)}")
        for entry in entries:
            if isinstance(entry, PoolGroup):
                blocks.extend(_pool(deck, entry))
            else:
                blocks.append(_question(entry))
    count = sum(block.startswith("// [id:") for block in blocks)
    header = (
        f"// Built by quizgen: {count} question{'s' if count != 1 else ''} in {len(by_deck)} "
        f"categor{'ies' if len(by_deck) != 1 else 'y'}.\n"
        "// Import in Moodle: Question bank > Import > GIFT format.\n"
        "// Each question's general feedback is the quote from the article that proves "
        "its answer.\n"
        "// GIFT holds no points: the Moodle XML export (quizgen build) does."
    )
    text = "\n\n".join([header, *blocks]) + "\n"
    return {package_file(context.options.package, SUFFIX, context.options.deck): text.encode()}


def _pool(deck: str, group: PoolGroup) -> Iterator[str]:
    yield (
        f"// Pool {group.pool}: add a random question that draws {group.pick} from this "
        "category.\n"
        f"$CATEGORY: {category_path(deck, group.pool)}"
    )
    yield from (_question(question) for question in group.questions)
    yield f"$CATEGORY: {category_path(deck)}"


def _question(question: SourcedQuestion) -> str:
    feedback = "####" + gift_escaped(feedback_html(evidence_of(question)))
    head = [f"// [id:{question.id}]"]
    tags = [tag for tag in question.question.tags if "]" not in tag and xml_text(tag).strip()]
    if tags:
        head.append("// " + " ".join(f"[tag:{_tag(tag)}]" for tag in tags))
    head.append(f"::{question.id}::")
    title = "\n".join(head)
    match question.type:
        case QuestionType.SHORT:
            if reason := why_not_typed(question.answer):
                return _left_out(question, reason)
            answer = plain_answer(question.answer)
            return f"{title}[html]{html_field(question.ask)}{{={answer}{feedback}}}"
        case QuestionType.CHOICE:
            options = _options(question)
            return f"{title}[html]{html_field(question.ask)}{{\n{options}\n{feedback}\n}}"
        case QuestionType.TRUEFALSE:
            answer = TRUE_FALSE[question.answer]
            return f"{title}[html]{html_field(question.statement)}{{{answer}{feedback}}}"
        case QuestionType.MATCH:
            # A match answer is picked from a list, not typed: `*` is no wildcard there.
            pairs = "\n".join(
                f"={html_field(left)} -> {gift_escaped(right)}" for left, right in question.pairs
            )
            return f"{title}[html]{html_field(question.ask)}{{\n{pairs}\n{feedback}\n}}"
        case QuestionType.CLOZE:
            return _cloze(question, title, feedback)
    raise ValueError(f"question {question.id!r}: no GIFT form for type {question.type}")


def _options(question: SourcedQuestion) -> str:
    options = shuffled(question.id, [question.answer, *question.wrong])
    if question.last_option is not None:
        options.append(question.last_option)
    return "\n".join(
        ("=" if option == question.answer else "~") + html_field(option) for option in options
    )


def _cloze(question: SourcedQuestion, title: str, feedback: str) -> str:
    quote = evidence_of(question).quotes[0]
    if len(quote.marked) != 1:
        reason = f"a cloze with {len(quote.marked)} blanks, and a GIFT missing word has one"
        return _left_out(question, reason)
    if reason := why_not_typed(quote.marked[0]):
        return _left_out(question, reason)
    before, after = _around_blank(quote.pieces)
    # Text on both sides of the '{' makes it a missing word, a blank inside the text. With
    # none before, '[html]' alone would be read as the words "[html]"; with none after,
    # Moodle makes a short answer whose box follows the text. An HTML comment shows nothing.
    lead = html_field(before) or "<!-- the blank starts the quote -->"
    tail = html_field(after) or "<!-- the blank ends the quote -->"
    answer = plain_answer(quote.marked[0])
    return f"{title}[html]{lead}{{={answer}{feedback}}}{tail}"


def _left_out(question: SourcedQuestion, reason: str) -> str:
    return (
        f"// quizgen left out {question.id}: {xml_text(reason)}.\n"
        "// The Moodle XML export holds it."
    )


def _around_blank(pieces: Iterable[Piece]) -> tuple[str, str]:
    before: list[str] = []
    after: list[str] = []
    seen_blank = False
    for piece in pieces:
        if piece.marked:
            seen_blank = True
        else:
            (after if seen_blank else before).append(piece.text)
    return "".join(before), "".join(after)


def _tag(tag: str) -> str:
    return " ".join(xml_text(tag).split())
