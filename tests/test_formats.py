"""`quizgen build --format` and quizgen.toml's `formats`: a build writes only the outputs named.

A narrowed build leaves the other outputs' files of the last full build where they are, and
still listed in the manifest, so the next full build deletes only what it no longer writes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.bank import schema
from generator.build import MANIFEST
from generator.formats import FORMATS
from generator.outputs import REGISTRY


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if not p.name.startswith(".")}


def _listed(folder: Path) -> list[str]:
    lines = (folder / MANIFEST).read_text("utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#")]


@pytest.fixture
def project(tmp_path: Path, run_line, monkeypatch) -> Path:
    folder = tmp_path / "quiz"
    assert run_line(["init", str(folder)]).exit_code == 0
    monkeypatch.chdir(folder)
    return folder


def test_the_names_are_the_registry_and_the_project_schema() -> None:
    assert sorted(FORMATS) == sorted(output.name for output in REGISTRY)
    properties = json.loads(schema.schema_text("project"))["properties"]["build"]["properties"]
    assert properties["formats"]["items"]["enum"] == list(FORMATS)


def test_one_format_writes_only_its_files(project: Path, run_line) -> None:
    result = run_line(["build", "--format", "anki"])
    assert result.exit_code == 0, result.output
    anki = next(output for output in REGISTRY if output.name == "anki")
    written = sorted(_files(project / "decks"))
    assert written == ["manifest.txt", "quizgen.apkg", "quizgen.lock.json"]
    assert all(anki.writes(name) for name in written if name != MANIFEST)


def test_a_narrowed_build_keeps_the_other_outputs_files(project: Path, run_line) -> None:
    assert run_line(["build"]).exit_code == 0
    full = _files(project / "decks")
    listed = _listed(project / "decks")
    result = run_line(["build", "--format", "quiz", "--format", "coverage", "--versions", "2"])
    assert result.exit_code == 0, result.output
    after = _files(project / "decks")
    quiz = next(output for output in REGISTRY if output.name == "quiz")
    # The other outputs' files are untouched; the quiz now comes in two versions.
    assert {
        n: c
        for n, c in after.items()
        if not quiz.writes(n) and n not in (MANIFEST, "coverage.html")
    } == {
        n: c for n, c in full.items() if not quiz.writes(n) and n not in (MANIFEST, "coverage.html")
    }
    assert sorted(n for n in after if quiz.writes(n)) == [
        "quiz-honeybees-A.html",
        "quiz-honeybees-B.html",
    ]
    assert set(_listed(project / "decks")) == {
        *(n for n in listed if not quiz.writes(n)),
        "quiz-honeybees-A.html",
        "quiz-honeybees-B.html",
    }
    # The next full build of one version deletes versions A and B, and checks as up to date.
    assert run_line(["build"]).exit_code == 0
    assert _files(project / "decks") == full
    assert run_line(["build", "--check"]).exit_code == 0


def test_check_of_one_format_looks_only_at_its_files(project: Path, run_line) -> None:
    assert run_line(["build"]).exit_code == 0
    (project / "decks" / "coverage.html").write_text("edited", encoding="utf-8")
    assert run_line(["build", "--check", "--format", "anki"]).exit_code == 0
    assert run_line(["build", "--check"]).exit_code == 1


def test_an_unknown_format_is_a_usage_error_naming_the_choices(project: Path, run_line) -> None:
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    result = run_line(["build", "--format", "moodel"])
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr
    for name in FORMATS:
        assert name in result.stderr
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_the_project_file_names_the_formats_and_the_option_wins(project: Path, run_line) -> None:
    (project / "quizgen.toml").write_text('[build]\nformats = ["coverage"]\n', encoding="utf-8")
    assert run_line(["build"]).exit_code == 0
    assert sorted(_files(project / "decks")) == ["coverage.html", "manifest.txt"]
    assert run_line(["build", "--format", "anki"]).exit_code == 0
    assert "quizgen.apkg" in _files(project / "decks")


def test_a_wrong_format_in_the_project_file_is_located(project: Path, run_line) -> None:
    (project / "quizgen.toml").write_text('[build]\nformats = ["anki", "pdf"]\n', encoding="utf-8")
    result = run_line(["check"])
    assert result.exit_code == 1
    assert result.stdout.startswith("quizgen.toml:2:")
    assert "'pdf'" in result.stdout and "Traceback" not in result.output


def test_the_package_name_names_every_project_file(project: Path, run_line) -> None:
    (project / "quizgen.toml").write_text('[package]\nname = "biology-unit-3"\n', encoding="utf-8")
    assert run_line(["build"]).exit_code == 0
    names = sorted(_files(project / "decks"))
    assert "biology-unit-3.apkg" in names and "biology-unit-3.lock.json" in names
    assert "biology-unit-3.canvas-qti.zip" in names
    assert "biology-unit-3.moodle.xml" in names and "biology-unit-3.gift" in names
    assert not [name for name in names if name.startswith("quizgen")]
    assert run_line(["build", "--check"]).exit_code == 0
    # check reads the renamed lock file: a question that vanishes is still noticed.
    (project / "questions" / "example.yaml").write_text("questions: []\n", encoding="utf-8")
    result = run_line(["check"])
    assert "decks/biology-unit-3.lock.json" in result.output


def test_a_package_name_that_is_no_file_name_is_refused(project: Path, run_line) -> None:
    result = run_line(["build", "--package", "../escape"])
    assert result.exit_code == 2
    assert "is not a file name stem" in result.stderr
    (project / "quizgen.toml").write_text('[package]\nname = "a/b"\n', encoding="utf-8")
    result = run_line(["check"])
    assert result.exit_code == 1
    assert result.stdout.startswith("quizgen.toml:2:")
