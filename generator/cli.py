"""The `quizgen` command: click only. It parses options, calls the library, and maps results
to exit codes: 0 when all is well, 1 for problems in the content, 2 for a usage error."""

from __future__ import annotations

from pathlib import Path

import click

from . import __version__, api
from .model import CheckResult

EXIT_OK = 0
EXIT_CONTENT = 1

questions_option = click.option(
    "--questions",
    "question_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    default=[api.DEFAULT_QUESTIONS],
    show_default=True,
    help="A question file or a folder of them; repeat for more.",
)
seeds_option = click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=api.DEFAULT_SEEDS,
    show_default=True,
    help="The folder with the articles and sources.yaml.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quizgen")
def main() -> None:
    """Sourced quiz questions from news articles, built into Anki decks and printable quizzes.

    Every answer must occur in a verbatim quote from one of the articles;
    `quizgen check` proves it.
    """


def report(result: CheckResult) -> None:
    """Print every problem as `path:line:col: message`, then a one-line summary."""
    for problem in result.problems:
        click.echo(str(problem))
    errors, warnings = len(result.errors), len(result.warnings)
    if errors:
        files = len({p.location.path for p in result.errors})
        summary = f"{_count(errors, 'error')} in {_count(files, 'file')}"
        if warnings:
            summary += f", {_count(warnings, 'warning')}"
        click.echo(f"quizgen: {summary}.", err=True)
    elif result.bank is not None:
        bank = result.bank
        click.echo(
            f"quizgen: {_count(len(result.questions), 'question')} and "
            f"{_count(len(bank.facts), 'fact')} from {_count(len(bank.sources), 'article')}: "
            f"every answer is sourced" + (f" ({_count(warnings, 'warning')})" if warnings else ""),
            err=True,
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


@main.command("check")
@questions_option
@seeds_option
def check_command(question_paths: tuple[Path, ...], seeds_dir: Path) -> None:
    """Check that every quote is in its article and every answer is in its quote."""
    result = api.check_bank(question_paths, seeds_dir)
    report(result)
    raise SystemExit(EXIT_OK if result.success else EXIT_CONTENT)
