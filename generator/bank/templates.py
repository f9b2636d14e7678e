"""Question templates: a question with `each:` rows becomes one ordinary question per row.

    - id: epstein-court
      type: choice
      ask: According to Epstein, a federal court in which {{ place }} {{ ruling }}?
      answer: "{{ court }}"
      each:
        california: {court: court_california, place: state, ruling: …, wrong: […]}
        chicago: {court: court_chicago, place: city, ruling: …, wrong: […]}

Row `california` gives the question `epstein-court-california`: its id depends on the
template's id and the row's key alone, so adding, moving or removing a row leaves the
others' ids (and the students' Anki history) as they were. A row's value that names a
fact makes `{{ court }}` a reference to that fact, so the answer is still proved by the
fact's quote; any other value is text, put in as written, that the sourced rule must
still prove where it forms part of an answer. A choice template may leave `wrong:` to
its rows, when each row needs its own distractors.

Expansion happens at load, once every fact of the bank is known: the rules, the outputs
and the tools after them see ordinary questions, each located at its row. A problem in
the template itself (a broken field, a name no row gives) is reported once, at the
template.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import templating, yamlfile
from .messages import did_you_mean as _did_you_mean
from .messages import field_label as _label
from .model import Location, Problem, Severity

# The fields whose text is a template over fact ids, as the checker renders them.
_TEXT_FIELDS = ("ask", "answer", "last_option", "statement")
_FACT_ID = re.compile(r"[a-z][a-z0-9_]*")
ROW_FIELDS = frozenset({"wrong"})  # question keys a row may give instead of a variable


def as_text(value: Any) -> str:
    """Numbers are accepted where text is expected, as written: `value: 4.50` is '4.50'."""
    if isinstance(value, str):
        return value
    written = getattr(value, "source_text", None)
    if written is not None:
        return written
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Expansion:
    """The rows of one template, each as the mapping a hand-written question would be."""

    questions: list[yamlfile.Mapping] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class _Field:
    name: str  # as the checker names it: "ask", "wrong[1]", "pairs[0][1]"
    text: str
    where: Location


def expand(template: yamlfile.Mapping, fact_ids: Collection[str]) -> Expansion:
    """One question mapping per row of the template, or the problems that prevent it."""
    outcome = Expansion()
    subject = f"question '{template['id']}'"
    fields = list(_template_fields(template))
    used: dict[str, list[_Field]] = {}  # each name the fields use, and where
    for item in fields:
        try:
            names = templating.field(item.text).names
        except templating.FieldError as error:
            where = Location(item.where.path, item.where.line + error.line - 1, item.where.column)
            message = f"{subject}: {_label(item.name)}: {error.message}"
            outcome.problems.append(Problem(where, message))
            continue
        for name in sorted(names):
            used.setdefault(name, []).append(item)
    fact_key = template.get("fact")
    if isinstance(fact_key, str):
        fact_field = _Field("fact", fact_key, template.value_locations["fact"])
        used.setdefault(fact_key, []).append(fact_field)
    rows: yamlfile.Mapping = template["each"]
    given = {name for row in rows.values() for name in row if name not in ROW_FIELDS}
    for name, places in used.items():
        if name not in fact_ids and name not in given:
            hint = _did_you_mean(name, [*given, *fact_ids]) or "give it in every row of each:"
            outcome.problems.append(
                Problem(
                    places[0].where,
                    f"{subject}: {_label(places[0].name)}: '{name}' is neither a row variable "
                    f"nor a fact: {hint}",
                )
            )
    if outcome.problems:
        return outcome
    needed = {name for name in used if name not in fact_ids}
    for key, row in rows.items():
        question = _row_question(template, key, row, rows, fields, needed, fact_ids, outcome)
        if question is not None:
            outcome.questions.append(question)
    return outcome


def _row_question(
    template: yamlfile.Mapping,
    key: str,
    row: yamlfile.Mapping,
    rows: yamlfile.Mapping,
    fields: list[_Field],
    needed: set[str],
    fact_ids: Collection[str],
    outcome: Expansion,
) -> yamlfile.Mapping | None:
    """The row's question as a mapping located at the row, or None after its problems."""
    question_id = f"{template['id']}-{key}"
    subject = f"question '{question_id}'"
    row_where = rows.key_locations[key]
    problems: list[Problem] = []
    facts: dict[str, str] = {}
    texts: dict[str, str] = {}
    for name, value in row.items():
        where = row.value_locations[name]
        if name in ROW_FIELDS:
            continue
        if name in fact_ids:
            problems.append(
                Problem(
                    row.key_locations[name],
                    f"{subject}: row variable '{name}' has the name of a fact: rename the "
                    "variable (in the row and in the template)",
                )
            )
        elif name not in needed:
            outcome.problems.append(
                Problem(
                    row.key_locations[name],
                    f"{subject}: row variable '{name}' is not used by the template: remove it, "
                    f"or use it as {{{{ {name} }}}}",
                    Severity.WARNING,
                )
            )
        elif isinstance(value, str) and value in fact_ids:
            facts[name] = value
        else:
            text = as_text(value)
            problem = _text_problem(text, fact_ids, where, subject, name)
            if problem:
                problems.append(problem)
            texts[name] = text
    for name in sorted(needed - set(row)):
        users = [item.name for item in fields if name in _names(item.text)]
        if name == template.get("fact"):
            users.append("fact")
        problems.append(
            Problem(
                row_where,
                f"{subject}: the row has no '{name}', which the template uses in "
                f"{', '.join(_label(user) for user in users)}: add it to the row",
            )
        )
    wrong = _row_wrong(template, row, question_id, row_where, fact_ids, problems)
    fact = template.get("fact")
    if isinstance(fact, str) and fact in texts:
        problems.append(
            Problem(
                row.value_locations[fact],
                f"{subject}: the template's fact: is '{fact}', so it must name a fact, not the "
                f"text {texts[fact]!r}",
            )
        )
    if problems:
        outcome.problems += problems
        return None
    return _build(template, question_id, row, row_where, fields, facts, texts, wrong)


def _row_wrong(
    template: yamlfile.Mapping,
    row: yamlfile.Mapping,
    question_id: str,
    row_where: Location,
    fact_ids: Collection[str],
    problems: list[Problem],
) -> yamlfile.Sequence | None:
    """The row's own distractors, each a fact reference or text; None if it gives none."""
    subject = f"question '{question_id}'"
    if "wrong" not in row:
        if template["type"] == "choice" and "wrong" not in template:
            problems.append(
                Problem(
                    row_where,
                    f"{subject}: the template has no wrong:, so each row needs its own: add "
                    "wrong: [...] to the row",
                )
            )
        return None
    where = row.key_locations["wrong"]
    if template["type"] != "choice":
        problems.append(
            Problem(where, f"{subject}: wrong: is only for choice questions: remove it")
        )
    elif "wrong" in template:
        problems.append(
            Problem(
                where,
                f"{subject}: the template gives wrong: already: give it in the template or in "
                "every row, not both",
            )
        )
    wrong = _sequence(row["wrong"].location)
    for index, (value, item_where) in enumerate(
        zip(row["wrong"], row["wrong"].item_locations, strict=True)
    ):
        if isinstance(value, str) and value in fact_ids:
            wrong.append(f"{{{{ {value} }}}}")
        else:
            text = as_text(value)
            label = f"wrong option {index + 1}"
            problem = _text_problem(text, fact_ids, item_where, subject, label)
            if problem:
                problems.append(problem)
            wrong.append(text)
        wrong.item_locations.append(item_where)
    return wrong


def _text_problem(
    text: str, fact_ids: Collection[str], where: Location, subject: str, name: str
) -> Problem | None:
    if "{" in text:
        return Problem(
            where,
            f"{subject}: '{name}' holds '{{': a row gives a fact id or plain text; to use a "
            "fact, write its id alone (court: court_chicago)",
        )
    if _FACT_ID.fullmatch(text) and "_" in text:
        hint = _did_you_mean(text, list(fact_ids)) or "define it under facts:, or write text"
        return Problem(where, f"{subject}: '{name}': unknown fact '{text}': {hint}")
    return None


def _build(
    template: yamlfile.Mapping,
    question_id: str,
    row: yamlfile.Mapping,
    row_where: Location,
    fields: list[_Field],
    facts: dict[str, str],
    texts: dict[str, str],
    wrong: yamlfile.Sequence | None,
) -> yamlfile.Mapping:
    """The template's keys with the row put in; each field located at the row variable it
    uses, or at the row."""
    question = _mapping(row_where)
    for name, value in template.items():
        if name != "each":
            # Keys no row changes (type, points, pool, instead…) keep the template's place.
            question[name] = value
            question.key_locations[name] = template.key_locations[name]
            question.value_locations[name] = template.value_locations[name]
    question["id"] = question_id
    question.key_locations["id"] = question.value_locations["id"] = row_where
    fact = template.get("fact")
    if isinstance(fact, str) and fact in facts:
        question["fact"] = facts[fact]
        question.value_locations["fact"] = row.value_locations[fact]

    def put(item: _Field) -> tuple[str, Location]:
        names = sorted(_names(item.text) & set(row))
        where = row.value_locations[names[0]] if names else item.where
        text = templating.substitute(item.text, facts, texts)
        return (item.text if text is None else text), where

    by_name = {item.name: item for item in fields}
    for name in _TEXT_FIELDS:
        if name in by_name:
            question[name], question.value_locations[name] = put(by_name[name])
    if wrong is not None:
        question["wrong"] = wrong
        question.value_locations["wrong"] = row.value_locations["wrong"]
    elif "wrong" in template:
        question["wrong"] = _sequence(row_where)
        for index in range(len(template["wrong"])):
            text, where = put(by_name[f"wrong[{index}]"])
            question["wrong"].append(text)
            question["wrong"].item_locations.append(where)
    if "pairs" in template:
        question["pairs"] = _sequence(row_where)
        for index in range(len(template["pairs"])):
            pair = _sequence(row_where)
            for side in (0, 1):
                text, where = put(by_name[f"pairs[{index}][{side}]"])
                pair.append(text)
                pair.item_locations.append(where)
            question["pairs"].append(pair)
            question["pairs"].item_locations.append(row_where)
    return question


def _template_fields(template: yamlfile.Mapping) -> Iterable[_Field]:
    locations = template.value_locations
    for name in _TEXT_FIELDS:
        if name in template and not isinstance(template[name], bool):
            yield _Field(name, as_text(template[name]), locations[name])
    wrong = template.get("wrong")
    if isinstance(wrong, yamlfile.Sequence):
        for index, (text, where) in enumerate(zip(wrong, wrong.item_locations, strict=True)):
            yield _Field(f"wrong[{index}]", as_text(text), where)
    pairs = template.get("pairs")
    if isinstance(pairs, yamlfile.Sequence):
        for index, pair in enumerate(pairs):
            for side, (text, where) in enumerate(zip(pair, pair.item_locations, strict=True)):
                yield _Field(f"pairs[{index}][{side}]", as_text(text), where)


def _names(text: str) -> frozenset[str]:
    try:
        return templating.field(text).names
    except templating.FieldError:
        return frozenset()


def _mapping(where: Location) -> yamlfile.Mapping:
    mapping = yamlfile.Mapping()
    mapping.location = where
    mapping.key_locations = {}
    mapping.value_locations = {}
    return mapping


def _sequence(where: Location) -> yamlfile.Sequence:
    sequence = yamlfile.Sequence()
    sequence.location = where
    sequence.item_locations = []
    return sequence
