"""Shared fixtures: a CLI runner, and a scratch bank in tmp_path checked against the real seeds."""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings

from generator import api, cache
from generator.bank.model import CheckResult
from generator.cli import main

REPO = Path(__file__).resolve().parent.parent

# Hypothesis' per-example deadline is a timing assertion, and timing belongs in benchmarks/.
# `pytest --hypothesis-profile=thorough` tries 20 times as many examples.
settings.register_profile("quizgen", deadline=None)
settings.register_profile("thorough", deadline=None, max_examples=2000)
settings.load_profile("quizgen")


@pytest.fixture(scope="session", autouse=True)
def _cache_outside_the_repository(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Commands under test, in-process or child, keep their check cache out of the checkout."""
    os.environ[cache.CACHE_DIR_ENV] = str(tmp_path_factory.mktemp("quizgen-cache"))


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def seeds() -> Path:
    """The real articles; tests read them and never write."""
    return REPO / "seeds"


@pytest.fixture
def run_line() -> Callable[..., Result]:
    """Run `quizgen ARGS...` in-process; an unexpected exception fails the test with its traceback.

    click's runner still turns SystemExit into `result.exit_code`.
    """
    runner = CliRunner()

    def run(args: Sequence[str], **kwargs) -> Result:
        kwargs.setdefault("prog_name", "quizgen")  # as usage messages name it
        return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)

    return run


@pytest.fixture
def write_questions(tmp_path: Path) -> Callable[..., Path]:
    """Write a question file (dedented) into tmp_path/questions/ and return its path."""

    def write(text: str, name: str = "q.yaml") -> Path:
        path = tmp_path / "questions" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def check_text(
    write_questions: Callable[..., Path], tmp_path: Path, seeds: Path, monkeypatch
) -> Callable[..., CheckResult]:
    """Check one question file's text against the real seeds, from tmp_path.

    Messages then name the file as a contributor sees it: `questions/q.yaml:3:5: …`.
    """
    monkeypatch.chdir(tmp_path)

    def check(text: str, seeds_dir: Path = seeds) -> CheckResult:
        write_questions(text)
        return api.check_bank([Path("questions")], seeds_dir, Path("decks"))

    return check
