"""The library API that the command line (and tests, and other tools) call.

Nothing here prints or exits: results are values, and cli.py decides what
to show and which exit code it means.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import cache
from .bank import yamlfile
from .bank.load import load_bank, question_files
from .bank.model import Bank, CheckResult, Problem, Severity, SourcedQuestion
from .bank.sources import Seeds
from .paths import DEFAULT_PACKAGE
from .rules import history
from .rules.check import check
from .rules.giveaways import printed_giveaways
from .rules.pools import pool_problems

if TYPE_CHECKING:
    # Imported where used, so `quizgen check` does not pay for the writers and find.
    from .authoring.search import FindOutcome
    from .authoring.stats import BankStats
    from .build import BuildResult
    from .outputs.base import BuildOptions

DEFAULT_QUESTIONS = Path("questions")
DEFAULT_SEEDS = Path("seeds")
DEFAULT_DECKS = Path("decks")


def check_bank(
    question_paths: Sequence[Path] = (DEFAULT_QUESTIONS,),
    seeds_dir: Path = DEFAULT_SEEDS,
    decks_dir: Path = DEFAULT_DECKS,
    check_cache: cache.CheckCache | None = None,
    seeds: Seeds | None = None,
    load_file: Callable[[Path, str], yamlfile.Document] = yamlfile.load,
    package: str = DEFAULT_PACKAGE,
) -> CheckResult:
    """Load and check the bank. Every problem in every file is in the result.

    Ids that the committed decks in decks_dir hold (in `<package>.lock.json`) but the bank
    lost are warned about, unless a file failed to load: its questions would all look lost.
    With a check_cache, an unchanged bank's check is read back instead of redone.
    seeds and load_file let a long-lived caller reuse what it already read (see load_bank).
    """
    loaded, found, bank, questions = _load_and_check(
        question_paths, seeds_dir, check_cache, seeds, load_file
    )
    problems = list(loaded)
    if not any(p.severity is Severity.ERROR for p in loaded):
        # Files named one by one are part of the bank, so only their decks can be judged.
        partial = any(path.is_file() for path in question_paths)
        decks = {question.deck for question in bank.questions} if partial else None
        problems += history.disappeared(bank, decks_dir, decks, package)
    ordered = sorted(set(problems + found), key=lambda p: (p.location, p.message))
    return CheckResult(problems=tuple(ordered), bank=bank, questions=tuple(questions))


def _load_and_check(
    question_paths: Sequence[Path],
    seeds_dir: Path,
    check_cache: cache.CheckCache | None,
    seeds: Seeds | None = None,
    load_file: Callable[[Path, str], yamlfile.Document] = yamlfile.load,
) -> tuple[list[Problem], list[Problem], Bank, list[SourcedQuestion]]:
    """What loading found, what checking found, and the bank: from the cache if unchanged."""
    if check_cache is not None:
        files, _ = question_files(question_paths)
        key = cache.content_key(question_paths, files, seeds_dir)
        slot = cache.slot_name("check", question_paths, seeds_dir)
        remembered = check_cache.load(slot, key)
        if remembered is not None:
            return remembered
    bank, articles, loaded = load_bank(question_paths, seeds_dir, seeds, load_file)
    found, questions = check(bank, articles)
    found += printed_giveaways(questions, bank.pools)
    found += pool_problems(bank)
    if check_cache is not None:
        check_cache.store(slot, key, (loaded, found, bank, questions))
    return loaded, found, bank, questions


def build_outputs(
    result: CheckResult, options: BuildOptions, *, check_only: bool = False
) -> BuildResult:
    """Write the Anki package and quizzes for a checked bank; nothing if it has errors."""
    from .build import build

    return build(result, options, check_only=check_only)


def find_text(
    query: str,
    source_id: str | None = None,
    question_paths: Sequence[Path] = (DEFAULT_QUESTIONS,),
    seeds_dir: Path = DEFAULT_SEEDS,
    limit: int | None = None,
) -> FindOutcome:
    """Passages of the articles that hold the query (or resemble it), each with a ready fact."""
    from .authoring import search

    bank, articles, problems = load_bank(question_paths, seeds_dir)
    return search.run(bank, articles, problems, query, source_id, limit or search.DEFAULT_LIMIT)


def bank_stats(result: CheckResult) -> BankStats | None:
    """Counts and coverage of a checked bank; None if it has errors."""
    from .authoring import stats

    if not result.success or result.bank is None:
        return None
    return stats.bank_stats(result.bank, result.questions)
