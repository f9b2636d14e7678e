"""The editor's side: quizgen lsp, the language server (pygls is imported only when it runs)."""

from __future__ import annotations

from pathlib import Path

import click

from .. import api


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
def lsp_command(
    question_paths: tuple[Path, ...], seeds_dir: Path, decks_dir: Path, stdio: bool
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
    serve(question_paths, seeds_dir, decks_dir)


COMMANDS = (lsp_command,)
