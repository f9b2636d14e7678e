"""Bringing in readings: quizgen init, add and repin."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api
from ..paths import display
from .options import EXIT_CONTENT, EXIT_OK, counted, questions_option, seeds_option


@click.command("init")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False), default=".")
def init_command(directory: Path) -> None:
    """Start a quiz project in DIRECTORY: an example article, fact and question, and quizgen.toml.

    It never overwrites a file; `quizgen check` and `quizgen build` pass in it at once.
    """
    from ..authoring.init import init_project

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


@click.command("add")
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
    from ..importing.add import Metadata, add_readings

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
            f"{counted(added.paragraphs, 'paragraph')} and {counted(added.sentences, 'sentence')}"
            f" ({display(added.path)})"
        )
    if result.added:
        first = result.added[0].source_id
        click.echo(
            f'quizgen: next, find a sentence to quiz on: quizgen find "a phrase" --source {first}',
            err=True,
        )


@click.command("repin")
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
    from ..importing.repin import repin

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
            f"{found} of {counted(len(result.facts), 'fact')} still found{lost}.",
            err=True,
        )
    else:
        click.echo(
            f"quizgen: {counted(len(result.broken), 'quote')} no longer found, so '{source_id}' "
            "was not re-pinned: fix those facts (or the article), or run "
            f"quizgen repin {source_id} --yes",
            err=True,
        )
    raise SystemExit(EXIT_CONTENT if result.broken and not result.written else EXIT_OK)


COMMANDS = (init_command, add_command, repin_command)
