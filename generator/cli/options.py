"""What the commands share: exit codes, the common options, the check cache, the report."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import click

from .. import api, cache
from ..bank.model import CheckResult
from ..paths import DEFAULT_PACKAGE, PACKAGE_NAME

EXIT_OK = 0
EXIT_CONTENT = 1

questions_option = click.option(
    "--questions",
    "question_paths",
    multiple=True,
    type=click.Path(path_type=Path, exists=True),
    default=[api.DEFAULT_QUESTIONS],
    show_default=True,
    help="A question file or a folder of them; repeat for more.",
)
seeds_option = click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=api.DEFAULT_SEEDS,
    show_default=True,
    help="The folder with the articles and sources.yaml.",
)


def _package_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not PACKAGE_NAME.match(value) or len(value) > 80:
        raise click.BadParameter(
            f"{value!r} is not a file name stem: use letters, digits, '.', '_' and '-', "
            "starting with a letter or digit (for example 'civics-unit-3')"
        )
    return value


package_option = click.option(
    "--package",
    default=DEFAULT_PACKAGE,
    show_default=True,
    callback=_package_name,
    help="The stem of the Anki package, its lock file and the LMS exports "
    "(quizgen.toml: [package] name).",
)
no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Load and check every file again, even if nothing changed since the last check "
    f"(the cache is in your cache folder, or ${cache.CACHE_DIR_ENV}).",
)


def open_check_cache(no_cache: bool) -> AbstractContextManager[cache.CheckCache | None]:
    if no_cache:
        return nullcontext()
    # A command runs one thread, so a forked child can write the entry while it goes on;
    # the `quizgen` process exits as soon as it has answered, and leaves the child to finish.
    detach = click.get_current_context().find_object(OwnProcess) is not None
    return cache.CheckCache(cache.default_dir(), write_in_background=True, detach=detach)


class OwnProcess:
    """Marks a run of `quizgen` as its own process, which ends when the command does."""


def report(result: CheckResult) -> None:
    """Print every problem as `path:line:col: message`, then a one-line summary."""
    for problem in result.problems:
        click.echo(str(problem))
    errors, warnings = len(result.errors), len(result.warnings)
    if errors:
        files = len({p.location.path for p in result.errors})
        summary = f"{counted(errors, 'error')} in {counted(files, 'file')}"
        if warnings:
            summary += f", {counted(warnings, 'warning')}"
        click.echo(f"quizgen: {summary}.", err=True)
    elif result.bank is not None:
        bank = result.bank
        click.echo(
            f"quizgen: {counted(len(result.questions), 'question')} and "
            f"{counted(len(bank.facts), 'fact')} from {counted(len(bank.sources), 'article')}: "
            f"every answer is sourced" + (f" ({counted(warnings, 'warning')})" if warnings else ""),
            err=True,
        )


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
