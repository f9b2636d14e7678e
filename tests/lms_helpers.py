"""What the LMS export tests share: the two banks they read back, and visible text.

The real bank proves the exports carry every question; the hostile bank
(tests/data/lms/) puts every character GIFT, Moodle XML and Canvas QTI treat specially
in every field, so "the same visible text" is tested where it is hardest to keep.
"""

from __future__ import annotations

import html
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

from generator import api
from generator.bank.model import CheckResult, SourcedQuestion
from generator.build import select_deck
from generator.outputs.base import BuildContext, BuildOptions, Output
from generator.outputs.evidence import byline, evidence_of
from generator.outputs.lms import category_path, deck_entries

ROOT = Path(__file__).resolve().parent.parent
BANKS = {
    "bank": (ROOT / "questions", ROOT / "seeds"),
    "hostile": (
        ROOT / "tests" / "data" / "lms" / "questions",
        ROOT / "tests" / "data" / "lms" / "seeds",
    ),
}
# What XML 1.0 cannot hold; every export drops it, so the expected text does too.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


@cache
def checked(bank: str) -> CheckResult:
    questions, seeds = BANKS[bank]
    result = api.check_bank((questions,), seeds, ROOT / "decks", check_cache=None)
    assert result.success, result.problems
    return result


def render(output: Output, bank: str, options: BuildOptions | None = None) -> dict[str, bytes]:
    options = options or BuildOptions()
    result = checked(bank)
    questions, problems = select_deck(result.questions, options.deck)
    assert not problems and questions
    assert result.bank is not None
    sources = tuple(result.bank.sources.values())
    context = BuildContext(questions, options, lambda name: None, sources, result.bank.pools)
    return output.render(context)


def shown(text: str) -> str:
    """A field's text as an export must show it: without what XML cannot hold."""
    return NOT_XML.sub("", text)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs) -> None:
        self.tags.add(tag)
        if tag == "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible(markup: str) -> tuple[str, set[str]]:
    """What a browser shows of an HTML fragment, and the tags it holds."""
    parser = _Text()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts), parser.tags


def unescaped(text: str) -> str:
    return html.unescape(text)


def printed(bank: str) -> list[SourcedQuestion]:
    """The questions an LMS quiz asks: those on paper (printed: false stays in Anki)."""
    return [q for q in checked(bank).questions if q.question.printed]


def flat(text: str) -> str:
    """Whitespace as an LMS reader leaves it: runs of it are one space, none at the ends."""
    return " ".join(text.split())


def expected_categories(bank: str) -> dict[str, str]:
    """The Moodle category each printed question belongs in: its deck's, or its pool's."""
    result = checked(bank)
    assert result.bank is not None
    found = {}
    for deck, entries in deck_entries(result.questions, result.bank.pools).items():
        for entry in entries:
            if isinstance(entry, SourcedQuestion):
                found[entry.id] = category_path(deck)
            else:
                found.update((q.id, category_path(deck, entry.pool)) for q in entry.questions)
    return found


def feedback_shown(question: SourcedQuestion) -> str:
    """What the evidence feedback shows, flattened: each quote, its byline, then the id."""
    parts = [
        f"{shown(quote.text)}— {shown(byline(quote.source))}"
        for quote in evidence_of(question).quotes
    ]
    return flat("".join(parts) + f"Question id: {question.id}")
