"""The editor's side: quizgen lsp, the language server (pygls is imported only when it runs)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api

# quizgen.toml's [folders] keys, and the options that name the same folders.
FOLDER_PARAMETERS = {"questions": "question_paths", "seeds": "seeds_dir", "decks": "decks_dir"}


@click.command("lsp")
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
@click.pass_context
def lsp_command(
    ctx: click.Context,
    question_paths: tuple[Path, ...],
    seeds_dir: Path,
    decks_dir: Path,
    stdio: bool,
) -> None:
    """Run the language server for editors: check as you type, completion, hover, quick fixes.

    The editor starts it in the project folder (or names that folder as its root).
    Needs the lsp extra: pip install 'quizgen[lsp]'.
    """
    try:
        from ..lsp.server import serve
    except ImportError as error:
        raise click.UsageError(
            f"quizgen lsp needs pygls ({error.name} is missing): pip install 'quizgen[lsp]'"
        ) from None
    # A folder named on the command line stays; the others follow quizgen.toml as it is
    # edited, so a change to its [folders] needs no restart.
    named = {
        folder
        for folder, parameter in FOLDER_PARAMETERS.items()
        if ctx.get_parameter_source(parameter) is click.core.ParameterSource.COMMANDLINE
    }
    serve(question_paths, seeds_dir, decks_dir, follow=frozenset(FOLDER_PARAMETERS) - named)


COMMANDS = (lsp_command,)
