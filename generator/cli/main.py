"""The `quizgen` command: click only. It parses options, calls the library, and maps results
to exit codes: 0 when all is well, 1 for problems in the content, 2 for a usage error."""

from __future__ import annotations

import gc
import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from .. import __version__, api, workers
from ..bank.model import CheckResult, Severity
from ..formats import FORMATS
from .editor import COMMANDS as EDITOR_COMMANDS
from .options import (
    EXIT_CONTENT,
    EXIT_OK,
    OwnProcess,
    counted,
    no_cache_option,
    open_check_cache,
    package_option,
    questions_option,
    report,
    seeds_option,
)
from .readings import COMMANDS as READING_COMMANDS

if TYPE_CHECKING:
    from ..outputs.base import BuildOptions


def run() -> None:
    """The `quizgen` console script (main() is the click group, which tests call in-process)."""
    main(obj=OwnProcess())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quizgen")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Sourced quiz questions from news articles: Anki decks, printable quizzes, Moodle and Canvas.

    Every answer must occur in a verbatim quote from one of the articles;
    `quizgen check` proves it.
    """
    if ctx.invoked_subcommand != "init" and "--help" not in ctx.args and "-h" not in ctx.args:
        # The language server starts whatever quizgen.toml says: with a broken one it takes
        # the default folders and shows the file's problems in the editor, where they are fixed.
        ctx.default_map = _project_defaults(broken_ok=ctx.invoked_subcommand == "lsp")
    # One short process that builds a large graph of objects, then exits. The cyclic
    # collector's repeated scans of that graph cost a quarter of a 100k-question build
    # (benchmarks/). Collect young objects every 100,000 allocations rather than 700,
    # and rescan the whole graph almost never.
    gc.set_threshold(100_000, 50, 1000)


def _project_defaults(broken_ok: bool = False) -> dict[str, dict[str, object]]:
    """quizgen.toml (if the current folder has one) as click's defaults, which options override."""
    from ..project import load_project

    project = load_project()
    if isinstance(project, list) and broken_ok:
        return {}
    if isinstance(project, list):
        for problem in project:
            click.echo(str(problem))
        click.echo("quizgen: fix quizgen.toml first; nothing was done.", err=True)
        raise SystemExit(EXIT_CONTENT)
    folders = project.folders
    shared: dict[str, object] = {}
    if "questions" in folders:
        shared["question_paths"] = [folders["questions"]]
    if "seeds" in folders:
        shared["seeds_dir"] = folders["seeds"]
    decks = {"decks_dir": folders["decks"]} if "decks" in folders else {}
    out = {"out_dir": folders["decks"]} if "decks" in folders else {}
    package = {"package": project.package} if project.package else {}
    return {
        "check": {**shared, **decks, **package},
        "build": {**shared, **out, **project.build, **package},
        "find": shared,
        "stats": shared,
        "add": {k: v for k, v in shared.items() if k == "seeds_dir"},
        "repin": shared,
        "lsp": {**shared, **decks},
    }


@main.command("check")
@questions_option
@seeds_option
@click.option(
    "--decks",
    "decks_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=api.DEFAULT_DECKS,
    show_default=True,
    help="The committed decks: a question id they hold must not vanish unretired.",
)
@package_option
@no_cache_option
def check_command(
    question_paths: tuple[Path, ...],
    seeds_dir: Path,
    decks_dir: Path,
    package: str,
    no_cache: bool,
) -> None:
    """Check that every quote is in its article and every answer is in its quote."""
    with open_check_cache(no_cache) as check_cache:
        result = api.check_bank(question_paths, seeds_dir, decks_dir, check_cache, package=package)
        report(result)
    raise SystemExit(EXIT_OK if result.success else EXIT_CONTENT)


@main.command("build")
@questions_option
@seeds_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("decks"),
    show_default=True,
    help="Where the decks and quizzes go.",
)
@click.option("--deck", help="Build only this deck (and its subdecks), by its full name.")
@click.option(
    "--paper",
    type=click.Choice(["letter", "a4"]),
    default="letter",
    show_default=True,
    help="Paper size of the printed quizzes.",
)
@click.option(
    "--versions",
    type=click.IntRange(1, 26),
    default=1,
    show_default=True,
    help="Quiz versions A, B, … with shuffled questions and options, each with its own pool draws.",
)
@click.option(
    "--seed", type=int, default=0, show_default=True, help="Seed for the shuffles and pool draws."
)
@click.option("--pdf", is_flag=True, help="Also write a PDF of each quiz (needs WeasyPrint).")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(FORMATS),
    help="Write only this output; repeat for more [default: all of them].",
)
@click.option(
    "--jobs",
    type=click.IntRange(1),
    help="Render this many outputs at once [default: every CPU for a bank of "
    f"{workers.MIN_QUESTIONS_TO_FORK:,} questions or more, else 1].",
)
@click.option(
    "--check",
    "check_only",
    is_flag=True,
    help="Write nothing; exit 1 if the files in --out are not what a build would write.",
)
@package_option
@no_cache_option
def build_command(
    question_paths: tuple[Path, ...],
    seeds_dir: Path,
    out_dir: Path,
    deck: str | None,
    paper: str,
    versions: int,
    seed: int,
    pdf: bool,
    formats: tuple[str, ...],
    jobs: int | None,
    check_only: bool,
    package: str,
    no_cache: bool,
) -> None:
    """Check the bank, then write the Anki package, the printable quizzes and the LMS exports."""
    from ..outputs.base import BuildOptions

    options = BuildOptions(
        out_dir=out_dir,
        deck=deck,
        paper=paper,
        versions=versions,
        seed=seed,
        pdf=pdf,
        jobs=jobs,
        formats=tuple(formats),
        package=package,
    )
    with open_check_cache(no_cache) as check_cache:
        result = api.check_bank(question_paths, seeds_dir, out_dir, check_cache, package=package)
        _build(result, options, check_only)


def _build(result: CheckResult, options: BuildOptions, check_only: bool) -> None:
    report(result)
    if not result.success:
        click.echo("quizgen: nothing was written; the previous files are unchanged.", err=True)
        raise SystemExit(EXIT_CONTENT)
    outcome = api.build_outputs(result, options, check_only=check_only)
    for problem in outcome.problems:
        click.echo(str(problem))
    if outcome.problems:
        raise SystemExit(EXIT_CONTENT)
    if check_only:
        for path in outcome.stale:
            click.echo(f"{path}: out of date; run `quizgen build` and commit it")
        for path in outcome.obsolete:
            click.echo(f"{path}: no longer built; run `quizgen build` to delete it, and commit")
        if outcome.stale or outcome.obsolete:
            raise SystemExit(EXIT_CONTENT)
        click.echo(f"quizgen: {counted(len(outcome.unchanged), 'file')} up to date.", err=True)
        return
    for path in outcome.written:
        click.echo(f"wrote {path}")
    for path in outcome.obsolete:
        click.echo(f"deleted {path} (no longer built)")
    click.echo(
        f"quizgen: {counted(len(outcome.written), 'file')} written, "
        f"{len(outcome.unchanged)} unchanged.",
        err=True,
    )


@main.command("find")
@click.argument("text")
@click.option("--source", "source_id", help="Search only this article (an id from sources.yaml).")
@click.option(
    "--limit", type=click.IntRange(1), default=10, show_default=True, help="Show at most this many."
)
@questions_option
@seeds_option
def find_command(
    text: str,
    source_id: str | None,
    limit: int,
    question_paths: tuple[Path, ...],
    seeds_dir: Path,
) -> None:
    """Find a phrase in the articles and print a fact to paste, quote and value exact.

    Exits 0 when the phrase is in an article, 1 when only similar passages are shown.
    """
    outcome = api.find_text(text, source_id, question_paths, seeds_dir, limit)
    if outcome.usage_error:
        raise click.UsageError(outcome.usage_error)
    errors = [p for p in outcome.problems if p.severity is Severity.ERROR]
    if outcome.result is None:
        for problem in outcome.problems:
            click.echo(str(problem))
        raise SystemExit(EXIT_CONTENT)
    if errors:
        click.echo(
            f"quizgen: the bank has {counted(len(errors), 'problem')} (run quizgen check); "
            "a suggested fact id may clash with a fact in a file that did not load.",
            err=True,
        )
    found = outcome.result
    from ..authoring.formatting import find_summary, format_result

    click.echo(format_result(found, mark=lambda s: click.style(f"[[{s}]]", bold=True)))
    click.echo(find_summary(found), err=True)
    raise SystemExit(EXIT_OK if found.found else EXIT_CONTENT)


@main.command("stats")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON, for scripts.")
@questions_option
@seeds_option
@no_cache_option
def stats_command(
    as_json: bool, question_paths: tuple[Path, ...], seeds_dir: Path, no_cache: bool
) -> None:
    """Count questions per type, deck and article, and show what the facts leave unquoted."""
    with open_check_cache(no_cache) as check_cache:
        result = api.check_bank(question_paths, seeds_dir, check_cache=check_cache)
    numbers = api.bank_stats(result)
    if numbers is None:
        report(result)
        raise SystemExit(EXIT_CONTENT)
    if as_json:
        click.echo(json.dumps(numbers.as_json(), indent=2, ensure_ascii=False))
    else:
        from ..authoring.stats import format_text

        click.echo(format_text(numbers))


for command in (*READING_COMMANDS, *EDITOR_COMMANDS):
    main.add_command(command)
