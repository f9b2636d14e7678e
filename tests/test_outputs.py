"""The registry of outputs: each writes only the files it declares, and no two share a name."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import api
from generator.build import select_deck
from generator.outputs import REGISTRY
from generator.outputs.base import BuildContext, BuildOptions, Output

ROOT = Path(__file__).resolve().parent.parent
DECK = "Sessions and Sanctuary Cities::Epstein — Trump and Sessions keep trying"
# Every output for the whole bank and for one deck in two versions; --pdf changes only
# the quizzes, and printing is slow, so the PDF case is the quizzes of one deck.
CASES = [
    *((output, "bank", BuildOptions()) for output in REGISTRY),
    *(
        (output, "deck-versions", BuildOptions(deck=DECK, versions=2, seed=7))
        for output in REGISTRY
    ),
    *(
        (output, "deck-pdf", BuildOptions(deck=DECK, pdf=True))
        for output in REGISTRY
        if output.name == "quiz"
    ),
]


@pytest.fixture(scope="module")
def checked() -> api.CheckResult:
    result = api.check_bank((ROOT / "questions",), ROOT / "seeds", ROOT / "decks", check_cache=None)
    assert result.success, result.problems
    return result


def rendered(checked: api.CheckResult, options: BuildOptions, output: Output) -> dict[str, bytes]:
    questions, problems = select_deck(checked.questions, options.deck)
    assert not problems and questions
    sources = tuple(checked.bank.sources.values()) if checked.bank else ()
    return output.render(BuildContext(questions, options, lambda name: None, sources))


def test_the_registry_names_each_output_once() -> None:
    names = [output.name for output in REGISTRY]
    assert sorted(names) == ["anki", "canvas-qti", "coverage", "gift", "moodle", "quiz"]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize(
    ("output", "options"),
    [(output, options) for output, _, options in CASES],
    ids=[f"{output.name}-{case}" for output, case, _ in CASES],
)
def test_an_output_writes_only_what_it_declares(
    checked: api.CheckResult, output: Output, options: BuildOptions
) -> None:
    files = rendered(checked, options, output)
    assert files, f"{output.name} wrote nothing"
    for name in files:
        assert Path(name).name == name, f"{output.name} writes {name!r} outside the folder"
        assert output.writes(name), f"{output.name} writes {name!r}, not in {output.files}"
        others = [other.name for other in REGISTRY if other is not output and other.writes(name)]
        assert not others, f"{name!r} of {output.name} is also declared by {others}"
    if options.pdf:
        assert any(name.endswith(".pdf") for name in files)


def test_the_committed_decks_are_all_declared_by_some_output() -> None:
    # The manifest is the build's own file; everything else in decks/ comes from an output.
    manifest = (ROOT / "decks" / "manifest.txt").read_text(encoding="utf-8").splitlines()
    names = [line for line in manifest if line and not line.startswith("#")]
    undeclared = [
        n for n in names if n != "manifest.txt" and not any(o.writes(n) for o in REGISTRY)
    ]
    assert names and not undeclared


def test_an_undeclared_or_shared_name_is_refused_by_the_check_above() -> None:
    # The patterns decide: a file the registry does not know matches no output.
    assert not any(output.writes("quizgen.apkg.bak") for output in REGISTRY)
    assert not any(output.writes("notes.txt") for output in REGISTRY)
    assert [o.name for o in REGISTRY if o.writes("quiz-all-B.pdf")] == ["quiz"]
