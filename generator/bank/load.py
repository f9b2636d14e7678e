"""Question files → model. Every problem is kept as a value with its file, line and column."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..paths import display
from . import schema, templates, yamlfile
from .model import Bank, Fact, Location, Pool, Problem, Question, QuestionType, Template
from .sources import Article, Seeds, load_sources

QUESTION_SUFFIXES = (".yaml", ".yml")


def question_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The question files named, with folders expanded to their *.yaml files, sorted."""
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found += sorted(
                p for p in path.rglob("*") if p.suffix in QUESTION_SUFFIXES and p.is_file()
            )
        elif path.exists():
            found.append(path)
        else:
            problems.append(Problem(Location(display(path)), "no such file or folder"))
    unique = list(dict.fromkeys(found))
    return unique, problems


def default_deck_name(path: Path) -> str:
    """'funding-threats.yaml' → 'Funding threats'."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() or path.stem


def load_bank(
    question_paths: Sequence[Path],
    seeds_dir: Path,
    seeds: Seeds | None = None,
    load_file: Callable[[Path, str], yamlfile.Document] = yamlfile.load,
) -> tuple[Bank, dict[str, Article], list[Problem]]:
    """Read the seeds and every question file; all problems in all files are returned.

    A caller that keeps the seeds or parsed files between checks (the language server)
    passes them in: seeds as load_sources(seeds_dir) read them, load_file as yamlfile.load.
    """
    if seeds is None:
        seeds = load_sources(seeds_dir)
    articles, problems = seeds.articles, list(seeds.problems)
    files, missing = question_files(question_paths)
    problems += missing
    if not files and not missing:
        shown = ", ".join(display(p) for p in question_paths)
        problems.append(Problem(Location(shown), "no question files (*.yaml) found here"))

    builder = _BankBuilder(load_file)
    for path in files:
        builder.add_file(path)
    builder.expand_templates()
    problems += builder.problems
    bank = Bank(
        sources={source_id: article.source for source_id, article in articles.items()},
        facts=builder.facts,
        questions=tuple(builder.questions),
        retired=builder.retired,
        pools=builder.pools,
        templates=tuple(builder.templates),
        unreadable_sources=seeds.unreadable,
        sources_index_read=seeds.index_read,
    )
    return bank, articles, problems


@dataclass(frozen=True)
class _PendingTemplate:
    """A template read, expanded once every file's facts are known; it keeps its place."""

    item: yamlfile.Mapping
    location: Location
    deck: str
    tags: tuple[str, ...]


class _BankBuilder:
    def __init__(self, load_file: Callable[[Path, str], yamlfile.Document]) -> None:
        self.load_file = load_file
        self.facts: dict[str, Fact] = {}
        self.fact_id_locations: dict[str, Location] = {}
        # Every fact id written, valid or not: a row naming a broken fact still names a fact.
        self.fact_names: set[str] = set()
        self.questions: list[Question | _PendingTemplate] = []
        self.templates: list[Template] = []
        self.pools: dict[str, Pool] = {}
        self.pool_id_locations: dict[str, Location] = {}
        self.question_locations: dict[str, Location] = {}
        self.retired: dict[str, Location] = {}
        self.problems: list[Problem] = []

    def add_file(self, path: Path) -> None:
        shown = display(path)
        document = self.load_file(path, shown)
        self.problems += document.problems
        data = document.data
        if data is None:
            return
        if not isinstance(data, dict):
            where = getattr(data, "location", Location(shown))
            self.problems.append(
                Problem(where, "the top level must be a mapping with 'facts:' and 'questions:'")
            )
            return
        validation = schema.validate(data, schema.QUESTION_FILE, data.location)
        self.problems += validation.problems
        # Parts the schema refused are skipped; the rest of the file is still checked,
        # so one run reports every problem in every file.
        deck = data.get("deck") if validation.is_valid("deck") else None
        tags = tuple(data.get("tags", ())) if validation.is_valid("tags") else ()
        facts = data.get("facts", {})
        if isinstance(facts, yamlfile.Mapping):
            self.fact_names.update(key for key in facts if isinstance(key, str))
            for fact_id, entry in facts.items():
                if validation.is_valid("facts", fact_id):
                    self._add_fact(fact_id, entry, facts)
        questions = data.get("questions", [])
        if isinstance(questions, yamlfile.Sequence):
            for index, (item, where) in enumerate(_items(questions)):
                file_deck = deck or default_deck_name(path)
                if validation.is_valid("questions", index) and "each" in item:
                    self.questions.append(_PendingTemplate(item, where, file_deck, tags))
                elif validation.is_valid("questions", index):
                    self._add_question(_question(item, where, file_deck, tags))
                elif isinstance(item, dict) and isinstance(item.get("id"), str):
                    self._claim_id(item["id"], where)
        pools = data.get("pools", {})
        if isinstance(pools, yamlfile.Mapping):
            for pool_id, entry in pools.items():
                if validation.is_valid("pools", pool_id):
                    self._add_pool(pool_id, entry, pools)
        retired = data.get("retired", [])
        if validation.is_valid("retired"):
            for question_id, where in _items(retired):
                self.retired.setdefault(question_id, where)

    def _add_fact(self, fact_id: str, entry: yamlfile.Mapping, facts: yamlfile.Mapping) -> None:
        # A duplicate is reported at the ids themselves; the fact's own location is its body.
        where = facts.key_locations[fact_id]
        why = "fact ids are shared by the whole bank, rename one"
        if not self._claim(self.fact_id_locations, "fact", fact_id, where, why):
            return
        self.facts[fact_id] = Fact(
            id=fact_id,
            source_id=entry["source"],
            quote=_text(entry["quote"]),
            value=_text(entry["value"]),
            location=facts.value_locations[fact_id],
            field_locations=dict(entry.value_locations),
        )

    def _add_pool(self, pool_id: str, entry: yamlfile.Mapping, pools: yamlfile.Mapping) -> None:
        where = pools.key_locations[pool_id]
        why = "pool ids are shared by the whole bank, rename one"
        if self._claim(self.pool_id_locations, "pool", pool_id, where, why):
            self.pools[pool_id] = Pool(pool_id, int(entry["pick"]), where)

    def expand_templates(self) -> None:
        """Each template's rows become questions in its place, now that every fact is known."""
        expanded: list[Question | _PendingTemplate] = []
        for entry in self.questions:
            if isinstance(entry, Question):
                expanded.append(entry)
                continue
            expansion = templates.expand(entry.item, self.fact_names)
            self.problems += expansion.problems
            template_id = entry.item["id"]
            ids: list[str] = []
            for item in expansion.questions:
                question = _question(item, item.location, entry.deck, entry.tags, template_id)
                ids.append(question.id)
                if self._claim_id(question.id, question.location):
                    expanded.append(question)
            self.templates.append(Template(template_id, entry.location, tuple(ids)))
        self.questions = expanded

    def _add_question(self, question: Question) -> None:
        if self._claim_id(question.id, question.location):
            self.questions.append(question)

    def _claim_id(self, question_id: str, where: Location) -> bool:
        why = "question ids key students' Anki notes, so each must be unique"
        return self._claim(self.question_locations, "question", question_id, where, why)

    def _claim(
        self, claimed: dict[str, Location], kind: str, item_id: str, where: Location, why: str
    ) -> bool:
        """Record the id's first place; a second use is a problem that points at both."""
        if item_id in claimed:
            message = f"{kind} '{item_id}': this id is already used at {claimed[item_id]}: {why}"
            self.problems.append(Problem(where, message))
            return False
        claimed[item_id] = where
        return True


def _items(sequence: Any) -> Iterable[tuple[Any, Location]]:
    if not isinstance(sequence, yamlfile.Sequence):
        return ()
    return zip(sequence, sequence.item_locations, strict=True)


_text = templates.as_text


def _question(
    item: yamlfile.Mapping,
    where: Location,
    deck: str,
    file_tags: tuple[str, ...],
    template: str | None = None,
) -> Question:
    locations = dict(item.value_locations)
    wrong = item.get("wrong") or []
    if isinstance(wrong, yamlfile.Sequence):
        for index, item_where in enumerate(wrong.item_locations):
            locations[f"wrong[{index}]"] = item_where
    pairs = item.get("pairs") or []
    if isinstance(pairs, yamlfile.Sequence):
        for index, pair in enumerate(pairs):
            for side, side_where in enumerate(getattr(pair, "item_locations", [])):
                locations[f"pairs[{index}][{side}]"] = side_where
    answer = item.get("answer", "")
    kind = QuestionType(item["type"])
    is_true = answer if kind is QuestionType.TRUEFALSE and isinstance(answer, bool) else True
    return Question(
        id=item["id"],
        type=kind,
        deck=deck,
        location=where,
        ask=_text(item.get("ask", "")),
        answer="" if isinstance(answer, bool) else _text(answer),
        wrong=tuple(_text(w) for w in wrong if isinstance(w, str | int | float)),
        last_option=_text(item["last_option"]) if "last_option" in item else None,
        fact=item.get("fact"),
        pairs=tuple(
            (_text(pair[0]), _text(pair[1]))
            for pair in pairs
            if isinstance(pair, list) and len(pair) == 2
        ),
        statement=_text(item.get("statement", "")),
        is_true=is_true,
        instead=_text(item["instead"]) if "instead" in item else None,
        points=int(item.get("points", 1)) if isinstance(item.get("points", 1), int) else 1,
        printed=item.get("printed") is not False,
        tags=tuple(dict.fromkeys((*file_tags, *item.get("tags", ())))),
        pool=item.get("pool"),
        template=template,
        field_locations=locations,
    )
