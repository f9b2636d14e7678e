"""The data every stage shares: frozen dataclasses, each with the place it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple


class Location(NamedTuple):
    """A place in a file, 1-based, as editors expect it.

    A named tuple rather than a dataclass: a large bank has a few hundred thousand,
    and a tuple is made in half the time.
    """

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    def __reduce__(self) -> tuple[type[Location], tuple[str, int, int]]:
        # Pickled by the check cache by the hundred thousand: a plain tuple of arguments
        # pickles in half the time of NamedTuple's default __getnewargs__ route.
        return (Location, (self.path, self.line, self.column))


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, reported as `path:line:col: message`."""

    location: Location
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        return _one_line(f"{self.location}: {prefix}{self.message}")


def _one_line(text: str) -> str:
    """Escape line breaks and control characters that came from the input.

    Messages quote the contributor's text; one problem must stay one line for
    editors to parse, and a pasted terminal escape sequence must not run.
    """
    if text.isprintable():
        return text
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in text
    )


class QuestionType(StrEnum):
    SHORT = "short"
    CHOICE = "choice"
    CLOZE = "cloze"
    MATCH = "match"
    TRUEFALSE = "truefalse"


@dataclass(frozen=True)
class Source:
    """One article, pinned by the hash recorded in sources.yaml."""

    id: str
    path: Path
    title: str
    text: str
    location: Location
    author: str | None = None
    published: str | None = None

    @property
    def citation(self) -> str:
        """How the answer key and the cards name the article."""
        parts = [f"“{self.title}”"]
        if self.author:
            parts.append(self.author)
        if self.published:
            parts.append(self.published)
        return ", ".join(parts)


@dataclass(frozen=True)
class Fact:
    """A value and the verbatim quote from its source that proves it."""

    id: str
    source_id: str
    quote: str
    value: str
    location: Location
    field_locations: dict[str, Location] = field(default_factory=dict, compare=False)

    def where(self, field_name: str) -> Location:
        return self.field_locations.get(field_name, self.location)


@dataclass(frozen=True)
class Question:
    """A question as written: its text fields are still Jinja templates over fact ids."""

    id: str
    type: QuestionType
    deck: str
    location: Location
    ask: str = ""
    answer: str = ""
    wrong: tuple[str, ...] = ()
    last_option: str | None = None
    fact: str | None = None
    pairs: tuple[tuple[str, str], ...] = ()
    statement: str = ""
    is_true: bool = True
    instead: str | None = None
    points: int = 1
    printed: bool = True
    tags: tuple[str, ...] = ()
    # The pool it belongs to: each printed version asks `pick` of a pool's questions.
    pool: str | None = None
    # The id of the template (`each:`) that generated it, whose row is at `location`.
    template: str | None = None
    field_locations: dict[str, Location] = field(default_factory=dict, compare=False)

    def where(self, field_name: str) -> Location:
        return self.field_locations.get(field_name, self.location)


@dataclass(frozen=True)
class Template:
    """A question with `each:` rows, as written: load expands it into one question per row."""

    id: str
    location: Location
    question_ids: tuple[str, ...]  # one per row, in the rows' order


@dataclass(frozen=True)
class Pool:
    """Questions of which each printed version asks `pick` (Anki gets every one)."""

    id: str
    pick: int
    location: Location


@dataclass(frozen=True)
class Bank:
    """Everything loaded from the question files and the seeds, before checking."""

    sources: dict[str, Source]
    facts: dict[str, Fact]
    questions: tuple[Question, ...]
    retired: dict[str, Location] = field(default_factory=dict)
    pools: dict[str, Pool] = field(default_factory=dict)
    templates: tuple[Template, ...] = ()
    # Listed in sources.yaml, but the entry or its article has a reported problem.
    unreadable_sources: frozenset[str] = frozenset()
    # False when sources.yaml itself could not be read, so no source id is known.
    sources_index_read: bool = True

    @property
    def decks(self) -> list[str]:
        return sorted({q.deck for q in self.questions})


@dataclass(frozen=True)
class Evidence:
    """A quote shown as proof, with the spans of the answer inside it."""

    fact: Fact
    source: Source
    highlights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class SourcedQuestion:
    """A checked question with every template rendered and its evidence found.

    This is what the Anki and quiz writers consume: they never see templates.
    """

    question: Question
    ask: str
    answer: str
    wrong: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...]
    statement: str
    evidence: tuple[Evidence, ...]
    last_option: str | None = None

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def type(self) -> QuestionType:
        return self.question.type

    @property
    def deck(self) -> str:
        return self.question.deck

    @property
    def sources(self) -> tuple[Source, ...]:
        seen: dict[str, Source] = {}
        for item in self.evidence:
            seen.setdefault(item.source.id, item.source)
        return tuple(seen.values())


@dataclass(frozen=True)
class CheckResult:
    """The outcome of load + check: problems as values, and the questions if all is well."""

    problems: tuple[Problem, ...]
    bank: Bank | None = None
    questions: tuple[SourcedQuestion, ...] = ()

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    @property
    def success(self) -> bool:
        return not self.errors
