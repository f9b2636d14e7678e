"""The library API that the command line (and tests, and other tools) call.

Nothing here prints or exits: results are values, and cli.py decides what
to show and which exit code it means.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .build import BuildOptions, BuildResult, build
from .check import check
from .load import load_bank
from .model import CheckResult

DEFAULT_QUESTIONS = Path("questions")
DEFAULT_SEEDS = Path("seeds")


def check_bank(
    question_paths: Sequence[Path] = (DEFAULT_QUESTIONS,), seeds_dir: Path = DEFAULT_SEEDS
) -> CheckResult:
    """Load and check the bank. Every problem in every file is in the result."""
    bank, articles, problems = load_bank(question_paths, seeds_dir)
    found, questions = check(bank, articles)
    ordered = sorted(set(problems + found), key=lambda p: (p.location, p.message))
    return CheckResult(problems=tuple(ordered), bank=bank, questions=tuple(questions))


def build_outputs(
    result: CheckResult, options: BuildOptions, *, check_only: bool = False
) -> BuildResult:
    """Write the Anki package and quizzes for a checked bank; nothing if it has errors."""
    return build(result, options, check_only=check_only)
