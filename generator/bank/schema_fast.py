"""The fast path of schema validation: the published schema, compiled by fastjsonschema.

It accepts exactly what the published schema accepts (tests/test_schema.py holds
it to that); it is only arranged to run faster: each $ref written out in place,
and each question type's rule compiled on its own and picked by the question's
type. schema.py uses it to answer "is this file valid?" and turns to jsonschema
only for the messages of an invalid file.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import fastjsonschema


def _compiled(published: dict[str, Any]) -> Callable[[Any], Any]:
    """A compiled validator that accepts exactly what the published schema accepts."""
    # fastjsonschema calls a function for each $ref, and names the value it passes (e.g.
    # "data.questions[3].wrong[1]") before it knows whether there is anything to report:
    # written out in place, the definitions cost half as much. (_inlined also makes the
    # copy that fastjsonschema may change: it rewrites the $refs of what it compiles.)
    flat = _inlined(published, published)
    questions = flat.get("properties", {}).get("questions", {}).get("items", {})
    rules = _type_rules(questions)
    if rules is None or '"$ref"' in json.dumps(rules):
        # A rule that kept a (recursive) $ref could not be compiled on its own.
        return fastjsonschema.compile(flat)
    # fastjsonschema tests each `if` of the per-type rules by raising and catching an
    # exception, four times per question. A question's type already names the one rule that
    # applies, so the file is compiled without the rules, each rule on its own, and each
    # question that passed the rest of its schema is checked by its type's rule.
    del questions["allOf"]
    validate_file = fastjsonschema.compile(flat)
    validate_rule = {kind: fastjsonschema.compile(then) for kind, then in rules.items()}

    def validate(data: Any) -> None:
        validate_file(data)
        questions = data.get("questions") if isinstance(data, dict) else None
        for question in questions if isinstance(questions, list | tuple) else ():
            # Each question passed the rest of its schema, so it is a mapping.
            kind = question.get("type")
            rule = validate_rule.get(kind) if isinstance(kind, str) else None
            if rule is not None:
                rule(question)

    return validate


def _inlined(node: Any, root: dict[str, Any], expanding: frozenset[str] = frozenset()) -> Any:
    """node with each local $ref replaced by the schema it names; the same schema, as draft-07
    ignores a $ref's siblings. A recursive $ref is kept (root keeps $id and definitions)."""
    if isinstance(node, list):
        return [_inlined(item, root, expanding) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/") and ref not in expanding:
        target: Any = root
        for step in ref[2:].split("/"):
            step = step.replace("~1", "/").replace("~0", "~")
            target = target[int(step)] if isinstance(target, list) else target[step]
        return _inlined(target, root, expanding | {ref})
    # const, enum, default and examples hold data, not schemas: they stay as written.
    return {
        key: value if key in _DATA_KEYWORDS else _inlined(value, root, expanding)
        for key, value in node.items()
    }


_DATA_KEYWORDS = frozenset({"const", "enum", "default", "examples"})


def _type_rules(question: Any) -> dict[str, Any] | None:
    """Each question type's `then` schema, if the question must be a mapping and each rule
    applies exactly when the question's type is the rule's type; otherwise None, and the
    schema is compiled whole."""
    if not isinstance(question, dict) or question.get("type") != "object":
        return None
    rules: dict[str, Any] = {}
    for branch in question.get("allOf", ()):
        try:
            kind = branch["if"]["properties"]["type"]["const"]
        except (KeyError, TypeError):
            return None
        by_type = {"properties": {"type": {"const": kind}}, "required": ["type"]}
        if set(branch) != {"if", "then"} or branch["if"] != by_type:
            return None
        if not isinstance(kind, str) or kind in rules:
            return None
        rules[kind] = branch["then"]
    return rules or None
