"""The `quizgen` command: click only. It parses options, calls the library, and maps results
to exit codes: 0 when all is well, 1 for problems in the content, 2 for a usage error."""

from __future__ import annotations

import gc
import json
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__, api, cache, workers
from .bank.model import CheckResult, Severity
from .paths import display

if TYPE_CHECKING:
    from .outputs.base import BuildOptions

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
no_cache_option = click.option(
    "--no-cache",
    is_flag=True,
    help="Load and check every file again, even if nothing changed since the last check "
    f"(the cache is in your cache folder, or ${cache.CACHE_DIR_ENV}).",
)


def _check_cache(no_cache: bool) -> AbstractContextManager[cache.CheckCache | None]:
    if no_cache:
        return nullcontext()
    # A command runs one thread, so a forked child can write the entry while it goes on;
    # the `quizgen` process exits as soon as it has answered, and leaves the child to finish.
    detach = click.get_current_context().find_object(_Process) is not None
    return cache.CheckCache(cache.default_dir(), write_in_background=True, detach=detach)


class _Process:
    """Marks a run of `quizgen` as its own process, which ends when the command does."""


def run() -> None:
    """The `quizgen` console script (main() is the click group, which tests call in-process)."""
    main(obj=_Process())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="quizgen")
@click.pass_context
def main(ctx: click.Context) -> None:
    """Sourced quiz questions from news articles, built into Anki decks and printable quizzes.

    Every answer must occur in a verbatim quote from one of the articles;
    `quizgen check` proves it.
    """
    if ctx.invoked_subcommand != "init" and "--help" not in ctx.args and "-h" not in ctx.args:
        ctx.default_map = _project_defaults()
    # One short process that builds a large graph of objects, then exits. The cyclic
    # collector's repeated scans of that graph cost a quarter of a 100k-question build
    # (benchmarks/). Collect young objects every 100,000 allocations rather than 700,
    # and rescan the whole graph almost never.
    gc.set_threshold(100_000, 50, 1000)


def _project_defaults() -> dict[str, dict[str, object]]:
    """quizgen.toml (if the current folder has one) as click's defaults, which options override."""
    from .project import load_project

    project = load_project()
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
    return {
        "check": {**shared, **decks},
        "build": {**shared, **out, **project.build},
        "find": shared,
        "stats": shared,
        "add": {k: v for k, v in shared.items() if k == "seeds_dir"},
        "repin": shared,
    }


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
@click.option(
    "--decks",
    "decks_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=api.DEFAULT_DECKS,
    show_default=True,
    help="The committed decks: a question id they hold must not vanish unretired.",
)
@no_cache_option
def check_command(
    question_paths: tuple[Path, ...], seeds_dir: Path, decks_dir: Path, no_cache: bool
) -> None:
    """Check that every quote is in its article and every answer is in its quote."""
    with _check_cache(no_cache) as check_cache:
        result = api.check_bank(question_paths, seeds_dir, decks_dir, check_cache)
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
    jobs: int | None,
    check_only: bool,
    no_cache: bool,
) -> None:
    """Check the bank, then write the Anki package and the printable quizzes."""
    from .outputs.base import BuildOptions

    options = BuildOptions(
        out_dir=out_dir, deck=deck, paper=paper, versions=versions, seed=seed, pdf=pdf, jobs=jobs
    )
    with _check_cache(no_cache) as check_cache:
        result = api.check_bank(question_paths, seeds_dir, out_dir, check_cache)
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
        click.echo(f"quizgen: {_count(len(outcome.unchanged), 'file')} up to date.", err=True)
        return
    for path in outcome.written:
        click.echo(f"wrote {path}")
    for path in outcome.obsolete:
        click.echo(f"deleted {path} (no longer built)")
    click.echo(
        f"quizgen: {_count(len(outcome.written), 'file')} written, "
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
            f"quizgen: the bank has {_count(len(errors), 'problem')} (run quizgen check); "
            "a suggested fact id may clash with a fact in a file that did not load.",
            err=True,
        )
    found = outcome.result
    from .authoring.formatting import find_summary, format_result

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
    with _check_cache(no_cache) as check_cache:
        result = api.check_bank(question_paths, seeds_dir, check_cache=check_cache)
    numbers = api.bank_stats(result)
    if numbers is None:
        report(result)
        raise SystemExit(EXIT_CONTENT)
    if as_json:
        click.echo(json.dumps(numbers.as_json(), indent=2, ensure_ascii=False))
    else:
        from .authoring.stats import format_text

        click.echo(format_text(numbers))


@main.command("lsp")
@click.option(
    "--questions",
    "question_paths",
    multiple=True,
    type=click.Path(path_type=Path),
    default=[api.DEFAULT_QUESTIONS],
    show_default=True,
    help="A question file or a folder of them, from the project root; repeat for more.",
)
@click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(path_type=Path),
    default=api.DEFAULT_SEEDS,
    show_default=True,
    help="The folder with the articles and sources.yaml, from the project root.",
)
@click.option(
    "--decks",
    "decks_dir",
    type=click.Path(path_type=Path),
    default=api.DEFAULT_DECKS,
    show_default=True,
    help="The committed decks, as for check.",
)
@click.option("--stdio", is_flag=True, help="Talk over stdin and stdout (the only way; accepted).")
def lsp_command(
    question_paths: tuple[Path, ...], seeds_dir: Path, decks_dir: Path, stdio: bool
) -> None:
    """Run the language server for editors: check as you type, completion, hover, quick fixes.

    The editor starts it in the project folder (or names that folder as its root).
    Needs the lsp extra: pip install 'quizgen[lsp]'.
    """
    try:
        from .lsp.server import serve
    except ImportError as error:
        raise click.UsageError(
            f"quizgen lsp needs pygls ({error.name} is missing): pip install 'quizgen[lsp]'"
        ) from None
    serve(question_paths, seeds_dir, decks_dir)


@main.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
def init_command(directory: Path) -> None:
    """Start a quiz project in DIRECTORY: an example article, fact and question, and quizgen.toml.

    It never overwrites a file; `quizgen check` and `quizgen build` pass in it at once.
    """
    from .authoring.init import init_project

    result = init_project(directory)
    for problem in result.problems:
        click.echo(str(problem))
    if not result.success:
        click.echo("quizgen: nothing was written.", err=True)
        raise SystemExit(EXIT_CONTENT)
    for path in result.written:
        click.echo(f"wrote {display(path)}")
    where = "" if directory == Path() else f"cd {display(directory)} && "
    click.echo(
        f"quizgen: a new project. Next: {where}quizgen add SAVED-PAGE.html, then quizgen check",
        err=True,
    )


@main.command("add")
@click.argument("inputs", nargs=-1, required=True, metavar="PATH_OR_URL...")
@click.option("--id", "source_id", help="The article's id [default: made from its title].")
@click.option("--title", help="The headline [default: the page's own].")
@click.option("--author", help="The author [default: the page's byline, if it has one].")
@click.option("--published", help="The publication date, YYYY-MM-DD [default: the page's].")
@click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=api.DEFAULT_SEEDS,
    show_default=True,
    help="The folder with the articles and sources.yaml.",
)
def add_command(
    inputs: tuple[str, ...],
    source_id: str | None,
    title: str | None,
    author: str | None,
    published: str | None,
    seeds_dir: Path,
) -> None:
    """Add articles from saved web pages (.html), PDFs, .txt or .md files, or URLs.

    Each becomes seeds/ID.txt, pinned by its sha256 in sources.yaml, with its original
    kept in seeds/originals/. If any input fails, nothing is written.
    """
    from .importing.add import Metadata, add_readings

    result = add_readings(inputs, seeds_dir, Metadata(source_id, title, author, published))
    if result.usage_error:
        raise click.UsageError(result.usage_error)
    for problem in result.problems:
        click.echo(str(problem))
    if result.problems:
        click.echo("quizgen: nothing was written; seeds/ is as it was.", err=True)
        raise SystemExit(EXIT_CONTENT)
    for duplicate in result.already_there:
        click.echo(
            f"{duplicate.argument}: its text is already in the bank as "
            f"'{duplicate.source_id}'; nothing changed"
        )
    for added in result.added:
        click.echo(
            f"added '{added.source_id}': “{added.title}”, "
            f"{_count(added.paragraphs, 'paragraph')} and {_count(added.sentences, 'sentence')}"
            f" ({display(added.path)})"
        )
    if result.added:
        first = result.added[0].source_id
        click.echo(
            f'quizgen: next, find a sentence to quiz on: quizgen find "a phrase" --source {first}',
            err=True,
        )


@main.command("repin")
@click.argument("source_id", metavar="ID")
@click.option("--yes", is_flag=True, help="Re-pin even if some quotes are no longer found.")
@questions_option
@seeds_option
def repin_command(
    source_id: str, yes: bool, question_paths: tuple[Path, ...], seeds_dir: Path
) -> None:
    """Accept a corrected article: show which facts still find their quotes, then re-pin it.

    The new sha256 is written only when every quote is still found, or with --yes.
    """
    from .importing.repin import repin

    result = repin(source_id, question_paths, seeds_dir, confirmed=yes)
    if result.usage_error:
        raise click.UsageError(result.usage_error)
    for problem in result.problems:
        click.echo(str(problem))
    if result.problems:
        raise SystemExit(EXIT_CONTENT)
    for status in result.facts:
        if status.found:
            click.echo(f"{status.location}: fact '{status.fact_id}': quote still found")
            continue
        closest = (
            f" Closest passage ({status.closest.similarity:.0f}% similar): {status.closest.text!r}"
            if status.closest
            else ""
        )
        click.echo(
            f"{status.location}: fact '{status.fact_id}': quote no longer found in "
            f"'{source_id}'.{closest}"
        )
    found = len(result.facts) - len(result.broken)
    if result.unchanged:
        click.echo(f"quizgen: '{source_id}' has not changed; its sha256 already matches.", err=True)
    elif result.written:
        lost = f", {len(result.broken)} not" if result.broken else ""
        click.echo(
            f"quizgen: re-pinned '{source_id}' (sha256 {result.new_sha256[:12]}…): "
            f"{found} of {_count(len(result.facts), 'fact')} still found{lost}.",
            err=True,
        )
    else:
        click.echo(
            f"quizgen: {_count(len(result.broken), 'quote')} no longer found, so '{source_id}' "
            "was not re-pinned: fix those facts (or the article), or run "
            f"quizgen repin {source_id} --yes",
            err=True,
        )
    raise SystemExit(EXIT_CONTENT if result.broken and not result.written else EXIT_OK)
