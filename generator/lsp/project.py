"""The bank as the editor sees it: the one module of the language server that imports quizgen.

Every other module of generator/lsp/ works on what this one hands out, so when the library
moves, only the imports below change. A check here is `quizgen check` itself
(api.check_bank, the same code, messages and order), run on the files' unsaved text, with
quizgen.toml's problems first, as every command reads it before anything else, and
two things kept between runs: the seeds (re-read only when a file in the seeds folder or
an unsaved article changes) and each question file's parse (redone only when its text
changes). That keeps a re-check of the bank's largest file well under the 50 ms it may take.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from .. import api
from .. import project as project_file
from ..bank import files, schema, yamlfile
from ..bank.model import Bank, Fact, Location, Problem, QuestionType, Severity, Source
from ..bank.passages import paragraphs, quoted_spans
from ..bank.sources import SOURCES_FILE, Article, Seeds, load_sources
from ..paths import display
from ..rules.facts import closest_passage

__all__ = [
    "Article",
    "Bank",
    "Fact",
    "Location",
    "Problem",
    "Project",
    "Severity",
    "Snapshot",
    "Source",
    "closest_passage",
    "display",
    "problem_message",
    "question_file_schema",
    "question_types",
    "quote_place",
]


@dataclass(frozen=True)
class Snapshot:
    """One check of the whole bank: its problems, and what completion and hover read."""

    problems: tuple[Problem, ...]
    bank: Bank
    articles: dict[str, Article]
    # The facts of each question file's last parse that loaded, by display path: a file
    # with a YAML error while typing still offers its facts to completion.
    good_facts: dict[str, dict[str, Fact]] = field(default_factory=dict)
    # Where each fact's id stands (its key under facts:), for go to definition.
    fact_keys: dict[str, Location] = field(default_factory=dict)

    @property
    def facts(self) -> dict[str, Fact]:
        merged: dict[str, Fact] = {}
        for facts in self.good_facts.values():
            merged.update(facts)
        merged.update(self.bank.facts)
        return merged


class Project:
    """A quizgen project: its question files, its seeds, its committed decks."""

    def __init__(
        self,
        question_paths: Sequence[Path],
        seeds_dir: Path,
        decks_dir: Path,
        follow: frozenset[str] = frozenset(),
    ) -> None:
        self.question_paths = tuple(question_paths)
        self.seeds_dir = seeds_dir
        self.decks_dir = decks_dir
        # The folders quizgen.toml decides (the others were named on the command line).
        self.follow = follow
        self._seeds: tuple[Any, Seeds] | None = None
        self._parses: dict[tuple[str, str], tuple[Any, yamlfile.Document]] = {}
        self._good_facts: dict[str, dict[str, Fact]] = {}
        self._documents: dict[str, yamlfile.Document] = {}

    def is_seeds_file(self, path: Path) -> bool:
        return path.absolute().is_relative_to(self.seeds_dir.absolute())

    def is_question_file(self, path: Path) -> bool:
        absolute = path.absolute()
        return (
            path.suffix in (".yaml", ".yml")
            and any(
                absolute == root.absolute() or absolute.is_relative_to(root.absolute())
                for root in self.question_paths
            )
            and not self.is_seeds_file(path)
        )

    def check(self, unsaved: dict[Path, str]) -> Snapshot:
        """`quizgen check` of the bank, with each unsaved file read as its editor's text."""
        unsaved = {path.absolute(): text for path, text in unsaved.items()}
        with files.unsaved(unsaved):
            # quizgen.toml, as every command reads it first: its problems are check's too,
            # and its package name is the lock file that vanished ids are looked up in.
            read = project_file.load_project(Path())
            named = None
            if not isinstance(read, list):
                named = read.package
                self._follow(read.folders)
            package = named or api.DEFAULT_PACKAGE
            seeds = self._current_seeds(unsaved)
            result = api.check_bank(
                self.question_paths,
                self.seeds_dir,
                self.decks_dir,
                None,
                seeds=seeds,
                load_file=lambda path, shown: self._load_file(path, shown, unsaved),
                package=package,
            )
        assert result.bank is not None  # check_bank always returns the bank it loaded
        problems = (*read, *result.problems) if isinstance(read, list) else result.problems
        loaded: dict[str, dict[str, Fact]] = {}
        fact_keys: dict[str, Location] = {}
        for fact in result.bank.facts.values():
            loaded.setdefault(fact.location.path, {})[fact.id] = fact
            data = getattr(self._documents.get(fact.location.path), "data", None)
            facts = data.get("facts") if isinstance(data, dict) else None
            if isinstance(facts, yamlfile.Mapping) and fact.id in facts.key_locations:
                fact_keys[fact.id] = facts.key_locations[fact.id]
        for shown, document in self._documents.items():
            if document.data is not None:
                self._good_facts[shown] = loaded.get(shown, {})
        return Snapshot(problems, result.bank, seeds.articles, dict(self._good_facts), fact_keys)

    def _follow(self, folders: dict[str, Path]) -> None:
        """Take the folders quizgen.toml names now; a folder it leaves out is the default."""
        wanted = {
            "questions": (folders.get("questions", api.DEFAULT_QUESTIONS),),
            "seeds": folders.get("seeds", api.DEFAULT_SEEDS),
            "decks": folders.get("decks", api.DEFAULT_DECKS),
        }
        current = {
            "questions": self.question_paths,
            "seeds": self.seeds_dir,
            "decks": self.decks_dir,
        }
        changed = {key for key in self.follow if wanted[key] != current[key]}
        if not changed:
            return
        if "questions" in changed:
            self.question_paths = wanted["questions"]
            self._parses.clear()
            self._good_facts.clear()
            self._documents.clear()
        if "seeds" in changed:
            self.seeds_dir = wanted["seeds"]
            self._seeds = None
        if "decks" in changed:
            self.decks_dir = wanted["decks"]

    def _current_seeds(self, unsaved: dict[Path, str]) -> Seeds:
        """The seeds as last read, unless a file in the seeds folder changed since."""
        key = self._seeds_key(unsaved)
        if self._seeds is None or self._seeds[0] != key:
            self._seeds = (key, load_sources(self.seeds_dir))
        return self._seeds[1]

    def _seeds_key(self, unsaved: dict[Path, str]) -> Any:
        root = self.seeds_dir.absolute()
        try:
            files = sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink())
        except OSError:
            files = []
        stats = []
        for path in files:
            try:
                status = path.stat()
            except OSError:
                stats.append((str(path), None))
                continue
            stats.append((str(path), status.st_mtime_ns, status.st_size, status.st_ino))
        held = sorted(
            (str(path), hashlib.sha256(text.encode("utf-8")).hexdigest())
            for path, text in unsaved.items()
            if path.is_relative_to(root)
        )
        return tuple(stats), tuple(held)

    def _load_file(self, path: Path, shown: str, unsaved: dict[Path, str]) -> yamlfile.Document:
        """yamlfile.load, kept while the file (its unsaved text, or its bytes) is unchanged."""
        absolute = path.absolute()
        if absolute in unsaved:
            key: Any = ("unsaved", unsaved[absolute])
        else:
            try:
                status = path.stat()
                key = ("disk", status.st_mtime_ns, status.st_size, status.st_ino)
            except OSError:
                key = None
        remembered = self._parses.get((shown, str(absolute)))
        if key is not None and remembered is not None and remembered[0] == key:
            document = remembered[1]
        else:
            document = yamlfile.load(path, shown)
            if key is not None:
                self._parses[(shown, str(absolute))] = (key, document)
        self._documents[shown] = document
        return document


def problem_message(problem: Problem) -> str:
    """The problem's message as check prints it (one line, control characters escaped)."""
    text = str(problem).removeprefix(f"{problem.location}: ")
    return text.removeprefix("warning: ") if problem.severity is Severity.WARNING else text


def question_types() -> list[str]:
    return [kind.value for kind in QuestionType]


@cache
def question_file_schema() -> dict[str, Any]:
    """The published JSON Schema of a question file, the one `check` validates with."""
    return json.loads(schema.schema_text(schema.QUESTION_FILE))


@cache
def sources_file_schema() -> dict[str, Any]:
    """The published JSON Schema of seeds/sources.yaml."""
    return json.loads(schema.schema_text(schema.SOURCES_FILE))


def sources_file(seeds_dir: Path) -> Path:
    return seeds_dir / SOURCES_FILE


@dataclass(frozen=True)
class QuotePlace:
    """Where a fact's quote stands in its article file: 0-based line and code-point column."""

    path: Path
    line: int
    column: int
    end_line: int
    end_column: int
    paragraph: str
    spans: tuple[tuple[int, int], ...]  # the quote's pieces, as offsets into paragraph


def quote_place(article: Article, quote: str) -> QuotePlace | None:
    """The quote's place in the article, as check finds it (find's mapping to the file)."""
    found = quoted_spans(article, quote)
    if found is None:
        return None
    index, spans = found
    if not spans:
        return None
    paragraph = next(p for p in paragraphs(article) if p.index == index)
    text = article.source.text
    start = paragraph.offset + spans[0][0]
    end = paragraph.offset + spans[-1][1]

    def line_column(offset: int) -> tuple[int, int]:
        line = text.count("\n", 0, offset)
        return line, offset - (text.rfind("\n", 0, offset) + 1)

    (line, column), (end_line, end_column) = line_column(start), line_column(end)
    return QuotePlace(
        article.source.path, line, column, end_line, end_column, paragraph.text, spans
    )
