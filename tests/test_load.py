"""Loading: YAML with locations, question files to the model, never an exception on any input."""

from __future__ import annotations

import math
import re
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator import api
from generator.bank import yamlfile
from generator.bank.load import default_deck_name, load_bank, question_files
from generator.bank.model import CheckResult, Location, QuestionType

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
LOCATED = re.compile(r"^[^:]+:[1-9]\d*:[1-9]\d*: \S")


# Finding question files ------------------------------------------------------


def test_folders_are_searched_recursively_for_yaml_files(tmp_path: Path) -> None:
    for name in ["b.yaml", "a.yml", "sub/c.yaml", "notes.txt", "sub/d.YAML.bak"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    found, problems = question_files([tmp_path, tmp_path / "b.yaml"])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.yml", "b.yaml", "sub/c.yaml"]
    assert problems == []


def test_a_missing_path_is_a_problem_not_an_exception(tmp_path: Path) -> None:
    found, problems = question_files([tmp_path / "nope"])
    assert found == []
    assert [p.message for p in problems] == ["no such file or folder"]


def test_an_empty_folder_is_a_problem(tmp_path: Path) -> None:
    _, _, problems = load_bank([tmp_path], SEEDS)
    assert [p.message for p in problems] == ["no question files (*.yaml) found here"]


@pytest.mark.parametrize(
    ("name", "deck"),
    [
        ("funding-threats.yaml", "Funding threats"),
        ("court_rulings.yml", "Court rulings"),
        ("x.yaml", "X"),
    ],
)
def test_the_default_deck_comes_from_the_file_name(name: str, deck: str) -> None:
    assert default_deck_name(Path(name)) == deck


# The model, with its locations ----------------------------------------------

FILE = """\
tags: [funding, shared]
facts:
  clawback:
    source: leopold
    quote: threaten state and local governments with the withholding and clawback of $4 billion
    value: $4 billion
  decimal:
    source: leopold
    quote: x
    value: 4.50
questions:
  - id: q-choice
    type: choice
    ask: How much?
    answer: "{{ clawback }}"
    wrong:
      - $5 billion
      - 010
    points: 3
    tags: [amounts, funding]
  - id: q-match
    type: match
    ask: Match.
    pairs:
      - ["{{ clawback }}", state and local]
"""


@pytest.fixture
def loaded(tmp_path: Path):
    path = tmp_path / "funding-threats.yaml"
    path.write_text(FILE)
    bank, _, problems = load_bank([path], SEEDS)
    assert problems == []
    return bank, str(path)


def test_questions_keep_their_fields_tags_and_deck(loaded) -> None:
    bank, _ = loaded
    choice, match = bank.questions
    assert choice.type is QuestionType.CHOICE
    assert choice.deck == "Funding threats"
    assert choice.tags == ("funding", "shared", "amounts")
    assert choice.points == 3
    assert match.points == 1
    assert match.pairs == (("{{ clawback }}", "state and local"),)


def test_numbers_are_kept_as_written(loaded) -> None:
    bank, _ = loaded
    assert bank.facts["decimal"].value == "4.50"
    assert bank.questions[0].wrong == ("$5 billion", "010")


def test_every_field_knows_its_line_and_column(loaded) -> None:
    bank, path = loaded
    choice, match = bank.questions
    assert choice.location == Location(path, 12, 5)
    assert choice.where("ask") == Location(path, 14, 10)
    assert choice.where("wrong[1]") == Location(path, 18, 9)
    assert match.where("pairs[0][1]") == Location(path, 25, 28)
    assert bank.facts["clawback"].location == Location(path, 4, 5)
    assert bank.facts["clawback"].where("quote") == Location(path, 5, 12)


def test_yaml_mappings_and_sequences_carry_locations() -> None:
    document = yamlfile.parse("a:\n  - x\n  - |\n    block\n    text\nb: {c: 1}\n", "f.yaml")
    assert document.problems == ()
    data = document.data
    assert data.key_locations["b"] == Location("f.yaml", 6, 1)
    assert data["a"].item_locations == [Location("f.yaml", 2, 5), Location("f.yaml", 4, 5)]
    assert data["b"].value_locations["c"] == Location("f.yaml", 6, 8)


def test_dates_stay_text() -> None:
    assert yamlfile.parse("published: 2017-11-27\n", "f.yaml").data == {"published": "2017-11-27"}


def test_duplicate_and_non_text_keys_are_problems() -> None:
    document = yamlfile.parse("a: 1\nb: 2\na: 3\n4: x\n", "f.yaml")
    assert [str(p) for p in document.problems] == [
        "f.yaml:3:1: duplicate key 'a' (first at line 1): YAML would keep only the last one; "
        "remove or rename one of them",
        "f.yaml:4:1: key 4 is not text: quote it, for example '4':",
    ]


# Never an exception, whatever the input --------------------------------------

KEYS = [
    "deck", "tags", "facts", "questions", "retired", "id", "type", "ask", "answer", "wrong",
    "last_option", "fact", "pairs", "statement", "instead", "points", "source", "quote", "value",
]  # fmt: skip
TEXTS = st.one_of(
    st.sampled_from(
        [
            "short",
            "choice",
            "cloze",
            "match",
            "truefalse",
            "leopold",
            "clawback",
            "$4 billion",
            "{{ clawback }}",
            "{{ clawback | upper }}",
            "{{ nope }}",
            "{{ clawback.__class__ }}",
            "{% for x in y %}",
            "{{",
            "…",
            "...",
            "threaten state and local governments",
        ]
    ),
    st.text(max_size=20),
)
SCALARS = st.one_of(TEXTS, st.integers(), st.floats(), st.booleans(), st.none())
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), inner, max_size=5),
    ),
    max_leaves=25,
)
FACTS = st.dictionaries(
    st.sampled_from(["clawback", "other", "Bad Id"]),
    st.one_of(
        st.fixed_dictionaries(
            {
                "source": st.sampled_from(["leopold", "epstein", "nope"]),
                "quote": TEXTS,
                "value": SCALARS,
            }
        ),
        VALUES,
    ),
    max_size=3,
)
QUESTIONS = st.lists(
    st.one_of(
        st.dictionaries(st.sampled_from(KEYS), st.one_of(TEXTS, VALUES), max_size=8).map(
            lambda fields: {"id": "q", "type": "short", **fields}
        ),
        VALUES,
    ),
    max_size=4,
)
DOCUMENTS = st.one_of(
    VALUES,
    st.fixed_dictionaries(
        {"facts": FACTS, "questions": QUESTIONS},
        optional={"deck": VALUES, "tags": VALUES, "retired": VALUES},
    ),
)
ANY_INPUT = settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def check_file(content: bytes) -> CheckResult:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "q.yaml"
        path.write_bytes(content)
        result = api.check_bank([path], SEEDS, Path(folder) / "decks")
    for problem in result.problems:
        line = str(problem)
        assert LOCATED.match(line), line
        assert line.isprintable(), line  # one line, and no control characters reach a terminal
    return result


@ANY_INPUT
@given(st.text())
def test_any_text_gives_a_result_or_located_problems(text: str) -> None:
    check_file(text.encode("utf-8", "surrogatepass"))


@ANY_INPUT
@given(st.binary())
def test_any_bytes_give_a_result_or_located_problems(content: bytes) -> None:
    check_file(content)


@ANY_INPUT
@given(DOCUMENTS)
def test_any_yaml_document_gives_a_result_or_located_problems(document) -> None:
    result = check_file(yaml.safe_dump(document, allow_unicode=True).encode())
    assert result.success or result.errors


def plain(value):
    """The data as plain dicts and lists, NaN made comparable."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value


@given(VALUES)
def test_yaml_round_trips_through_the_located_loader(value) -> None:
    text = yaml.safe_dump({"root": value}, allow_unicode=True)
    assume("\x85" not in text)  # PyYAML's dumper writes NEL raw, and YAML reads it as a line break
    document = yamlfile.parse(text, "f.yaml")
    assert document.problems == ()
    assert plain(document.data) == plain({"root": value})


# The tree fast path ----------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
TRICKY_DOCUMENTS = [
    "a: 1\nb: 010\nc: 4.50\nd: true\ne: ~\nf: 0x1f\ng: 1_000\n",
    "a: |\n  one\n  two\nb: >\n  folded\n  text\nc: ''\n",
    "a: 1\na: 2\nb: {x: [1, 2], x: 3}\n",
    "base: {a: 1}\nother:\n  <<: {b: 2}\n  c: 3\n",
    "? [a, b]\n: complex key\n1: number key\n",
    "a: !!binary aGVsbG8=\nb: !!set {x, y}\n",
    "a: !!str 123\nb: !!int '7'\nc: !custom x\n",
    "- [1, [2, [3, []]]]\n- {}\n- ''\n",
]


def _tree(value):
    """The value with every location and written form the loader keeps, for comparison."""
    if isinstance(value, yamlfile.Mapping):
        items = [
            (k, value.key_locations[k], value.value_locations[k], _tree(v))
            for k, v in value.items()
        ]
        return ("map", value.location, items)
    if isinstance(value, yamlfile.Sequence):
        return ("seq", value.location, value.item_locations, [_tree(v) for v in value])
    return (type(value).__name__, value, getattr(value, "source_text", None))


def _both_ways(text: str) -> tuple[yamlfile.Document, yamlfile.Document]:
    fast = yamlfile.parse(text, "doc.yaml")
    loader = yamlfile._Loader(text)
    loader.display_path, loader.found, loader.lines = "doc.yaml", [], text.split("\n")
    try:
        node = loader.get_single_node()
        slow_data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError:
        slow_data = None
    finally:
        loader.dispose()
    slow = yamlfile.Document(fast.path, slow_data, tuple(loader.found))
    return fast, slow


def _bank_documents() -> list[pytest.param]:
    """Every question file of the bank and of the examples that PyYAML can build.

    Files that the loader refuses before building (too deep, alias bombs) and files
    with syntax or tag errors are reported by the same code either way.
    """
    paths = sorted([*REPO.glob("questions/*.yaml"), *REPO.glob("tests/examples/*/*/*/*.yaml")])
    documents = []
    for path in paths:
        try:
            text = path.read_text("utf-8")
        except UnicodeDecodeError:
            continue
        if yamlfile.parse(text, "doc.yaml").data is not None:
            documents.append(pytest.param(text, id=str(path.relative_to(REPO))))
    return documents


@pytest.mark.parametrize("text", [*TRICKY_DOCUMENTS, *_bank_documents()])
def test_the_tree_fast_path_builds_what_pyyaml_builds(text: str) -> None:
    fast, slow = _both_ways(text)
    if fast.data is None:
        # A tag that is not allowed: the fast path handed the file to PyYAML, which refused it.
        assert slow.data is None
        assert any("is not allowed" in problem.message for problem in fast.problems)
        return
    assert _tree(fast.data) == _tree(slow.data)
    assert fast.problems == slow.problems
