"""The JSON Schemas in generator/bank/schema/ are the single definition of the file formats.

Editors validate with them (through the YAML language server), and so does the loader, using
a fast compiled validator first and jsonschema only to explain an invalid file. These tests keep
the two validators, the loader and the published schema in agreement.
"""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path

import fastjsonschema
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.bank import schema, schema_fast, yamlfile
from generator.bank.model import Location, Question, QuestionType

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = Path(__file__).resolve().parent / "examples"
NAMES = [schema.QUESTION_FILE, schema.SOURCES_FILE, "project"]


def loaded(path: Path):
    return yamlfile.load(path).data


QUESTION_FILES = sorted((REPO / "questions").glob("*.yaml"))
EXAMPLE_FILES = sorted(
    path
    for path in EXAMPLES.rglob("questions/**/*.y*ml")
    if loaded(path) is not None and isinstance(loaded(path), dict)
)


@pytest.mark.parametrize("name", NAMES)
def test_each_schema_is_valid_draft_7_json(name: str) -> None:
    document = json.loads(schema.schema_text(name))
    jsonschema.Draft7Validator.check_schema(document)
    assert document["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert document["title"] and document["description"]


def test_the_schemas_are_installed_with_the_package() -> None:
    packaged = Path(schema.__file__).parent / "schema"
    assert sorted(p.name for p in packaged.glob("*.json")) == [
        "project.schema.json",
        "question-file.schema.json",
        "sources.schema.json",
    ]


@pytest.mark.parametrize("path", QUESTION_FILES, ids=lambda p: p.name)
def test_the_real_question_files_are_valid(path: Path) -> None:
    jsonschema.validate(loaded(path), json.loads(schema.schema_text(schema.QUESTION_FILE)))


def test_sources_yaml_is_valid() -> None:
    data = loaded(REPO / "seeds" / "sources.yaml")
    jsonschema.validate(data, json.loads(schema.schema_text(schema.SOURCES_FILE)))


def test_question_types_are_the_models() -> None:
    document = json.loads(schema.schema_text(schema.QUESTION_FILE))
    question = document["definitions"]["question"]
    assert question["properties"]["type"]["enum"] == [kind.value for kind in QuestionType]
    branches = [branch["if"]["properties"]["type"]["const"] for branch in question["allOf"]]
    assert branches == [kind.value for kind in QuestionType]


def test_every_question_key_reaches_the_model() -> None:
    """A key the schema allows but the loader drops would be silently ignored."""
    document = json.loads(schema.schema_text(schema.QUESTION_FILE))
    keys = set(document["definitions"]["question"]["properties"])
    model = {field.name for field in fields(Question)}
    # `answer: true|false` of a truefalse question becomes Question.is_true, and `each:`
    # becomes one question per row, each knowing its template.
    assert keys - model == {"each"}
    assert model - keys == {"deck", "location", "is_true", "field_locations", "template"}


@pytest.mark.parametrize(
    "path", EXAMPLE_FILES, ids=lambda p: p.relative_to(EXAMPLES).as_posix().replace("/", ":")
)
def test_the_fast_and_the_full_validator_agree_on_the_examples(path: Path) -> None:
    assert_validators_agree(loaded(path))


JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=15,
)
QUESTION_KEYS = [
    *("id", "type", "ask", "answer", "wrong", "fact", "pairs", "statement", "instead"),
    *("each", "pool"),
]
QUESTIONS = st.dictionaries(
    st.sampled_from(QUESTION_KEYS),
    st.one_of(st.sampled_from([kind.value for kind in QuestionType] + ["q-1", "x"]), JSON),
)


@given(
    st.one_of(
        JSON,
        st.fixed_dictionaries({"questions": st.lists(QUESTIONS, max_size=3)}),
        st.fixed_dictionaries({"pools": st.dictionaries(st.sampled_from(["p", "P q"]), JSON)}),
    )
)
def test_the_fast_and_the_full_validator_agree_on_anything(data) -> None:
    assert_validators_agree(data)


FAST = fastjsonschema.compile(json.loads(schema.schema_text(schema.QUESTION_FILE)))
FULL = jsonschema.Draft7Validator(json.loads(schema.schema_text(schema.QUESTION_FILE)))


def assert_validators_agree(data) -> None:
    try:
        FAST(data)
        fast_valid = True
    except fastjsonschema.JsonSchemaException:
        fast_valid = False
    assert fast_valid == FULL.is_valid(data)
    # The loader's fast path compiles each question type's rule on its own.
    assert schema.is_valid(data, schema.QUESTION_FILE) == fast_valid
    validation = schema.validate(data, schema.QUESTION_FILE, Location("f.yaml"))
    # Whatever the validators think, our validate() explains every invalid file.
    assert bool(validation.problems) == (not fast_valid)


def test_the_fast_path_checks_each_question_by_its_types_rule() -> None:
    """The split the fast path makes applies to the published schema, so the tests above test it."""
    document = json.loads(schema.schema_text(schema.QUESTION_FILE))
    rules = schema_fast._type_rules(document["definitions"]["question"])
    assert rules is not None
    assert list(rules) == [kind.value for kind in QuestionType]
    assert schema_fast._type_rules(document["definitions"]["fact"]) is None


def test_the_fast_path_writes_each_definition_out_in_place() -> None:
    document = {
        "$id": "https://example.invalid/s.json",
        "properties": {
            "a": {"$ref": "#/definitions/word", "description": "ignored beside a $ref"},
            "b": {"items": {"$ref": "#/definitions/list"}},
            "c": {"const": {"$ref": "#/definitions/word"}},
        },
        "definitions": {
            "word": {"type": "string"},
            "list": {"type": "array", "items": {"$ref": "#/definitions/list"}},
        },
    }
    flat = schema_fast._inlined(document, document)
    assert flat["properties"]["a"] == {"type": "string"}
    # A recursive definition is written out once, then referred to.
    assert flat["properties"]["b"]["items"] == {
        "type": "array",
        "items": {"$ref": "#/definitions/list"},
    }
    # A const is data, even when it looks like a $ref.
    assert flat["properties"]["c"] == {"const": {"$ref": "#/definitions/word"}}
    assert document["properties"]["a"]["$ref"] == "#/definitions/word"

    validate = schema_fast._compiled(document)
    validate({"a": "x", "b": [[[]], []]})
    for invalid in ({"a": 1}, {"b": [[1]]}):
        with pytest.raises(fastjsonschema.JsonSchemaException):
            validate(invalid)


@pytest.mark.parametrize(
    ("question", "valid"),
    [
        ({"id": "q", "type": "short", "ask": "a?", "answer": "b"}, True),
        ({"id": "q", "type": "short", "ask": "a?", "answer": "b", "fact": "f"}, False),
        ({"id": "q", "type": "short", "ask": "a?"}, False),
        ({"id": "q", "type": "cloze", "fact": "f"}, True),
        ({"id": "q", "type": "cloze", "fact": "f", "ask": "a?"}, False),
        ({"id": "q", "type": "truefalse", "fact": "f", "statement": "s", "answer": True}, True),
        ({"id": "q", "type": "truefalse", "fact": "f", "statement": "s", "answer": False}, False),
        ({"id": "q", "type": "truefalse", "fact": "f", "statement": "s", "answer": "yes"}, False),
        ({"id": "q", "type": "match", "ask": "a?", "pairs": [["a", "b"]]}, True),
        ({"id": "q", "type": "choice", "ask": "a?", "answer": "b", "wrong": ["c"]}, False),
        ({"id": "q", "type": "quiz", "ask": "a?", "answer": "b"}, False),
        ({"id": "q", "type": ["short"], "ask": "a?", "answer": "b"}, False),
    ],
)
def test_the_fast_path_applies_each_types_rule(question, valid: bool) -> None:
    data = {"questions": [{"id": "ok", "type": "cloze", "fact": "f"}, question]}
    assert FULL.is_valid(data) == valid
    assert_validators_agree(data)
