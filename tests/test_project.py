"""`quizgen init`, the project file quizgen.toml, and `quizgen repin`."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from importing_pages import PAGES_DIR

from generator.authoring.init import project_files

REPO = Path(__file__).resolve().parent.parent


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def project(tmp_path: Path, run_line, monkeypatch) -> Path:
    folder = tmp_path / "quiz"
    result = run_line(["init", str(folder)])
    assert result.exit_code == 0, result.output
    monkeypatch.chdir(folder)
    return folder


# init ---------------------------------------------------------------------------------


def test_init_makes_a_project_that_checks_and_builds_at_once(project: Path, run_line) -> None:
    assert sorted(_tree(project)) == [
        ".gitignore",
        ".vscode/project.schema.json",
        ".vscode/question-file.schema.json",
        ".vscode/settings.json",
        ".vscode/sources.schema.json",
        "questions/example.yaml",
        "quizgen.toml",
        "seeds/example.txt",
        "seeds/sources.yaml",
    ]
    check = run_line(["check"])
    assert (check.exit_code, check.stdout) == (0, "")
    assert (
        check.stderr == "quizgen: 1 question and 1 fact from 1 article: every answer is sourced\n"
    )
    build = run_line(["build"])
    assert build.exit_code == 0, build.output
    assert (project / "decks" / "quizgen.apkg").is_file()
    assert (project / "decks" / "quiz-honeybees.html").is_file()
    assert run_line(["build", "--check"]).exit_code == 0


def test_the_editor_gets_the_schemas_quizgen_validates_with(project: Path) -> None:
    for name in ("question-file", "sources", "project"):
        shipped = REPO / "generator" / "bank" / "schema" / f"{name}.schema.json"
        assert (project / ".vscode" / f"{name}.schema.json").read_bytes() == shipped.read_bytes()


def test_init_refuses_to_overwrite_and_writes_nothing(tmp_path: Path, run_line) -> None:
    folder = tmp_path / "mine"
    (folder / "questions").mkdir(parents=True)
    (folder / "questions" / "example.yaml").write_text("my own work\n", encoding="utf-8")
    result = run_line(["init", str(folder)])
    assert result.exit_code == 1
    assert result.stdout == (
        f"{folder}/questions/example.yaml:1:1: already exists: quizgen init never overwrites a "
        "file; start the project in a new folder\n"
    )
    assert _tree(folder) == {"questions/example.yaml": b"my own work\n"}


def test_a_new_project_pins_its_example_article() -> None:
    files = project_files(Path("p"))
    digest = hashlib.sha256(files[Path("p/seeds/example.txt")]).hexdigest()
    assert f"sha256: {digest}" in files[Path("p/seeds/sources.yaml")].decode()


# quizgen.toml ---------------------------------------------------------------------------


def test_this_repository_has_a_project_file_that_builds_the_committed_decks(
    run_line, monkeypatch
) -> None:
    monkeypatch.chdir(REPO)
    assert (REPO / "quizgen.toml").is_file()
    result = run_line(["build", "--check"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[build]\npapr = "a4"\n', "quizgen.toml:2:1: unknown key 'papr': did you mean 'paper'?"),
        ('[build]\npaper = "a5"\n', "quizgen.toml:2:9: unknown paper 'a5': use one of letter, a4"),
        (
            "[build]\nversions = 30\n",
            "quizgen.toml:2:12: 'versions' 30 is greater than the maximum of 26",
        ),
        (
            "[folder]\nseeds = 'x'\n",
            "quizgen.toml:1:2: unknown key 'folder': did you mean 'folders'?",
        ),
        ("[folders]\nseeds = 3\n", "quizgen.toml:2:9: 'seeds' should be text, not a number"),
        ("[build]\npaper = a4\n", "quizgen.toml:2:9: is not valid TOML: invalid value"),
    ],
)
def test_a_mistake_in_the_project_file_is_located(
    project: Path, run_line, toml: str, message: str
) -> None:
    (project / "quizgen.toml").write_text(toml, encoding="utf-8")
    result = run_line(["check"])
    assert result.exit_code == 1
    assert result.stdout == message + "\n"
    assert "Traceback" not in result.output


def test_build_takes_its_defaults_from_the_project_file_and_options_win(
    project: Path, run_line
) -> None:
    (project / "quizgen.toml").write_text(
        '[folders]\ndecks = "out"\n\n[build]\nversions = 2\npaper = "a4"\n', encoding="utf-8"
    )
    assert run_line(["build"]).exit_code == 0
    built = sorted(p.name for p in (project / "out").glob("quiz-*.html"))
    assert built == ["quiz-honeybees-A.html", "quiz-honeybees-B.html"]
    assert "size: A4" in (project / "out" / "quiz-honeybees-A.html").read_text("utf-8")
    assert run_line(["build", "--versions", "1", "--out", "other"]).exit_code == 0
    assert sorted(p.name for p in (project / "other").glob("quiz-*.html")) == [
        "quiz-honeybees.html"
    ]


def test_the_folders_of_the_project_file_are_used(project: Path, run_line) -> None:
    (project / "questions").rename(project / "bank")
    assert run_line(["check", "--questions", "bank"]).exit_code == 0
    (project / "quizgen.toml").write_text('[folders]\nquestions = "bank"\n', encoding="utf-8")
    result = run_line(["check"])
    assert result.exit_code == 0, result.output


# repin ----------------------------------------------------------------------------------


@pytest.fixture
def frog(project: Path, run_line) -> Path:
    """The project with the frog page added and one fact quoting it."""
    assert run_line(["add", str(PAGES_DIR / "frog-chorus.html"), "--id", "frogs"]).exit_code == 0
    (project / "questions" / "frogs.yaml").write_text(
        "facts:\n"
        "  barriers:\n"
        "    source: frogs\n"
        "    quote: build new sound barriers along Route 9\n"
        "    value: sound barriers\n"
        "  ponds:\n"
        "    source: frogs\n"
        "    quote: recorded 412 frogs at 38 ponds\n"
        "    value: '38'\n"
        "questions:\n"
        "  - id: frog-ponds\n"
        "    type: cloze\n"
        "    fact: ponds\n",
        encoding="utf-8",
    )
    assert run_line(["check"]).exit_code == 0
    return project / "seeds" / "frogs.txt"


def _edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text("utf-8").replace(old, new), encoding="utf-8")


def test_repin_accepts_a_corrected_article_whose_quotes_all_hold(frog: Path, run_line) -> None:
    _edit(frog, "Urban Ecology", "Urban Ecology Letters")
    assert run_line(["check"]).exit_code == 1
    result = run_line(["repin", "frogs"])
    assert result.exit_code == 0
    assert result.stdout == (
        "questions/frogs.yaml:4:12: fact 'barriers': quote still found\n"
        "questions/frogs.yaml:8:12: fact 'ponds': quote still found\n"
    )
    digest = hashlib.sha256(frog.read_bytes()).hexdigest()
    assert f"re-pinned 'frogs' (sha256 {digest[:12]}…): 2 of 2 facts still found" in result.stderr
    assert f"sha256: {digest}" in (frog.parent / "sources.yaml").read_text("utf-8")
    assert run_line(["check"]).exit_code == 0
    again = run_line(["repin", "frogs"])
    assert (again.exit_code, again.stderr) == (
        0,
        "quizgen: 'frogs' has not changed; its sha256 already matches.\n",
    )


def test_repin_shows_a_broken_quote_and_writes_only_with_yes(frog: Path, run_line) -> None:
    index = frog.parent / "sources.yaml"
    _edit(frog, "412 frogs at 38 ponds", "412 frogs at 39 ponds")
    before = index.read_bytes()
    result = run_line(["repin", "frogs"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == (
        "questions/frogs.yaml:8:12: fact 'ponds': quote no longer found in 'frogs'. "
        "Closest passage (97% similar): 'recorded 412 frogs at 39 ponds'"
    )
    assert "1 quote no longer found, so 'frogs' was not re-pinned" in result.stderr
    assert index.read_bytes() == before
    forced = run_line(["repin", "frogs", "--yes"])
    assert forced.exit_code == 0
    assert "1 of 2 facts still found, 1 not" in forced.stderr
    # The fact did not lose its source silently: check names it.
    check = run_line(["check"])
    assert check.exit_code == 1
    assert "fact 'ponds': quote not found in 'frogs'" in check.stdout


def test_repin_of_an_unknown_id_suggests_the_nearest(frog: Path, run_line) -> None:
    result = run_line(["repin", "frog"])
    assert result.exit_code == 2
    assert "no article 'frog' in seeds/sources.yaml: did you mean 'frogs'?" in result.stderr


# The README's session ------------------------------------------------------------------


def _readme_sessions() -> list[str]:
    text = (REPO / "README.md").read_text("utf-8")
    section = text.split("## Start your own quiz", 1)[1].split("\n## ", 1)[0]
    return [block.split("```", 1)[0] for block in section.split("```console\n")[1:]]


def test_the_readme_session_is_real_output(tmp_path: Path, run_line, monkeypatch) -> None:
    (tmp_path / "frog-chorus.html").write_bytes((PAGES_DIR / "frog-chorus.html").read_bytes())
    monkeypatch.chdir(tmp_path)
    first, second = _readme_sessions()
    for block in (first, second):
        for command in block.split("$ ")[1:]:
            line, expected = command.split("\n", 1)
            args = _split(line)[1:]
            result = run_line(args)
            assert result.exit_code == 0, result.output
            assert result.output == expected, line
            if args[0] == "init":
                monkeypatch.chdir(tmp_path / args[1])
        if block is first:
            # The question file the README shows between the two sessions.
            readme = (REPO / "README.md").read_text("utf-8")
            after = readme.split("`questions/frogs.yaml`", 1)[1]
            yaml_text = after.split("```yaml\n", 1)[1].split("```", 1)[0]
            Path("questions/frogs.yaml").write_text(yaml_text, "utf-8")


def _split(line: str) -> list[str]:
    import shlex

    return shlex.split(line)
