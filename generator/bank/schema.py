"""Validate loaded YAML against the published JSON Schemas, with located, helpful messages.

The schemas in schema/ are the single definition of the file formats: editors
use them for completion, and this module uses them to validate. A fast
compiled validator answers "is this file valid?"; only for an invalid file
does jsonschema walk it to list every error.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import fastjsonschema

from .model import Location, Problem
from .schema_fast import _compiled
from .yamlfile import Mapping, Sequence

if TYPE_CHECKING:
    import jsonschema

QUESTION_FILE = "question-file"
SOURCES_FILE = "sources"

_JSON_TYPES = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping of keys to values",
    "null": "nothing",
}

_ID_RULES = {
    "^[a-z][a-z0-9_]*$": "lower-case letters, digits and underscores, starting with a letter",
    "^[a-z0-9][a-z0-9-]*$": "lower-case letters, digits and hyphens",
    "^[^\\s]+$": "one word with no spaces",
    "^[0-9a-f]{64}$": "64 lower-case hex digits (run: sha256sum FILE)",
}


# Beside this module, as html.py finds its templates (importlib.resources would add
# ~10 ms to every start of `quizgen check`).
SCHEMA_DIR = Path(__file__).with_name("schema")


def schema_text(name: str) -> str:
    return (SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8")


@cache
def _schema(name: str) -> dict[str, Any]:
    return json.loads(schema_text(name))


@cache
def _fast_validator(name: str) -> Callable[[Any], Any]:
    return _compiled(_schema(name))


@cache
def _full_validator(name: str) -> jsonschema.Draft7Validator:
    # Imported only for an invalid file: it costs a clean `quizgen check` ~80 ms of start-up.
    import jsonschema

    return jsonschema.Draft7Validator(_schema(name))


@dataclass(frozen=True)
class Validation:
    problems: list[Problem]
    # The first two steps of each invalid path, e.g. ("questions", 3) or ("deck",):
    # the loader skips those parts and still checks the rest of the file.
    invalid: frozenset[tuple[Any, ...]]

    def is_valid(self, *path: Any) -> bool:
        """Whether the value at path, and everything inside it, passed the schema."""
        return not any(path[: len(bad)] == bad or bad[: len(path)] == path for bad in self.invalid)


def is_valid(data: Any, name: str) -> bool:
    """Whether data passes the schema, answered by the fast compiled validator."""
    try:
        _fast_validator(name)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def validate(data: Any, name: str, root: Location) -> Validation:
    """Every schema problem in data, located at the key or value it concerns."""
    if is_valid(data, name):
        return Validation([], frozenset())
    errors = list(_full_validator(name).iter_errors(data))
    problems: set[Problem] = set()
    invalid: set[tuple[Any, ...]] = set()
    for error in errors:
        problems.update(_describe(error, data, root, name))
        path = tuple(error.absolute_path)[:2]
        if error.validator in ("additionalProperties", "pattern") and len(path) < 2:
            # An unknown or badly named key: only that key is invalid.
            path = (*path, *_offending_keys(error))
        invalid.add(path)
    return Validation(sorted(problems), frozenset(invalid))


def _offending_keys(error: jsonschema.ValidationError) -> tuple[Any, ...]:
    if error.validator == "pattern":
        return (error.instance,)
    allowed = set(error.schema.get("properties", {}))
    unknown = sorted(set(error.instance) - allowed)
    return (unknown[0],) if len(unknown) == 1 else ("\0unknown",)


def _describe(
    error: jsonschema.ValidationError, data: Any, root: Location, name: str
) -> Iterator[Problem]:
    path = list(error.absolute_path)
    where = _value_location(data, path, root)
    subject = _subject(data, path)
    field = _field_name(path)
    # The subject already names an entry of questions: or facts:.
    named = "" if len(path) == 2 and path[0] in ("questions", "facts") else _field_phrase(path)

    if error.schema is False:
        # jsonschema does not say which key a `false` schema refused, so every key the
        # question's type forbids is named; the caller merges the repeats.
        owner = _resolve(data, path[:2])
        kind = owner.get("type") if isinstance(owner, dict) else None
        for key in _forbidden(name, owner):
            only_false = key in _forbidden_unless_false(name)
            yield Problem(
                _key_location(owner, key, where),
                f"{subject}'{key}' is only for a false statement (answer: false): remove it"
                if only_false
                else f"{subject}'{key}' does not belong in a {kind} question: remove it",
            )
    elif error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        for key in sorted(set(error.instance) - set(allowed)):
            yield Problem(
                _key_location(error.instance, key, where),
                f"{subject}unknown key '{key}': "
                + (
                    _misplaced(key, error.instance[key], path)
                    or _suggest(key, allowed, "allowed keys are")
                ),
            )
    elif error.validator == "required":
        missing = error.message.split("'")[1]
        if _misspelt(missing, error.instance, name):
            return  # the unknown key's own problem says "did you mean '{missing}'?"
        kind = error.instance.get("type") if isinstance(error.instance, dict) else None
        needs = ", ".join(error.validator_value)
        if kind == "choice" and missing == "wrong":
            # A template's rows may give `wrong:` instead, so the type's rule asks for it apart.
            needs = "ask, answer, wrong (a template may give wrong: in each row instead)"
        what = f"a {kind} question" if subject.startswith("question") and kind else "this entry"
        yield Problem(where, f"{subject}missing '{missing}': {what} needs {needs}")
    elif error.validator == "enum":
        options = [str(option) for option in error.validator_value]
        yield Problem(
            where,
            f"{subject}unknown {field or 'value'} {error.instance!r}: "
            f"{_suggest(str(error.instance), options, 'use one of')}",
        )
    elif error.validator == "type":
        expected = error.validator_value
        expected_names = [expected] if isinstance(expected, str) else expected
        wanted = " or ".join(_JSON_TYPES[name] for name in expected_names)
        hint = ""
        if isinstance(error.instance, bool) and "string" in expected_names:
            hint = ": YAML reads yes, no, on, off, true and false as true or false; quote the text"
        elif expected_names == ["boolean"] and str(error.instance).lower() in ("true", "false"):
            hint = ": write it without quotes"
        # "fact 'b' should be …" reads better than "fact 'b': it should be …".
        what = f"{subject}{named}" if named or not subject else subject.removesuffix(": ") + " "
        yield Problem(where, f"{what}should be {wanted}, not {_kind_of(error.instance)}{hint}")
    elif error.validator == "pattern":
        rule = _ID_RULES.get(error.validator_value, f"match {error.validator_value}")
        entry = named if path and isinstance(path[-1], int) else ""
        if path and path[-1] in _NAMED_KEYS:
            # propertyNames errors point at the mapping; point at the bad key instead.
            where = _key_location(_resolve(data, path), error.instance, where)
            entry = _NAMED_KEYS[path[-1]]
        elif path and path[-1] == "id":
            entry = "id "
        yield Problem(where, f"{subject}{entry}{error.instance!r} must be {rule}")
    elif error.validator in ("minItems", "maxItems") and field == "pairs" and len(path) == 4:
        yield Problem(
            where, f"{subject}{named}should be [left, right], not {_entries(len(error.instance))}"
        )
    elif error.validator == "minItems":
        yield Problem(where, f"{subject}{named}needs at least {error.validator_value} entries")
    elif error.validator == "maxItems":
        yield Problem(where, f"{subject}{named}takes at most {error.validator_value} entries")
    elif error.validator in ("minimum", "maximum"):
        yield Problem(where, f"{subject}{named}{error.message}")
    elif error.validator == "minProperties" and field == "each":
        yield Problem(where, f"{subject}'each' needs at least one row")
    elif error.validator == "minProperties" and len(path) == 4 and path[2] == "each":
        yield Problem(where, f"{subject}row '{path[3]}' needs at least one variable")
    elif error.validator == "minLength":
        yield Problem(where, f"{subject}{named}must not be empty")
    else:
        yield Problem(where, f"{subject}{error.message}")


# Mappings whose keys are names, and what a message calls a key of each.
_NAMED_KEYS = {
    "facts": "fact id ",
    "sources": "source id ",
    "pools": "pool id ",
    "each": "row key ",
}


def _branches(name: str) -> dict[str, dict[str, Any]]:
    """Each question type's `then` schema, as the published schema states it."""
    question = _schema(name).get("definitions", {}).get("question", {})
    return {
        branch["if"]["properties"]["type"]["const"]: branch["then"]
        for branch in question.get("allOf", [])
    }


def _false_keys(schema: dict[str, Any]) -> set[str]:
    return {key for key, rule in schema.get("properties", {}).items() if rule is False}


@cache
def _forbidden_unless_false(name: str) -> frozenset[str]:
    """Keys a truefalse question takes only when its answer is false ('instead')."""
    then = _branches(name).get("truefalse", {})
    return frozenset(_false_keys(then.get("else", {})))


def _forbidden(name: str, question: Any) -> list[str]:
    if not isinstance(question, dict):
        return []
    then = _branches(name).get(question.get("type"), {})
    forbidden = _false_keys(then)
    if "else" in then and question.get("answer") is not False:
        forbidden |= _false_keys(then["else"])
    return sorted(key for key in question if key in forbidden)


def _misspelt(missing: str, instance: Any, name: str) -> bool:
    """Whether the mapping has an unknown key that is a typo of the missing one."""
    if not isinstance(instance, dict):
        return False
    unknown = [key for key in instance if isinstance(key, str) and key not in _all_keys(name)]
    return bool(difflib.get_close_matches(missing, unknown, n=1, cutoff=0.6))


@cache
def _all_keys(name: str) -> frozenset[str]:
    """Every key the schema names anywhere."""
    found: set[str] = set()
    stack: list[Any] = [_schema(name)]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.update(node.get("properties", {}))
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return frozenset(found)


def _misplaced(key: str, value: Any, path: list[Any]) -> str:
    """A hint for an entry that lost its indentation and landed at the top level."""
    if path or not isinstance(value, dict):
        return ""
    if {"source", "quote"} & set(value):
        return "it looks like a fact: indent it under facts:"
    if {"type", "ask"} & set(value):
        return "it looks like a question: indent it under questions: as a list item (- id: …)"
    return ""


def _entries(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _suggest(word: str, options: list[str], otherwise: str) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"{otherwise} {', '.join(options)}"


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    return "a number"


def _field_name(path: list[Any]) -> str | None:
    for step in reversed(path):
        if isinstance(step, str):
            return step
    return None


def _field_phrase(path: list[Any]) -> str:
    """How a message names a value: "'deck' ", "'pairs' entry 2 ", counted from 1."""
    for index in range(len(path) - 1, -1, -1):
        if isinstance(path[index], str):
            positions = [str(step + 1) for step in path[index + 1 :] if isinstance(step, int)]
            entry = f"entry {', item '.join(positions)} " if positions else ""
            return f"'{path[index]}' {entry}"
    return ""


def _subject(data: Any, path: list[Any]) -> str:
    """'question 'x': ' or 'fact 'y': ', so every message names its id."""
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        item = _resolve(data, path[:2])
        if isinstance(item, dict) and isinstance(item.get("id"), str):
            return f"question '{item['id']}': "
        return f"question #{path[1] + 1}: "
    if len(path) >= 2 and path[0] in ("facts", "sources", "pools"):
        return f"{path[0][:-1]} '{path[1]}': "
    return ""


def _resolve(data: Any, path: list[Any]) -> Any:
    for step in path:
        data = data[step]
    return data


def _value_location(data: Any, path: list[Any], root: Location) -> Location:
    where = getattr(data, "location", root)
    for step in path:
        if isinstance(data, Mapping):
            where = data.value_locations.get(step, where)
        elif isinstance(data, Sequence) and isinstance(step, int):
            where = data.item_locations[step]
        data = data[step]
    return where


def _key_location(mapping: Any, key: Any, default: Location) -> Location:
    if isinstance(mapping, Mapping):
        return mapping.key_locations.get(key, default)
    return default
