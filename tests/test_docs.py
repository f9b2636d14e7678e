"""The README and the command line agree, and the code meets its own style rules."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = sorted(main.commands)


def shell_blocks(text: str) -> list[str]:
    return re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help(name: str) -> None:
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert main.commands[name].get_short_help_str().strip()
    assert "Usage: main" not in result.output or name in result.output


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_is_documented_in_the_readme(name: str) -> None:
    assert f"quizgen {name}" in README


def test_readme_has_a_build_command_and_a_test_command() -> None:
    blocks = [block.strip() for block in shell_blocks(README)]
    assert any(block.endswith("quizgen build") for block in blocks)
    assert any(block.endswith("python -m pytest") for block in blocks)


def test_ci_runs_the_readme_test_command_exactly() -> None:
    test_command = next(
        block.strip() for block in shell_blocks(README) if block.strip().endswith("pytest")
    )
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_module_entry_point_matches_the_console_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0
    for name in COMMANDS:
        assert name in result.stdout


@pytest.mark.parametrize("args", [["check"], ["format", "--check", "--diff"]])
def test_ruff_is_clean(args: list[str]) -> None:
    # As a module of this interpreter, so the test does not depend on PATH (ruff is in the lock).
    result = subprocess.run(
        [sys.executable, "-m", "ruff", *args, "generator", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_error_tour_is_real_output() -> None:
    expected = ROOT / "tests" / "examples" / "invalid" / "readme-tour" / "expected.txt"
    lines = expected.read_text(encoding="utf-8").splitlines()[1:]
    start = README.index("$ quizgen check\nquestions/funding.yaml")
    shown = README[start:].split("```", 1)[0].splitlines()
    assert shown[1:-1] == lines
    assert shown[-1] == f"quizgen: {len(lines)} errors in 2 files."


def test_the_readme_project_file_is_valid_and_says_what_it_shows(tmp_path: Path) -> None:
    from generator.project import Project, load_project

    block = README.split("**The project file.**", 1)[1].split("```toml\n", 1)[1]
    (tmp_path / "quizgen.toml").write_text(block.split("```", 1)[0], encoding="utf-8")
    project = load_project(tmp_path)
    assert isinstance(project, Project), project
    assert project.package == "civics-unit-3"
    assert project.build["formats"] == ["anki", "quiz", "moodle"]
