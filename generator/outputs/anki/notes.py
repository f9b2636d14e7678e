"""Checked questions → the fields, tags, deck and GUID of their Anki notes.

Every string here came from YAML and is text, not HTML: it is escaped before any markup
is added, so `<city>` shows as typed. Plain data in, plain data out; genanki is not needed.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ...bank.model import Evidence, QuestionType, SourcedQuestion
from ..evidence import merged
from .notetypes import MAX_PAIRS, NOTE_TYPES, NoteType

# Changing this changes every GUID, which turns every note into a new one for every student.
GUID_NAMESPACE = "quizgen:question:v1"

# Every character text_html changes ('\n' covers '\r\n').
_NEEDS_ESCAPE = re.compile(r"[&<>\[{}\n]")

_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)


@dataclass(frozen=True)
class NoteContent:
    """What one question becomes in Anki, before genanki sees it."""

    question_id: str
    guid: str
    note_type: NoteType
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: str

    def field(self, name: str) -> str:
        return self.fields[self.note_type.fields.index(name)]


def note_guid(question_id: str) -> str:
    """Anki matches notes by GUID; ours depends on the question id alone, never on its text."""
    digest = hashlib.sha256(f"{GUID_NAMESPACE}\0{question_id}".encode()).digest()
    number = int.from_bytes(digest[:8], "big")
    letters: list[str] = []
    while number:
        number, digit = divmod(number, len(_BASE91))
        letters.append(_BASE91[digit])
    return "".join(reversed(letters)) or _BASE91[0]


def note_for(question: SourcedQuestion) -> NoteContent:
    note_type = NOTE_TYPES[question.type]
    sources = question.sources
    values = {
        "QuestionId": text_html(question.id),
        "Quote": _quotes(question.evidence),
        "Citation": "<br>".join(text_html(source.citation) for source in sources),
        "SourceId": text_html(" ".join(source.id for source in sources)),
        "Extra": "",
        **_FIELDS_BY_TYPE[note_type.kind](question),
    }
    tags = {*question.question.tags, str(note_type.kind)}
    tags.update(f"source::{source.id}" for source in sources)
    return NoteContent(
        question_id=question.id,
        guid=note_guid(question.id),
        note_type=note_type,
        fields=tuple(values[name] for name in note_type.fields),
        tags=tuple(sorted(tags, key=str.casefold)),
        deck=question.deck,
    )


def text_html(text: str) -> str:
    """Text as HTML that Anki shows literally.

    Beyond the usual escaping, '[' would start a [sound:…] or [latex] tag, and '{' and '}'
    would start a cloze deletion in a cloze field; entities render the same characters.
    """
    if _NEEDS_ESCAPE.search(text) is None:
        return text  # most text: a scan is cheaper than the seven replacements below
    escaped = html.escape(text, quote=False)
    escaped = escaped.replace("[", "&#91;").replace("{", "&#123;").replace("}", "&#125;")
    return escaped.replace("\r\n", "\n").replace("\n", "<br>")


def highlighted(quote: str, spans: Iterable[tuple[int, int]], *, cloze: bool = False) -> str:
    """The quote as HTML, each span in <mark> (or a {{c1::…}} deletion when cloze)."""
    parts: list[str] = []
    position = 0
    for start, end in merged(spans):
        parts.append(text_html(quote[position:start]))
        inner = text_html(quote[start:end])
        if cloze:
            # '::' inside a deletion would start a hint.
            parts.append("{{c1::" + inner.replace(":", "&#58;") + "}}")
        else:
            parts.append(f"<mark>{inner}</mark>")
        position = end
    parts.append(text_html(quote[position:]))
    return "".join(parts)


def option_order(question_id: str, count: int) -> list[int]:
    """A permutation of range(count), seeded by the question id alone.

    Rewording an option keeps every letter; only adding or removing one reshuffles.
    """
    seed = int.from_bytes(hashlib.sha256(f"options\0{question_id}".encode()).digest()[:8], "big")
    order = list(range(count))
    random.Random(seed).shuffle(order)
    return order


def choice_options(question: SourcedQuestion) -> tuple[list[str], int]:
    """The options in their fixed order, and the index of the answer."""
    options = [question.answer, *question.wrong]
    ordered = [options[index] for index in option_order(question.id, len(options))]
    if question.last_option is not None:
        ordered.append(question.last_option)
    return ordered, ordered.index(question.answer)


def _letter(index: int) -> str:
    return f'<span class="letter">{chr(ord("A") + index)}.</span>'


def _quote(evidence: Evidence) -> str:
    return highlighted(evidence.fact.quote, evidence.highlights)


def _quotes(evidence: Iterable[Evidence]) -> str:
    """Each distinct quote once, with every answer it proves highlighted."""
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for item in evidence:
        spans.setdefault((item.fact.source_id, item.fact.quote), []).extend(item.highlights)
    return "<br><br>".join(highlighted(quote, found) for (_, quote), found in spans.items())


def _short(question: SourcedQuestion) -> dict[str, str]:
    return {"Question": text_html(question.ask), "Answer": text_html(question.answer)}


def _choice(question: SourcedQuestion) -> dict[str, str]:
    options, answer = choice_options(question)
    lines = [
        f'<div class="option">{_letter(index)} {text_html(option)}</div>'
        for index, option in enumerate(options)
    ]
    return {
        "Question": text_html(question.ask),
        "Options": "".join(lines),
        "Answer": f"{_letter(answer)} {text_html(question.answer)}",
    }


def _truefalse(question: SourcedQuestion) -> dict[str, str]:
    return {"Statement": text_html(question.statement), "Answer": text_html(question.answer)}


def _cloze(question: SourcedQuestion) -> dict[str, str]:
    evidence = question.evidence[0]
    if not evidence.highlights:
        # check.py proves the value is in the quote, so this is a bug, not bad input.
        raise ValueError(f"question {question.id!r}: its value is not highlighted in its quote")
    return {"Text": highlighted(evidence.fact.quote, evidence.highlights, cloze=True)}


def _match(question: SourcedQuestion) -> dict[str, str]:
    if len(question.pairs) > MAX_PAIRS:
        raise ValueError(
            f"{question.question.location}: question {question.id!r} has "
            f"{len(question.pairs)} pairs; an Anki match note holds at most {MAX_PAIRS}"
        )
    values = {"Question": text_html(question.ask)}
    # check.py gives one piece of evidence per pair, in order.
    for number in range(1, MAX_PAIRS + 1):
        left = right = quote = ""
        if number <= len(question.pairs):
            left, right = (text_html(side) for side in question.pairs[number - 1])
            quote = _quote(question.evidence[number - 1])
        values |= {f"Left{number}": left, f"Right{number}": right, f"Quote{number}": quote}
    return values


_FIELDS_BY_TYPE = {
    QuestionType.SHORT: _short,
    QuestionType.CHOICE: _choice,
    QuestionType.TRUEFALSE: _truefalse,
    QuestionType.CLOZE: _cloze,
    QuestionType.MATCH: _match,
}
